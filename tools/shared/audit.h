/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The findings engine of xc-mtrr-audit: pure code (no Xen, no I/O) over
 * the MTRR states of one guest's vCPUs and what is known of the guest from
 * outside its records (its memory layout, whether Xen honours its types),
 * producing findings. Rules, identifiers and severities are documented in
 * xc-mtrr-audit(1); the identifiers are stable.
 */
#ifndef XCX_CLI_AUDIT_H
#define XCX_CLI_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

enum audit_severity { SEV_INFO = 0, SEV_WARNING = 1, SEV_ERROR = 2 };

#define ID_VCPU_MISMATCH  "MTRR001-vcpu-mismatch"
#define ID_UNDEFINED      "MTRR002-undefined-overlap"
#define ID_DISABLED       "MTRR003-mtrr-disabled"
#define ID_UNKNOWN_PAIRS  "MTRR004-unknown-pairs"
#define ID_MISALIGNED     "MTRR005-misaligned-base"
#define ID_NONCONTIGUOUS  "MTRR006-noncontiguous-mask"
#define ID_FIXED_LARGE    "MTRR007-fixed-large-page"
#define ID_HONOUR         "MTRR008-honour-types"
#define ID_LAYOUT_UNKNOWN "MTRR009-layout-unknown"
#define ID_RAM_UNCACHED   "MTRR010-ram-uncached"
#define ID_MMIO_WB        "MTRR011-mmio-wb"
#define ID_EPT_VCPU       "MTRR012-ept-vcpu-dependent"

/* Whether Xen applies the guest's MTRR types in its EPT/NPT mappings. */
enum audit_honour { HONOUR_UNKNOWN = -1, HONOUR_NO = 0, HONOUR_YES = 1 };

/* A range of the guest's memory layout and its name ("RAM below 4 GiB"). */
struct audit_area {
    uint64_t start, end; /* end exclusive */
    const char *what;
};

#define AUDIT_MAX_AREAS 4
#define AUDIT_TEXT_MAX  768

/* What is known of a guest besides its MTRR records. */
struct audit_facts {
    bool offline; /* a saved context: no Xen facts at all */
    bool paused;  /* live: paused by the toolstack */
    /* Where the facts come from, e.g. "libxl's saved configuration
     * /var/lib/xen/userdata-d.5.<uuid>.libxl-json"; when nothing could be
     * read, why (e.g. "... could not be read: No such file or directory"). */
    char source[AUDIT_TEXT_MAX];
    /* The configuration file read, for the findings' "source"; "" none. */
    char source_file[AUDIT_TEXT_MAX];
    enum audit_honour honour;
    char honour_why[AUDIT_TEXT_MAX]; /* e.g. "it has pcidevs (1 device)" */
    /* The host's vendor (XCX_VENDOR_*), and who said it ("Xen",
     * "--vendor"); UNKNOWN offline without --vendor. */
    unsigned int vendor;
    const char *vendor_source;
    bool layout_known;
    char layout_why[2 * AUDIT_TEXT_MAX]; /* how the layout was worked out */
    struct audit_area ram[AUDIT_MAX_AREAS];
    unsigned int nr_ram;
    struct audit_area mmio[AUDIT_MAX_AREAS];
    unsigned int nr_mmio;
};

/* The guest audited: its vCPUs' states (vCPU i at index i) and facts. */
struct audit_subject {
    const struct xcx_mtrr_state *states;
    unsigned int nr_vcpus;
    const struct audit_facts *facts;
};

/* An address range of a finding. */
struct audit_range {
    uint64_t start, end; /* end exclusive */
    int type;            /* enum xcx_mem_type there, -1: none */
    int ref_type;        /* MTRR001: vCPU 0's type there, -1: none */
};

/* At most this many ranges are kept per finding; the rest are counted. */
#define AUDIT_MAX_RANGES 32

struct audit_finding {
    const char *id; /* one of the ID_* strings */
    enum audit_severity severity;
    /* false: the finding rests on variable pairs the save record cannot
     * show; such a finding is never above SEV_INFO. */
    bool reliable;
    unsigned int *vcpus; /* ascending */
    unsigned int nr_vcpus;
    uint32_t pairs; /* variable pairs involved, bit i: pair i */
    struct audit_range ranges[AUDIT_MAX_RANGES];
    unsigned int nr_ranges;
    uint64_t ranges_omitted;
    /* MTRR001: the registers that differ. */
    const char *registers[XCX_MTRR_VAR_MAX + 4];
    unsigned int nr_registers;
    /* MTRR008: HONOUR_*; other findings HONOUR_UNKNOWN. */
    enum audit_honour honoured;
    unsigned int vendor; /* MTRR008: XCX_VENDOR_* */
    bool has_source;     /* MTRR008-011: name facts->source_file */
    char text[4 * AUDIT_TEXT_MAX];
    size_t order; /* the order found in, the sort's last key */
};

struct audit_report {
    struct audit_finding *f;
    size_t n, cap;
};

/*
 * Audit @s into @r (empty or holding earlier findings), then sort @r by
 * severity (highest first), identifier, first vCPU and first range.
 * Returns 0, or -1 with errno ENOMEM (or EINVAL for no vCPU); @r keeps
 * what was found until then.
 */
int audit_run(const struct audit_subject *s, struct audit_report *r);

void audit_report_free(struct audit_report *r);

/* "error", "warning", "info"; audit_severity_parse() is its inverse. */
const char *audit_severity_name(enum audit_severity sev);
bool audit_severity_parse(const char *s, enum audit_severity *sev);

/* "0-3,5" for a list of ascending vCPU numbers, cut with "..." to fit. */
const char *audit_vcpu_list(const unsigned int *v, unsigned int n, char *buf,
                            size_t size);

#endif
