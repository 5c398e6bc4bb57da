/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal parts of the effective-type code (effective*.c); never installed. */
#ifndef XCX_EFFECTIVE_PRIVATE_H
#define XCX_EFFECTIVE_PRIVATE_H

#include "private.h"

/* AMD's intermediate types, in the two encodings no memory type uses. */
#define XCX_EXT_CD      2
#define XCX_EXT_WC_PLUS 3

/* The plain type an extended one is reported as (CD: UC, WC+: WC). */
static inline uint8_t xcx_ext_plain(uint8_t t)
{
    return t == XCX_EXT_CD ? XCX_MT_UC : t == XCX_EXT_WC_PLUS ? XCX_MT_WC : t;
}

/* Table lookups on valid types (PAT types may be UC-); 0xff: undefined. */
uint8_t xcx_combine_intel(unsigned int mtrr, unsigned int pat);
uint8_t xcx_combine_amd(unsigned int guest_pat, unsigned int host_pat,
                        unsigned int host_mtrr);
uint8_t xcx_combine_xen_ept(unsigned int guest, unsigned int host);

/* XEN_MSR_PAT: Xen's own PAT, which NPT entries index (every version). */
#define XCX_XEN_MSR_PAT 0x050100070406ull

/* One concrete value of every input: what a single evaluation sees. */
struct xcx_eff_world {
    uint8_t vendor;
    bool old_mfn_check; /* Xen still has epte_get_entry_emt()'s mfn_valid */
    bool iommu;
    bool cache_flush;
    uint8_t kind;
    bool mfn_valid;
    uint8_t pinned;
    uint8_t guest_mtrr;
    uint8_t host_mtrr;
    uint8_t pat_type; /* the guest PAT entry the index selects */
    bool cr0_cd;
    bool cr0_pg;
};

/* Evaluate one world: fills @out's types, branch and basis (the inputs
 * this path consulted); leaves reliability to the caller. */
void xcx_eff_eval(const struct xcx_eff_world *w, struct xcx_effective *out);

/* The EPT type and ignore-PAT bit of Xen's epte_get_entry_emt(). */
void xcx_eff_ept(const struct xcx_eff_world *w, struct xcx_effective *out);

/* effective_inputs.c: checks of what holds for every address (EINVAL,
 * EOPNOTSUPP, logged), of one frame's facts, and the uncertain inputs. */
int xcx_eff_check_inputs(const struct xcx_eff_inputs *in,
                         unsigned int pat_index, xentoollog_logger *lg);
int xcx_eff_check_frame(const struct xcx_eff_frame *f, uint64_t gpa,
                        xentoollog_logger *lg);
uint32_t xcx_eff_fixed_uncertain(const struct xcx_eff_inputs *in);
uint32_t xcx_eff_frame_uncertain(const struct xcx_eff_frame *f);

/* The world's values from the inputs, and from one frame's facts. */
void xcx_eff_world_fixed(const struct xcx_eff_inputs *in,
                         unsigned int pat_index, struct xcx_eff_world *w);
void xcx_eff_world_frame(const struct xcx_eff_frame *f,
                         struct xcx_eff_world *w);

#endif
