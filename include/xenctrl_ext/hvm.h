/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xenctrl_ext/hvm.h: page-table walks and dumps of HVM/PVH guests, VA to
 * GPA, from a vCPU's control registers (pure), and live HVM/PVH domains.
 *
 * Part of <xenctrl_ext.h>, which states the conventions of the whole API;
 * include that. Sections marked (pure) are in libxenctrl_ext_pure, the
 * others in libxenctrl_ext.
 */
#ifndef XENCTRL_EXT_HVM_H
#define XENCTRL_EXT_HVM_H

#include "base.h"
#include "mtrr.h"
#include "pv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* The paging state of a vCPU (pure)                                         */
/* ------------------------------------------------------------------------ */

/* The guest paging modes of the SDM vol. 3A section 4.1 (the host side,
 * EPT or NPT, is enum xcx_paging of effective.h). */
enum xcx_paging_mode {
    XCX_PGMODE_OFF = 0,    /* CR0.PG clear: linear address = physical */
    XCX_PGMODE_32BIT = 1,  /* 2 levels of 1024 4-byte entries */
    XCX_PGMODE_PAE = 2,    /* a 4-entry PDPT, then 2 levels of 512 */
    XCX_PGMODE_4LEVEL = 3, /* EFER.LMA, 4 levels of 512 */
    XCX_PGMODE_5LEVEL = 4, /* EFER.LMA and CR4.LA57, 5 levels of 512 */
};

/* What the walk needs of a vCPU: its control registers and EFER. */
struct xcx_hvm_cpu {
    uint64_t cr0, cr3, cr4, efer;
    /* false when EFER was not observed (an xl dump-core holds no EFER):
     * a walk in a mode that depends on it (CR0.PG and CR4.PAE set) fails. */
    bool efer_known;
};

/* The HVM_SAVE_CODE(CPU) record (struct hvm_hw_cpu) is at least this long:
 * 1024 bytes before Xen 4.7 (hvm_hw_cpu_compat), 1032 since. */
#define XCX_HVM_CPU_RECORD_MIN 1024
#define XCX_HVM_CPU_RECORD_MAX 4096

/**
 * xcx_hvm_cpu_from_record: CR0, CR3, CR4 and EFER from the payload of one
 * HVM_SAVE_CODE(CPU) record (type 2) of @len bytes, as
 * xc_domain_hvm_getcontext_partial() returns it or as it follows its
 * descriptor in a whole context. Fields are read at their offsets in
 * struct hvm_hw_cpu (public/arch-x86/hvm/save.h, unchanged 4.7 to 4.22),
 * so a longer record of a later Xen is accepted.
 *
 * Errors: EINVAL for a NULL argument or a @len below
 * XCX_HVM_CPU_RECORD_MIN (the message names the length).
 *
 * Since: 1.4
 */
int xcx_hvm_cpu_from_record(const void *rec, size_t len,
                            struct xcx_hvm_cpu *cpu, xentoollog_logger *lg);

/**
 * xcx_hvm_context_cpu: the CPU record of vCPU @vcpu of a whole context
 * parsed with xcx_hvm_context_parse() (CPU records are optional there).
 *
 * Errors: ENOENT when the context holds no CPU record for @vcpu; EINVAL
 * for a record shorter than XCX_HVM_CPU_RECORD_MIN (found at parse time:
 * the parse then fails).
 *
 * Since: 1.4
 */
int xcx_hvm_context_cpu(const xcx_hvm_context *ctx, unsigned int vcpu,
                        struct xcx_hvm_cpu *cpu);

/**
 * xcx_hvm_paging_mode: the paging mode @cpu is in. CR0.PG clear: OFF;
 * else CR4.PAE clear: 32BIT; else EFER.LMA clear: PAE; else CR4.LA57:
 * 5LEVEL or 4LEVEL.
 *
 * Errors: EINVAL for states a processor refuses (CR0.PG without CR0.PE,
 * EFER.LMA without CR0.PG and CR4.PAE); ENODATA when CR0.PG and CR4.PAE
 * are set and EFER is not known (PAE and 4-level cannot be told apart).
 *
 * Since: 1.4
 */
int xcx_hvm_paging_mode(const struct xcx_hvm_cpu *cpu,
                        enum xcx_paging_mode *mode, xentoollog_logger *lg);

/**
 * xcx_paging_mode_name: "off", "32-bit", "PAE", "4-level" or "5-level";
 * NULL (EINVAL) for another value.
 *
 * Since: 1.4
 */
const char *xcx_paging_mode_name(enum xcx_paging_mode mode);

/* ------------------------------------------------------------------------ */
/* HVM/PVH page tables (pure: frames come through callbacks)                 */
/* ------------------------------------------------------------------------ */

/*
 * How a walker reads an HVM/PVH guest. Tables hold guest frames (GFNs):
 * @read_frame returns a pointer to the 4096 bytes of one, valid until the
 * walk or dump returns, or NULL with errno set (and may log). @prefetch
 * (may be NULL) gets the frames a dump is about to read, so a back end can
 * map them in one batch; its failures are ignored (read_frame reports).
 */
struct xcx_hvm_guest {
    /* The guest's physical-address width (CPUID 0x80000008 EAX[7:0]):
     * entry bits from it up to 51 are reserved. 0 means 52. */
    unsigned int maxphysaddr;
    const void *(*read_frame)(void *arg, uint64_t gfn);
    void (*prefetch)(void *arg, const uint64_t *gfns, size_t n);
    void *arg;
};

/* One level of a walk: level 5 (PML5) .. 1 (the page table). In PAE mode
 * level 3 is the PDPT; in 32-bit mode there are levels 2 and 1. */
struct xcx_hvm_level {
    unsigned int level;
    unsigned int index;
    uint64_t table_gpa; /* the table's address (a PAE PDPT: CR3 & ~31) */
    uint64_t entry;     /* the raw entry (4 bytes in 32-bit mode) */
    uint32_t flags;     /* XCX_PTE_* (PSE only for a large leaf) */
};

/* The result of one walk. */
struct xcx_hvm_walk {
    uint64_t va;
    uint8_t mode; /* enum xcx_paging_mode */
    bool mapped;
    unsigned int nr_levels; /* entries in levels[], top first */
    struct xcx_hvm_level levels[5];
    unsigned int stop_level; /* !mapped: level of the non-present entry */
    uint64_t page_size;      /* 4 KiB, 2 MiB, 4 MiB or 1 GiB; 4 KiB when
                                paging is off */
    uint64_t gpa;            /* the guest-physical address of @va */
    bool writable, user, nx; /* effective along the path */
    /* false with paging off: no entry selects a PAT entry (the SDM then
     * takes WB as the PAT type under EPT) and pat_index is 0. */
    bool pat_used;
    uint8_t pat_index; /* PAT << 2 | PCD << 1 | PWT of the leaf */
};

/**
 * xcx_hvm_walk: translate @va with the page tables @cpu's CR3 names, in
 * the mode xcx_hvm_paging_mode() gives. A non-present entry ends the walk
 * with mapped false and stop_level set.
 *
 * Leaves: 4 KiB at level 1; with PS, 2 MiB at level 2 (PAE, 4- and
 * 5-level), 4 MiB at level 2 in 32-bit mode with CR4.PSE (PSE-36: PDE bits
 * 20:13 are address bits 39:32), 1 GiB at level 3 in 4- and 5-level mode.
 * The PAT bit is bit 7 of a 4 KiB entry and bit 12 of a large one.
 * Effective rights: RW and US ANDed over the levels, NX ORed (PAE PDPTEs
 * carry none of them). PAE PDPTEs are read from memory now; the processor
 * loaded them when CR3 was last written.
 *
 * Hostile tables cannot make it loop or read outside a frame: one read per
 * level, every index masked to its table.
 *
 * Errors: EINVAL for a @va beyond the mode's space (above 4 GiB for
 * 32-bit, PAE and paging off; not canonical for 4- and 5-level), for an
 * entry with reserved bits set (bits from maxphysaddr to 51, bit 63
 * without EFER.NXE, PS in a PML5E, PML4E or a PAE PDPTE, the reserved
 * bits of a PDPTE, a large frame's low bits; the message names the level,
 * index, entry and table), for a NULL argument; those of
 * xcx_hvm_paging_mode(); read_frame's errno (the message names the frame).
 *
 * Since: 1.4
 */
int xcx_hvm_walk(const struct xcx_hvm_guest *g, const struct xcx_hvm_cpu *cpu,
                 uint64_t va, struct xcx_hvm_walk *walk, xentoollog_logger *lg);

/*
 * A run of a dump: consecutive leaves with equal effective flags (A and D
 * left out), page size and PAT index, and contiguous GPAs. An alias run
 * covers the span of an entry that reached an already dumped table again
 * (gpa_start the table's, alias_va where it was first dumped).
 */
struct xcx_hvm_run {
    uint64_t va_start, va_end; /* end exclusive; 0 at the top of 2^64 */
    uint64_t gpa_start;        /* GPA of va_start */
    uint64_t page_size;
    uint32_t flags;    /* effective XCX_PTE_* of the leaves */
    uint8_t pat_index; /* PAT << 2 | PCD << 1 | PWT of the leaves */
    bool pat_used;     /* false with paging off */
    bool alias;
    uint64_t alias_va;
};

/**
 * xcx_hvm_dump: every mapping of [@va_start, @va_end) (whole 4 KiB pages,
 * @va_end 0 meaning 2^64, clipped to the mode's space) as coalesced runs
 * in VA order, like xcx_pv_dump(). Each table frame is read once per dump,
 * a table reached again at the same level gives one alias run, so the work
 * is bounded by the distinct table frames. With paging off the range below
 * 4 GiB is one identity run. @cb returning non-zero stops the dump (its
 * value is returned).
 *
 * Errors: those of xcx_hvm_walk() for entries inside the range; EINVAL for
 * an empty range or a NULL @cb; ENOMEM.
 *
 * Since: 1.4
 */
int xcx_hvm_dump(const struct xcx_hvm_guest *g, const struct xcx_hvm_cpu *cpu,
                 uint64_t va_start, uint64_t va_end,
                 int (*cb)(void *arg, const struct xcx_hvm_run *run), void *arg,
                 xentoollog_logger *lg);

/* ------------------------------------------------------------------------ */
/* Live HVM/PVH domains (libxenctrl_ext)                                     */
/* ------------------------------------------------------------------------ */

/* A live HVM/PVH guest: its vCPUs' paging state and its frames. */
typedef struct xcx_hvm_domain xcx_hvm_domain;

/**
 * xcx_hvm_open: attach to HVM or PVH domain @domid: its vCPU count, its
 * physical-address width (CPU policy; unknown: 52 is used, so fewer
 * reserved bits are caught) and a foreign-memory handle for its frames.
 *
 * Errors: ESRCH for no such domain or a dying one; EOPNOTSUPP for a PV
 * domain or a back end without HVM support; Xen's errno otherwise.
 *
 * Since: 1.4
 */
xcx_hvm_domain *xcx_hvm_open(xcx_handle *h, uint32_t domid);

/**
 * xcx_hvm_close: detach; NULL is allowed. Keeps errno.
 *
 * Since: 1.4
 */
void xcx_hvm_close(xcx_hvm_domain *d);

/**
 * xcx_hvm_nr_vcpus: the domain's vCPUs (max_vcpu_id + 1).
 *
 * Since: 1.4
 */
unsigned int xcx_hvm_nr_vcpus(const xcx_hvm_domain *d);

/**
 * xcx_hvm_read_cpu: a vCPU's CR0, CR3, CR4 and EFER from its
 * HVM_SAVE_CODE(CPU) record (xc_domain_hvm_getcontext_partial(), which
 * pauses that vCPU briefly). The values are those of the moment of the
 * call: a running guest may switch tables right after.
 *
 * Errors: EINVAL for a vCPU out of range; ESRCH for a domain gone; Xen's
 * errno otherwise (ENOENT/ENODATA for a vCPU never brought up).
 *
 * Since: 1.4
 */
int xcx_hvm_read_cpu(xcx_hvm_domain *d, unsigned int vcpu,
                     struct xcx_hvm_cpu *cpu);

/**
 * xcx_hvm_guest: a walker description for the live domain. Frames are
 * mapped with xenforeignmemory_map() in batches (a dump maps a table's
 * children in one call) and kept until xcx_hvm_forget_frames() or
 * xcx_hvm_close(): call that between walks to see fresh contents, so each
 * frame is read once per walk or dump.
 *
 * Since: 1.4
 */
void xcx_hvm_guest(xcx_hvm_domain *d, struct xcx_hvm_guest *g);
void xcx_hvm_forget_frames(xcx_hvm_domain *d);

#ifdef __cplusplus
}
#endif

#endif /* XENCTRL_EXT_HVM_H */
