/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The paging state of an HVM/PVH vCPU: CR0, CR3, CR4 and EFER from its
 * HVM_SAVE_CODE(CPU) record, the paging mode they select (SDM vol. 3A
 * 4.1.1) and the geometry a walk of that mode uses.
 *
 * struct hvm_hw_cpu (public/arch-x86/hvm/save.h) starts with 512 bytes of
 * FPU state, then 16 general registers, RIP and RFLAGS (8 bytes each), so
 * CR0 is at 512 + 18 * 8 = 656, CR2 at 664, CR3 at 672, CR4 at 680. After
 * the 6 debug registers (688..735), 8 selectors, 10 limits (4 bytes each),
 * 10 bases, 8 access-rights words, 3 SYSENTER MSRs, shadow GS and 5 MSRs
 * (flags, LSTAR, STAR, CSTAR, SFMASK), EFER is at 992. The record was
 * 1024 bytes before Xen 4.7 and is 1032 since; these offsets never moved.
 */
#include <errno.h>
#include <inttypes.h>

#include "hvm_table.h"

enum {
    OFF_CR0 = 656,
    OFF_CR3 = 672,
    OFF_CR4 = 680,
    OFF_EFER = 992,
};

#define CR0_PE    (UINT64_C(1) << 0)
#define CR0_PG    (UINT64_C(1) << 31)
#define CR4_PSE   (UINT64_C(1) << 4)
#define CR4_PAE   (UINT64_C(1) << 5)
#define CR4_LA57  (UINT64_C(1) << 12)
#define EFER_LMA  (UINT64_C(1) << 10)
#define EFER_NXE  (UINT64_C(1) << 11)
#define PHYS_BITS 52

static uint64_t le64_at(const unsigned char *p)
{
    uint64_t v = 0;

    for (unsigned int i = 8; i-- > 0;)
        v = v << 8 | p[i];
    return v;
}

XCX_EXPORT int xcx_hvm_cpu_from_record(const void *rec, size_t len,
                                       struct xcx_hvm_cpu *cpu,
                                       xentoollog_logger *lg)
{
    const unsigned char *p = rec;

    if (!rec || !cpu)
        return xcx_fail(lg, EINVAL, "CPU record: NULL argument");
    if (len < XCX_HVM_CPU_RECORD_MIN)
        return xcx_fail(lg, EINVAL,
                        "CPU record of %zu bytes, at least %d expected", len,
                        XCX_HVM_CPU_RECORD_MIN);
    cpu->cr0 = le64_at(p + OFF_CR0);
    cpu->cr3 = le64_at(p + OFF_CR3);
    cpu->cr4 = le64_at(p + OFF_CR4);
    cpu->efer = le64_at(p + OFF_EFER);
    cpu->efer_known = true;
    return 0;
}

static const char *const mode_names[] = {
    "off", "32-bit", "PAE", "4-level", "5-level",
};

XCX_EXPORT const char *xcx_paging_mode_name(enum xcx_paging_mode mode)
{
    if ((unsigned int)mode < sizeof(mode_names) / sizeof(*mode_names))
        return mode_names[mode];
    errno = EINVAL;
    return NULL;
}

static int bad_state(const struct xcx_hvm_cpu *cpu, const char *why,
                     xentoollog_logger *lg)
{
    return xcx_fail(lg, EINVAL,
                    "CR0 0x%" PRIx64 " CR4 0x%" PRIx64 " EFER 0x%" PRIx64
                    ": %s",
                    cpu->cr0, cpu->cr4, cpu->efer, why);
}

XCX_EXPORT int xcx_hvm_paging_mode(const struct xcx_hvm_cpu *cpu,
                                   enum xcx_paging_mode *mode,
                                   xentoollog_logger *lg)
{
    bool lma = cpu->efer & EFER_LMA;

    if (cpu->efer_known && lma &&
        (!(cpu->cr0 & CR0_PG) || !(cpu->cr4 & CR4_PAE)))
        return bad_state(cpu, "EFER.LMA without CR0.PG and CR4.PAE", lg);
    if (!(cpu->cr0 & CR0_PG)) {
        *mode = XCX_PGMODE_OFF;
        return 0;
    }
    if (!(cpu->cr0 & CR0_PE))
        return bad_state(cpu, "CR0.PG without CR0.PE", lg);
    if (!(cpu->cr4 & CR4_PAE)) {
        *mode = XCX_PGMODE_32BIT;
        return 0;
    }
    if (!cpu->efer_known)
        return xcx_fail(lg, ENODATA,
                        "CR0.PG and CR4.PAE are set and EFER is unknown: PAE "
                        "and 4-level paging cannot be told apart (give EFER)");
    if (!lma)
        *mode = XCX_PGMODE_PAE;
    else
        *mode = cpu->cr4 & CR4_LA57 ? XCX_PGMODE_5LEVEL : XCX_PGMODE_4LEVEL;
    return 0;
}

static const unsigned int top_levels[] = {0, 2, 3, 4, 5};

/* The root table from CR3: bits 31:12 (32-bit), 31:5 (the PAE PDPT),
 * maxphys-1:12 otherwise (bits 11:0 are PWT/PCD or the PCID). */
static int root_of(struct hvm_paging *p, uint64_t cr3, xentoollog_logger *lg)
{
    uint64_t addr = (UINT64_C(1) << p->maxphys) - 1;

    if (p->mode == XCX_PGMODE_32BIT)
        p->root_gpa = cr3 & UINT64_C(0xfffff000);
    else if (p->mode == XCX_PGMODE_PAE)
        p->root_gpa = cr3 & UINT64_C(0xffffffe0);
    else if (cr3 & ~addr & ((UINT64_C(1) << 63) - 1))
        return xcx_fail(lg, EINVAL,
                        "CR3 0x%" PRIx64 " has bits set at or above the "
                        "guest's %u-bit physical addresses",
                        cr3, p->maxphys);
    else
        p->root_gpa = cr3 & addr & ~UINT64_C(0xfff);
    return 0;
}

int hvm_paging_init(struct hvm_paging *p, const struct xcx_hvm_guest *g,
                    const struct xcx_hvm_cpu *cpu, xentoollog_logger *lg)
{
    if (!g || !cpu || !g->read_frame)
        return xcx_fail(lg, EINVAL, "HVM walk: no guest, CPU or frame reader");
    p->maxphys = g->maxphysaddr ? g->maxphysaddr : PHYS_BITS;
    if (p->maxphys < 32 || p->maxphys > PHYS_BITS)
        return xcx_fail(lg, EINVAL,
                        "guest physical-address width %u: not 32 to 52",
                        g->maxphysaddr);
    if (xcx_hvm_paging_mode(cpu, &p->mode, lg))
        return -1;
    p->top = top_levels[p->mode];
    p->entry_size = p->mode == XCX_PGMODE_32BIT ? 4 : 8;
    p->pse = cpu->cr4 & CR4_PSE;
    p->nxe = p->mode >= XCX_PGMODE_PAE && (cpu->efer & EFER_NXE);
    return p->mode == XCX_PGMODE_OFF ? 0 : root_of(p, cpu->cr3, lg);
}
