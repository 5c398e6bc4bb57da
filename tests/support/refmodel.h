/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An independent, deliberately naive model of xcx_mtrr_resolve(), written
 * from the header's spec and NOTES.md section 2, to check the library's
 * resolver and map against. It trusts the state it is given.
 */
#ifndef TEST_REFMODEL_H
#define TEST_REFMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

/* Fixed sub-range (0..87) of an address below 1 MiB. */
unsigned int ref_fixed_index(uint64_t addr);

/* First address and size of fixed sub-range @index. */
uint64_t ref_fixed_start(unsigned int index);
uint64_t ref_fixed_size(unsigned int index);

/* The expected result for @gpa; false when @gpa is out of range. */
bool ref_resolve(const struct xcx_mtrr_state *st, uint64_t gpa,
                 struct xcx_mtrr_result *res);

/* Equal in every field (fixed_index only when the origin is FIXED). */
bool ref_result_equal(const struct xcx_mtrr_result *a,
                      const struct xcx_mtrr_result *b);

/* "type=WB origin=default overlap=none reliable=1 pairs=0x0 fixed=0". */
void ref_result_format(char *buf, size_t size, const struct xcx_mtrr_result *r);

#endif
