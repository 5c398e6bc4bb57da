/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What no input may do to a tool: hang it (FIFOs with no writer,
 * devices, directories for --context, --replay, --config and --core),
 * make it read without bound (a file over the limit, a log line without
 * end) or cost more than linear time (the most vCPU records Xen can give,
 * many log lines); and how bad numbers are named (negative operands,
 * --duration past its maximum).
 *
 * Arguments: XC_MTRR_TYPE XC_MTRR_MAP XC_MTRR_AUDIT XC_MTRR_WATCH
 * XC_PV_PAGETABLE DATA_DIR
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctxbuild.h"
#include "run.h"

static const char *xc_type, *xc_map, *xc_audit, *xc_watch, *xc_pv;
static char sample[512], dir[64] = "/tmp/xcx-limits-XXXXXX", path_buf[8][600];

/* A path in the temporary directory (slot @slot of 8). */
static const char *tmp(unsigned int slot, const char *name)
{
    snprintf(path_buf[slot], sizeof(path_buf[slot]), "%s/%s", dir, name);
    return path_buf[slot];
}

static const char *write_file(unsigned int slot, const char *name,
                              const void *data, size_t len)
{
    const char *p = tmp(slot, name);
    FILE *f = fopen(p, "wb");

    if (!f || fwrite(data, 1, len, f) != len || fclose(f))
        fail_msg("writing %s", p);
    return p;
}

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Special files for every file option: refused at once, saying what. */
static void test_special_files(void **state)
{
    const char *fifo = tmp(0, "fifo");
    const struct {
        const char *path, *what;
    } files[] = {
        {fifo, "a FIFO, not a regular file"},
        {"/dev/null", "a character device, not a regular file"},
        {dir, "a directory, not a regular file"},
    };

    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    for (unsigned int i = 0; i < ARRAY_SIZE(files); i++) {
        const char *p = files[i].path;
        double t0 = now();

        RUN(xc_type, "--context", p, "0");
        expect_error(files[i].what);
        RUN(xc_map, "--context", sample, "--replay", p);
        expect_error(files[i].what);
        RUN(xc_audit, "--context", sample, "--config", p);
        expect_error(files[i].what);
        RUN(xc_pv, "--core", p, "0x1000");
        expect_error(files[i].what);
        /* No open() waited for a writer. */
        assert_true(now() - t0 < 10);
    }
}

/* A regular file over the limit: its size and the limit. */
static void test_too_large(void **state)
{
    const char *big = tmp(0, "big.hvmctx"), *cfg = tmp(1, "big.json");

    assert_int_equal(
        truncate(write_file(0, "big.hvmctx", "", 0), (64 << 20) + 1), 0);
    /* A context file is mapped, not read (an xl save image holds the
     * guest's memory): a large one is judged by its content. */
    RUN(xc_map, "--context", big);
    expect_error("not a valid HVM context or saved image");
    assert_int_equal(truncate(write_file(1, "big.json", "", 0), (4 << 20) + 1),
                     0);
    RUN(xc_audit, "--context", sample, "--config", cfg);
    expect_error("4194305 bytes, more than the limit of 4194304");
}

/* A log line without end is cut at the limit, not read whole. */
static void test_long_log_line(void **state)
{
    size_t len = 4u << 20;
    char *junk = malloc(len);

    assert_non_null(junk);
    memset(junk, 'x', len);
    RUN(xc_map, "--context", sample, "--replay",
        write_file(0, "long.log", junk, len));
    free(junk);
    expect_error(":1: line longer than 65536 bytes");
}

/* Operands like "-1" are numbers, not options. */
static void test_negative_numbers(void **state)
{
    RUN(xc_type, "--context", sample, "-1");
    expect_usage("invalid GPA '-1'");
    RUN(xc_type, "-5", "0x1000");
    expect_usage("invalid DOMID '-5'");
    RUN(xc_type, "-j", "--context", sample, "0x1000", "-0x10");
    expect_usage("invalid GPA '-0x10'");
    RUN(xc_pv, "--core", "x.core", "-1");
    expect_usage("invalid VA '-1'");
    RUN(xc_pv, "-1", "0x1000");
    expect_usage("invalid DOMID '-1'");
    RUN(xc_audit, "-1");
    expect_usage("invalid DOMID '-1'");
    RUN(xc_watch, "-3");
    expect_usage("invalid DOMID '-3'");
    RUN(xc_map, "--context", sample, "-2");
    expect_usage("unexpected operand '-2'");
    /* An option's value is not an operand: "-v -1" is a bad vCPU. */
    RUN(xc_type, "--context", sample, "-v", "-1", "0x1000");
    expect_usage("invalid vCPU '-1'");
    RUN(xc_watch, "--duration", "31536001", "1");
    expect_usage("invalid duration '31536001' (1..31536000 seconds)");
}

/*
 * The most vCPUs Xen gives an HVM guest (HVM_MAX_VCPUS, 128), each with
 * its own registers: every tool over all of them in seconds; one more
 * record is refused naming the vCPU and the limit.
 */
static void write_vcpus(const char *name, unsigned int nr, unsigned int slot)
{
    struct xcx_mtrr_regs *regs = calloc(nr, sizeof(*regs));
    struct ctxb_blob b = {0};

    assert_non_null(regs);
    for (unsigned int v = 0; v < nr; v++) {
        ctxb_hvmloader_regs(&regs[v], true);
        ctxb_set_var(&regs[v], 2, 0x100000000 + 0x200000 * (uint64_t)v,
                     0x200000, XCX_MT_WT, 36);
    }
    ctxb_build(&b, &(struct ctxb_ctx_desc){
                       .nr_vcpus = nr, .regs = regs, .nr_regs = nr});
    write_file(slot, name, b.data, b.len);
    ctxb_blob_free(&b);
    free(regs);
}

static void test_most_vcpus(void **state)
{
    const char *ctx = tmp(0, "128.hvmctx"), *log = tmp(1, "many.log");
    double t0;
    FILE *f;

    write_vcpus("128.hvmctx", 128, 0);
    write_vcpus("129.hvmctx", 129, 2);

    /* 100,000 log lines, each a write the tracker applies. */
    f = fopen(log, "w");
    assert_non_null(f);
    for (unsigned int i = 0; i < 100000; i++)
        fprintf(f, "{\"vcpu\":%u,\"msr\":\"0x277\",\"value\":\"%s\"}\n",
                i % 128, i % 2 ? "0x0007040600070406" : "0x0007010600070106");
    assert_int_equal(fclose(f), 0);

    t0 = now();
    RUN(xc_audit, "--context", ctx);
    /* 3: findings (the vCPUs differ in pair 2), not an error. */
    expect_exit(3);
    expect_out("MTRR001-vcpu-mismatch");
    RUN(xc_map, "--context", ctx, "--all-vcpus");
    expect_exit(0);
    RUN(xc_type, "--context", ctx, "--all-vcpus", "0x100000000");
    expect_exit(0);
    assert_int_equal(count(R.out, "\n"), 128);
    /* A log without a header: the width is given, never guessed. */
    RUN(xc_map, "--context", ctx, "--replay", log, "--replay-partial",
        "--maxphysaddr", "36");
    expect_exit(0);
    /* Seconds, not the minutes a quadratic step would take. */
    assert_true(now() - t0 < 60);

    RUN(xc_map, "--context", tmp(2, "129.hvmctx"));
    expect_error("vCPU 128");
    expect_error("at most 128 vCPUs (HVM_MAX_VCPUS)");
}

static int teardown(void **state)
{
    run_free();
    for (unsigned int i = 0; i < ARRAY_SIZE(path_buf); i++)
        if (path_buf[i][0])
            unlink(path_buf[i]);
    const char *names[] = {"fifo",       "big.hvmctx", "big.json", "long.log",
                           "128.hvmctx", "129.hvmctx", "many.log"};
    for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
        unlink(tmp(7, names[i]));
    rmdir(dir);
    return 0;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_special_files),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_long_log_line),
        cmocka_unit_test(test_negative_numbers),
        cmocka_unit_test(test_most_vcpus),
    };

    if (argc != 7) {
        fprintf(stderr, "usage: %s TYPE MAP AUDIT WATCH PV DATA_DIR\n",
                argv[0]);
        return 2;
    }
    xc_type = argv[1];
    xc_map = argv[2];
    xc_audit = argv[3];
    xc_watch = argv[4];
    xc_pv = argv[5];
    snprintf(sample, sizeof(sample), "%s/hvmloader-guest.hvmctx", argv[6]);
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, teardown);
}
