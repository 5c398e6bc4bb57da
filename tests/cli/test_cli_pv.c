/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cli-pv XC_PV_PAGETABLE: xc-pv-pagetable on xl dump-core files
 * written at run time with tests/support's corebuild (the sample guests
 * of corebuild.h, 64-bit and 32-bit PAE, and larger pvbuild.h guests for
 * dumps): walks plain and JSON, the user root, holes, Xen's areas, dumps,
 * usage errors (exit 2), bad files and VAs (exit 1), and a live domain on
 * a machine without Xen (exit 1).
 *
 * The 64-bit sample: kernel root MFN 0x2a0 (PFN 0) -> L3 0x113 -> L2 0x3f1
 * -> L1 0x57 -> COREB_VA_4K at MFN 0x188, PFN 4 (RW NX); a 2 MiB page at
 * COREB_VA_2M, MFN 0x200, not in the dump's P2M; COREB_VA_HOLE not present
 * at L1; the user root 0x2c4 maps COREB_VA_USER to MFN 0x1e5, PFN 9. vCPU 1
 * has no user root. The 32-bit sample: root 0x1c0 -> L2 0xe2 -> L1 0x17b
 * -> COREB_VA32_4K at MFN 0x2d3, PFN 3; a 2 MiB page at COREB_VA32_2M.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corebuild.h"
#include "fixtures.h"
#include "pvbuild.h"
#include "run.h"

static const char *xc_pv;

/* A core image into temp file @name; its path. */
static const char *write_core(const char *name, const void *data, size_t len)
{
    const char *path = temp_file(name, NULL);
    FILE *f = fopen(path, "wb");

    if (!f || (len && fwrite(data, 1, len, f) != len) || fclose(f))
        fail_msg("writing %s: %s", path, strerror(errno));
    return path;
}

/* The sample of @width, as corebuild writes it (the blob is kept for
 * patching when @blob is not NULL). */
static const char *sample_core(unsigned int width, struct coreb_blob *blob)
{
    static struct coreb_sample s;
    struct coreb_blob b = {0};
    const char *path;

    coreb_sample(&s, width);
    coreb_build(&b, &s.desc);
    path = write_core(width == 8 ? "sample64.core" : "sample32.core", b.data,
                      b.len);
    if (blob)
        *blob = b;
    else
        coreb_blob_free(&b);
    return path;
}

static const char *core64(void)
{
    return sample_core(8, NULL);
}

static const char *core32(void)
{
    return sample_core(4, NULL);
}

/* ------------------------------------------------------------------------ */
/* Walks                                                                     */
/* ------------------------------------------------------------------------ */

static void test_walk_plain(void **state)
{
    const char *c = core64();

    RUN(xc_pv, "--core", c, "0xffff888000002123", "0xffff888000200000",
        "0xffff888000003000");
    expect_ok("vcpu 0 va 0xffff888000002123 (kernel root 0x2a0)\n"
              "  L4[273] 0x0000000000113027 P RW US A -> mfn 0x113 pfn 0x1\n"
              "  L3[  0] 0x00000000003f1027 P RW US A -> mfn 0x3f1 pfn 0x2\n"
              "  L2[  0] 0x0000000000057027 P RW US A -> mfn 0x57 pfn 0x3\n"
              "  L1[  2] 0x8000000000188063 P RW A D NX -> mfn 0x188 pfn "
              "0x4\n"
              "  4 KiB page: mfn 0x188 pfn 0x4, maddr 0x188123 paddr 0x4123, "
              "RW kernel NX, cache WB\n"
              "vcpu 0 va 0xffff888000200000 (kernel root 0x2a0)\n"
              "  L4[273] 0x0000000000113027 P RW US A -> mfn 0x113 pfn 0x1\n"
              "  L3[  0] 0x00000000003f1027 P RW US A -> mfn 0x3f1 pfn 0x2\n"
              "  L2[  1] 0x00000000002001e3 P RW A D PSE G -> mfn 0x200 (not "
              "the guest's)\n"
              "  2 MiB page: mfn 0x200 (not the guest's), maddr 0x200000, RW "
              "kernel executable, cache WB\n"
              "vcpu 0 va 0xffff888000003000 (kernel root 0x2a0)\n"
              "  L4[273] 0x0000000000113027 P RW US A -> mfn 0x113 pfn 0x1\n"
              "  L3[  0] 0x00000000003f1027 P RW US A -> mfn 0x3f1 pfn 0x2\n"
              "  L2[  0] 0x0000000000057027 P RW US A -> mfn 0x57 pfn 0x3\n"
              "  L1[  3] 0x0000000000000000 not present\n"
              "  not mapped: L1 entry 3 not present\n");

    /* Xen's areas are named, not walked. */
    RUN(xc_pv, "-c", c, "0xffff800000001000", "0xffff87ffffffffff");
    expect_ok("vcpu 0 va 0xffff800000001000 (kernel root 0x2a0)\n"
              "  not mapped: Xen's area, read-only to the guest (M2P)\n"
              "vcpu 0 va 0xffff87ffffffffff (kernel root 0x2a0)\n"
              "  not mapped: Xen's reserved area\n");

    /* vCPU 1 has the same kernel root; an unmapped L4 slot. */
    RUN(xc_pv, "-c", c, "--vcpu", "1", "0x1000");
    expect_ok("vcpu 1 va 0x1000 (kernel root 0x2a0)\n"
              "  L4[  0] 0x0000000000000000 not present\n"
              "  not mapped: L4 entry 0 not present\n");
}

static void test_walk_json(void **state)
{
    const char *c = core64();
    char line[4096];

    RUN(xc_pv, "--json", "-c", c, "0xffff888000002123", "0xffff888000003000",
        "0xffff800000001000", "0xffff888000200000");
    expect_exit(0);
    expect_err_empty();
    if (lines(R.out) != 4)
        fail_msg("%s: %u lines, want 4:\n%s", R.cmd, lines(R.out), R.out);
    expect_line(0,
                "{\"va\":\"0xffff888000002123\",\"vcpu\":0,\"root\":\"kernel\","
                "\"root_mfn\":\"0x2a0\",\"mapped\":true,\"levels\":["
                "{\"level\":4,\"index\":273,\"entry\":\"0x0000000000113027\","
                "\"table_mfn\":\"0x2a0\",\"mfn\":\"0x113\",\"pfn\":\"0x1\","
                "\"flags\":[\"P\",\"RW\",\"US\",\"A\"]},"
                "{\"level\":3,\"index\":0,\"entry\":\"0x00000000003f1027\","
                "\"table_mfn\":\"0x113\",\"mfn\":\"0x3f1\",\"pfn\":\"0x2\","
                "\"flags\":[\"P\",\"RW\",\"US\",\"A\"]},"
                "{\"level\":2,\"index\":0,\"entry\":\"0x0000000000057027\","
                "\"table_mfn\":\"0x3f1\",\"mfn\":\"0x57\",\"pfn\":\"0x3\","
                "\"flags\":[\"P\",\"RW\",\"US\",\"A\"]},"
                "{\"level\":1,\"index\":2,\"entry\":\"0x8000000000188063\","
                "\"table_mfn\":\"0x57\",\"mfn\":\"0x188\",\"pfn\":\"0x4\","
                "\"flags\":[\"P\",\"RW\",\"A\",\"D\",\"NX\"]}],"
                "\"mfn\":\"0x188\",\"pfn\":\"0x4\",\"maddr\":\"0x188123\","
                "\"paddr\":\"0x4123\",\"page_size\":\"0x1000\","
                "\"writable\":true,\"user\":false,\"nx\":true,"
                "\"pat_index\":0,\"cache\":\"WB\"}");
    /* Not present at L1: the entry, no frame. */
    out_line(1, line, sizeof(line));
    if (!strstr(line, "\"mapped\":false") ||
        !strstr(line,
                "{\"level\":1,\"index\":3,\"entry\":\"0x0000000000000000\","
                "\"table_mfn\":\"0x57\",\"mfn\":null,\"pfn\":null,"
                "\"flags\":[]}]") ||
        !strstr(line, "\"stop_level\":1}") || strstr(line, "\"area\""))
        fail_msg("%s: line 1: %s", R.cmd, line);
    expect_line(2, "{\"va\":\"0xffff800000001000\",\"vcpu\":0,\"root\":"
                   "\"kernel\",\"root_mfn\":\"0x2a0\",\"mapped\":false,"
                   "\"levels\":[],\"stop_level\":0,\"area\":\"xen-readonly\"}");
    /* A frame that is not the guest's: pfn and paddr null. */
    out_line(3, line, sizeof(line));
    if (!strstr(line, "\"mfn\":\"0x200\",\"pfn\":null,\"maddr\":\"0x200000\","
                      "\"paddr\":null,\"page_size\":\"0x200000\"") ||
        !strstr(line, "\"flags\":[\"P\",\"RW\",\"A\",\"D\",\"PSE\",\"G\"]"))
        fail_msg("%s: line 3: %s", R.cmd, line);
    /* A core has no page types. */
    expect_no_out("table_type");
    expect_no_out("pinned");
}

static void test_walk_user(void **state)
{
    const char *c = core64();

    RUN(xc_pv, "-c", c, "--user", "0x401000");
    expect_ok("vcpu 0 va 0x401000 (user root 0x2c4)\n"
              "  L4[  0] 0x00000000000a9027 P RW US A -> mfn 0xa9 pfn 0x6\n"
              "  L3[  0] 0x0000000000331027 P RW US A -> mfn 0x331 pfn 0x7\n"
              "  L2[  2] 0x00000000002f0027 P RW US A -> mfn 0x2f0 pfn 0x8\n"
              "  L1[  1] 0x00000000001e5067 P RW US A D -> mfn 0x1e5 pfn 0x9\n"
              "  4 KiB page: mfn 0x1e5 pfn 0x9, maddr 0x1e5000 paddr 0x9000, "
              "RW user executable, cache WB\n");
    RUN(xc_pv, "-j", "-u", "-c", c, "0x401000");
    expect_exit(0);
    expect_out("\"root\":\"user\",\"root_mfn\":\"0x2c4\"");
    expect_out("\"user\":true");

    /* The user root's tables do not map the kernel's VAs. */
    RUN(xc_pv, "-u", "-c", c, "0xffff888000002000");
    expect_exit(0);
    expect_out("not mapped: L4 entry 273 not present");

    /* vCPU 1 has no user root; a 32-bit guest has none at all. */
    RUN(xc_pv, "-u", "-v", "1", "-c", c, "0x401000");
    expect_error("no user root");
    RUN(xc_pv, "-u", "-c", core32(), "0xc0001000");
    expect_error("32-bit");
}

static void test_walk_32(void **state)
{
    const char *c = core32();

    RUN(xc_pv, "-c", c, "0xc0001004");
    expect_ok("vcpu 0 va 0xc0001004 (kernel root 0x1c0)\n"
              "  L3[  3] 0x00000000000e2001 P -> mfn 0xe2 pfn 0x1\n"
              "  L2[  0] 0x000000000017b027 P RW US A -> mfn 0x17b pfn 0x2\n"
              "  L1[  1] 0x80000000002d3063 P RW A D NX -> mfn 0x2d3 pfn "
              "0x3\n"
              "  4 KiB page: mfn 0x2d3 pfn 0x3, maddr 0x2d3004 paddr 0x3004, "
              "RW kernel NX, cache WB\n");
    RUN(xc_pv, "-c", c, "-j", "0xf5800000");
    expect_exit(0);
    expect_out("\"area\":\"xen-readonly\"");
}

/* A VA no mapping can have: EINVAL, exit 1, nothing printed for the
 * others (every VA is checked before any output). */
static void test_bad_va(void **state)
{
    RUN(xc_pv, "-c", core64(), "0xffff888000002000", "0x0000800000000000");
    expect_error("VA 0x800000000000 is not canonical");
    RUN(xc_pv, "-c", core64(), "0xfff0000000000000");
    expect_error("not canonical");
    RUN(xc_pv, "-c", core32(), "0xc0001000", "0x100000000");
    expect_error("VA 0x100000000 is above 4 GiB for a 32-bit guest");
    RUN(xc_pv, "-c", core64(), "-v", "2", "0x1000");
    expect_error("vCPU 2");
}

/* ------------------------------------------------------------------------ */
/* Dumps                                                                     */
/* ------------------------------------------------------------------------ */

static void test_dump_sample(void **state)
{
    const char *c = core64();

    RUN(xc_pv, "-c", c, "--dump");
    expect_ok("0xffff888000002000-0xffff888000003000       4K 4K   RW        "
              "             NX WB  pfn 0x4\n"
              "0xffff888000200000-0xffff888000400000       2M 2M   RW        "
              "     PSE GLB x  WB  mfn 0x200 (not the guest's)\n");
    RUN(xc_pv, "-c", c, "--dump", "--json");
    expect_ok("{\"va_start\":\"0xffff888000002000\",\"va_end\":"
              "\"0xffff888000003000\",\"pfn_start\":\"0x4\",\"mfn_start\":"
              "\"0x188\",\"page_size\":\"0x1000\",\"flags\":[\"P\",\"RW\","
              "\"NX\"],\"cache\":\"WB\"}\n"
              "{\"va_start\":\"0xffff888000200000\",\"va_end\":"
              "\"0xffff888000400000\",\"pfn_start\":null,\"mfn_start\":"
              "\"0x200\",\"page_size\":\"0x200000\",\"flags\":[\"P\",\"RW\","
              "\"PSE\",\"G\"],\"cache\":\"WB\"}\n");
    /* A range: as --dump=, as -d, and as the operand after --dump. */
    RUN(xc_pv, "-c", c, "--dump=0xffff888000100000-0xffff888000300000");
    expect_ok("0xffff888000200000-0xffff888000300000       1M 2M   RW        "
              "     PSE GLB x  WB  mfn 0x200 (not the guest's)\n");
    RUN(xc_pv, "-c", c, "-d0xffff888000002000-0xffff888000002001");
    expect_exit(0);
    if (lines(R.out) != 1)
        fail_msg("%s:\n%s", R.cmd, R.out);
    expect_out("pfn 0x4");
    RUN(xc_pv, "-c", c, "--dump", "0xffff888000300000-");
    expect_ok("0xffff888000300000-0xffff888000400000       1M 2M   RW        "
              "     PSE GLB x  WB  mfn 0x300 (not the guest's)\n");
    /* The user root's space. */
    RUN(xc_pv, "-c", c, "--dump", "--user", "-j");
    expect_ok("{\"va_start\":\"0x401000\",\"va_end\":\"0x402000\","
              "\"pfn_start\":\"0x9\",\"mfn_start\":\"0x1e5\",\"page_size\":"
              "\"0x1000\",\"flags\":[\"P\",\"RW\",\"US\"],\"cache\":\"WB\"}\n");
    /* A 32-bit guest: 8-digit addresses. */
    RUN(xc_pv, "-c", core32(), "--dump");
    expect_ok("0xc0001000-0xc0002000       4K 4K   RW                     NX "
              "WB  pfn 0x3\n"
              "0xc0200000-0xc0400000       2M 2M   RW             PSE GLB x  "
              "WB  mfn 0x200 (not the guest's)\n");
}

/* A larger guest: coalesced runs, cache types, a 1 GiB page up to the top
 * of the address space, a shared L1 table (an alias run). */
static void test_dump_runs(void **state)
{
    const uint64_t va = UINT64_C(0xffff888000000000);
    const uint64_t top = UINT64_C(0xffffffffc0000000);
    struct coreb_vcpu vcpu;
    struct coreb_frame *frames;
    struct coreb_blob b = {0};
    struct pvb p;
    uint64_t root, l1;
    size_t n;
    const char *c;

    pvb_init(&p, 8);
    root = pvb_new_table(&p);
    /* 64 pages with contiguous PFNs: one run; then 2 with PCD: WT... */
    pvb_map_range(&p, root, va, 0x100, 64 * SZ_4K, SZ_4K, PVB_RW | PVB_G);
    pvb_map_range(&p, root, va + 64 * SZ_4K, 0x140, 2 * SZ_4K, SZ_4K,
                  PVB_RW | PVB_G | PVB_PCD);
    pvb_map(&p, root, top, PVB_LARGE_PFN, SZ_1G, PVB_RW | PVB_NX);
    /* The first L1 table again, 1 GiB further on. */
    l1 = pvb_table(&p, root, va, 1);
    pvb_set_entry(&p, pvb_table(&p, root, va + SZ_1G, 2),
                  pvb_index(&p, 2, va + SZ_1G), l1 << 12 | PVB_TABLE_BITS);
    /* The data frames go into the core too (the 1 GiB page's first). */
    for (uint64_t pfn = 0x100; pfn < 0x142; pfn++)
        pvb_frame(&p, pvb_mfn(pfn));
    pvb_frame(&p, pvb_mfn(PVB_LARGE_PFN));
    vcpu = (struct coreb_vcpu){root, 0};
    frames = coreb_frames_from_pvb(&p, &n);
    coreb_build(&b, &(struct coreb_desc){.width = 8,
                                         .frames = frames,
                                         .nr_frames = n,
                                         .vcpus = &vcpu,
                                         .nr_vcpus = 1});
    c = write_core("runs.core", b.data, b.len);
    coreb_blob_free(&b);
    free(frames);

    RUN(xc_pv, "-c", c, "--dump");
    expect_exit(0);
    expect_err_empty();
    expect_line(0, "0xffff888000000000-0xffff888000040000     256K 4K   RW   "
                   "              GLB x  WB  pfn 0x100");
    expect_line(1, "0xffff888000040000-0xffff888000042000       8K 4K   RW   "
                   "      PCD     GLB x  UC- pfn 0x140");
    expect_line(2, "0xffff888040000000-0xffff888040200000       2M 2M   RW "
                   "USR                 x  WB  pfn 0xe0003 alias of "
                   "0xffff888000000000 (table mfn 0x20018)");
    expect_line(3, "0xffffffffc0000000-0x10000000000000000       1G 1G   RW "
                   "            PSE     NX WB  pfn 0x100000");
    if (lines(R.out) != 4)
        fail_msg("%s:\n%s", R.cmd, R.out);
    RUN(xc_pv, "-c", c, "--dump", "-j");
    expect_exit(0);
    expect_out("\"alias_va\":\"0xffff888000000000\"");
    expect_out("\"va_start\":\"0xffffffffc0000000\",\"va_end\":"
               "\"0x10000000000000000\"");
    expect_out("\"cache\":\"UC-\"");
    pvb_free(&p);
}

/* Output goes to a file, so no progress line on stderr. */
static void test_dump_quiet(void **state)
{
    RUN(xc_pv, "-c", core64(), "--dump");
    expect_err_empty();
}

/* ------------------------------------------------------------------------ */
/* Usage and errors                                                          */
/* ------------------------------------------------------------------------ */

static void test_usage(void **state)
{
    const char *c = core64();
    const struct run_case cases[] = {
        {{xc_pv}, "missing DOMID"},
        {{xc_pv, "-c", c}, "missing VA"},
        {{xc_pv, "5"}, "missing VA"},
        {{xc_pv, "-c", c, "0x12g"}, "invalid VA '0x12g'"},
        {{xc_pv, "-c", c, "0x1000", ""}, "invalid VA ''"},
        {{xc_pv, "-c", c, "--", "-1"}, "invalid VA '-1'"},
        {{xc_pv, "-c", c, "18446744073709551616"},
         "invalid VA '18446744073709551616'"},
        {{xc_pv, "-c", c, "--dump=5-3"}, "invalid range '5-3'"},
        {{xc_pv, "-c", c, "--dump=5-5"}, "invalid range '5-5'"},
        {{xc_pv, "-c", c, "--dump=5"}, "invalid range '5'"},
        {{xc_pv, "-c", c, "--dump=-5"}, "invalid range '-5'"},
        {{xc_pv, "-c", c, "--dump=x-"}, "invalid range 'x-'"},
        {{xc_pv, "-c", c, "--dump", "5-3"}, "invalid range '5-3'"},
        {{xc_pv, "-c", c, "--dump", "0x1000"}, "--dump takes no VA"},
        {{xc_pv, "-c", c, "--dump", "0x1000", "0x2000"}, "--dump takes no VA"},
        {{xc_pv, "-c", c, "--dump=0-1", "0x1000-0x2000"}, "--dump takes no VA"},
        {{xc_pv, "5", "--dump", "0x1000"}, "--dump takes no VA"},
        {{xc_pv, "--bogus", "-c", c, "0"}, "unknown option"},
        {{xc_pv, "-x", "-c", c, "0"}, "unknown option"},
        {{xc_pv, "-c"}, NULL},
        {{xc_pv, "-v", "x", "-c", c, "0"}, "invalid vCPU 'x'"},
        {{xc_pv, "-v", "65536", "-c", c, "0"}, "invalid vCPU"},
        {{xc_pv, "32752", "0"}, "invalid DOMID '32752'"},
        {{xc_pv, "", "0"}, "empty DOMID"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_usage);
}

static void test_help_version(void **state)
{
    RUN(xc_pv, "--help");
    expect_exit(0);
    expect_err_empty();
    expect_out("Usage: xc-pv-pagetable [options] DOMID VA...");
    expect_out("--dump[=START-END]");
    RUN(xc_pv, "--version");
    expect_version("xc-pv-pagetable " XCX_TEST_VERSION, XCX_TEST_XEN);
}

static void test_bad_cores(void **state)
{
    static const char junk[512] = "not a core";
    struct coreb_blob b;
    const char *path;

    sample_core(8, &b);
    path = write_core("truncated.core", b.data, b.len / 2);
    RUN(xc_pv, "-c", path, "0x1000");
    expect_error("truncated.core: not a usable xl dump-core file");
    expect_err("not within the image"); /* the library names the section */
    path = write_core("junk.core", junk, sizeof(junk));
    RUN(xc_pv, "-c", path, "0x1000");
    expect_error("junk.core: not a usable xl dump-core file");
    expect_err("not an ELF file");
    path = write_core("empty.core", "", 0);
    RUN(xc_pv, "-c", path, "--dump");
    expect_error("empty.core: not a usable xl dump-core file");
    expect_err("image of 0 bytes");
    /* An HVM guest's core: EOPNOTSUPP. */
    coreb_patch(&b, b.note_desc[1], COREB_MAGIC_HVM, 4);
    path = write_core("hvm.core", b.data, b.len);
    RUN(xc_pv, "-c", path, "0x1000");
    expect_error("hvm.core: not a usable xl dump-core file");
    expect_err(strerror(EOPNOTSUPP));
    coreb_blob_free(&b);

    RUN(xc_pv, "-c", "/nonexistent/x.core", "0x1000");
    expect_error("/nonexistent/x.core: No such file or directory");
    RUN(xc_pv, "-c", "/", "0x1000");
    expect_error("/: a directory, not a regular file");
}

/* A hostile table: an L2 entry naming a frame the core does not hold. */
static void test_hostile_core(void **state)
{
    static struct coreb_sample s;
    struct coreb_blob b = {0};
    const char *path;

    coreb_sample(&s, 8);
    ctxb_le_store(s.pages[2] + 8 * 0, UINT64_C(0x000ffffffffff027), 8);
    coreb_build(&b, &s.desc);
    path = write_core("hostile.core", b.data, b.len);
    coreb_blob_free(&b);
    RUN(xc_pv, "-c", path, "0xffff888000002000");
    expect_error("L1 table at MFN 0xffffffffff");
    RUN(xc_pv, "-c", path, "--dump");
    expect_exit(1);
    expect_err("MFN 0xffffffffff");
}

/* ------------------------------------------------------------------------ */
/* A live domain on a machine without Xen                                    */
/* ------------------------------------------------------------------------ */

static void test_live_without_xen(void **state)
{
    const struct run_case cases[] = {
        {{xc_pv, "1", "0xffff888000000000"}},
        {{xc_pv, "--json", "--dump", "0"}},
        {{xc_pv, "pv-guest", "0xffff888000000000"}}, /* a name, as xl */
        {{xc_pv, "-u", "-v", "1", "7", "0x1000"}},
    };

    run_cases_without_xen(cases, ARRAY_SIZE(cases));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_plain),
        cmocka_unit_test(test_walk_json),
        cmocka_unit_test(test_walk_user),
        cmocka_unit_test(test_walk_32),
        cmocka_unit_test(test_bad_va),
        cmocka_unit_test(test_dump_sample),
        cmocka_unit_test(test_dump_runs),
        cmocka_unit_test(test_dump_quiet),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_help_version),
        cmocka_unit_test(test_bad_cores),
        cmocka_unit_test(test_hostile_core),
        cmocka_unit_test(test_live_without_xen),
    };

    if (argc != 2) {
        fprintf(stderr, "usage: %s XC_PV_PAGETABLE\n", argv[0]);
        return 2;
    }
    xc_pv = argv[1];
    return cmocka_run_group_tests_name("cli-pv", tests, NULL,
                                       fixtures_teardown);
}
