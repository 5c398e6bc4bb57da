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

/*
 * One register value checked as Xen 4.17 checks a guest's write to it
 * (xen/arch/x86/hvm/mtrr.c): true when valid, else false with what is
 * wrong in @why (e.g. "type 3 is not a memory type"), for the caller to
 * put behind the register's name and value. Shared by the validation of
 * states (mtrr_state.c) and of proposed writes (msr_write.c).
 */
#define XCX_WHY_SIZE 112
bool xcx_def_type_ok(uint64_t v, char *why, size_t n);
bool xcx_fixed_ok(unsigned int row, uint64_t v, char *why, size_t n);
bool xcx_physbase_ok(uint64_t v, unsigned int maxphysaddr, char *why, size_t n);
bool xcx_physmask_ok(uint64_t v, unsigned int maxphysaddr, char *why, size_t n);
bool xcx_pat_ok(uint64_t v, char *why, size_t n);

/* MSR index of fixed-range row @row (0..10), in save-record order. */
static inline uint32_t xcx_fixed_msr(unsigned int row)
{
    return row == 0  ? XCX_MSR_MTRR_FIX64K
           : row < 3 ? XCX_MSR_MTRR_FIX16K_0 + (row - 1)
                     : XCX_MSR_MTRR_FIX4K_0 + (row - 3);
}

/*
 * Knowledge of variable registers: a known pair has both registers known
 * (var_known lifted into var_regs_known), bits at or above VCNT are
 * dropped, and var_known becomes the pairs with both registers known.
 */
void xcx_state_sync_known(struct xcx_mtrr_state *st);

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

/*
 * The map of [@lo, @hi) only (within [0, 2^maxphysaddr)): entries clipped
 * to the window, for the range queries of a tracker whose whole map is too
 * large. xcx_mtrr_map_build() is the window [0, 2^maxphysaddr).
 */
xcx_mtrr_map *xcx_map_build_window(const struct xcx_mtrr_state *st, uint64_t lo,
                                   uint64_t hi, xentoollog_logger *lg);
/* Replace the logger a map's lookups report through. */
void xcx_map_set_logger(xcx_mtrr_map *map, xentoollog_logger *lg);
/* The argument checks of xcx_mtrr_map_range(): EINVAL, ERANGE. */
int xcx_map_range_check(xentoollog_logger *lg, unsigned int maxphysaddr,
                        uint64_t gpa, uint64_t len);

/* The logger a tracker was made with. */
xentoollog_logger *xcx_tracker_logger(const xcx_mtrr_tracker *tr);
/* How often vCPU @vcpu's map was built (for tests); 0 out of range. */
unsigned long xcx_tracker_map_builds(const xcx_mtrr_tracker *tr,
                                     unsigned int vcpu);

#endif
