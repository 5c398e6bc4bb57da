/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xenctrl_ext/base.h: memory types, MSR indices, limits and the handle type,
 * shared by every topic.
 *
 * Part of <xenctrl_ext.h>, which states the conventions of the whole API;
 * include that. Sections marked (pure) are in libxenctrl_ext_pure, the
 * others in libxenctrl_ext.
 */
#ifndef XENCTRL_EXT_BASE_H
#define XENCTRL_EXT_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xentoollog.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Same typedef as <xenctrl.h>; repeating an identical typedef is valid C11. */
typedef struct xc_interface_core xc_interface;

/* A handle on libxenctrl for the live functions (xenctrl_ext/domain.h). */
typedef struct xcx_handle xcx_handle;

/* ------------------------------------------------------------------------ */
/* Memory types and MSRs                                                     */
/* ------------------------------------------------------------------------ */

/* Memory type encodings of the Intel SDM (MTRR and PAT). */
enum xcx_mem_type {
    XCX_MT_UC = 0,
    XCX_MT_WC = 1,
    XCX_MT_WT = 4,
    XCX_MT_WP = 5,
    XCX_MT_WB = 6,
    XCX_MT_UC_MINUS = 7, /* PAT only */
};

/* MSR indices of the MTRR interface. */
#define XCX_MSR_MTRRCAP        0x0fe
#define XCX_MSR_MTRR_PHYSBASE0 0x200 /* base of pair i: 0x200 + 2i */
#define XCX_MSR_MTRR_PHYSMASK0 0x201 /* mask of pair i: 0x201 + 2i */
#define XCX_MSR_MTRR_FIX64K    0x250
#define XCX_MSR_MTRR_FIX16K_0  0x258
#define XCX_MSR_MTRR_FIX16K_1  0x259
#define XCX_MSR_MTRR_FIX4K_0   0x268 /* 0x268..0x26f */
#define XCX_MSR_PAT            0x277
#define XCX_MSR_MTRR_DEF_TYPE  0x2ff

/* Bits of MTRRcap, MTRRdefType and PHYSMASK. */
#define XCX_MTRRCAP_VCNT_MASK 0xffu
#define XCX_MTRRCAP_FIX       (1u << 8)
#define XCX_MTRRCAP_WC        (1u << 10)
#define XCX_MTRR_DEF_FE       (1u << 10)
#define XCX_MTRR_DEF_E        (1u << 11)
#define XCX_MTRR_MASK_VALID   (1u << 11)

/* Limits: a save record holds 8 variable pairs and 11 fixed-range MSRs. */
#define XCX_MTRR_VAR_MAX         8
#define XCX_MTRR_FIXED_MSRS      11
#define XCX_MTRR_FIXED_SUBRANGES (XCX_MTRR_FIXED_MSRS * 8) /* 88 */
#define XCX_FIXED_RANGE_END      0x100000u /* fixed ranges cover [0, 1 MiB) */

/* Accepted physical-address widths (CPUID 0x80000008 EAX[7:0]). */
#define XCX_MAXPHYSADDR_MIN     32
#define XCX_MAXPHYSADDR_MAX     52
#define XCX_MAXPHYSADDR_DEFAULT 36 /* the SDM's width without the leaf */

/* Size in bytes of Xen's MTRR save record (struct hvm_hw_mtrr). */
#define XCX_MTRR_RECORD_SIZE 240

/**
 * xcx_mem_type_name: name of a memory type encoding.
 *
 * Returns "UC", "WC", "WT", "WP", "WB" or "UC-", or NULL (errno EINVAL) for
 * an encoding that is no memory type (2, 3, 8..255).
 *
 * Since: 1.0
 */
const char *xcx_mem_type_name(unsigned int code);

#ifdef __cplusplus
}
#endif

#endif /* XENCTRL_EXT_BASE_H */
