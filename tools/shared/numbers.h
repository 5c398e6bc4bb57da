/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Strict parsing of numbers and sizes, for options, operands and files. */
#ifndef XCX_CLI_NUMBERS_H
#define XCX_CLI_NUMBERS_H

#include <stdbool.h>
#include <stdint.h>

/* Parse a whole number: decimal or 0x-hex, no sign, no garbage, no wrap. */
bool parse_u64(const char *s, uint64_t *out);
/* As parse_u64, within [min, max]. */
bool parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* As parse_u64 with an optional K, M or G suffix (binary). */
bool parse_size(const char *s, uint64_t *out);
/* A dump range "START-END" (END above START) or "START-" (*@end 0: up to
 * the top of the address space). */
bool parse_va_range(const char *s, uint64_t *start, uint64_t *end);

#endif
