/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cli-map XC_MTRR_TYPE XC_MTRR_MAP DATA_DIR: xc-mtrr-map on the
 * committed samples (fixtures.h describes them) and on crafted contexts,
 * plain and --json, per vCPU and with another width.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fixtures.h"
#include "run.h"

/* ------------------------------------------------------------------------ */
/* Plain                                                                     */
/* ------------------------------------------------------------------------ */

/* clang-format off */
#define MAP_HEAD(v)                                                            \
    "vcpu " #v ": maxphysaddr 36\n"                                            \
    "  MTRRcap     0x0000000000000508: VCNT 8, FIX, WC\n"                                   \
    "  MTRRdefType 0x0000000000000c06: default WB, E=1, FE=1\n"                             \
    "  PAT         0x0007040600070406: WB WT UC- UC WB WT UC- UC\n"            \
    "  pair 0: base 0x00000000e8000000 mask 0x0000000ff8000800 = [0xe8000000, 0xf0000000) "   \
    "UC, exact\n"
#define COPY(i)                                                                \
    "  pair " #i ": base 0x00000000e8000000 mask 0x0000000ff8000800 = [0xe8000000, "          \
    "0xf0000000) UC, UNKNOWN: the save record shows a copy of pair 0 here\n"
#define UNUSED(i) "  pair " #i ": base 0x0000000000000000 mask 0x0000000000000000 not valid, exact\n"
#define MAP_LOW                                                                \
    "  fixed ranges:\n"                                                        \
    "    [0x0, 0xa0000) WB\n"                                                  \
    "    [0xa0000, 0xc0000) WC\n"                                              \
    "    [0xc0000, 0x100000) WB\n"                                             \
    "  type map:\n"                                                            \
    "    [0x0, 0xa0000) WB fixed\n"                                            \
    "    [0xa0000, 0xc0000) WC fixed\n"                                        \
    "    [0xc0000, 0x100000) WB fixed\n"

/* Xen 4.17: pair 1 is not shown, [0xf0000000, 4 GiB) looks WB. */
#define MAP_417(v)                                                             \
    MAP_HEAD(v)                                                                \
    COPY(1) COPY(2) COPY(3) COPY(4) COPY(5) COPY(6) COPY(7)                    \
    MAP_LOW                                                                    \
    "    [0x100000, 0xe8000000) WB default unreliable\n"                       \
    "    [0xe8000000, 0xf0000000) UC variable pairs 0-7 overlap same\n"        \
    "    [0xf0000000, 0x1000000000) WB default unreliable\n"

#define MAP_FIXED_XEN(v)                                                       \
    MAP_HEAD(v)                                                                \
    "  pair 1: base 0x00000000f0000000 mask 0x0000000ff0000800 = [0xf0000000, 0x100000000) "  \
    "UC, exact\n"                                                              \
    UNUSED(2) UNUSED(3) UNUSED(4) UNUSED(5) UNUSED(6) UNUSED(7)                \
    MAP_LOW                                                                    \
    "    [0x100000, 0xe8000000) WB default\n"                                  \
    "    [0xe8000000, 0xf0000000) UC variable pairs 0\n"                       \
    "    [0xf0000000, 0x100000000) UC variable pairs 1\n"                      \
    "    [0x100000000, 0x1000000000) WB default\n"
/* clang-format on */

static void test_map_plain(void **state)
{
    const struct run_case cases[] = {
        {{xc_map, "--context", sample417}, MAP_417(0)},
        {{xc_map, "-c", samplefix}, MAP_FIXED_XEN(0)},
        {{xc_map, "--all-vcpus", "-c", sample417}, MAP_417(0) MAP_417(1)},
        {{xc_map, "-a", "-c", samplefix}, MAP_FIXED_XEN(0) MAP_FIXED_XEN(1)},
        {{xc_map, "--vcpu", "1", "-c", sample417}, MAP_417(1)},
        {{xc_map, "-v", "1", "-c", samplefix}, MAP_FIXED_XEN(1)},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_ok);

    RUN(xc_map, "--vcpu", "2", "-c", samplefix);
    expect_error("vCPU 2");
}

/* Width 40: the 36-bit masks leave bits 36-39 clear, so each pair covers
 * 16 aliases, 64 GiB apart. */
static void test_map_width(void **state)
{
    RUN(xc_map, "-w", "40", "-c", samplefix);
    expect_exit(0);
    expect_err_empty();
    expect_out("vcpu 0: maxphysaddr 40\n");
    expect_out("  pair 0: base 0x00000000e8000000 mask 0x0000000ff8000800 = "
               "non-contiguous "
               "mask from 0xe8000000 UC, exact\n");
    expect_out("    [0xe8000000, 0xf0000000) UC variable pairs 0\n"
               "    [0xf0000000, 0x100000000) UC variable pairs 1\n"
               "    [0x100000000, 0x10e8000000) WB default\n");
    expect_out("    [0xf0f0000000, 0xf100000000) UC variable pairs 1\n"
               "    [0xf100000000, 0x10000000000) WB default\n");
    assert_int_equal(count(R.out, ") UC variable pairs 0\n"), 16);
    assert_int_equal(count(R.out, ") UC variable pairs 1\n"), 16);
}

static void test_map_crafted(void **state)
{
    RUN(xc_map, "-c", crafted(CTX_E_CLEAR));
    expect_exit(0);
    expect_out("  MTRRdefType 0x0000000000000406: default WB, E=0, FE=1 (MTRRs "
               "disabled: "
               "all UC)\n");
    expect_out("  type map:\n    [0x0, 0x1000000000) UC disabled\n");
    assert_int_equal(count(R.out, "UNKNOWN"), 7);
    expect_no_out("unreliable");

    RUN(xc_map, "-c", crafted(CTX_FE_CLEAR));
    expect_exit(0);
    expect_out("  MTRRdefType 0x0000000000000806: default WB, E=1, FE=0\n");
    expect_out("  fixed ranges (not in effect: FE=0):\n");
    expect_out("  type map:\n"
               "    [0x0, 0xf0000000) WB default\n"
               "    [0xf0000000, 0x100000000) UC variable pairs 0\n"
               "    [0x100000000, 0x1000000000) WB default\n");

    RUN(xc_map, "-c", crafted(CTX_UC_WB));
    expect_exit(0);
    expect_out("    [0xc0000000, 0xd0000000) WB variable pairs 0\n"
               "    [0xd0000000, 0xe0000000) UC variable pairs 0-1 overlap "
               "precedence\n"
               "    [0xe0000000, 0x100000000) WB variable pairs 0\n");

    RUN(xc_map, "-c", crafted(CTX_UNDEFINED));
    expect_exit(0);
    expect_out("    [0xc0000000, 0xc8000000) WB variable pairs 0-1 overlap "
               "undefined\n"
               "    [0xc8000000, 0xd0000000) WC variable pairs 0\n"
               "    [0xd0000000, 0xd8000000) WC variable pairs 2-3 overlap "
               "undefined\n"
               "    [0xd8000000, 0xe0000000) WB variable pairs 2\n");
}

/* ------------------------------------------------------------------------ */
/* --json                                                                    */
/* ------------------------------------------------------------------------ */

/* clang-format off */
#define JSON_REGS(v, pairs)                                                    \
    "{\"kind\":\"registers\",\"vcpu\":" #v ",\"maxphysaddr\":36,"              \
    "\"mtrrcap\":\"0x0000000000000508\",\"vcnt\":8,\"fix\":true,\"wc\":true,"               \
    "\"def_type\":\"0x0000000000000c06\",\"default_type\":\"WB\",\"enabled\":true,"         \
    "\"fixed_enabled\":true,\"pat\":\"0x0007040600070406\",\"pairs\":["          \
    pairs                                                                      \
    "],\"fixed\":[{\"start\":\"0x0\",\"end\":\"0xa0000\",\"type\":\"WB\"},"   \
    "{\"start\":\"0xa0000\",\"end\":\"0xc0000\",\"type\":\"WC\"},"             \
    "{\"start\":\"0xc0000\",\"end\":\"0x100000\",\"type\":\"WB\"}]}\n"
#define JSON_PAIR(i, base, start, mask, valid, size, exact)                    \
    "{\"index\":" #i ",\"base\":\"" base "\",\"mask\":\"" mask "\","         \
    "\"valid\":" #valid ",\"type\":\"UC\",\"start\":\"" start "\","             \
    "\"contiguous\":true,\"size\":\"" size "\",\"exact\":" #exact "}"
#define JSON_PAIR0(i, exact)                                                   \
    JSON_PAIR(i, "0x00000000e8000000", "0xe8000000", "0x0000000ff8000800",   \
              true, "0x8000000", exact)
#define JSON_UNUSED(i)                                                         \
    JSON_PAIR(i, "0x0000000000000000", "0x0", "0x0000000000000000", false,   \
              "0x1000000000", true)
#define JSON_RANGE(v, start, end, type, code, origin, overlap, ranges, rel)    \
    "{\"kind\":\"range\",\"vcpu\":" #v ",\"start\":\"" start "\","           \
    "\"end\":\"" end "\",\"type\":\"" type "\",\"code\":" #code ","            \
    "\"origin\":\"" origin "\",\"overlap\":\"" overlap "\","                  \
    "\"ranges\":[" ranges "],\"reliable\":" #rel "}\n"
/* The ranges below 1 MiB, the same in both samples. */
#define JSON_LOW(v)                                                            \
    JSON_RANGE(v, "0x0", "0xa0000", "WB", 6, "fixed", "none", "", true)        \
    JSON_RANGE(v, "0xa0000", "0xc0000", "WC", 1, "fixed", "none", "", true)    \
    JSON_RANGE(v, "0xc0000", "0x100000", "WB", 6, "fixed", "none", "", true)

#define JSON_417(v)                                                            \
    JSON_REGS(v, JSON_PAIR0(0, true) "," JSON_PAIR0(1, false) ","              \
                 JSON_PAIR0(2, false) "," JSON_PAIR0(3, false) ","             \
                 JSON_PAIR0(4, false) "," JSON_PAIR0(5, false) ","             \
                 JSON_PAIR0(6, false) "," JSON_PAIR0(7, false))                \
    JSON_LOW(v)                                                                \
    JSON_RANGE(v, "0x100000", "0xe8000000", "WB", 6, "default", "none", "",    \
               false)                                                          \
    JSON_RANGE(v, "0xe8000000", "0xf0000000", "UC", 0, "variable", "same",     \
               "0,1,2,3,4,5,6,7", true)                                        \
    JSON_RANGE(v, "0xf0000000", "0x1000000000", "WB", 6, "default", "none",   \
               "", false)

#define JSON_FIXED_XEN(v)                                                      \
    JSON_REGS(v, JSON_PAIR0(0, true) ","                                       \
                 JSON_PAIR(1, "0x00000000f0000000", "0xf0000000",              \
                           "0x0000000ff0000800", true, "0x10000000", true) "," \
                 JSON_UNUSED(2) "," JSON_UNUSED(3) "," JSON_UNUSED(4) ","      \
                 JSON_UNUSED(5) "," JSON_UNUSED(6) "," JSON_UNUSED(7))         \
    JSON_LOW(v)                                                                \
    JSON_RANGE(v, "0x100000", "0xe8000000", "WB", 6, "default", "none", "",    \
               true)                                                           \
    JSON_RANGE(v, "0xe8000000", "0xf0000000", "UC", 0, "variable", "none",     \
               "0", true)                                                      \
    JSON_RANGE(v, "0xf0000000", "0x100000000", "UC", 0, "variable", "none",    \
               "1", true)                                                      \
    JSON_RANGE(v, "0x100000000", "0x1000000000", "WB", 6, "default", "none",  \
               "", true)
/* clang-format on */

static void test_map_json(void **state)
{
    const struct run_case cases[] = {
        {{xc_map, "--json", "-c", samplefix}, JSON_FIXED_XEN(0)},
        {{xc_map, "-j", "-a", "-c", samplefix},
         JSON_FIXED_XEN(0) JSON_FIXED_XEN(1)},
        {{xc_map, "-j", "-c", sample417}, JSON_417(0)},
        {{xc_map, "-j", "-a", "-c", sample417}, JSON_417(0) JSON_417(1)},
        {{xc_map, "-j", "--vcpu", "1", "-c", sample417}, JSON_417(1)},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_ok);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_plain),
        cmocka_unit_test(test_map_width),
        cmocka_unit_test(test_map_crafted),
        cmocka_unit_test(test_map_json),
    };

    if (fixtures_init(argc, argv))
        return 2;
    return cmocka_run_group_tests_name("cli-map", tests, NULL,
                                       fixtures_teardown);
}
