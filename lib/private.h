/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal helpers shared by the library's files; never installed. */
#ifndef XCX_PRIVATE_H
#define XCX_PRIVATE_H

#include "xenctrl_ext.h"

#define XCX_EXPORT __attribute__((visibility("default")))

/* Log one message; errno is preserved. @errnoval < 0: no strerror suffix. */
void xcx_log(xentoollog_logger *lg, xentoollog_level level, int errnoval,
             const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Log an error naming the bad value (strerror(@err) appended by stdio
 * loggers), set errno to @err and return -1. */
int xcx_fail(xentoollog_logger *lg, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* True when @code is an MTRR type (UC, WC, WT, WP, WB). */
bool xcx_mtrr_type_valid(unsigned int code);

/* Type byte of fixed sub-range @index (0..87). */
static inline unsigned int xcx_fixed_type(const struct xcx_mtrr_regs *r,
                                          unsigned int index)
{
    return (r->fixed[index / 8] >> (8 * (index % 8))) & 0xff;
}

/* Fixed sub-range index of an address below 1 MiB (SDM 11.11.2.2). */
static inline unsigned int xcx_fixed_index(uint32_t addr)
{
    if (addr < 0x80000)
        return addr >> 16; /* 8 x 64 KiB: 0..7 */
    if (addr < 0xc0000)
        return 8 + ((addr - 0x80000) >> 14); /* 16 x 16 KiB: 8..23 */
    return 24 + ((addr - 0xc0000) >> 12);    /* 64 x 4 KiB: 24..87 */
}

/* First address of fixed sub-range @index (0..87), and its size. */
static inline uint32_t xcx_fixed_start(unsigned int index)
{
    if (index < 8)
        return index << 16;
    if (index < 24)
        return 0x80000 + ((index - 8) << 14);
    return 0xc0000 + ((index - 24) << 12);
}

static inline uint32_t xcx_fixed_size(unsigned int index)
{
    return index < 8 ? 0x10000 : index < 24 ? 0x4000 : 0x1000;
}

/* Mask bits that take part in matching: [12, maxphysaddr). */
static inline uint64_t xcx_addr_bits(unsigned int maxphysaddr)
{
    return ((UINT64_C(1) << maxphysaddr) - 1) & ~UINT64_C(0xfff);
}

/* Registers of a XCX_MTRR_RECORD_SIZE-byte record, unvalidated. */
void xcx_mtrr_regs_from_record(struct xcx_mtrr_regs *r, const void *rec);

/* Resolution steps shared by the direct rule and the map builder. */
int xcx_state_check_bounds(const struct xcx_mtrr_state *st,
                           xentoollog_logger *lg);
void xcx_combine_pairs(const struct xcx_mtrr_state *st, uint32_t pairs,
                       struct xcx_mtrr_result *res);
void xcx_resolve_unchecked(const struct xcx_mtrr_state *st, uint64_t gpa,
                           struct xcx_mtrr_result *res);

#endif
