/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Random proposed MSR writes for a state: every MTRR MSR and PAT, mostly
 * values Xen accepts, with refused ones of every kind (bad types, reserved
 * bits, the width's top bit, pairs at or above VCNT, MTRRcap), same-value
 * writes, and now and then Xen's old value. Not cmocka: the fuzz harnesses
 * may use it too.
 */
#ifndef TEST_RANDWRITE_H
#define TEST_RANDWRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "prng.h"
#include "xenctrl_ext.h"

struct rand_write {
    uint32_t msr;
    uint64_t value;
    bool has_old;
    uint64_t old; /* with has_old: the register's value in the state */
};

void rand_write(struct prng *p, const struct xcx_mtrr_state *st,
                struct rand_write *w);

/* The register of @msr in @r (MTRR or PAT MSRs only). */
uint64_t rand_write_reg(const struct xcx_mtrr_regs *r, uint32_t msr);

#endif
