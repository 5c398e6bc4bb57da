/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gen-cli-samples OUTDIR: the two sample contexts of tests/data/, written
 * byte by byte from NOTES.md section 3 (independently of tests/support),
 * for as long as tests/data/ does not hold the committed ones.
 *
 * A 2-vCPU hvmloader guest, width 36: MTRRdefType 0xc06, MTRRcap 0x508,
 * PAT 0x0007040600070406, fixed ranges WB but 0xa0000-0xbffff UC, the PCI
 * hole in pair 0 = UC 0xf0000000/256 MiB and pair 1 = UC 0xe8000000/128 MiB.
 *  - hvmloader-guest.hvmctx: as Xen 4.17 saves it, pair 0 in slots 0..7;
 *  - hvmloader-guest-fixed-xen.hvmctx: slot 1 = pair 1, slots 2..7 zero.
 * Records: HEADER, CPU x 2, MTRR x 2, END.
 */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <xen/xen.h>
#include <xen/hvm/save.h>

#define NR_VCPUS 2
#define REC_SIZE 240

_Static_assert(sizeof(struct hvm_hw_mtrr) == REC_SIZE, "MTRR record");
_Static_assert(sizeof(struct hvm_save_header) == 24, "HEADER record");

static void le(uint8_t *p, uint64_t v, unsigned int n)
{
    for (unsigned int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int put(FILE *f, uint16_t code, uint16_t inst, const void *p,
               uint32_t len)
{
    uint8_t d[8];

    le(d, code, 2);
    le(d + 2, inst, 2);
    le(d + 4, len, 4);
    return fwrite(d, 1, 8, f) != 8 || (len && fwrite(p, 1, len, f) != len);
}

static void mtrr_record(uint8_t rec[REC_SIZE], int fixed_xen)
{
    const uint64_t b0 = 0xf0000000, m0 = 0xff0000800; /* UC, 256 MiB */
    const uint64_t b1 = 0xe8000000, m1 = 0xff8000800; /* UC, 128 MiB */

    memset(rec, 0, REC_SIZE);
    le(rec + 0, 0x0007040600070406, 8);
    for (unsigned int i = 0; i < 8; i++) {
        uint64_t b = b0, m = m0;

        if (fixed_xen && i == 1) {
            b = b1;
            m = m1;
        } else if (fixed_xen && i > 1) {
            b = m = 0;
        }
        le(rec + 8 + 16 * i, b, 8);
        le(rec + 16 + 16 * i, m, 8);
    }
    for (unsigned int i = 0; i < 11; i++) /* MSR 0x259 (i = 2) is UC */
        le(rec + 136 + 8 * i, i == 2 ? 0 : 0x0606060606060606, 8);
    le(rec + 224, 0x508, 8);
    le(rec + 232, 0xc06, 8);
}

static int write_one(const char *dir, const char *name, int fixed_xen)
{
    uint8_t hdr[24], rec[REC_SIZE];
    struct hvm_hw_cpu cpu;
    char path[4096];
    FILE *f;
    int bad = 0;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f)
        goto fail;
    le(hdr, HVM_FILE_MAGIC, 4);
    le(hdr + 4, HVM_FILE_VERSION, 4);
    le(hdr + 8, 0, 8);
    le(hdr + 16, 0x000306c3, 4);
    le(hdr + 20, 2394000, 4);
    bad |= put(f, HVM_SAVE_CODE(HEADER), 0, hdr, sizeof(hdr));
    memset(&cpu, 0, sizeof(cpu));
    for (uint16_t v = 0; v < NR_VCPUS; v++)
        bad |= put(f, HVM_SAVE_CODE(CPU), v, &cpu, sizeof(cpu));
    mtrr_record(rec, fixed_xen);
    for (uint16_t v = 0; v < NR_VCPUS; v++)
        bad |= put(f, HVM_SAVE_CODE(MTRR), v, rec, sizeof(rec));
    bad |= put(f, HVM_SAVE_CODE(END), 0, NULL, 0);
    if (fclose(f) || bad)
        goto fail;
    return 0;
fail:
    fprintf(stderr, "gen-cli-samples: %s: %s\n", path, strerror(errno));
    return -1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gen-cli-samples OUTDIR\n");
        return 2;
    }
    if (write_one(argv[1], "hvmloader-guest.hvmctx", 0) ||
        write_one(argv[1], "hvmloader-guest-fixed-xen.hvmctx", 1))
        return 1;
    return 0;
}
