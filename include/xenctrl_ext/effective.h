/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xenctrl_ext/effective.h: the memory type a guest access really gets
 * (pure), and the facts of a live host it rests on.
 *
 * The guest's MTRR type is one input. On Intel (EPT) Xen computes an EPT
 * type and an "ignore PAT" bit per frame (epte_get_entry_emt() in
 * xen/arch/x86/mm/p2m-ept.c) and the processor combines the EPT type with
 * the guest PAT type as the SDM's Table 11-7 combines an MTRR type with a
 * PAT type. On AMD (NPT) Xen never consults the guest's MTRRs: the guest
 * PAT type combines with the nested entry's type (Xen's PAT entry selected
 * by the NPT entry's flags, then the host MTRR type) as the AMD APM vol. 2
 * describes for nested paging.
 *
 * Every input carries where it came from and whether it is certain. An
 * answer is reliable when every value the uncertain inputs it rests on
 * could take gives the same effective type; it lists the inputs it rests
 * on (basis) and which of them are uncertain (unknown).
 *
 * Part of <xenctrl_ext.h>, which states the conventions of the whole API;
 * include that. Sections marked (pure) are in libxenctrl_ext_pure, the
 * others in libxenctrl_ext.
 */
#ifndef XENCTRL_EXT_EFFECTIVE_H
#define XENCTRL_EXT_EFFECTIVE_H

#include "tracking.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Inputs (pure)                                                             */
/* ------------------------------------------------------------------------ */

/* The host's processor vendor, which decides the paging Xen uses with HAP. */
enum xcx_vendor {
    XCX_VENDOR_UNKNOWN = 0,
    XCX_VENDOR_INTEL = 1, /* VMX, HAP is EPT */
    XCX_VENDOR_AMD = 2,   /* SVM, HAP is NPT (Hygon behaves as AMD) */
};

/* How the domain's guest-physical memory is translated. */
enum xcx_paging {
    XCX_PAGING_UNKNOWN = 0,
    XCX_PAGING_EPT = 1,    /* Intel HAP */
    XCX_PAGING_NPT = 2,    /* AMD HAP */
    XCX_PAGING_SHADOW = 3, /* no HAP: not modelled, answers fail */
};

/* Where an input came from. */
enum xcx_eff_source {
    XCX_SRC_NONE = 0,     /* nobody said: a placeholder, never certain */
    XCX_SRC_XEN = 1,      /* asked of Xen (physinfo, domctl, CPU policy) */
    XCX_SRC_RECORD = 2,   /* the guest's HVM save record */
    XCX_SRC_TRACKER = 3,  /* MSR writes tracked from the guest's creation */
    XCX_SRC_CONFIG = 4,   /* libxl's saved configuration of the domain */
    XCX_SRC_HOST = 5,     /* dom0's view of the host (e.g. /proc/mtrr) */
    XCX_SRC_USER = 6,     /* given by the caller (a command-line option) */
    XCX_SRC_ASSUMED = 7,  /* a stated default, e.g. host MTRRs WB */
    XCX_SRC_WALK = 8,     /* the guest's page tables */
    XCX_SRC_XEN_RULE = 9, /* fixed by Xen's code (e.g. XEN_MSR_PAT) */
};

/* Where one input came from and whether it is certain. */
struct xcx_eff_fact {
    uint8_t source; /* enum xcx_eff_source */
    bool certain;   /* false: the value is a best guess, flagged as such */
};

/* Host facts. */
struct xcx_eff_host {
    uint8_t vendor; /* enum xcx_vendor */
    struct xcx_eff_fact vendor_fact;
    uint8_t paging; /* enum xcx_paging: the domain's (HAP -> EPT/NPT) */
    struct xcx_eff_fact paging_fact;
    /* Xen's version, major << 16 | minor << 8 | micro (0x041105 for
     * 4.17.5); 0 unknown. Until 4.17.4 and 4.18.2, epte_get_entry_emt()
     * makes a frame without a valid MFN UC with ignore-PAT; later (commit
     * "x86/EPT: drop questionable mfn_valid()", 4.19 and the backports)
     * direct MMIO of such a frame is UC with the guest PAT live. */
    uint32_t xen_version;
    struct xcx_eff_fact xen_version_fact;
};

/* Facts of the domain that decide whether Xen honours its MTRRs (EPT). */
struct xcx_eff_domain {
    bool iommu; /* is_iommu_enabled(d): the domain has an IOMMU context */
    struct xcx_eff_fact iommu_fact;
    /* cache_flush_permitted(d): I/O memory or I/O port ranges granted */
    bool cache_flush;
    struct xcx_eff_fact cache_flush_fact;
};

/* What Xen's P2M holds for a frame (the p2m_type_t classes that matter). */
enum xcx_frame_kind {
    XCX_FRAME_RAM = 0,         /* guest RAM (ram_rw, ram_ro, logdirty ...) */
    XCX_FRAME_MMIO_DIRECT = 1, /* p2m_mmio_direct: I/O memory mapped in */
    XCX_FRAME_MMIO_RO = 2,     /* a frame in Xen's mmio_ro_ranges */
    XCX_FRAME_GRANT = 3,       /* grant mapping (ro or rw) */
    XCX_FRAME_FOREIGN = 4,     /* p2m_map_foreign */
    XCX_FRAME_SPECIAL = 5,     /* a Xen special page (shared info ...) */
};

/* No type: a frame not pinned, or a field that does not apply. */
#define XCX_EFF_NONE 0xff

/* Facts of one frame, which dom0 mostly cannot observe for HVM guests. */
struct xcx_eff_frame {
    uint8_t kind; /* enum xcx_frame_kind */
    struct xcx_eff_fact kind_fact;
    bool mfn_valid; /* the machine frame is RAM Xen knows (mfn_valid()) */
    struct xcx_eff_fact mfn_valid_fact;
    /* A type pinned with XEN_DMOP_pin_memory_cacheattr (UC, WC, WT, WP,
     * WB, UC-), or XCX_EFF_NONE. Xen offers no call to read pins;
     * libxl never sets any, only a device model can. */
    uint8_t pinned;
    struct xcx_eff_fact pinned_fact;
    /* The host MTRR type of the frame's machine address. */
    uint8_t host_mtrr;
    struct xcx_eff_fact host_mtrr_fact;
};

/*
 * Facts of one frame by guest frame number, for callers who know them:
 * return 0 with *@out filled, or -1 with errno set to fail the lookup.
 */
typedef int xcx_eff_frame_fn(void *arg, uint64_t gfn,
                             struct xcx_eff_frame *out);

/* The guest's side of an access. */
struct xcx_eff_guest {
    /*
     * The guest's MTRRs, one source: @maps (one map per vCPU, @nr_vcpus
     * of them) or @tracker (its vCPUs). Xen uses the MTRRs of the vCPU
     * that faults on the frame, else vCPU 0's.
     */
    const xcx_mtrr_map *const *maps;
    unsigned int nr_vcpus;
    const xcx_mtrr_tracker *tracker;
    struct xcx_eff_fact mtrr_fact; /* RECORD, TRACKER, ... */
    /* The vCPU whose computation set the EPT entry, if known; else -1:
     * vCPU 0, and an answer that says when the vCPUs' MTRRs differ. */
    int mtrr_vcpu;

    /* The accessing vCPU's IA32_PAT and control register 0. */
    uint64_t pat;
    struct xcx_eff_fact pat_fact;
    uint64_t cr0; /* CD (bit 30) and PG (bit 31) matter */
    struct xcx_eff_fact cr0_fact;
};

/* Everything one effective-type lookup needs beyond the address. */
struct xcx_eff_inputs {
    struct xcx_eff_host host;
    struct xcx_eff_domain domain;
    struct xcx_eff_guest guest;
    /* Frame facts: @frame_fn when set, else @frame for every frame. */
    xcx_eff_frame_fn *frame_fn;
    void *frame_arg;
    struct xcx_eff_frame frame;
};

/**
 * xcx_eff_inputs_init: inputs with every fact unknown (source NONE,
 * uncertain) except the stated defaults: frame RAM with a valid MFN, no
 * pinned attribute and host MTRR WB, all ASSUMED and uncertain; guest PAT
 * 0x0007040600070406 (the power-on value) and CR0 with PG set, CD clear,
 * both NONE and uncertain; mtrr_vcpu -1. Fill in what you know.
 *
 * Since: 1.4
 */
void xcx_eff_inputs_init(struct xcx_eff_inputs *in);

/* ------------------------------------------------------------------------ */
/* The answer (pure)                                                         */
/* ------------------------------------------------------------------------ */

/* Bits of struct xcx_effective.basis and .unknown: inputs by name. */
#define XCX_EFF_IN_VENDOR      (1u << 0)
#define XCX_EFF_IN_PAGING      (1u << 1)
#define XCX_EFF_IN_XEN_VERSION (1u << 2)
#define XCX_EFF_IN_IOMMU       (1u << 3)
#define XCX_EFF_IN_CACHE_FLUSH (1u << 4)
#define XCX_EFF_IN_FRAME_KIND  (1u << 5)
#define XCX_EFF_IN_MFN_VALID   (1u << 6)
#define XCX_EFF_IN_PINNED      (1u << 7)
#define XCX_EFF_IN_GUEST_MTRR  (1u << 8) /* the guest MTRR type */
#define XCX_EFF_IN_MTRR_VCPU   (1u << 9) /* which vCPU's MTRRs Xen used */
#define XCX_EFF_IN_HOST_MTRR   (1u << 10)
#define XCX_EFF_IN_HOST_PAT    (1u << 11) /* XEN_MSR_PAT (NPT entry's) */
#define XCX_EFF_IN_GUEST_PAT   (1u << 12)
#define XCX_EFF_IN_PAT_INDEX   (1u << 13)
#define XCX_EFF_IN_CR0_CD      (1u << 14)
#define XCX_EFF_IN_CR0_PG      (1u << 15)
#define XCX_EFF_IN_COUNT       16

/* Which branch of epte_get_entry_emt() gave the EPT type (Intel). */
enum xcx_ept_branch {
    XCX_EPT_NONE = 0,        /* not EPT */
    XCX_EPT_MMIO_RO = 1,     /* mmio_ro_ranges: UC, ignore PAT */
    XCX_EPT_INVALID_MFN = 2, /* no valid MFN (older Xen): UC, ignore PAT */
    XCX_EPT_NO_FLUSH = 3,    /* no IOMMU, no cache flush: WB, ignore PAT */
    XCX_EPT_SPECIAL = 4,     /* special page: WB, ignore PAT */
    XCX_EPT_MMIO_DIRECT = 5, /* direct MMIO: UC, PAT live */
    XCX_EPT_GRANT = 6,       /* grant or foreign map: WB, ignore PAT */
    XCX_EPT_PINNED = 7,      /* pinned attribute (UC- as UC), ignore PAT */
    XCX_EPT_MTRR = 8,        /* guest MTRR x host MTRR, PAT live */
};

/* AMD's finer names for two results reported under a common type. */
enum xcx_amd_detail {
    XCX_AMD_PLAIN = 0,   /* the type as named */
    XCX_AMD_CD = 1,      /* the APM's CD: uncacheable, caches probed (UC) */
    XCX_AMD_WC_PLUS = 2, /* the APM's WC+: WC with caches probed (WC) */
};

/* The effective type of one access. */
struct xcx_effective {
    uint8_t effective; /* enum xcx_mem_type: UC, WC, WT, WP, WB (or UC-) */
    uint8_t vendor;    /* enum xcx_vendor the answer was computed for */
    uint8_t pat_index; /* 0..7: PAT<<2 | PCD<<1 | PWT of the PTE */
    uint8_t pat_type;  /* the guest PAT entry (WB when CR0.PG is clear) */
    /* Fields that do not apply hold XCX_EFF_NONE. */
    uint8_t mtrr_type;   /* guest MTRR type of the vCPU Xen uses (Intel) */
    bool mtrr_used;      /* the guest MTRR type decided the EPT type */
    uint8_t ept_type;    /* EPT memory type (Intel) */
    bool ipat;           /* EPT ignore-PAT bit (Intel) */
    uint8_t ept_branch;  /* enum xcx_ept_branch */
    uint8_t host_type;   /* AMD: host PAT entry of the NPT entry's flags;
                            Intel: the host MTRR type when consulted */
    uint8_t npt_index;   /* AMD: host PAT index from the NPT entry */
    uint8_t amd_detail;  /* enum xcx_amd_detail (AMD) */
    bool reliable;       /* every possible value of the unknown inputs
                            gives this type, and no vCPU dependence */
    bool vcpu_dependent; /* honoured EPT, vCPUs' MTRR types differ here */
    uint32_t vcpus_seen; /* bit t: some vCPU's MTRR type is t (Intel) */
    uint32_t possible;   /* bit t: effective type t is possible */
    uint32_t basis;      /* XCX_EFF_IN_*: inputs the answer rests on */
    uint32_t unknown;    /* XCX_EFF_IN_*: those of basis not certain */
};

/**
 * xcx_effective_type: the effective memory type of an access to @gpa
 * through a PTE whose PAT index is @pat_index (0..7).
 *
 * Intel (EPT): Xen's EPT type and ignore-PAT bit as epte_get_entry_emt()
 * decides them (see enum xcx_ept_branch, in that order), the guest MTRR
 * type of vCPU @in->guest.mtrr_vcpu (else vCPU 0, with vcpu_dependent set
 * when the vCPUs' types differ); with ignore-PAT clear the EPT type
 * combines with the guest PAT type as the SDM's Table 11-7; CR0.CD set
 * makes it UC. AMD (NPT): the guest MTRRs are never consulted; the guest
 * PAT type combines with Xen's host PAT entry of the NPT entry (index 0
 * WB for RAM, grants and foreign maps, 2 UC- for direct MMIO, 3 UC for
 * read-only MMIO) and the host MTRR type as the APM says. With CR0.PG
 * clear the PAT type is WB.
 *
 * Errors: EINVAL for a @pat_index above 7, a PAT or frame fact that is no
 * type, no MTRR source or a vCPU out of range; EOPNOTSUPP for shadow
 * paging; ERANGE for a @gpa beyond the guest's width; those of the frame
 * callback and of the MTRR lookups.
 *
 * Since: 1.4
 */
int xcx_effective_type(const struct xcx_eff_inputs *in, uint64_t gpa,
                       unsigned int pat_index, struct xcx_effective *out,
                       xentoollog_logger *lg);

/**
 * xcx_effective_batch: xcx_effective_type() for @n addresses @gpas of one
 * PAT index, into @out[0..n-1]; what depends only on the inputs is worked
 * out once. On failure the addresses before the failing one are filled and
 * *@done (when not NULL) says how many.
 *
 * Errors: those of xcx_effective_type(); EINVAL for NULL arrays with @n > 0.
 *
 * Since: 1.4
 */
int xcx_effective_batch(const struct xcx_eff_inputs *in, const uint64_t *gpas,
                        size_t n, unsigned int pat_index,
                        struct xcx_effective *out, size_t *done,
                        xentoollog_logger *lg);

/**
 * xcx_hvm_context_cr0: CR0 of vCPU @vcpu from a whole HVM context (as
 * xcx_hvm_context_parse() takes it): its CPU record (typecode 2), read by
 * the descriptor's length, CR0 at byte 656 of struct hvm_hw_cpu.
 *
 * Errors: those of xcx_hvm_context_parse(); ENOENT when the context has no
 * CPU record for @vcpu; EINVAL for one too short to hold CR0.
 *
 * Since: 1.4
 */
int xcx_hvm_context_cr0(const void *blob, size_t len, unsigned int vcpu,
                        uint64_t *cr0, xentoollog_logger *lg);

/* ------------------------------------------------------------------------ */
/* Combination rules and names (pure)                                        */
/* ------------------------------------------------------------------------ */

/**
 * xcx_pat_entry: the type of entry @index (0..7) of a PAT value.
 *
 * Errors: EINVAL for an index above 7 or an entry that is no type.
 *
 * Since: 1.4
 */
int xcx_pat_entry(uint64_t pat, unsigned int index, uint8_t *type);

/**
 * xcx_combine_pat_mtrr: the effective type of a PAT type over an MTRR (or
 * EPT) type: @vendor INTEL as the SDM's Table 11-7, AMD as the APM's
 * "Combining PAT and MTRR types" with its CD results given as UC.
 *
 * xcx_combine_ept_mtrr: Xen's combination of a guest MTRR type with a
 * host MTRR type into an EPT type (same: it; either UC: UC; either WB: the
 * other; WT with WP: WP; otherwise UC).
 *
 * Errors: EINVAL for a type that is no MTRR type (@pat may also be UC-)
 * or an unknown vendor.
 *
 * Since: 1.4
 */
int xcx_combine_pat_mtrr(unsigned int vendor, unsigned int mtrr,
                         unsigned int pat, uint8_t *type);
int xcx_combine_ept_mtrr(unsigned int guest, unsigned int host, uint8_t *type);

/**
 * xcx_vendor_name, xcx_paging_name, xcx_eff_source_name,
 * xcx_ept_branch_name, xcx_frame_kind_name, xcx_eff_input_name: lower-case
 * names ("intel", "npt", "record", "mtrr", "mmio-direct", "guest-pat"
 * ...); xcx_eff_input_name takes one XCX_EFF_IN_* bit. NULL with EINVAL
 * for other values.
 *
 * Since: 1.4
 */
const char *xcx_vendor_name(unsigned int vendor);
const char *xcx_paging_name(unsigned int paging);
const char *xcx_eff_source_name(unsigned int source);
const char *xcx_ept_branch_name(unsigned int branch);
const char *xcx_frame_kind_name(unsigned int kind);
const char *xcx_eff_input_name(uint32_t bit);

/* ------------------------------------------------------------------------ */
/* Facts of a live host and domain (libxenctrl_ext)                          */
/* ------------------------------------------------------------------------ */

/* What dom0 sees of the host's MTRRs. A PV dom0 runs with the MTRR CPUID
 * bit cleared by Linux, so /proc/mtrr is absent or empty; even when it
 * lists ranges, the machine address behind a guest frame is not visible,
 * so the host MTRR type of a frame stays uncertain (WB assumed). */
struct xcx_eff_host_view {
    bool proc_mtrr;                /* /proc/mtrr could be read */
    unsigned int proc_mtrr_ranges; /* the ranges it lists */
};

/**
 * xcx_eff_read_facts: fill @in with what Xen tells of the host and of
 * domain @domid: the vendor (CPUID leaf 0 of Xen's host policy; UNKNOWN
 * for a vendor other than Intel, AMD, Hygon), the paging (EPT or NPT when
 * the host has HAP and the domain uses it, else SHADOW), Xen's version,
 * and the CR0 of vCPU @vcpu (its HVM CPU record), all certain. Xen has
 * no call that tells a domain's IOMMU or I/O permissions: @in's domain
 * part is left as it is, for the caller to fill from libxl's saved
 * configuration. @view says what dom0 sees of the host MTRRs; the frame's
 * host MTRR fact stays WB, uncertain.
 *
 * Errors: ESRCH no such domain; EOPNOTSUPP for a back end without these
 * facts; EINVAL for a NULL argument; Xen's errno otherwise.
 *
 * Since: 1.4
 */
int xcx_eff_read_facts(xcx_handle *h, uint32_t domid, unsigned int vcpu,
                       struct xcx_eff_inputs *in,
                       struct xcx_eff_host_view *view);

#ifdef __cplusplus
}
#endif

#endif /* XENCTRL_EXT_EFFECTIVE_H */
