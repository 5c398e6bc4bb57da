/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Indexing a whole HVM context (xc_domain_hvm_getcontext()): a sequence of
 * {uint16 typecode, uint16 instance, uint32 length} descriptors, each
 * followed by @length bytes; HEADER first, END last (public/hvm/save.h).
 * Only the MTRR records and the control registers of the CPU records are
 * kept; every other record is skipped by its descriptor's length, never by
 * a size we assume. CPU records are optional (a context made for MTRR
 * tests may have none), but each names a vCPU that has an MTRR record.
 * MTRR records are for vCPUs below XCX_HVM_MAX_VCPUS, so a context costs
 * at most 128 records whatever instance numbers it claims.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

enum {
    CODE_END = 0,
    CODE_HEADER = 1,
    CODE_CPU = 2,
    CODE_MTRR = 14,
    DESC_SIZE = 8,
    HEADER_SIZE = 24,       /* struct hvm_save_header */
    HVM_MAGIC = 0x54381286, /* HVM_FILE_MAGIC */
};

struct xcx_hvm_context {
    xentoollog_logger *lg;
    unsigned int nr_vcpus;
    unsigned char (*records)[XCX_MTRR_RECORD_SIZE]; /* by vCPU */
    struct xcx_hvm_cpu *cpus;                       /* by vCPU */
    bool *has_cpu;
};

struct desc {
    unsigned int code, instance;
    size_t length;
};

static uint32_t le32(const unsigned char *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static int read_desc(const unsigned char *blob, size_t len, size_t off,
                     struct desc *d, xentoollog_logger *lg)
{
    if (len - off < DESC_SIZE)
        return xcx_fail(lg, EINVAL,
                        "context truncated: descriptor at offset %zu has "
                        "only %zu of %d bytes",
                        off, len - off, DESC_SIZE);
    d->code = blob[off] | blob[off + 1] << 8;
    d->instance = blob[off + 2] | blob[off + 3] << 8;
    d->length = le32(blob + off + 4);
    if (d->length > len - off - DESC_SIZE)
        return xcx_fail(lg, EINVAL,
                        "context truncated: record type %u instance %u at "
                        "offset %zu has length %zu, only %zu bytes follow",
                        d->code, d->instance, off, d->length,
                        len - off - DESC_SIZE);
    return 0;
}

static int check_header(const unsigned char *blob, const struct desc *d,
                        size_t off, xentoollog_logger *lg)
{
    uint32_t magic;

    if (d->code != CODE_HEADER)
        return xcx_fail(lg, EINVAL,
                        "context starts with record type %u, expected "
                        "HEADER (1)",
                        d->code);
    if (d->length != HEADER_SIZE)
        return xcx_fail(lg, EINVAL, "HEADER record has length %zu, expected %d",
                        d->length, HEADER_SIZE);
    magic = le32(blob + off + DESC_SIZE);
    if (magic != HVM_MAGIC)
        return xcx_fail(lg, EINVAL,
                        "HEADER magic 0x%08x, expected 0x%08x (not an HVM "
                        "context)",
                        magic, HVM_MAGIC);
    return 0;
}

/* Checks one record after the header; notes MTRR instances in @seen. */
static int check_record(const struct desc *d, size_t off, uint8_t *seen,
                        unsigned int *count, unsigned int *highest,
                        xentoollog_logger *lg)
{
    if (d->code == CODE_HEADER)
        return xcx_fail(lg, EINVAL, "second HEADER record at offset %zu", off);
    if (d->code == CODE_END && d->length)
        return xcx_fail(lg, EINVAL,
                        "END record at offset %zu has length %zu, expected 0",
                        off, d->length);
    if (d->code == CODE_CPU && d->length < XCX_HVM_CPU_RECORD_MIN)
        return xcx_fail(lg, EINVAL,
                        "CPU record for vCPU %u at offset %zu has length %zu, "
                        "expected at least %d",
                        d->instance, off, d->length, XCX_HVM_CPU_RECORD_MIN);
    if (d->code != CODE_MTRR)
        return 0;
    if (d->instance >= XCX_HVM_MAX_VCPUS)
        return xcx_fail(lg, EINVAL,
                        "MTRR record for vCPU %u at offset %zu: Xen gives an "
                        "HVM guest at most %u vCPUs (HVM_MAX_VCPUS)",
                        d->instance, off, XCX_HVM_MAX_VCPUS);
    if (d->length != XCX_MTRR_RECORD_SIZE)
        return xcx_fail(lg, EINVAL,
                        "MTRR record for vCPU %u at offset %zu has length "
                        "%zu, expected %u",
                        d->instance, off, d->length, XCX_MTRR_RECORD_SIZE);
    if (seen[d->instance / 8] & (1u << (d->instance % 8)))
        return xcx_fail(lg, EINVAL,
                        "duplicate MTRR record for vCPU %u at offset %zu",
                        d->instance, off);
    seen[d->instance / 8] |= 1u << (d->instance % 8);
    (*count)++;
    if (d->instance > *highest)
        *highest = d->instance;
    return 0;
}

/* First pass: the structure, the MTRR count and the highest vCPU. */
static int scan(const unsigned char *blob, size_t len, uint8_t *seen,
                unsigned int *count, unsigned int *highest,
                xentoollog_logger *lg)
{
    struct desc d;
    size_t off = 0;

    if (read_desc(blob, len, 0, &d, lg) || check_header(blob, &d, 0, lg))
        return -1;
    for (off = DESC_SIZE + d.length; off < len; off += DESC_SIZE + d.length) {
        if (read_desc(blob, len, off, &d, lg) ||
            check_record(&d, off, seen, count, highest, lg))
            return -1;
        if (d.code == CODE_END) {
            if (off + DESC_SIZE != len)
                return xcx_fail(lg, EINVAL,
                                "%zu bytes after the END record at offset %zu",
                                len - off - DESC_SIZE, off);
            return 0;
        }
    }
    return xcx_fail(lg, EINVAL, "context of %zu bytes has no END record", len);
}

static int check_vcpus(const uint8_t *seen, unsigned int count,
                       unsigned int highest, xentoollog_logger *lg)
{
    if (!count)
        return xcx_fail(lg, EINVAL, "context holds no MTRR record");
    for (unsigned int v = 0; v <= highest; v++)
        if (!(seen[v / 8] & (1u << (v % 8))))
            return xcx_fail(lg, EINVAL,
                            "context has no MTRR record for vCPU %u "
                            "(records go up to vCPU %u)",
                            v, highest);
    return 0;
}

/* A CPU record of a checked blob: one per vCPU that has MTRRs. */
static int collect_cpu(struct xcx_hvm_context *ctx, const unsigned char *blob,
                       const struct desc *d, size_t off, xentoollog_logger *lg)
{
    if (d->instance >= ctx->nr_vcpus)
        return xcx_fail(lg, EINVAL,
                        "CPU record for vCPU %u at offset %zu: the MTRR "
                        "records go up to vCPU %u",
                        d->instance, off, ctx->nr_vcpus - 1);
    if (ctx->has_cpu[d->instance])
        return xcx_fail(lg, EINVAL,
                        "duplicate CPU record for vCPU %u at offset %zu",
                        d->instance, off);
    ctx->has_cpu[d->instance] = true;
    return xcx_hvm_cpu_from_record(blob + off + DESC_SIZE, d->length,
                                   &ctx->cpus[d->instance], lg);
}

/* Second pass over a checked blob: copy each MTRR payload by vCPU. */
static int collect(struct xcx_hvm_context *ctx, const unsigned char *blob,
                   size_t len, xentoollog_logger *lg)
{
    struct desc d;

    for (size_t off = 0; off < len; off += DESC_SIZE + d.length) {
        read_desc(blob, len, off, &d, NULL);
        if (d.code == CODE_MTRR)
            memcpy(ctx->records[d.instance], blob + off + DESC_SIZE,
                   XCX_MTRR_RECORD_SIZE);
        if (d.code == CODE_CPU && collect_cpu(ctx, blob, &d, off, lg))
            return -1;
    }
    return 0;
}

XCX_EXPORT xcx_hvm_context *xcx_hvm_context_parse(const void *blob, size_t len,
                                                  xentoollog_logger *lg)
{
    uint8_t *seen = calloc(XCX_HVM_MAX_VCPUS / 8, 1);
    unsigned int count = 0, highest = 0;
    struct xcx_hvm_context *ctx = NULL;

    if (!seen)
        return NULL;
    if (scan(blob, len, seen, &count, &highest, lg) ||
        check_vcpus(seen, count, highest, lg))
        goto out;

    ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
        goto out;
    ctx->records = calloc(count, sizeof(*ctx->records));
    ctx->cpus = calloc(count, sizeof(*ctx->cpus));
    ctx->has_cpu = calloc(count, sizeof(*ctx->has_cpu));
    ctx->lg = lg;
    ctx->nr_vcpus = count;
    if (!ctx->records || !ctx->cpus || !ctx->has_cpu ||
        collect(ctx, blob, len, lg)) {
        xcx_hvm_context_free(ctx);
        ctx = NULL;
    }
out:
    free(seen);
    return ctx;
}

XCX_EXPORT void xcx_hvm_context_free(xcx_hvm_context *ctx)
{
    int saved = errno;

    if (ctx) {
        free(ctx->records);
        free(ctx->cpus);
        free(ctx->has_cpu);
        free(ctx);
    }
    errno = saved;
}

XCX_EXPORT unsigned int xcx_hvm_context_nr_vcpus(const xcx_hvm_context *ctx)
{
    return ctx->nr_vcpus;
}

XCX_EXPORT unsigned int xcx_hvm_context_width_hint(const xcx_hvm_context *ctx)
{
    unsigned int width = XCX_MAXPHYSADDR_DEFAULT;

    for (unsigned int v = 0; v < ctx->nr_vcpus; v++) {
        struct xcx_mtrr_regs regs;
        unsigned int w;

        xcx_mtrr_regs_from_record(&regs, ctx->records[v]);
        w = xcx_mtrr_regs_width_hint(&regs);
        if (w > width)
            width = w;
    }
    return width;
}

XCX_EXPORT int xcx_hvm_context_mtrr(const xcx_hvm_context *ctx,
                                    unsigned int vcpu, unsigned int maxphysaddr,
                                    struct xcx_mtrr_state *st)
{
    if (vcpu >= ctx->nr_vcpus)
        return xcx_fail(ctx->lg, ENOENT,
                        "vCPU %u requested, the context holds %u", vcpu,
                        ctx->nr_vcpus);
    return xcx_mtrr_record_decode(st, ctx->records[vcpu], XCX_MTRR_RECORD_SIZE,
                                  maxphysaddr, ctx->lg);
}

XCX_EXPORT int xcx_hvm_context_cpu(const xcx_hvm_context *ctx,
                                   unsigned int vcpu, struct xcx_hvm_cpu *cpu)
{
    if (vcpu >= ctx->nr_vcpus || !ctx->has_cpu[vcpu])
        return xcx_fail(ctx->lg, ENOENT,
                        "the context holds no CPU record for vCPU %u", vcpu);
    *cpu = ctx->cpus[vcpu];
    return 0;
}
