/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writer of xl dump-core images of synthetic PV guests, laid out as Xen
 * 4.17's tools/libs/ctrl/xc_core.c writes them: the ELF64 header (machine
 * x86-64, or i386 for a 32-bit guest), the section headers right after it
 * (null, .shstrtab, .note.Xen, .xen_prstatus, .xen_shared_info,
 * .xen_pages, .xen_p2m), then .note.Xen (NONE, HEADER, XEN_VERSION,
 * FORMAT_VERSION), .xen_prstatus (one 5168-byte vcpu_guest_context_any_t
 * per vCPU), .xen_shared_info, padding to a page, .xen_pages, .xen_p2m and
 * .shstrtab last. Structural faults are knobs of the description; fields
 * are broken by patching the image at the offsets the blob records.
 * Allocation failures abort: this is a test helper.
 */
#ifndef TEST_COREBUILD_H
#define TEST_COREBUILD_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctxbuild.h" /* ctxb_le_store(), ctxb_le_load() */

#define COREB_PAGE         4096
#define COREB_MAGIC_PV     0xF00FEBEDu
#define COREB_MAGIC_HVM    0xF00FEBEEu
#define COREB_CTX_SIZE     5168       /* vcpu_guest_context_any_t on x86 */
#define COREB_NOTE_NONE    0x2000000u /* XEN_ELFNOTE_DUMPCORE_NONE */
#define COREB_NR_NOTES     4          /* NONE, HEADER, XEN_VERSION, FORMAT */
#define COREB_VERSION_DESC 1280 /* xen_dumpcore_elfnote_xen_version_desc */
#define COREB_INVALID      UINT64_MAX /* a padding pair's pfn and gmfn */

/* The sections, in the order of their headers. */
enum coreb_sec {
    COREB_SHSTRTAB,
    COREB_NOTE,
    COREB_PRSTATUS,
    COREB_SHARED_INFO,
    COREB_PAGES,
    COREB_P2M,
    COREB_NR_SECS,
};

/* One page of the guest: {pfn, gmfn} of .xen_p2m and the page's bytes. */
struct coreb_frame {
    uint64_t pfn, mfn;   /* COREB_INVALID both: a padding pair */
    const uint8_t *data; /* COREB_PAGE bytes; NULL: zeros */
};

/* One vCPU: its root tables' MFNs (0: ctrlreg 0). */
struct coreb_vcpu {
    uint64_t kernel_root, user_root;
};

struct coreb_desc {
    unsigned int width;               /* 8 (EM_X86_64) or 4 (EM_386) */
    const struct coreb_frame *frames; /* in .xen_p2m order */
    size_t nr_frames;
    const struct coreb_vcpu *vcpus;
    unsigned int nr_vcpus;
    /* Structural knobs (bit masks by enum coreb_sec or note index). */
    unsigned int omit_sections; /* no header for these */
    unsigned int dup_sections;  /* a second header, same bytes */
    unsigned int omit_notes;    /* 1u << (type - COREB_NOTE_NONE) */
    unsigned int dup_notes;     /* the note written twice */
    bool foreign_note;          /* a "Linux" note first (to be skipped) */
    bool no_shared_info;        /* optional in the format: smaller images */
};

/* A built image and where its parts are (SIZE_MAX: not written). */
struct coreb_blob {
    uint8_t *data;
    size_t len;
    size_t shdr[COREB_NR_SECS];       /* section header */
    size_t sec[COREB_NR_SECS];        /* first byte of the section */
    size_t sec_size[COREB_NR_SECS];   /* its size */
    size_t note[COREB_NR_NOTES];      /* note header (first if twice) */
    size_t note_desc[COREB_NR_NOTES]; /* its descriptor */
    size_t shnum;                     /* headers written */
};

void coreb_build(struct coreb_blob *b, const struct coreb_desc *d);
void coreb_blob_free(struct coreb_blob *b);

/* Store @v (@bytes little-endian) at @off of the image, inside it. */
void coreb_patch(struct coreb_blob *b, size_t off, uint64_t v,
                 unsigned int bytes);

/* Offsets of header fields, for coreb_patch(). */
#define COREB_EHDR(field)       offsetof(Elf64_Ehdr, field)
#define COREB_SHDR(b, s, field) ((b)->shdr[(s)] + offsetof(Elf64_Shdr, field))

/*
 * A small PV guest to build cores from, the same for the unit tests and
 * the fuzz seeds. Its VAs, all mapped through tables in the image:
 *  - 64-bit: COREB_VA_4K (a 4 KiB page, RW NX), COREB_VA_2M (a 2 MiB
 *    page), from the kernel root; COREB_VA_USER (4 KiB, user) from the
 *    user root; COREB_VA_HOLE is not present (at L1).
 *  - 32-bit PAE: COREB_VA32_4K and COREB_VA32_2M, no user root.
 * Frames are in ascending PFN order with scattered MFNs; vCPU 1 has no
 * user root on a 64-bit guest.
 */
#define COREB_VA_4K             UINT64_C(0xffff888000002000)
#define COREB_VA_2M             UINT64_C(0xffff888000200000)
#define COREB_VA_HOLE           UINT64_C(0xffff888000003000)
#define COREB_VA_USER           UINT64_C(0x0000000000401000)
#define COREB_VA32_4K           UINT64_C(0xc0001000)
#define COREB_VA32_2M           UINT64_C(0xc0200000)
#define COREB_SAMPLE_MAX_FRAMES 16
/* The last 8 bytes of the sample's page @pfn (bit 0 clear). */
#define COREB_MARK(pfn) (UINT64_C(0xc0de) << 32 | (uint64_t)(pfn) << 4)

struct coreb_sample {
    struct coreb_frame frames[COREB_SAMPLE_MAX_FRAMES];
    uint8_t pages[COREB_SAMPLE_MAX_FRAMES][COREB_PAGE];
    struct coreb_vcpu vcpus[2];
    struct coreb_desc desc;            /* points into this struct */
    uint64_t mfn_4k, mfn_2m, mfn_user; /* leaf MFNs */
};

void coreb_sample(struct coreb_sample *s, unsigned int width);

/*
 * The frames of a synthetic guest of pvbuild.h that are the guest's (its
 * M2P knows them), in ascending PFN order as Xen dumps them: an array for
 * coreb_desc.frames (pointing into @p's frames) that the caller frees.
 * Only frames made so far are there: touch a leaf's frames with
 * pvb_frame() to have them dumped.
 */
struct pvb;
struct coreb_frame *coreb_frames_from_pvb(const struct pvb *p, size_t *n);

#endif
