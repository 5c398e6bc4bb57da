/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cli XC_MTRR_TYPE XC_MTRR_MAP DATA_DIR [FALLBACK_DIR]: run the built
 * tools with posix_spawn and check stdout, stderr and the exit status.
 *
 * The sample contexts come from DATA_DIR (tests/data/) when both are there,
 * else from FALLBACK_DIR (written by gen-cli-samples). Crafted contexts are
 * written at run time into a temporary directory removed at the end.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctxbuild.h"
#include "xenctrl_ext.h"

#ifndef XCX_TEST_VERSION
#error "XCX_TEST_VERSION must be defined by the build"
#endif

extern char **environ;

static const char *xc_type, *xc_map;
static char sample417[4096], samplefix[4096];
static char tmpdir[4096];

/* ------------------------------------------------------------------------ */
/* Running a tool                                                            */
/* ------------------------------------------------------------------------ */

struct run {
    int status; /* exit status, or -1 when killed */
    int signal;
    char *out;
    char *err;
    char cmd[2048];
};

static struct run R;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int c;

    if (!f)
        return strdup("");
    while ((c = fgetc(f)) != EOF) {
        if (len + 2 > cap) {
            cap = cap ? 2 * cap : 4096;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        buf[len++] = (char)c;
    }
    fclose(f);
    if (!buf)
        return strdup("");
    buf[len] = '\0';
    return buf;
}

static void tmp_path(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", tmpdir, name);
}

static void run_argv(const char *const *argv)
{
    posix_spawn_file_actions_t fa;
    char out[4200], err[4200];
    pid_t pid;
    int st, rc;
    size_t used = 0;

    free(R.out);
    free(R.err);
    R.out = R.err = NULL;
    R.cmd[0] = '\0';
    for (unsigned int i = 0; argv[i] && used < sizeof(R.cmd); i++)
        used += snprintf(R.cmd + used, sizeof(R.cmd) - used, "%s'%s'",
                         i ? " " : "", argv[i]);

    tmp_path(out, sizeof(out), ".stdout");
    tmp_path(err, sizeof(err), ".stderr");
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    rc = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc)
        fail_msg("posix_spawn %s: %s", argv[0], strerror(rc));
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            fail_msg("waitpid: %s", strerror(errno));
    R.out = slurp(out);
    R.err = slurp(err);
    if (WIFSIGNALED(st)) {
        R.status = -1;
        R.signal = WTERMSIG(st);
        fail_msg("%s: killed by signal %d\nstderr:\n%s", R.cmd, R.signal,
                 R.err);
    }
    R.status = WEXITSTATUS(st);
    R.signal = 0;
}

#define RUN(...)                                                               \
    do {                                                                       \
        const char *const argv_[] = {__VA_ARGS__, NULL};                       \
        run_argv(argv_);                                                       \
    } while (0)

static void expect_exit(int code)
{
    if (R.status != code)
        fail_msg("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", R.cmd,
                 R.status, code, R.out, R.err);
}

static void expect_out(const char *needle)
{
    if (!strstr(R.out, needle))
        fail_msg("%s: stdout lacks \"%s\"\nstdout:\n%s", R.cmd, needle, R.out);
}

static void expect_no_out(const char *needle)
{
    if (strstr(R.out, needle))
        fail_msg("%s: stdout has \"%s\"\nstdout:\n%s", R.cmd, needle, R.out);
}

static void expect_err(const char *needle)
{
    if (!strstr(R.err, needle))
        fail_msg("%s: stderr lacks \"%s\"\nstderr:\n%s", R.cmd, needle, R.err);
}

static void expect_out_equal(const char *want)
{
    if (strcmp(R.out, want))
        fail_msg("%s: stdout differs\n--- got:\n%s--- want:\n%s", R.cmd, R.out,
                 want);
}

static void expect_err_empty(void)
{
    if (R.err[0])
        fail_msg("%s: unexpected stderr:\n%s", R.cmd, R.err);
}

static unsigned int count(const char *hay, const char *needle)
{
    unsigned int n = 0;

    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static unsigned int lines(const char *s)
{
    return count(s, "\n");
}

/* Line @n (0-based) of stdout, into @buf. */
static const char *out_line(unsigned int n, char *buf, size_t size)
{
    const char *p = R.out;

    for (unsigned int i = 0; i < n && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p || !*p)
        fail_msg("%s: no line %u\nstdout:\n%s", R.cmd, n, R.out);
    snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
    return buf;
}

static void expect_line(unsigned int n, const char *want)
{
    char buf[2048];

    if (strcmp(out_line(n, buf, sizeof(buf)), want))
        fail_msg("%s: line %u\n got: %s\nwant: %s", R.cmd, n, buf, want);
}

/* A usage error: exit 2, a message and the --help hint, no stdout. */
static void expect_usage(const char *what)
{
    expect_exit(2);
    if (what)
        expect_err(what);
    expect_err("--help");
    if (R.out[0])
        fail_msg("%s: usage error printed to stdout:\n%s", R.cmd, R.out);
}

/* An error: exit 1, a message naming @what, no stdout. */
static void expect_error(const char *what)
{
    expect_exit(1);
    expect_err(what);
    if (R.out[0])
        fail_msg("%s: error but stdout:\n%s", R.cmd, R.out);
}

/* ------------------------------------------------------------------------ */
/* Crafted contexts                                                          */
/* ------------------------------------------------------------------------ */

static char ctx_uc_wb[4200], ctx_wt_wb[4200], ctx_undef[4200];
static char ctx_e_clear[4200], ctx_fe_clear[4200], ctx_differ[4200];
static char ctx_bad_magic[4200], ctx_truncated[4200], ctx_junk[4200];
static char ctx_bad_record[4200], ctx_empty[4200], ctx_dir[4200];
static char ctx_missing[4200];

static int write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");

    if (!f)
        return -1;
    if (n && fwrite(p, 1, n, f) != n) {
        fclose(f);
        return -1;
    }
    return fclose(f);
}

/* def WB with E and FE, fixed WB, everything else zero; VCNT 8. */
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

static int write_ctx(const char *path, const struct xcx_mtrr_regs *regs,
                     unsigned int nr_regs, unsigned int nr_vcpus,
                     enum ctxb_fault fault)
{
    struct ctxb_blob b = {0};
    struct ctxb_ctx_desc d = {
        .nr_vcpus = nr_vcpus,
        .regs = regs,
        .nr_regs = nr_regs,
        .cpu_records = true,
        .fault = fault,
    };
    int rc;

    ctxb_build(&b, &d);
    rc = write_file(path, b.data, b.len);
    ctxb_blob_free(&b);
    return rc;
}

static int craft(void)
{
    struct xcx_mtrr_regs r, two[2];
    char junk[512];
    char *blob;
    FILE *f;
    long n;

    /* UC + WB: UC by precedence. */
    base_regs(&r, 0xc06);
    ctxb_set_var(&r, 0, 0xc0000000, 0x40000000, XCX_MT_WB, 36);
    ctxb_set_var(&r, 1, 0xd0000000, 0x10000000, XCX_MT_UC, 36);
    tmp_path(ctx_uc_wb, sizeof(ctx_uc_wb), "uc-wb.hvmctx");
    if (write_ctx(ctx_uc_wb, &r, 1, 1, CTXB_OK))
        return -1;

    /* WT + WB: WT by precedence. */
    base_regs(&r, 0xc06);
    ctxb_set_var(&r, 0, 0xc0000000, 0x40000000, XCX_MT_WB, 36);
    ctxb_set_var(&r, 1, 0xd0000000, 0x10000000, XCX_MT_WT, 36);
    tmp_path(ctx_wt_wb, sizeof(ctx_wt_wb), "wt-wb.hvmctx");
    if (write_ctx(ctx_wt_wb, &r, 1, 1, CTXB_OK))
        return -1;

    /* WC + WB both ways round: undefined, the higher pair's type. */
    base_regs(&r, 0xc06);
    ctxb_set_var(&r, 0, 0xc0000000, 0x10000000, XCX_MT_WC, 36);
    ctxb_set_var(&r, 1, 0xc0000000, 0x08000000, XCX_MT_WB, 36);
    ctxb_set_var(&r, 2, 0xd0000000, 0x10000000, XCX_MT_WB, 36);
    ctxb_set_var(&r, 3, 0xd0000000, 0x08000000, XCX_MT_WC, 36);
    tmp_path(ctx_undef, sizeof(ctx_undef), "undefined-wc-wb.hvmctx");
    if (write_ctx(ctx_undef, &r, 1, 1, CTXB_OK))
        return -1;

    /* E clear (FE set), in Xen 4.17's shape: everything UC, reliable. */
    base_regs(&r, 0x406);
    ctxb_set_fixed(&r, 16, XCX_MT_UC);
    ctxb_set_var(&r, 0, 0xf0000000, 0x10000000, XCX_MT_UC, 36);
    ctxb_copy_pair0(&r);
    tmp_path(ctx_e_clear, sizeof(ctx_e_clear), "e-clear.hvmctx");
    if (write_ctx(ctx_e_clear, &r, 1, 1, CTXB_OK))
        return -1;

    /* FE clear (E set): the fixed ranges are not used, all pairs exact. */
    base_regs(&r, 0x806);
    for (unsigned int i = 16; i < 24; i++)
        ctxb_set_fixed(&r, i, XCX_MT_UC);
    ctxb_set_var(&r, 0, 0xf0000000, 0x10000000, XCX_MT_UC, 36);
    tmp_path(ctx_fe_clear, sizeof(ctx_fe_clear), "fe-clear.hvmctx");
    if (write_ctx(ctx_fe_clear, &r, 1, 1, CTXB_OK))
        return -1;

    /* Two vCPUs that differ: vCPU 1's default type is UC. */
    base_regs(&two[0], 0xc06);
    ctxb_set_var(&two[0], 0, 0xf0000000, 0x10000000, XCX_MT_UC, 36);
    two[1] = two[0];
    two[1].def_type = 0xc00;
    tmp_path(ctx_differ, sizeof(ctx_differ), "differ.hvmctx");
    if (write_ctx(ctx_differ, two, 2, 2, CTXB_OK))
        return -1;

    /* Corrupt: a bad magic, a truncated sample, junk. */
    base_regs(&r, 0xc06);
    tmp_path(ctx_bad_magic, sizeof(ctx_bad_magic), "bad-magic.hvmctx");
    if (write_ctx(ctx_bad_magic, &r, 1, 1, CTXB_BAD_MAGIC))
        return -1;

    f = fopen(sample417, "rb");
    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET))
        return -1;
    blob = malloc(n);
    if (!blob || fread(blob, 1, n, f) != (size_t)n) {
        free(blob);
        fclose(f);
        return -1;
    }
    fclose(f);
    tmp_path(ctx_truncated, sizeof(ctx_truncated), "truncated.hvmctx");
    if (write_file(ctx_truncated, blob, n - 100)) {
        free(blob);
        return -1;
    }
    free(blob);

    for (unsigned int i = 0; i < sizeof(junk); i++)
        junk[i] = (char)(i * 37 + 11);
    tmp_path(ctx_junk, sizeof(ctx_junk), "junk.hvmctx");
    if (write_file(ctx_junk, junk, sizeof(junk)))
        return -1;

    /* Well-formed, but PHYSBASE0 has type 2. */
    base_regs(&r, 0xc06);
    ctxb_set_var(&r, 0, 0xf0000000, 0x10000000, 2, 36);
    tmp_path(ctx_bad_record, sizeof(ctx_bad_record), "bad-record.hvmctx");
    if (write_ctx(ctx_bad_record, &r, 1, 1, CTXB_OK))
        return -1;

    tmp_path(ctx_empty, sizeof(ctx_empty), "empty.hvmctx");
    if (write_file(ctx_empty, NULL, 0))
        return -1;
    tmp_path(ctx_dir, sizeof(ctx_dir), "a-directory.hvmctx");
    if (mkdir(ctx_dir, 0700))
        return -1;
    tmp_path(ctx_missing, sizeof(ctx_missing), "missing.hvmctx");
    return 0;
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

static int group_setup(void **state)
{
    const char *base = getenv("TMPDIR");

    snprintf(tmpdir, sizeof(tmpdir), "%s/xcx-cli-XXXXXX",
             base && *base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "mkdtemp %s: %s\n", tmpdir, strerror(errno));
        return -1;
    }
    if (craft()) {
        fprintf(stderr, "writing the crafted contexts: %s\n", strerror(errno));
        remove_tree(tmpdir);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    free(R.out);
    free(R.err);
    R.out = R.err = NULL;
    return remove_tree(tmpdir);
}

/* ------------------------------------------------------------------------ */
/* xc-mtrr-type: the samples, plain                                          */
/* ------------------------------------------------------------------------ */

#define UNREL417                                                               \
    ", unreliable: depends on variable pairs 1-7, which the "                  \
    "save record does not show"

static void test_type_plain_417(void **state)
{
    RUN(xc_type, "--context", sample417, "0", "0x9ffff", "0xa0000", "0xbffff",
        "0xc0000", "0x100000", "0xe8000000", "0xf0000000", "0xffffffff",
        "0x100000000", "0xfffffffff");
    expect_exit(0);
    expect_err_empty();
    expect_out_equal(
        "vcpu 0 gpa 0x0: WB (fixed range 0x0-0xffff)\n"
        "vcpu 0 gpa 0x9ffff: WB (fixed range 0x9c000-0x9ffff)\n"
        "vcpu 0 gpa 0xa0000: UC (fixed range 0xa0000-0xa3fff)\n"
        "vcpu 0 gpa 0xbffff: UC (fixed range 0xbc000-0xbffff)\n"
        "vcpu 0 gpa 0xc0000: WB (fixed range 0xc0000-0xc0fff)\n"
        "vcpu 0 gpa 0x100000: WB (default type)" UNREL417 "\n"
        "vcpu 0 gpa 0xe8000000: WB (default type)" UNREL417 "\n"
        "vcpu 0 gpa 0xf0000000: UC (variable pairs 0-7, same type)\n"
        "vcpu 0 gpa 0xffffffff: UC (variable pairs 0-7, same type)\n"
        "vcpu 0 gpa 0x100000000: WB (default type)" UNREL417 "\n"
        "vcpu 0 gpa 0xfffffffff: WB (default type)" UNREL417 "\n");
}

static void test_type_plain_fixed_xen(void **state)
{
    RUN(xc_type, "-c", samplefix, "0xa0000", "0x100000", "0xe7ffffff",
        "0xe8000000", "0xefffffff", "0xf0000000", "0x100000000");
    expect_exit(0);
    expect_err_empty();
    expect_out_equal("vcpu 0 gpa 0xa0000: UC (fixed range 0xa0000-0xa3fff)\n"
                     "vcpu 0 gpa 0x100000: WB (default type)\n"
                     "vcpu 0 gpa 0xe7ffffff: WB (default type)\n"
                     "vcpu 0 gpa 0xe8000000: UC (variable pair 1)\n"
                     "vcpu 0 gpa 0xefffffff: UC (variable pair 1)\n"
                     "vcpu 0 gpa 0xf0000000: UC (variable pair 0)\n"
                     "vcpu 0 gpa 0x100000000: WB (default type)\n");
}

/* Decimal and hexadecimal GPAs, upper-case hex digits and 0X. */
static void test_type_number_forms(void **state)
{
    RUN(xc_type, "-c", samplefix, "655360", "0XA0000", "0xE8000000",
        "0x00000000000000000000000000a0000");
    expect_exit(0);
    expect_line(0, "vcpu 0 gpa 0xa0000: UC (fixed range 0xa0000-0xa3fff)");
    expect_line(1, "vcpu 0 gpa 0xa0000: UC (fixed range 0xa0000-0xa3fff)");
    expect_line(2, "vcpu 0 gpa 0xe8000000: UC (variable pair 1)");
    expect_line(3, "vcpu 0 gpa 0xa0000: UC (fixed range 0xa0000-0xa3fff)");
}

/* ------------------------------------------------------------------------ */
/* xc-mtrr-type: --json                                                      */
/* ------------------------------------------------------------------------ */

static void expect_json_members(bool with_size)
{
    static const char *const point[] = {
        "\"gpa\":\"0x",  "\"vcpu\":",      "\"type\":\"",  "\"code\":",
        "\"origin\":\"", "\"overlap\":\"", "\"ranges\":[", "\"reliable\":",
    };
    static const char *const range[] = {"\"size\":\"0x",
                                        "\"uniform\":", "\"types\":["};
    char buf[2048];

    for (unsigned int n = 0; n < lines(R.out); n++) {
        out_line(n, buf, sizeof(buf));
        if (buf[0] != '{' || buf[strlen(buf) - 1] != '}')
            fail_msg("%s: line %u is no JSON object: %s", R.cmd, n, buf);
        for (unsigned int i = 0; i < sizeof(point) / sizeof(point[0]); i++)
            if (count(buf, point[i]) != 1)
                fail_msg("%s: line %u: member %s not once: %s", R.cmd, n,
                         point[i], buf);
        for (unsigned int i = 0; i < sizeof(range) / sizeof(range[0]); i++)
            if (count(buf, range[i]) != (with_size ? 1u : 0u))
                fail_msg("%s: line %u: member %s %s: %s", R.cmd, n, range[i],
                         with_size ? "not once" : "without --size", buf);
    }
}

static void test_type_json_417(void **state)
{
    RUN(xc_type, "--json", "-c", sample417, "0xa0000", "0xe8000000",
        "0xf0000000");
    expect_exit(0);
    expect_err_empty();
    assert_int_equal(lines(R.out), 3);
    expect_json_members(false);
    expect_line(0, "{\"gpa\":\"0xa0000\",\"vcpu\":0,\"type\":\"UC\",\"code\":0,"
                   "\"origin\":\"fixed\",\"overlap\":\"none\",\"ranges\":[],"
                   "\"reliable\":true}");
    expect_line(1, "{\"gpa\":\"0xe8000000\",\"vcpu\":0,\"type\":\"WB\","
                   "\"code\":6,\"origin\":\"default\",\"overlap\":\"none\","
                   "\"ranges\":[],\"reliable\":false}");
    expect_line(2, "{\"gpa\":\"0xf0000000\",\"vcpu\":0,\"type\":\"UC\","
                   "\"code\":0,\"origin\":\"variable\",\"overlap\":\"same\","
                   "\"ranges\":[0,1,2,3,4,5,6,7],\"reliable\":true}");
}

static void test_type_json_fixed_xen(void **state)
{
    RUN(xc_type, "-j", "-c", samplefix, "-v", "1", "0xe8000000", "0x100000");
    expect_exit(0);
    expect_json_members(false);
    expect_line(0, "{\"gpa\":\"0xe8000000\",\"vcpu\":1,\"type\":\"UC\","
                   "\"code\":0,\"origin\":\"variable\",\"overlap\":\"none\","
                   "\"ranges\":[1],\"reliable\":true}");
    expect_line(1, "{\"gpa\":\"0x100000\",\"vcpu\":1,\"type\":\"WB\","
                   "\"code\":6,\"origin\":\"default\",\"overlap\":\"none\","
                   "\"ranges\":[],\"reliable\":true}");
}

static void test_type_json_size(void **state)
{
    /* The example of the man page, on one line. */
    RUN(xc_type, "--json", "--size", "2M", "--context", sample417, "0xfe000000",
        "0xe0000000");
    expect_exit(0);
    expect_json_members(true);
    expect_line(0, "{\"gpa\":\"0xfe000000\",\"vcpu\":0,\"type\":\"UC\","
                   "\"code\":0,\"origin\":\"variable\",\"overlap\":\"same\","
                   "\"ranges\":[0,1,2,3,4,5,6,7],\"reliable\":true,"
                   "\"size\":\"0x200000\",\"uniform\":true,"
                   "\"types\":[\"UC\"]}");
    expect_line(1, "{\"gpa\":\"0xe0000000\",\"vcpu\":0,\"type\":\"WB\","
                   "\"code\":6,\"origin\":\"default\",\"overlap\":\"none\","
                   "\"ranges\":[],\"reliable\":false,\"size\":\"0x200000\","
                   "\"uniform\":true,\"types\":[\"WB\"]}");

    RUN(xc_type, "--json", "--size", "512M", "--context", samplefix,
        "0xe0000000");
    expect_exit(0);
    expect_json_members(true);
    expect_line(0, "{\"gpa\":\"0xe0000000\",\"vcpu\":0,\"type\":\"WB\","
                   "\"code\":6,\"origin\":\"default\",\"overlap\":\"none\","
                   "\"ranges\":[],\"reliable\":true,\"size\":\"0x20000000\","
                   "\"uniform\":false,\"types\":[\"UC\",\"WB\"]}");

    /* Reliable at the start, unreliable further in: reliable false. */
    RUN(xc_type, "--json", "--size", "512M", "--context", sample417,
        "0xf0000000");
    expect_exit(0);
    expect_out("\"reliable\":false,\"size\":\"0x20000000\",\"uniform\":false,"
               "\"types\":[\"UC\",\"WB\"]}");
}

/* ------------------------------------------------------------------------ */
/* xc-mtrr-type: vCPUs, width, sizes                                         */
/* ------------------------------------------------------------------------ */

static void test_type_all_vcpus(void **state)
{
    RUN(xc_type, "--all-vcpus", "-c", sample417, "0xa0000", "0xf0000000",
        "0x100000");
    expect_exit(0);
    assert_int_equal(lines(R.out), 6);
    expect_line(0, "vcpu 0 gpa 0xa0000: UC (fixed range 0xa0000-0xa3fff)");
    expect_line(1, "vcpu 0 gpa 0xf0000000: UC (variable pairs 0-7, same "
                   "type)");
    expect_line(2, "vcpu 0 gpa 0x100000: WB (default type)" UNREL417);
    expect_line(3, "vcpu 1 gpa 0xa0000: UC (fixed range 0xa0000-0xa3fff)");
    expect_line(4, "vcpu 1 gpa 0xf0000000: UC (variable pairs 0-7, same "
                   "type)");
    expect_line(5, "vcpu 1 gpa 0x100000: WB (default type)" UNREL417);

    RUN(xc_type, "-a", "-j", "-c", samplefix, "0xe8000000");
    expect_exit(0);
    assert_int_equal(lines(R.out), 2);
    expect_json_members(false);
    expect_out("{\"gpa\":\"0xe8000000\",\"vcpu\":0,");
    expect_out("{\"gpa\":\"0xe8000000\",\"vcpu\":1,");

    /* vCPUs that differ show it. */
    RUN(xc_type, "--all-vcpus", "-c", ctx_differ, "0x100000");
    expect_exit(0);
    expect_out_equal("vcpu 0 gpa 0x100000: WB (default type)\n"
                     "vcpu 1 gpa 0x100000: UC (default type)\n");
}

static void test_type_vcpu(void **state)
{
    RUN(xc_type, "--vcpu", "1", "-c", sample417, "0xa0000");
    expect_exit(0);
    expect_out_equal("vcpu 1 gpa 0xa0000: UC (fixed range 0xa0000-0xa3fff)\n");

    RUN(xc_type, "--vcpu", "0x1", "-c", ctx_differ, "0x100000");
    expect_exit(0);
    expect_out_equal("vcpu 1 gpa 0x100000: UC (default type)\n");

    RUN(xc_type, "--vcpu", "2", "-c", sample417, "0xa0000");
    expect_error("vCPU 2");

    RUN(xc_type, "--vcpu", "65535", "-c", sample417, "0xa0000");
    expect_error("vCPU 65535");
}

static void test_type_maxphysaddr(void **state)
{
    /* Inferred 36: 0xf00000000 is inside, 2^36 and beyond are not. */
    RUN(xc_type, "-c", sample417, "0xf00000000");
    expect_exit(0);
    expect_out("vcpu 0 gpa 0xf00000000: WB (default type)");

    RUN(xc_type, "-c", sample417, "0x1000000000");
    expect_error("2^36");
    expect_err("0x1000000000");

    RUN(xc_type, "-c", sample417, "0xa0000", "0xf000000000");
    expect_error("0xf000000000");

    RUN(xc_type, "--maxphysaddr", "40", "-c", sample417, "0x1000000000",
        "0xf000000000", "0xffffffffff");
    expect_exit(0);
    expect_err_empty();
    assert_int_equal(lines(R.out), 3);
    expect_out("vcpu 0 gpa 0xf000000000: WB (default type)");
    expect_out("vcpu 0 gpa 0xffffffffff: WB (default type)");

    RUN(xc_type, "--maxphysaddr", "40", "-c", sample417, "0x10000000000");
    expect_error("2^40");

    /* A width the record's masks do not fit: the record is invalid. */
    RUN(xc_type, "--maxphysaddr", "32", "-c", sample417, "0x1000");
    expect_exit(1);
    expect_err("PHYSMASK0");

    RUN(xc_type, "--maxphysaddr", "52", "-c", sample417, "0xfffffffffffff");
    expect_exit(0);
}

static void test_type_size(void **state)
{
    /* Inside the UC hole. */
    RUN(xc_type, "--size", "2M", "-c", samplefix, "0xf0000000", "0xe8000000");
    expect_exit(0);
    expect_out_equal("vcpu 0 range 0xf0000000+0x200000: UC, uniform "
                     "(variable pair 0)\n"
                     "vcpu 0 range 0xe8000000+0x200000: UC, uniform "
                     "(variable pair 1)\n");

    /* Across the hole's start. */
    RUN(xc_type, "--size", "512M", "-c", samplefix, "0xe0000000");
    expect_exit(0);
    expect_out_equal("vcpu 0 range 0xe0000000+0x20000000: not uniform "
                     "(UC WB); at its start WB (default type)\n");

    RUN(xc_type, "--size", "512M", "-c", sample417, "0xe0000000");
    expect_exit(0);
    expect_out_equal("vcpu 0 range 0xe0000000+0x20000000: not uniform "
                     "(UC WB); at its start WB (default type)" UNREL417 "\n");

    RUN(xc_type, "--size", "512M", "-c", sample417, "0xf0000000");
    expect_exit(0);
    expect_out(", unreliable further in the range\n");

    /* K, M and G, and the same length in hex. */
    RUN(xc_type, "--size", "4K", "-c", samplefix, "0xa0000");
    expect_exit(0);
    expect_out_equal("vcpu 0 range 0xa0000+0x1000: UC, uniform (fixed range "
                     "0xa0000-0xa3fff)\n");
    RUN(xc_type, "--size", "256K", "-c", samplefix, "0x80000");
    expect_exit(0);
    expect_out("vcpu 0 range 0x80000+0x40000: not uniform (UC WB)");
    RUN(xc_type, "--size", "1G", "-c", samplefix, "0xc0000000");
    expect_exit(0);
    expect_out("vcpu 0 range 0xc0000000+0x40000000: not uniform (UC WB)");
    RUN(xc_type, "--size", "1G", "-c", samplefix, "0x100000000");
    expect_exit(0);
    expect_out("vcpu 0 range 0x100000000+0x40000000: WB, uniform");
    RUN(xc_type, "--size", "0x200000", "-c", samplefix, "0xf0000000");
    expect_exit(0);
    expect_out("vcpu 0 range 0xf0000000+0x200000: UC, uniform");

    /* The whole space, and one past it. */
    RUN(xc_type, "--size", "64G", "-c", samplefix, "0");
    expect_exit(0);
    expect_out("vcpu 0 range 0x0+0x1000000000: not uniform (UC WB)");
    RUN(xc_type, "--size", "64G", "-c", samplefix, "0x1000");
    expect_error("2^36");
    RUN(xc_type, "--size", "2M", "-c", samplefix, "0xfffff0000");
    expect_error("2^36");
}

/* ------------------------------------------------------------------------ */
/* xc-mtrr-type: crafted contexts                                            */
/* ------------------------------------------------------------------------ */

static void test_type_overlaps(void **state)
{
    RUN(xc_type, "-c", ctx_uc_wb, "0xc0000000", "0xd0000000", "0xe0000000");
    expect_exit(0);
    expect_out_equal("vcpu 0 gpa 0xc0000000: WB (variable pair 0)\n"
                     "vcpu 0 gpa 0xd0000000: UC (variable pairs 0-1, UC by "
                     "precedence)\n"
                     "vcpu 0 gpa 0xe0000000: WB (variable pair 0)\n");
    RUN(xc_type, "-j", "-c", ctx_uc_wb, "0xd0000000");
    expect_exit(0);
    expect_out_equal("{\"gpa\":\"0xd0000000\",\"vcpu\":0,\"type\":\"UC\","
                     "\"code\":0,\"origin\":\"variable\",\"overlap\":"
                     "\"precedence\",\"ranges\":[0,1],\"reliable\":true}\n");

    RUN(xc_type, "-c", ctx_wt_wb, "0xd0000000", "0xdfffffff");
    expect_exit(0);
    expect_out_equal("vcpu 0 gpa 0xd0000000: WT (variable pairs 0-1, WT by "
                     "precedence)\n"
                     "vcpu 0 gpa 0xdfffffff: WT (variable pairs 0-1, WT by "
                     "precedence)\n");
    RUN(xc_type, "-j", "-c", ctx_wt_wb, "0xd0000000");
    expect_exit(0);
    expect_out("\"type\":\"WT\",\"code\":4,\"origin\":\"variable\","
               "\"overlap\":\"precedence\",\"ranges\":[0,1]");

    /* WC (pair 0) + WB (pair 1): WB; WB (pair 2) + WC (pair 3): WC. */
    RUN(xc_type, "-c", ctx_undef, "0xc0000000", "0xc8000000", "0xd0000000",
        "0xd8000000");
    expect_exit(0);
    expect_out_equal("vcpu 0 gpa 0xc0000000: WB (variable pairs 0-1, "
                     "undefined in the SDM: Xen applies pair 1)\n"
                     "vcpu 0 gpa 0xc8000000: WC (variable pair 0)\n"
                     "vcpu 0 gpa 0xd0000000: WC (variable pairs 2-3, "
                     "undefined in the SDM: Xen applies pair 3)\n"
                     "vcpu 0 gpa 0xd8000000: WB (variable pair 2)\n");
    RUN(xc_type, "-j", "-c", ctx_undef, "0xc0000000", "0xd0000000");
    expect_exit(0);
    expect_line(0, "{\"gpa\":\"0xc0000000\",\"vcpu\":0,\"type\":\"WB\","
                   "\"code\":6,\"origin\":\"variable\",\"overlap\":"
                   "\"undefined\",\"ranges\":[0,1],\"reliable\":true}");
    expect_line(1, "{\"gpa\":\"0xd0000000\",\"vcpu\":0,\"type\":\"WC\","
                   "\"code\":1,\"origin\":\"variable\",\"overlap\":"
                   "\"undefined\",\"ranges\":[2,3],\"reliable\":true}");
}

static void test_type_enable_bits(void **state)
{
    RUN(xc_type, "-c", ctx_e_clear, "0", "0xa0000", "0x100000", "0xf0000000");
    expect_exit(0);
    expect_out_equal("vcpu 0 gpa 0x0: UC (MTRRs disabled)\n"
                     "vcpu 0 gpa 0xa0000: UC (MTRRs disabled)\n"
                     "vcpu 0 gpa 0x100000: UC (MTRRs disabled)\n"
                     "vcpu 0 gpa 0xf0000000: UC (MTRRs disabled)\n");
    RUN(xc_type, "-j", "-c", ctx_e_clear, "0x100000");
    expect_exit(0);
    expect_out_equal("{\"gpa\":\"0x100000\",\"vcpu\":0,\"type\":\"UC\","
                     "\"code\":0,\"origin\":\"disabled\",\"overlap\":"
                     "\"none\",\"ranges\":[],\"reliable\":true}\n");

    /* FE clear: below 1 MiB the variable pairs and default apply. */
    RUN(xc_type, "-c", ctx_fe_clear, "0xa0000", "0xf0000000");
    expect_exit(0);
    expect_out_equal("vcpu 0 gpa 0xa0000: WB (default type)\n"
                     "vcpu 0 gpa 0xf0000000: UC (variable pair 0)\n");
    RUN(xc_type, "-j", "-c", ctx_fe_clear, "0xa0000");
    expect_exit(0);
    expect_out("\"origin\":\"default\"");
}

/* ------------------------------------------------------------------------ */
/* Bad files                                                                 */
/* ------------------------------------------------------------------------ */

static void test_bad_files(void **state)
{
    const char *const files[] = {ctx_bad_magic, ctx_truncated, ctx_junk,
                                 ctx_empty,     ctx_dir,       ctx_missing,
                                 ctx_bad_record};

    for (unsigned int i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        bool record = files[i] == ctx_bad_record;

        RUN(xc_type, "--context", files[i], "0x1000");
        if (record) {
            expect_exit(1);
            expect_err("PHYSBASE0");
        } else {
            expect_error(files[i]);
        }
        RUN(xc_map, "--context", files[i]);
        if (record) {
            expect_exit(1);
            expect_err("PHYSBASE0");
        } else {
            expect_error(files[i]);
        }
    }

    RUN(xc_type, "-c", ctx_missing, "0");
    expect_err("No such file or directory");
    RUN(xc_type, "-c", ctx_empty, "0");
    expect_err("not a valid HVM context");
    RUN(xc_type, "-c", ctx_bad_magic, "0");
    expect_err("not a valid HVM context");
}

/* ------------------------------------------------------------------------ */
/* Usage                                                                     */
/* ------------------------------------------------------------------------ */

static void test_type_usage(void **state)
{
    static const char *const bad_gpa[] = {
        "0x",
        "12abc",
        "99999999999999999999999",
        " 5",
        "+5",
        "",
        "0x1g",
        "18446744073709551616",
        "0x10000000000000000",
        "5 ",
    };

    RUN(xc_type);
    expect_usage("missing DOMID");
    RUN(xc_type, "-c", sample417);
    expect_usage("missing GPA");
    RUN(xc_type, "5");
    expect_usage("missing GPA");
    RUN(xc_type, "--bogus", "-c", sample417, "0");
    expect_usage("unknown option");
    RUN(xc_type, "-x", "-c", sample417, "0");
    expect_usage("unknown option");
    RUN(xc_type, "-c", sample417, "-1");
    expect_usage(NULL);
    RUN(xc_type, "-c", sample417, "--", "-1");
    expect_usage("invalid GPA '-1'");
    for (unsigned int i = 0; i < sizeof(bad_gpa) / sizeof(bad_gpa[0]); i++) {
        char want[128];

        RUN(xc_type, "-c", sample417, "0x1000", bad_gpa[i]);
        snprintf(want, sizeof(want), "invalid GPA '%s'", bad_gpa[i]);
        expect_usage(want);
    }
    RUN(xc_type, "--vcpu", "-1", "-c", sample417, "0");
    expect_usage("invalid vCPU");
    RUN(xc_type, "--vcpu", "65536", "-c", sample417, "0");
    expect_usage("invalid vCPU");
    RUN(xc_type, "--vcpu", "x", "-c", sample417, "0");
    expect_usage("invalid vCPU");
    RUN(xc_type, "--maxphysaddr", "31", "-c", sample417, "0");
    expect_usage("invalid maxphysaddr");
    RUN(xc_type, "--maxphysaddr", "53", "-c", sample417, "0");
    expect_usage("invalid maxphysaddr");
    RUN(xc_type, "--size", "0", "-c", sample417, "0");
    expect_usage("invalid size");
    RUN(xc_type, "--size", "0K", "-c", sample417, "0");
    expect_usage("invalid size");
    RUN(xc_type, "--size", "1T", "-c", sample417, "0");
    expect_usage("invalid size");
    RUN(xc_type, "--size", "K", "-c", sample417, "0");
    expect_usage("invalid size");
    RUN(xc_type, "--size", "-2M", "-c", sample417, "0");
    expect_usage("invalid size");
    RUN(xc_type, "--size", "17179869184G", "-c", sample417, "0");
    expect_usage("invalid size");
    RUN(xc_type, "--size");
    expect_usage(NULL);
    RUN(xc_type, "-c");
    expect_usage(NULL);
    /* Live: a malformed or reserved DOMID. */
    RUN(xc_type, "12abc", "0");
    expect_usage("invalid DOMID");
    RUN(xc_type, "0x7ff0", "0");
    expect_usage("invalid DOMID");
    RUN(xc_type, "-1", "0");
    expect_usage(NULL);
}

static void test_help_version(void **state)
{
    RUN(xc_type, "--help");
    expect_exit(0);
    expect_err_empty();
    expect_out("Usage: xc-mtrr-type");
    expect_out("--json");
    expect_out("--size");
    expect_out("--context");
    RUN(xc_type, "-h");
    expect_exit(0);
    expect_out("--json");

    RUN(xc_map, "--help");
    expect_exit(0);
    expect_err_empty();
    expect_out("Usage: xc-mtrr-map");
    expect_out("--json");
    expect_no_out("--size");

    RUN(xc_type, "--version");
    expect_exit(0);
    expect_out_equal("xc-mtrr-type " XCX_TEST_VERSION "\n");
    RUN(xc_type, "-V");
    expect_exit(0);
    expect_out_equal("xc-mtrr-type " XCX_TEST_VERSION "\n");
    RUN(xc_map, "--version");
    expect_exit(0);
    expect_out_equal("xc-mtrr-map " XCX_TEST_VERSION "\n");
}

/* ------------------------------------------------------------------------ */
/* xc-mtrr-map                                                               */
/* ------------------------------------------------------------------------ */

#define MAP_HEAD                                                               \
    "vcpu 0: maxphysaddr 36\n"                                                 \
    "  MTRRcap     0x508: VCNT 8, FIX, WC\n"                                   \
    "  MTRRdefType 0xc06: default WB, E=1, FE=1\n"                             \
    "  PAT         0x0007040600070406: WB WT UC- UC WB WT UC- UC\n"
#define MAP_FIXED                                                              \
    "  fixed ranges:\n"                                                        \
    "    [0x0, 0xa0000) WB\n"                                                  \
    "    [0xa0000, 0xc0000) UC\n"                                              \
    "    [0xc0000, 0x100000) WB\n"
#define COPY(i)                                                                \
    "  pair " #i ": base 0xf0000000 mask 0xff0000800 = [0xf0000000, "          \
    "0x100000000) UC, UNKNOWN: the save record shows a copy of pair 0 "        \
    "here\n"
#define UNUSED(i) "  pair " #i ": base 0x0 mask 0x0 not valid, exact\n"

/* clang-format off */
static const char map_417[] =
    MAP_HEAD
    "  pair 0: base 0xf0000000 mask 0xff0000800 = [0xf0000000, 0x100000000) "
    "UC, exact\n"
    COPY(1) COPY(2) COPY(3) COPY(4) COPY(5) COPY(6) COPY(7)
    MAP_FIXED
    "  type map:\n"
    "    [0x0, 0xa0000) WB fixed\n"
    "    [0xa0000, 0xc0000) UC fixed\n"
    "    [0xc0000, 0x100000) WB fixed\n"
    "    [0x100000, 0xf0000000) WB default unreliable\n"
    "    [0xf0000000, 0x100000000) UC variable pairs 0-7 overlap same\n"
    "    [0x100000000, 0x1000000000) WB default unreliable\n";

static const char map_fixed_xen[] =
    MAP_HEAD
    "  pair 0: base 0xf0000000 mask 0xff0000800 = [0xf0000000, 0x100000000) "
    "UC, exact\n"
    "  pair 1: base 0xe8000000 mask 0xff8000800 = [0xe8000000, 0xf0000000) "
    "UC, exact\n"
    UNUSED(2) UNUSED(3) UNUSED(4) UNUSED(5) UNUSED(6) UNUSED(7)
    MAP_FIXED
    "  type map:\n"
    "    [0x0, 0xa0000) WB fixed\n"
    "    [0xa0000, 0xc0000) UC fixed\n"
    "    [0xc0000, 0x100000) WB fixed\n"
    "    [0x100000, 0xe8000000) WB default\n"
    "    [0xe8000000, 0xf0000000) UC variable pairs 1\n"
    "    [0xf0000000, 0x100000000) UC variable pairs 0\n"
    "    [0x100000000, 0x1000000000) WB default\n";
/* clang-format on */

static void test_map_plain_417(void **state)
{
    RUN(xc_map, "--context", sample417);
    expect_exit(0);
    expect_err_empty();
    expect_out("VCNT 8");
    expect_out("E=1, FE=1");
    assert_int_equal(count(R.out, "UNKNOWN"), 7);
    assert_int_equal(count(R.out, "  pair 0: "), 1);
    expect_out_equal(map_417);
}

static void test_map_plain_fixed_xen(void **state)
{
    RUN(xc_map, "-c", samplefix);
    expect_exit(0);
    expect_err_empty();
    expect_out("VCNT 8");
    expect_out("E=1, FE=1");
    assert_int_equal(count(R.out, "UNKNOWN"), 0);
    assert_int_equal(count(R.out, "unreliable"), 0);
    expect_out_equal(map_fixed_xen);
}

static void test_map_vcpus(void **state)
{
    RUN(xc_map, "--all-vcpus", "-c", samplefix);
    expect_exit(0);
    assert_int_equal(count(R.out, "vcpu 0: maxphysaddr 36\n"), 1);
    assert_int_equal(count(R.out, "vcpu 1: maxphysaddr 36\n"), 1);
    assert_int_equal(count(R.out, "  type map:\n"), 2);
    assert_true(strstr(R.out, "vcpu 0:") < strstr(R.out, "vcpu 1:"));

    RUN(xc_map, "--vcpu", "1", "-c", samplefix);
    expect_exit(0);
    expect_out("vcpu 1: maxphysaddr 36\n");
    expect_no_out("vcpu 0:");
    /* Apart from the vCPU number it is vCPU 0's output. */
    assert_string_equal(R.out + strlen("vcpu 1"),
                        map_fixed_xen + strlen("vcpu 0"));

    RUN(xc_map, "--vcpu", "2", "-c", samplefix);
    expect_error("vCPU 2");

    RUN(xc_map, "-w", "40", "-c", samplefix);
    expect_exit(0);
    expect_out("vcpu 0: maxphysaddr 40\n");
    expect_out("0x10000000000) WB default\n");
}

static void test_map_crafted(void **state)
{
    RUN(xc_map, "-c", ctx_e_clear);
    expect_exit(0);
    expect_out("  MTRRdefType 0x406: default WB, E=0, FE=1 (MTRRs disabled: "
               "all UC)\n");
    expect_out("  type map:\n    [0x0, 0x1000000000) UC disabled\n");
    assert_int_equal(count(R.out, "UNKNOWN"), 7);
    expect_no_out("unreliable");

    RUN(xc_map, "-c", ctx_fe_clear);
    expect_exit(0);
    expect_out("  MTRRdefType 0x806: default WB, E=1, FE=0\n");
    expect_out("  fixed ranges (not in effect: FE=0):\n");
    expect_out("  type map:\n"
               "    [0x0, 0xf0000000) WB default\n"
               "    [0xf0000000, 0x100000000) UC variable pairs 0\n"
               "    [0x100000000, 0x1000000000) WB default\n");

    RUN(xc_map, "-c", ctx_uc_wb);
    expect_exit(0);
    expect_out("    [0xc0000000, 0xd0000000) WB variable pairs 0\n"
               "    [0xd0000000, 0xe0000000) UC variable pairs 0-1 overlap "
               "precedence\n"
               "    [0xe0000000, 0x100000000) WB variable pairs 0\n");

    RUN(xc_map, "-c", ctx_undef);
    expect_exit(0);
    expect_out("    [0xc0000000, 0xc8000000) WB variable pairs 0-1 overlap "
               "undefined\n"
               "    [0xc8000000, 0xd0000000) WC variable pairs 0\n"
               "    [0xd0000000, 0xd8000000) WC variable pairs 2-3 overlap "
               "undefined\n"
               "    [0xd8000000, 0xe0000000) WB variable pairs 2\n");
}

static void test_map_json(void **state)
{
    char buf[4096];

    RUN(xc_map, "--json", "-c", samplefix);
    expect_exit(0);
    expect_err_empty();
    assert_int_equal(lines(R.out), 8);
    assert_int_equal(count(R.out, "{\"kind\":\"registers\","), 1);
    assert_int_equal(count(R.out, "{\"kind\":\"range\","), 7);
    out_line(0, buf, sizeof(buf));
    if (strncmp(buf,
                "{\"kind\":\"registers\",\"vcpu\":0,\"maxphysaddr\":36,"
                "\"mtrrcap\":\"0x508\",\"vcnt\":8,\"fix\":true,\"wc\":true,"
                "\"def_type\":\"0xc06\",\"default_type\":\"WB\","
                "\"enabled\":true,\"fixed_enabled\":true,"
                "\"pat\":\"0x7040600070406\",\"pairs\":[",
                strlen("{\"kind\":\"registers\",\"vcpu\":0,"
                       "\"maxphysaddr\":36,\"mtrrcap\":\"0x508\",\"vcnt\":8,"
                       "\"fix\":true,\"wc\":true,\"def_type\":\"0xc06\","
                       "\"default_type\":\"WB\",\"enabled\":true,"
                       "\"fixed_enabled\":true,\"pat\":\"0x7040600070406\","
                       "\"pairs\":[")))
        fail_msg("registers line: %s", buf);
    assert_int_equal(count(buf, "\"exact\":true"), 8);
    assert_int_equal(count(buf, "\"exact\":false"), 0);
    assert_int_equal(count(buf, "{\"index\":"), 8);
    assert_non_null(strstr(buf, "{\"index\":1,\"base\":\"0xe8000000\","
                                "\"mask\":\"0xff8000800\",\"valid\":true,"
                                "\"type\":\"UC\",\"start\":\"0xe8000000\","
                                "\"contiguous\":true,\"size\":\"0x8000000\","
                                "\"exact\":true}"));
    assert_non_null(strstr(buf, "\"fixed\":[{\"start\":\"0x0\",\"end\":"
                                "\"0xa0000\",\"type\":\"WB\"},{\"start\":"
                                "\"0xa0000\",\"end\":\"0xc0000\",\"type\":"
                                "\"UC\"},{\"start\":\"0xc0000\",\"end\":"
                                "\"0x100000\",\"type\":\"WB\"}]}"));
    expect_line(1, "{\"kind\":\"range\",\"vcpu\":0,\"start\":\"0x0\","
                   "\"end\":\"0xa0000\",\"type\":\"WB\",\"code\":6,"
                   "\"origin\":\"fixed\",\"overlap\":\"none\",\"ranges\":[],"
                   "\"reliable\":true}");
    expect_line(5, "{\"kind\":\"range\",\"vcpu\":0,\"start\":\"0xe8000000\","
                   "\"end\":\"0xf0000000\",\"type\":\"UC\",\"code\":0,"
                   "\"origin\":\"variable\",\"overlap\":\"none\","
                   "\"ranges\":[1],\"reliable\":true}");
    expect_line(7, "{\"kind\":\"range\",\"vcpu\":0,\"start\":\"0x100000000\","
                   "\"end\":\"0x1000000000\",\"type\":\"WB\",\"code\":6,"
                   "\"origin\":\"default\",\"overlap\":\"none\","
                   "\"ranges\":[],\"reliable\":true}");

    RUN(xc_map, "-j", "-a", "-c", sample417);
    expect_exit(0);
    assert_int_equal(lines(R.out), 14);
    assert_int_equal(count(R.out, "{\"kind\":\"registers\",\"vcpu\":0,"), 1);
    assert_int_equal(count(R.out, "{\"kind\":\"registers\",\"vcpu\":1,"), 1);
    assert_int_equal(count(R.out, "{\"kind\":\"range\",\"vcpu\":1,"), 6);
    assert_int_equal(count(R.out, "\"exact\":false"), 14);
    assert_int_equal(count(R.out, "\"reliable\":false"), 4);
    expect_out("{\"kind\":\"range\",\"vcpu\":0,\"start\":\"0xf0000000\","
               "\"end\":\"0x100000000\",\"type\":\"UC\",\"code\":0,"
               "\"origin\":\"variable\",\"overlap\":\"same\","
               "\"ranges\":[0,1,2,3,4,5,6,7],\"reliable\":true}\n");
    expect_out("{\"kind\":\"range\",\"vcpu\":1,\"start\":\"0x100000\","
               "\"end\":\"0xf0000000\",\"type\":\"WB\",\"code\":6,"
               "\"origin\":\"default\",\"overlap\":\"none\",\"ranges\":[],"
               "\"reliable\":false}\n");
}

static void test_map_usage(void **state)
{
    RUN(xc_map);
    expect_usage("missing DOMID");
    RUN(xc_map, "-c", samplefix, "extra");
    expect_usage("unexpected operand 'extra'");
    RUN(xc_map, "-c", samplefix, "0x1000");
    expect_usage("unexpected operand");
    RUN(xc_map, "5", "6");
    expect_usage("unexpected operand '6'");
    RUN(xc_map, "--size", "2M", "-c", samplefix);
    expect_usage("unknown option");
    RUN(xc_map, "--bogus", "-c", samplefix);
    expect_usage("unknown option");
    RUN(xc_map, "--vcpu", "-1", "-c", samplefix);
    expect_usage("invalid vCPU");
    RUN(xc_map, "--maxphysaddr", "31", "-c", samplefix);
    expect_usage("invalid maxphysaddr");
    RUN(xc_map, "--maxphysaddr", "53", "-c", samplefix);
    expect_usage("invalid maxphysaddr");
    RUN(xc_map, "12abc");
    expect_usage("invalid DOMID");
    RUN(xc_map, " 5");
    expect_usage("invalid DOMID");
}

/* ------------------------------------------------------------------------ */
/* Live domains on a machine without Xen                                     */
/* ------------------------------------------------------------------------ */

static void test_live_without_xen(void **state)
{
    if (access("/dev/xen/privcmd", F_OK) == 0) {
        skip(); /* a real dom0: the answer depends on its domains */
        return;
    }
    RUN(xc_type, "1", "0x1000");
    expect_exit(1);
    if (!R.err[0])
        fail_msg("%s: exit 1 without a message", R.cmd);
    assert_int_equal(R.out[0], '\0');

    RUN(xc_type, "--all-vcpus", "--json", "0", "0x1000");
    expect_exit(1);
    assert_true(R.err[0] != '\0');

    RUN(xc_map, "1");
    expect_exit(1);
    assert_true(R.err[0] != '\0');
    assert_int_equal(R.out[0], '\0');
}

/* ------------------------------------------------------------------------ */
/* The committed samples and the generated ones agree                        */
/* ------------------------------------------------------------------------ */

static char gen417[4096], genfix[4096];

static void test_samples_agree(void **state)
{
    char *a;

    if (!gen417[0] || !strcmp(gen417, sample417)) {
        skip(); /* only one set of samples to look at */
        return;
    }
    RUN(xc_map, "-j", "-a", "-c", gen417);
    expect_exit(0);
    a = strdup(R.out);
    RUN(xc_map, "-j", "-a", "-c", sample417);
    expect_exit(0);
    if (strcmp(a, R.out))
        fail_msg("%s and %s differ", gen417, sample417);
    free(a);
    RUN(xc_map, "-j", "-a", "-c", genfix);
    expect_exit(0);
    a = strdup(R.out);
    RUN(xc_map, "-j", "-a", "-c", samplefix);
    expect_exit(0);
    if (strcmp(a, R.out))
        fail_msg("%s and %s differ", genfix, samplefix);
    free(a);
}

static bool both_samples(const char *dir, char *p417, char *pfix, size_t n)
{
    snprintf(p417, n, "%s/hvmloader-guest.hvmctx", dir);
    snprintf(pfix, n, "%s/hvmloader-guest-fixed-xen.hvmctx", dir);
    return access(p417, R_OK) == 0 && access(pfix, R_OK) == 0;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_plain_417),
        cmocka_unit_test(test_type_plain_fixed_xen),
        cmocka_unit_test(test_type_number_forms),
        cmocka_unit_test(test_type_json_417),
        cmocka_unit_test(test_type_json_fixed_xen),
        cmocka_unit_test(test_type_json_size),
        cmocka_unit_test(test_type_all_vcpus),
        cmocka_unit_test(test_type_vcpu),
        cmocka_unit_test(test_type_maxphysaddr),
        cmocka_unit_test(test_type_size),
        cmocka_unit_test(test_type_overlaps),
        cmocka_unit_test(test_type_enable_bits),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_type_usage),
        cmocka_unit_test(test_help_version),
        cmocka_unit_test(test_map_plain_417),
        cmocka_unit_test(test_map_plain_fixed_xen),
        cmocka_unit_test(test_map_vcpus),
        cmocka_unit_test(test_map_crafted),
        cmocka_unit_test(test_map_json),
        cmocka_unit_test(test_map_usage),
        cmocka_unit_test(test_live_without_xen),
        cmocka_unit_test(test_samples_agree),
    };

    if (argc < 4 || argc > 5) {
        fprintf(stderr,
                "usage: %s XC_MTRR_TYPE XC_MTRR_MAP DATA_DIR "
                "[FALLBACK_DIR]\n",
                argv[0]);
        return 2;
    }
    xc_type = argv[1];
    xc_map = argv[2];
    if (both_samples(argv[3], sample417, samplefix, sizeof(sample417))) {
        if (argc == 5)
            both_samples(argv[4], gen417, genfix, sizeof(gen417));
    } else if (argc == 5 &&
               both_samples(argv[4], sample417, samplefix, sizeof(sample417))) {
        fprintf(stderr, "note: no samples in %s yet; using %s\n", argv[3],
                argv[4]);
    } else {
        fprintf(stderr, "no sample contexts in %s%s%s\n", argv[3],
                argc == 5 ? " or " : "", argc == 5 ? argv[4] : "");
        return 1;
    }
    return cmocka_run_group_tests_name("cli", tests, group_setup,
                                       group_teardown);
}
