/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The MTRR sets the e2e PVH guest programs, one variant per guest image
 * (-DXCX_VARIANT=N). Types: 0 UC, 1 WC, 4 WT, 5 WP, 6 WB. A fixed-range
 * MSR holds eight sub-range types, byte i for sub-range i. A pair with
 * size 0 is written with its base and a mask of 0 (not valid).
 * The checker (check.py) derives everything it expects from what the guest
 * reports, not from this file.
 */
#define UC     0
#define WC     1
#define WT     4
#define WP     5
#define WB     6
#define DEF_E  0x800
#define DEF_FE 0x400
#define ALL(t) (0x0101010101010101ull * (t))
#define KB(x)  ((u64)(x) << 10)
#define MB(x)  ((u64)(x) << 20)
#define GB(x)  ((u64)(x) << 30)

#if XCX_VARIANT == 1
/* "mixed": two vCPUs with different sets. vCPU 0: E+FE, default WB, fixed
 * ranges of every type, eight pairs with overlaps of every kind. vCPU 1:
 * E without FE, default UC, three pairs. */
#define XCX_VARIANT_NAME "mixed"
#define XCX_NR_VCPUS     2
static const struct mtrr_setup setups[XCX_NR_VCPUS] = {
    {
        .def_type = DEF_E | DEF_FE | WB,
        .fixed =
            {
                0x0005040406060606ull, /* 0x00000: WB x4, WT, WT, WP, UC */
                0x0100060606060606ull, /* 0x80000: WB x6, UC, WC */
                ALL(WC),               /* 0xa0000: the VGA hole, WC */
                ALL(WP),               /* 0xc0000 */
                0x0000000004040404ull, /* 0xc8000: WT x4, UC x4 */
                ALL(UC),               /* 0xd0000 */
                ALL(UC),               /* 0xd8000 */
                ALL(UC),               /* 0xe0000 */
                ALL(UC),               /* 0xe8000 */
                ALL(WB),               /* 0xf0000 */
                0x0606060605050505ull, /* 0xf8000: WP x4, WB x4 */
            },
        .var =
            {
                {GB(2), GB(1), UC, 0},            /* 0: pair 0 UC */
                {0, MB(256), WT, 0},              /* 1 */
                {MB(128), MB(64), WC, 0},         /* 2: WT+WC: undefined */
                {GB(2) + MB(256), MB(16), WB, 0}, /* 3: in pair 0: UC */
                {MB(512), MB(512), WP, 0},        /* 4 */
                {GB(1), MB(256), WT, 0},          /* 5 */
                {GB(1), MB(512), WB, 0},          /* 6: WT+WB: WT */
                {GB(3) + MB(256), 0, WC, 0},      /* 7: not valid */
            },
    },
    {
        .def_type = DEF_E | UC,
        .fixed = {ALL(WB), ALL(WB), ALL(WB), ALL(WB), ALL(WB), ALL(WB), ALL(WB),
                  ALL(WB), ALL(WB), ALL(WB), ALL(WB)},
        .var =
            {
                {0, GB(2), WB, 0},       /* 0 */
                {0, MB(1), UC, 0},       /* 1: FE off: UC wins */
                {GB(3), MB(256), WC, 0}, /* 2 */
            },
    },
};

#elif XCX_VARIANT == 2
/* "disabled": E clear (FE set, pairs programmed): every address is UC. */
#define XCX_VARIANT_NAME "disabled"
#define XCX_NR_VCPUS     1
static const struct mtrr_setup setups[XCX_NR_VCPUS] = {
    {
        .def_type = DEF_FE | WB,
        .fixed = {ALL(WB), ALL(WB), ALL(WC), ALL(WB), ALL(WB), ALL(WB), ALL(WB),
                  ALL(WB), ALL(WB), ALL(WB), ALL(WB)},
        .var =
            {
                {0, GB(2), WB, 0},
                {GB(3) + MB(768), MB(256), UC, 0},
            },
    },
};

#elif XCX_VARIANT == 3
/* "sparse": E+FE, default UC, WT fixed ranges, pair 0 WB over the first
 * GiB, a UC pair inside it, a WT pair with a non-contiguous mask (bit 30
 * left out: it matches 0x10000000 and 0x50000000, 256 MiB each). */
#define XCX_VARIANT_NAME "sparse"
#define XCX_NR_VCPUS     1
static const struct mtrr_setup setups[XCX_NR_VCPUS] = {
    {
        .def_type = DEF_E | DEF_FE | UC,
        .fixed = {ALL(WT), ALL(WT), ALL(WT), ALL(WT), ALL(WT), ALL(WT), ALL(WT),
                  ALL(WT), ALL(WT), ALL(WT), ALL(WT)},
        .var =
            {
                {0, GB(1), WB, 0},
                {GB(1) - MB(16), MB(16), UC, 0},
                {GB(1) + MB(256), MB(256), WT, GB(1)},
            },
    },
};

#elif XCX_VARIANT == 4
/* "watch": created paused for xc-mtrr-watch --from-start. Two vCPUs, pairs
 * of every type with overlaps; vCPU 0 then keeps rewriting MTRRphysBase7
 * (XCX_LOOP_PAIR), alternating its type between the programmed one and
 * XCX_LOOP_TYPE, so a watcher sees a steady stream of writes (pvh-main.c).
 * vCPU 0: E+FE, default WB. Pair 0 WB over [0, 2 GiB): the save record
 * shows it in every slot, and is wrong wherever pairs 1..7 decide.
 * vCPU 1: E without FE, default UC, four pairs. */
#define XCX_VARIANT_NAME "watch"
#define XCX_NR_VCPUS     2
#define XCX_LOOP_PAIR    7
#define XCX_LOOP_TYPE    WT
static const struct mtrr_setup setups[XCX_NR_VCPUS] = {
    {
        .def_type = DEF_E | DEF_FE | WB,
        .fixed =
            {
                0x0606060606060404ull, /* 0x00000: WT x2, WB x6 */
                0x0000060606060606ull, /* 0x80000: WB x6, UC x2 */
                ALL(WC),               /* 0xa0000 */
                ALL(WP),               /* 0xc0000 */
                ALL(UC),               /* 0xc8000 */
                ALL(UC),               /* 0xd0000 */
                ALL(UC),               /* 0xd8000 */
                0x0505050500000000ull, /* 0xe0000: UC x4, WP x4 */
                ALL(WP),               /* 0xe8000 */
                ALL(WB),               /* 0xf0000 */
                ALL(WP),               /* 0xf8000 */
            },
        .var =
            {
                {0, GB(2), WB, 0},                /* 0 */
                {GB(1), MB(256), UC, 0},          /* 1: UC inside WB */
                {MB(512), MB(256), WT, 0},        /* 2: WT+WB: WT */
                {GB(2), GB(1), WC, 0},            /* 3 */
                {GB(3), MB(512), WP, 0},          /* 4 */
                {GB(3) + MB(768), MB(64), UC, 0}, /* 5 */
                {GB(4), GB(1), WB, 0},            /* 6: above 4 GiB */
                {GB(3) + MB(512), MB(16), UC, 0}, /* 7: the loop's pair */
            },
    },
    {
        .def_type = DEF_E | UC,
        .fixed = {ALL(WB), ALL(WB), ALL(WB), ALL(WB), ALL(WB), ALL(WB), ALL(WB),
                  ALL(WB), ALL(WB), ALL(WB), ALL(WB)},
        .var =
            {
                {0, GB(2), WB, 0},       /* 0 */
                {0, MB(1), UC, 0},       /* 1: FE off: UC wins */
                {GB(3), MB(256), WT, 0}, /* 2 */
                {GB(1), MB(16), WC, 0},  /* 3: WC+WB: undefined, Xen: last */
            },
    },
};

#else
#error "unknown XCX_VARIANT"
#endif
