/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx_mtrr_pair_decode() on chosen pairs, and xcx_mtrr_snapshot_diff()
 * against the direct rule on random pairs of states: every address of a
 * reported change has the change's types, every other address the same
 * type in both, and the changes are sorted, disjoint and maximal.
 */
#include "prng.h"
#include "randstate.h"
#include "unit.h"

#define NR_PAIRS  200
#define NR_PROBES 64
#define SEED      UINT64_C(0x70616972646966) /* "pairdif" */

static struct xcx_mtrr_state state_of(uint64_t base, uint64_t mask,
                                      unsigned int width)
{
    struct xcx_mtrr_regs regs = {.cap = 0x508, .def_type = 0xc06};
    struct xcx_mtrr_state st;

    regs.var[1].base = base;
    regs.var[1].mask = mask;
    assert_int_equal(xcx_mtrr_state_init(&st, &regs, width, 0xff, NULL), 0);
    return st;
}

static void test_pair_decode(void **state)
{
    /* 512 MiB of UC at 3.5 GiB, width 36: mask 0xfe0000000 | V. */
    struct xcx_mtrr_state st = state_of(0xe0000000, 0xfe0000800, 36);
    struct xcx_mtrr_pair p;

    assert_int_equal(xcx_mtrr_pair_decode(&st, 1, &p), 0);
    assert_true(p.valid && p.exact && p.contiguous);
    assert_int_equal(p.type, XCX_MT_UC);
    assert_int_equal(p.start, 0xe0000000);
    assert_int_equal(p.size, 0x20000000);
    assert_int_equal(p.low, 0x20000000);
    /* A hole in the mask (bit 30 clear): a repeating pattern. */
    st = state_of(0x80000001, 0xfbffff800, 36);
    assert_int_equal(xcx_mtrr_pair_decode(&st, 1, &p), 0);
    assert_false(p.contiguous);
    assert_int_equal(p.size, 0);
    assert_int_equal(p.low, 0x1000);
    assert_int_equal(p.type, XCX_MT_WC);
    /* Pair 0 unset: mask 0, not valid, low is 2^width. */
    assert_int_equal(xcx_mtrr_pair_decode(&st, 0, &p), 0);
    assert_false(p.valid);
    assert_int_equal(p.low, UINT64_C(1) << 36);
    errno = 0;
    assert_int_equal(xcx_mtrr_pair_decode(&st, 8, &p), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_mtrr_pair_decode(NULL, 0, &p), -1);
    assert_int_equal(xcx_mtrr_pair_decode(&st, 0, NULL), -1);
}

struct changes {
    struct xcx_mtrr_change c[XCX_MTRR_MAP_MAX_ENTRIES];
    size_t n;
};

static void keep(void *arg, const struct xcx_mtrr_change *c)
{
    struct changes *ch = arg;

    assert_true(ch->n < XCX_MTRR_MAP_MAX_ENTRIES);
    ch->c[ch->n++] = *c;
}

static unsigned int type_at(const struct xcx_mtrr_state *st, uint64_t gpa)
{
    struct xcx_mtrr_result r;

    assert_int_equal(xcx_mtrr_resolve(st, gpa, &r, NULL), 0);
    return r.type;
}

/* The change holding @gpa, or NULL. */
static const struct xcx_mtrr_change *change_at(const struct changes *ch,
                                               uint64_t gpa)
{
    for (size_t i = 0; i < ch->n; i++)
        if (gpa >= ch->c[i].start && gpa < ch->c[i].end)
            return &ch->c[i];
    return NULL;
}

static void check_probe(const struct xcx_mtrr_state *a,
                        const struct xcx_mtrr_state *b,
                        const struct changes *ch, uint64_t gpa)
{
    const struct xcx_mtrr_change *c = change_at(ch, gpa);
    unsigned int from = type_at(a, gpa), to = type_at(b, gpa);

    if (c) {
        assert_int_equal(from, c->from);
        assert_int_equal(to, c->to);
    } else if (from != to) {
        fail_msg("%#llx: %u -> %u not reported", (unsigned long long)gpa, from,
                 to);
    }
}

static void check_shape(const struct changes *ch)
{
    for (size_t i = 0; i < ch->n; i++) {
        assert_true(ch->c[i].start < ch->c[i].end);
        assert_true(ch->c[i].from != ch->c[i].to);
        if (i && ch->c[i - 1].end > ch->c[i].start)
            fail_msg("change %zu overlaps or is out of order", i);
        if (i && ch->c[i - 1].end == ch->c[i].start &&
            ch->c[i - 1].from == ch->c[i].from &&
            ch->c[i - 1].to == ch->c[i].to)
            fail_msg("changes %zu and %zu should be one", i - 1, i);
    }
}

static void diff_maps(const struct xcx_mtrr_state *a,
                      const struct xcx_mtrr_state *b, const xcx_mtrr_map *ma,
                      const xcx_mtrr_map *mb, struct changes *ch,
                      struct prng *p)
{
    xcx_mtrr_snapshot *sa = xcx_mtrr_snapshot_take(ma);
    xcx_mtrr_snapshot *sb = xcx_mtrr_snapshot_take(mb);
    uint64_t top = UINT64_C(1) << a->maxphysaddr;
    size_t n = 0;

    assert_non_null(sa);
    assert_non_null(sb);
    ch->n = 0;
    assert_int_equal(xcx_mtrr_snapshot_diff(sa, sb, keep, ch, &n), 0);
    assert_int_equal(n, ch->n);
    check_shape(ch);
    for (size_t i = 0; i < ch->n; i++) {
        check_probe(a, b, ch, ch->c[i].start);
        check_probe(a, b, ch, ch->c[i].end - 1);
        if (ch->c[i].start)
            check_probe(a, b, ch, ch->c[i].start - 1);
    }
    for (unsigned int i = 0; i < NR_PROBES; i++)
        check_probe(a, b, ch, prng_next(p) & (top - 1));
    xcx_mtrr_snapshot_free(sa);
    xcx_mtrr_snapshot_free(sb);
}

/* Two random states of one width whose maps build (b's registers drawn for
 * another width may not fit this one: draw again). */
static void random_pair(struct prng *p, struct xcx_mtrr_state *a,
                        struct xcx_mtrr_state *b, xcx_mtrr_map **ma,
                        xcx_mtrr_map **mb)
{
    struct rand_regs ra, rb;

    for (;;) {
        rand_regs(p, &ra);
        rand_regs(p, &rb);
        if (xcx_mtrr_state_init(a, &ra.regs, ra.width, ra.var_known, NULL) ||
            xcx_mtrr_state_init(b, &rb.regs, ra.width, rb.var_known, NULL))
            continue;
        *ma = xcx_mtrr_map_build(a, NULL);
        *mb = xcx_mtrr_map_build(b, NULL);
        if (*ma && *mb)
            return;
        xcx_mtrr_map_free(*ma);
        xcx_mtrr_map_free(*mb);
    }
}

static void test_diff_random(void **state)
{
    static struct changes ch;
    struct prng p;

    prng_seed(&p, SEED);
    for (unsigned int n = 0; n < NR_PAIRS; n++) {
        struct xcx_mtrr_state a, b;
        xcx_mtrr_map *ma, *mb;

        random_pair(&p, &a, &b, &ma, &mb);
        diff_maps(&a, &b, ma, mb, &ch, &p);
        diff_maps(&a, &a, ma, ma, &ch, &p);
        assert_int_equal(ch.n, 0);
        xcx_mtrr_map_free(ma);
        xcx_mtrr_map_free(mb);
    }
}

static void test_diff_errors(void **state)
{
    struct xcx_mtrr_state a = state_of(0, 0, 36), b = state_of(0, 0, 40);
    xcx_mtrr_map *ma = xcx_mtrr_map_build(&a, NULL),
                 *mb = xcx_mtrr_map_build(&b, NULL);
    xcx_mtrr_snapshot *sa = xcx_mtrr_snapshot_take(ma);
    xcx_mtrr_snapshot *sb = xcx_mtrr_snapshot_take(mb);

    errno = 0;
    assert_int_equal(xcx_mtrr_snapshot_diff(sa, sb, NULL, NULL, NULL), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_mtrr_snapshot_diff(NULL, sb, NULL, NULL, NULL), -1);
    errno = 0;
    assert_null(xcx_mtrr_snapshot_take(NULL));
    assert_int_equal(errno, EINVAL);
    xcx_mtrr_snapshot_free(NULL);
    xcx_mtrr_snapshot_free(sa);
    xcx_mtrr_snapshot_free(sb);
    xcx_mtrr_map_free(ma);
    xcx_mtrr_map_free(mb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_decode),
        cmocka_unit_test(test_diff_random),
        cmocka_unit_test(test_diff_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
