/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xc-mtrr-type: the MTRR memory type of guest-physical addresses. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "effective_cli.h"
#include "operands.h"

struct query {
    uint64_t *gpas;
    unsigned int count;
    uint64_t size; /* --size, 0: point queries */
    bool json;
};

static void help(void)
{
    printf("Usage: %s [options] DOMID GPA...\n"
           "       %s [options] --context FILE [--replay LOG] GPA...\n"
           "The MTRR memory type of each guest-physical address, as Xen "
           "applies it.\n\n"
           "  -c, --context FILE     read a saved HVM context or xl save "
           "image\n"
           "  -v, --vcpu N           the vCPU to ask (default 0)\n"
           "  -a, --all-vcpus        answer for every vCPU\n"
           "  -w, --maxphysaddr BITS guest physical-address width (32..52)\n"
           "  -r, --replay LOG       with --context: apply a write log of "
           "xc-mtrr-watch\n"
           "      --replay-partial   the log began after the guest booted\n"
           "  -s, --size LEN         type of [GPA, GPA+LEN) and whether it "
           "is uniform\n"
           "  -e, --effective        the memory type the access really gets "
           "(MTRR x EPT/NPT\n"
           "                         x PAT), with the facts it rests on\n"
           "      --pat-index N      with --effective: the PTE's PAT index "
           "(0-7),\n"
           "                         PAT<<2 | PCD<<1 | PWT\n"
           "      --vendor intel|amd with --effective --context: the host's "
           "vendor\n"
           "      --honoured yes|no  with --effective: whether Xen gives the "
           "domain MTRR-based\n"
           "                         EPT types (I/O memory, I/O ports or "
           "devices); needed\n"
           "                         offline, live libxl's saved "
           "configuration says\n"
           "  -j, --json             JSON Lines output\n"
           "  -h, --help             this text\n"
           "  -V, --version          the version\n\n"
           "DOMID: a domain id (digits only) or name, as xl takes it.\n"
           "Exit status: 0 success, 1 error, 2 usage.\n",
           prog, prog);
}

static void describe(const struct xcx_mtrr_state *st,
                     const struct xcx_mtrr_result *r)
{
    uint32_t unknown = ((UINT32_C(1) << st->vcnt) - 1) & ~st->var_known;
    struct xcx_fixed_range fr;
    char list[64];

    switch (r->origin) {
    case XCX_ORIGIN_DISABLED:
        printf(" (MTRRs disabled)");
        break;
    case XCX_ORIGIN_FIXED:
        xcx_mtrr_fixed_range(NULL, r->fixed_index, &fr);
        printf(" (fixed range 0x%x-0x%x)", fr.start, fr.start + fr.size - 1);
        break;
    case XCX_ORIGIN_DEFAULT:
        printf(" (default type)");
        break;
    case XCX_ORIGIN_VARIABLE:
        printf(" (variable pair%s %s", (r->pairs & (r->pairs - 1)) ? "s" : "",
               pair_list(r->pairs, list, sizeof(list)));
        if (r->overlap == XCX_OVERLAP_SAME)
            printf(", same type");
        else if (r->overlap == XCX_OVERLAP_PRECEDENCE)
            printf(", %s by precedence", xcx_mem_type_name(r->type));
        else if (r->overlap == XCX_OVERLAP_UNDEFINED)
            printf(", undefined in the SDM: Xen applies pair %u",
                   31 - __builtin_clz(r->pairs));
        printf(")");
        break;
    }
    if (!r->reliable)
        printf(", unreliable: depends on variable pairs %s, which the save "
               "record does not show",
               pair_list(unknown, list, sizeof(list)));
}

/* @reliable: of the address, or with --size of the whole range. */
static void json_result(const struct xcx_mtrr_result *r, bool reliable)
{
    printf(",\"type\":\"%s\",\"code\":%u,\"origin\":\"%s\",\"overlap\":\"%s\""
           ",\"ranges\":",
           xcx_mem_type_name(r->type), r->type, xcx_mtrr_origin_name(r->origin),
           xcx_mtrr_overlap_name(r->overlap));
    json_pairs(stdout, r->pairs);
    printf(",\"reliable\":%s", reliable ? "true" : "false");
}

static void print_point(unsigned int vcpu, uint64_t gpa,
                        const struct xcx_mtrr_state *st,
                        const struct xcx_mtrr_result *r, bool json)
{
    if (json) {
        printf("{\"gpa\":\"0x%" PRIx64 "\",\"vcpu\":%u", gpa, vcpu);
        domain_json(stdout);
        json_result(r, r->reliable);
        printf("}\n");
        return;
    }
    printf("vcpu %u gpa 0x%" PRIx64 ": %s", vcpu, gpa,
           xcx_mem_type_name(r->type));
    describe(st, r);
    printf("\n");
}

static void print_range(unsigned int vcpu, uint64_t gpa, uint64_t size,
                        const struct xcx_mtrr_state *st,
                        const struct xcx_mtrr_range_result *r, bool json)
{
    if (json) {
        printf("{\"gpa\":\"0x%" PRIx64 "\",\"vcpu\":%u", gpa, vcpu);
        domain_json(stdout);
        json_result(&r->first, r->reliable);
        printf(",\"size\":\"0x%" PRIx64 "\",\"uniform\":%s,\"types\":", size,
               r->uniform ? "true" : "false");
        json_types(stdout, r->types);
        printf("}\n");
        return;
    }
    printf("vcpu %u range 0x%" PRIx64 "+0x%" PRIx64 ": ", vcpu, gpa, size);
    if (r->uniform) {
        printf("%s, uniform", xcx_mem_type_name(r->first.type));
    } else {
        printf("not uniform (");
        for (unsigned int t = 0, n = 0; t < 8; t++)
            if (r->types >> t & 1)
                printf(n++ ? " %s" : "%s", xcx_mem_type_name(t));
        printf("); at its start %s", xcx_mem_type_name(r->first.type));
    }
    describe(st, &r->first);
    if (r->first.reliable && !r->reliable)
        printf(", unreliable further in the range");
    printf("\n");
}

/* Every GPA (and range) must lie below the guest's width: check first. */
static int check_gpas(const struct states *states, void *arg)
{
    const struct query *q = arg;
    const struct xcx_mtrr_state *st = &states->state[0];
    uint64_t end = UINT64_C(1) << st->maxphysaddr;

    for (unsigned int i = 0; i < q->count; i++) {
        uint64_t gpa = q->gpas[i];

        if (gpa >= end || (q->size && q->size > end - gpa)) {
            fprintf(stderr,
                    "%s: %s 0x%" PRIx64 "%s reaches past 2^%u, the guest's "
                    "physical-address width: %s\n",
                    prog, q->size ? "range at" : "gpa", gpa,
                    q->size ? " with --size" : "", st->maxphysaddr,
                    strerror(ERANGE));
            return -1;
        }
    }
    return 0;
}

static int answer_vcpu(unsigned int vcpu, const struct xcx_mtrr_state *st,
                       void *arg, xentoollog_logger *lg)
{
    const struct query *q = arg;
    xcx_mtrr_map *map = NULL;
    int rc = -1;

    if (q->size && !(map = xcx_mtrr_map_build(st, lg)))
        return -1;
    for (unsigned int i = 0; i < q->count; i++) {
        if (q->size) {
            struct xcx_mtrr_range_result r;

            if (xcx_mtrr_map_range(map, q->gpas[i], q->size, &r))
                goto out;
            print_range(vcpu, q->gpas[i], q->size, st, &r, q->json);
        } else {
            struct xcx_mtrr_result r;

            if (xcx_mtrr_resolve(st, q->gpas[i], &r, lg))
                goto out;
            print_point(vcpu, q->gpas[i], st, &r, q->json);
        }
    }
    rc = 0;
out:
    xcx_mtrr_map_free(map);
    return rc;
}

static const struct option options[] = {
    COMMON_LONG_OPTIONS,
    {"size", required_argument, NULL, 's'},
    {"effective", no_argument, NULL, 'e'},
    {"pat-index", required_argument, NULL, 'I'},
    {"vendor", required_argument, NULL, 'D'},
    {"honoured", required_argument, NULL, 'H'},
    {NULL, 0, NULL, 0},
};

/* The options of --effective; false for others. */
static bool effective_option(struct eff_options *e, int opt, const char *arg)
{
    uint64_t v;

    if (opt == 'e') {
        e->on = true;
    } else if (opt == 'I') {
        if (!parse_u64(arg, &v) || v > 7)
            usage_error("invalid PAT index '%s' (0-7)", arg);
        e->pat_index = v;
    } else if (opt == 'D') {
        if (strcmp(arg, "intel") && strcmp(arg, "amd"))
            usage_error("invalid vendor '%s' (intel or amd)", arg);
        e->vendor = strcmp(arg, "intel") ? XCX_VENDOR_AMD : XCX_VENDOR_INTEL;
    } else if (opt == 'H') {
        if (strcmp(arg, "yes") && strcmp(arg, "no"))
            usage_error("invalid --honoured '%s' (yes or no)", arg);
        e->honoured = !strcmp(arg, "yes");
    } else {
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    struct source src = {.offline_ok = true};
    struct eff_options eff = {.pat_index = -1, .honoured = -1};
    struct query q = {0};
    int opt, first, rc;

    prog = "xc-mtrr-type";
    static const char *const domid_gpa[] = {"DOMID", "GPA", NULL};
    static const struct operand_names names = {domid_gpa, domid_gpa + 1};

    refuse_negative_operands(argc, argv, COMMON_SHORT_OPTIONS "s:e", options,
                             &names);
    while ((opt = getopt_long(argc, argv, COMMON_SHORT_OPTIONS "s:e", options,
                              NULL)) != -1) {
        if (common_option(&src, &q.json, help, opt, optarg) ||
            effective_option(&eff, opt, optarg))
            continue;
        if (opt != 's')
            usage_error("unknown option");
        if (!parse_size(optarg, &q.size) || !q.size)
            usage_error("invalid size '%s' (a positive number, K/M/G "
                        "allowed)",
                        optarg);
    }
    first = source_operands(&src, argc, argv, optind);
    if (first >= argc)
        usage_error("missing GPA");
    q.count = argc - first;
    q.gpas = calloc(q.count, sizeof(*q.gpas));
    if (!q.gpas)
        return EXIT_ERROR;
    for (unsigned int i = 0; i < q.count; i++)
        if (!parse_u64(argv[first + i], &q.gpas[i]))
            usage_error("invalid GPA '%s'", argv[first + i]);

    eff_options_check(&eff, &src, q.size);
    if (eff.on)
        rc = eff_run(&src, &eff, q.gpas, q.count, q.json);
    else
        rc = run_per_vcpu(&src, check_gpas, answer_vcpu, &q);
    free(q.gpas);
    return rc;
}
