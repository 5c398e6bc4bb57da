/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xc-mtrr-map: decoded MTRR registers and the whole type map of a guest. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>

#include "common.h"
#include "operands.h"
#include "show.h"

static void help(void)
{
    printf("Usage: %s [options] DOMID\n"
           "       %s [options] --context FILE [--replay LOG]\n"
           "The decoded MTRR registers and the coalesced type map.\n\n"
           "  -c, --context FILE     read a saved HVM context, not a live "
           "domain\n"
           "  -v, --vcpu N           the vCPU to show (default 0)\n"
           "  -a, --all-vcpus        show every vCPU\n"
           "  -w, --maxphysaddr BITS guest physical-address width (32..52)\n"
           "  -r, --replay LOG       with --context: apply a write log of "
           "xc-mtrr-watch\n"
           "      --replay-partial   the log began after the guest booted\n"
           "  -j, --json             JSON Lines output\n"
           "  -h, --help             this text\n"
           "  -V, --version          the version\n\n"
           "Exit status: 0 success, 1 error, 2 usage.\n",
           prog, prog);
}

static const struct option options[] = {
    COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
    struct source src = {.offline_ok = true};
    bool json = false;
    int opt, next;

    prog = "xc-mtrr-map";
    static const char *const domid[] = {"DOMID", NULL};
    static const struct operand_names names = {domid, domid + 1};

    refuse_negative_operands(argc, argv, COMMON_SHORT_OPTIONS, options, &names);
    while ((opt = getopt_long(argc, argv, COMMON_SHORT_OPTIONS, options,
                              NULL)) != -1)
        if (!common_option(&src, &json, help, opt, optarg))
            usage_error("unknown option");
    next = source_operands(&src, argc, argv, optind);
    if (next != argc)
        usage_error("unexpected operand '%s'", argv[next]);
    return run_per_vcpu(&src, NULL, show_vcpu, &json);
}
