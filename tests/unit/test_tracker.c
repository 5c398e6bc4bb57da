/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The tracker: baseline knowledge, knowledge growing with writes, random
 * write sequences against applying them to a plain state and resolving by
 * rule, maps rebuilt only when a result changes, the direct rule when a
 * map is too large, and vm_event requests fed by an agent.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ctxbuild.h"
#include "prng.h"
#include "private.h"
#include "randstate.h"
#include "randwrite.h"
#include "unit.h"
#include "vm_event_abi.h"

/* hvmloader's guest as Xen 4.17 saves it: pair 0 in every slot. */
static void record_state(struct xcx_mtrr_state *st)
{
    struct xcx_mtrr_regs r;
    uint8_t rec[XCX_MTRR_RECORD_SIZE];

    ctxb_hvmloader_regs(&r, false);
    ctxb_record_encode(&r, rec);
    if (xcx_mtrr_record_decode(st, rec, sizeof(rec), 36, NULL))
        fail_msg("record refused: errno %d", errno);
}

static void lookup(const xcx_mtrr_tracker *tr, unsigned int vcpu, uint64_t gpa,
                   struct xcx_mtrr_result *r)
{
    if (xcx_tracker_lookup(tr, vcpu, gpa, r))
        fail_msg("lookup vCPU %u 0x%llx: errno %d", vcpu,
                 (unsigned long long)gpa, errno);
}

static void apply(xcx_mtrr_tracker *tr, unsigned int vcpu, uint32_t msr,
                  uint64_t value, struct xcx_write_outcome *out)
{
    if (xcx_tracker_apply(tr, vcpu, msr, value, NULL, out))
        fail_msg("apply MSR 0x%x: errno %d", msr, errno);
}

static void test_new_errors(void **state)
{
    struct xcx_mtrr_state st[2];
    struct caplog log;

    record_state(&st[0]);
    st[1] = st[0];
    caplog_init(&log);
    errno = 0;
    assert_null(xcx_tracker_new(st, 0, 0, caplog_logger(&log)));
    assert_int_equal(errno, EINVAL);
    assert_int_equal(log.count, 1);
    errno = 0;
    assert_null(xcx_tracker_new(NULL, 1, 0, NULL));
    assert_int_equal(errno, EINVAL);
    caplog_init(&log);
    errno = 0;
    assert_null(xcx_tracker_new(st, 2, 2, caplog_logger(&log)));
    assert_int_equal(errno, EINVAL);
    assert_log_hex(&log, 2);

    /* A baseline state edited into something invalid. */
    st[1].regs.def_type = 0xc03;
    caplog_init(&log);
    errno = 0;
    assert_null(xcx_tracker_new(st, 2, 0, caplog_logger(&log)));
    assert_int_equal(errno, EINVAL);
    assert_log_hex(&log, 0xc03);
}

static void test_vcpu_range(void **state)
{
    struct xcx_mtrr_state st[3], got;
    struct xcx_mtrr_result r;
    struct xcx_mtrr_range_result rr;
    struct xcx_write_outcome out;
    xcx_mtrr_tracker *tr;

    for (unsigned int i = 0; i < 3; i++)
        record_state(&st[i]);
    st[2].regs.pat = 0;
    tr = xcx_tracker_new(st, 3, 0, NULL);
    assert_non_null(tr);
    assert_int_equal(xcx_tracker_nr_vcpus(tr), 3);
    assert_int_equal(xcx_tracker_state(tr, 2, &got), 0);
    assert_true(got.regs.pat == 0);
    assert_int_equal(got.var_known, 1);

    errno = 0;
    assert_int_equal(xcx_tracker_state(tr, 3, &got), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xcx_tracker_lookup(tr, 3, 0, &r), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xcx_tracker_range(tr, UINT32_MAX, 0, 4096, &rr), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_null(xcx_tracker_map(tr, 3));
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xcx_tracker_apply(tr, 3, 0x2ff, 0xc06, NULL, &out), -1);
    assert_int_equal(errno, EINVAL);
    errno = 0;
    assert_int_equal(xcx_tracker_apply(tr, 0, 0x1b, 0, NULL, &out), -1);
    assert_int_equal(errno, EINVAL);
    /* The map calls' own errors come through. */
    errno = 0;
    assert_int_equal(xcx_tracker_lookup(tr, 0, UINT64_C(1) << 36, &r), -1);
    assert_int_equal(errno, ERANGE);
    errno = 0;
    assert_int_equal(xcx_tracker_range(tr, 0, 0, 0, &rr), -1);
    assert_int_equal(errno, EINVAL);
    xcx_tracker_free(tr);
    xcx_tracker_free(NULL);
}

/* Without FROM_START only pair 0 is exact; reliable comes as pairs do. */
static void test_knowledge(void **state)
{
    struct xcx_mtrr_state st;
    struct xcx_mtrr_result r;
    struct xcx_write_outcome out;
    xcx_mtrr_tracker *tr;

    record_state(&st);
    tr = xcx_tracker_new(&st, 1, XCX_TRACK_FROM_START, NULL);
    assert_non_null(tr);
    assert_int_equal(xcx_tracker_state(tr, 0, &st), 0);
    assert_int_equal(st.var_known, 0xff);
    assert_int_equal(st.var_regs_known, 0xffff);
    lookup(tr, 0, 0xf0000000, &r);
    assert_true(r.reliable);
    xcx_tracker_free(tr);

    record_state(&st);
    tr = xcx_tracker_new(&st, 1, 0, NULL);
    assert_non_null(tr);
    lookup(tr, 0, 0xf0000000, &r); /* pair 1 would say UC: unknown */
    assert_int_equal(r.type, XCX_MT_WB);
    assert_false(r.reliable);
    lookup(tr, 0, 0xe8000000, &r); /* the known UC pair 0 */
    assert_true(r.reliable);
    lookup(tr, 0, 0xa0000, &r); /* fixed */
    assert_true(r.reliable);

    /* The guest programs pair 1, then disables 2..7. */
    apply(tr, 0, 0x202, 0xf0000000, &out);
    lookup(tr, 0, 0xf0000000, &r);
    assert_false(r.reliable); /* the mask is not known yet */
    apply(tr, 0, 0x203, ctxb_mask(0x10000000, 36), &out);
    assert_true(out.types_changed);
    lookup(tr, 0, 0xf0000000, &r);
    assert_int_equal(r.type, XCX_MT_UC);
    assert_true(r.reliable); /* a known UC pair wins */
    lookup(tr, 0, 0x100000000, &r);
    assert_false(r.reliable);
    for (unsigned int i = 2; i < 8; i++) {
        lookup(tr, 0, 0x100000000, &r);
        assert_false(r.reliable);
        apply(tr, 0, 0x201 + 2 * i, 0, &out);
        apply(tr, 0, 0x200 + 2 * i, 0, &out);
    }
    lookup(tr, 0, 0x100000000, &r);
    assert_true(r.reliable);
    assert_int_equal(xcx_tracker_state(tr, 0, &st), 0);
    assert_int_equal(st.var_known, 0xff);
    xcx_tracker_free(tr);
}

/* A baseline's own var_regs_known is kept (without FROM_START). */
static void test_baseline_regs_known(void **state)
{
    struct xcx_mtrr_state st;
    struct xcx_write_outcome out;
    xcx_mtrr_tracker *tr;

    record_state(&st);
    st.var_regs_known |= 0x4; /* PHYSBASE1 */
    tr = xcx_tracker_new(&st, 1, 0, NULL);
    assert_non_null(tr);
    apply(tr, 0, 0x203, ctxb_mask(0x10000000, 36), &out);
    assert_int_equal(xcx_tracker_state(tr, 0, &st), 0);
    assert_int_equal(st.var_known, 0x3);
    xcx_tracker_free(tr);
}

/*
 * vCPU 0 of a sample context of tests/data/, built here byte for byte as
 * make-sample-context.c builds it: hvmloader's registers, two vCPUs, as
 * Xen 4.17 saves them (pair 0 in all eight slots; hvmloader-guest.hvmctx)
 * or, with @fixed_xen, as a Xen without that bug does. Read through the
 * context API at the width the context shows (36).
 */
static void sample_vcpu0(bool fixed_xen, struct xcx_mtrr_state *st)
{
    struct xcx_mtrr_regs r;
    struct ctxb_blob b = {0};
    const struct ctxb_ctx_desc d = {
        .nr_vcpus = 2, .regs = &r, .nr_regs = 1, .cpu_records = true};
    xcx_hvm_context *ctx;

    ctxb_hvmloader_regs(&r, fixed_xen);
    ctxb_build(&b, &d);
    ctx = xcx_hvm_context_parse(b.data, b.len, NULL);
    ctxb_blob_free(&b);
    assert_non_null(ctx);
    assert_int_equal(xcx_hvm_context_width_hint(ctx), 36);
    assert_int_equal(xcx_hvm_context_mtrr(ctx, 0, 36, st), 0);
    xcx_hvm_context_free(ctx);
}

/* Everything but the variable pairs and the knowledge is @want's. */
static void assert_same_but_pairs(const struct xcx_mtrr_state *got,
                                  const struct xcx_mtrr_state *want)
{
    assert_true(got->regs.pat == want->regs.pat);
    assert_true(got->regs.cap == want->regs.cap);
    assert_true(got->regs.def_type == want->regs.def_type);
    assert_memory_equal(got->regs.fixed, want->regs.fixed,
                        sizeof(got->regs.fixed));
    assert_int_equal(got->maxphysaddr, want->maxphysaddr);
    assert_int_equal(got->vcnt, want->vcnt);
}

/* @addr resolves on @tr's vCPU 0 to @type from @pairs, reliable or not. */
static void assert_lookup(const xcx_mtrr_tracker *tr, uint64_t addr,
                          unsigned int type, uint32_t pairs, bool reliable)
{
    struct xcx_mtrr_result r;

    lookup(tr, 0, addr, &r);
    if (r.type != type || r.pairs != pairs || r.reliable != reliable)
        fail_msg("0x%llx: type %u pairs 0x%x reliable %d, want %u 0x%x %d",
                 (unsigned long long)addr, r.type, r.pairs, r.reliable, type,
                 pairs, reliable);
}

/* A tracker of one vCPU from @base with @flags; its state into @got. */
static xcx_mtrr_tracker *track_one(const struct xcx_mtrr_state *base,
                                   unsigned int flags,
                                   struct xcx_mtrr_state *got)
{
    xcx_mtrr_tracker *tr = xcx_tracker_new(base, 1, flags, NULL);

    assert_non_null(tr);
    assert_int_equal(xcx_tracker_state(tr, 0, got), 0);
    return tr;
}

/* @st knows the pairs @pairs and the registers @regs. */
static void assert_known(const struct xcx_mtrr_state *st, uint32_t pairs,
                         uint32_t regs)
{
    assert_int_equal(st->var_known, pairs);
    assert_int_equal(st->var_regs_known, regs);
}

/*
 * FROM_START over a Xen 4.17 record: the copies of pair 0 in slots 1..7
 * are not the guest's, whose registers still hold their power-on 0; every
 * pair becomes exact. Without the flag the copies stay, unknown.
 */
static void test_from_start_copies(void **state)
{
    struct xcx_mtrr_state base, got;
    xcx_mtrr_tracker *tr;

    sample_vcpu0(false, &base);
    assert_int_equal(base.vcnt, 8);
    assert_int_equal(base.var_known, 0x1);
    for (unsigned int i = 1; i < 8; i++)
        assert_memory_equal(&base.regs.var[i], &base.regs.var[0],
                            sizeof(base.regs.var[0]));

    tr = track_one(&base, XCX_TRACK_FROM_START, &got);
    assert_same_but_pairs(&got, &base);
    assert_memory_equal(&got.regs.var[0], &base.regs.var[0],
                        sizeof(got.regs.var[0]));
    for (unsigned int i = 1; i < 8; i++) {
        assert_true(got.regs.var[i].base == 0);
        assert_true(got.regs.var[i].mask == 0);
    }
    assert_known(&got, 0xff, 0xffff);
    /* Pair 0 alone, and nothing left unreliable. */
    assert_lookup(tr, 0xe8000000, XCX_MT_UC, 0x1, true);
    assert_lookup(tr, 0xf0000000, XCX_MT_WB, 0, true);
    assert_lookup(tr, 0x100000, XCX_MT_WB, 0, true);
    xcx_tracker_free(tr);

    tr = track_one(&base, 0, &got);
    assert_memory_equal(&got.regs, &base.regs, sizeof(got.regs));
    assert_known(&got, 0x1, 0x3);
    assert_lookup(tr, 0xe8000000, XCX_MT_UC, 0xff, true);
    assert_lookup(tr, 0xf0000000, XCX_MT_WB, 0, false);
    xcx_tracker_free(tr);

    /* A register the baseline knows keeps its value: PHYSBASE1 stays the
     * copy it shows, PHYSMASK1 is reset. */
    base.var_regs_known |= 0x4;
    tr = track_one(&base, XCX_TRACK_FROM_START, &got);
    assert_true(got.regs.var[1].base == base.regs.var[0].base);
    assert_true(got.regs.var[1].mask == 0);
    assert_known(&got, 0xff, 0xffff);
    xcx_tracker_free(tr);
}

/* FROM_START over a baseline that knows every register: nothing reset. */
static void test_from_start_all_known(void **state)
{
    struct xcx_mtrr_state base, got;
    xcx_mtrr_tracker *tr;

    sample_vcpu0(true, &base);
    assert_int_equal(base.var_known, 0xff);
    tr = track_one(&base, XCX_TRACK_FROM_START, &got);
    assert_memory_equal(&got.regs, &base.regs, sizeof(got.regs));
    assert_known(&got, 0xff, 0xffff);
    assert_lookup(tr, 0xe8000000, XCX_MT_UC, 0x1, true);
    assert_lookup(tr, 0xf0000000, XCX_MT_UC, 0x2, true);
    xcx_tracker_free(tr);
}

/* One map build per change of a result, none otherwise. */
static void test_rebuild(void **state)
{
    struct xcx_mtrr_state st;
    struct xcx_write_outcome out;
    struct xcx_mtrr_result r;
    const xcx_mtrr_map *map;
    xcx_mtrr_tracker *tr;
    unsigned long n;

    record_state(&st);
    tr = xcx_tracker_new(&st, 1, XCX_TRACK_FROM_START, NULL);
    assert_non_null(tr);
    assert_int_equal(xcx_tracker_map_builds(tr, 0), 1);
    map = xcx_tracker_map(tr, 0);
    assert_non_null(map);

    /* PAT, same values, refused writes, pairs while E is clear: none. */
    apply(tr, 0, XCX_MSR_PAT, 0, &out);
    assert_true(out.changed);
    apply(tr, 0, XCX_MSR_MTRR_DEF_TYPE, 0xc06, &out);
    assert_false(out.changed);
    apply(tr, 0, 0x204, 0x80000003, &out);
    assert_false(out.accepted);
    apply(tr, 0, XCX_MSR_MTRRCAP, 0, &out);
    assert_false(out.accepted);
    assert_int_equal(xcx_tracker_map_builds(tr, 0), 1);
    assert_ptr_equal(xcx_tracker_map(tr, 0), map);

    apply(tr, 0, XCX_MSR_MTRR_DEF_TYPE, 0x406, &out); /* E clear */
    assert_int_equal(xcx_tracker_map_builds(tr, 0), 2);
    assert_int_equal(xcx_mtrr_map_size(xcx_tracker_map(tr, 0)), 1);
    apply(tr, 0, 0x204, 0x80000000, &out);
    apply(tr, 0, 0x205, ctxb_mask(0x10000000, 36), &out);
    assert_true(out.changed);
    assert_int_equal(xcx_tracker_map_builds(tr, 0), 2);
    lookup(tr, 0, 0x80000000, &r);
    assert_int_equal(r.origin, XCX_ORIGIN_DISABLED);
    apply(tr, 0, XCX_MSR_MTRR_DEF_TYPE, 0xc06, &out);
    assert_int_equal(xcx_tracker_map_builds(tr, 0), 3);
    lookup(tr, 0, 0x80000000, &r);
    assert_int_equal(r.type, XCX_MT_UC);
    assert_int_equal(r.pairs, 0x4);
    xcx_tracker_free(tr);

    /* Knowledge alone changes results (reliable): one build. */
    record_state(&st);
    tr = xcx_tracker_new(&st, 1, 0, NULL);
    assert_non_null(tr);
    n = xcx_tracker_map_builds(tr, 0);
    apply(tr, 0, 0x202, st.regs.var[1].base, &out);
    assert_false(out.changed);
    assert_int_equal(xcx_tracker_map_builds(tr, 0), n);
    apply(tr, 0, 0x203, st.regs.var[1].mask, &out);
    assert_false(out.types_changed);
    assert_int_equal(xcx_tracker_map_builds(tr, 0), n + 1);
    xcx_tracker_free(tr);
}

/* Entry by entry, @map equals the map built from @st. */
static void assert_map_of(const xcx_mtrr_map *map,
                          const struct xcx_mtrr_state *st)
{
    xcx_mtrr_map *want = xcx_mtrr_map_build(st, NULL);
    struct xcx_mtrr_map_entry a, b;

    assert_non_null(want);
    assert_non_null(map);
    assert_int_equal(xcx_mtrr_map_size(map), xcx_mtrr_map_size(want));
    for (size_t i = 0; i < xcx_mtrr_map_size(want); i++) {
        assert_int_equal(xcx_mtrr_map_entry(map, i, &a), 0);
        assert_int_equal(xcx_mtrr_map_entry(want, i, &b), 0);
        assert_true(a.start == b.start && a.end == b.end);
        assert_result_equal(&a.result, &b.result, "map entry", a.start);
    }
    xcx_mtrr_map_free(want);
}

static uint64_t rand_addr(struct prng *p, const struct xcx_mtrr_state *st)
{
    uint64_t top = UINT64_C(1) << st->maxphysaddr;
    unsigned int i = (unsigned int)prng_below(p, 8);
    uint64_t m = st->regs.var[i].mask & ref_addr_bits(st->maxphysaddr);

    switch (prng_below(p, 4)) {
    case 0:
        return prng_below(p, 0x2000000);
    case 1: /* a pair's first address, or the one before */
        return ((st->regs.var[i].base & m) - prng_below(p, 2)) & (top - 1);
    default:
        return prng_next(p) & (top - 1);
    }
}

/* Tracker, direct rule and model agree at @gpa; reliable means right. */
static void check_addr(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                       const struct xcx_mtrr_state *shadow,
                       const struct xcx_mtrr_state *real, uint64_t gpa)
{
    struct xcx_mtrr_result got, want, ref, truth;

    lookup(tr, vcpu, gpa, &got);
    if (xcx_mtrr_resolve(shadow, gpa, &want, NULL))
        fail_msg("resolve 0x%llx: errno %d", (unsigned long long)gpa, errno);
    assert_result_equal(&got, &want, "tracker vs resolve", gpa);
    assert_true(ref_resolve(shadow, gpa, &ref));
    assert_result_equal(&got, &ref, "tracker vs model", gpa);
    if (real && got.reliable) {
        assert_true(ref_resolve(real, gpa, &truth));
        if (truth.type != got.type)
            fail_msg("0x%llx: reliable type %u, the guest's is %u",
                     (unsigned long long)gpa, got.type, truth.type);
    }
}

static void check_range(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                        const struct xcx_mtrr_state *shadow, uint64_t gpa,
                        uint64_t len)
{
    xcx_mtrr_map *map = xcx_mtrr_map_build(shadow, NULL);
    struct xcx_mtrr_range_result a, b;
    int ra, rb, ea, eb;

    assert_non_null(map);
    errno = 0;
    ra = xcx_tracker_range(tr, vcpu, gpa, len, &a);
    ea = errno;
    errno = 0;
    rb = xcx_mtrr_map_range(map, gpa, len, &b);
    eb = errno;
    xcx_mtrr_map_free(map);
    assert_int_equal(ra, rb);
    if (ra) {
        assert_int_equal(ea, eb);
        return;
    }
    assert_result_equal(&a.first, &b.first, "range first", gpa);
    assert_true(a.uniform == b.uniform && a.reliable == b.reliable &&
                a.types == b.types);
}

#define NR_VCPUS 3

/*
 * A guest's real registers, and the tracker's view of them starting from
 * the record (pair 0 in every slot, or all exact with FROM_START). Random
 * writes go to the real state as Xen applies them, to the tracker and to
 * a plain copy of the baseline through xcx_mtrr_apply_write(). The tracker
 * equals the plain copy in every outcome, state and result; its reliable
 * results are the guest's types.
 */
static void run_sequence(uint64_t seed, unsigned int nr_writes, bool from_start)
{
    struct xcx_mtrr_state real[NR_VCPUS], shadow[NR_VCPUS];
    unsigned long builds[NR_VCPUS];
    xcx_mtrr_tracker *tr;
    struct prng p;

    prng_seed(&p, seed);
    for (unsigned int v = 0; v < NR_VCPUS; v++) {
        struct rand_regs rr;

        rand_regs(&p, &rr);
        assert_int_equal(
            xcx_mtrr_state_init(&real[v], &rr.regs, rr.width, 0xff, NULL), 0);
        if (!from_start)
            ctxb_copy_pair0(&rr.regs);
        assert_int_equal(xcx_mtrr_state_init(&shadow[v], &rr.regs, rr.width,
                                             from_start ? 0xff : 1, NULL),
                         0);
    }
    tr = xcx_tracker_new(shadow, NR_VCPUS,
                         from_start ? XCX_TRACK_FROM_START : 0, NULL);
    assert_non_null(tr);
    for (unsigned int v = 0; v < NR_VCPUS; v++)
        builds[v] = xcx_tracker_map_builds(tr, v);

    for (unsigned int n = 0; n < nr_writes; n++) {
        unsigned int v = (unsigned int)prng_below(&p, NR_VCPUS);
        struct xcx_write_outcome o_real, o_tr, o_shadow;
        struct xcx_mtrr_state st;
        struct rand_write w;
        uint32_t known = shadow[v].var_known;
        const uint64_t *old;

        rand_write(&p, &real[v], &w);
        old = w.has_old ? &w.old : NULL;
        assert_int_equal(
            xcx_mtrr_apply_write(&real[v], w.msr, w.value, NULL, &o_real, NULL),
            0);
        assert_int_equal(xcx_tracker_apply(tr, v, w.msr, w.value, old, &o_tr),
                         0);
        assert_int_equal(xcx_mtrr_apply_write(&shadow[v], w.msr, w.value, old,
                                              &o_shadow, NULL),
                         0);
        assert_memory_equal(&o_tr, &o_shadow, sizeof(o_tr));
        assert_int_equal(o_tr.accepted, o_real.accepted);
        assert_int_equal(xcx_tracker_state(tr, v, &st), 0);
        assert_memory_equal(&st, &shadow[v], sizeof(st));

        if (o_tr.types_changed || shadow[v].var_known != known)
            builds[v]++;
        assert_int_equal(xcx_tracker_map_builds(tr, v), builds[v]);

        for (unsigned int k = 0; k < 4; k++)
            check_addr(tr, v, &shadow[v], &real[v], rand_addr(&p, &shadow[v]));
        if (n % 50 == 0) {
            uint64_t top = UINT64_C(1) << shadow[v].maxphysaddr;
            uint64_t gpa = rand_addr(&p, &shadow[v]);

            assert_map_of(xcx_tracker_map(tr, v), &shadow[v]);
            check_range(tr, v, &shadow[v], gpa & ~UINT64_C(0x1fffff),
                        UINT64_C(1) << 21);
            check_range(tr, v, &shadow[v], gpa, prng_range(&p, 1, top));
            check_range(tr, v, &shadow[v], 0, top);
        }
    }
    xcx_tracker_free(tr);
}

static void test_random_sequences(void **state)
{
    for (unsigned int i = 0; i < 6; i++)
        run_sequence(UINT64_C(0x747261636b657200) + i, 1500, i % 3 == 2);
}

/* Mask bits 12, 14, ..., 42 at width 44: 2^16 disjoint 4 KiB runs. */
#define HOSTILE_MASK (UINT64_C(0x55555555555) & ~UINT64_C(0xfff))

static void brute_range(const struct xcx_mtrr_state *st, uint64_t gpa,
                        uint64_t len, struct xcx_mtrr_range_result *rr)
{
    memset(rr, 0, sizeof(*rr));
    rr->reliable = true;
    for (uint64_t a = gpa; a < gpa + len; a = (a | 0xfff) + 1) {
        struct xcx_mtrr_result r;

        assert_true(ref_resolve(st, a, &r));
        if (a == gpa)
            rr->first = r;
        rr->types |= 1u << r.type;
        rr->reliable &= r.reliable;
    }
    rr->uniform = !(rr->types & (rr->types - 1));
}

/* Too large a map: the direct rule answers, exactly. */
static void test_e2big_fallback(void **state)
{
    struct xcx_mtrr_regs regs;
    struct xcx_mtrr_state st, cur;
    struct xcx_write_outcome out;
    struct xcx_mtrr_range_result a, b;
    struct caplog log;
    xcx_mtrr_tracker *tr;
    struct prng p;
    unsigned long n;

    ctxb_regs_default(&regs);
    regs.var[0].base = 0xa0000000 | XCX_MT_WT;
    regs.var[0].mask = HOSTILE_MASK | XCX_MTRR_MASK_VALID;
    ctxb_set_var(&regs, 1, 0x100000000, 0x100000000, XCX_MT_WC, 44);
    assert_int_equal(xcx_mtrr_state_init(&st, &regs, 44, 0x1, NULL), 0);
    caplog_init(&log);
    tr = xcx_tracker_new(&st, 1, 0, caplog_logger(&log));
    assert_non_null(tr);
    errno = 0;
    assert_null(xcx_tracker_map(tr, 0));
    assert_int_equal(errno, E2BIG);
    assert_int_equal(log.count, 0); /* too large a map is no error */

    prng_seed(&p, 44);
    assert_int_equal(xcx_tracker_state(tr, 0, &cur), 0);
    for (unsigned int i = 0; i < 3000; i++)
        check_addr(tr, 0, &cur, NULL, rand_addr(&p, &cur));
    for (unsigned int i = 0; i < 8; i++) {
        uint64_t gpa = prng_next(&p) & ((UINT64_C(1) << 44) - 1);
        uint64_t len = i < 4 ? UINT64_C(1) << 21 : UINT64_C(1) << 26;

        gpa &= ~(len - 1);
        assert_int_equal(xcx_tracker_range(tr, 0, gpa + 0x123, len - 0x123, &a),
                         0);
        brute_range(&cur, gpa + 0x123, len - 0x123, &b);
        assert_result_equal(&a.first, &b.first, "range first", gpa);
        assert_true(a.types == b.types && a.uniform == b.uniform &&
                    a.reliable == b.reliable);
    }
    /* The whole space would need the whole map. */
    errno = 0;
    assert_int_equal(xcx_tracker_range(tr, 0, 0, UINT64_C(1) << 44, &a), -1);
    assert_int_equal(errno, E2BIG);
    errno = 0;
    assert_int_equal(xcx_tracker_range(tr, 0, 1, UINT64_C(1) << 44, &a), -1);
    assert_int_equal(errno, ERANGE);

    /* No retry while nothing changes; a sane mask brings the map back. */
    n = xcx_tracker_map_builds(tr, 0);
    apply(tr, 0, XCX_MSR_PAT, 0, &out);
    apply(tr, 0, 0x200, 0xa2000000 | XCX_MT_WT, &out); /* bit 25: unmasked */
    assert_true(out.changed);
    assert_false(out.types_changed);
    assert_int_equal(xcx_tracker_map_builds(tr, 0), n);
    apply(tr, 0, 0x201, ctxb_mask(0x10000000, 44), &out);
    assert_int_equal(xcx_tracker_map_builds(tr, 0), n + 1);
    assert_non_null(xcx_tracker_map(tr, 0));
    assert_int_equal(xcx_tracker_state(tr, 0, &cur), 0);
    check_addr(tr, 0, &cur, NULL, 0xa0000000);
    assert_map_of(xcx_tracker_map(tr, 0), &cur);
    xcx_tracker_free(tr);
}

/* A MOV_TO_MSR request as Xen puts it on the ring. */
static void make_req(vm_event_request_t *req, uint32_t vcpu, uint64_t msr,
                     uint64_t new_value, uint64_t old_value)
{
    memset(req, 0, sizeof(*req));
    req->version = VM_EVENT_INTERFACE_VERSION;
    req->reason = VM_EVENT_REASON_MOV_TO_MSR;
    req->flags = VM_EVENT_FLAG_VCPU_PAUSED;
    req->vcpu_id = vcpu;
    req->u.mov_to_msr.msr = msr;
    req->u.mov_to_msr.new_value = new_value;
    req->u.mov_to_msr.old_value = old_value;
}

static void assert_untouched(const xcx_mtrr_tracker *tr,
                             const struct xcx_mtrr_state *st, unsigned int nr)
{
    struct xcx_mtrr_state got;

    for (unsigned int v = 0; v < nr; v++) {
        assert_int_equal(xcx_tracker_state(tr, v, &got), 0);
        assert_memory_equal(&got, &st[v], sizeof(got));
    }
}

static void test_feed_event(void **state)
{
    struct xcx_mtrr_state st[2], got;
    struct xcx_write_outcome out;
    struct caplog log;
    vm_event_request_t req;
    unsigned char buf[sizeof(req) + 16];
    xcx_mtrr_tracker *tr;

    record_state(&st[0]);
    st[1] = st[0];
    caplog_init(&log);
    tr = xcx_tracker_new(st, 2, 0, caplog_logger(&log));
    assert_non_null(tr);
    for (unsigned int v = 0; v < 2; v++)
        xcx_tracker_state(tr, v, &st[v]);

    /* PHYSMASK1 of vCPU 1: applied, Xen's old value taken. */
    make_req(&req, 1, 0x203, ctxb_mask(0x10000000, 36), 0);
    assert_int_equal(xcx_tracker_feed_event(tr, &req, sizeof(req), &out), 1);
    assert_true(out.accepted && out.changed);
    assert_true(out.old_value == 0);
    xcx_tracker_state(tr, 1, &got);
    assert_true(got.regs.var[1].mask == ctxb_mask(0x10000000, 36));
    assert_int_equal(got.var_regs_known, 0x3 | 0x8);
    xcx_tracker_state(tr, 0, &got);
    assert_memory_equal(&got, &st[0], sizeof(got));

    /* A refused write, from an unaligned copy with bytes after it. */
    make_req(&req, 0, 0x204, 0x80000003, 0x80000000);
    memcpy(buf + 1, &req, sizeof(req));
    assert_int_equal(xcx_tracker_feed_event(tr, buf + 1, sizeof(buf) - 1, &out),
                     1);
    assert_false(out.accepted);
    assert_non_null(strstr(out.reason, "MTRRphysBase2"));
    xcx_tracker_state(tr, 0, &got);
    assert_true(got.regs.var[2].base == 0x80000000);
    assert_int_equal(got.var_regs_known, 0x3 | 0x10);
    for (unsigned int v = 0; v < 2; v++)
        xcx_tracker_state(tr, v, &st[v]);

    /* Not ours: another MSR, another reason; nothing changes. */
    caplog_reset(&log);
    make_req(&req, 0, 0xc0000080, 0xd01, 0x501);
    assert_int_equal(xcx_tracker_feed_event(tr, &req, sizeof(req), &out), 0);
    make_req(&req, 0, UINT64_C(0x100000200), 0, 0);
    assert_int_equal(xcx_tracker_feed_event(tr, &req, sizeof(req), &out), 0);
    make_req(&req, 0, 0x210, 0, 0);
    assert_int_equal(xcx_tracker_feed_event(tr, &req, sizeof(req), &out), 0);
    make_req(&req, 0, 0x200, 0, 0);
    req.reason = VM_EVENT_REASON_MEM_ACCESS;
    assert_int_equal(xcx_tracker_feed_event(tr, &req, sizeof(req), &out), 0);
    req.reason = VM_EVENT_REASON_WRITE_CTRLREG;
    req.vcpu_id = 7; /* not about MSRs: the vCPU does not matter */
    assert_int_equal(xcx_tracker_feed_event(tr, &req, sizeof(req), NULL), 0);
    assert_int_equal(log.count, 0);
    assert_untouched(tr, st, 2);

    /* Broken requests. */
    make_req(&req, 0, 0x200, 0, 0);
    errno = 0;
    assert_int_equal(xcx_tracker_feed_event(tr, &req, sizeof(req) - 1, &out),
                     -1);
    assert_int_equal(errno, EINVAL);
    assert_log_number(&log, sizeof(req) - 1);
    errno = 0;
    assert_int_equal(xcx_tracker_feed_event(tr, NULL, 0, &out), -1);
    assert_int_equal(errno, EINVAL);
    req.version = 6;
    errno = 0;
    assert_int_equal(xcx_tracker_feed_event(tr, &req, sizeof(req), &out), -1);
    assert_int_equal(errno, EINVAL);
    assert_log_number(&log, 6);
    make_req(&req, 2, 0x200, 0, 0);
    errno = 0;
    assert_int_equal(xcx_tracker_feed_event(tr, &req, sizeof(req), &out), -1);
    assert_int_equal(errno, EINVAL);
    assert_log_number(&log, 2);
    /* Xen's old value that no register could hold. */
    make_req(&req, 0, 0x2ff, 0xc06, 0xc03);
    errno = 0;
    assert_int_equal(xcx_tracker_feed_event(tr, &req, sizeof(req), &out), -1);
    assert_int_equal(errno, EINVAL);
    assert_untouched(tr, st, 2);
    xcx_tracker_free(tr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_errors),
        cmocka_unit_test(test_vcpu_range),
        cmocka_unit_test(test_knowledge),
        cmocka_unit_test(test_baseline_regs_known),
        cmocka_unit_test(test_from_start_copies),
        cmocka_unit_test(test_from_start_all_known),
        cmocka_unit_test(test_rebuild),
        cmocka_unit_test(test_random_sequences),
        cmocka_unit_test(test_e2big_fallback),
        cmocka_unit_test(test_feed_event),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
