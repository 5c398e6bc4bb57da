/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xc-pv-pagetable: walks and mapping dumps of a PV guest's page tables,
 * live (with Xen's page types) or from an xl dump-core file.
 *
 * Walks are all done before anything is printed, so an error (a
 * non-canonical VA, a hostile entry, an unmappable frame) gives exit 1 and
 * no partial output; the table frames of every walk then get their page
 * types in one batched call. A dump prints its runs as they come.
 *
 * This file reads the command line and opens the guest; the walks are in
 * pv_walk_out.c, the dumps in pv_dump_out.c.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "operands.h"
#include "pv.h"

static void help(void)
{
    printf("Usage: %s [options] DOMID VA...\n"
           "       %s [options] --core FILE VA...\n"
           "       %s [options] --dump[=START-END] DOMID\n"
           "       %s [options] --dump[=START-END] --core FILE\n"
           "Walk a PV guest's page tables for each virtual address, or dump "
           "its mappings.\n\n"
           "  -c, --core FILE          read an xl dump-core file, not a live "
           "domain\n"
           "  -v, --vcpu N             the vCPU whose page tables to use "
           "(default 0)\n"
           "  -u, --user               the user root (ctrlreg[1]) of a "
           "64-bit guest\n"
           "  -d, --dump[=START-END]   every mapping in [START, END) (END "
           "may be left\n"
           "                           out: to the top), default all the "
           "guest's space\n"
           "  -j, --json               JSON Lines output\n"
           "  -h, --help               this text\n"
           "  -V, --version            the version\n\n"
           "DOMID: a domain id (digits only) or name, as xl takes it.\n"
           "Exit status: 0 success, 1 error, 2 usage.\n",
           prog, prog, prog, prog);
}

/* ------------------------------------------------------------------------ */
/* Opening the guest                                                         */
/* ------------------------------------------------------------------------ */

static int open_core(struct pv_target *t, const struct pv_request *rq,
                     xentoollog_logger *lg)
{
    if (map_file(rq->core, &t->image, &t->len))
        return -1;
    t->core = xcx_core_open(t->image, t->len, lg);
    if (!t->core) {
        fprintf(stderr, "%s: %s: not a usable xl dump-core file\n", prog,
                rq->core);
        return -1;
    }
    xcx_core_guest(t->core, &t->g);
    t->width = xcx_core_width(t->core);
    return xcx_core_root(t->core, rq->vcpu, rq->user, &t->root);
}

static int open_live(struct pv_target *t, const struct pv_request *rq,
                     xentoollog_logger *lg)
{
    t->h = xcx_open(lg, 0);
    if (!t->h || domain_resolve(t->h, (struct domain_ref *)&rq->domain))
        return -1;
    t->pv = xcx_pv_open(t->h, rq->domain.domid);
    if (!t->pv)
        return -1;
    xcx_pv_guest(t->pv, &t->g);
    t->width = xcx_pv_width(t->pv);
    return xcx_pv_root(t->pv, rq->vcpu, rq->user, &t->root);
}

static void close_target(struct pv_target *t)
{
    xcx_pv_close(t->pv);
    xcx_close(t->h);
    xcx_core_close(t->core);
    unmap_file(t->image, t->len);
}

/* ------------------------------------------------------------------------ */
/* Command line                                                              */
/* ------------------------------------------------------------------------ */

static const struct option options[] = {
    {"core", required_argument, NULL, 'c'},
    {"vcpu", required_argument, NULL, 'v'},
    {"user", no_argument, NULL, 'u'},
    {"dump", optional_argument, NULL, 'd'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* "START-END" or "START-": [START, END), END 0 for the top. */
static void parse_range(struct pv_request *rq, const char *s)
{
    if (!parse_va_range(s, &rq->dump_start, &rq->dump_end))
        usage_error("invalid range '%s' (START-END with END above START, or "
                    "START- for up to the top)",
                    s);
}

/* A lone operand after --dump that looks like START-END is the range. */
static bool looks_like_range(const char *s)
{
    return s[0] != '-' && strchr(s, '-');
}

static void parse_command_line(struct pv_request *rq, int argc, char **argv)
{
    int opt, next;

    static const char *const domid_va[] = {"DOMID", "VA", NULL};
    static const struct operand_names names = {domid_va, domid_va + 1};

    refuse_negative_operands(argc, argv, "c:v:ud::jhV", options, &names);
    while ((opt = getopt_long(argc, argv, "c:v:ud::jhV", options, NULL)) !=
           -1) {
        if (standard_option(opt, &rq->json, help))
            continue;
        switch (opt) {
        case 'c':
            rq->core = optarg;
            break;
        case 'v':
            rq->vcpu = vcpu_argument(optarg);
            break;
        case 'u':
            rq->user = true;
            break;
        case 'd':
            rq->dump = true;
            rq->range = optarg;
            break;
        default:
            usage_error("unknown option");
        }
    }
    next = optind;
    if (!rq->core) {
        if (next >= argc)
            usage_error("missing DOMID (or --core FILE)");
        domain_operand(argv[next++], &rq->domain);
    }
    if (rq->dump) {
        if (!rq->range && next + 1 == argc && looks_like_range(argv[next]))
            rq->range = argv[next++];
        if (next < argc)
            usage_error("--dump takes no VA ('%s'); give a range as "
                        "--dump=START-END",
                        argv[next]);
        if (rq->range)
            parse_range(rq, rq->range);
        return;
    }
    if (next >= argc)
        usage_error("missing VA");
    rq->nr_vas = argc - next;
    rq->vas = calloc(rq->nr_vas, sizeof(*rq->vas));
    if (!rq->vas)
        exit(EXIT_ERROR);
    for (unsigned int i = 0; i < rq->nr_vas; i++)
        if (!parse_u64(argv[next + i], &rq->vas[i]))
            usage_error("invalid VA '%s'", argv[next + i]);
}

int main(int argc, char **argv)
{
    struct pv_request rq = {0};
    struct pv_target t = {0};
    xentoollog_logger_stdiostream *lg;
    int rc = EXIT_ERROR;

    prog = "xc-pv-pagetable";
    parse_command_line(&rq, argc, argv);
    lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (!lg)
        return EXIT_ERROR;
    if (rq.core ? open_core(&t, &rq, (xentoollog_logger *)lg)
                : open_live(&t, &rq, (xentoollog_logger *)lg))
        goto out;
    if (rq.dump ? pv_dump(&t, &rq, (xentoollog_logger *)lg)
                : pv_walks(&t, &rq, (xentoollog_logger *)lg))
        goto out;
    rc = EXIT_OK;
out:
    close_target(&t);
    xtl_logger_destroy((xentoollog_logger *)lg);
    free(rq.vas);
    domain_ref_free(&rq.domain);
    return finish_output(rc);
}
