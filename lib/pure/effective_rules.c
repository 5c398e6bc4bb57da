/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * How the processors combine memory types: the Intel SDM's Table 11-7
 * (PAT over MTRR, and over the EPT type with ignore-PAT clear), the AMD
 * APM's PAT-over-MTRR and nested-paging combinations, and Xen's
 * combination of a guest MTRR type with a host MTRR type into an EPT type.
 */
#include <errno.h>

#include "effective_private.h"

enum {
    UC = XCX_MT_UC,
    WC = XCX_MT_WC,
    WT = XCX_MT_WT,
    WP = XCX_MT_WP,
    WB = XCX_MT_WB,
    UCM = XCX_MT_UC_MINUS,
    CD = XCX_EXT_CD,
    WCP = XCX_EXT_WC_PLUS,
    RS = 0xff
};

/*
 * Intel SDM vol. 3A, Table 11-7 "Effective Page-Level Memory Types", by
 * MTRR row and PAT column. The WT/WP, WP/WT and WP/UC- cells are those the
 * SDM footnotes as current processors' behaviour (Xen's mm_type_tbl in
 * xen/arch/x86/hvm/mtrr.c agrees).
 */
static const uint8_t intel_table[8][8] = {
    /*         PAT: UC  WC  -   -   WT  WP  WB  UC- */
    [UC] = {UC, WC, RS, RS, UC, UC, UC, UC},
    [WC] = {UC, WC, RS, RS, UC, UC, WC, WC},
    [WT] = {UC, WC, RS, RS, WT, WP, WT, UC},
    [WP] = {UC, WC, RS, RS, WT, WP, WP, WC},
    [WB] = {UC, WC, RS, RS, WT, WP, WB, UC},
};

/*
 * AMD APM vol. 2, "Combining PAT and MTRR Types", by PAT row and MTRR
 * column; the CD and WC+ rows are the intermediate types nested paging
 * produces (a CD stays CD unless the MTRR says UC; WC+ keeps combining
 * writes and becomes WC over a WC range).
 */
static const uint8_t amd_table[8][8] = {
    /*         MTRR: UC  WC  -   -   WT  WP  WB  - */
    [UC] = {UC, UC, RS, RS, UC, UC, UC, RS},
    [WC] = {WC, WC, RS, RS, WC, WC, WC, RS},
    [CD] = {UC, CD, RS, RS, CD, CD, CD, RS},
    [WCP] = {UC, WC, RS, RS, WCP, WCP, WCP, RS},
    [WT] = {UC, CD, RS, RS, WT, CD, WT, RS},
    [WP] = {UC, CD, RS, RS, CD, WP, WP, RS},
    [WB] = {UC, WC, RS, RS, WT, WP, WB, RS},
    [UCM] = {UC, WC, RS, RS, CD, CD, CD, RS},
};

/*
 * AMD APM vol. 2, nested paging: the guest PAT type over the host PAT type
 * of the nested entry. Xen's NPT entries select only WB (index 0), UC-
 * (index 2, direct MMIO) and UC (index 3, read-only MMIO) from
 * XEN_MSR_PAT, so only those host columns are defined here. Over WB the
 * guest type stays, except that WC becomes WC+ and UC- becomes CD; over
 * UC- a guest WC stays WC, WB gives UC-, UC gives UC, the rest CD.
 */
static uint8_t amd_nested(unsigned int guest, unsigned int host)
{
    if (host == UC || guest == UC)
        return UC;
    if (host == WB)
        return guest == WC ? WCP : guest == UCM ? CD : (uint8_t)guest;
    if (host != UCM)
        return RS;
    return guest == WC ? WC : guest == WB ? UCM : CD;
}

static bool pat_type_valid(unsigned int t)
{
    return xcx_mtrr_type_valid(t) || t == UCM;
}

uint8_t xcx_combine_intel(unsigned int mtrr, unsigned int pat)
{
    return intel_table[mtrr & 7][pat & 7];
}

uint8_t xcx_combine_amd(unsigned int guest_pat, unsigned int host_pat,
                        unsigned int host_mtrr)
{
    uint8_t nested = amd_nested(guest_pat, host_pat);

    return nested == RS ? RS : amd_table[nested & 7][host_mtrr & 7];
}

uint8_t xcx_combine_xen_ept(unsigned int guest, unsigned int host)
{
    if (guest == host)
        return guest;
    if (guest == UC || host == UC)
        return UC;
    if (guest == WB)
        return host;
    if (host == WB)
        return guest;
    /* WC with WT or WP cannot be merged cleanly; WT with WP can. */
    if ((guest == WT && host == WP) || (guest == WP && host == WT))
        return WP;
    return UC;
}

XCX_EXPORT int xcx_pat_entry(uint64_t pat, unsigned int index, uint8_t *type)
{
    unsigned int t;

    if (index > 7 || !type) {
        errno = EINVAL;
        return -1;
    }
    t = (pat >> (8 * index)) & 0xff;
    if (!pat_type_valid(t)) {
        errno = EINVAL;
        return -1;
    }
    *type = t;
    return 0;
}

XCX_EXPORT int xcx_combine_pat_mtrr(unsigned int vendor, unsigned int mtrr,
                                    unsigned int pat, uint8_t *type)
{
    uint8_t t;

    if (!type || !xcx_mtrr_type_valid(mtrr) || !pat_type_valid(pat)) {
        errno = EINVAL;
        return -1;
    }
    if (vendor == XCX_VENDOR_INTEL)
        t = xcx_combine_intel(mtrr, pat);
    else if (vendor == XCX_VENDOR_AMD)
        t = amd_table[pat][mtrr];
    else {
        errno = EINVAL;
        return -1;
    }
    *type = xcx_ext_plain(t);
    return 0;
}

XCX_EXPORT int xcx_combine_ept_mtrr(unsigned int guest, unsigned int host,
                                    uint8_t *type)
{
    if (!type || !xcx_mtrr_type_valid(guest) || !xcx_mtrr_type_valid(host)) {
        errno = EINVAL;
        return -1;
    }
    *type = xcx_combine_xen_ept(guest, host);
    return 0;
}
