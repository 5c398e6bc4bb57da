/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xc-mtrr-map: decoded MTRR registers and the whole type map of a guest. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>

#include "common.h"
#include "operands.h"
#include "show.h"
#include "svg.h"

static void help(void)
{
    printf("Usage: %s [options] DOMID\n"
           "       %s [options] --context FILE [--replay LOG]\n"
           "The decoded MTRR registers and the coalesced type map.\n\n"
           "  -c, --context FILE     read a saved HVM context or xl save "
           "image\n"
           "  -v, --vcpu N           the vCPU to show (default 0)\n"
           "  -a, --all-vcpus        show every vCPU\n"
           "  -w, --maxphysaddr BITS guest physical-address width (32..52)\n"
           "  -r, --replay LOG       with --context: apply a write log of "
           "xc-mtrr-watch\n"
           "      --replay-partial   the log began after the guest booted\n"
           "      --svg FILE         also draw the address space into FILE "
           "(SVG): a band\n"
           "                         per vCPU colored by type, unreliable "
           "ranges hatched\n"
           "  -j, --json             JSON Lines output\n"
           "  -h, --help             this text\n"
           "  -V, --version          the version\n\n"
           "DOMID: a domain id (digits only) or name, as xl takes it.\n"
           "Exit status: 0 success, 1 error, 2 usage.\n",
           prog, prog);
}

/* What main() passes to the callbacks. */
struct map_opts {
    bool json;
    const char *svg; /* --svg FILE */
    const char *context;
};

/* With --svg, draw every vCPU asked for before printing anything. */
static int draw_svg(const struct states *states, void *arg)
{
    const struct map_opts *o = arg;
    char label[XCX_DOMAIN_NAME_MAX + 64], title[XCX_DOMAIN_NAME_MAX + 128];
    const char *who = domain_current_label(label, sizeof(label));
    struct svg_picture pic = {title,         states->state, states->first_vcpu,
                              states->count, NULL,          0};
    xentoollog_logger_stdiostream *lg;
    int rc;

    if (!o->svg)
        return 0;
    snprintf(title, sizeof(title), "MTRR types of %s%s", who ? who : "",
             who ? "" : o->context);
    lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (!lg)
        return -1;
    rc = svg_write(o->svg, &pic, (xentoollog_logger *)lg);
    xtl_logger_destroy((xentoollog_logger *)lg);
    return rc;
}

static int show(unsigned int vcpu, const struct xcx_mtrr_state *st, void *arg,
                xentoollog_logger *lg)
{
    return show_vcpu(vcpu, st, &((struct map_opts *)arg)->json, lg);
}

static const struct option options[] = {
    COMMON_LONG_OPTIONS,
    {"svg", required_argument, NULL, 'G'},
    {NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
    struct source src = {.offline_ok = true};
    struct map_opts o = {0};
    int opt, next;

    prog = "xc-mtrr-map";
    static const char *const domid[] = {"DOMID", NULL};
    static const struct operand_names names = {domid, domid + 1};

    refuse_negative_operands(argc, argv, COMMON_SHORT_OPTIONS, options, &names);
    while ((opt = getopt_long(argc, argv, COMMON_SHORT_OPTIONS, options,
                              NULL)) != -1) {
        if (opt == 'G') {
            if (!*optarg)
                usage_error("empty --svg FILE");
            o.svg = optarg;
        } else if (!common_option(&src, &o.json, help, opt, optarg)) {
            usage_error("unknown option");
        }
    }
    next = source_operands(&src, argc, argv, optind);
    if (next != argc)
        usage_error("unexpected operand '%s'", argv[next]);
    o.context = src.context;
    return run_per_vcpu(&src, draw_svg, show, &o);
}
