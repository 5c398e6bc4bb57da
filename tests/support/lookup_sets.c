/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "lookup_sets.h"
#include "prng.h"

static const char *const state_names[] = {"hvmloader", "busy", "desktop"};
static const char *const dist_names[] = {"uniform", "below-8G", "sorted",
                                         "scan-4G"};

const char *lset_state_name(enum lset_state s)
{
    return state_names[s];
}

const char *lset_dist_name(enum lset_dist d)
{
    return dist_names[d];
}

struct pair_spec {
    uint64_t base, size;
    unsigned int type;
};

static uint64_t fixed_all(unsigned int type)
{
    return UINT64_C(0x0101010101010101) * type;
}

static int make(struct xcx_mtrr_state *st, uint64_t def, unsigned int width,
                const struct pair_spec *pairs, unsigned int n,
                const uint64_t *fixed)
{
    struct xcx_mtrr_regs r;

    memset(&r, 0, sizeof(r));
    r.pat = UINT64_C(0x0007040600070406);
    r.cap = 0x508;
    r.def_type = def;
    memcpy(r.fixed, fixed, sizeof(r.fixed));
    for (unsigned int i = 0; i < n; i++) {
        uint64_t bits = ((UINT64_C(1) << width) - 1) & ~(pairs[i].size - 1);

        r.var[i].base = pairs[i].base | pairs[i].type;
        r.var[i].mask = bits | XCX_MTRR_MASK_VALID;
    }
    return xcx_mtrr_state_init(st, &r, width, 0xff, NULL);
}

#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)

static const struct pair_spec hvmloader_pairs[] = {
    {0xe8000000, MiB(128), XCX_MT_UC},
    {0xf0000000, MiB(256), XCX_MT_UC},
};

static const struct pair_spec busy_pairs[] = {
    {0, GiB(8), XCX_MT_WB},
    {0xc0000000, GiB(1), XCX_MT_UC},
    {0xe0000000, MiB(256), XCX_MT_WC},
    {GiB(4), GiB(1), XCX_MT_WT},
    {0x140000000, MiB(512), XCX_MT_WP},
    {0x150000000, MiB(64), XCX_MT_WC},
    {UINT64_C(1) << 44, UINT64_C(1) << 44, XCX_MT_WB},
    {UINT64_C(0x100080000000), GiB(2), XCX_MT_UC},
};

static const struct pair_spec desktop_pairs[] = {
    {0, GiB(16), XCX_MT_WB},         {GiB(16), GiB(1), XCX_MT_WB},
    {GiB(2), GiB(2), XCX_MT_UC},     {0x7c000000, MiB(64), XCX_MT_UC},
    {0x7b800000, MiB(8), XCX_MT_UC},
};

int lset_state(enum lset_state s, struct xcx_mtrr_state *st)
{
    uint64_t fixed[XCX_MTRR_FIXED_MSRS];

    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        fixed[i] = fixed_all(XCX_MT_WB);
    fixed[2] = fixed_all(XCX_MT_UC); /* 0x259: 0xa0000-0xbffff */
    switch (s) {
    case LSET_HVMLOADER:
        return make(st, 0xc06, 36, hvmloader_pairs, 2, fixed);
    case LSET_BUSY:
        return make(st, 0xc00, 46, busy_pairs, 8, fixed);
    default:
        /* 0xc0000-0xcffff option ROMs WP, 0xd0000-0xdffff UC, BIOS WP. */
        fixed[3] = fixed[4] = fixed_all(XCX_MT_WP);
        fixed[5] = fixed[6] = fixed_all(XCX_MT_UC);
        fixed[7] = fixed[8] = fixed[9] = fixed[10] = fixed_all(XCX_MT_WP);
        return make(st, 0xc00, 39, desktop_pairs, 5, fixed);
    }
}

size_t lset_chunks(enum lset_dist d, uint64_t step)
{
    uint64_t per;

    if (d != LSET_SCAN)
        return LSET_RANDOM_CHUNKS;
    per = (step > 4096 ? step : 4096) * LSET_CHUNK;
    return per >= LSET_SCAN_END ? 1 : (size_t)(LSET_SCAN_END / per);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Uniform in [0, limit - step], aligned down to @step. */
static uint64_t draw(struct prng *p, uint64_t limit, uint64_t step)
{
    return prng_below(p, limit - step + 1) & ~(step - 1);
}

void lset_fill(enum lset_dist d, unsigned int width, uint64_t step,
               size_t chunk, uint64_t *out)
{
    uint64_t top = UINT64_C(1) << width, low = GiB(8) < top ? GiB(8) : top;
    uint64_t by = step > 4096 ? step : 4096;
    struct prng p;

    prng_seed(&p,
              UINT64_C(0x1de5) * (d + 1) + chunk * UINT64_C(0x9e37) + width);
    for (size_t i = 0; i < LSET_CHUNK; i++) {
        switch (d) {
        case LSET_UNIFORM:
            out[i] = draw(&p, top, step);
            break;
        case LSET_LOW:
            out[i] = draw(&p, low, step);
            break;
        case LSET_SORTED:
            out[i] = draw(&p, (i & 1) ? low : top, step);
            break;
        default:
            out[i] = ((chunk * LSET_CHUNK + i) * by) % LSET_SCAN_END;
            break;
        }
    }
    if (d == LSET_SORTED)
        qsort(out, LSET_CHUNK, sizeof(*out), cmp_u64);
}
