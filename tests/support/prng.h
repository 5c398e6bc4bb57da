/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A fixed-seed splitmix64 generator: tests must be deterministic. */
#ifndef TEST_PRNG_H
#define TEST_PRNG_H

#include <stdbool.h>
#include <stdint.h>

struct prng {
    uint64_t state;
};

static inline void prng_seed(struct prng *p, uint64_t seed)
{
    p->state = seed;
}

static inline uint64_t prng_next(struct prng *p)
{
    uint64_t z = (p->state += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* A value in [0, n); 0 when n is 0. The modulo bias does not matter here. */
static inline uint64_t prng_below(struct prng *p, uint64_t n)
{
    return n ? prng_next(p) % n : 0;
}

/* A value in [lo, hi]. */
static inline uint64_t prng_range(struct prng *p, uint64_t lo, uint64_t hi)
{
    return lo + prng_below(p, hi - lo + 1);
}

/* True with probability @pct percent. */
static inline bool prng_chance(struct prng *p, unsigned int pct)
{
    return prng_below(p, 100) < pct;
}

#endif
