/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The parts of the xl dump-core reader (dump_core.c, the public calls and
 * what the sections mean):
 *  - dump_core_elf.c: ELF64 indexing, i.e. the file header, the section
 *    header table, names through .shstrtab and the notes of a note
 *    section, every offset and size checked against the image;
 *  - dump_core_p2m.c: the {pfn, gmfn} pairs of .xen_p2m, checked and
 *    indexed by MFN.
 */
#ifndef XCX_DUMP_CORE_H
#define XCX_DUMP_CORE_H

#include "private.h"

/* Little-endian fields of the image, at any alignment. */
static inline uint64_t xcx_le(const unsigned char *p, unsigned int bytes)
{
    uint64_t v = 0;

    for (unsigned int i = bytes; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

/* A section the caller asked for by name. */
struct xcx_elf_section {
    bool present;
    unsigned int index; /* in the section header table */
    uint32_t type;      /* SHT_* */
    uint64_t offset, size, entsize;
};

/*
 * Check the ELF header and every section header of @img (@len bytes):
 * ELF64, little-endian, ET_CORE, machine EM_X86_64 or EM_386, 64-byte
 * section headers, the table and every section inside the image, names
 * inside a NUL-terminated .shstrtab. Fills @secs[i] for the section named
 * @names[i] (i < @nr); a wanted name found twice is EINVAL.
 */
int xcx_elf_index(const unsigned char *img, size_t len,
                  const char *const *names, unsigned int nr,
                  struct xcx_elf_section *secs, unsigned int *machine,
                  xentoollog_logger *lg);

/* One note of a note section. */
struct xcx_elf_note {
    uint64_t offset; /* in the file, of the note header */
    uint32_t type, namesz, descsz;
    const unsigned char *name, *desc;
};

/*
 * The note at *@pos (from the section's start) of @sec, named @what in
 * messages: 1 with *@pos moved past it (name and descriptor padded to 4
 * bytes), 0 at the section's end, -1 (EINVAL) when it runs past the end.
 */
int xcx_elf_note_next(const unsigned char *img,
                      const struct xcx_elf_section *sec, const char *what,
                      uint64_t *pos, struct xcx_elf_note *note,
                      xentoollog_logger *lg);

/* ---------------------------------------------------------------------- */
/* .xen_p2m                                                                */

#define XCX_CORE_P2M_ENTRY  16 /* struct xen_dumpcore_p2m */
#define XCX_CORE_FRAME_BITS 40 /* frame numbers of 52-bit addresses */

struct xcx_core_slot {
    uint64_t mfn, index; /* index: of the pair and of the page */
};

/* The MFN -> page index of @nr_pages pairs at @offset of @img. */
struct xcx_core_p2m {
    const unsigned char *img;
    uint64_t offset;
    struct xcx_core_slot *by_mfn; /* sorted by MFN, each once */
    size_t nr;                    /* pairs other than padding */
};

/*
 * Check and index the pairs: pfns ascend, pfn and gmfn below
 * 2^XCX_CORE_FRAME_BITS, each gmfn once; {~0, ~0} pairs (a live dump whose
 * guest shrank) only at the end, left out of the index. EINVAL naming the
 * pair; ENOMEM. @ix is to be freed either way.
 */
int xcx_core_p2m_index(struct xcx_core_p2m *ix, const unsigned char *img,
                       uint64_t offset, uint64_t nr_pages,
                       xentoollog_logger *lg);
void xcx_core_p2m_free(struct xcx_core_p2m *ix);

/* @mfn's page index and PFN: true, or false when it is not in the dump. */
bool xcx_core_p2m_find(const struct xcx_core_p2m *ix, uint64_t mfn,
                       uint64_t *index, uint64_t *pfn);

#endif
