/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * test-cli-audit XC_MTRR_AUDIT XC_MTRR_TYPE XC_MTRR_MAP DATA_DIR: the built
 * xc-mtrr-audit on the committed samples and on crafted contexts, write
 * logs and libxl configurations: plain and JSON Lines output, --severity,
 * --context, --replay, --config, the exit statuses (0, 1, 2, 3).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "run.h"

static const char *xc_audit;

#define NO_FACTS                                                               \
    "an offline audit has no Xen facts (give the domain's libxl "              \
    "configuration with --config FILE)."

/* The configuration of the samples' guest: 1 GiB, mmio_hole 384 MiB. */
static const char sample_cfg[] =
    "{\"c_info\": {\"type\": \"hvm\", \"name\": \"sample\"},\n"
    " \"b_info\": {\"max_memkb\": 1048576, \"video_memkb\": 0,\n"
    "  \"type.hvm\": {\"mmio_hole_memkb\": 393216}}}\n";

/* A 4 GiB guest with a passthrough device and the default hole: the PCI
 * hole's first UC pair (from 0xe8000000) covers its RAM. */
static const char pt_cfg[] =
    "{\"c_info\": {\"type\": \"hvm\", \"name\": \"pt\"},\n"
    " \"b_info\": {\"max_memkb\": 4194304, \"video_memkb\": 0},\n"
    " \"pcidevs\": [{\"dev\": 2}]}\n";

/* Line @n of stdout starts with @want. */
static void expect_line_start(unsigned int n, const char *want)
{
    char line[4096];

    out_line(n, line, sizeof(line));
    if (strncmp(line, want, strlen(want)))
        fail_msg("%s: line %u is '%s', want it to start with '%s'", R.cmd, n,
                 line, want);
}

/* Objects and arrays balance outside strings; the line is one object. */
static bool json_shaped(const char *l)
{
    int depth = 0;
    bool in_string = false;

    if (l[0] != '{')
        return false;
    for (; *l; l++) {
        if (in_string) {
            if (*l == '\\' && l[1])
                l++;
            else if (*l == '"')
                in_string = false;
            continue;
        }
        if (*l == '"')
            in_string = true;
        else if (*l == '{' || *l == '[')
            depth++;
        else if ((*l == '}' || *l == ']') && --depth < 0)
            return false;
        if (!depth && l[1])
            return false;
    }
    return !depth && !in_string;
}

/* Every stdout line is a JSON object; the last is the summary. */
static void expect_json_lines(unsigned int findings, const char *summary)
{
    char line[8192];
    unsigned int n = lines(R.out);

    assert_int_equal(n, findings + 1);
    for (unsigned int i = 0; i < n; i++) {
        out_line(i, line, sizeof(line));
        if (!json_shaped(line))
            fail_msg("%s: line %u is no JSON object: %s", R.cmd, i, line);
        if (i + 1 < n) {
            static const char *const members[] = {
                "{\"kind\":\"finding\",\"domid\":null,\"context\":\"",
                "\"id\":\"MTRR0",
                "\",\"severity\":\"",
                "\",\"reliable\":",
                ",\"vcpus\":[",
                "],\"pairs\":[",
                "],\"ranges\":[",
                "],\"ranges_omitted\":",
                ",\"text\":\"",
            };

            for (size_t m = 0; m < ARRAY_SIZE(members); m++)
                if (!strstr(line, members[m]))
                    fail_msg("%s: line %u lacks %s: %s", R.cmd, i, members[m],
                             line);
        } else if (!strstr(line, summary)) {
            fail_msg("%s: summary '%s' lacks '%s'", R.cmd, line, summary);
        }
    }
}

/* ------------------------------------------------------------------------ */

/* A clean context audited offline: what cannot be determined is info, and
 * the exit status 0. */
static void test_samples_plain(void **state)
{
    char head[512];

    RUN(xc_audit, "--context", samplefix);
    expect_exit(0);
    expect_err_empty();
    assert_int_equal(lines(R.out), 7);
    snprintf(head, sizeof(head),
             "context %s: 2 vCPUs audited: 0 errors, 0 warnings, 3 info",
             samplefix);
    expect_line(0, head);
    expect_line_start(1, "  info    MTRR007-fixed-large-page (vCPUs 0-1): The "
                         "first 2 MiB, which a guest may map with one large "
                         "page (as the first 1 GiB), hold fixed ranges of the "
                         "types WC, WB");
    expect_line(2, "    [0x0, 0xa0000) WB");
    expect_line(3, "    [0xa0000, 0xc0000) WC");
    expect_line(4, "    [0xc0000, 0x200000) WB");
    expect_line(5, "  info    MTRR008-honour-types (vCPUs 0-1): Whether Xen "
                   "honours this guest's MTRR types cannot be determined "
                   "(only domains with passthrough devices, I/O memory or I/O "
                   "ports get their types honoured): an offline audit has no "
                   "Xen facts (give the domain's libxl configuration with "
                   "--config FILE); the host's vendor is not known (no "
                   "--vendor): on Intel hosts Xen honours them only for such "
                   "domains, mapping the RAM of others WB with ignore-PAT; on "
                   "AMD hosts Xen never uses guest MTRR types and the guest "
                   "PAT is always live.");
    expect_line(6,
                "  info    MTRR009-layout-unknown (vCPUs 0-1): The guest's "
                "memory layout cannot be known, so RAM covered by UC or WC "
                "and device memory covered by WB were not checked: " NO_FACTS);
}

static void test_severity(void **state)
{
    char head[512];

    snprintf(head, sizeof(head),
             "context %s: 2 vCPUs audited: 0 errors, 0 warnings, 4 info\n",
             sample417);
    /* The counts cover every finding; the exit status what is shown. */
    RUN(xc_audit, "--severity", "error", "-c", sample417);
    expect_exit(0);
    expect_out_equal(head);
    RUN(xc_audit, "--severity", "warning", "-c", sample417);
    expect_exit(0);
    expect_out_equal(head);
    RUN(xc_audit, "--severity", "info", "-c", sample417);
    expect_exit(0);
    expect_out("  info    MTRR008-honour-types");
    expect_out("  info    MTRR004-unknown-pairs (vCPUs 0-1, pairs 1-7): "
               "Variable pairs 1-7 cannot be known");
    expect_out("  info    MTRR009-layout-unknown (vCPUs 0-1): The guest's "
               "memory layout cannot be known");
    /* A warning filtered out does not count for the exit status. */
    RUN(xc_audit, "--severity", "error", "-c", crafted(CTX_E_CLEAR));
    expect_exit(0);
    RUN(xc_audit, "-c", crafted(CTX_E_CLEAR));
    expect_exit(3);
    expect_out("  warning MTRR003-mtrr-disabled (vCPU 0): MTRRdefType "
               "0x0000000000000406 "
               "has E clear: the MTRRs are disabled and all memory is UC to "
               "the guest in this context.\n    [0x0, 0x1000000000) UC\n");
}

static void test_json(void **state)
{
    RUN(xc_audit, "--json", "-c", sample417);
    expect_exit(0);
    expect_err_empty();
    expect_json_lines(4, "{\"kind\":\"summary\",\"domid\":null,\"context\":\"");
    expect_out("\",\"xen_version\":null,\"status\":\"audited\",\"vcpus\":2,"
               "\"errors\":0,\"warnings\":0,\"info\":4}\n");
    expect_out("\"id\":\"MTRR008-honour-types\",\"severity\":\"info\","
               "\"reliable\":true,\"vcpus\":[0,1],\"pairs\":[],\"ranges\":[],"
               "\"ranges_omitted\":0,\"honoured\":null,\"vendor\":"
               "\"unknown\",\"text\":\"Whether");
    expect_out("\"id\":\"MTRR004-unknown-pairs\",\"severity\":\"info\","
               "\"reliable\":true,\"vcpus\":[0,1],\"pairs\":[1,2,3,4,5,6,7],");
    expect_out("\"ranges\":[{\"start\":\"0x0\",\"end\":\"0xa0000\",\"type\":"
               "\"WB\"},{\"start\":\"0xa0000\",\"end\":\"0xc0000\",\"type\":"
               "\"WC\"},{\"start\":\"0xc0000\",\"end\":\"0x200000\",\"type\":"
               "\"WB\"}]");
    expect_line_start(0, "{\"kind\":\"finding\",\"domid\":null,\"context\":\"");

    /* --severity filters findings, never the summary. */
    RUN(xc_audit, "-j", "--severity", "warning", "-c", sample417);
    expect_exit(0);
    expect_json_lines(0, "\"warnings\":0,\"info\":4}");

    /* vCPU lists and the registers of a mismatch. */
    RUN(xc_audit, "--json", "-c", crafted(CTX_DIFFER));
    expect_exit(3);
    expect_out("\"id\":\"MTRR001-vcpu-mismatch\",\"severity\":\"error\","
               "\"reliable\":true,\"vcpus\":[0,1],\"pairs\":[],\"ranges\":[{"
               "\"start\":\"0x100000\",\"end\":\"0xf0000000\",\"type\":\"UC\","
               "\"vcpu0_type\":\"WB\"},{\"start\":\"0x100000000\",\"end\":"
               "\"0x1000000000\",\"type\":\"UC\",\"vcpu0_type\":\"WB\"}],"
               "\"ranges_omitted\":0,\"registers\":[\"MTRRdefType\"],");
    expect_out("\"errors\":1,");
}

static void test_findings_crafted(void **state)
{
    RUN(xc_audit, "-c", crafted(CTX_DIFFER));
    expect_exit(3);
    expect_line_start(1, "  error   MTRR001-vcpu-mismatch (vCPUs 0-1): vCPU 1 "
                         "differs from vCPU 0 in MTRRdefType; the SDM requires "
                         "identical MTRRs on all processors");
    expect_line(2, "    [0x100000, 0xf0000000) UC (vCPU 0: WB)");

    RUN(xc_audit, "-c", crafted(CTX_UNDEFINED));
    expect_exit(3);
    assert_int_equal(count(R.out, "  warning MTRR002-undefined-overlap"), 2);
    expect_out("  warning MTRR002-undefined-overlap (vCPU 0, pairs 0-1): Over "
               "[0xc0000000, 0xc8000000) pairs 0 (WC) and 1 (WB) overlap, a "
               "combination the SDM leaves undefined; Xen applies the type of "
               "the highest matching pair, pair 1's WB");
    expect_out("pairs 2 (WB) and 3 (WC) overlap");

    /* Precedence is defined: no finding. */
    RUN(xc_audit, "-c", crafted(CTX_UC_WB));
    expect_no_out("MTRR002");
    RUN(xc_audit, "-c", crafted(CTX_WT_WB));
    expect_no_out("MTRR002");
}

static void test_config(void **state)
{
    const char *cfg = temp_file("sample.json", sample_cfg);
    const char *pt = temp_file("pt.json", pt_cfg);
    char want[1024];

    /* The fixed-Xen sample with its configuration: info only. */
    RUN(xc_audit, "--config", cfg, "-c", samplefix);
    expect_exit(0);
    expect_err_empty();
    snprintf(want, sizeof(want),
             "context %s (sample): 2 vCPUs audited: 0 errors, 0 warnings, "
             "2 info",
             samplefix);
    expect_line(0, want);
    snprintf(want, sizeof(want),
             "  info    MTRR008-honour-types (vCPUs 0-1): Xen ignores this "
             "guest's MTRR types and PAT for its RAM, which it maps WB (only "
             "domains with passthrough devices, I/O memory or I/O ports get "
             "their types honoured): the libxl configuration %s has no "
             "pcidevs, iomem or ioports; the host's vendor is not known (no "
             "--vendor): on Intel hosts EPT maps the RAM WB with ignore-PAT, "
             "so the guest's MTRRs and PAT change nothing there; on AMD "
             "hosts Xen never uses guest MTRR types and the guest PAT is "
             "always live.",
             cfg);
    expect_out(want);

    RUN(xc_audit, "--json", "--config", cfg, "-c", samplefix);
    expect_exit(0);
    snprintf(want, sizeof(want),
             "\"honoured\":false,\"vendor\":\"unknown\","
             "\"source\":\"%s\"",
             cfg);
    expect_out(want);
    expect_out("\"context\":\"");
    expect_out("\"name\":\"sample\"");

    /* On 4.17 the hole's second pair is unknown: WB above the first,
     * unreliably. */
    RUN(xc_audit, "--config", cfg, "-c", sample417);
    expect_exit(0);
    expect_out("  info    MTRR011-mmio-wb (vCPUs 0-1, unreliable): The PCI "
               "hole [0xe8000000, 0xfc000000) has MTRR type WB in the ranges "
               "listed, though it holds device memory;");
    expect_out("    [0xf0000000, 0xfc000000) WB\n");

    /* Xen honours the types of a guest with a passthrough device. */
    RUN(xc_audit, "--config", pt, "-c", sample417);
    expect_exit(3);
    expect_line_start(1, "  warning MTRR010-ram-uncached (vCPUs 0-1): RAM "
                         "[0xc0000, 0xf0000000) has MTRR type UC or WC in "
                         "the ranges listed; Xen honours this guest's types, "
                         "so that RAM runs uncached or write-combined "
                         "(layout: the libxl configuration");
    expect_line(2, "    [0xe8000000, 0xf0000000) UC");
    expect_out("has pcidevs (1 device); the host's vendor is not known");

    /* On AMD the guest's types are never used: MTRR008 says so and
     * MTRR010 is only info. */
    RUN(xc_audit, "--vendor", "amd", "--config", pt, "-c", sample417);
    expect_exit(0);
    expect_out("  info    MTRR008-honour-types (vCPUs 0-1): On this AMD host "
               "(NPT, --vendor) Xen never uses this guest's MTRR types");
    expect_out("  info    MTRR010-ram-uncached");
    RUN(xc_audit, "--vendor", "amd", "--json", "-c", sample417);
    expect_out("\"honoured\":false,\"vendor\":\"amd\"");
    RUN(xc_audit, "--vendor", "intel", "--config", pt, "-c", sample417);
    expect_out("on this Intel host (--vendor) the EPT type is the guest MTRR "
               "type combined with the host's, ignore-PAT clear, so the guest "
               "PAT is live");
    RUN(xc_audit, "--vendor", "arm", "-c", sample417);
    expect_exit(2);

    /* A configuration named on the command line must be readable. */
    RUN(xc_audit, "--config", "/nonexistent/guest.json", "-c", samplefix);
    expect_error("/nonexistent/guest.json: No such file or directory");
    RUN(xc_audit, "--config", temp_file("bad.json", "{\"c_info\": [}"), "-c",
        samplefix);
    expect_error("bad.json: not a libxl domain configuration: unexpected "
                 "character at byte 12");
    RUN(xc_audit, "--config", crafted(CTX_DIR), "-c", samplefix);
    expect_error("not a regular file");
}

static void test_replay(void **state)
{
    /* hvmloader's second UC pair of the PCI hole, on both vCPUs. */
    const char *log =
        temp_file("pair1.log",
                  "{\"vcpu\":0,\"msr\":\"0x202\",\"value\":\"0xf0000000\"}\n"
                  "{\"vcpu\":0,\"msr\":\"0x203\",\"value\":\"0xff0000800\"}\n"
                  "{\"vcpu\":1,\"msr\":\"0x202\",\"value\":\"0xf0000000\"}\n"
                  "{\"vcpu\":1,\"msr\":\"0x203\",\"value\":\"0xff0000800\"}\n");
    const char *cfg = temp_file("sample.json", sample_cfg);

    /* From the guest's start: every pair exact, no MMIO hole WB. A log
     * without a header needs the width. */
    RUN(xc_audit, "--config", cfg, "-c", sample417, "--replay", log);
    expect_error("give --maxphysaddr BITS");
    RUN(xc_audit, "--config", cfg, "-c", sample417, "--replay", log, "-w",
        "36");
    expect_exit(0);
    expect_err_empty();
    expect_no_out("MTRR004");
    expect_no_out("MTRR011");
    /* A log begun later: pairs 2-7 still unknown. */
    RUN(xc_audit, "-c", sample417, "-r", log, "--replay-partial", "-w", "36");
    expect_exit(0);
    expect_out("  info    MTRR004-unknown-pairs (vCPUs 0-1, pairs 2-7): "
               "Variable pairs 2-7 cannot be known");
    RUN(xc_audit, "-c", sample417, "-r", "/nonexistent.log");
    expect_error("/nonexistent.log");
}

static void test_usage(void **state)
{
    const char *ctx = samplefix;
    const struct run_case cases[] = {
        {{xc_audit, "--bogus"}, "unknown option"},
        {{xc_audit, "--severity", "fatal", "-c", ctx},
         "invalid severity 'fatal' (error, warning or info)"},
        {{xc_audit, "--severity"}, NULL},
        {{xc_audit, "-c", ctx, "5"}, "unexpected operand '5' with --context"},
        {{xc_audit, "--replay", "x.log"},
         "--replay and --replay-partial need --context FILE"},
        {{xc_audit, "-c", ctx, "--replay-partial"},
         "--replay-partial needs --replay LOG"},
        {{xc_audit, "--config", "x.json"},
         "--config needs --context FILE or exactly one DOMID"},
        {{xc_audit, "--config", "x.json", "1", "2"},
         "--config needs --context FILE or exactly one DOMID"},
        {{xc_audit, ""}, "empty DOMID"},
        {{xc_audit, "1", "32752"}, "invalid DOMID '32752'"},
        {{xc_audit, "-w", "99", "-c", ctx}, "invalid maxphysaddr '99'"},
        {{xc_audit, "--vcpu", "1", "-c", ctx},
         "--vcpu and --all-vcpus do not apply: every vCPU is audited"},
        {{xc_audit, "-a", "-c", ctx}, "--vcpu and --all-vcpus do not apply"},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_usage);

    RUN(xc_audit, "--help");
    expect_exit(0);
    expect_out("Usage: xc-mtrr-audit [options] [DOMID...]");
    expect_out("Exit status: 0 no finding at or above warning, 3 findings, "
               "1 error, 2 usage.");
    RUN(xc_audit, "-V");
    expect_version("xc-mtrr-audit " XCX_TEST_VERSION, XCX_TEST_XEN);
}

static void test_errors(void **state)
{
    const struct run_case cases[] = {
        {{xc_audit, "-c", crafted(CTX_MISSING)}, "No such file or directory"},
        {{xc_audit, "-c", crafted(CTX_JUNK)}, "not a valid HVM context"},
        {{xc_audit, "-c", crafted(CTX_TRUNCATED)}, "not a valid HVM context"},
        {{xc_audit, "-c", crafted(CTX_DIR)}, "not a regular file"},
    };
    const struct run_case live[] = {
        {{xc_audit}},
        {{xc_audit, "--json", "0", "1"}},
        {{xc_audit, "--severity", "error", "7"}},
    };

    run_cases(cases, ARRAY_SIZE(cases), expect_error);
    run_cases_without_xen(live, ARRAY_SIZE(live));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples_plain),
        cmocka_unit_test(test_severity),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_findings_crafted),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_replay),
        cmocka_unit_test(test_usage),
        cmocka_unit_test(test_errors),
    };

    if (argc != 5) {
        fprintf(stderr,
                "usage: %s XC_MTRR_AUDIT XC_MTRR_TYPE XC_MTRR_MAP "
                "DATA_DIR\n",
                argv[0]);
        return 2;
    }
    /* The rest are what every CLI test takes (fixtures.h). */
    xc_audit = argv[1];
    argv[1] = argv[0];
    if (fixtures_init(argc - 1, argv + 1))
        return 2;
    return cmocka_run_group_tests_name("cli-audit", tests, NULL,
                                       fixtures_teardown);
}
