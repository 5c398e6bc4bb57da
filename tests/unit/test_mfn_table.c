/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The MFN hash table (lib/pure/mfn_table.c): random adds and finds against
 * a sorted model, keys that collide, growth keeping every entry and its
 * payload, reserve, clear.
 */
#include <stdlib.h>

#include "mfn_table.h"
#include "prng.h"
#include "unit.h"

#define NR_KEYS 20000
#define SEED    UINT64_C(0x6d666e7461626c65) /* "mfntable" */

struct entry {
    struct xcx_mfn_slot key;
    uint64_t payload;
};

static void test_random(void **state)
{
    static uint64_t keys[NR_KEYS];
    struct xcx_mfn_table t;
    struct prng p;

    prng_seed(&p, SEED);
    xcx_mfn_table_init(&t, sizeof(struct entry));
    assert_null(xcx_mfn_table_find(&t, 1)); /* nothing allocated yet */
    for (unsigned int i = 0; i < NR_KEYS; i++) {
        /* Half spread out, half in a dense run, as page tables are. */
        keys[i] = i % 2 ? prng_next(&p) >> 12 : 0x100000 + i;
        struct entry *e = xcx_mfn_table_add(&t, keys[i]);

        assert_non_null(e);
        assert_int_equal(e->key.mfn, keys[i]);
        e->payload = keys[i] ^ 0x5a5a;
    }
    assert_true(t.capacity >= 2 * t.count);
    for (unsigned int i = 0; i < NR_KEYS; i++) {
        struct entry *e = xcx_mfn_table_find(&t, keys[i]);

        assert_non_null(e);
        assert_int_equal(e->payload, keys[i] ^ 0x5a5a);
        assert_ptr_equal(xcx_mfn_table_add(&t, keys[i]), e); /* no copy */
    }
    assert_null(xcx_mfn_table_find(&t, 0x100000 + 1)); /* odd i: spread */
    xcx_mfn_table_clear(&t);
    assert_int_equal(t.count, 0);
    assert_null(xcx_mfn_table_find(&t, keys[0]));
    xcx_mfn_table_free(&t);
}

/* Keys that differ only above bit 40, far from the dense runs above. */
static void test_collisions(void **state)
{
    struct xcx_mfn_table t;
    struct entry *e;

    xcx_mfn_table_init(&t, sizeof(struct entry));
    for (uint64_t k = 0; k < 30; k++) {
        e = xcx_mfn_table_add(&t, k << 40);
        assert_non_null(e);
        assert_int_equal(e->payload, 0); /* new slots come zeroed */
        e->payload = k + 1;
    }
    for (uint64_t k = 0; k < 30; k++) {
        e = xcx_mfn_table_find(&t, k << 40);
        assert_non_null(e);
        assert_int_equal(e->payload, k + 1);
    }
    assert_null(xcx_mfn_table_find(&t, UINT64_C(31) << 40));
    xcx_mfn_table_free(&t);
}

static void test_reserve(void **state)
{
    struct xcx_mfn_table t;
    unsigned char *slots;

    xcx_mfn_table_init(&t, sizeof(struct entry));
    assert_int_equal(xcx_mfn_table_reserve(&t, 1000), 0);
    slots = t.slots;
    for (uint64_t k = 0; k < 1000; k++)
        assert_non_null(xcx_mfn_table_add(&t, k * 7));
    assert_ptr_equal(t.slots, slots); /* reserved: never grew */
    errno = 0;
    assert_int_equal(xcx_mfn_table_reserve(&t, SIZE_MAX / 2), -1);
    assert_int_equal(errno, ENOMEM);
    xcx_mfn_table_free(&t);
    xcx_mfn_table_free(&t); /* freeing twice is harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_collisions),
        cmocka_unit_test(test_reserve),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
