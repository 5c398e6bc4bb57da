/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness: a whole HVM context, as xc_domain_hvm_getcontext()
 * returns it, through xcx_hvm_context_parse() and every vCPU's record,
 * and every vCPU's CR0 through xcx_hvm_context_cr0().
 * Every record is decoded and checked against its bytes; the full checks
 * of fuzz_check_state() (maps, the reference model) run on vCPU 0, the
 * last one and one the input's hash picks, so that a context of many vCPUs
 * costs one decode per vCPU, not one map per vCPU.
 */
#include "fuzz_check.h"

static void check_vcpu(const xcx_hvm_context *ctx, unsigned int vcpu,
                       unsigned int width, bool full, const uint8_t *data,
                       size_t size)
{
    struct xcx_mtrr_state st;

    memset(&st, 0, sizeof(st));
    errno = 0;
    if (xcx_hvm_context_mtrr(ctx, vcpu, width, &st) < 0) {
        if (errno != EINVAL)
            fuzz_fail("xcx_hvm_context_mtrr(%u, %u): errno %d", vcpu, width,
                      errno);
        return;
    }
    if (st.maxphysaddr != width)
        fuzz_fail("vcpu %u decoded at width %u, asked %u", vcpu, st.maxphysaddr,
                  width);
    if (st.var_known != ref_var_known(&st.regs))
        fuzz_fail("vcpu %u: var_known 0x%" PRIx32 ", expected 0x%" PRIx32, vcpu,
                  st.var_known, ref_var_known(&st.regs));
    if (!ref_regs_valid(&st.regs, width))
        fuzz_fail("vcpu %u: decoded registers the header calls invalid", vcpu);
    if (full)
        fuzz_check_state(&st, data, size);
}

/* CR0 of every vCPU and one more: a value, or ENOENT/EINVAL. */
static void check_cr0(const uint8_t *data, size_t size, unsigned int nr)
{
    uint64_t cr0;

    for (unsigned int vcpu = 0; vcpu <= nr; vcpu++) {
        errno = 0;
        if (xcx_hvm_context_cr0(data, size, vcpu, &cr0, NULL) < 0 &&
            errno != ENOENT && errno != EINVAL && errno != ENOMEM)
            fuzz_fail("xcx_hvm_context_cr0(%u): errno %d", vcpu, errno);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xcx_mtrr_state st;
    xcx_hvm_context *ctx;
    unsigned int nr, hint, width, vcpu, picked,
        max_hint = XCX_MAXPHYSADDR_DEFAULT;
    bool all_decoded = true;

    ctx = xcx_hvm_context_parse(data, size, NULL);
    if (!ctx) {
        if (errno != EINVAL && errno != ENOMEM)
            fuzz_fail("xcx_hvm_context_parse failed with errno %d", errno);
        return 0;
    }

    nr = xcx_hvm_context_nr_vcpus(ctx);
    hint = xcx_hvm_context_width_hint(ctx);
    if (hint < XCX_MAXPHYSADDR_DEFAULT || hint > XCX_MAXPHYSADDR_MAX)
        fuzz_fail("context width hint %u", hint);
    /* The first byte is HEADER's typecode; take a width from all of them. */
    width = fuzz_width_from(data, size);
    picked = nr ? fuzz_hash(data, size) % nr : 0;

    for (vcpu = 0; vcpu < nr; vcpu++) {
        bool full = vcpu == 0 || vcpu == nr - 1 || vcpu == picked;

        check_vcpu(ctx, vcpu, hint, full, data, size);
        if (width != hint)
            check_vcpu(ctx, vcpu, width, full, data, size);

        /* At the widest width the record shows its registers for the hint. */
        if (xcx_hvm_context_mtrr(ctx, vcpu, XCX_MAXPHYSADDR_MAX, &st) == 0) {
            unsigned int h = ref_width_hint(&st.regs);

            if (h > max_hint)
                max_hint = h;
        } else {
            all_decoded = false;
        }
    }
    if (all_decoded && hint != max_hint)
        fuzz_fail("context width hint %u, the vCPUs' records show %u", hint,
                  max_hint);

    errno = 0;
    if (xcx_hvm_context_mtrr(ctx, nr, hint, &st) != -1 || errno != ENOENT)
        fuzz_fail("vcpu %u of %u did not fail ENOENT", nr, nr);
    if (xcx_hvm_context_mtrr(ctx, 0, XCX_MAXPHYSADDR_MIN - 1, &st) != -1 ||
        (errno != EINVAL && errno != ENOENT))
        fuzz_fail("width %u accepted", XCX_MAXPHYSADDR_MIN - 1);

    xcx_hvm_context_free(ctx);
    check_cr0(data, size, nr);
    return 0;
}
