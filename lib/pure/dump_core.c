/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xl dump-core files of PV guests (docs/misc/dump-core-format.txt, written
 * by tools/libs/ctrl/xc_core.c): the .note.Xen notes, .xen_prstatus (one
 * vcpu_guest_context_any_t per vCPU: the 64-bit or 32-bit context at the
 * start of an entry as large as the 64-bit one), .xen_pages and .xen_p2m
 * ({pfn, gmfn} pairs, one per page). The ELF structure is checked by
 * dump_core_elf.c and the pairs by dump_core_p2m.c; here, what the notes
 * and sections say and that they agree.
 */
#define __XEN_TOOLS__ 1 /* the foreign headers' full context layouts */

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xen/elfnote.h>
#include <xen/foreign/x86_32.h>
#include <xen/foreign/x86_64.h>

#include "dump_core.h"

#define CORE_MAGIC_PV  0xF00FEBEDu /* XC_CORE_MAGIC */
#define CORE_MAGIC_HVM 0xF00FEBEEu /* XC_CORE_MAGIC_HVM */
#define HEX(v)         ((unsigned long long)(v))
#define DEC(v)         ((unsigned long long)(v))

enum {
    PAGE_SIZE = 4096,
    HEADER_DESC = 32, /* struct xen_dumpcore_elfnote_header_desc */
    FORMAT_DESC = 8,  /* struct xen_dumpcore_elfnote_format_version_desc */
};

/* xenctrl.h's vcpu_guest_context_any_t on x86: the entry of .xen_prstatus
 * for either width (5168 bytes). */
union vcpu_context_any {
    struct vcpu_guest_context_x86_64 x64;
    struct vcpu_guest_context_x86_32 x32;
};

_Static_assert(sizeof(union vcpu_context_any) == 5168,
               "the .xen_prstatus entry of Xen 4.17 on x86");

enum { SEC_NOTE, SEC_PRSTATUS, SEC_SHARED_INFO, SEC_PAGES, SEC_P2M, NR_SECS };
static const char *const sec_names[NR_SECS] = {
    ".note.Xen", ".xen_prstatus", ".xen_shared_info", ".xen_pages", ".xen_p2m",
};

/* The dump-core notes, by XEN_ELFNOTE_DUMPCORE_* - NONE. */
enum { NOTE_NONE, NOTE_HEADER, NOTE_XEN_VERSION, NOTE_FORMAT, NR_NOTES };
static const char *const note_names[NR_NOTES] = {
    "NONE", "HEADER", "XEN_VERSION", "FORMAT_VERSION"};
static const int note_desc_size[NR_NOTES] = {0, HEADER_DESC, -1, FORMAT_DESC};

struct notes {
    bool seen[NR_NOTES];
    uint64_t magic, nr_vcpus, nr_pages, page_size, format;
};

struct xcx_core {
    xentoollog_logger *lg;
    const unsigned char *image;
    unsigned int width, nr_vcpus;
    uint64_t prstatus, pages; /* offsets */
    struct xcx_core_p2m p2m;
};

static void read_note(const struct xcx_elf_note *n, struct notes *nt)
{
    if (n->type == XEN_ELFNOTE_DUMPCORE_HEADER) {
        nt->magic = xcx_le(n->desc, 8);
        nt->nr_vcpus = xcx_le(n->desc + 8, 8);
        nt->nr_pages = xcx_le(n->desc + 16, 8);
        nt->page_size = xcx_le(n->desc + 24, 8);
    } else if (n->type == XEN_ELFNOTE_DUMPCORE_FORMAT_VERSION) {
        nt->format = xcx_le(n->desc, 8);
    }
}

static int scan_notes(const unsigned char *img,
                      const struct xcx_elf_section *sec, struct notes *nt,
                      xentoollog_logger *lg)
{
    struct xcx_elf_note n;
    uint64_t pos = 0;
    int rc;

    while ((rc = xcx_elf_note_next(img, sec, ".note.Xen", &pos, &n, lg)) > 0) {
        unsigned int k = n.type - XEN_ELFNOTE_DUMPCORE_NONE;

        /* Other owners' notes and other types are not ours to judge. */
        if (n.namesz != 4 || memcmp(n.name, "Xen", 4) || k >= NR_NOTES)
            continue;
        if (nt->seen[k])
            return xcx_fail(lg, EINVAL,
                            ".note.Xen: second %s note at offset %#llx",
                            note_names[k], HEX(n.offset));
        if (note_desc_size[k] >= 0 && n.descsz != (unsigned)note_desc_size[k])
            return xcx_fail(lg, EINVAL,
                            ".note.Xen: %s note at offset %#llx has a %u-byte "
                            "descriptor, expected %d",
                            note_names[k], HEX(n.offset), n.descsz,
                            note_desc_size[k]);
        nt->seen[k] = true;
        read_note(&n, nt);
    }
    if (rc < 0)
        return -1;
    for (unsigned int k = 0; k < NR_NOTES; k++)
        if (!nt->seen[k])
            return xcx_fail(lg, EINVAL,
                            ".note.Xen (offset %#llx, %llu bytes) has no "
                            "\"Xen\" %s note (type %#x)",
                            HEX(sec->offset), DEC(sec->size), note_names[k],
                            XEN_ELFNOTE_DUMPCORE_NONE + k);
    return 0;
}

static int check_notes(const struct notes *nt, xentoollog_logger *lg)
{
    if (nt->magic == CORE_MAGIC_HVM)
        return xcx_fail(lg, EOPNOTSUPP,
                        "HEADER note magic %#llx: the core of an HVM guest, "
                        "only PV guests' cores (%#x) are supported",
                        HEX(nt->magic), CORE_MAGIC_PV);
    if (nt->magic != CORE_MAGIC_PV)
        return xcx_fail(lg, EINVAL,
                        "HEADER note magic %#llx, expected %#x (PV guest)",
                        HEX(nt->magic), CORE_MAGIC_PV);
    if (nt->page_size != PAGE_SIZE)
        return xcx_fail(lg, EINVAL, "HEADER note page size %llu, expected %d",
                        DEC(nt->page_size), PAGE_SIZE);
    if (nt->format >> 32)
        return xcx_fail(lg, EINVAL,
                        "FORMAT_VERSION note: format %llu.%llu, only major "
                        "version 0 is known",
                        DEC(nt->format >> 32), DEC(nt->format & 0xffffffff));
    return 0;
}

/* A required section: present, of @type and entry size @entsize, holding
 * @count entries (the HEADER note's @what). */
static int check_array(const struct xcx_elf_section *secs, unsigned int s,
                       uint32_t type, uint64_t entsize, uint64_t count,
                       const char *what, xentoollog_logger *lg)
{
    const struct xcx_elf_section *sec = &secs[s];

    if (!sec->present)
        return xcx_fail(lg, EINVAL, "no %s section", sec_names[s]);
    if (sec->type != type)
        return xcx_fail(lg, EINVAL, "%s (section %u) has type %u, expected %u",
                        sec_names[s], sec->index, sec->type, type);
    if (sec->entsize != entsize)
        return xcx_fail(
            lg, EINVAL, "%s (section %u) has entry size %llu, expected %llu",
            sec_names[s], sec->index, DEC(sec->entsize), DEC(entsize));
    if (sec->size % entsize)
        return xcx_fail(lg, EINVAL,
                        "%s (section %u) has size %llu, not a multiple of its "
                        "entry size %llu",
                        sec_names[s], sec->index, DEC(sec->size), DEC(entsize));
    if (sec->size / entsize != count)
        return xcx_fail(lg, EINVAL,
                        "%s (section %u) holds %llu entries, the HEADER note "
                        "says %llu %s",
                        sec_names[s], sec->index, DEC(sec->size / entsize),
                        DEC(count), what);
    return 0;
}

static int check_sections(const struct xcx_elf_section *secs,
                          const struct notes *nt, xentoollog_logger *lg)
{
    if (nt->nr_vcpus == 0 || nt->nr_vcpus > UINT32_MAX)
        return xcx_fail(lg, EINVAL, "HEADER note: %llu vCPUs, expected 1 to %u",
                        DEC(nt->nr_vcpus), UINT32_MAX);
    if (check_array(secs, SEC_PRSTATUS, SHT_PROGBITS,
                    sizeof(union vcpu_context_any), nt->nr_vcpus, "vCPUs",
                    lg) ||
        check_array(secs, SEC_PAGES, SHT_PROGBITS, PAGE_SIZE, nt->nr_pages,
                    "pages", lg) ||
        check_array(secs, SEC_P2M, SHT_PROGBITS, XCX_CORE_P2M_ENTRY,
                    nt->nr_pages, "pages", lg))
        return -1;
    if (secs[SEC_PAGES].offset % PAGE_SIZE)
        return xcx_fail(lg, EINVAL,
                        ".xen_pages (section %u) at offset %#llx is not page "
                        "aligned",
                        secs[SEC_PAGES].index, HEX(secs[SEC_PAGES].offset));
    return 0;
}

XCX_EXPORT xcx_core *xcx_core_open(const void *image, size_t len,
                                   xentoollog_logger *lg)
{
    struct xcx_elf_section secs[NR_SECS];
    struct notes nt = {{false}};
    unsigned int machine;
    xcx_core *core;

    if (xcx_elf_index(image, len, sec_names, NR_SECS, secs, &machine, lg))
        return NULL;
    if (!secs[SEC_NOTE].present) {
        xcx_fail(lg, EINVAL, "no .note.Xen section");
        return NULL;
    }
    if (secs[SEC_NOTE].type != SHT_NOTE) {
        xcx_fail(lg, EINVAL, ".note.Xen (section %u) has type %u, expected %d",
                 secs[SEC_NOTE].index, secs[SEC_NOTE].type, SHT_NOTE);
        return NULL;
    }
    if (scan_notes(image, &secs[SEC_NOTE], &nt, lg) || check_notes(&nt, lg) ||
        check_sections(secs, &nt, lg))
        return NULL;

    core = calloc(1, sizeof(*core));
    if (!core)
        return NULL;
    core->lg = lg;
    core->image = image;
    core->width = machine == EM_X86_64 ? 8 : 4;
    core->nr_vcpus = nt.nr_vcpus;
    core->prstatus = secs[SEC_PRSTATUS].offset;
    core->pages = secs[SEC_PAGES].offset;
    if (xcx_core_p2m_index(&core->p2m, image, secs[SEC_P2M].offset, nt.nr_pages,
                           lg)) {
        xcx_core_close(core);
        return NULL;
    }
    return core;
}

XCX_EXPORT void xcx_core_close(xcx_core *core)
{
    int saved = errno;

    if (core) {
        xcx_core_p2m_free(&core->p2m);
        free(core);
    }
    errno = saved;
}

XCX_EXPORT unsigned int xcx_core_nr_vcpus(const xcx_core *core)
{
    return core->nr_vcpus;
}

XCX_EXPORT unsigned int xcx_core_width(const xcx_core *core)
{
    return core->width;
}

XCX_EXPORT int xcx_core_root(const xcx_core *core, unsigned int vcpu, bool user,
                             uint64_t *mfn)
{
    const unsigned char *ctx;
    unsigned int reg = user ? 1 : 3;
    uint64_t cr, root;

    if (vcpu >= core->nr_vcpus)
        return xcx_fail(core->lg, EINVAL,
                        "vCPU %u requested, the core holds %u vCPUs", vcpu,
                        core->nr_vcpus);
    ctx = core->image + core->prstatus +
          (uint64_t)vcpu * sizeof(union vcpu_context_any);
    if (core->width == 8) {
        cr = xcx_le(ctx + offsetof(struct vcpu_guest_context_x86_64, ctrlreg) +
                        8 * reg,
                    8);
        root = xen_cr3_to_pfn_x86_64(cr);
    } else {
        if (user)
            return xcx_fail(core->lg, ENOENT,
                            "vCPU %u: a 32-bit guest has no user root", vcpu);
        cr = xcx_le(ctx + offsetof(struct vcpu_guest_context_x86_32, ctrlreg) +
                        4 * reg,
                    4);
        root = (uint32_t)xen_cr3_to_pfn_x86_32(cr);
    }
    if (cr == 0)
        return xcx_fail(core->lg, ENOENT,
                        "vCPU %u has no %s root (ctrlreg[%u] is 0)", vcpu,
                        user ? "user" : "kernel", reg);
    *mfn = root;
    return 0;
}

static const void *core_read_frame(void *arg, uint64_t mfn)
{
    const xcx_core *core = arg;
    uint64_t index, pfn;

    if (!xcx_core_p2m_find(&core->p2m, mfn, &index, &pfn)) {
        errno = ENOENT;
        return NULL;
    }
    return core->image + core->pages + index * PAGE_SIZE;
}

static int core_m2p(void *arg, uint64_t mfn, uint64_t *pfn)
{
    const xcx_core *core = arg;
    uint64_t index;

    if (!xcx_core_p2m_find(&core->p2m, mfn, &index, pfn)) {
        errno = ENOENT;
        return -1;
    }
    return 0;
}

XCX_EXPORT void xcx_core_guest(xcx_core *core, struct xcx_pv_guest *g)
{
    g->width = core->width;
    /* The host's highest MFN is not in the file, and frames the guest maps
     * but does not own (its shared info, grant frames) may lie above the
     * highest it owns: any 52-bit frame may be named, those not dumped read
     * as absent (ENOENT) and translate to no PFN. */
    g->max_mfn = UINT64_C(1) << XCX_CORE_FRAME_BITS;
    g->read_frame = core_read_frame;
    g->m2p = core_m2p;
    g->arg = core;
}
