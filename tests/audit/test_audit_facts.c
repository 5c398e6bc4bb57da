/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What xc-mtrr-audit knows of a guest besides its records: the JSON reader
 * (tools/shared/json_walk.c), libxl's saved configuration
 * (tools/shared/audit_config.c) and the facts it gives: whether Xen honours the
 * guest's types, its memory layout as libxl__build_hvm() makes it, the userdata
 * file's name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "audit_config.h"
#include "json_walk.h"

/* ------------------------------------------------------------------------ */
/* The JSON reader                                                           */
/* ------------------------------------------------------------------------ */

struct seen {
    char log[4096];
};

static void record(void *arg, const char *path, const struct json_value *v)
{
    static const char *const kinds[] = {"null",   "false",  "true", "number",
                                        "string", "object", "array"};
    struct seen *s = arg;
    size_t used = strlen(s->log);

    snprintf(s->log + used, sizeof(s->log) - used, "%s=%s%s%s;", path,
             kinds[v->kind], v->text ? ":" : "", v->text ? v->text : "");
}

static int walk(const char *doc, struct seen *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    return json_walk(doc, strlen(doc), record, s, err, errlen);
}

static void test_json_paths(void **unused)
{
    struct seen s;
    char err[128];

    assert_int_equal(walk(" {\"a\": {\"b.c\": [1, -2.5e3, \"x\\\"y\"],"
                          " \"d\": null}, \"e\": [true, false, {}, []]} ",
                          &s, err, sizeof(err)),
                     0);
    assert_string_equal(s.log, "=object;a=object;a/b.c=array;a/b.c/0=number:1;"
                               "a/b.c/1=number:-2.5e3;a/b.c/2=string:x\"y;"
                               "a/d=null;e=array;e/0=true;e/1=false;e/2=object;"
                               "e/3=array;");
    /* Escapes: \u below 0x80 decoded, above it '?'; \/ \n \t. */
    assert_int_equal(
        walk("[\"\\u0041\\u00e9\\/\\n\\t\"]", &s, err, sizeof(err)), 0);
    assert_string_equal(s.log, "=array;0=string:A?/\n\t;");
    /* A bare scalar is a document too. */
    assert_int_equal(walk("42", &s, err, sizeof(err)), 0);
    assert_string_equal(s.log, "=number:42;");
}

static void test_json_errors(void **unused)
{
    static const struct {
        const char *doc, *err;
    } bad[] = {
        {"", "unexpected end at byte 0"},
        {"{", "expected a member name at byte 1"},
        {"{\"a\" 1}", "expected ':' at byte 5"},
        {"{\"a\":1,}", "expected a member name at byte 7"},
        {"[1 2]", "expected ',' or ']' at byte 3"},
        {"[01]", "expected ',' or ']' at byte 2"},
        {"[1.]", "bad number at byte 3"},
        {"[-]", "bad number at byte 2"},
        {"[tru]", "unexpected character at byte 1"},
        {"[\"a]", "unterminated string at byte 4"},
        {"[\"\\x\"]", "bad escape at byte 3"},
        {"[\"\\u12g4\"]", "bad \\u escape at byte 6"},
        {"[\"a\nb\"]", "control character in a string at byte 4"},
        {"{} x", "trailing data at byte 3"},
        {"'a'", "unexpected character at byte 0"},
    };
    struct seen s;
    char err[128], deep[200];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        if (walk(bad[i].doc, &s, err, sizeof(err)) != -1 ||
            strcmp(err, bad[i].err))
            fail_msg("'%s': got '%s', want '%s'", bad[i].doc, err, bad[i].err);
    }
    /* 64 levels are fine, 65 are not. */
    memset(deep, '[', 64);
    memset(deep + 64, ']', 64);
    deep[128] = '\0';
    assert_int_equal(walk(deep, &s, err, sizeof(err)), 0);
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    deep[130] = '\0';
    assert_int_equal(walk(deep, &s, err, sizeof(err)), -1);
    assert_string_equal(err, "nesting too deep at byte 64");
    /* Numbers past 63 characters are refused, not cut. */
    memset(deep, '1', 70);
    deep[70] = '\0';
    assert_int_equal(walk(deep, &s, err, sizeof(err)), -1);
    assert_string_equal(err, "number too long at byte 70");
}

/* ------------------------------------------------------------------------ */
/* libxl's configuration                                                     */
/* ------------------------------------------------------------------------ */

/* As libxl_domain_config_to_json() writes it (defaults left out). */
static const char hvm_json[] =
    "{\n"
    "    \"c_info\": {\n"
    "        \"type\": \"hvm\",\n"
    "        \"name\": \"hvm\",\n"
    "        \"uuid\": \"5d1ab3a3-0d2b-4b6c-8b7e-4a8d0e2a9c11\"\n"
    "    },\n"
    "    \"b_info\": {\n"
    "        \"max_vcpus\": 2,\n"
    "        \"max_memkb\": 65536,\n"
    "        \"target_memkb\": 65536,\n"
    "        \"video_memkb\": 0,\n"
    "        \"sched_params\": {\n\n        },\n"
    "        \"device_model_version\": \"qemu_xen\",\n"
    "        \"type.hvm\": {\n"
    "            \"mmio_hole_memkb\": 393216,\n"
    "            \"vga\": {\n                \"kind\": \"none\"\n            "
    "},\n"
    "            \"vnc\": {\n\n            }\n"
    "        },\n"
    "        \"arch_x86\": {\n\n        }\n"
    "    },\n"
    "    \"on_reboot\": \"destroy\"\n"
    "}\n";

static void parse(const char *doc, struct libxl_config *c)
{
    char err[160];

    if (libxl_config_parse(doc, strlen(doc), c, err, sizeof(err)))
        fail_msg("not parsed: %s", err);
}

static void test_config_parse(void **unused)
{
    struct libxl_config c;
    char err[160];

    parse(hvm_json, &c);
    assert_string_equal(c.type, "hvm");
    assert_string_equal(c.name, "hvm");
    assert_true(c.has_max_memkb);
    assert_int_equal(c.max_memkb, 65536);
    assert_true(c.has_video_memkb);
    assert_int_equal(c.video_memkb, 0);
    assert_int_equal(c.mmio_hole_memkb, 393216);
    assert_string_equal(c.vga_kind, "none");
    assert_string_equal(c.dm_version, "qemu_xen");
    assert_int_equal(c.pcidevs + c.iomem + c.ioports + c.dtdevs, 0);

    parse("{\"c_info\":{\"type\":\"pvh\",\"passthrough\":\"sync_pt\"},"
          "\"b_info\":{\"iomem\":[{\"start\":1},{\"start\":2}],"
          "\"ioports\":[{\"first\":1}],\"irqs\":[1,2,3]},"
          "\"pcidevs\":[{\"dev\":1},{\"dev\":2},{\"dev\":3}],"
          "\"dtdevs\":[{}],\"x\":{\"pcidevs\":[1]}}",
          &c);
    assert_string_equal(c.passthrough, "sync_pt");
    assert_false(c.has_max_memkb);
    assert_int_equal(c.iomem, 2);
    assert_int_equal(c.ioports, 1);
    assert_int_equal(c.pcidevs, 3);
    assert_int_equal(c.dtdevs, 1);

    assert_int_equal(libxl_config_parse("[1]", 3, &c, err, sizeof(err)), -1);
    assert_string_equal(err, "not a JSON object");
    assert_int_equal(libxl_config_parse("{\"b_info\":{\"max_memkb\":\"64\"}}",
                                        30, &c, err, sizeof(err)),
                     -1);
    assert_string_equal(err, "b_info/max_memkb is not a whole number");
    assert_int_equal(libxl_config_parse("{\"b_info\":{\"max_memkb\":-1}}", 27,
                                        &c, err, sizeof(err)),
                     -1);
    assert_string_equal(err, "b_info/max_memkb is not a whole number");
    assert_int_equal(libxl_config_parse("{\"c_info\":{\"type\":7}}", 21, &c,
                                        err, sizeof(err)),
                     -1);
    assert_string_equal(err, "c_info/type is not a string");
    assert_int_equal(
        libxl_config_parse("{\"c_info\":", 10, &c, err, sizeof(err)), -1);
    assert_string_equal(err, "unexpected end at byte 10");
}

static void expect_area(const struct audit_area *a, uint64_t start,
                        uint64_t end, const char *what)
{
    assert_int_equal(a->start, start);
    assert_int_equal(a->end, end);
    assert_string_equal(a->what, what);
}

static void test_facts_hvm(void **unused)
{
    struct libxl_config c;
    struct audit_facts fx;

    /* 64 MiB, mmio_hole 384 MiB: the e2e HVM guest. */
    parse(hvm_json, &c);
    audit_facts_from_config(&fx, &c, LIBXL_SAVED, "/d/u.json");
    assert_string_equal(fx.source, "libxl's saved configuration /d/u.json");
    assert_string_equal(fx.source_file, "/d/u.json");
    assert_int_equal(fx.honour, HONOUR_NO);
    assert_string_equal(fx.honour_why, "no pcidevs, iomem or ioports");
    assert_true(fx.layout_known);
    assert_int_equal(fx.nr_ram, 2);
    expect_area(&fx.ram[0], 0, 0xa0000, "RAM");
    expect_area(&fx.ram[1], 0xc0000, 0x4000000, "RAM");
    assert_int_equal(fx.nr_mmio, 2);
    expect_area(&fx.mmio[0], 0xa0000, 0xc0000, "The legacy VGA hole");
    expect_area(&fx.mmio[1], 0xe8000000, 0xfc000000, "The PCI hole");
    assert_string_equal(fx.layout_why,
                        "libxl's saved configuration /d/u.json gives 64 MiB "
                        "of RAM (max_memkb 65536 less video_memkb 0), laid "
                        "out by libxl around its 384 MiB MMIO hole below "
                        "4 GiB; hvmloader places PCI BARs below 0xfc000000");

    /* 6 GiB, no video_memkb (cirrus: libxl's default 8 MiB), default
     * hole: RAM up to 0xf0000000, the rest from 4 GiB. */
    c = (struct libxl_config){
        .type = "hvm", .has_max_memkb = true, .max_memkb = 6 << 20};
    audit_facts_from_config(&fx, &c, LIBXL_GIVEN, "g.json");
    assert_int_equal(fx.nr_ram, 3);
    expect_area(&fx.ram[1], 0xc0000, 0xf0000000, "RAM");
    expect_area(&fx.ram[2], 1ull << 32,
                (1ull << 32) + (6ull << 30) - (8 << 20) - 0xf0000000, "RAM");
    expect_area(&fx.mmio[1], 0xf0000000, 0xfc000000, "The PCI hole");
    assert_non_null(strstr(fx.layout_why, "video_memkb 8192, libxl's "
                                          "default"));
    assert_non_null(strstr(fx.layout_why, "the default 256 MiB MMIO hole"));
    /* A hole smaller than the default is not taken (libxl__build_hvm). */
    c.mmio_hole_memkb = 128 << 10;
    audit_facts_from_config(&fx, &c, LIBXL_GIVEN, "g.json");
    expect_area(&fx.mmio[1], 0xf0000000, 0xfc000000, "The PCI hole");
    /* Video memory defaults by VGA kind and device model. */
    c.mmio_hole_memkb = 0;
    snprintf(c.vga_kind, sizeof(c.vga_kind), "std");
    audit_facts_from_config(&fx, &c, LIBXL_GIVEN, "g.json");
    assert_non_null(strstr(fx.layout_why, "video_memkb 16384"));
    snprintf(c.vga_kind, sizeof(c.vga_kind), "cirrus");
    snprintf(c.dm_version, sizeof(c.dm_version), "qemu_xen_traditional");
    audit_facts_from_config(&fx, &c, LIBXL_GIVEN, "g.json");
    assert_non_null(strstr(fx.layout_why, "video_memkb 4096"));
}

static void test_facts_pvh_and_unknown(void **unused)
{
    struct libxl_config c = {.type = "pvh",
                             .has_max_memkb = true,
                             .max_memkb = 16 << 10,
                             .iomem = 1,
                             .ioports = 2};
    struct audit_facts fx;

    audit_facts_from_config(&fx, &c, LIBXL_SAVED, "p.json");
    assert_int_equal(fx.honour, HONOUR_YES);
    assert_string_equal(fx.honour_why, "iomem (1 range), ioports (2 ranges)");
    assert_true(fx.layout_known);
    assert_int_equal(fx.nr_ram, 1);
    expect_area(&fx.ram[0], 0, 16 << 20, "RAM");
    assert_int_equal(fx.nr_mmio, 0);
    assert_non_null(strstr(fx.layout_why, "the default 64 MiB MMIO hole"));

    /* More RAM than fits below the 64 MiB hole at 0xfc000000. */
    c.max_memkb = 5 << 20;
    audit_facts_from_config(&fx, &c, LIBXL_SAVED, "p.json");
    assert_int_equal(fx.nr_ram, 2);
    expect_area(&fx.ram[0], 0, 0xfc000000, "RAM");
    expect_area(&fx.ram[1], 1ull << 32,
                (1ull << 32) + (5ull << 30) - 0xfc000000, "RAM");

    /* What leaves the layout unknown. */
    c = (struct libxl_config){
        .type = "pv", .has_max_memkb = true, .max_memkb = 1024};
    audit_facts_from_config(&fx, &c, LIBXL_SAVED, "p.json");
    assert_false(fx.layout_known);
    assert_string_equal(fx.layout_why,
                        "libxl's saved configuration p.json is of a PV domain");
    c = (struct libxl_config){.has_max_memkb = true, .max_memkb = 1024};
    audit_facts_from_config(&fx, &c, LIBXL_SAVED, "p.json");
    assert_false(fx.layout_known);
    assert_non_null(strstr(fx.layout_why, "does not say the domain's type"));
    c = (struct libxl_config){.type = "hvm",
                              .has_max_memkb = true,
                              .max_memkb = 1024,
                              .has_video_memkb = true,
                              .video_memkb = 1024};
    audit_facts_from_config(&fx, &c, LIBXL_SAVED, "p.json");
    assert_false(fx.layout_known);
    assert_non_null(strstr(fx.layout_why, "video_memkb 1024 is not below"));
    c = (struct libxl_config){.type = "hvm",
                              .has_max_memkb = true,
                              .max_memkb = 1 << 20,
                              .mmio_hole_memkb = 4 << 20};
    audit_facts_from_config(&fx, &c, LIBXL_SAVED, "p.json");
    assert_false(fx.layout_known);
    assert_non_null(strstr(fx.layout_why, "mmio_hole_memkb 4194304 is above "
                                          "3932160 (3840 MiB"));
    /* Found by fuzz-config (corpus-config/crash-mmio-hole-4194303): a hole
     * just below 4 GiB made a PCI hole over the VGA hole and RAM. */
    c.mmio_hole_memkb = (4 << 20) - 1;
    audit_facts_from_config(&fx, &c, LIBXL_SAVED, "p.json");
    assert_false(fx.layout_known);
    assert_int_equal(fx.nr_ram + fx.nr_mmio, 0);
    assert_non_null(strstr(fx.layout_why, "mmio_hole_memkb 4194303 is above"));
    /* The largest hole xl accepts still gives a layout. */
    c.mmio_hole_memkb = 3840 << 10;
    audit_facts_from_config(&fx, &c, LIBXL_SAVED, "p.json");
    assert_true(fx.layout_known);
    assert_int_equal(fx.mmio[1].start, 0x10000000);
    /* passthrough "disabled" given: said, still not honoured. */
    c = (struct libxl_config){.type = "hvm", .passthrough = "disabled"};
    audit_facts_from_config(&fx, &c, LIBXL_SAVED, "p.json");
    assert_int_equal(fx.honour, HONOUR_NO);
    assert_string_equal(fx.honour_why, "no pcidevs, iomem or ioports, and "
                                       "passthrough disabled");

    audit_facts_none(&fx, "why not");
    assert_int_equal(fx.honour, HONOUR_UNKNOWN);
    assert_false(fx.layout_known);
    assert_string_equal(fx.source, "why not");
    assert_string_equal(fx.layout_why, "why not");
    assert_string_equal(fx.source_file, "");
}

static void test_userdata(void **unused)
{
    static const uint8_t uuid[16] = {0x5d, 0x1a, 0xb3, 0xa3, 0x0d, 0x2b,
                                     0x4b, 0x6c, 0x8b, 0x7e, 0x4a, 0x8d,
                                     0x0e, 0x2a, 0x9c, 0x11};
    struct libxl_config c;
    struct audit_facts fx;
    char path[256];

    libxl_userdata_path(path, sizeof(path), LIBXL_USERDATA_DIR, 7, uuid);
    assert_string_equal(path, "/var/lib/xen/userdata-d.7.5d1ab3a3-0d2b-4b6c-"
                              "8b7e-4a8d0e2a9c11.libxl-json");

    /* A file that is not there, and one that is not libxl's. */
    audit_facts_load(&fx, &c, "/nonexistent/userdata.libxl-json");
    assert_int_equal(fx.honour, HONOUR_UNKNOWN);
    assert_string_equal(fx.source, "libxl's saved configuration "
                                   "/nonexistent/userdata.libxl-json could "
                                   "not be read (No such file or directory)");
    assert_string_equal(c.name, "");
    audit_facts_load(&fx, &c, "/");
    assert_non_null(strstr(fx.source, "not a regular file"));
    audit_facts_load(&fx, &c, "/dev/null");
    assert_non_null(strstr(fx.source, "not a regular file"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_paths),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_config_parse),
        cmocka_unit_test(test_facts_hvm),
        cmocka_unit_test(test_facts_pvh_and_unknown),
        cmocka_unit_test(test_userdata),
    };

    return cmocka_run_group_tests_name("audit-facts", tests, NULL, NULL);
}
