/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xc-hvm-pagetable: walks and mapping dumps of an HVM/PVH guest's page
 * tables, VA to GPA, from a vCPU's CR0/CR3/CR4/EFER (its CPU save record),
 * with each mapping's PAT index and the guest PAT entry it selects (the
 * vCPU's IA32_PAT from its MTRR record).
 *
 * Walks are all done before anything is printed, so an error gives exit 1
 * and no partial output. A dump prints its runs as they come.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

struct request {
    uint32_t domid;
    unsigned int vcpu;
    bool json, dump;
    const char *range;
    uint64_t dump_start, dump_end;
    uint64_t *vas;
    unsigned int nr_vas;
};

struct target {
    xcx_handle *h;
    xcx_hvm_domain *d;
    struct xcx_hvm_guest g;
    struct xcx_hvm_cpu cpu;
    uint64_t pat; /* the vCPU's IA32_PAT */
    const struct request *rq;
    /* Effective types: every vCPU's MTRR map, Xen's facts of the host and
     * domain (the domain's IOMMU and I/O permissions stay uncertain: Xen
     * does not tell them). eff_ok false: facts unavailable, not shown. */
    struct xcx_eff_inputs in;
    xcx_mtrr_map **maps;
    unsigned int nr_maps;
    bool eff_ok;
};

static void help(void)
{
    printf("Usage: %s [options] DOMID VA...\n"
           "       %s [options] --dump[=START-END] DOMID\n"
           "Walk an HVM/PVH guest's page tables for each virtual address, or "
           "dump its\nmappings, with the PAT index and guest PAT type of "
           "each.\n\n"
           "  -v, --vcpu N             the vCPU whose CR3 to use (default "
           "0)\n"
           "  -d, --dump[=START-END]   every mapping in [START, END) (END "
           "may be left\n"
           "                           out: to the top), default the whole "
           "space\n"
           "  -j, --json               JSON Lines output\n"
           "  -h, --help               this text\n"
           "  -V, --version            the version\n\n"
           "Exit status: 0 success, 1 error, 2 usage.\n",
           prog, prog);
}

/* The guest PAT entry of @index: its name, "?" when it is no type. */
static const char *pat_type_name(uint64_t pat, unsigned int index)
{
    uint8_t type;

    if (xcx_pat_entry(pat, index, &type))
        return "?";
    return xcx_mem_type_name(type);
}

/* The effective type of an access to @gpa with @pat_index; "?" with a
 * message when it cannot be computed. */
static const char *effective_name(const struct target *t, uint64_t gpa,
                                  unsigned int pat_index, bool *reliable)
{
    struct xcx_effective r;

    *reliable = false;
    if (!t->eff_ok || xcx_effective_type(&t->in, gpa, pat_index, &r, NULL))
        return "?";
    *reliable = r.reliable;
    return xcx_mem_type_name(r.effective);
}

/* The next GPA after @gpa where some vCPU's MTRR type may change. */
static uint64_t next_boundary(const struct target *t, uint64_t gpa,
                              uint64_t end)
{
    struct xcx_mtrr_map_entry e;

    for (unsigned int v = 0; v < t->nr_maps; v++)
        for (size_t i = 0; !xcx_mtrr_map_entry(t->maps[v], i, &e); i++)
            if (e.start <= gpa && gpa < e.end && e.end < end)
                end = e.end;
    return end;
}

static void print_flags(uint32_t flags)
{
    for (uint32_t bit = 1; bit <= XCX_PTE_NX; bit <<= 1)
        if (flags & bit)
            printf(" %s", xcx_pte_flag_name(bit));
}

static void print_walk_text(const struct target *t,
                            const struct xcx_hvm_walk *w)
{
    printf("vcpu %u va 0x%" PRIx64 " (%s): ", t->rq->vcpu, w->va,
           xcx_paging_mode_name(w->mode));
    if (!w->mapped)
        printf("not mapped (level-%u entry not present)\n", w->stop_level);
    else {
        bool rel;
        const char *eff = effective_name(t, w->gpa, w->pat_index, &rel);

        printf("gpa 0x%" PRIx64 " page 0x%" PRIx64 "%s%s%s pat_index %u "
               "pat_type %s%s effective %s%s\n",
               w->gpa, w->page_size, w->writable ? " RW" : " RO",
               w->user ? " US" : "", w->nx ? " NX" : "", w->pat_index,
               w->pat_used ? pat_type_name(t->pat, w->pat_index) : "WB",
               w->pat_used ? "" : " (paging off)", eff,
               rel ? "" : " (unreliable)");
    }
    for (unsigned int i = 0; i < w->nr_levels; i++) {
        const struct xcx_hvm_level *lv = &w->levels[i];

        printf("  level %u table 0x%" PRIx64 " [%u] = 0x%016" PRIx64 ":",
               lv->level, lv->table_gpa, lv->index, lv->entry);
        print_flags(lv->flags);
        putchar('\n');
    }
}

static void print_walk_json(const struct target *t,
                            const struct xcx_hvm_walk *w)
{
    printf("{\"domid\":%u,\"vcpu\":%u,\"va\":\"0x%" PRIx64 "\",\"mode\":\"%s\","
           "\"mapped\":%s",
           t->rq->domid, t->rq->vcpu, w->va, xcx_paging_mode_name(w->mode),
           w->mapped ? "true" : "false");
    if (w->mapped) {
        bool rel;
        const char *eff = effective_name(t, w->gpa, w->pat_index, &rel);

        printf(",\"effective\":\"%s\",\"reliable\":%s", eff,
               rel ? "true" : "false");
    }
    if (w->mapped)
        printf(",\"gpa\":\"0x%" PRIx64 "\",\"page_size\":%" PRIu64
               ",\"writable\":%s,\"user\":%s,\"nx\":%s,\"pat_used\":%s,"
               "\"pat_index\":%u,\"pat_type\":\"%s\"",
               w->gpa, w->page_size, w->writable ? "true" : "false",
               w->user ? "true" : "false", w->nx ? "true" : "false",
               w->pat_used ? "true" : "false", w->pat_index,
               w->pat_used ? pat_type_name(t->pat, w->pat_index) : "WB");
    else
        printf(",\"stop_level\":%u", w->stop_level);
    printf(",\"levels\":[");
    for (unsigned int i = 0; i < w->nr_levels; i++)
        printf("%s{\"level\":%u,\"index\":%u,\"table\":\"0x%" PRIx64
               "\",\"entry\":\"0x%" PRIx64 "\"}",
               i ? "," : "", w->levels[i].level, w->levels[i].index,
               w->levels[i].table_gpa, w->levels[i].entry);
    printf("]}\n");
}

static int walks(struct target *t, xentoollog_logger *lg)
{
    struct xcx_hvm_walk *w = calloc(t->rq->nr_vas, sizeof(*w));

    if (!w)
        return -1;
    for (unsigned int i = 0; i < t->rq->nr_vas; i++) {
        xcx_hvm_forget_frames(t->d); /* each walk reads fresh frames */
        if (xcx_hvm_walk(&t->g, &t->cpu, t->rq->vas[i], &w[i], lg)) {
            free(w);
            return -1;
        }
    }
    for (unsigned int i = 0; i < t->rq->nr_vas; i++)
        (t->rq->json ? print_walk_json : print_walk_text)(t, &w[i]);
    free(w);
    return 0;
}

static int print_piece(const struct target *t, const struct xcx_hvm_run *r);

/* A run split where some vCPU's MTRR type changes, so each piece has one
 * effective type (the PAT index and frame facts are the same throughout). */
static int print_run(void *arg, const struct xcx_hvm_run *r)
{
    const struct target *t = arg;
    struct xcx_hvm_run piece = *r;
    uint64_t len = r->va_end - r->va_start;
    uint64_t gpa_end = r->gpa_start + len;

    if (r->alias || !t->eff_ok || gpa_end < r->gpa_start)
        return print_piece(t, r);
    for (uint64_t gpa = r->gpa_start; gpa < gpa_end;) {
        uint64_t next = next_boundary(t, gpa, gpa_end);

        piece.gpa_start = gpa;
        piece.va_start = r->va_start + (gpa - r->gpa_start);
        piece.va_end = r->va_start + (next - r->gpa_start);
        print_piece(t, &piece);
        gpa = next;
    }
    return 0;
}

static int print_piece(const struct target *t, const struct xcx_hvm_run *r)
{
    bool rel = false;
    const char *eff =
        r->alias ? "-" : effective_name(t, r->gpa_start, r->pat_index, &rel);
    const char *pat =
        r->alias ? "-"
                 : (r->pat_used ? pat_type_name(t->pat, r->pat_index) : "WB");

    if (t->rq->json) {
        printf("{\"domid\":%u,\"vcpu\":%u,\"va_start\":\"0x%" PRIx64
               "\",\"va_end\":\"0x%" PRIx64 "\",\"gpa_start\":\"0x%" PRIx64
               "\",\"page_size\":%" PRIu64 ",\"pat_index\":%u,"
               "\"pat_type\":\"%s\",\"effective\":\"%s\",\"reliable\":%s,"
               "\"alias\":%s",
               t->rq->domid, t->rq->vcpu, r->va_start, r->va_end, r->gpa_start,
               r->page_size, r->pat_index, pat, eff, rel ? "true" : "false",
               r->alias ? "true" : "false");
        if (r->alias)
            printf(",\"alias_va\":\"0x%" PRIx64 "\"", r->alias_va);
        printf(",\"flags\":[");
        for (uint32_t bit = 1, n = 0; bit <= XCX_PTE_NX; bit <<= 1)
            if (r->flags & bit)
                printf("%s\"%s\"", n++ ? "," : "", xcx_pte_flag_name(bit));
        printf("]}\n");
        return 0;
    }
    printf("0x%016" PRIx64 "-0x%016" PRIx64 " -> 0x%" PRIx64 " page 0x%" PRIx64,
           r->va_start, r->va_end - 1, r->gpa_start, r->page_size);
    print_flags(r->flags);
    if (r->alias)
        printf(" alias of 0x%" PRIx64 "\n", r->alias_va);
    else
        printf(" pat_index %u %s effective %s%s\n", r->pat_index, pat, eff,
               rel ? "" : " (unreliable)");
    return 0;
}

/* Inputs of the effective types; false (with a note) when Xen does not
 * give the facts: walks are shown without them. */
static bool open_effective(struct target *t, xentoollog_logger *lg)
{
    struct xcx_eff_host_view view;
    struct xcx_mtrr_state *states;
    unsigned int nr;

    xcx_eff_inputs_init(&t->in);
    if (xcx_eff_read_facts(t->h, t->rq->domid, t->rq->vcpu, &t->in, &view) ||
        xcx_mtrr_read_all(t->h, t->rq->domid, 0, &states, &nr))
        return false;
    t->maps = calloc(nr, sizeof(*t->maps));
    t->nr_maps = t->maps ? nr : 0;
    for (unsigned int v = 0; v < t->nr_maps; v++)
        t->maps[v] = xcx_mtrr_map_build(&states[v], lg);
    t->pat = states[t->rq->vcpu < nr ? t->rq->vcpu : 0].regs.pat;
    free(states);
    for (unsigned int v = 0; v < t->nr_maps; v++)
        if (!t->maps[v])
            return false;
    if (!t->maps)
        return false;
    t->in.guest.maps = (const xcx_mtrr_map *const *)t->maps;
    t->in.guest.nr_vcpus = nr;
    t->in.guest.mtrr_fact = (struct xcx_eff_fact){XCX_SRC_RECORD, true};
    t->in.guest.pat = t->pat;
    t->in.guest.pat_fact = t->in.guest.mtrr_fact;
    return true;
}

static int open_target(struct target *t, xentoollog_logger *lg)
{
    struct xcx_mtrr_state st;

    t->h = xcx_open(lg, 0);
    if (!t->h)
        return -1;
    t->d = xcx_hvm_open(t->h, t->rq->domid);
    if (!t->d || xcx_hvm_read_cpu(t->d, t->rq->vcpu, &t->cpu) ||
        xcx_mtrr_read(t->h, t->rq->domid, t->rq->vcpu, 0, &st))
        return -1;
    t->pat = st.regs.pat;
    xcx_hvm_guest(t->d, &t->g);
    t->eff_ok = open_effective(t, lg);
    if (!t->eff_ok)
        fprintf(stderr, "%s: effective types not available (shown as ?)\n",
                prog);
    t->pat = st.regs.pat;
    return 0;
}

static const struct option options[] = {
    {"vcpu", required_argument, NULL, 'v'},
    {"dump", optional_argument, NULL, 'd'},
    {"json", no_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void parse_range(struct request *rq, const char *s)
{
    if (!parse_va_range(s, &rq->dump_start, &rq->dump_end))
        usage_error("invalid range '%s' (START-END with END above START, or "
                    "START- for up to the top)",
                    s);
}

static void parse_vas(struct request *rq, int argc, char **argv, int next)
{
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

static void parse_command_line(struct request *rq, int argc, char **argv)
{
    int opt, next;

    while ((opt = getopt_long(argc, argv, "v:d::jhV", options, NULL)) != -1) {
        if (standard_option(opt, &rq->json, help))
            continue;
        if (opt == 'v') {
            rq->vcpu = vcpu_argument(optarg);
        } else if (opt == 'd') {
            rq->dump = true;
            rq->range = optarg;
        } else {
            usage_error("unknown option");
        }
    }
    next = optind;
    if (next >= argc)
        usage_error("missing DOMID");
    rq->domid = domid_argument(argv[next++]);
    if (!rq->dump)
        return parse_vas(rq, argc, argv, next);
    if (next < argc)
        usage_error("--dump takes no VA ('%s'); give a range as "
                    "--dump=START-END",
                    argv[next]);
    if (rq->range)
        parse_range(rq, rq->range);
}

int main(int argc, char **argv)
{
    struct request rq = {0};
    struct target t = {.rq = &rq};
    xentoollog_logger_stdiostream *lg;
    int rc = EXIT_ERROR;

    prog = "xc-hvm-pagetable";
    parse_command_line(&rq, argc, argv);
    lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (!lg)
        return EXIT_ERROR;
    if (open_target(&t, (xentoollog_logger *)lg))
        goto out;
    if (rq.dump ? xcx_hvm_dump(&t.g, &t.cpu, rq.dump_start, rq.dump_end,
                               print_run, &t, (xentoollog_logger *)lg)
                : walks(&t, (xentoollog_logger *)lg))
        goto out;
    rc = EXIT_OK;
out:
    for (unsigned int v = 0; v < t.nr_maps; v++)
        xcx_mtrr_map_free(t.maps[v]);
    free(t.maps);
    xcx_hvm_close(t.d);
    xcx_close(t.h);
    xtl_logger_destroy((xentoollog_logger *)lg);
    free(rq.vas);
    return finish_output(rc);
}
