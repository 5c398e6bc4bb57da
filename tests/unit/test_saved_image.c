/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx_saved_image_scan() (lib/pure/saved_image.c) on images written by
 * tests/support/imgbuild.c: every format found by content, xl's
 * configuration, records skipped by length (page data unread: its pages
 * are made inaccessible), and hostile images refused with the record and
 * offset named: every truncation, bad versions, options, flags, lengths.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "caplog.h"
#include "imgbuild.h"
#include "xenctrl_ext.h"

#define CONFIG "{\"c_info\":{\"type\":\"hvm\",\"name\":\"guest\"}}"

struct image {
    struct ctxb_blob ctx, img;
    struct imgb_layout lay;
};

static void build(struct image *im, const struct imgb_desc *d)
{
    memset(im, 0, sizeof(*im));
    imgb_sample_context(&im->ctx);
    imgb_build(&im->img, d, im->ctx.data, im->ctx.len, &im->lay);
}

static void release(struct image *im)
{
    ctxb_blob_free(&im->ctx);
    ctxb_blob_free(&im->img);
}

/* The context found is the builder's, and parses to two vCPUs. */
static void expect_context(const struct image *im,
                           const struct xcx_saved_image *s)
{
    xcx_hvm_context *ctx;

    assert_int_equal(s->context_offset, im->lay.context_offset);
    assert_int_equal(s->context_len, im->ctx.len);
    ctx = xcx_hvm_context_parse(im->img.data + s->context_offset,
                                s->context_len, NULL);
    assert_non_null(ctx);
    assert_int_equal(xcx_hvm_context_nr_vcpus(ctx), 2);
    xcx_hvm_context_free(ctx);
}

static void test_formats(void **state)
{
    static const unsigned int formats[] = {
        XCX_IMAGE_XL_SAVE, XCX_IMAGE_LIBXL_STREAM, XCX_IMAGE_LIBXC_STREAM,
        XCX_IMAGE_HVM_CONTEXT};

    for (unsigned int i = 0; i < 4; i++) {
        struct imgb_desc d = {.format = formats[i], .pages = 3};
        struct xcx_saved_image s;
        struct image im;

        build(&im, &d);
        assert_int_equal(
            xcx_saved_image_scan(im.img.data, im.img.len, &s, NULL), 0);
        assert_int_equal(s.format, formats[i]);
        assert_string_equal(xcx_image_format_name(s.format),
                            i == 0   ? "xl save image"
                            : i == 1 ? "libxl stream"
                            : i == 2 ? "libxc stream"
                                     : "HVM context");
        expect_context(&im, &s);
        if (formats[i] != XCX_IMAGE_HVM_CONTEXT) {
            assert_int_equal(s.stream_version, 3);
            assert_int_equal(s.domain_type, XCX_IMAGE_DOMAIN_X86_HVM);
            assert_int_equal(s.page_shift, 12);
            assert_int_equal(s.xen_major, 4);
            assert_int_equal(s.xen_minor, 17);
        } else {
            assert_int_equal(s.stream_version, 0);
        }
        assert_int_equal(s.config_len, 0);
        release(&im);
    }
    errno = 0;
    assert_null(xcx_image_format_name(0));
    assert_int_equal(errno, EINVAL);
}

static void test_xl_config(void **state)
{
    struct imgb_desc d = {.config = CONFIG, .emulator = true, .pages = 9};
    struct xcx_saved_image s;
    struct image im;

    build(&im, &d);
    assert_int_equal(xcx_saved_image_scan(im.img.data, im.img.len, &s, NULL),
                     0);
    assert_true(s.config_json);
    assert_int_equal(s.config_offset, im.lay.config_offset);
    /* The length leaves xl's trailing NUL out. */
    assert_int_equal(s.config_len, strlen(CONFIG));
    assert_memory_equal(im.img.data + s.config_offset, CONFIG, s.config_len);
    expect_context(&im, &s);
    release(&im);
}

/* Stream v2 (Xen 4.6-4.13), odd lengths padded, several contexts. */
static void test_stream_shapes(void **state)
{
    struct imgb_desc d = {.version = 2, .odd_record = true, .contexts = 3};
    struct xcx_saved_image s;
    struct image im;

    build(&im, &d);
    assert_int_equal(xcx_saved_image_scan(im.img.data, im.img.len, &s, NULL),
                     0);
    assert_int_equal(s.stream_version, 2);
    expect_context(&im, &s); /* the last HVM_CONTEXT */
    release(&im);
}

/* An error: -1, @err, and a message holding every one of @words. */
static void expect_error(const struct image *im, int err, const char *w1,
                         const char *w2)
{
    struct xcx_saved_image s;
    struct caplog log;

    caplog_init(&log);
    errno = 0;
    assert_int_equal(xcx_saved_image_scan(im->img.data, im->img.len, &s,
                                          caplog_logger(&log)),
                     -1);
    assert_int_equal(errno, err);
    if (!caplog_has(&log, w1) || (w2 && !caplog_has(&log, w2)))
        fail_msg("message '%s' lacks '%s' or '%s'", log.last, w1, w2 ? w2 : "");
}

static void test_refused(void **state)
{
    static const struct {
        struct imgb_desc d;
        int err;
        const char *w1, *w2;
    } cases[] = {
        {{.dom_type = 1}, EOPNOTSUPP, "PV guest", NULL},
        {{.contexts = -1u}, EINVAL, "no HVM_CONTEXT", "offset"},
        {{.version = 4}, EINVAL, "version 4", "offset"},
        {{.big_endian = true}, EINVAL, "big-endian", "offset"},
        {{.no_libxl_end = true}, EINVAL, "truncated", "libxl record header"},
        {{.no_libxc_end = true, .format = XCX_IMAGE_LIBXC_STREAM},
         EINVAL,
         "truncated",
         "libxc record header"},
        {{.xl_mandatory = 1}, EINVAL, "mandatory flags 0x1", "offset 36"},
        {{.xl_mandatory = 6}, EINVAL, "mandatory flags 0x6", NULL},
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct image im;

        build(&im, &cases[i].d);
        expect_error(&im, cases[i].err, cases[i].w1, cases[i].w2);
        release(&im);
    }
}

static void test_bad_fields(void **state)
{
    struct imgb_desc d = {.pages = 2};
    struct image im;

    build(&im, &d);
    /* Byte order mark of another endianness. */
    im.img.data[32] = 1;
    im.img.data[35] = 4;
    expect_error(&im, EINVAL, "byte order", "offset 32");
    release(&im);

    /* A PAGE_DATA record claiming more than the limit, and one that runs
     * past the end. */
    build(&im, &d);
    ctxb_le_store(im.img.data + im.lay.page_data_offset + 4, 129u << 20, 4);
    expect_error(&im, EINVAL, "PAGE_DATA", "above the limit");
    ctxb_le_store(im.img.data + im.lay.page_data_offset + 4, 100u << 20, 4);
    expect_error(&im, EINVAL, "PAGE_DATA", "only");
    release(&im);

    /* libxl's ident, version, options. */
    build(&im, &d);
    im.img.data[im.lay.libxl_offset + 11] = 3;
    expect_error(&im, EINVAL, "libxl stream", "version 3");
    im.img.data[im.lay.libxl_offset + 11] = 2;
    im.img.data[im.lay.libxl_offset + 15] = 2;
    expect_error(&im, EINVAL, "legacy", NULL);
    im.img.data[im.lay.libxl_offset] = 'X';
    expect_error(&im, EINVAL, "no libxl stream", "offset");
    release(&im);

    /* libxc's marker; the optional data longer than the image. */
    build(&im, &d);
    im.img.data[im.lay.libxc_offset + 3] = 0;
    expect_error(&im, EINVAL, "no libxc stream", "legacy");
    ctxb_le_store(im.img.data + 44, 1u << 30, 4);
    expect_error(&im, EINVAL, "optional data", "truncated");
    release(&im);

    /* Junk, nothing. */
    build(&im, &d);
    memset(im.img.data, 0x5a, 64);
    expect_error(&im, EINVAL, "not a saved image", NULL);
    im.img.len = 0;
    expect_error(&im, EINVAL, "not a saved image", NULL);
    release(&im);
}

/* Every truncation of an image is refused, and never read past its end
 * (ASan would tell): the copy is exactly as long as the cut. */
static void test_every_truncation(void **state)
{
    struct imgb_desc d = {.config = CONFIG, .pages = 1, .emulator = true};
    struct xcx_saved_image s;
    struct image im;

    build(&im, &d);
    for (size_t cut = 0; cut < im.img.len; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1);

        assert_non_null(copy);
        memcpy(copy, im.img.data, cut);
        errno = 0;
        if (xcx_saved_image_scan(copy, cut, &s, NULL) != -1 || errno != EINVAL)
            fail_msg("image cut at %zu of %zu: not refused", cut, im.img.len);
        free(copy);
    }
    release(&im);
}

/* Page data is skipped, not read: its pages are made inaccessible. */
static void test_page_data_unread(void **state)
{
    struct imgb_desc d = {.pages = 64, .config = CONFIG};
    long pg = sysconf(_SC_PAGESIZE);
    struct xcx_saved_image s;
    struct image im;
    unsigned char *map;
    size_t size, off, protected = 0;

    build(&im, &d);
    size = (im.img.len + pg - 1) / pg * pg;
    map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
               -1, 0);
    assert_true(map != MAP_FAILED);
    memcpy(map, im.img.data, im.img.len);
    /* Records of 8 pages: header 8, count 8, pfns 64, then 32 KiB. */
    for (off = im.lay.page_data_offset; off < im.lay.context_offset;) {
        uint32_t type = ctxb_le_load(map + off, 4);
        uint32_t len = ctxb_le_load(map + off + 4, 4);
        size_t body = off + 8 + 8 + 64, end = off + 8 + len;
        size_t first = (body + pg - 1) / pg * pg, last = end / pg * pg;

        if (type != 1)
            break;
        if (last > first) {
            assert_int_equal(mprotect(map + first, last - first, PROT_NONE), 0);
            protected += last - first;
        }
        off = end;
    }
    assert_true(protected >= 64 * 4096 - 8 * 2 * (size_t)pg);
    assert_int_equal(xcx_saved_image_scan(map, im.img.len, &s, NULL), 0);
    assert_int_equal(s.context_offset, im.lay.context_offset);
    munmap(map, size);
    release(&im);
}

static void test_null(void **state)
{
    struct xcx_saved_image s;

    assert_int_equal(xcx_saved_image_scan(NULL, 10, &s, NULL), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(xcx_saved_image_scan("x", 1, NULL, NULL), -1);
    assert_int_equal(errno, EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_xl_config),
        cmocka_unit_test(test_stream_shapes),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_bad_fields),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_page_data_unread),
        cmocka_unit_test(test_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
