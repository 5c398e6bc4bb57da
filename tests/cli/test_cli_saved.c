/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * --context on saved images: an xl save image, a libxl and a libxc stream
 * around the sample context give byte for byte the answers and maps of the
 * bare context, whatever the file is called; a truncated or PV image is an
 * error naming what is wrong, exit 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "imgbuild.h"
#include "run.h"
#include "xenctrl_ext.h"

#define GPAS "0xa0000", "0x100000", "0xe8000000", "0xf0000000"

/* xc-mtrr-audit, built beside xc-mtrr-map. */
static char xc_audit[4096];

/* Write an image of @d around the sample context as @name (@cut bytes
 * fewer); its path. */
static const char *image(const char *name, const struct imgb_desc *d,
                         size_t cut)
{
    struct ctxb_blob ctx = {0}, img = {0};
    struct imgb_layout lay;
    const char *path = temp_file(name, NULL);
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    imgb_sample_context(&ctx);
    imgb_build(&img, d, ctx.data, ctx.len, &lay);
    assert_int_equal(fwrite(img.data, 1, img.len - cut, f), img.len - cut);
    assert_int_equal(fclose(f), 0);
    ctxb_blob_free(&ctx);
    ctxb_blob_free(&img);
    return path;
}

/* Output of @tool on the bare sample, then on @path: the same. */
static void same_as_sample(const char *path)
{
    char *want;

    RUN(xc_type, "--all-vcpus", "-c", sample417, GPAS);
    expect_exit(0);
    want = strdup(R.out);
    RUN(xc_type, "--all-vcpus", "-c", path, GPAS);
    expect_ok(want);
    free(want);
    RUN(xc_map, "--all-vcpus", "--json", "-c", sample417);
    want = strdup(R.out);
    RUN(xc_map, "--all-vcpus", "--json", "-c", path);
    expect_ok(want);
    free(want);
}

static void test_formats(void **state)
{
    const struct imgb_desc xl = {.config = "{\"c_info\":{\"name\":\"g\"}}",
                                 .pages = 3,
                                 .emulator = true};
    const struct imgb_desc libxl = {.format = XCX_IMAGE_LIBXL_STREAM};
    const struct imgb_desc libxc = {.format = XCX_IMAGE_LIBXC_STREAM,
                                    .version = 2};

    /* Found by content: the names say nothing. */
    same_as_sample(image("guest.hvmctx", &xl, 0));
    same_as_sample(image("libxl.save", &libxl, 0));
    same_as_sample(image("stream", &libxc, 0));
}

static void test_bad_images(void **state)
{
    const struct imgb_desc xl = {.pages = 2};
    const struct imgb_desc pv = {.dom_type = XCX_IMAGE_DOMAIN_X86_PV};

    RUN(xc_type, "-c", image("cut.save", &xl, 100), "0");
    expect_error("truncated");
    expect_err("offset");
    expect_err("not a valid HVM context or saved image");
    RUN(xc_map, "-c", image("pv.save", &pv, 0));
    expect_error("PV guest");
}

/* xc-mtrr-audit takes its facts from the configuration in the image. */
static void test_audit_config(void **state)
{
    const struct imgb_desc pt = {
        .config = "{\"c_info\": {\"type\": \"hvm\", \"name\": \"pt\"},"
                  " \"b_info\": {\"max_memkb\": 4194304, \"video_memkb\": 0},"
                  " \"pcidevs\": [{\"dev\": 2}]}"};
    const struct imgb_desc bad = {.config = "{\"c_info\": ["};
    const char *img = image("pt.save", &pt, 0);

    RUN(xc_audit, "--json", "-c", img);
    expect_out("\"name\":\"pt\"");
    expect_out("(in the xl save image)");
    expect_out("MTRR010-ram-uncached");
    /* --config wins over the image's. */
    RUN(xc_audit, "--json", "-c", img, "--config",
        temp_file("other.json", "{\"c_info\": {\"name\": \"other\"}}"));
    expect_out("\"name\":\"other\"");
    expect_no_out("in the xl save image");
    /* A configuration that does not parse: said, and audited without. */
    RUN(xc_audit, "--json", "-c", image("bad.save", &bad, 0));
    expect_err("the configuration in the xl save image is not usable");
    expect_no_out("\"name\":");
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_bad_images),
        cmocka_unit_test(test_audit_config),
    };

    if (fixtures_init(argc, argv))
        return 2;
    snprintf(xc_audit, sizeof(xc_audit), "%.*s/xc-mtrr-audit",
             (int)(strrchr(xc_map, '/') - xc_map), xc_map);
    return cmocka_run_group_tests_name("cli-saved", tests, NULL,
                                       fixtures_teardown);
}
