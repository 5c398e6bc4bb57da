/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cli-type XC_MTRR_TYPE XC_MTRR_MAP DATA_DIR: xc-mtrr-type on the
 * committed samples (fixtures.h describes them) and on crafted contexts,
 * plain, --json, --size, per vCPU and with another width.
 *
 * From the samples' registers: below 1 MiB the fixed ranges (WB, the VGA
 * hole 0xa0000-0xbffff WC); [0xe8000000, 0xf0000000) UC by pair 0;
 * [0xf0000000, 4 GiB) UC by pair 1, which only the fixed-Xen sample shows;
 * everything else the default WB. In the Xen 4.17 sample pairs 1-7 are
 * copies of pair 0, so an answer from the default type is unreliable there
 * while pair 0's UC is not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "run.h"

#define UNREL417                                                               \
    ", unreliable: depends on variable pairs 1-7, which the "                  \
    "save record does not show"

/* ------------------------------------------------------------------------ */
/* The samples, plain                                                        */
/* ------------------------------------------------------------------------ */

static void test_type_plain(void **state)
{
    const struct run_case cases[] = {
        {{xc_type, "--context", sample417, "0", "0x9ffff", "0xa0000", "0xbffff",
          "0xc0000", "0x100000", "0xe7ffffff", "0xe8000000", "0xefffffff",
          "0xf0000000", "0xffffffff", "0x100000000", "0xfffffffff"},
         "vcpu 0 gpa 0x0: WB (fixed range 0x0-0xffff)\n"
         "vcpu 0 gpa 0x9ffff: WB (fixed range 0x9c000-0x9ffff)\n"
         "vcpu 0 gpa 0xa0000: WC (fixed range 0xa0000-0xa3fff)\n"
         "vcpu 0 gpa 0xbffff: WC (fixed range 0xbc000-0xbffff)\n"
         "vcpu 0 gpa 0xc0000: WB (fixed range 0xc0000-0xc0fff)\n"
         "vcpu 0 gpa 0x100000: WB (default type)" UNREL417 "\n"
         "vcpu 0 gpa 0xe7ffffff: WB (default type)" UNREL417 "\n"
         "vcpu 0 gpa 0xe8000000: UC (variable pairs 0-7, same type)\n"
         "vcpu 0 gpa 0xefffffff: UC (variable pairs 0-7, same type)\n"
         "vcpu 0 gpa 0xf0000000: WB (default type)" UNREL417 "\n"
         "vcpu 0 gpa 0xffffffff: WB (default type)" UNREL417 "\n"
         "vcpu 0 gpa 0x100000000: WB (default type)" UNREL417 "\n"
         "vcpu 0 gpa 0xfffffffff: WB (default type)" UNREL417 "\n"},
        {{xc_type, "-c", samplefix, "0xa0000", "0x100000", "0xe7ffffff",
          "0xe8000000", "0xefffffff", "0xf0000000", "0xffffffff",
          "0x100000000"},
         "vcpu 0 gpa 0xa0000: WC (fixed range 0xa0000-0xa3fff)\n"
         "vcpu 0 gpa 0x100000: WB (default type)\n"
         "vcpu 0 gpa 0xe7ffffff: WB (default type)\n"
         "vcpu 0 gpa 0xe8000000: UC (variable pair 0)\n"
         "vcpu 0 gpa 0xefffffff: UC (variable pair 0)\n"
         "vcpu 0 gpa 0xf0000000: UC (variable pair 1)\n"
         "vcpu 0 gpa 0xffffffff: UC (variable pair 1)\n"
         "vcpu 0 gpa 0x100000000: WB (default type)\n"},
        /* Decimal and hexadecimal GPAs, upper-case hex digits and 0X. */
        {{xc_type, "-c", samplefix, "655360", "0XA0000", "0xE8000000",
          "0XF0000000", "0x00000000000000000000000000a0000"},
         "vcpu 0 gpa 0xa0000: WC (fixed range 0xa0000-0xa3fff)\n"
         "vcpu 0 gpa 0xa0000: WC (fixed range 0xa0000-0xa3fff)\n"
         "vcpu 0 gpa 0xe8000000: UC (variable pair 0)\n"
         "vcpu 0 gpa 0xf0000000: UC (variable pair 1)\n"
         "vcpu 0 gpa 0xa0000: WC (fixed range 0xa0000-0xa3fff)\n"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_ok);
}

/* ------------------------------------------------------------------------ */
/* --json                                                                    */
/* ------------------------------------------------------------------------ */

/* Every line one JSON object with each member once; the --size members
 * exactly when @with_size. */
static void expect_json_members(bool with_size)
{
    static const char *const point[] = {
        "\"gpa\":\"0x",  "\"vcpu\":",      "\"type\":\"",  "\"code\":",
        "\"origin\":\"", "\"overlap\":\"", "\"ranges\":[", "\"reliable\":",
    };
    static const char *const range[] = {"\"size\":\"0x",
                                        "\"uniform\":", "\"types\":["};
    char buf[4096];

    for (unsigned int n = 0; n < lines(R.out); n++) {
        out_line(n, buf, sizeof(buf));
        if (buf[0] != '{' || buf[strlen(buf) - 1] != '}')
            fail_msg("%s: line %u is no JSON object: %s", R.cmd, n, buf);
        for (unsigned int i = 0; i < ARRAY_SIZE(point); i++)
            if (count(buf, point[i]) != 1)
                fail_msg("%s: line %u: member %s not once: %s", R.cmd, n,
                         point[i], buf);
        for (unsigned int i = 0; i < ARRAY_SIZE(range); i++)
            if (count(buf, range[i]) != (with_size ? 1u : 0u))
                fail_msg("%s: line %u: member %s %s: %s", R.cmd, n, range[i],
                         with_size ? "not once" : "without --size", buf);
    }
}

/* expect_ok(), and the members of a GPA's or (--size) a range's lines. */
static void expect_json_points(const char *want)
{
    expect_ok(want);
    expect_json_members(false);
}

static void expect_json_ranges(const char *want)
{
    expect_ok(want);
    expect_json_members(true);
}

static void test_type_json(void **state)
{
    const struct run_case cases[] = {
        {{xc_type, "--json", "-c", sample417, "0xa0000", "0xe8000000",
          "0xf0000000"},
         "{\"gpa\":\"0xa0000\",\"vcpu\":0,\"type\":\"WC\",\"code\":1,"
         "\"origin\":\"fixed\",\"overlap\":\"none\",\"ranges\":[],"
         "\"reliable\":true}\n"
         "{\"gpa\":\"0xe8000000\",\"vcpu\":0,\"type\":\"UC\",\"code\":0,"
         "\"origin\":\"variable\",\"overlap\":\"same\","
         "\"ranges\":[0,1,2,3,4,5,6,7],\"reliable\":true}\n"
         "{\"gpa\":\"0xf0000000\",\"vcpu\":0,\"type\":\"WB\",\"code\":6,"
         "\"origin\":\"default\",\"overlap\":\"none\",\"ranges\":[],"
         "\"reliable\":false}\n"},
        {{xc_type, "-j", "-c", samplefix, "-v", "1", "0xe8000000", "0xf0000000",
          "0x100000"},
         "{\"gpa\":\"0xe8000000\",\"vcpu\":1,\"type\":\"UC\",\"code\":0,"
         "\"origin\":\"variable\",\"overlap\":\"none\",\"ranges\":[0],"
         "\"reliable\":true}\n"
         "{\"gpa\":\"0xf0000000\",\"vcpu\":1,\"type\":\"UC\",\"code\":0,"
         "\"origin\":\"variable\",\"overlap\":\"none\",\"ranges\":[1],"
         "\"reliable\":true}\n"
         "{\"gpa\":\"0x100000\",\"vcpu\":1,\"type\":\"WB\",\"code\":6,"
         "\"origin\":\"default\",\"overlap\":\"none\",\"ranges\":[],"
         "\"reliable\":true}\n"},
        {{xc_type, "-a", "-j", "-c", samplefix, "0xe8000000"},
         "{\"gpa\":\"0xe8000000\",\"vcpu\":0,\"type\":\"UC\",\"code\":0,"
         "\"origin\":\"variable\",\"overlap\":\"none\",\"ranges\":[0],"
         "\"reliable\":true}\n"
         "{\"gpa\":\"0xe8000000\",\"vcpu\":1,\"type\":\"UC\",\"code\":0,"
         "\"origin\":\"variable\",\"overlap\":\"none\",\"ranges\":[0],"
         "\"reliable\":true}\n"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_json_points);
}

static void test_type_json_size(void **state)
{
    const struct run_case cases[] = {
        /* The man page's example command: the top of the PCI hole is
         * pair 1's, which the Xen 4.17 record does not show. */
        {{xc_type, "--json", "--size", "2M", "--context", sample417,
          "0xfe000000", "0xe8000000"},
         "{\"gpa\":\"0xfe000000\",\"vcpu\":0,\"type\":\"WB\",\"code\":6,"
         "\"origin\":\"default\",\"overlap\":\"none\",\"ranges\":[],"
         "\"reliable\":false,\"size\":\"0x200000\",\"uniform\":true,"
         "\"types\":[\"WB\"]}\n"
         "{\"gpa\":\"0xe8000000\",\"vcpu\":0,\"type\":\"UC\",\"code\":0,"
         "\"origin\":\"variable\",\"overlap\":\"same\","
         "\"ranges\":[0,1,2,3,4,5,6,7],\"reliable\":true,"
         "\"size\":\"0x200000\",\"uniform\":true,\"types\":[\"UC\"]}\n"},
        {{xc_type, "--json", "--size", "2M", "--context", samplefix,
          "0xfe000000"},
         "{\"gpa\":\"0xfe000000\",\"vcpu\":0,\"type\":\"UC\",\"code\":0,"
         "\"origin\":\"variable\",\"overlap\":\"none\",\"ranges\":[1],"
         "\"reliable\":true,\"size\":\"0x200000\",\"uniform\":true,"
         "\"types\":[\"UC\"]}\n"},
        {{xc_type, "--json", "--size", "512M", "--context", samplefix,
          "0xe0000000"},
         "{\"gpa\":\"0xe0000000\",\"vcpu\":0,\"type\":\"WB\",\"code\":6,"
         "\"origin\":\"default\",\"overlap\":\"none\",\"ranges\":[],"
         "\"reliable\":true,\"size\":\"0x20000000\",\"uniform\":false,"
         "\"types\":[\"UC\",\"WB\"]}\n"},
        /* Reliable at the start, unreliable further in: reliable false. */
        {{xc_type, "--json", "--size", "256M", "--context", sample417,
          "0xe8000000"},
         "{\"gpa\":\"0xe8000000\",\"vcpu\":0,\"type\":\"UC\",\"code\":0,"
         "\"origin\":\"variable\",\"overlap\":\"same\","
         "\"ranges\":[0,1,2,3,4,5,6,7],\"reliable\":false,"
         "\"size\":\"0x10000000\",\"uniform\":false,"
         "\"types\":[\"UC\",\"WB\"]}\n"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_json_ranges);
}

/* ------------------------------------------------------------------------ */
/* vCPUs and width                                                           */
/* ------------------------------------------------------------------------ */

static void test_type_vcpus(void **state)
{
    const char *differ = crafted(CTX_DIFFER);
    const struct run_case cases[] = {
        {{xc_type, "--all-vcpus", "-c", sample417, "0xa0000", "0xe8000000",
          "0xf0000000"},
         "vcpu 0 gpa 0xa0000: WC (fixed range 0xa0000-0xa3fff)\n"
         "vcpu 0 gpa 0xe8000000: UC (variable pairs 0-7, same type)\n"
         "vcpu 0 gpa 0xf0000000: WB (default type)" UNREL417 "\n"
         "vcpu 1 gpa 0xa0000: WC (fixed range 0xa0000-0xa3fff)\n"
         "vcpu 1 gpa 0xe8000000: UC (variable pairs 0-7, same type)\n"
         "vcpu 1 gpa 0xf0000000: WB (default type)" UNREL417 "\n"},
        /* vCPUs that differ show it. */
        {{xc_type, "--all-vcpus", "-c", differ, "0x100000"},
         "vcpu 0 gpa 0x100000: WB (default type)\n"
         "vcpu 1 gpa 0x100000: UC (default type)\n"},
        {{xc_type, "--vcpu", "1", "-c", sample417, "0xa0000"},
         "vcpu 1 gpa 0xa0000: WC (fixed range 0xa0000-0xa3fff)\n"},
        {{xc_type, "--vcpu", "0x1", "-c", differ, "0x100000"},
         "vcpu 1 gpa 0x100000: UC (default type)\n"},
    };
    const struct run_case errors[] = {
        {{xc_type, "--vcpu", "2", "-c", sample417, "0xa0000"}, "vCPU 2"},
        {{xc_type, "--vcpu", "65535", "-c", sample417, "0xa0000"},
         "vCPU 65535"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_ok);
    run_cases(errors, ARRAY_SIZE(errors), expect_error);
}

static void test_type_maxphysaddr(void **state)
{
    /* Inferred 36: 0xf00000000 is inside, 2^36 and beyond are not. */
    const struct run_case cases[] = {
        {{xc_type, "-c", sample417, "0xf00000000"},
         "vcpu 0 gpa 0xf00000000: WB (default type)" UNREL417 "\n"},
        {{xc_type, "--maxphysaddr", "40", "-c", sample417, "0x1000000000",
          "0xf000000000", "0xffffffffff"},
         "vcpu 0 gpa 0x1000000000: WB (default type)" UNREL417 "\n"
         "vcpu 0 gpa 0xf000000000: WB (default type)" UNREL417 "\n"
         "vcpu 0 gpa 0xffffffffff: WB (default type)" UNREL417 "\n"},
        {{xc_type, "--maxphysaddr", "52", "-c", sample417, "0xfffffffffffff"},
         "vcpu 0 gpa 0xfffffffffffff: WB (default type)" UNREL417 "\n"},
    };
    const struct run_case errors[] = {
        {{xc_type, "-c", sample417, "0xa0000", "0xf000000000"}, "0xf000000000"},
        {{xc_type, "--maxphysaddr", "40", "-c", sample417, "0x10000000000"},
         "2^40"},
        /* A width the record's masks do not fit: the record is invalid. */
        {{xc_type, "--maxphysaddr", "32", "-c", sample417, "0x1000"},
         "PHYSMASK0"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_ok);
    RUN(xc_type, "-c", sample417, "0x1000000000");
    expect_error("2^36");
    expect_err("0x1000000000");
    run_cases(errors, ARRAY_SIZE(errors), expect_error);
}

/* ------------------------------------------------------------------------ */
/* --size                                                                    */
/* ------------------------------------------------------------------------ */

static void test_type_size(void **state)
{
    const struct run_case cases[] = {
        /* Inside the PCI hole. */
        {{xc_type, "--size", "2M", "-c", samplefix, "0xe8000000", "0xf0000000"},
         "vcpu 0 range 0xe8000000+0x200000: UC, uniform (variable pair 0)\n"
         "vcpu 0 range 0xf0000000+0x200000: UC, uniform (variable pair 1)\n"},
        /* Across the hole's start. */
        {{xc_type, "--size", "512M", "-c", samplefix, "0xe0000000"},
         "vcpu 0 range 0xe0000000+0x20000000: not uniform (UC WB); at its "
         "start WB (default type)\n"},
        {{xc_type, "--size", "512M", "-c", sample417, "0xe0000000"},
         "vcpu 0 range 0xe0000000+0x20000000: not uniform (UC WB); at its "
         "start WB (default type)" UNREL417 "\n"},
        /* From pair 0 on: reliable at the start only. */
        {{xc_type, "--size", "512M", "-c", sample417, "0xe8000000"},
         "vcpu 0 range 0xe8000000+0x20000000: not uniform (UC WB); at its "
         "start UC (variable pairs 0-7, same type), unreliable further in "
         "the range\n"},
        /* Pair 1's, unseen in the Xen 4.17 record. */
        {{xc_type, "--size", "256M", "-c", sample417, "0xf0000000"},
         "vcpu 0 range 0xf0000000+0x10000000: WB, uniform (default "
         "type)" UNREL417 "\n"},
        /* K, M and G, and the same length in hex. */
        {{xc_type, "--size", "4K", "-c", samplefix, "0xa0000"},
         "vcpu 0 range 0xa0000+0x1000: WC, uniform (fixed range "
         "0xa0000-0xa3fff)\n"},
        {{xc_type, "--size", "256K", "-c", samplefix, "0x80000"},
         "vcpu 0 range 0x80000+0x40000: not uniform (WC WB); at its start "
         "WB (fixed range 0x80000-0x83fff)\n"},
        {{xc_type, "--size", "1G", "-c", samplefix, "0xc0000000",
          "0x100000000"},
         "vcpu 0 range 0xc0000000+0x40000000: not uniform (UC WB); at its "
         "start WB (default type)\n"
         "vcpu 0 range 0x100000000+0x40000000: WB, uniform (default "
         "type)\n"},
        {{xc_type, "--size", "0x200000", "-c", samplefix, "0xf0000000"},
         "vcpu 0 range 0xf0000000+0x200000: UC, uniform (variable pair 1)\n"},
        /* The whole space. */
        {{xc_type, "--size", "64G", "-c", samplefix, "0"},
         "vcpu 0 range 0x0+0x1000000000: not uniform (UC WC WB); at its "
         "start WB (fixed range 0x0-0xffff)\n"},
    };
    /* One past the whole space. */
    const struct run_case errors[] = {
        {{xc_type, "--size", "64G", "-c", samplefix, "0x1000"}, "2^36"},
        {{xc_type, "--size", "2M", "-c", samplefix, "0xfffff0000"}, "2^36"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_ok);
    run_cases(errors, ARRAY_SIZE(errors), expect_error);
}

/* ------------------------------------------------------------------------ */
/* Crafted contexts                                                          */
/* ------------------------------------------------------------------------ */

static void test_type_overlaps(void **state)
{
    const char *uc_wb = crafted(CTX_UC_WB), *wt_wb = crafted(CTX_WT_WB);
    const char *undef = crafted(CTX_UNDEFINED);
    const struct run_case cases[] = {
        {{xc_type, "-c", uc_wb, "0xc0000000", "0xd0000000", "0xe0000000"},
         "vcpu 0 gpa 0xc0000000: WB (variable pair 0)\n"
         "vcpu 0 gpa 0xd0000000: UC (variable pairs 0-1, UC by "
         "precedence)\n"
         "vcpu 0 gpa 0xe0000000: WB (variable pair 0)\n"},
        {{xc_type, "-j", "-c", uc_wb, "0xd0000000"},
         "{\"gpa\":\"0xd0000000\",\"vcpu\":0,\"type\":\"UC\",\"code\":0,"
         "\"origin\":\"variable\",\"overlap\":\"precedence\","
         "\"ranges\":[0,1],\"reliable\":true}\n"},
        {{xc_type, "-c", wt_wb, "0xd0000000", "0xdfffffff"},
         "vcpu 0 gpa 0xd0000000: WT (variable pairs 0-1, WT by "
         "precedence)\n"
         "vcpu 0 gpa 0xdfffffff: WT (variable pairs 0-1, WT by "
         "precedence)\n"},
        {{xc_type, "-j", "-c", wt_wb, "0xd0000000"},
         "{\"gpa\":\"0xd0000000\",\"vcpu\":0,\"type\":\"WT\",\"code\":4,"
         "\"origin\":\"variable\",\"overlap\":\"precedence\","
         "\"ranges\":[0,1],\"reliable\":true}\n"},
        /* WC (pair 0) + WB (pair 1): WB; WB (pair 2) + WC (pair 3): WC. */
        {{xc_type, "-c", undef, "0xc0000000", "0xc8000000", "0xd0000000",
          "0xd8000000"},
         "vcpu 0 gpa 0xc0000000: WB (variable pairs 0-1, undefined in the "
         "SDM: Xen applies pair 1)\n"
         "vcpu 0 gpa 0xc8000000: WC (variable pair 0)\n"
         "vcpu 0 gpa 0xd0000000: WC (variable pairs 2-3, undefined in the "
         "SDM: Xen applies pair 3)\n"
         "vcpu 0 gpa 0xd8000000: WB (variable pair 2)\n"},
        {{xc_type, "-j", "-c", undef, "0xc0000000", "0xd0000000"},
         "{\"gpa\":\"0xc0000000\",\"vcpu\":0,\"type\":\"WB\",\"code\":6,"
         "\"origin\":\"variable\",\"overlap\":\"undefined\","
         "\"ranges\":[0,1],\"reliable\":true}\n"
         "{\"gpa\":\"0xd0000000\",\"vcpu\":0,\"type\":\"WC\",\"code\":1,"
         "\"origin\":\"variable\",\"overlap\":\"undefined\","
         "\"ranges\":[2,3],\"reliable\":true}\n"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_ok);
}

static void test_type_enable_bits(void **state)
{
    const char *e_clear = crafted(CTX_E_CLEAR);
    const char *fe_clear = crafted(CTX_FE_CLEAR);
    const struct run_case cases[] = {
        {{xc_type, "-c", e_clear, "0", "0xa0000", "0x100000", "0xf0000000"},
         "vcpu 0 gpa 0x0: UC (MTRRs disabled)\n"
         "vcpu 0 gpa 0xa0000: UC (MTRRs disabled)\n"
         "vcpu 0 gpa 0x100000: UC (MTRRs disabled)\n"
         "vcpu 0 gpa 0xf0000000: UC (MTRRs disabled)\n"},
        {{xc_type, "-j", "-c", e_clear, "0x100000"},
         "{\"gpa\":\"0x100000\",\"vcpu\":0,\"type\":\"UC\",\"code\":0,"
         "\"origin\":\"disabled\",\"overlap\":\"none\",\"ranges\":[],"
         "\"reliable\":true}\n"},
        /* FE clear: below 1 MiB the variable pairs and default apply. */
        {{xc_type, "-c", fe_clear, "0xa0000", "0xf0000000"},
         "vcpu 0 gpa 0xa0000: WB (default type)\n"
         "vcpu 0 gpa 0xf0000000: UC (variable pair 0)\n"},
        {{xc_type, "-j", "-c", fe_clear, "0xa0000"},
         "{\"gpa\":\"0xa0000\",\"vcpu\":0,\"type\":\"WB\",\"code\":6,"
         "\"origin\":\"default\",\"overlap\":\"none\",\"ranges\":[],"
         "\"reliable\":true}\n"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_ok);
}

/* --effective on a saved context: the samples' vCPUs run with paging off
 * (CR0 0 in their CPU records), so the PAT type is WB whatever the index. */
static void test_type_effective(void **state)
{
    /* Intel, not honoured: WB with ignore-PAT, reliable (no MMIO frames
     * without I/O memory; grants and special pages are WB too). */
    RUN(xc_type, "--effective", "--pat-index", "3", "--vendor", "intel",
        "--honoured", "no", "-c", sample417, "0xe8000000");
    expect_exit(0);
    expect_line(0, "vcpu 0 gpa 0xe8000000: effective WB pat_index 3 pat_type "
                   "WB vendor intel ept_type WB ipat yes (no-cache-flush)");
    expect_out("  basis: vendor=user paging=user iommu=user cache-flush=user "
               "frame-kind=assumed? cr0.cd=record\n");

    /* Intel, honoured: the guest MTRR UC decides; uncertain frame facts
     * leave it unreliable. */
    RUN(xc_type, "--effective", "--pat-index", "0", "--vendor", "intel",
        "--honoured", "yes", "-c", samplefix, "0xe8000000");
    expect_exit(0);
    expect_out("effective UC (unreliable) pat_index 0 pat_type WB vendor "
               "intel ept_type UC ipat no (mtrr) mtrr_type UC host_mtrr WB");
    expect_out("guest-mtrr=record");

    /* AMD: no guest MTRR, the host MTRR assumed WB and flagged. */
    RUN(xc_type, "--effective", "--pat-index", "0", "--vendor", "amd",
        "--honoured", "yes", "--json", "-c", samplefix, "0xe8000000");
    expect_exit(0);
    expect_out("\"effective\":\"WB\",\"reliable\":false,\"pat_index\":0,"
               "\"pat_type\":\"WB\",\"vendor\":\"amd\",\"ept_type\":null,"
               "\"ipat\":null,\"ept_branch\":\"none\",\"mtrr_type\":null,");
    expect_out("\"npt_pat_index\":0");
    expect_out("\"unknown\":[\"frame-kind\",\"host-mtrr\"]");
    expect_no_out("guest-mtrr");

    RUN(xc_type, "--effective", "-c", sample417, "0x0");
    expect_usage("--effective needs --pat-index N");
    RUN(xc_type, "--effective", "--pat-index", "0", "-c", sample417, "0x0");
    expect_usage("--vendor intel|amd and --honoured yes|no");
    RUN(xc_type, "--effective", "--pat-index", "8", "-c", sample417, "0x0");
    expect_usage("invalid PAT index '8'");
    RUN(xc_type, "--pat-index", "1", "-c", sample417, "0x0");
    expect_usage("need --effective");
    RUN(xc_type, "--effective", "--pat-index", "1", "--vendor", "arm", "-c",
        sample417, "0x0");
    expect_usage("invalid vendor 'arm'");
    RUN(xc_type, "--effective", "--pat-index", "1", "--vendor", "amd",
        "--honoured", "maybe", "-c", sample417, "0x0");
    expect_usage("invalid --honoured 'maybe'");
    RUN(xc_type, "--effective", "--pat-index", "1", "--size", "4K", "--vendor",
        "amd", "--honoured", "no", "-c", sample417, "0x0");
    expect_usage("not ranges");
}

/* ------------------------------------------------------------------------ */
/* Real contexts of Xen 4.17 and 4.20 (32-byte LAPIC records)                */
/* ------------------------------------------------------------------------ */

static void test_type_real_contexts(void **state)
{
    const char *want =
        "vcpu 1 gpa 0xa0000: WC (fixed range 0xa0000-0xa3fff)\n"
        "vcpu 1 gpa 0x100000: WB (default type)" UNREL417 "\n"
        "vcpu 1 gpa 0xe8000000: UC (variable pairs 0-7, same type)\n"
        "vcpu 1 gpa 0xf0000000: WB (default type)" UNREL417 "\n";
    const struct run_case cases[] = {
        {{xc_type, "--vcpu", "1", "-c", real417, "0xa0000", "0x100000",
          "0xe8000000", "0xf0000000"},
         want},
        {{xc_type, "--vcpu", "1", "-c", real420, "0xa0000", "0x100000",
          "0xe8000000", "0xf0000000"},
         want},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_ok);
    RUN(xc_map, "--json", "-c", real420);
    expect_exit(0);
    expect_err_empty();
    expect_out("\"maxphysaddr\":40");
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_plain),
        cmocka_unit_test(test_type_real_contexts),
        cmocka_unit_test(test_type_json),
        cmocka_unit_test(test_type_json_size),
        cmocka_unit_test(test_type_vcpus),
        cmocka_unit_test(test_type_maxphysaddr),
        cmocka_unit_test(test_type_size),
        cmocka_unit_test(test_type_overlaps),
        cmocka_unit_test(test_type_enable_bits),
        cmocka_unit_test(test_type_effective),
    };

    if (fixtures_init(argc, argv))
        return 2;
    return cmocka_run_group_tests_name("cli-type", tests, NULL,
                                       fixtures_teardown);
}
