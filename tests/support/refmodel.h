/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An independent, deliberately naive model of the library's rules, written
 * from the header's spec, NOTES.md section 2 and Xen's get_mtrr_type(), to
 * check the library against: which registers xcx_mtrr_state_init()
 * accepts, the width a record's masks show, the var_known rule of
 * xcx_mtrr_record_decode() and what xcx_mtrr_resolve() gives.
 *
 * Shared by the cmocka tests and the fuzz harnesses (which compile this
 * file into their libFuzzer binaries): it must not use cmocka.
 */
#ifndef TEST_REFMODEL_H
#define TEST_REFMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

/* A type an MTRR may hold: UC, WC, WT, WP or WB (not UC-, PAT only). */
bool ref_type_ok(unsigned int type);

/* The address bits of PHYSBASE/PHYSMASK at @width: bits 12..@width-1. */
uint64_t ref_addr_bits(unsigned int width);

/* Would xcx_mtrr_state_init() accept @r at @width? */
bool ref_regs_valid(const struct xcx_mtrr_regs *r, unsigned int width);

/*
 * What xcx_mtrr_regs_width_hint() says of @r: the highest bit of any valid
 * pair's mask among the first VCNT (at most 8), at least 36, at most 52.
 */
unsigned int ref_width_hint(const struct xcx_mtrr_regs *r);

/*
 * The var_known rule of xcx_mtrr_record_decode() for registers it accepts
 * (VCNT at most 8): every pair below VCNT is known, unless pairs 1..VCNT-1
 * all repeat pair 0 (Xen's save bug), then pair 0 only.
 */
uint32_t ref_var_known(const struct xcx_mtrr_regs *r);

/* Fixed sub-range (0..87) of an address below 1 MiB. */
unsigned int ref_fixed_index(uint64_t addr);

/* First address and size of fixed sub-range @index. */
uint64_t ref_fixed_start(unsigned int index);
uint64_t ref_fixed_size(unsigned int index);

/*
 * The expected result for @gpa; false when @gpa is out of range (where the
 * library fails with ERANGE). It trusts the state it is given.
 */
bool ref_resolve(const struct xcx_mtrr_state *st, uint64_t gpa,
                 struct xcx_mtrr_result *res);

/* Equal in every field (fixed_index only when the origin is FIXED). */
bool ref_result_equal(const struct xcx_mtrr_result *a,
                      const struct xcx_mtrr_result *b);

/* Equal as the map merges: every field but fixed_index. */
bool ref_result_equal_merged(const struct xcx_mtrr_result *a,
                             const struct xcx_mtrr_result *b);

/* "type=WB origin=default overlap=none reliable=1 pairs=0x0 fixed=0". */
void ref_result_format(char *buf, size_t size, const struct xcx_mtrr_result *r);

#endif
