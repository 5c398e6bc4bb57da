/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xc-pv-pagetable: walks and mapping dumps of a PV guest's page tables,
 * live (with Xen's page types) or from an xl dump-core file.
 *
 * Walks are all done before anything is printed, so an error (a
 * non-canonical VA, a hostile entry, an unmappable frame) gives exit 1 and
 * no partial output; the table frames of every walk then get their page
 * types in one batched call. A dump prints its runs as they come.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

#define MIB UINT64_C(0x100000)
#define GIB UINT64_C(0x40000000)

/* What the command line asks for. */
struct request {
    const char *core; /* --core FILE, NULL: a live domain */
    uint32_t domid;
    unsigned int vcpu;
    bool user, json, dump;
    const char *range;             /* --dump's START-END, NULL: everything */
    uint64_t dump_start, dump_end; /* dump_end 0: the top */
    uint64_t *vas;
    unsigned int nr_vas;
};

/* Where the frames come from. */
struct target {
    const void *image; /* the core file, mapped */
    size_t len;
    xcx_core *core;
    xcx_handle *h;
    xcx_pv_domain *pv;
    struct xcx_pv_guest g;
    unsigned int width;
    uint64_t root;
};

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
           "Exit status: 0 success, 1 error, 2 usage.\n",
           prog, prog, prog, prog);
}

/* ------------------------------------------------------------------------ */
/* Names and numbers                                                         */
/* ------------------------------------------------------------------------ */

static const char *page_size_name(uint64_t size)
{
    return size == GIB ? "1 GiB" : size == 2 * MIB ? "2 MiB" : "4 KiB";
}

static const char *cache_name(unsigned int type)
{
    const char *name = xcx_mem_type_name(type);

    return name ? name : "?";
}

/* The flags of @flags by their names, separated by @sep. */
static void print_flags(FILE *out, uint32_t flags, const char *sep,
                        const char *quote)
{
    bool first = true;

    for (uint32_t bit = 1; bit <= XCX_PTE_NX; bit <<= 1) {
        if (!(flags & bit) || !xcx_pte_flag_name(bit))
            continue;
        fprintf(out, "%s%s%s%s", first ? "" : sep, quote,
                xcx_pte_flag_name(bit), quote);
        first = false;
    }
}

/* An exclusive end: 0 stands for 2^64. */
static void print_end(FILE *out, uint64_t end, const char *quote)
{
    if (end)
        fprintf(out, "%s0x%" PRIx64 "%s", quote, end, quote);
    else
        fprintf(out, "%s0x10000000000000000%s", quote, quote);
}

static const char *area_name(unsigned int area)
{
    return area == XCX_PV_AREA_XEN_RO ? "xen-readonly"
           : area == XCX_PV_AREA_XEN  ? "xen-reserved"
                                      : "guest";
}

static const char *table_type_name(const struct xcx_page_type *t)
{
    static const char *const names[] = {"none", "L1", "L2", "L3", "L4"};

    return t->invalid ? "invalid" : t->level <= 4 ? names[t->level] : "?";
}

/* "START-END" or "START-": [START, END), END 0 for the top. */
static void parse_range(struct request *rq, const char *s)
{
    const char *dash = strchr(s, '-');
    char start[32];

    if (!dash || (size_t)(dash - s) >= sizeof(start))
        goto bad;
    memcpy(start, s, dash - s);
    start[dash - s] = '\0';
    if (!parse_u64(start, &rq->dump_start))
        goto bad;
    if (!dash[1]) {
        rq->dump_end = 0;
        return;
    }
    if (!parse_u64(dash + 1, &rq->dump_end) || rq->dump_end <= rq->dump_start)
        goto bad;
    return;
bad:
    usage_error("invalid range '%s' (START-END with END above START, or "
                "START- for up to the top)",
                s);
}

/* ------------------------------------------------------------------------ */
/* Opening the guest                                                         */
/* ------------------------------------------------------------------------ */

static int open_core(struct target *t, const struct request *rq,
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

static int open_live(struct target *t, const struct request *rq,
                     xentoollog_logger *lg)
{
    t->h = xcx_open(lg, 0);
    if (!t->h)
        return -1;
    t->pv = xcx_pv_open(t->h, rq->domid);
    if (!t->pv)
        return -1;
    xcx_pv_guest(t->pv, &t->g);
    t->width = xcx_pv_width(t->pv);
    return xcx_pv_root(t->pv, rq->vcpu, rq->user, &t->root);
}

static void close_target(struct target *t)
{
    xcx_pv_close(t->pv);
    xcx_close(t->h);
    xcx_core_close(t->core);
    unmap_file(t->image, t->len);
}

/* ------------------------------------------------------------------------ */
/* Walks                                                                     */
/* ------------------------------------------------------------------------ */

/* Page types of the table frames of every walk: one batched call, the
 * frames sorted and each once. */
struct types {
    uint64_t *mfns;
    struct xcx_page_type *types;
    size_t n;
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

static const struct xcx_page_type *type_of(const struct types *ty, uint64_t mfn)
{
    const uint64_t *hit;

    if (!ty)
        return NULL;
    hit = bsearch(&mfn, ty->mfns, ty->n, sizeof(mfn), cmp_u64);
    return hit ? &ty->types[hit - ty->mfns] : NULL;
}

static int read_types(struct target *t, const struct xcx_pv_walk *walks,
                      unsigned int nr, struct types *ty)
{
    size_t max = 4 * (size_t)nr, n = 0;

    ty->mfns = calloc(max ? max : 1, sizeof(*ty->mfns));
    ty->types = calloc(max ? max : 1, sizeof(*ty->types));
    if (!ty->mfns || !ty->types) {
        fprintf(stderr, "%s: %s\n", prog, strerror(ENOMEM));
        return -1;
    }
    for (unsigned int i = 0; i < nr; i++)
        for (unsigned int l = 0; l < walks[i].nr_levels; l++)
            ty->mfns[n++] = walks[i].levels[l].table_mfn;
    qsort(ty->mfns, n, sizeof(*ty->mfns), cmp_u64);
    for (size_t i = 0; i < n; i++)
        if (!ty->n || ty->mfns[i] != ty->mfns[ty->n - 1])
            ty->mfns[ty->n++] = ty->mfns[i];
    return xcx_pv_page_types(t->pv, ty->mfns, ty->n, ty->types);
}

static void json_frame(const char *key, uint64_t v, bool valid)
{
    if (valid)
        printf(",\"%s\":\"0x%" PRIx64 "\"", key, v);
    else
        printf(",\"%s\":null", key);
}

static void json_level(const struct xcx_pv_level *lv, bool present,
                       const struct types *ty)
{
    const struct xcx_page_type *pt = type_of(ty, lv->table_mfn);

    printf("{\"level\":%u,\"index\":%u,\"entry\":\"0x%" PRIx64
           "\",\"table_mfn\":\"0x%" PRIx64 "\"",
           lv->level, lv->index, lv->entry, lv->table_mfn);
    json_frame("mfn", lv->mfn, present);
    json_frame("pfn", lv->pfn, present && lv->pfn_valid);
    printf(",\"flags\":[");
    print_flags(stdout, lv->flags, ",", "\"");
    printf("]");
    if (pt)
        printf(",\"table_type\":\"%s\",\"pinned\":%s", table_type_name(pt),
               pt->pinned ? "true" : "false");
    printf("}");
}

/* A level's entry is present unless it is where a walk stopped. */
static bool level_present(const struct xcx_pv_walk *w, unsigned int l)
{
    return w->mapped || l + 1 < w->nr_levels;
}

static void json_walk(const struct request *rq, const struct xcx_pv_walk *w,
                      uint64_t root, const struct types *ty)
{
    printf("{\"va\":\"0x%" PRIx64 "\",\"vcpu\":%u,\"root\":\"%s\","
           "\"root_mfn\":\"0x%" PRIx64 "\",\"mapped\":%s,\"levels\":[",
           w->va, rq->vcpu, rq->user ? "user" : "kernel", root,
           w->mapped ? "true" : "false");
    for (unsigned int l = 0; l < w->nr_levels; l++) {
        if (l)
            printf(",");
        json_level(&w->levels[l], level_present(w, l), ty);
    }
    printf("]");
    if (w->mapped) {
        json_frame("mfn", w->mfn, true);
        json_frame("pfn", w->pfn, w->pfn_valid);
        json_frame("maddr", w->maddr, true);
        json_frame("paddr", w->paddr, w->pfn_valid);
        printf(",\"page_size\":\"0x%" PRIx64 "\",\"writable\":%s,"
               "\"user\":%s,\"nx\":%s,\"pat_index\":%u,\"cache\":\"%s\"",
               w->page_size, w->writable ? "true" : "false",
               w->user ? "true" : "false", w->nx ? "true" : "false",
               w->pat_index, cache_name(w->cache));
    } else {
        printf(",\"stop_level\":%u", w->stop_level);
        if (w->area != XCX_PV_AREA_GUEST)
            printf(",\"area\":\"%s\"", area_name(w->area));
    }
    printf("}\n");
}

static void plain_level(const struct xcx_pv_level *lv, bool present,
                        const struct types *ty)
{
    const struct xcx_page_type *pt = type_of(ty, lv->table_mfn);

    printf("  L%u[%3u] 0x%016" PRIx64 " ", lv->level, lv->index, lv->entry);
    if (!present) {
        printf("not present");
    } else {
        print_flags(stdout, lv->flags, " ", "");
        printf(" -> mfn 0x%" PRIx64, lv->mfn);
        if (lv->pfn_valid)
            printf(" pfn 0x%" PRIx64, lv->pfn);
        else
            printf(" (not the guest's)");
    }
    if (pt) {
        printf("  [table 0x%" PRIx64 ": %s%s", lv->table_mfn,
               table_type_name(pt), pt->pinned ? " pinned" : "");
        if (pt->level != lv->level)
            printf(", not held as an L%u table", lv->level);
        printf("]");
    }
    printf("\n");
}

static void plain_walk(const struct request *rq, const struct xcx_pv_walk *w,
                       uint64_t root, const struct types *ty)
{
    printf("vcpu %u va 0x%" PRIx64 " (%s root 0x%" PRIx64 ")\n", rq->vcpu,
           w->va, rq->user ? "user" : "kernel", root);
    for (unsigned int l = 0; l < w->nr_levels; l++)
        plain_level(&w->levels[l], level_present(w, l), ty);
    if (w->area == XCX_PV_AREA_XEN_RO) {
        printf("  not mapped: Xen's area, read-only to the guest (M2P)\n");
    } else if (w->area == XCX_PV_AREA_XEN) {
        printf("  not mapped: Xen's reserved area\n");
    } else if (!w->mapped) {
        printf("  not mapped: L%u entry %u not present\n", w->stop_level,
               w->levels[w->nr_levels - 1].index);
    } else {
        printf("  %s page: mfn 0x%" PRIx64, page_size_name(w->page_size),
               w->mfn);
        if (w->pfn_valid)
            printf(" pfn 0x%" PRIx64 ", maddr 0x%" PRIx64 " paddr 0x%" PRIx64,
                   w->pfn, w->maddr, w->paddr);
        else
            printf(" (not the guest's), maddr 0x%" PRIx64, w->maddr);
        printf(", %s %s %s, cache %s\n", w->writable ? "RW" : "RO",
               w->user ? "user" : "kernel", w->nx ? "NX" : "executable",
               cache_name(w->cache));
    }
}

/* A VA the walker would refuse as EINVAL, before anything is printed. */
static int check_vas(const struct target *t, const struct request *rq)
{
    for (unsigned int i = 0; i < rq->nr_vas; i++) {
        if (xcx_pv_area_of(t->width, rq->vas[i]) == XCX_PV_AREA_NONCANON) {
            fprintf(stderr, "%s: VA 0x%" PRIx64 " %s: %s\n", prog, rq->vas[i],
                    t->width == 8 ? "is not canonical"
                                  : "is above 4 GiB for a 32-bit guest",
                    strerror(EINVAL));
            return -1;
        }
    }
    return 0;
}

static int do_walks(struct target *t, const struct request *rq,
                    xentoollog_logger *lg)
{
    struct xcx_pv_walk *walks = calloc(rq->nr_vas, sizeof(*walks));
    struct types ty = {0};
    int rc = -1;

    if (!walks || check_vas(t, rq))
        goto out;
    for (unsigned int i = 0; i < rq->nr_vas; i++)
        if (xcx_pv_walk(&t->g, t->root, rq->vas[i], &walks[i], lg))
            goto out;
    if (t->pv && read_types(t, walks, rq->nr_vas, &ty))
        goto out;
    for (unsigned int i = 0; i < rq->nr_vas; i++) {
        if (rq->json)
            json_walk(rq, &walks[i], t->root, t->pv ? &ty : NULL);
        else
            plain_walk(rq, &walks[i], t->root, t->pv ? &ty : NULL);
    }
    rc = 0;
out:
    free(ty.mfns);
    free(ty.types);
    free(walks);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Dumps                                                                     */
/* ------------------------------------------------------------------------ */

/* A dump's state: the guest read through a counting wrapper, for the
 * progress line. */
struct dumper {
    const struct request *rq;
    unsigned int width;
    const struct xcx_pv_guest *inner;
    unsigned long frames, runs;
    uint64_t va; /* where the dump is */
    bool progress;
    struct timespec start, shown;
    bool showing;
};

static const void *counting_read(void *arg, uint64_t mfn)
{
    struct dumper *d = arg;

    d->frames++;
    return d->inner->read_frame(d->inner->arg, mfn);
}

static int passing_m2p(void *arg, uint64_t mfn, uint64_t *pfn)
{
    const struct dumper *d = arg;

    return d->inner->m2p(d->inner->arg, mfn, pfn);
}

static void passing_prefetch(void *arg, const uint64_t *mfns, size_t n)
{
    const struct dumper *d = arg;

    d->inner->prefetch(d->inner->arg, mfns, n);
}

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) +
           (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* After a second, at most four times a second: where the dump is. */
static void progress(struct dumper *d)
{
    struct timespec now;

    if (!d->progress)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (since(&d->start, &now) < 1.0 ||
        (d->showing && since(&d->shown, &now) < 0.25))
        return;
    fprintf(stderr,
            "\r\033[K%s: dumping: at 0x%" PRIx64 ", %lu tables read, %lu "
            "runs\r",
            prog, d->va, d->frames, d->runs);
    d->shown = now;
    d->showing = true;
}

/* 16K, 2M, 12G...: the largest unit that divides @bytes, as ptdump; 0
 * is the whole 2^64. */
static const char *size_text(uint64_t bytes, char *buf, size_t len)
{
    static const char units[] = "KMGTPE";
    unsigned int u = 0;

    if (!bytes)
        return "16E";
    bytes >>= 10;
    while (!(bytes & 1023) && bytes && units[u + 1]) {
        bytes >>= 10;
        u++;
    }
    snprintf(buf, len, "%" PRIu64 "%c", bytes, units[u]);
    return buf;
}

static void plain_run(const struct dumper *d, const struct xcx_pv_run *r)
{
    int digits = d->width == 8 ? 16 : 8;
    char size[32], page[32];

    printf("0x%0*" PRIx64 "-", digits, r->va_start);
    if (r->va_end)
        printf("0x%0*" PRIx64, digits, r->va_end);
    else
        print_end(stdout, 0, "");
    printf("%9s %-4s %s %s %s %s %s %s %s %-3s",
           size_text(r->va_end - r->va_start, size, sizeof(size)),
           size_text(r->page_size, page, sizeof(page)),
           r->flags & XCX_PTE_RW ? "RW" : "ro",
           r->flags & XCX_PTE_US ? "USR" : "   ",
           r->flags & XCX_PTE_PWT ? "PWT" : "   ",
           r->flags & XCX_PTE_PCD ? "PCD" : "   ",
           r->flags & XCX_PTE_PSE ? "PSE" : "   ",
           r->flags & XCX_PTE_G ? "GLB" : "   ",
           r->flags & XCX_PTE_NX ? "NX" : "x ", cache_name(r->cache));
    if (r->pfn_valid)
        printf(" pfn 0x%" PRIx64, r->pfn_start);
    else
        printf(" mfn 0x%" PRIx64 " (not the guest's)", r->mfn_start);
    if (r->alias)
        printf(" alias of 0x%0*" PRIx64 " (table mfn 0x%" PRIx64 ")", digits,
               r->alias_va, r->mfn_start);
    printf("\n");
}

static void json_run(const struct xcx_pv_run *r)
{
    printf("{\"va_start\":\"0x%" PRIx64 "\",\"va_end\":", r->va_start);
    print_end(stdout, r->va_end, "\"");
    json_frame("pfn_start", r->pfn_start, r->pfn_valid);
    json_frame("mfn_start", r->mfn_start, true);
    printf(",\"page_size\":\"0x%" PRIx64 "\",\"flags\":[", r->page_size);
    print_flags(stdout, r->flags, ",", "\"");
    printf("],\"cache\":\"%s\"", cache_name(r->cache));
    if (r->alias)
        printf(",\"alias_va\":\"0x%" PRIx64 "\"", r->alias_va);
    printf("}\n");
}

static int on_run(void *arg, const struct xcx_pv_run *r)
{
    struct dumper *d = arg;

    d->runs++;
    d->va = r->va_start;
    if (d->rq->json)
        json_run(r);
    else
        plain_run(d, r);
    progress(d);
    return ferror(stdout) ? -1 : 0;
}

static int do_dump(struct target *t, const struct request *rq,
                   xentoollog_logger *lg)
{
    struct dumper d = {
        .rq = rq,
        .width = t->width,
        .inner = &t->g,
        .progress = isatty(STDERR_FILENO) && !isatty(STDOUT_FILENO),
    };
    struct xcx_pv_guest g = {
        .width = t->g.width,
        .max_mfn = t->g.max_mfn,
        .read_frame = counting_read,
        .m2p = passing_m2p,
        .prefetch = t->g.prefetch ? passing_prefetch : NULL,
        .arg = &d,
    };
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &d.start);
    rc = xcx_pv_dump(&g, t->root, rq->dump_start, rq->dump_end, on_run, &d, lg);
    if (d.showing)
        fprintf(stderr, "\033[K");
    return rc;
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

/* A lone operand after --dump that looks like START-END is the range. */
static bool looks_like_range(const char *s)
{
    return s[0] != '-' && strchr(s, '-');
}

static void parse_command_line(struct request *rq, int argc, char **argv)
{
    int opt, next;

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
        rq->domid = domid_argument(argv[next++]);
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
    struct request rq = {0};
    struct target t = {0};
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
    if (rq.dump ? do_dump(&t, &rq, (xentoollog_logger *)lg)
                : do_walks(&t, &rq, (xentoollog_logger *)lg))
        goto out;
    rc = EXIT_OK;
out:
    close_target(&t);
    xtl_logger_destroy((xentoollog_logger *)lg);
    free(rq.vas);
    return finish_output(rc);
}
