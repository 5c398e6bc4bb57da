/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Synthetic saved images (imgbuild.h), laid out as the Xen tree's
 * tools/xl/xl.h, libxl_sr_stream_format.h and xg_sr_stream_format.h say:
 * big-endian stream headers, little-endian records padded to 8 bytes.
 */
#include <string.h>

#include "imgbuild.h"

static const char xl_magic[32] = "Xen saved domain, xl format\n \0 \r";

static void put_le(struct ctxb_blob *b, uint64_t v, unsigned int bytes)
{
    uint8_t buf[8];

    ctxb_le_store(buf, v, bytes);
    ctxb_put_bytes(b, buf, bytes);
}

static void put_be(struct ctxb_blob *b, uint64_t v, unsigned int bytes)
{
    uint8_t buf[8];

    for (unsigned int i = 0; i < bytes; i++)
        buf[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
    ctxb_put_bytes(b, buf, bytes);
}

/* A stream record: header, body, zero padding to 8. */
static void put_rec(struct ctxb_blob *b, uint32_t type, const void *body,
                    size_t len)
{
    static const uint8_t zero[8];

    put_le(b, type, 4);
    put_le(b, len, 4);
    if (len)
        ctxb_put_bytes(b, body, len);
    if (len % 8)
        ctxb_put_bytes(b, zero, 8 - len % 8);
}

/* PAGE_DATA records of up to 8 pages each, pages filled with their pfn. */
static void put_pages(struct ctxb_blob *b, unsigned int pages)
{
    static uint8_t page[4096];

    for (unsigned int first = 0; first < pages; first += 8) {
        unsigned int n = pages - first < 8 ? pages - first : 8;

        put_le(b, 1, 4); /* PAGE_DATA */
        put_le(b, 8 + 8 * n + 4096 * n, 4);
        put_le(b, n, 4);
        put_le(b, 0, 4);
        for (unsigned int i = 0; i < n; i++)
            put_le(b, first + i, 8); /* pfn, type 0 (normal page) */
        for (unsigned int i = 0; i < n; i++) {
            memset(page, (int)(first + i), sizeof(page));
            ctxb_put_bytes(b, page, sizeof(page));
        }
    }
}

static void put_libxc(struct ctxb_blob *b, const struct imgb_desc *d,
                      const void *ctx, size_t ctx_len, struct imgb_layout *lay)
{
    static const uint8_t params[24] = {1}; /* one HVM param entry */
    static const uint8_t tsc[20] = {0};
    unsigned int contexts = d->contexts ? d->contexts : 1;

    lay->libxc_offset = b->len;
    put_be(b, UINT64_MAX, 8);
    put_be(b, 0x58454e46, 4); /* "XENF" */
    put_be(b, d->version ? d->version : 3, 4);
    put_be(b, d->big_endian ? 1 : 0, 2);
    put_be(b, 0, 6);
    put_le(b, d->dom_type ? d->dom_type : 2, 4); /* domain header */
    put_le(b, 12, 2);
    put_le(b, 0, 2);
    put_le(b, 4, 4);
    put_le(b, 17, 4);
    put_rec(b, 0x11, params, 16);                /* X86_CPUID_POLICY */
    put_rec(b, 0x10, NULL, 0);                   /* STATIC_DATA_END */
    put_rec(b, 8, tsc, d->odd_record ? 20 : 16); /* X86_TSC_INFO */
    if (d->pages)
        lay->page_data_offset = b->len;
    put_pages(b, d->pages);
    put_rec(b, 0xa, params, sizeof(params)); /* HVM_PARAMS */
    for (unsigned int i = 0; contexts != -1u && i < contexts; i++) {
        lay->context_offset = b->len + 8;
        put_rec(b, 9, ctx, ctx_len); /* HVM_CONTEXT */
    }
    if (!d->no_libxc_end)
        put_rec(b, 0, NULL, 0);
}

static void put_libxl(struct ctxb_blob *b, const struct imgb_desc *d,
                      const void *ctx, size_t ctx_len, struct imgb_layout *lay)
{
    static const uint8_t emu[24] = {2, 0, 0, 0, 0, 0, 0, 0, 'Q', 'E', 'V', 'M'};

    lay->libxl_offset = b->len;
    put_be(b, 0x4c6962786c466d74, 8); /* "LibxlFmt" */
    put_be(b, 2, 4);
    put_be(b, 0, 4);
    put_rec(b, 1, NULL, 0); /* LIBXC_CONTEXT: libxc's stream follows */
    put_libxc(b, d, ctx, ctx_len, lay);
    if (d->emulator)
        put_rec(b, 3, emu, sizeof(emu)); /* EMULATOR_CONTEXT */
    if (!d->no_libxl_end)
        put_rec(b, 0, NULL, 0);
}

static void put_xl(struct ctxb_blob *b, const struct imgb_desc *d,
                   const void *ctx, size_t ctx_len, struct imgb_layout *lay)
{
    size_t cfg = d->config ? strlen(d->config) + 1 : 0; /* with its NUL */
    uint32_t flags = d->xl_mandatory ? d->xl_mandatory : 2u | (cfg ? 1u : 0);

    ctxb_put_bytes(b, xl_magic, sizeof(xl_magic));
    put_le(b, 0x01020304, 4);
    put_le(b, flags, 4);
    put_le(b, 0, 4);
    put_le(b, 4 + cfg, 4);
    put_le(b, cfg, 4);
    lay->config_offset = b->len;
    if (cfg)
        ctxb_put_bytes(b, d->config, cfg);
    put_libxl(b, d, ctx, ctx_len, lay);
}

void imgb_build(struct ctxb_blob *b, const struct imgb_desc *d, const void *ctx,
                size_t ctx_len, struct imgb_layout *lay)
{
    memset(lay, 0, sizeof(*lay));
    switch (d->format) {
    case 0:
    case 4: /* XCX_IMAGE_XL_SAVE */
        put_xl(b, d, ctx, ctx_len, lay);
        break;
    case 3: /* XCX_IMAGE_LIBXL_STREAM */
        put_libxl(b, d, ctx, ctx_len, lay);
        break;
    case 2: /* XCX_IMAGE_LIBXC_STREAM */
        put_libxc(b, d, ctx, ctx_len, lay);
        break;
    default: /* XCX_IMAGE_HVM_CONTEXT */
        lay->context_offset = b->len;
        ctxb_put_bytes(b, ctx, ctx_len);
    }
}

void imgb_sample_context(struct ctxb_blob *b)
{
    struct xcx_mtrr_regs regs;

    ctxb_hvmloader_regs(&regs, false);
    ctxb_put_header(b, CTXB_HVM_MAGIC);
    for (unsigned int v = 0; v < 2; v++)
        ctxb_put_cpu(b, v);
    for (unsigned int v = 0; v < 2; v++)
        ctxb_put_mtrr(b, v, &regs);
    ctxb_put_end(b);
}
