/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx_core_*: xl dump-core images written by tests/support/corebuild.c
 * from its sample PV guests, good and broken in every way the format can
 * be; walks through a core-backed guest against the same guest read
 * directly from its frames.
 */
#include <stdio.h>
#include <stdlib.h>

#include "corebuild.h"
#include "pvbuild.h"
#include "unit.h"

static xcx_core *open_blob(const struct coreb_blob *b, struct caplog *log)
{
    caplog_init(log);
    return xcx_core_open(b->data, b->len, caplog_logger(log));
}

/* An image built from a description and opened, with its messages. */
struct fix {
    struct coreb_blob b;
    struct caplog log;
    xcx_core *core;
};

static xcx_core *build_open(struct fix *f, const struct coreb_desc *d,
                            const char *what)
{
    coreb_build(&f->b, d);
    f->core = open_blob(&f->b, &f->log);
    if (!f->core)
        fail_msg("%s: open failed, errno %d: %s", what, errno, f->log.last);
    assert_int_equal(f->log.count, 0);
    return f->core;
}

static void fix_close(struct fix *f)
{
    xcx_core_close(f->core);
    coreb_blob_free(&f->b);
}

static void expect_root(const xcx_core *core, unsigned int vcpu, bool user,
                        uint64_t want)
{
    uint64_t mfn = 0;

    if (xcx_core_root(core, vcpu, user, &mfn))
        fail_msg("vCPU %u %s root: errno %d", vcpu, user ? "user" : "kernel",
                 errno);
    assert_int_equal(mfn, want);
}

static void expect_no_root(const xcx_core *core, struct caplog *log,
                           unsigned int vcpu, bool user, int err)
{
    uint64_t mfn = 0x1234;

    caplog_reset(log);
    errno = 0;
    assert_int_equal(xcx_core_root(core, vcpu, user, &mfn), -1);
    assert_int_equal(errno, err);
    assert_int_equal(mfn, 0x1234); /* untouched */
    assert_int_equal(log->count, 1);
    assert_log_number(log, vcpu);
}

/* Every frame reads as its page and translates to its PFN; others not. */
static void check_frames(xcx_core *core, const struct coreb_desc *d)
{
    struct xcx_pv_guest g;
    uint64_t pfn, top = 0;

    memset(&g, 0, sizeof(g));
    xcx_core_guest(core, &g);
    assert_int_equal(g.width, d->width);
    for (size_t i = 0; i < d->nr_frames; i++) {
        const struct coreb_frame *f = &d->frames[i];
        const uint8_t *page = g.read_frame(g.arg, f->mfn);

        assert_non_null(page);
        assert_memory_equal(page, f->data, COREB_PAGE);
        assert_int_equal(g.m2p(g.arg, f->mfn, &pfn), 0);
        assert_int_equal(pfn, f->pfn);
        if (f->mfn + 1 > top)
            top = f->mfn + 1;
    }
    /* Any 52-bit MFN may be named; those not dumped are absent. */
    assert_int_equal(g.max_mfn, UINT64_C(1) << 40);
    for (uint64_t mfn = 0; mfn < top + 2 && mfn < 0x1000; mfn++) {
        bool known = false;

        for (size_t i = 0; i < d->nr_frames; i++)
            known |= d->frames[i].mfn == mfn;
        if (known)
            continue;
        errno = 0;
        assert_null(g.read_frame(g.arg, mfn));
        assert_int_equal(errno, ENOENT);
        errno = 0;
        assert_int_equal(g.m2p(g.arg, mfn, &pfn), -1);
        assert_int_equal(errno, ENOENT);
    }
    errno = 0;
    assert_int_equal(g.m2p(g.arg, UINT64_MAX, &pfn), -1);
    assert_int_equal(errno, ENOENT);
}

static void test_good_64(void **state)
{
    struct coreb_sample s;
    struct fix f;
    xcx_core *core;

    coreb_sample(&s, 8);
    core = build_open(&f, &s.desc, "64-bit");
    assert_int_equal(xcx_core_width(core), 8);
    assert_int_equal(xcx_core_nr_vcpus(core), 2);
    expect_root(core, 0, false, s.vcpus[0].kernel_root);
    expect_root(core, 0, true, s.vcpus[0].user_root);
    expect_root(core, 1, false, s.vcpus[1].kernel_root);
    expect_no_root(core, &f.log, 1, true, ENOENT);
    assert_true(caplog_has(&f.log, "user"));
    expect_no_root(core, &f.log, 2, false, EINVAL);
    expect_no_root(core, &f.log, 2, true, EINVAL);
    expect_no_root(core, &f.log, UINT32_MAX, false, EINVAL);
    check_frames(core, &s.desc);
    /* Pages differ: each holds its PFN's mark. */
    for (size_t i = 0; i < s.desc.nr_frames; i++) {
        struct xcx_pv_guest g;
        const uint8_t *page;

        xcx_core_guest(core, &g);
        page = g.read_frame(g.arg, s.frames[i].mfn);
        assert_int_equal(ctxb_le_load(page + COREB_PAGE - 8, 8),
                         COREB_MARK(s.frames[i].pfn));
    }
    xcx_core_close(NULL);
    fix_close(&f);
}

static void test_good_32(void **state)
{
    struct coreb_sample s;
    struct fix f;
    xcx_core *core;

    coreb_sample(&s, 4);
    core = build_open(&f, &s.desc, "32-bit");
    /* The image says i386; the entries are as large as 64-bit ones. */
    assert_int_equal(ctxb_le_load(f.b.data + COREB_EHDR(e_machine), 2), EM_386);
    assert_int_equal(f.b.sec_size[COREB_PRSTATUS], 2 * COREB_CTX_SIZE);
    assert_int_equal(xcx_core_width(core), 4);
    assert_int_equal(xcx_core_nr_vcpus(core), 2);
    expect_root(core, 0, false, s.vcpus[0].kernel_root);
    expect_root(core, 1, false, s.vcpus[1].kernel_root);
    expect_no_root(core, &f.log, 0, true, ENOENT);
    assert_true(caplog_has(&f.log, "32-bit"));
    expect_no_root(core, &f.log, 2, false, EINVAL);
    check_frames(core, &s.desc);
    fix_close(&f);
}

/* A PAE root above 4 GiB: cr3 holds MFN bits 20..31 in its low bits. */
static void test_32_folded_cr3(void **state)
{
    static const uint64_t roots[] = {0x1, 0xfffff, 0x100000, 0x123456,
                                     0xfffffffe};
    struct coreb_sample s;
    struct fix f;

    for (unsigned int i = 0; i < ARRAY_SIZE(roots); i++) {
        xcx_core *core;

        coreb_sample(&s, 4);
        s.vcpus[1].kernel_root = roots[i];
        core = build_open(&f, &s.desc, "folded cr3");
        expect_root(core, 1, false, roots[i]);
        fix_close(&f);
    }
}

static void test_good_variants(void **state)
{
    struct coreb_sample s;
    struct fix f;

    for (unsigned int width = 4; width <= 8; width += 4) {
        for (unsigned int shape = 0; shape < 4; shape++) {
            xcx_core *core;

            coreb_sample(&s, width);
            s.desc.no_shared_info = shape & 1;
            s.desc.foreign_note = shape & 2;
            core = build_open(&f, &s.desc, "variant");
            check_frames(core, &s.desc);
            fix_close(&f);
        }
    }
}

/* A live dump whose guest shrank: {~0, ~0} pairs and zero pages last. */
static void test_padding_pairs(void **state)
{
    struct coreb_sample s;
    struct fix f;
    xcx_core *core;
    size_t n;

    coreb_sample(&s, 8);
    n = s.desc.nr_frames;
    for (size_t i = n; i < n + 3; i++)
        s.frames[i] = (struct coreb_frame){COREB_INVALID, COREB_INVALID, NULL};
    s.desc.nr_frames = n + 3;
    core = build_open(&f, &s.desc, "padding pairs");
    s.desc.nr_frames = n; /* the real frames */
    check_frames(core, &s.desc);
    fix_close(&f);
}

/* No pages at all: opens, nothing to read. */
static void test_no_pages(void **state)
{
    struct coreb_sample s;
    struct fix f;
    struct xcx_pv_guest g;
    xcx_core *core;
    uint64_t pfn;

    coreb_sample(&s, 8);
    s.desc.nr_frames = 0;
    core = build_open(&f, &s.desc, "no pages");
    xcx_core_guest(core, &g);
    assert_int_equal(g.max_mfn, UINT64_C(1) << 40);
    assert_null(g.read_frame(g.arg, 0));
    assert_int_equal(g.m2p(g.arg, 0, &pfn), -1);
    fix_close(&f);
}

/* ---------------------------------------------------------------------- */
/* Broken images                                                           */

enum where {
    W_NONE,
    W_EHDR,      /* off: in the ELF header */
    W_SHOFF_END, /* e_shoff is value bytes before the image's end */
    W_SHDR,      /* which: section; off: in its header */
    W_SEC_END,   /* which: section; off: back from its end */
    W_NOTE,      /* which: note index; off: in the note header */
    W_NOTE_DESC, /* which: note index; off: in its descriptor */
    W_PAIR,      /* which: .xen_p2m pair; off: 0 pfn, 8 gmfn */
    W_PAIR_GMFN, /* which: pair; value: the pair whose gmfn it takes */
};

struct patch {
    enum where where;
    unsigned int which;
    size_t off;
    unsigned int bytes;
    uint64_t value;
    bool add; /* add value to the field */
};

#define FSIZE(type, f) sizeof(((type *)0)->f)
/* clang-format 14 and 19 lay out braces in macros differently. */
// clang-format off
#define EHDR(f, v) \
    {W_EHDR, 0, offsetof(Elf64_Ehdr, f), FSIZE(Elf64_Ehdr, f), (v)}
#define SHDR(s, f, v) \
    {W_SHDR, COREB_##s, offsetof(Elf64_Shdr, f), FSIZE(Elf64_Shdr, f), (v)}
#define SHDR_ADD(s, f, v) \
    {W_SHDR, COREB_##s, offsetof(Elf64_Shdr, f), FSIZE(Elf64_Shdr, f), (v), \
     true}
#define NOTE(n, off, v) {W_NOTE, (n), (off), 4, (v)}
#define DESC(n, off, v) {W_NOTE_DESC, (n), (off), 8, (v)}
#define PAIR(i, off, v) {W_PAIR, (i), (off), 8, (v)}
// clang-format on
#define N_NONE    0
#define N_HEADER  1
#define N_VERSION 2
#define N_FORMAT  3
#define SEC(s)    (1u << COREB_##s)

struct bad_case {
    const char *what;
    unsigned int width; /* 0: 8 */
    unsigned int omit_sections, dup_sections, omit_notes, dup_notes;
    struct patch patch[3];
    const char *words[3]; /* the message holds each */
    int err;              /* 0: EINVAL */
};

static const struct bad_case bad_cases[] = {
    /* ELF header */
    {"bad magic byte 0", .patch = {EHDR(e_ident[0], 0x7e)}, .words = {"ELF"}},
    {"bad magic byte 3", .patch = {EHDR(e_ident[3], 'f')}, .words = {"magic"}},
    {"class 32", .patch = {EHDR(e_ident[EI_CLASS], ELFCLASS32)},
     .words = {"class", "offset 4"}},
    {"big-endian", .patch = {EHDR(e_ident[EI_DATA], ELFDATA2MSB)},
     .words = {"encoding", "offset 5"}},
    {"not a core", .patch = {EHDR(e_type, ET_EXEC)}, .words = {"type"}},
    {"machine aarch64", .patch = {EHDR(e_machine, EM_AARCH64)},
     .words = {"machine", "183"}},
    {"shentsize 40", .patch = {EHDR(e_shentsize, 40)},
     .words = {"section header size", "40"}},
    {"no sections", .patch = {EHDR(e_shnum, 0)}, .words = {"0 section"}},
    {"300 sections", .patch = {EHDR(e_shnum, 300)}, .words = {"300 section"}},
    {"shstrndx 0", .patch = {EHDR(e_shstrndx, 0)},
     .words = {"name table index 0"}},
    {"shstrndx past the table", .patch = {EHDR(e_shstrndx, 7)},
     .words = {"name table index 7"}},
    {"shoff 0", .patch = {EHDR(e_shoff, 0)}, .words = {"header table"}},
    {"shoff past the end", .patch = {EHDR(e_shoff, 1ull << 40)},
     .words = {"header table", "0x10000000000"}},
    {"shoff huge", .patch = {EHDR(e_shoff, UINT64_MAX - 8)},
     .words = {"header table"}},
    {"table runs past the end",
     .patch = {{W_SHOFF_END, 0, offsetof(Elf64_Ehdr, e_shoff), 8, 128}},
     .words = {"header table", "7 headers"}},
    /* Section headers */
    {"section offset past the end",
     .patch = {SHDR(PRSTATUS, sh_offset, 1ull << 32)},
     .words = {"section 3", "0x100000000"}},
    {"section size past the end", .patch = {SHDR(P2M, sh_size, 1ull << 63)},
     .words = {"section 6", "0x8000000000000000"}},
    {"offset + size wraps",
     .patch = {SHDR(PAGES, sh_offset, 4096), SHDR(PAGES, sh_size, -4096ull)},
     .words = {"section 5"}},
    {"shstrtab not terminated",
     .patch = {{W_SEC_END, COREB_SHSTRTAB, 1, 1, 'x'}},
     .words = {"NUL", "section 1"}},
    {"shstrtab empty", .patch = {SHDR(SHSTRTAB, sh_size, 0)}, .words = {"NUL"}},
    {"shstrtab not a string table",
     .patch = {SHDR(SHSTRTAB, sh_type, SHT_PROGBITS)},
     .words = {"name table", "type 1"}},
    {"name outside shstrtab", .patch = {SHDR(P2M, sh_name, 0x10000)},
     .words = {"section 6", "65536"}},
    {"note section of type PROGBITS",
     .patch = {SHDR(NOTE, sh_type, SHT_PROGBITS)},
     .words = {".note.Xen", "type 1"}},
    {"prstatus of type NOBITS",
     .patch = {SHDR(PRSTATUS, sh_type, SHT_NOBITS),
               SHDR(PRSTATUS, sh_offset, 1ull << 40)},
     .words = {".xen_prstatus", "type 8"}},
    /* Missing and duplicate sections */
    {"no .note.Xen", .omit_sections = SEC(NOTE), .words = {"no .note.Xen"}},
    {"no .xen_prstatus", .omit_sections = SEC(PRSTATUS),
     .words = {"no .xen_prstatus"}},
    {"no .xen_pages", .omit_sections = SEC(PAGES), .words = {"no .xen_pages"}},
    {"no .xen_p2m", .omit_sections = SEC(P2M), .words = {"no .xen_p2m"}},
    {"no .shstrtab", .omit_sections = SEC(SHSTRTAB),
     .words = {"name table", "type"}},
    {"two .note.Xen", .dup_sections = SEC(NOTE),
     .words = {".note.Xen", "twice"}},
    {"two .xen_prstatus", .dup_sections = SEC(PRSTATUS),
     .words = {".xen_prstatus", "twice"}},
    {"two .xen_shared_info", .dup_sections = SEC(SHARED_INFO),
     .words = {".xen_shared_info", "twice"}},
    {"two .xen_pages", .dup_sections = SEC(PAGES),
     .words = {".xen_pages", "twice"}},
    {"two .xen_p2m", .dup_sections = SEC(P2M), .words = {".xen_p2m", "twice"}},
    /* Sizes, entry sizes, alignment */
    {"pages misaligned", .patch = {SHDR_ADD(PAGES, sh_offset, 8)},
     .words = {".xen_pages", "aligned"}},
    {"pages misaligned by 96", .patch = {SHDR_ADD(PAGES, sh_offset, 96)},
     .words = {".xen_pages", "aligned"}},
    {"pages moved past the end", .patch = {SHDR_ADD(PAGES, sh_offset, 4096)},
     .words = {".xen_pages", "section 5", "not within"}},
    {"one page less", .patch = {SHDR_ADD(PAGES, sh_size, -4096ull)},
     .words = {".xen_pages", "9 entries", "10 pages"}},
    {"pages size odd", .patch = {SHDR_ADD(PAGES, sh_size, -1ull)},
     .words = {".xen_pages", "multiple"}},
    {"one pair less", .patch = {SHDR_ADD(P2M, sh_size, -16ull)},
     .words = {".xen_p2m", "9 entries"}},
    {"p2m size odd", .patch = {SHDR_ADD(P2M, sh_size, -8ull)},
     .words = {".xen_p2m", "multiple"}},
    {"one context less", .patch = {SHDR_ADD(PRSTATUS, sh_size, -5168ull)},
     .words = {".xen_prstatus", "1 entries", "2 vCPUs"}},
    {"prstatus size odd", .patch = {SHDR_ADD(PRSTATUS, sh_size, -1ull)},
     .words = {".xen_prstatus", "multiple"}},
    {"prstatus entsize of the 32-bit context",
     .patch = {SHDR(PRSTATUS, sh_entsize, 2800)},
     .words = {".xen_prstatus", "2800", "5168"}},
    {"32-bit prstatus entsize 2800", .width = 4,
     .patch = {SHDR(PRSTATUS, sh_entsize, 2800)},
     .words = {".xen_prstatus", "2800"}},
    {"pages entsize 0", .patch = {SHDR(PAGES, sh_entsize, 0)},
     .words = {".xen_pages", "entry size 0"}},
    {"p2m entsize 8", .patch = {SHDR(P2M, sh_entsize, 8)},
     .words = {".xen_p2m", "entry size 8"}},
    /* Notes */
    {"no NONE note", .omit_notes = 1u << N_NONE, .words = {"NONE"}},
    {"no HEADER note", .omit_notes = 1u << N_HEADER, .words = {"HEADER"}},
    {"no XEN_VERSION note", .omit_notes = 1u << N_VERSION,
     .words = {"XEN_VERSION"}},
    {"no FORMAT_VERSION note", .omit_notes = 1u << N_FORMAT,
     .words = {"FORMAT_VERSION"}},
    {"two NONE notes", .dup_notes = 1u << N_NONE, .words = {"second NONE"}},
    {"two HEADER notes", .dup_notes = 1u << N_HEADER,
     .words = {"second HEADER"}},
    {"two FORMAT_VERSION notes", .dup_notes = 1u << N_FORMAT,
     .words = {"second FORMAT_VERSION"}},
    {"HEADER descriptor of 24 bytes", .patch = {NOTE(N_HEADER, 4, 24)},
     .words = {"HEADER", "24-byte"}},
    {"HEADER descriptor of 40 bytes", .patch = {NOTE(N_HEADER, 4, 40)},
     .words = {"HEADER", "40-byte"}},
    {"NONE descriptor of 4 bytes", .patch = {NOTE(N_NONE, 4, 4)},
     .words = {"NONE", "4-byte"}},
    {"FORMAT_VERSION descriptor of 4 bytes", .patch = {NOTE(N_FORMAT, 4, 4)},
     .words = {"FORMAT_VERSION", "4-byte"}},
    {"note name size runs past the end",
     .patch = {NOTE(N_HEADER, 0, 0xfffffff0)}, .words = {"past"}},
    {"note descriptor runs past the end",
     .patch = {NOTE(N_FORMAT, 4, 0xffffffff)}, .words = {"past"}},
    {"note section cut in a header", .patch = {SHDR_ADD(NOTE, sh_size, -20ull)},
     .words = {"too short", "12 bytes"}},
    {"note section cut in a descriptor",
     .patch = {SHDR_ADD(NOTE, sh_size, -4ull)}, .words = {"past"}},
    {"HEADER of another owner", .patch = {NOTE(N_HEADER, 12, 0x6d6558)},
     .words = {"HEADER"}},
    {"HVM core", .patch = {DESC(N_HEADER, 0, COREB_MAGIC_HVM)},
     .words = {"HVM", "0xf00febee"}, .err = EOPNOTSUPP},
    {"bad magic", .patch = {DESC(N_HEADER, 0, 0xF00FEBEC)},
     .words = {"magic", "0xf00febec"}},
    {"page size 8192", .patch = {DESC(N_HEADER, 24, 8192)},
     .words = {"page size", "8192"}},
    {"HEADER says 3 vCPUs", .patch = {DESC(N_HEADER, 8, 3)},
     .words = {".xen_prstatus", "3 vCPUs"}},
    {"HEADER says 0 vCPUs",
     .patch = {DESC(N_HEADER, 8, 0), SHDR(PRSTATUS, sh_size, 0)},
     .words = {"0 vCPUs"}},
    {"HEADER says 2^32 vCPUs", .patch = {DESC(N_HEADER, 8, 1ull << 32)},
     .words = {"4294967296 vCPUs"}},
    {"HEADER says 11 pages", .patch = {DESC(N_HEADER, 16, 11)},
     .words = {".xen_pages", "11 pages"}},
    {"format 1.0", .patch = {DESC(N_FORMAT, 0, 1ull << 32)},
     .words = {"format", "1.0"}},
    /* Pairs */
    {"duplicate gmfn", .patch = {{W_PAIR_GMFN, 3, 8, 8, 2}},
     .words = {"gmfn 0x3f1", "twice", "pair 3"}},
    {"pfn not ascending", .patch = {PAIR(3, 0, 1)},
     .words = {"pair 3", "ascend"}},
    {"pfn repeated", .patch = {PAIR(3, 0, 2)}, .words = {"pair 3", "ascend"}},
    {"pair after padding",
     .patch = {PAIR(2, 0, UINT64_MAX), PAIR(2, 8, UINT64_MAX)},
     .words = {"pair 3", "padding", "pair 2"}},
    {"half-invalid pair", .patch = {PAIR(9, 0, UINT64_MAX)},
     .words = {"pair 9", "52-bit"}},
    {"gmfn beyond 52 bits", .patch = {PAIR(1, 8, 1ull << 40)},
     .words = {"pair 1", "0x10000000000"}},
    {"32-bit duplicate gmfn", .width = 4, .patch = {{W_PAIR_GMFN, 0, 8, 8, 3}},
     .words = {"gmfn 0x2d3", "twice"}},
};

static size_t patch_offset(const struct coreb_blob *b, const struct patch *p)
{
    switch (p->where) {
    case W_EHDR:
    case W_SHOFF_END:
        return p->off;
    case W_SHDR:
        return b->shdr[p->which] + p->off;
    case W_SEC_END:
        return b->sec[p->which] + b->sec_size[p->which] - p->off;
    case W_NOTE:
        return b->note[p->which] + p->off;
    case W_NOTE_DESC:
        return b->note_desc[p->which] + p->off;
    case W_PAIR:
    case W_PAIR_GMFN:
        return b->sec[COREB_P2M] + 16 * p->which + p->off;
    default:
        return SIZE_MAX;
    }
}

static void apply(struct coreb_blob *b, const struct patch *p)
{
    size_t off = patch_offset(b, p);
    uint64_t v = p->value;

    if (p->where == W_SHOFF_END)
        v = b->len - p->value;
    else if (p->where == W_PAIR_GMFN)
        v = ctxb_le_load(b->data + b->sec[COREB_P2M] + 16 * p->value + 8, 8);
    else if (p->add)
        v += ctxb_le_load(b->data + off, p->bytes);
    coreb_patch(b, off, v, p->bytes);
}

static void build_case(struct coreb_sample *s, struct coreb_blob *b,
                       const struct bad_case *c)
{
    coreb_sample(s, c->width ? c->width : 8);
    s->desc.omit_sections = c->omit_sections;
    s->desc.dup_sections = c->dup_sections;
    s->desc.omit_notes = c->omit_notes;
    s->desc.dup_notes = c->dup_notes;
    coreb_build(b, &s->desc);
    for (unsigned int i = 0; i < ARRAY_SIZE(c->patch); i++)
        if (c->patch[i].where != W_NONE)
            apply(b, &c->patch[i]);
}

static void expect_refused(const struct coreb_blob *b, const char *what,
                           int err, struct caplog *log)
{
    xcx_core *core;

    errno = 0;
    core = open_blob(b, log);
    if (core || errno != err)
        fail_msg("%s: %s, errno %d (want %d): %s", what,
                 core ? "accepted" : "refused", errno, err, log->last);
    if (log->count != 1)
        fail_msg("%s: %u messages", what, log->count);
}

static void test_bad_cases(void **state)
{
    struct coreb_sample s;
    struct coreb_blob b;
    struct caplog log;

    for (unsigned int i = 0; i < ARRAY_SIZE(bad_cases); i++) {
        const struct bad_case *c = &bad_cases[i];

        build_case(&s, &b, c);
        expect_refused(&b, c->what, c->err ? c->err : EINVAL, &log);
        for (unsigned int w = 0; w < ARRAY_SIZE(c->words) && c->words[w]; w++)
            if (!caplog_has(&log, c->words[w]))
                fail_msg("%s: message \"%s\" lacks \"%s\"", c->what, log.last,
                         c->words[w]);
        coreb_blob_free(&b);
    }
}

/* A vCPU whose kernel root is 0 (never started): ENOENT for it alone. */
static void test_zero_root(void **state)
{
    struct coreb_sample s;
    struct fix f;
    xcx_core *core;

    for (unsigned int width = 4; width <= 8; width += 4) {
        coreb_sample(&s, width);
        s.vcpus[1] = (struct coreb_vcpu){0, 0};
        core = build_open(&f, &s.desc, "zero root");
        expect_root(core, 0, false, s.vcpus[0].kernel_root);
        expect_no_root(core, &f.log, 1, false, ENOENT);
        assert_true(caplog_has(&f.log, "kernel"));
        fix_close(&f);
    }
}

static void expect_prefix_refused(const struct coreb_blob *b, size_t len,
                                  struct caplog *log)
{
    /* An exact-size copy: a read past @len is a sanitizer error. */
    uint8_t *copy = malloc(len ? len : 1);
    xcx_core *core;

    assert_non_null(copy);
    memcpy(copy, b->data, len);
    caplog_init(log);
    errno = 0;
    core = xcx_core_open(copy, len, caplog_logger(log));
    if (core || errno != EINVAL || log->count != 1)
        fail_msg("prefix of %zu of %zu bytes: %s, errno %d, %u messages", len,
                 b->len, core ? "accepted" : "refused", errno, log->count);
    free(copy);
}

/* Every section boundary and many other prefix lengths. */
static void test_truncated(void **state)
{
    struct coreb_sample s;
    struct coreb_blob b;
    struct caplog log;

    for (unsigned int width = 4; width <= 8; width += 4) {
        coreb_sample(&s, width);
        coreb_build(&b, &s.desc);
        for (size_t len = 0; len < 1024; len++)
            expect_prefix_refused(&b, len, &log);
        for (size_t len = 1024; len < b.len; len += 97)
            expect_prefix_refused(&b, len, &log);
        for (unsigned int sec = 0; sec < COREB_NR_SECS; sec++) {
            size_t ends[] = {b.sec[sec], b.sec[sec] + b.sec_size[sec]};

            for (unsigned int e = 0; e < 2; e++)
                for (size_t d = 0; d < 3; d++)
                    if (ends[e] + d >= 1 && ends[e] + d - 1 < b.len)
                        expect_prefix_refused(&b, ends[e] + d - 1, &log);
        }
        expect_prefix_refused(&b, b.len - 1, &log);
        coreb_blob_free(&b);
    }
}

/* ---------------------------------------------------------------------- */
/* Walks through a core against walks of the frames themselves             */

static const struct coreb_sample *direct_sample;

static const struct coreb_frame *direct_find(uint64_t mfn)
{
    for (size_t i = 0; i < direct_sample->desc.nr_frames; i++)
        if (direct_sample->frames[i].mfn == mfn)
            return &direct_sample->frames[i];
    return NULL;
}

static const void *direct_read(void *arg, uint64_t mfn)
{
    const struct coreb_frame *f = direct_find(mfn);

    if (!f)
        errno = ENOENT;
    return f ? f->data : NULL;
}

static int direct_m2p(void *arg, uint64_t mfn, uint64_t *pfn)
{
    const struct coreb_frame *f = direct_find(mfn);

    if (!f) {
        errno = ENOENT;
        return -1;
    }
    *pfn = f->pfn;
    return 0;
}

static void direct_guest(const struct coreb_sample *s, struct xcx_pv_guest *g)
{
    direct_sample = s;
    memset(g, 0, sizeof(*g));
    g->width = s->desc.width;
    g->max_mfn = UINT64_C(1) << 40;
    g->read_frame = direct_read;
    g->m2p = direct_m2p;
}

/* Walk @va both ways: equal results, or equal failures. */
static int walk_both(const struct xcx_pv_guest *core_g,
                     const struct xcx_pv_guest *direct_g, uint64_t root,
                     uint64_t va, struct xcx_pv_walk *w)
{
    struct xcx_pv_walk d;
    int rc_core, rc_direct, err_core, err_direct;

    memset(w, 0, sizeof(*w));
    memset(&d, 0, sizeof(d));
    errno = 0;
    rc_core = xcx_pv_walk(core_g, root, va, w, NULL);
    err_core = errno;
    errno = 0;
    rc_direct = xcx_pv_walk(direct_g, root, va, &d, NULL);
    err_direct = errno;
    if (rc_core != rc_direct || (rc_core && err_core != err_direct))
        fail_msg("walk of %#llx: core %d (errno %d), direct %d (errno %d)",
                 (unsigned long long)va, rc_core, err_core, rc_direct,
                 err_direct);
    if (rc_core == 0)
        assert_memory_equal(w, &d, sizeof(d));
    return rc_core;
}

static void walk_ok(const struct xcx_pv_guest *core_g,
                    const struct xcx_pv_guest *direct_g, uint64_t root,
                    uint64_t va, struct xcx_pv_walk *w)
{
    if (walk_both(core_g, direct_g, root, va, w))
        fail_msg("walk of %#llx failed", (unsigned long long)va);
}

static void test_walk(void **state)
{
    struct coreb_sample s;
    struct fix f;
    struct xcx_pv_guest core_g, direct_g;
    struct xcx_pv_walk w;
    uint64_t kroot, uroot;
    xcx_core *core;

    coreb_sample(&s, 8);
    core = build_open(&f, &s.desc, "walk 64");
    xcx_core_guest(core, &core_g);
    direct_guest(&s, &direct_g);
    assert_int_equal(xcx_core_root(core, 0, false, &kroot), 0);
    assert_int_equal(xcx_core_root(core, 0, true, &uroot), 0);

    walk_ok(&core_g, &direct_g, kroot, COREB_VA_4K + 0x123, &w);
    assert_true(w.mapped);
    assert_int_equal(w.nr_levels, 4);
    assert_int_equal(w.page_size, 4096);
    assert_int_equal(w.mfn, s.mfn_4k);
    assert_true(w.pfn_valid);
    assert_int_equal(w.pfn, 4);
    assert_int_equal(w.paddr, 4 * 4096 + 0x123);
    assert_true(w.writable && w.nx);

    walk_ok(&core_g, &direct_g, kroot, COREB_VA_2M + 0x5000, &w);
    assert_true(w.mapped);
    assert_int_equal(w.page_size, 2 << 20);
    assert_int_equal(w.mfn, s.mfn_2m + 5);
    assert_false(w.pfn_valid); /* not the guest's frame */

    walk_ok(&core_g, &direct_g, kroot, COREB_VA_HOLE, &w);
    assert_false(w.mapped);
    assert_int_equal(w.stop_level, 1);

    walk_ok(&core_g, &direct_g, uroot, COREB_VA_USER + 8, &w);
    assert_true(w.mapped);
    assert_true(w.user);
    assert_int_equal(w.mfn, s.mfn_user);
    assert_int_equal(w.pfn, 9);

    walk_ok(&core_g, &direct_g, uroot, COREB_VA_4K, &w);
    assert_false(w.mapped);
    assert_int_equal(w.stop_level, 4);
    fix_close(&f);

    coreb_sample(&s, 4);
    core = build_open(&f, &s.desc, "walk 32");
    xcx_core_guest(core, &core_g);
    direct_guest(&s, &direct_g);
    assert_int_equal(xcx_core_root(core, 1, false, &kroot), 0);
    walk_ok(&core_g, &direct_g, kroot, COREB_VA32_4K + 0x10, &w);
    assert_true(w.mapped);
    assert_int_equal(w.nr_levels, 3);
    assert_int_equal(w.mfn, s.mfn_4k);
    assert_int_equal(w.pfn, 3);
    walk_ok(&core_g, &direct_g, kroot, COREB_VA32_2M + 0x3000, &w);
    assert_true(w.mapped);
    assert_int_equal(w.page_size, 2 << 20);
    assert_int_equal(w.mfn, s.mfn_2m + 3);
    walk_ok(&core_g, &direct_g, kroot, 0x1000, &w);
    assert_false(w.mapped);
    assert_int_equal(w.stop_level, 3);
    fix_close(&f);
}

/* A table frame the dump lacks: the walk fails naming it, no crash. */
static void test_walk_missing_table(void **state)
{
    struct coreb_sample s;
    struct fix f;
    struct xcx_pv_guest g;
    struct xcx_pv_walk w;
    uint64_t root;
    xcx_core *core;

    coreb_sample(&s, 8);
    s.frames[3].mfn = 0x3ff; /* the L1 is elsewhere: its MFN is not dumped */
    core = build_open(&f, &s.desc, "missing table");
    xcx_core_guest(core, &g);
    assert_int_equal(xcx_core_root(core, 0, false, &root), 0);
    caplog_reset(&f.log);
    errno = 0;
    assert_int_equal(
        xcx_pv_walk(&g, root, COREB_VA_4K, &w, caplog_logger(&f.log)), -1);
    assert_int_equal(errno, ENOENT);
    assert_log_hex(&f.log, 0x57);
    fix_close(&f);
}

/* A dump through the core equals a dump of the frames themselves. */
struct runs {
    struct xcx_pv_run run[64];
    unsigned int n;
};

static int collect_run(void *arg, const struct xcx_pv_run *run)
{
    struct runs *r = arg;

    if (r->n == ARRAY_SIZE(r->run))
        return 1;
    r->run[r->n++] = *run;
    return 0;
}

static void test_dump(void **state)
{
    struct coreb_sample s;
    struct fix f;
    struct xcx_pv_guest core_g, direct_g;
    static struct runs from_core, direct;
    uint64_t root;
    xcx_core *core;

    for (unsigned int width = 4; width <= 8; width += 4) {
        coreb_sample(&s, width);
        core = build_open(&f, &s.desc, "dump");
        xcx_core_guest(core, &core_g);
        direct_guest(&s, &direct_g);
        assert_int_equal(xcx_core_root(core, 0, false, &root), 0);
        memset(&from_core, 0, sizeof(from_core));
        memset(&direct, 0, sizeof(direct));
        assert_int_equal(xcx_pv_dump(&core_g, root, 0, UINT64_MAX, collect_run,
                                     &from_core, NULL),
                         0);
        assert_int_equal(xcx_pv_dump(&direct_g, root, 0, UINT64_MAX,
                                     collect_run, &direct, NULL),
                         0);
        assert_int_equal(from_core.n, 2); /* the 4 KiB and the 2 MiB page */
        assert_int_equal(from_core.n, direct.n);
        assert_memory_equal(from_core.run, direct.run,
                            from_core.n * sizeof(from_core.run[0]));
        fix_close(&f);
    }
}

/* ---------------------------------------------------------------------- */
/* A pvbuild.h guest with every page size, dumped and read both ways        */

static void touch(struct pvb *p, uint64_t pfn, uint64_t pages)
{
    for (uint64_t i = 0; i < pages; i++)
        ctxb_le_store(pvb_frame(p, pvb_mfn(pfn + i)) + COREB_PAGE - 8,
                      COREB_MARK(pfn + i), 8);
}

#define KTEXT   UINT64_C(0xffffffff81000000)
#define DIRECT  UINT64_C(0xffff888000000000)
#define VMALLOC UINT64_C(0xffffc90000000000)
#define USER    UINT64_C(0x400000)

static void build_pvb_guest(struct pvb *p, uint64_t *root, uint64_t *uroot)
{
    pvb_init(p, 8);
    *root = pvb_new_table(p);
    *uroot = pvb_new_table(p);
    pvb_map_range(p, *root, KTEXT, 0x100, 16 * SZ_4K, SZ_4K, PVB_A | PVB_G);
    pvb_map_range(p, *root, DIRECT, 0x200, 8 * SZ_4K, SZ_4K,
                  PVB_RW | PVB_NX | PVB_A | PVB_D);
    pvb_map(p, *root, VMALLOC, 0x300, SZ_4K,
            PVB_RW | PVB_PCD | PVB_PWT | PVB_NX);
    pvb_map(p, *root, DIRECT + SZ_1G, PVB_LARGE_PFN, SZ_2M, PVB_RW | PVB_NX);
    pvb_map_mfn(p, *root, DIRECT + 2 * SZ_1G, PVB_FOREIGN_MFN, SZ_1G, PVB_RW);
    pvb_map_range(p, *uroot, USER, 0x400, 4 * SZ_4K, SZ_4K, PVB_US | PVB_RW);
    touch(p, 0x100, 16);
    touch(p, 0x200, 8);
    touch(p, 0x300, 1);
    touch(p, PVB_LARGE_PFN, 512);
    touch(p, 0x400, 4);
}

static void dump_both(const struct xcx_pv_guest *core_g,
                      const struct xcx_pv_guest *direct_g, uint64_t root,
                      unsigned int want)
{
    static struct runs from_core, direct;

    memset(&from_core, 0, sizeof(from_core));
    memset(&direct, 0, sizeof(direct));
    assert_int_equal(
        xcx_pv_dump(core_g, root, 0, UINT64_MAX, collect_run, &from_core, NULL),
        0);
    assert_int_equal(
        xcx_pv_dump(direct_g, root, 0, UINT64_MAX, collect_run, &direct, NULL),
        0);
    assert_int_equal(from_core.n, want);
    assert_int_equal(direct.n, want);
    assert_memory_equal(from_core.run, direct.run,
                        want * sizeof(from_core.run[0]));
}

static void test_pvb_guest(void **state)
{
    static const uint64_t kernel_vas[] = {
        KTEXT,
        KTEXT + 0x5123,
        KTEXT + 16 * SZ_4K - 1,
        KTEXT + 16 * SZ_4K, /* not present at L1 */
        DIRECT,
        DIRECT + 7 * SZ_4K + 8,
        DIRECT + 8 * SZ_4K,
        VMALLOC + 0xfff,
        VMALLOC + SZ_2M, /* not present at L2 */
        DIRECT + SZ_1G,
        DIRECT + SZ_1G + SZ_2M - 1,
        DIRECT + SZ_1G + SZ_2M,          /* not present at L2 */
        DIRECT + 2 * SZ_1G + 0x12345678, /* 1 GiB, not the guest's */
        DIRECT + 3 * SZ_1G,              /* not present at L3 */
        UINT64_C(0xffff900000000000),    /* not present at L4 */
        UINT64_C(0xffff800000001000),    /* Xen's read-only area */
        UINT64_C(0xffff848000000000),    /* Xen's own */
        UINT64_C(0x0000800000000000),    /* not canonical */
        USER,                            /* not in the kernel root */
    };
    static const uint64_t user_vas[] = {USER, USER + 3 * SZ_4K + 1,
                                        USER + 4 * SZ_4K, 0};
    struct coreb_frame *frames;
    struct coreb_vcpu vcpu;
    struct coreb_desc d = {.width = 8, .nr_vcpus = 1, .vcpus = &vcpu};
    struct fix f;
    struct xcx_pv_guest core_g, direct_g;
    struct xcx_pv_walk w;
    struct pvb p;
    uint64_t root;
    xcx_core *core;

    build_pvb_guest(&p, &vcpu.kernel_root, &vcpu.user_root);
    frames = coreb_frames_from_pvb(&p, &d.nr_frames);
    d.frames = frames;
    core = build_open(&f, &d, "pvbuild guest");
    xcx_core_guest(core, &core_g);
    pvb_guest(&p, &direct_g);
    check_frames(core, &d);

    assert_int_equal(xcx_core_root(core, 0, false, &root), 0);
    assert_int_equal(root, vcpu.kernel_root);
    for (unsigned int i = 0; i < ARRAY_SIZE(kernel_vas); i++)
        walk_both(&core_g, &direct_g, root, kernel_vas[i], &w);
    walk_ok(&core_g, &direct_g, root, DIRECT + SZ_1G + 0x3000, &w);
    assert_true(w.mapped && w.pfn_valid);
    assert_int_equal(w.pfn, PVB_LARGE_PFN + 3);
    walk_ok(&core_g, &direct_g, root, DIRECT + 2 * SZ_1G, &w);
    assert_true(w.mapped);
    assert_false(w.pfn_valid);
    dump_both(&core_g, &direct_g, root, 5);

    assert_int_equal(xcx_core_root(core, 0, true, &root), 0);
    assert_int_equal(root, vcpu.user_root);
    for (unsigned int i = 0; i < ARRAY_SIZE(user_vas); i++)
        walk_both(&core_g, &direct_g, root, user_vas[i], &w);
    dump_both(&core_g, &direct_g, root, 1);

    fix_close(&f);
    free(frames);
    pvb_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_64),
        cmocka_unit_test(test_good_32),
        cmocka_unit_test(test_32_folded_cr3),
        cmocka_unit_test(test_good_variants),
        cmocka_unit_test(test_padding_pairs),
        cmocka_unit_test(test_no_pages),
        cmocka_unit_test(test_bad_cases),
        cmocka_unit_test(test_zero_root),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_walk_missing_table),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_pvb_guest),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
