/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ELF64 indexing of xl dump-core files. Xen writes them with the section
 * header table right after the ELF header and no program headers
 * (tools/libs/ctrl/xc_core.c); we rely on neither, only on the offsets the
 * headers give, each checked against the image before it is used.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "dump_core.h"

enum {
    MAX_SECTIONS = 256, /* Xen writes 7 */
    NOTE_HEADER = 12,   /* namesz, descsz, type */
};

#define EH(field)   offsetof(Elf64_Ehdr, field)
#define SH(field)   offsetof(Elf64_Shdr, field)
#define HEX(v)      ((unsigned long long)(v))
#define FIELD(p, f) xcx_le((p) + SH(f), sizeof(((Elf64_Shdr *)0)->f))

struct ehdr {
    unsigned int machine, shnum, shstrndx;
    uint64_t shoff;
};

struct shdr {
    uint32_t name, type;
    uint64_t offset, size, entsize;
};

static int check_ident(const unsigned char *img, size_t len,
                       xentoollog_logger *lg)
{
    if (len < sizeof(Elf64_Ehdr))
        return xcx_fail(lg, EINVAL,
                        "image of %zu bytes is shorter than an ELF64 header "
                        "(%zu bytes)",
                        len, sizeof(Elf64_Ehdr));
    if (memcmp(img, ELFMAG, SELFMAG))
        return xcx_fail(lg, EINVAL,
                        "not an ELF file: magic %02x %02x %02x %02x at "
                        "offset 0",
                        img[0], img[1], img[2], img[3]);
    if (img[EI_CLASS] != ELFCLASS64)
        return xcx_fail(lg, EINVAL,
                        "ELF class %u at offset %d, expected %d (ELFCLASS64)",
                        img[EI_CLASS], EI_CLASS, ELFCLASS64);
    if (img[EI_DATA] != ELFDATA2LSB)
        return xcx_fail(lg, EINVAL,
                        "ELF data encoding %u at offset %d, expected %d "
                        "(little-endian)",
                        img[EI_DATA], EI_DATA, ELFDATA2LSB);
    return 0;
}

static int read_ehdr(const unsigned char *img, size_t len, struct ehdr *eh,
                     xentoollog_logger *lg)
{
    unsigned int type, shentsize;

    if (check_ident(img, len, lg))
        return -1;
    type = xcx_le(img + EH(e_type), 2);
    shentsize = xcx_le(img + EH(e_shentsize), 2);
    eh->machine = xcx_le(img + EH(e_machine), 2);
    eh->shnum = xcx_le(img + EH(e_shnum), 2);
    eh->shstrndx = xcx_le(img + EH(e_shstrndx), 2);
    eh->shoff = xcx_le(img + EH(e_shoff), 8);
    if (type != ET_CORE)
        return xcx_fail(lg, EINVAL,
                        "ELF type %u at offset %zu, expected %d (ET_CORE)",
                        type, EH(e_type), ET_CORE);
    if (eh->machine != EM_X86_64 && eh->machine != EM_386)
        return xcx_fail(lg, EINVAL,
                        "ELF machine %u at offset %zu, expected %d (x86-64) "
                        "or %d (i386)",
                        eh->machine, EH(e_machine), EM_X86_64, EM_386);
    if (shentsize != sizeof(Elf64_Shdr))
        return xcx_fail(lg, EINVAL,
                        "section header size %u at offset %zu, expected %zu",
                        shentsize, EH(e_shentsize), sizeof(Elf64_Shdr));
    if (eh->shnum == 0 || eh->shnum > MAX_SECTIONS)
        return xcx_fail(lg, EINVAL,
                        "%u section headers (offset %zu), expected 1 to %d",
                        eh->shnum, EH(e_shnum), MAX_SECTIONS);
    if (eh->shstrndx == SHN_UNDEF || eh->shstrndx >= eh->shnum)
        return xcx_fail(lg, EINVAL,
                        "section name table index %u (offset %zu) is not one "
                        "of the %u sections",
                        eh->shstrndx, EH(e_shstrndx), eh->shnum);
    if (eh->shoff < sizeof(Elf64_Ehdr) || eh->shoff > len ||
        (len - eh->shoff) / sizeof(Elf64_Shdr) < eh->shnum)
        return xcx_fail(lg, EINVAL,
                        "section header table at offset %#llx (%u headers of "
                        "%zu bytes) is not within the image of %zu bytes "
                        "after the ELF header",
                        HEX(eh->shoff), eh->shnum, sizeof(Elf64_Shdr), len);
    return 0;
}

/* Section @i's header. */
static void read_shdr(const unsigned char *img, const struct ehdr *eh,
                      unsigned int i, struct shdr *sh)
{
    const unsigned char *p = img + eh->shoff + (uint64_t)i * sizeof(Elf64_Shdr);

    sh->name = FIELD(p, sh_name);
    sh->type = FIELD(p, sh_type);
    sh->offset = FIELD(p, sh_offset);
    sh->size = FIELD(p, sh_size);
    sh->entsize = FIELD(p, sh_entsize);
}

/* The bytes of section @i (called @name) are in the image. */
static int check_bounds(size_t len, const struct ehdr *eh, unsigned int i,
                        const struct shdr *sh, const char *name,
                        xentoollog_logger *lg)
{
    if (sh->type == SHT_NOBITS || sh->type == SHT_NULL ||
        (sh->offset <= len && sh->size <= len - sh->offset))
        return 0;
    return xcx_fail(lg, EINVAL,
                    "section %u (%s, header at offset %#llx): offset %#llx "
                    "size %#llx is not within the image of %zu bytes",
                    i, name, HEX(eh->shoff + (uint64_t)i * sizeof(Elf64_Shdr)),
                    HEX(sh->offset), HEX(sh->size), len);
}

/* The section name table: in the image, ends in NUL. */
static const char *read_shstrtab(const unsigned char *img, size_t len,
                                 const struct ehdr *eh, uint64_t *size,
                                 xentoollog_logger *lg)
{
    struct shdr sh;

    read_shdr(img, eh, eh->shstrndx, &sh);
    if (check_bounds(len, eh, eh->shstrndx, &sh, "section name table", lg))
        return NULL;
    if (sh.type != SHT_STRTAB) {
        xcx_fail(lg, EINVAL,
                 "section name table (section %u) has type %u, expected %d "
                 "(SHT_STRTAB)",
                 eh->shstrndx, sh.type, SHT_STRTAB);
        return NULL;
    }
    if (sh.size == 0 || img[sh.offset + sh.size - 1] != '\0') {
        xcx_fail(lg, EINVAL,
                 "section name table (section %u, offset %#llx, %llu bytes) "
                 "does not end in a NUL byte",
                 eh->shstrndx, HEX(sh.offset), HEX(sh.size));
        return NULL;
    }
    *size = sh.size;
    return (const char *)img + sh.offset;
}

static int note_section(const char *name, const struct shdr *sh, unsigned int i,
                        const char *const *names, unsigned int nr,
                        struct xcx_elf_section *secs, xentoollog_logger *lg)
{
    for (unsigned int k = 0; k < nr; k++) {
        if (strcmp(name, names[k]))
            continue;
        if (secs[k].present)
            return xcx_fail(lg, EINVAL,
                            "section %s appears twice (sections %u and %u)",
                            name, secs[k].index, i);
        secs[k] = (struct xcx_elf_section){true,       i,        sh->type,
                                           sh->offset, sh->size, sh->entsize};
    }
    return 0;
}

int xcx_elf_index(const unsigned char *img, size_t len,
                  const char *const *names, unsigned int nr,
                  struct xcx_elf_section *secs, unsigned int *machine,
                  xentoollog_logger *lg)
{
    struct ehdr eh;
    uint64_t strsize;
    const char *strtab;

    memset(secs, 0, nr * sizeof(*secs));
    if (read_ehdr(img, len, &eh, lg))
        return -1;
    strtab = read_shstrtab(img, len, &eh, &strsize, lg);
    if (!strtab)
        return -1;
    /* Section 0 is the null section: its header says nothing. */
    for (unsigned int i = 1; i < eh.shnum; i++) {
        struct shdr sh;

        read_shdr(img, &eh, i, &sh);
        if (sh.name >= strsize)
            return xcx_fail(lg, EINVAL,
                            "section %u: name offset %u is outside the "
                            "section name table (%llu bytes)",
                            i, sh.name, HEX(strsize));
        if (check_bounds(len, &eh, i, &sh, strtab + sh.name, lg) ||
            note_section(strtab + sh.name, &sh, i, names, nr, secs, lg))
            return -1;
    }
    *machine = eh.machine;
    return 0;
}

int xcx_elf_note_next(const unsigned char *img,
                      const struct xcx_elf_section *sec, const char *what,
                      uint64_t *pos, struct xcx_elf_note *note,
                      xentoollog_logger *lg)
{
    const unsigned char *p = img + sec->offset + *pos;
    uint64_t left = sec->size - *pos, name_pad, desc_pad;

    if (left == 0)
        return 0;
    note->offset = sec->offset + *pos;
    if (left < NOTE_HEADER)
        return xcx_fail(lg, EINVAL,
                        "%s: %llu bytes at offset %#llx are too short for a "
                        "note header (%d bytes)",
                        what, HEX(left), HEX(note->offset), NOTE_HEADER);
    note->namesz = xcx_le(p, 4);
    note->descsz = xcx_le(p + 4, 4);
    note->type = xcx_le(p + 8, 4);
    name_pad = ((uint64_t)note->namesz + 3) & ~UINT64_C(3);
    desc_pad = ((uint64_t)note->descsz + 3) & ~UINT64_C(3);
    if (name_pad > left - NOTE_HEADER ||
        desc_pad > left - NOTE_HEADER - name_pad)
        return xcx_fail(lg, EINVAL,
                        "%s: note type %#x at offset %#llx: name size %u and "
                        "descriptor size %u run past the section's end (%llu "
                        "bytes left)",
                        what, note->type, HEX(note->offset), note->namesz,
                        note->descsz, HEX(left));
    note->name = p + NOTE_HEADER;
    note->desc = p + NOTE_HEADER + name_pad;
    *pos += NOTE_HEADER + name_pad + desc_pad;
    return 1;
}
