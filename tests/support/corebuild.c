/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define __XEN_TOOLS__ 1 /* the foreign headers' full context layouts */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/elfnote.h>
#include <xen/foreign/x86_32.h>
#include <xen/foreign/x86_64.h>

#include "corebuild.h"
#include "pvbuild.h"

/* The layout this writer shares with Xen's, pinned to its numbers. */
_Static_assert(sizeof(struct vcpu_guest_context_x86_64) == COREB_CTX_SIZE,
               "64-bit context size");
_Static_assert(sizeof(struct vcpu_guest_context_x86_32) <= COREB_CTX_SIZE,
               "32-bit context fits the entry");
_Static_assert(offsetof(struct vcpu_guest_context_x86_64, ctrlreg) == 4984,
               "64-bit ctrlreg offset");
_Static_assert(offsetof(struct vcpu_guest_context_x86_32, ctrlreg) == 2716,
               "32-bit ctrlreg offset");
_Static_assert(XEN_ELFNOTE_DUMPCORE_NONE == COREB_NOTE_NONE, "note types");
_Static_assert(XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION ==
                   COREB_NOTE_NONE + COREB_NR_NOTES - 1,
               "note types");

#define VGCF_ONLINE_IN_KERNEL ((1u << 5) | (1u << 2))

static const char *const sec_names[COREB_NR_SECS] = {
    ".shstrtab",        ".note.Xen",  ".xen_prstatus",
    ".xen_shared_info", ".xen_pages", ".xen_p2m",
};
static const uint32_t sec_types[COREB_NR_SECS] = {
    SHT_STRTAB,   SHT_NOTE,     SHT_PROGBITS,
    SHT_PROGBITS, SHT_PROGBITS, SHT_PROGBITS,
};
static const uint64_t sec_align[COREB_NR_SECS] = {0, 0, 8, 8, COREB_PAGE, 8};
static const uint64_t sec_entsize[COREB_NR_SECS] = {
    0, 0, COREB_CTX_SIZE, COREB_PAGE, COREB_PAGE, 16};
static const uint32_t note_desc_size[COREB_NR_NOTES] = {0, 32,
                                                        COREB_VERSION_DESC, 8};

#define FOREIGN_NOTE_SIZE (12 + 8 + 4) /* "Linux\0" padded, 4-byte desc */

void coreb_blob_free(struct coreb_blob *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

void coreb_patch(struct coreb_blob *b, size_t off, uint64_t v,
                 unsigned int bytes)
{
    if (off == SIZE_MAX || off > b->len || bytes > b->len - off) {
        fprintf(stderr, "coreb_patch: offset %zu + %u outside %zu bytes\n", off,
                bytes, b->len);
        abort();
    }
    ctxb_le_store(b->data + off, v, bytes);
}

static unsigned int note_copies(const struct coreb_desc *d, unsigned int k)
{
    if (d->omit_notes & (1u << k))
        return 0;
    return d->dup_notes & (1u << k) ? 2 : 1;
}

static size_t notes_size(const struct coreb_desc *d)
{
    size_t n = d->foreign_note ? FOREIGN_NOTE_SIZE : 0;

    for (unsigned int k = 0; k < COREB_NR_NOTES; k++)
        n += note_copies(d, k) * (16 + note_desc_size[k]);
    return n;
}

static size_t put_note(uint8_t *p, uint32_t type, uint32_t descsz,
                       const char *name, uint32_t namesz)
{
    uint32_t name_pad = (namesz + 3) & ~3u;

    ctxb_le_store(p, namesz, 4);
    ctxb_le_store(p + 4, descsz, 4);
    ctxb_le_store(p + 8, type, 4);
    memcpy(p + 12, name, namesz);
    return 12 + name_pad;
}

static void write_notes(struct coreb_blob *b, size_t off,
                        const struct coreb_desc *d)
{
    uint8_t *p = b->data + off;

    if (d->foreign_note) {
        p += put_note(p, 1, 4, "Linux", 6);
        p += 4;
    }
    for (unsigned int k = 0; k < COREB_NR_NOTES; k++) {
        for (unsigned int c = 0; c < note_copies(d, k); c++) {
            uint8_t *desc = p + put_note(p, COREB_NOTE_NONE + k,
                                         note_desc_size[k], "Xen", 4);

            if (c == 0) {
                b->note[k] = p - b->data;
                b->note_desc[k] = desc - b->data;
            }
            if (k == 1) { /* HEADER */
                ctxb_le_store(desc, COREB_MAGIC_PV, 8);
                ctxb_le_store(desc + 8, d->nr_vcpus, 8);
                ctxb_le_store(desc + 16, d->nr_frames, 8);
                ctxb_le_store(desc + 24, COREB_PAGE, 8);
            } else if (k == 2) { /* XEN_VERSION: 4.17 */
                ctxb_le_store(desc, 4, 8);
                ctxb_le_store(desc + 8, 17, 8);
                memcpy(desc + 16, ".3", 3);
            } else if (k == 3) { /* FORMAT_VERSION (0, 1) */
                ctxb_le_store(desc, 1, 8);
            }
            p = desc + note_desc_size[k];
        }
    }
}

static void write_vcpus(uint8_t *p, const struct coreb_desc *d)
{
    for (unsigned int v = 0; v < d->nr_vcpus; v++, p += COREB_CTX_SIZE) {
        const struct coreb_vcpu *c = &d->vcpus[v];

        if (d->width == 8) {
            size_t cr = offsetof(struct vcpu_guest_context_x86_64, ctrlreg);

            ctxb_le_store(p + offsetof(struct vcpu_guest_context_x86_64, flags),
                          VGCF_ONLINE_IN_KERNEL, 8);
            ctxb_le_store(p + cr + 8 * 3, xen_pfn_to_cr3_x86_64(c->kernel_root),
                          8);
            ctxb_le_store(p + cr + 8 * 1, xen_pfn_to_cr3_x86_64(c->user_root),
                          8);
        } else {
            size_t cr = offsetof(struct vcpu_guest_context_x86_32, ctrlreg);

            ctxb_le_store(p + offsetof(struct vcpu_guest_context_x86_32, flags),
                          VGCF_ONLINE_IN_KERNEL, 4);
            ctxb_le_store(p + cr + 4 * 3, xen_pfn_to_cr3_x86_32(c->kernel_root),
                          4);
        }
    }
}

static void write_shdr(struct coreb_blob *b, unsigned int i, unsigned int s,
                       uint32_t name)
{
    uint8_t *p = b->data + sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Shdr);

#define PUT(field, v)                                                          \
    ctxb_le_store(p + offsetof(Elf64_Shdr, field), (v),                        \
                  sizeof(((Elf64_Shdr *)0)->field))
    PUT(sh_name, name);
    PUT(sh_type, sec_types[s]);
    PUT(sh_offset, b->sec[s]);
    PUT(sh_size, b->sec_size[s]);
    PUT(sh_addralign, sec_align[s]);
    PUT(sh_entsize, sec_entsize[s]);
#undef PUT
}

static void write_ehdr(struct coreb_blob *b, unsigned int width)
{
    uint8_t *p = b->data;

    memcpy(p, ELFMAG, SELFMAG);
    p[EI_CLASS] = ELFCLASS64;
    p[EI_DATA] = ELFDATA2LSB;
    p[EI_VERSION] = EV_CURRENT;
    p[EI_OSABI] = ELFOSABI_SYSV;
    p[EI_ABIVERSION] = EV_CURRENT;
#define PUT(field, v)                                                          \
    ctxb_le_store(p + offsetof(Elf64_Ehdr, field), (v),                        \
                  sizeof(((Elf64_Ehdr *)0)->field))
    PUT(e_type, ET_CORE);
    PUT(e_machine, width == 8 ? EM_X86_64 : EM_386);
    PUT(e_version, EV_CURRENT);
    PUT(e_shoff, sizeof(Elf64_Ehdr));
    PUT(e_ehsize, sizeof(Elf64_Ehdr));
    PUT(e_phentsize, sizeof(Elf64_Phdr));
    PUT(e_shentsize, sizeof(Elf64_Shdr));
    PUT(e_shnum, b->shnum);
    PUT(e_shstrndx, 1);
#undef PUT
}

/* Section offsets and sizes, in the order Xen writes the bytes. */
static size_t layout(struct coreb_blob *b, const struct coreb_desc *d,
                     size_t strtab_len)
{
    size_t off = sizeof(Elf64_Ehdr) + b->shnum * sizeof(Elf64_Shdr);
    static const enum coreb_sec order[] = {
        COREB_NOTE,  COREB_PRSTATUS, COREB_SHARED_INFO,
        COREB_PAGES, COREB_P2M,      COREB_SHSTRTAB,
    };
    size_t sizes[COREB_NR_SECS] = {
        [COREB_SHSTRTAB] = strtab_len,
        [COREB_NOTE] = notes_size(d),
        [COREB_PRSTATUS] = (size_t)d->nr_vcpus * COREB_CTX_SIZE,
        [COREB_SHARED_INFO] = d->no_shared_info ? 0 : COREB_PAGE,
        [COREB_PAGES] = d->nr_frames * COREB_PAGE,
        [COREB_P2M] = d->nr_frames * 16,
    };

    for (unsigned int i = 0; i < COREB_NR_SECS; i++) {
        enum coreb_sec s = order[i];

        if (s == COREB_PAGES)
            off = (off + COREB_PAGE - 1) & ~(size_t)(COREB_PAGE - 1);
        b->sec[s] = off;
        b->sec_size[s] = sizes[s];
        off += sizes[s];
    }
    return off;
}

void coreb_build(struct coreb_blob *b, const struct coreb_desc *d)
{
    uint32_t name_off[COREB_NR_SECS];
    char strtab[128];
    size_t strtab_len = 1;
    unsigned int i = 1;

    memset(b, 0xff, sizeof(*b));
    strtab[0] = '\0';
    b->shnum = 1;
    for (unsigned int s = 0; s < COREB_NR_SECS; s++) {
        name_off[s] = strtab_len;
        memcpy(strtab + strtab_len, sec_names[s], strlen(sec_names[s]) + 1);
        strtab_len += strlen(sec_names[s]) + 1;
        if (s == COREB_SHARED_INFO && d->no_shared_info)
            continue;
        b->shnum +=
            !(d->omit_sections & (1u << s)) + !!(d->dup_sections & (1u << s));
    }
    b->len = layout(b, d, strtab_len);
    b->data = calloc(1, b->len);
    if (!b->data)
        abort();

    write_ehdr(b, d->width);
    for (unsigned int s = 0; s < COREB_NR_SECS; s++) {
        bool skip = s == COREB_SHARED_INFO && d->no_shared_info;

        if (skip || (d->omit_sections & (1u << s)))
            continue;
        b->shdr[s] = sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Shdr);
        write_shdr(b, i++, s, name_off[s]);
    }
    for (unsigned int s = 0; s < COREB_NR_SECS; s++)
        if (d->dup_sections & (1u << s))
            write_shdr(b, i++, s, name_off[s]);

    write_notes(b, b->sec[COREB_NOTE], d);
    write_vcpus(b->data + b->sec[COREB_PRSTATUS], d);
    for (size_t f = 0; f < d->nr_frames; f++) {
        uint8_t *pair = b->data + b->sec[COREB_P2M] + 16 * f;

        if (d->frames[f].data)
            memcpy(b->data + b->sec[COREB_PAGES] + f * COREB_PAGE,
                   d->frames[f].data, COREB_PAGE);
        ctxb_le_store(pair, d->frames[f].pfn, 8);
        ctxb_le_store(pair + 8, d->frames[f].mfn, 8);
    }
    memcpy(b->data + b->sec[COREB_SHSTRTAB], strtab, strtab_len);
}

/* ---------------------------------------------------------------------- */
/* The sample guest                                                        */

#define PTE_TABLE UINT64_C(0x27)                /* P RW US A */
#define PTE_4K_NX (UINT64_C(0x63) | 1ull << 63) /* P RW A D, NX */
#define PTE_2M    UINT64_C(0x1e3)               /* P RW A D PSE G */
#define PTE_USER  UINT64_C(0x67)                /* P RW US A D */
#define PTE_PDPT  UINT64_C(0x1)                 /* PAE L3: P only */

static void set_pte(struct coreb_sample *s, unsigned int pfn,
                    unsigned int index, uint64_t mfn, uint64_t flags)
{
    ctxb_le_store(s->pages[pfn] + 8 * index, mfn << 12 | flags, 8);
}

static unsigned int idx(uint64_t va, unsigned int level)
{
    return (va >> (12 + 9 * (level - 1))) & 511;
}

/* Roles by PFN and their scattered MFNs. */
static const uint64_t mfns64[] = {0x2a0, 0x113, 0x3f1, 0x057, 0x188,
                                  0x2c4, 0x0a9, 0x331, 0x2f0, 0x1e5};
static const uint64_t mfns32[] = {0x1c0, 0x0e2, 0x17b, 0x2d3};

static void sample64(struct coreb_sample *s)
{
    const uint64_t *m = mfns64;

    /* Kernel: L4 0, L3 1, L2 2, L1 3, page 4; a 2 MiB page at 0x200. */
    set_pte(s, 0, idx(COREB_VA_4K, 4), m[1], PTE_TABLE);
    set_pte(s, 1, idx(COREB_VA_4K, 3), m[2], PTE_TABLE);
    set_pte(s, 2, idx(COREB_VA_4K, 2), m[3], PTE_TABLE);
    set_pte(s, 2, idx(COREB_VA_2M, 2), s->mfn_2m, PTE_2M);
    set_pte(s, 3, idx(COREB_VA_4K, 1), m[4], PTE_4K_NX);
    /* User: L4 5, L3 6, L2 7, L1 8, page 9. */
    set_pte(s, 5, idx(COREB_VA_USER, 4), m[6], PTE_TABLE);
    set_pte(s, 6, idx(COREB_VA_USER, 3), m[7], PTE_TABLE);
    set_pte(s, 7, idx(COREB_VA_USER, 2), m[8], PTE_TABLE);
    set_pte(s, 8, idx(COREB_VA_USER, 1), m[9], PTE_USER);
    s->mfn_4k = m[4];
    s->mfn_user = m[9];
    s->vcpus[0] = (struct coreb_vcpu){m[0], m[5]};
    s->vcpus[1] = (struct coreb_vcpu){m[0], 0};
}

static void sample32(struct coreb_sample *s)
{
    const uint64_t *m = mfns32;

    /* L3 0, L2 1, L1 2, page 3; a 2 MiB page at 0x200. */
    set_pte(s, 0, (COREB_VA32_4K >> 30) & 3, m[1], PTE_PDPT);
    set_pte(s, 1, idx(COREB_VA32_4K, 2), m[2], PTE_TABLE);
    set_pte(s, 1, idx(COREB_VA32_2M, 2), s->mfn_2m, PTE_2M);
    set_pte(s, 2, idx(COREB_VA32_4K, 1), m[3], PTE_4K_NX);
    s->mfn_4k = m[3];
    s->mfn_user = 0;
    s->vcpus[0] = s->vcpus[1] = (struct coreb_vcpu){m[0], 0};
}

void coreb_sample(struct coreb_sample *s, unsigned int width)
{
    size_t n = width == 8 ? sizeof(mfns64) / sizeof(mfns64[0])
                          : sizeof(mfns32) / sizeof(mfns32[0]);

    memset(s, 0, sizeof(*s));
    s->mfn_2m = 0x200;
    for (size_t i = 0; i < n; i++) {
        s->frames[i].pfn = i;
        s->frames[i].mfn = width == 8 ? mfns64[i] : mfns32[i];
        s->frames[i].data = s->pages[i];
        /* Every page tells its PFN in its last 8 bytes (not present in a
         * table; no VA of the sample uses the last entry). */
        ctxb_le_store(s->pages[i] + COREB_PAGE - 8, COREB_MARK(i), 8);
    }
    if (width == 8)
        sample64(s);
    else
        sample32(s);
    s->desc = (struct coreb_desc){
        .width = width,
        .frames = s->frames,
        .nr_frames = n,
        .vcpus = s->vcpus,
        .nr_vcpus = 2,
    };
}

/* ---------------------------------------------------------------------- */
/* Cores of pvbuild.h guests                                               */

static int cmp_pfn(const void *a, const void *b)
{
    const struct coreb_frame *x = a, *y = b;

    return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

struct coreb_frame *coreb_frames_from_pvb(const struct pvb *p, size_t *n)
{
    struct coreb_frame *frames =
        calloc(p->count ? p->count : 1, sizeof(*frames));

    if (!frames)
        abort();
    *n = 0;
    for (size_t i = 0; i < p->capacity; i++) {
        const struct pvb_frame *f = &p->slots[i];
        uint64_t pfn;

        if (f->data && pvb_m2p(f->mfn, &pfn) == 0)
            frames[(*n)++] = (struct coreb_frame){pfn, f->mfn, f->data};
    }
    qsort(frames, *n, sizeof(*frames), cmp_pfn);
    return frames;
}
