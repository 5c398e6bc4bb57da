/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CR0 of one vCPU from a whole HVM context: its CPU record (typecode 2,
 * struct hvm_hw_cpu, cr0 at byte 656 in every Xen 4.x layout). The whole
 * context is validated by xcx_hvm_context_parse() first; records are then
 * walked by their descriptors' lengths.
 */
#include <errno.h>

#include "private.h"

enum {
    CODE_END = 0,
    CODE_CPU = 2,
    DESC_SIZE = 8,
    CPU_CR0_OFFSET = 656, /* offsetof(struct hvm_hw_cpu, cr0) */
};

static uint64_t le_load(const unsigned char *p, unsigned int n)
{
    uint64_t v = 0;

    while (n--)
        v = v << 8 | p[n];
    return v;
}

XCX_EXPORT int xcx_hvm_context_cr0(const void *blob, size_t len,
                                   unsigned int vcpu, uint64_t *cr0,
                                   xentoollog_logger *lg)
{
    const unsigned char *b = blob;
    xcx_hvm_context *ctx;
    size_t off, rlen;

    if (!blob || !cr0)
        return xcx_fail(lg, EINVAL, "CR0: NULL argument");
    ctx = xcx_hvm_context_parse(blob, len, lg);
    if (!ctx)
        return -1;
    xcx_hvm_context_free(ctx);
    for (off = 0; len - off >= DESC_SIZE; off += DESC_SIZE + rlen) {
        unsigned int code = le_load(b + off, 2);
        unsigned int inst = le_load(b + off + 2, 2);

        rlen = le_load(b + off + 4, 4);
        if (code == CODE_END || rlen > len - off - DESC_SIZE)
            break;
        if (code != CODE_CPU || inst != vcpu)
            continue;
        if (rlen < CPU_CR0_OFFSET + 8)
            return xcx_fail(lg, EINVAL,
                            "CPU record of vCPU %u at offset %zu has length "
                            "%zu, too short for CR0 (%u bytes)",
                            vcpu, off, rlen, CPU_CR0_OFFSET + 8);
        *cr0 = le_load(b + off + DESC_SIZE + CPU_CR0_OFFSET, 8);
        return 0;
    }
    return xcx_fail(lg, ENOENT, "the context has no CPU record for vCPU %u",
                    vcpu);
}
