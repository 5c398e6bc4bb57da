/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * make-sample-context OUTDIR: write the sample contexts of tests/data/.
 *
 * hvmloader-guest.hvmctx is a 2-vCPU HVM guest as Xen 4.17 saves it after
 * hvmloader set up its MTRRs; hvmloader-guest-fixed-xen.hvmctx is the same
 * guest as a Xen without the save bug (NOTES.md section 1) would save it.
 * Each file is HEADER, CPU x 2, MTRR x 2, END.
 *
 * The guest's MTRRs (both vCPUs alike, ctxb_hvmloader_regs()) are those
 * hvmloader's cacheattr_init() programs for maxphysaddr 36 and a PCI hole
 * starting at 0xe8000000:
 *  - MTRRdefType 0xc06: WB, E and FE; MTRRcap 0x508; PAT 0x0007040600070406.
 *  - Fixed ranges WB (0x0606060606060606) except the legacy VGA hole
 *    0xa0000-0xbffff, which is WC because MTRRcap.WC is set: MSR 0x258
 *    covers 0x80000-0x9ffff (WB), MSR 0x259 exactly 0xa0000-0xbffff.
 *  - The PCI hole [0xe8000000, 4 GiB), tiled from its bottom with UC pairs
 *    of the largest size its base's alignment allows:
 *      pair 0: base 0xe8000000, 128 MiB, mask 0xf_f800_0800
 *      pair 1: base 0xf0000000, 256 MiB, mask 0xf_f000_0800
 *    Xen 4.17's record shows pair 0 in all eight slots, so the first file
 *    holds pair 0 in slots 0..7 and pair 1 nowhere: from it, the top of the
 *    hole (LAPIC, IOAPIC, HPET) looks WB. The second file holds pair 0 in
 *    slot 0, pair 1 in slot 1 and zero in slots 2..7.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctxbuild.h"

#define NR_VCPUS 2

static int write_sample(const char *dir, const char *name, bool fixed_xen)
{
    struct xcx_mtrr_regs regs;
    struct ctxb_blob b = {0};
    char path[4096];
    FILE *f;
    int rc = 0;

    ctxb_hvmloader_regs(&regs, fixed_xen);
    ctxb_put_header(&b, CTXB_HVM_MAGIC);
    for (unsigned int v = 0; v < NR_VCPUS; v++)
        ctxb_put_cpu(&b, v);
    for (unsigned int v = 0; v < NR_VCPUS; v++)
        ctxb_put_mtrr(&b, v, &regs);
    ctxb_put_end(&b);

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
        fprintf(stderr, "make-sample-context: %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    ctxb_blob_free(&b);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make-sample-context OUTDIR\n");
        return 2;
    }
    if (write_sample(argv[1], "hvmloader-guest.hvmctx", false) ||
        write_sample(argv[1], "hvmloader-guest-fixed-xen.hvmctx", true))
        return 1;
    return 0;
}
