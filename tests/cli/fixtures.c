/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The samples are used where they are, in DATA_DIR; the crafted contexts
 * are built with ctxbuild when a test first asks for one.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctxbuild.h"
#include "fixtures.h"
#include "run.h"
#include "xenctrl_ext.h"

const char *xc_type, *xc_map, *xc_watch;
const char *sample417, *samplefix;
const char *real417, *real420;
static char pathreal417[4096], pathreal420[4096];

static char path417[4096], pathfix[4096];
static char tmpdir[4096];
static char paths[CTX_COUNT][4200];

/* The files of temp_file(), by name. */
#define TEMP_MAX 32
static char temp_paths[TEMP_MAX][4200];

static const char *const names[CTX_COUNT] = {
    [CTX_UC_WB] = "uc-wb.hvmctx",
    [CTX_WT_WB] = "wt-wb.hvmctx",
    [CTX_UNDEFINED] = "undefined-wc-wb.hvmctx",
    [CTX_E_CLEAR] = "e-clear.hvmctx",
    [CTX_FE_CLEAR] = "fe-clear.hvmctx",
    [CTX_DIFFER] = "differ.hvmctx",
    [CTX_BAD_MAGIC] = "bad-magic.hvmctx",
    [CTX_TRUNCATED] = "truncated.hvmctx",
    [CTX_JUNK] = "junk.hvmctx",
    [CTX_BAD_RECORD] = "bad-record.hvmctx",
    [CTX_EMPTY] = "empty.hvmctx",
    [CTX_DIR] = "a-directory.hvmctx",
    [CTX_MISSING] = "missing.hvmctx",
};

int fixtures_init(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr,
                "usage: %s XC_MTRR_TYPE XC_MTRR_MAP DATA_DIR "
                "[XC_MTRR_WATCH]\n",
                argv[0]);
        return -1;
    }
    xc_type = argv[1];
    xc_map = argv[2];
    xc_watch = argc == 5 ? argv[4] : NULL;
    snprintf(path417, sizeof(path417), "%s/hvmloader-guest.hvmctx", argv[3]);
    snprintf(pathfix, sizeof(pathfix), "%s/hvmloader-guest-fixed-xen.hvmctx",
             argv[3]);
    for (const char *p = path417; p; p = p == path417 ? pathfix : NULL) {
        if (access(p, R_OK)) {
            fprintf(stderr, "%s: %s\n", p, strerror(errno));
            return -1;
        }
    }
    sample417 = path417;
    samplefix = pathfix;
    snprintf(pathreal417, sizeof(pathreal417),
             "%s/hvmloader-guest-real-xen-4.17.hvmctx", argv[3]);
    snprintf(pathreal420, sizeof(pathreal420),
             "%s/hvmloader-guest-real-xen-4.20.hvmctx", argv[3]);
    real417 = pathreal417;
    real420 = pathreal420;
    return 0;
}

static void make_tmpdir(void)
{
    const char *base = getenv("TMPDIR");

    if (tmpdir[0])
        return;
    snprintf(tmpdir, sizeof(tmpdir), "%s/xcx-cli-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        int e = errno;

        tmpdir[0] = '\0';
        fail_msg("mkdtemp: %s", strerror(e));
    }
}

static int remove_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    char sub[8192];

    if (!d)
        return -1;
    while ((e = readdir(d))) {
        struct stat sb;

        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
        if (!lstat(sub, &sb) && S_ISDIR(sb.st_mode))
            remove_tree(sub);
        else
            unlink(sub);
    }
    closedir(d);
    return rmdir(path);
}

int fixtures_teardown(void **state)
{
    int rc = 0;

    run_free();
    if (tmpdir[0]) {
        rc = remove_tree(tmpdir);
        tmpdir[0] = '\0';
    }
    memset(paths, 0, sizeof(paths));
    memset(temp_paths, 0, sizeof(temp_paths));
    return rc;
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");

    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f))
        fail_msg("writing %s: %s", path, strerror(errno));
}

/* Default WB with E and FE, fixed WB, no pairs; VCNT 8; then @def_type. */
static void base_regs(struct xcx_mtrr_regs *r, uint64_t def_type)
{
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .fe = true,
        .fixed_type = XCX_MT_WB,
    };

    ctxb_regs_fill(r, &d);
    r->def_type = def_type;
}

static void write_ctx(const char *path, const struct xcx_mtrr_regs *regs,
                      unsigned int nr_vcpus, enum ctxb_fault fault)
{
    struct ctxb_blob b = {0};
    const struct ctxb_ctx_desc d = {
        .nr_vcpus = nr_vcpus,
        .regs = regs,
        .nr_regs = nr_vcpus,
        .cpu_records = true,
        .fault = fault,
    };

    ctxb_build(&b, &d);
    write_file(path, b.data, b.len);
    ctxb_blob_free(&b);
}

/* @src less its last @cut bytes, into @dst. */
static void write_prefix(const char *dst, const char *src, long cut)
{
    FILE *f = fopen(src, "rb");
    char *blob;
    long n = 0;

    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= cut ||
        fseek(f, 0, SEEK_SET))
        fail_msg("reading %s: %s", src, strerror(errno));
    blob = malloc(n);
    if (!blob || fread(blob, 1, n, f) != (size_t)n)
        fail_msg("reading %s: %s", src, strerror(errno));
    fclose(f);
    write_file(dst, blob, n - cut);
    free(blob);
}

static void write_crafted(enum crafted which, const char *path)
{
    struct xcx_mtrr_regs r[2];
    char junk[512];

    base_regs(&r[0], 0xc06);
    switch (which) {
    case CTX_UC_WB:
    case CTX_WT_WB:
        /* UC + WB: UC by precedence; WT + WB: WT. */
        ctxb_set_var(&r[0], 0, 0xc0000000, 0x40000000, XCX_MT_WB, 36);
        ctxb_set_var(&r[0], 1, 0xd0000000, 0x10000000,
                     which == CTX_UC_WB ? XCX_MT_UC : XCX_MT_WT, 36);
        write_ctx(path, r, 1, CTXB_OK);
        break;
    case CTX_UNDEFINED:
        /* WC + WB both ways round: undefined, the higher pair's type. */
        ctxb_set_var(&r[0], 0, 0xc0000000, 0x10000000, XCX_MT_WC, 36);
        ctxb_set_var(&r[0], 1, 0xc0000000, 0x08000000, XCX_MT_WB, 36);
        ctxb_set_var(&r[0], 2, 0xd0000000, 0x10000000, XCX_MT_WB, 36);
        ctxb_set_var(&r[0], 3, 0xd0000000, 0x08000000, XCX_MT_WC, 36);
        write_ctx(path, r, 1, CTXB_OK);
        break;
    case CTX_E_CLEAR:
        /* E clear (FE set), in Xen 4.17's shape: everything UC, reliable. */
        r[0].def_type = 0x406;
        ctxb_set_fixed(&r[0], 16, XCX_MT_UC);
        ctxb_set_var(&r[0], 0, 0xf0000000, 0x10000000, XCX_MT_UC, 36);
        ctxb_copy_pair0(&r[0]);
        write_ctx(path, r, 1, CTXB_OK);
        break;
    case CTX_FE_CLEAR:
        /* FE clear (E set): the fixed ranges are not used, all pairs exact. */
        r[0].def_type = 0x806;
        for (unsigned int i = 16; i < 24; i++)
            ctxb_set_fixed(&r[0], i, XCX_MT_UC);
        ctxb_set_var(&r[0], 0, 0xf0000000, 0x10000000, XCX_MT_UC, 36);
        write_ctx(path, r, 1, CTXB_OK);
        break;
    case CTX_DIFFER:
        ctxb_set_var(&r[0], 0, 0xf0000000, 0x10000000, XCX_MT_UC, 36);
        r[1] = r[0];
        r[1].def_type = 0xc00;
        write_ctx(path, r, 2, CTXB_OK);
        break;
    case CTX_BAD_MAGIC:
        write_ctx(path, r, 1, CTXB_BAD_MAGIC);
        break;
    case CTX_TRUNCATED:
        write_prefix(path, sample417, 100);
        break;
    case CTX_JUNK:
        for (unsigned int i = 0; i < sizeof(junk); i++)
            junk[i] = (char)(i * 37 + 11);
        write_file(path, junk, sizeof(junk));
        break;
    case CTX_BAD_RECORD:
        ctxb_set_var(&r[0], 0, 0xf0000000, 0x10000000, 2, 36);
        write_ctx(path, r, 1, CTXB_OK);
        break;
    case CTX_EMPTY:
        write_file(path, NULL, 0);
        break;
    case CTX_DIR:
        if (mkdir(path, 0700))
            fail_msg("mkdir %s: %s", path, strerror(errno));
        break;
    case CTX_MISSING:
    case CTX_COUNT:
        break;
    }
}

const char *temp_file(const char *name, const char *content)
{
    unsigned int i;

    make_tmpdir();
    for (i = 0; i < TEMP_MAX && temp_paths[i][0]; i++)
        if (!strcmp(strrchr(temp_paths[i], '/') + 1, name))
            break;
    if (i == TEMP_MAX)
        fail_msg("temp_file %s: more than %d files", name, TEMP_MAX);
    snprintf(temp_paths[i], sizeof(temp_paths[i]), "%s/%s", tmpdir, name);
    if (content)
        write_file(temp_paths[i], content, strlen(content));
    return temp_paths[i];
}

const char *crafted(enum crafted which)
{
    char path[sizeof(paths[0])];

    if (!paths[which][0]) {
        make_tmpdir();
        snprintf(path, sizeof(path), "%s/%s", tmpdir, names[which]);
        write_crafted(which, path); /* fails the test if it cannot */
        memcpy(paths[which], path, sizeof(path));
    }
    return paths[which];
}
