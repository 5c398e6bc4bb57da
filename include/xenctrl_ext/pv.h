/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xenctrl_ext/pv.h: PV page-table walks and dumps, xl dump-core files
 * (pure), and live PV domains.
 *
 * Part of <xenctrl_ext.h>, which states the conventions of the whole API;
 * include that. Sections marked (pure) are in libxenctrl_ext_pure, the
 * others in libxenctrl_ext.
 */
#ifndef XENCTRL_EXT_PV_H
#define XENCTRL_EXT_PV_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* PV page tables (pure: frames come through callbacks)                     */
/* ------------------------------------------------------------------------ */

/* Page-table entry flags, as named in the SDM (NX is bit 63 of an entry). */
#define XCX_PTE_P   (1u << 0)
#define XCX_PTE_RW  (1u << 1)
#define XCX_PTE_US  (1u << 2)
#define XCX_PTE_PWT (1u << 3)
#define XCX_PTE_PCD (1u << 4)
#define XCX_PTE_A   (1u << 5)
#define XCX_PTE_D   (1u << 6)
#define XCX_PTE_PSE (1u << 7)
#define XCX_PTE_G   (1u << 8)
#define XCX_PTE_NX  (1u << 9) /* our bit for entry bit 63 */

/**
 * xcx_pte_flag_name: "P", "RW", "US", "PWT", "PCD", "A", "D", "PSE", "G"
 * or "NX" for one XCX_PTE_* bit; NULL (EINVAL) otherwise.
 *
 * Since: 1.2
 */
const char *xcx_pte_flag_name(uint32_t flag);

/* Which part of a PV guest's virtual address space an address is in. */
enum xcx_pv_area {
    XCX_PV_AREA_GUEST = 0,    /* the guest's own */
    XCX_PV_AREA_XEN_RO = 1,   /* read-only to the guest (M2P) */
    XCX_PV_AREA_XEN = 2,      /* reserved for Xen */
    XCX_PV_AREA_NONCANON = 3, /* not canonical: no mapping possible */
};

/*
 * How a walker reads a PV guest. Frames are 4 KiB machine frames (MFNs).
 * @read_frame returns a pointer to the frame's 4096 bytes that stays valid
 * until the walk or dump returns, or NULL with errno set (and may log).
 * @m2p translates an MFN into the guest's PFN: 0, or -1 with ENOENT when
 * the frame is not the guest's. The walker calls nothing else.
 */
struct xcx_pv_guest {
    unsigned int width; /* guest width in bytes: 8 (4 levels), 4 (PAE) */
    uint64_t max_mfn;   /* MFNs at or above this are out of range */
    const void *(*read_frame)(void *arg, uint64_t mfn);
    int (*m2p)(void *arg, uint64_t mfn, uint64_t *pfn);
    /* May be NULL: the frames a dump is about to read, so a back end can
     * map them in one batch. Failures are ignored (read_frame reports). */
    void (*prefetch)(void *arg, const uint64_t *mfns, size_t n);
    void *arg;
};

/* One level of a walk. */
struct xcx_pv_level {
    unsigned int level; /* 4 (L4) .. 1 (L1) */
    unsigned int index; /* entry index in the table */
    uint64_t table_mfn; /* the frame holding the table */
    uint64_t entry;     /* the raw entry */
    uint32_t flags;     /* XCX_PTE_* */
    uint64_t mfn;       /* the frame the entry names, if present */
    uint64_t pfn;       /* its PFN through the M2P */
    bool pfn_valid;     /* false: the frame is not the guest's */
};

/* The result of one walk. */
struct xcx_pv_walk {
    uint64_t va;
    uint8_t area; /* enum xcx_pv_area; only GUEST is walked */
    bool mapped;
    unsigned int nr_levels; /* entries in levels[], top first */
    struct xcx_pv_level levels[4];
    unsigned int stop_level; /* !mapped: the level of the non-present
                                entry, 0 when not walked */
    uint64_t page_size;      /* 4 KiB, 2 MiB or 1 GiB */
    uint64_t mfn, pfn;       /* the 4 KiB frame holding @va */
    bool pfn_valid;
    uint64_t maddr, paddr;   /* machine and pseudo-physical address;
                                paddr 0 when !pfn_valid */
    bool writable, user, nx; /* effective along the path */
    uint8_t pat_index;       /* PAT << 2 | PCD << 1 | PWT */
    uint8_t cache;           /* enum xcx_mem_type under Xen's PAT */
};

/* The PAT Xen runs PV guests with (XEN_MSR_PAT). */
#define XCX_XEN_PV_PAT UINT64_C(0x0000050100070406)

/**
 * xcx_pv_area_of: the area of @va for a guest of @width bytes (NOTES: on
 * 64-bit Xen, 0xffff800000000000-0xffff807fffffffff is read-only to
 * guests, up to 0xffff87ffffffffff reserved; a 32-bit PAE guest's
 * 0xf5800000 and above is read-only). A width other than 4 or 8 gives
 * XCX_PV_AREA_NONCANON with errno EINVAL.
 *
 * Since: 1.2
 */
enum xcx_pv_area xcx_pv_area_of(unsigned int width, uint64_t va);

/**
 * xcx_pv_area_name: "guest", "xen-readonly", "xen-reserved" or
 * "noncanonical" for an enum xcx_pv_area; NULL (EINVAL) otherwise.
 *
 * Since: 1.4
 */
const char *xcx_pv_area_name(unsigned int area);

/**
 * xcx_pv_walk: walk @va from the root table @root_mfn (L4 for 64-bit, the
 * L3 for PAE). A non-present entry ends the walk with mapped false and
 * stop_level set. An address outside the guest's area is reported with
 * its area and not walked.
 *
 * Hostile tables cannot make it loop or read outside a frame: at most one
 * frame per level is read; reserved bits set in a present entry and MFNs
 * at or above max_mfn are EINVAL naming the level, index and entry.
 *
 * Errors: EINVAL for a non-canonical @va (or one above 4 GiB for PAE), an
 * invalid entry, or a width other than 4 and 8; the errno of @read_frame
 * (message names the frame).
 *
 * Since: 1.2
 */
int xcx_pv_walk(const struct xcx_pv_guest *g, uint64_t root_mfn, uint64_t va,
                struct xcx_pv_walk *walk, xentoollog_logger *lg);

/*
 * A run of a dump: consecutive leaves with equal effective flags (A and D
 * left out: the CPU changes them all the time), page size and cache type,
 * and contiguous PFNs (MFNs for frames not the guest's). An alias run
 * covers the span of the entry that reached an already dumped table again:
 * page_size is that span, mfn_start/pfn_start the table's own frame, flags
 * and cache those of the path to that entry, alias_va where the table was
 * first reached.
 */
struct xcx_pv_run {
    uint64_t va_start, va_end; /* end exclusive */
    uint64_t pfn_start;        /* PFN of va_start */
    bool pfn_valid;            /* false: frames not the guest's (MFNs) */
    uint64_t mfn_start;
    uint64_t page_size;
    uint32_t flags; /* effective XCX_PTE_* of the leaves */
    uint8_t cache;  /* enum xcx_mem_type */
    /* The run is a second view of tables already dumped at alias_va: the
     * dump does not walk them again (bounds the work of shared tables). */
    bool alias;
    uint64_t alias_va;
};

/**
 * xcx_pv_dump: every mapping in [@va_start, @va_end) (clipped to the
 * guest-owned areas, in whole 4 KiB pages; @va_end 0 means 2^64) as
 * coalesced runs in VA order, like Linux's ptdump. A run reaching the top
 * of the address space has va_end 0.
 * Each table frame is read once per dump; a table reached a second time at
 * the same level gives one alias run instead of a second walk, so the work
 * is bounded by the number of distinct table frames. Before reading the
 * tables a table points to, the dump passes their MFNs to g->prefetch. @cb
 * returning non-zero stops the dump (its value is returned).
 *
 * Errors: those of xcx_pv_walk() for entries inside the range; EINVAL for
 * an empty range or a NULL @cb; ENOMEM.
 *
 * Since: 1.2
 */
int xcx_pv_dump(const struct xcx_pv_guest *g, uint64_t root_mfn,
                uint64_t va_start, uint64_t va_end,
                int (*cb)(void *arg, const struct xcx_pv_run *run), void *arg,
                xentoollog_logger *lg);

/* ------------------------------------------------------------------------ */
/* xl dump-core files (pure)                                                 */
/* ------------------------------------------------------------------------ */

typedef struct xcx_core xcx_core;

/**
 * xcx_core_open: index an xl dump-core image held in memory (@image, @len,
 * which must outlive the handle): ELF64 (x86-64 guest) or with EM_386 (a
 * 32-bit PV guest), sections .note.Xen (HEADER note, magic 0xF00FEBED for
 * PV), .xen_prstatus (one vcpu_guest_context_any_t of 5168 bytes per vCPU,
 * for both widths, as Xen writes it), .xen_p2m ({pfn, gmfn} pairs, pfn
 * ascending; the {~0, ~0} padding of a guest that shrank while dumped is
 * accepted at the end) and .xen_pages. Every offset, size and count is
 * checked.
 *
 * Errors: EINVAL naming what is wrong (section, offset, count); EOPNOTSUPP
 * for an HVM core; ENOMEM.
 *
 * Since: 1.2
 */
xcx_core *xcx_core_open(const void *image, size_t len, xentoollog_logger *lg);

/**
 * xcx_core_close: free a core handle; NULL is allowed. Keeps errno.
 *
 * Since: 1.2
 */
void xcx_core_close(xcx_core *core);

/**
 * xcx_core_nr_vcpus, xcx_core_width: vCPUs and guest width (4 or 8 bytes).
 *
 * Since: 1.2
 */
unsigned int xcx_core_nr_vcpus(const xcx_core *core);
unsigned int xcx_core_width(const xcx_core *core);

/**
 * xcx_core_root: the MFN of a vCPU's kernel root table (ctrlreg[3]) or,
 * with @user for a 64-bit guest, of its user root (ctrlreg[1]).
 *
 * Errors: EINVAL for a vCPU out of range; ENOENT when the vCPU has no such
 * root (ctrlreg[1] 0, any user root of a 32-bit guest, or a kernel root
 * of 0). *@mfn is untouched on failure.
 *
 * Since: 1.2
 */
int xcx_core_root(const xcx_core *core, unsigned int vcpu, bool user,
                  uint64_t *mfn);

/**
 * xcx_core_guest: a walker description reading frames from the image and
 * translating with its P2M (MFN -> PFN by reverse lookup), valid while the
 * core is open; frame pointers point into the image. max_mfn is 2^40 (the
 * 52-bit address limit): frames a guest maps but does not own (shared info,
 * grants) are absent from the dump and read as ENOENT, not EINVAL.
 *
 * Since: 1.2
 */
void xcx_core_guest(xcx_core *core, struct xcx_pv_guest *g);

/* ------------------------------------------------------------------------ */
/* Live PV domains (libxenctrl_ext)                                          */
/* ------------------------------------------------------------------------ */

/* Xen's view of a page-table frame: its type and pin state. */
struct xcx_page_type {
    unsigned int level; /* 4..1 when Xen holds it as that table type, 0 not */
    bool pinned;
    bool invalid; /* XTAB/BROKEN/XALLOC: not a usable guest frame */
};

/* A live PV guest: its vCPU roots, frames and types. */
typedef struct xcx_pv_domain xcx_pv_domain;

/**
 * xcx_pv_open: attach to PV domain @domid: its width, the M2P
 * (xc_map_m2p()) and a foreign-memory handle for its frames.
 *
 * Errors: ESRCH for no such domain or a dying one; EOPNOTSUPP for an HVM
 * domain ("domain N is HVM; page-table walks need a PV guest"); Xen's
 * errno otherwise.
 *
 * Since: 1.2
 */
xcx_pv_domain *xcx_pv_open(xcx_handle *h, uint32_t domid);

/**
 * xcx_pv_close: detach; NULL is allowed. Keeps errno.
 *
 * Since: 1.2
 */
void xcx_pv_close(xcx_pv_domain *pv);

/**
 * xcx_pv_width, xcx_pv_nr_vcpus: the guest's width (4 or 8) and vCPUs.
 *
 * Since: 1.2
 */
unsigned int xcx_pv_width(const xcx_pv_domain *pv);
unsigned int xcx_pv_nr_vcpus(const xcx_pv_domain *pv);

/**
 * xcx_pv_root: a vCPU's kernel root (ctrlreg[3]) or, with @user, user root
 * (ctrlreg[1] of a 64-bit guest), from xc_vcpu_getcontext().
 *
 * Errors: EINVAL for a vCPU out of range; ENOENT for no user root (a
 * 32-bit guest, ctrlreg[1] 0) or a kernel ctrlreg[3] of 0 (a vCPU never
 * brought up); Xen's errno otherwise.
 *
 * Since: 1.2
 */
int xcx_pv_root(xcx_pv_domain *pv, unsigned int vcpu, bool user, uint64_t *mfn);

/**
 * xcx_pv_guest: a walker description for the live domain. Frames are mapped
 * with xenforeignmemory_map() in batches and kept until
 * xcx_pv_forget_frames() or xcx_pv_close(): call that between walks to see
 * fresh contents. An unmappable frame (a dying domain) is an error naming
 * the frame. A dump's prefetch maps a table's children in one call.
 *
 * The M2P answer for a frame is its PFN unless it is at or above the larger
 * of the domain's max_pages and its maximum GPFN + 1 (INVALID_M2P_ENTRY,
 * Xen's own pages): then ENOENT, not the guest's. A frame another domain
 * granted can pass; xcx_pv_page_types() says invalid for it. Tables are
 * read only from RAM; max_mfn is the 52-bit architectural limit, so leaves
 * naming I/O memory above RAM are shown (with no PFN).
 *
 * Since: 1.2
 */
void xcx_pv_guest(xcx_pv_domain *pv, struct xcx_pv_guest *g);
void xcx_pv_forget_frames(xcx_pv_domain *pv);

/**
 * xcx_pv_page_types: Xen's type and pin state of @n MFNs, with
 * xc_get_pfn_type_batch() in batches of at most 1024.
 *
 * Errors: Xen's errno.
 *
 * Since: 1.2
 */
int xcx_pv_page_types(xcx_pv_domain *pv, const uint64_t *mfns, size_t n,
                      struct xcx_page_type *types);

/**
 * xcx_page_type_name: "L4".."L1" for a frame Xen holds as that table type,
 * "none" for one it does not, "invalid" for one that is not a usable guest
 * frame; NULL (EINVAL) for a NULL argument or a level above 4. Pure: in
 * libxenctrl_ext_pure.
 *
 * Since: 1.4
 */
const char *xcx_page_type_name(const struct xcx_page_type *type);

#ifdef __cplusplus
}
#endif

#endif /* XENCTRL_EXT_PV_H */
