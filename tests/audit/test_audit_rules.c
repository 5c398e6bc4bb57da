/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-audit-rules DATA_DIR: the findings engine of xc-mtrr-audit
 * (tools/shared/audit_*.c). Every finding is triggered by crafted states and
 * absent from a clean one; severities, vCPUs, pairs and ranges are checked; the
 * committed samples give no warning but the one about Xen honouring types.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "audit_config.h"
#include "ctxbuild.h"

#define W      36
#define GIB(x) ((uint64_t)(x) << 30)
#define MIB(x) ((uint64_t)(x) << 20)

static const char *data_dir;

/* A clean vCPU: default WB with E and FE, fixed ranges WB, pair 0 UC over
 * [3 GiB, 4 GiB), every pair known. */
static void clean_regs(struct xcx_mtrr_regs *r)
{
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .fe = true,
        .fixed_type = XCX_MT_WB,
        .var = {{GIB(3), GIB(1), XCX_MT_UC, 0}},
    };

    ctxb_regs_fill(r, &d);
}

static void state(struct xcx_mtrr_state *st, const struct xcx_mtrr_regs *r,
                  uint32_t known)
{
    assert_int_equal(xcx_mtrr_state_init(st, r, W, known, NULL), 0);
}

/* Facts of a guest of @type ("pvh", "hvm") with 1 GiB of RAM; @honour
 * adds a passthrough device. */
static void facts(struct audit_facts *fx, const char *type, bool honour)
{
    struct libxl_config c = {0};

    snprintf(c.type, sizeof(c.type), "%s", type);
    c.has_max_memkb = true;
    c.max_memkb = 1 << 20;
    c.has_video_memkb = true;
    c.pcidevs = honour;
    audit_facts_from_config(fx, &c, LIBXL_GIVEN, "test.json");
}

static void run(struct audit_report *r, const struct xcx_mtrr_state *st,
                unsigned int n, const struct audit_facts *fx)
{
    const struct audit_subject s = {st, n, fx};

    audit_report_free(r);
    assert_int_equal(audit_run(&s, r), 0);
    /* Sorted: severities never rise. */
    for (size_t i = 1; i < r->n; i++)
        assert_true(r->f[i].severity <= r->f[i - 1].severity);
    for (size_t i = 0; i < r->n; i++) {
        const struct audit_finding *f = &r->f[i];

        assert_true(f->reliable || f->severity == SEV_INFO);
        assert_true(strlen(f->text) > 20);
        assert_int_equal(f->text[strlen(f->text) - 1], '.');
        assert_true(f->nr_vcpus >= 1);
    }
}

/* One test's guest: its vCPUs' registers and states, facts, last report. */
struct guest {
    struct xcx_mtrr_regs regs;
    struct xcx_mtrr_state st[4];
    struct audit_facts fx;
    struct audit_report r;
};

static int setup(void **state)
{
    struct guest *g = calloc(1, sizeof(*g));

    *state = g;
    return g ? 0 : -1;
}

static int teardown(void **state)
{
    struct guest *g = *state;

    audit_report_free(&g->r);
    free(g);
    return 0;
}

/* A clean guest of @type ("pvh", "hvm"), with a passthrough device when
 * @honour. */
static struct guest *begin(void **state, const char *type, bool honour)
{
    struct guest *g = *state;

    audit_report_free(&g->r);
    clean_regs(&g->regs);
    facts(&g->fx, type, honour);
    return g;
}

/* Audit @n vCPUs of g->regs knowing the pairs @known. */
static void audit_regs(struct guest *g, unsigned int n, uint32_t known)
{
    for (unsigned int v = 0; v < n; v++)
        state(&g->st[v], &g->regs, known);
    run(&g->r, g->st, n, &g->fx);
}

static unsigned int count(const struct audit_report *r, const char *id)
{
    unsigned int n = 0;

    for (size_t i = 0; i < r->n; i++)
        n += !strcmp(r->f[i].id, id);
    return n;
}

static const struct audit_finding *find(const struct audit_report *r,
                                        const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->f[i].id, id))
            return &r->f[i];
    fail_msg("no finding %s", id);
    return NULL;
}

/* The findings are exactly one of each of @ids (NULL-terminated). */
static void expect_ids(const struct audit_report *r, const char *const *ids)
{
    size_t n = 0;

    for (; ids[n]; n++)
        if (count(r, ids[n]) != 1)
            fail_msg("%u findings %s, want 1 (of %zu findings)",
                     count(r, ids[n]), ids[n], r->n);
    if (r->n != n) {
        for (size_t i = 0; i < r->n; i++)
            print_message("finding %s: %s\n", r->f[i].id, r->f[i].text);
        fail_msg("%zu findings, want %zu", r->n, n);
    }
}

static void expect_range(const struct audit_finding *f, unsigned int i,
                         uint64_t start, uint64_t end, int type)
{
    assert_true(i < f->nr_ranges);
    assert_int_equal(f->ranges[i].start, start);
    assert_int_equal(f->ranges[i].end, end);
    assert_int_equal(f->ranges[i].type, type);
}

static void expect_vcpus(const struct audit_finding *f,
                         const unsigned int *want, unsigned int n)
{
    assert_int_equal(f->nr_vcpus, n);
    assert_memory_equal(f->vcpus, want, n * sizeof(*want));
}

static bool says(const struct audit_finding *f, const char *words)
{
    if (strstr(f->text, words))
        return true;
    print_message("text: %s\n", f->text);
    return false;
}

/* ------------------------------------------------------------------------ */

static void test_clean(void **state)
{
    static const char *const only_honour[] = {ID_HONOUR, NULL};
    static const char *const offline[] = {ID_HONOUR, ID_LAYOUT_UNKNOWN, NULL};
    static const unsigned int all4[] = {0, 1, 2, 3};
    struct guest *g = begin(state, "pvh", false);
    const struct audit_finding *f;

    audit_regs(g, 4, 0xff);
    expect_ids(&g->r, only_honour);
    f = find(&g->r, ID_HONOUR);
    assert_int_equal(f->severity, SEV_INFO);
    assert_int_equal(f->honoured, HONOUR_NO);
    assert_true(f->has_source);
    expect_vcpus(f, all4, 4);
    assert_true(says(f, "Xen ignores this guest's MTRR types"));
    assert_true(says(f, "the libxl configuration test.json has no pcidevs"));

    /* Offline, no configuration: the honour question cannot be answered
     * (only info: nothing is wrong) and the layout is unknown. */
    audit_facts_none(&g->fx, "no facts here");
    g->fx.offline = true;
    audit_regs(g, 1, 0xff);
    expect_ids(&g->r, offline);
    f = find(&g->r, ID_HONOUR);
    assert_int_equal(f->severity, SEV_INFO);
    assert_int_equal(f->honoured, HONOUR_UNKNOWN);
    assert_false(f->has_source);
    assert_true(says(f, "cannot be determined"));
    assert_true(says(f, "no facts here"));
    f = find(&g->r, ID_LAYOUT_UNKNOWN);
    assert_int_equal(f->severity, SEV_INFO);
    assert_true(says(f, "cannot be known"));
    assert_true(says(f, "no facts here"));
}

/* vCPU 1 has @other, vCPUs 0 and 2 g->regs, knowing @known. */
static void audit_odd_one(struct guest *g, const struct xcx_mtrr_regs *other,
                          unsigned int n, uint32_t known)
{
    state(&g->st[0], &g->regs, known);
    state(&g->st[1], other, known);
    state(&g->st[2], &g->regs, known);
    run(&g->r, g->st, n, &g->fx);
}

static void test_vcpu_mismatch(void **state)
{
    static const unsigned int v01[] = {0, 1};
    struct guest *g = begin(state, "pvh", false);
    struct xcx_mtrr_regs other = g->regs;
    const struct audit_finding *f;

    other.def_type = (other.def_type & ~0xffu) | XCX_MT_UC;
    audit_odd_one(g, &other, 3, 0xff);
    assert_int_equal(count(&g->r, ID_VCPU_MISMATCH), 1);
    f = find(&g->r, ID_VCPU_MISMATCH);
    assert_ptr_equal(f, &g->r.f[0]); /* the only error, first */
    assert_int_equal(f->severity, SEV_ERROR);
    assert_true(f->reliable);
    expect_vcpus(f, v01, 2);
    assert_int_equal(f->nr_registers, 1);
    assert_string_equal(f->registers[0], "MTRRdefType");
    assert_true(says(f, "vCPU 1 differs from vCPU 0 in MTRRdefType"));
    /* Where the types differ: vCPU 1's UC against vCPU 0's WB. */
    expect_range(f, 0, 0x100000, GIB(3), XCX_MT_UC);
    assert_int_equal(f->ranges[0].ref_type, XCX_MT_WB);
    expect_range(f, 1, GIB(4), UINT64_C(1) << W, XCX_MT_UC);
    assert_int_equal(f->nr_ranges, 2);

    /* PAT and a known pair: named, no type differs for PAT. */
    other = g->regs;
    other.pat = 0x0606060606060606;
    other.var[1].base = GIB(8) | XCX_MT_WB;
    other.var[1].mask = ctxb_mask(GIB(1), W);
    audit_odd_one(g, &other, 2, 0xff);
    f = find(&g->r, ID_VCPU_MISMATCH);
    assert_int_equal(f->nr_registers, 2);
    assert_string_equal(f->registers[0], "pair 1");
    assert_string_equal(f->registers[1], "PAT");
    assert_true(says(f, "in pair 1 and PAT"));
    assert_int_equal(f->nr_ranges, 0); /* WB over the default WB */

    /* A pair neither record can show does not count. */
    other = g->regs;
    other.var[3].base = GIB(8) | XCX_MT_WB;
    other.var[3].mask = ctxb_mask(GIB(1), W);
    audit_odd_one(g, &other, 2, 0x01);
    assert_int_equal(count(&g->r, ID_VCPU_MISMATCH), 0);

    /* E clear on both: Xen compares no other MTRR; one class. */
    g->regs.def_type &= ~(uint64_t)XCX_MTRR_DEF_E;
    other = g->regs;
    other.fixed[2] = 0;
    audit_odd_one(g, &other, 2, 0xff);
    assert_int_equal(count(&g->r, ID_VCPU_MISMATCH), 0);
    expect_vcpus(find(&g->r, ID_DISABLED), v01, 2);
}

static void test_undefined_overlap(void **state)
{
    struct guest *g = begin(state, "pvh", false);
    const struct audit_finding *f;

    ctxb_set_var(&g->regs, 1, GIB(2), MIB(256), XCX_MT_WC, W);
    ctxb_set_var(&g->regs, 2, GIB(2), MIB(128), XCX_MT_WB, W);
    audit_regs(g, 1, 0xff);
    f = find(&g->r, ID_UNDEFINED);
    assert_int_equal(count(&g->r, ID_UNDEFINED), 1);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_int_equal(f->pairs, 0x6);
    expect_range(f, 0, GIB(2), GIB(2) + MIB(128), XCX_MT_WB);
    assert_true(says(f, "pairs 1 (WC) and 2 (WB) overlap"));
    assert_true(says(f, "pair 2's WB"));

    /* The SDM's precedence (UC wins, WT with WB is WT) is no finding. */
    ctxb_set_var(&g->regs, 1, GIB(2), MIB(256), XCX_MT_WT, W);
    ctxb_set_var(&g->regs, 3, MIB(512), MIB(512), XCX_MT_WB, W);
    ctxb_set_var(&g->regs, 4, MIB(512), MIB(256), XCX_MT_UC, W);
    audit_regs(g, 1, 0xff);
    assert_int_equal(count(&g->r, ID_UNDEFINED), 0);

    /* With pairs the record cannot show, the finding is unreliable. */
    clean_regs(&g->regs);
    ctxb_set_var(&g->regs, 1, GIB(2), MIB(256), XCX_MT_WC, W);
    ctxb_set_var(&g->regs, 2, GIB(2), MIB(128), XCX_MT_WT, W);
    audit_regs(g, 1, 0x07);
    f = find(&g->r, ID_UNDEFINED);
    assert_int_equal(f->severity, SEV_INFO);
    assert_false(f->reliable);
    assert_true(says(f, "may change this"));
}

static void test_disabled(void **state)
{
    static const char *const ids[] = {ID_DISABLED, ID_HONOUR, NULL};
    struct guest *g = begin(state, "pvh", true);
    const struct audit_finding *f;

    /* UC fixed ranges over RAM would be a finding, were E set. */
    g->regs.fixed[0] = 0;
    g->regs.def_type = XCX_MTRR_DEF_FE | XCX_MT_WB;
    audit_regs(g, 1, 0xff);
    expect_ids(&g->r, ids);
    f = find(&g->r, ID_DISABLED);
    assert_int_equal(f->severity, SEV_WARNING);
    expect_range(f, 0, 0, UINT64_C(1) << W, XCX_MT_UC);
    assert_true(says(f, "MTRRdefType 0x0000000000000406 has E clear"));
    assert_true(says(f, "while it runs"));

    g->fx.paused = true;
    audit_regs(g, 1, 0xff);
    f = find(&g->r, ID_DISABLED);
    assert_int_equal(f->severity, SEV_INFO);
    assert_true(says(f, "the domain is paused"));

    g->fx.paused = false;
    g->fx.offline = true;
    audit_regs(g, 1, 0xff);
    assert_true(says(find(&g->r, ID_DISABLED), "in this context"));
}

static void test_unknown_pairs(void **state)
{
    static const char *const ids[] = {ID_UNKNOWN_PAIRS, ID_HONOUR, NULL};
    struct guest *g = begin(state, "pvh", false);
    const struct audit_finding *f;

    ctxb_copy_pair0(&g->regs);
    audit_regs(g, 1, 0x01);
    expect_ids(&g->r, ids);
    f = find(&g->r, ID_UNKNOWN_PAIRS);
    assert_int_equal(f->severity, SEV_INFO);
    assert_int_equal(f->pairs, 0xfe);
    assert_true(says(f, "Variable pairs 1-7 cannot be known"));
    assert_true(says(f, "xl create -p"));
    assert_true(says(f, "xc-mtrr-watch --from-start"));
}

static void test_misaligned(void **state)
{
    struct guest *g = begin(state, "pvh", false);
    const struct audit_finding *f;

    g->regs.var[1].base = (GIB(2) + MIB(1)) | XCX_MT_WT;
    g->regs.var[1].mask = ctxb_mask(GIB(1), W);
    audit_regs(g, 1, 0xff);
    assert_int_equal(count(&g->r, ID_MISALIGNED), 1);
    f = find(&g->r, ID_MISALIGNED);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_int_equal(f->pairs, 0x2);
    expect_range(f, 0, GIB(2), GIB(3), XCX_MT_WT);
    assert_true(says(f, "Pair 1's base 0x80100000 is not aligned to its "
                        "size 1 GiB"));
}

/*
 * With MTRRs disabled Xen compares no pair, so vCPUs whose pair 1 differs
 * share a class: a finding on pair 1 names only the vCPUs on which that
 * pair is what it says.
 */
static void test_pair_vcpus(void **fixture)
{
    static const unsigned int v02[] = {0, 2}, v1[] = {1};
    struct guest *g = begin(fixture, "pvh", false);
    struct xcx_mtrr_regs other;
    const struct audit_finding *f;

    g->regs.def_type &= ~(uint64_t)XCX_MTRR_DEF_E;
    g->regs.var[1].base = (GIB(2) + MIB(1)) | XCX_MT_WT;
    g->regs.var[1].mask = ctxb_mask(GIB(1), W);
    other = g->regs;
    other.var[1].base = MIB(256) | XCX_MT_WT; /* aligned, not contiguous */
    other.var[1].mask = ctxb_mask(MIB(256), W) & ~GIB(1);
    state(&g->st[0], &g->regs, 0xff);
    state(&g->st[1], &other, 0xff);
    state(&g->st[2], &g->regs, 0xff);
    other.var[1].mask = 0; /* not valid: no pair finding */
    state(&g->st[3], &other, 0xff);
    run(&g->r, g->st, 4, &g->fx);
    assert_int_equal(count(&g->r, ID_DISABLED), 1);
    expect_vcpus(find(&g->r, ID_DISABLED), (const unsigned int[]){0, 1, 2, 3},
                 4);
    assert_int_equal(count(&g->r, ID_MISALIGNED), 1);
    f = find(&g->r, ID_MISALIGNED);
    expect_vcpus(f, v02, 2);
    assert_int_equal(count(&g->r, ID_NONCONTIGUOUS), 1);
    f = find(&g->r, ID_NONCONTIGUOUS);
    expect_vcpus(f, v1, 1);
}

static void test_noncontiguous(void **state)
{
    struct guest *g = begin(state, "pvh", false);
    const struct audit_finding *f;

    /* 256 MiB with bit 30 left out: [256 MiB, 512 MiB) and from 1.25 GiB. */
    g->regs.var[1].base = MIB(256) | XCX_MT_WT;
    g->regs.var[1].mask = ctxb_mask(MIB(256), W) & ~GIB(1);
    audit_regs(g, 1, 0xff);
    assert_int_equal(count(&g->r, ID_NONCONTIGUOUS), 1);
    assert_int_equal(count(&g->r, ID_MISALIGNED), 0);
    f = find(&g->r, ID_NONCONTIGUOUS);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_int_equal(f->pairs, 0x2);
    assert_int_equal(f->nr_ranges, 2);
    expect_range(f, 0, MIB(256), MIB(512), XCX_MT_WT);
    expect_range(f, 1, GIB(1) + MIB(256), GIB(1) + MIB(512), XCX_MT_WT);
    assert_true(says(f, "matches 2 disjoint ranges of 256 MiB each"));

    /* A mask of 4 KiB granules with 22 holes: 4M ranges, more than a map
     * holds; the map rules are skipped and say so. A base bit the mask
     * leaves out is a finding of its own. */
    g->regs.var[1].base = (GIB(16) + 0x2000) | XCX_MT_WT;
    g->regs.var[1].mask = GIB(32) | 0x1000 | XCX_MTRR_MASK_VALID;
    audit_regs(g, 1, 0xff);
    f = find(&g->r, ID_NONCONTIGUOUS);
    assert_true(says(f, "matches 4194304 disjoint ranges of 4 KiB each"));
    assert_true(says(f, "checks by range were skipped"));
    assert_int_equal(f->nr_ranges, AUDIT_MAX_RANGES);
    assert_int_equal(f->ranges_omitted, 4194304 - AUDIT_MAX_RANGES);
    expect_range(f, 0, 0, 0x1000, XCX_MT_WT);
    expect_range(f, 1, 0x2000, 0x3000, XCX_MT_WT);
    f = find(&g->r, ID_MISALIGNED);
    assert_true(
        says(f, "has bits that its mask 0x0000000800001800 leaves out"));
}

static void test_fixed_large_page(void **state)
{
    struct guest *g = begin(state, "pvh", false);
    const struct audit_finding *f;

    g->regs.fixed[2] = 0x0101010101010101; /* [0xa0000, 0xc0000) WC */
    audit_regs(g, 1, 0xff);
    f = find(&g->r, ID_FIXED_LARGE);
    assert_int_equal(f->severity, SEV_INFO);
    assert_true(f->reliable);
    expect_range(f, 0, 0, 0xa0000, XCX_MT_WB);
    expect_range(f, 1, 0xa0000, 0xc0000, XCX_MT_WC);
    expect_range(f, 2, 0xc0000, 0x200000, XCX_MT_WB);
    assert_true(says(f, "fixed ranges of the types WC, WB"));
    /* RAM of a PVH guest there: WC over RAM is a finding too. */
    assert_int_equal(count(&g->r, ID_RAM_UNCACHED), 1);

    /* FE clear: the fixed ranges are not in effect. */
    g->regs.def_type &= ~(uint64_t)XCX_MTRR_DEF_FE;
    audit_regs(g, 1, 0xff);
    assert_int_equal(count(&g->r, ID_FIXED_LARGE), 0);

    /* Uniform fixed ranges, but a pair makes [1 MiB, 2 MiB) WT. */
    clean_regs(&g->regs);
    ctxb_set_var(&g->regs, 1, MIB(1), MIB(1), XCX_MT_WT, W);
    audit_regs(g, 1, 0xff);
    assert_true(says(find(&g->r, ID_FIXED_LARGE), "hold the types WT, WB"));
}

static void test_honour(void **state)
{
    struct guest *g = begin(state, "pvh", true);
    struct libxl_config c = {.type = "hvm", .passthrough = "enabled"};
    const struct audit_finding *f;

    audit_regs(g, 1, 0xff);
    f = find(&g->r, ID_HONOUR);
    assert_int_equal(f->severity, SEV_INFO);
    assert_int_equal(f->honoured, HONOUR_YES);
    assert_true(says(f, "Xen honours this guest's MTRR types"));
    assert_true(says(f, "has pcidevs (1 device)"));

    /* passthrough enabled without devices: Xen enables the IOMMU for it. */
    audit_facts_from_config(&g->fx, &c, LIBXL_SAVED, "/x.json");
    audit_regs(g, 1, 0xff);
    f = find(&g->r, ID_HONOUR);
    assert_int_equal(f->honoured, HONOUR_YES);
    assert_true(says(f, "libxl's saved configuration /x.json has "
                        "passthrough \"enabled\""));
    /* No max_memkb: no layout. */
    assert_true(
        says(find(&g->r, ID_LAYOUT_UNKNOWN), "no usable b_info/max_memkb"));
}

/* MTRR008 per vendor, and MTRR012 for honoured Intel guests whose vCPUs'
 * types differ. */
static void test_vendor(void **cm)
{
    struct guest *g = begin(cm, "pvh", true);
    struct xcx_mtrr_regs other;
    const struct audit_finding *f;

    /* AMD: never honoured, whatever the configuration says. */
    g->fx.vendor = XCX_VENDOR_AMD;
    g->fx.vendor_source = "--vendor";
    audit_regs(g, 2, 0xff);
    f = find(&g->r, ID_HONOUR);
    assert_int_equal(f->honoured, HONOUR_NO);
    assert_int_equal(f->vendor, XCX_VENDOR_AMD);
    assert_true(says(f, "On this AMD host (NPT, --vendor) Xen never uses"));
    assert_true(says(f, "the guest PAT is always live"));

    /* Intel, honoured, vCPU 1 differs in pair 1: MTRR001 and MTRR012. */
    g->fx.vendor = XCX_VENDOR_INTEL;
    clean_regs(&g->regs);
    state(&g->st[0], &g->regs, 0xff);
    other = g->regs;
    ctxb_set_var(&other, 1, MIB(512), MIB(256), XCX_MT_UC, W);
    state(&g->st[1], &other, 0xff);
    run(&g->r, g->st, 2, &g->fx);
    f = find(&g->r, ID_EPT_VCPU);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_int_equal(f->nr_vcpus, 1);
    assert_int_equal(f->vcpus[0], 1);
    assert_int_equal(f->nr_ranges, 1);
    expect_range(f, 0, MIB(512), MIB(768), XCX_MT_UC);
    assert_true(says(f, "depends on which vCPU faulted"));
    assert_true(says(find(&g->r, ID_HONOUR), "on this Intel host (--vendor) "
                                             "the EPT type is the guest MTRR"));

    /* Not honoured, or AMD, or only the PAT differs: no MTRR012. */
    facts(&g->fx, "pvh", false);
    g->fx.vendor = XCX_VENDOR_INTEL;
    g->fx.vendor_source = "--vendor";
    run(&g->r, g->st, 2, &g->fx);
    assert_int_equal(count(&g->r, ID_EPT_VCPU), 0);
    assert_true(says(find(&g->r, ID_HONOUR), "WB with ignore-PAT"));
    facts(&g->fx, "pvh", true);
    g->fx.vendor = XCX_VENDOR_AMD;
    g->fx.vendor_source = "--vendor";
    run(&g->r, g->st, 2, &g->fx);
    assert_int_equal(count(&g->r, ID_EPT_VCPU), 0);
    g->fx.vendor = XCX_VENDOR_INTEL;
    other = g->regs;
    other.pat = 0x0007010600070106ull;
    state(&g->st[1], &other, 0xff);
    run(&g->r, g->st, 2, &g->fx);
    assert_int_equal(count(&g->r, ID_EPT_VCPU), 0);
    assert_int_equal(count(&g->r, ID_VCPU_MISMATCH), 1);
}

static void test_ram_uncached(void **state)
{
    static const char *const ids[] = {ID_RAM_UNCACHED, ID_HONOUR, NULL};
    struct guest *g = begin(state, "pvh", true);
    const struct audit_finding *f;

    ctxb_set_var(&g->regs, 1, MIB(512), MIB(256), XCX_MT_UC, W);
    audit_regs(g, 1, 0xff);
    expect_ids(&g->r, ids);
    f = find(&g->r, ID_RAM_UNCACHED);
    assert_int_equal(f->severity, SEV_WARNING);
    assert_true(f->reliable);
    assert_true(f->has_source);
    assert_int_equal(f->nr_ranges, 1);
    expect_range(f, 0, MIB(512), MIB(768), XCX_MT_UC);
    assert_true(says(f, "RAM [0x0, 0x40000000) has MTRR type UC or WC"));
    assert_true(says(f, "so that RAM runs uncached"));
    assert_true(says(f, "test.json gives 1 GiB of RAM"));

    /* Xen ignores the types of a guest without passthrough: info. */
    facts(&g->fx, "pvh", false);
    audit_regs(g, 1, 0xff);
    f = find(&g->r, ID_RAM_UNCACHED);
    assert_int_equal(f->severity, SEV_INFO);
    assert_true(says(f, "only the guest's own view"));

    /* Default UC with pairs unknown: the RAM's UC is unreliable. */
    clean_regs(&g->regs);
    g->regs.def_type = (g->regs.def_type & ~0xffu) | XCX_MT_UC;
    ctxb_copy_pair0(&g->regs);
    facts(&g->fx, "pvh", true);
    audit_regs(g, 1, 0x01);
    f = find(&g->r, ID_RAM_UNCACHED);
    assert_int_equal(f->severity, SEV_INFO);
    assert_false(f->reliable);
    expect_range(f, 0, MIB(1), GIB(1), XCX_MT_UC);
    assert_true(says(f, "rest on variable pairs"));
}

static void test_mmio_wb(void **state)
{
    struct guest *g = begin(state, "hvm", true);
    const struct audit_finding *f;

    /* An HVM guest: PCI hole [0xf0000000, 0xfc000000) covered UC by pair
     * 0 (from 3 GiB), VGA hole WC: no finding of device memory. */
    g->regs.fixed[2] = 0x0101010101010101;
    audit_regs(g, 1, 0xff);
    assert_int_equal(count(&g->r, ID_MMIO_WB), 0);
    assert_int_equal(count(&g->r, ID_RAM_UNCACHED), 0);

    /* Pair 0 off: the PCI hole is WB; with the VGA hole WB too. */
    g->regs.var[0].mask = 0;
    g->regs.fixed[2] = 0x0606060606060606;
    audit_regs(g, 1, 0xff);
    assert_int_equal(count(&g->r, ID_MMIO_WB), 2);
    f = &g->r.f[0];
    assert_string_equal(f->id, ID_MMIO_WB);
    assert_int_equal(f->severity, SEV_WARNING);
    expect_range(f, 0, 0xa0000, 0xc0000, XCX_MT_WB);
    assert_true(says(f, "The legacy VGA hole [0xa0000, 0xc0000) has MTRR "
                        "type WB"));
    f = &g->r.f[1];
    expect_range(f, 0, 0xf0000000, 0xfc000000, XCX_MT_WB);
    assert_true(says(f, "The PCI hole [0xf0000000, 0xfc000000)"));
    assert_true(says(f, "the default 256 MiB MMIO hole"));

    facts(&g->fx, "hvm", false);
    audit_regs(g, 1, 0xff);
    assert_int_equal(find(&g->r, ID_MMIO_WB)->severity, SEV_INFO);
}

/* The vCPUs of a committed sample context. */
static unsigned int sample(const char *name, struct xcx_mtrr_state *st)
{
    char path[4096];
    FILE *f;
    static unsigned char blob[1 << 16];
    size_t len;
    xcx_hvm_context *ctx;
    unsigned int n;

    snprintf(path, sizeof(path), "%s/%s", data_dir, name);
    f = fopen(path, "rb");
    assert_non_null(f);
    len = fread(blob, 1, sizeof(blob), f);
    fclose(f);
    ctx = xcx_hvm_context_parse(blob, len, NULL);
    assert_non_null(ctx);
    n = xcx_hvm_context_nr_vcpus(ctx);
    assert_int_equal(n, 2);
    for (unsigned int v = 0; v < n; v++)
        assert_int_equal(xcx_hvm_context_mtrr(ctx, v, W, &st[v]), 0);
    xcx_hvm_context_free(ctx);
    return n;
}

static void test_samples(void **state)
{
    static const char *const fixed_ids[] = {ID_HONOUR, ID_LAYOUT_UNKNOWN,
                                            ID_FIXED_LARGE, NULL};
    static const char *const ids417[] = {
        ID_HONOUR, ID_LAYOUT_UNKNOWN, ID_FIXED_LARGE, ID_UNKNOWN_PAIRS, NULL};
    struct guest *g = *state;
    struct libxl_config c = {.type = "hvm",
                             .has_max_memkb = true,
                             .max_memkb = 1 << 20,
                             .mmio_hole_memkb = 384 << 10};
    const struct audit_finding *f;

    /* No configuration: no warning but "cannot be determined". */
    audit_facts_none(&g->fx, "offline");
    g->fx.offline = true;
    run(&g->r, g->st, sample("hvmloader-guest-fixed-xen.hvmctx", g->st),
        &g->fx);
    expect_ids(&g->r, fixed_ids);
    for (size_t i = 0; i < g->r.n; i++)
        assert_true(g->r.f[i].severity == SEV_INFO ||
                    !strcmp(g->r.f[i].id, ID_HONOUR));
    run(&g->r, g->st, sample("hvmloader-guest.hvmctx", g->st), &g->fx);
    expect_ids(&g->r, ids417);

    /* With its configuration (mmio_hole 384 MiB): the PCI hole is UC on
     * a fixed Xen; on 4.17 its second pair is unknown, so the hole above
     * the first pair looks WB, unreliably. */
    audit_facts_from_config(&g->fx, &c, LIBXL_GIVEN, "guest.json");
    run(&g->r, g->st, sample("hvmloader-guest-fixed-xen.hvmctx", g->st),
        &g->fx);
    assert_int_equal(g->r.f[0].severity, SEV_INFO);
    assert_int_equal(count(&g->r, ID_MMIO_WB), 0);
    assert_int_equal(count(&g->r, ID_RAM_UNCACHED), 0);
    run(&g->r, g->st, sample("hvmloader-guest.hvmctx", g->st), &g->fx);
    f = find(&g->r, ID_MMIO_WB);
    assert_false(f->reliable);
    expect_range(f, 0, 0xf0000000, 0xfc000000, XCX_MT_WB);
    assert_true(says(f, "its 384 MiB MMIO hole"));
}

static void test_words(void **state)
{
    static const unsigned int v[] = {0, 1, 2, 3, 5, 7, 8};
    enum audit_severity sev;
    char buf[64];

    assert_string_equal(audit_vcpu_list(v, 7, buf, sizeof(buf)), "0-3,5,7-8");
    assert_string_equal(audit_vcpu_list(v, 1, buf, sizeof(buf)), "0");
    assert_string_equal(audit_vcpu_list(v, 7, buf, 8), "0-3,...");
    assert_true(audit_severity_parse("warning", &sev));
    assert_int_equal(sev, SEV_WARNING);
    assert_false(audit_severity_parse("Warning", &sev));
    assert_false(audit_severity_parse("", &sev));
    assert_string_equal(audit_severity_name(SEV_ERROR), "error");
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_clean, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vcpu_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undefined_overlap, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_pairs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_misaligned, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pair_vcpus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_noncontiguous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fixed_large_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_honour, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vendor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ram_uncached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mmio_wb, setup, teardown),
        cmocka_unit_test_setup_teardown(test_samples, setup, teardown),
        cmocka_unit_test(test_words),
    };

    if (argc != 2) {
        fprintf(stderr, "usage: %s DATA_DIR\n", argv[0]);
        return 2;
    }
    data_dir = argv[1];
    return cmocka_run_group_tests_name("audit-rules", tests, NULL, NULL);
}
