/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness: any bytes as a saved image (xl save, libxl or libxc
 * stream, bare HVM context) through xcx_saved_image_scan(), held to its
 * header: EINVAL or EOPNOTSUPP on refusal; on success offsets and lengths
 * inside the input, a format it names, and a context that
 * xcx_hvm_context_parse() takes or refuses cleanly.
 */
#include "fuzz_fail.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "xenctrl_ext.h"

static void check_found(const struct xcx_saved_image *s, const uint8_t *data,
                        size_t size)
{
    xcx_hvm_context *ctx;

    if (!xcx_image_format_name(s->format))
        fuzz_fail("format %u has no name", s->format);
    if (s->context_offset > size || s->context_len > size - s->context_offset)
        fuzz_fail("context [%zu, +%zu) outside %zu bytes", s->context_offset,
                  s->context_len, size);
    if (s->config_len &&
        (s->config_offset > size || s->config_len > size - s->config_offset))
        fuzz_fail("config [%zu, +%zu) outside %zu bytes", s->config_offset,
                  s->config_len, size);
    if (s->format == XCX_IMAGE_HVM_CONTEXT &&
        (s->context_offset || s->context_len != size))
        fuzz_fail("a bare context is the whole input");
    if (s->format != XCX_IMAGE_HVM_CONTEXT && s->stream_version != 2 &&
        s->stream_version != 3)
        fuzz_fail("stream version %u accepted", s->stream_version);
    ctx = xcx_hvm_context_parse(data + s->context_offset, s->context_len, NULL);
    if (!ctx && errno != EINVAL && errno != ENOMEM)
        fuzz_fail("context parse failed with errno %d", errno);
    xcx_hvm_context_free(ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xcx_saved_image s;

    memset(&s, 0xa5, sizeof(s));
    errno = 0;
    if (xcx_saved_image_scan(data, size, &s, NULL)) {
        if (errno != EINVAL && errno != EOPNOTSUPP)
            fuzz_fail("xcx_saved_image_scan failed with errno %d", errno);
        return 0;
    }
    check_found(&s, data, size);
    return 0;
}
