/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The e2e PVH test guest: freestanding, 32-bit protected mode, no paging.
 *
 * Each vCPU reads its MTRR MSRs as they are at power-on, programs the set
 * of its variant (variants.h, chosen with -DXCX_VARIANT=N), and reads
 * everything back with rdmsr. vCPU 0 then reports every value through port
 * 0xE9 (Xen's debug console for HVM/PVH guests, shown by `xl dmesg` with
 * guest_loglvl=all), one line per MSR:
 *
 *   XCX <variant> v<vcpu> <init|set|got> <msr> <value>      (hex, no 0x)
 *
 * ("got" for every MSR; "init" only for power-on values other than 0, "set"
 * only where what was written does not read back)
 * then "XCX <variant> all done" and parks with IF=1 (the "watch" variant
 * first loops, see loop_writes()). vCPU 1 is brought up
 * with VCPUOP_initialise/VCPUOP_up through the hypercall page; it does not
 * print (two vCPUs would interleave their characters on port 0xE9), vCPU 0
 * prints for it once it is finished.
 */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;

#define NR_VAR   8
#define NR_FIXED 11

struct var_pair {
    u64 base; /* address; the type goes in bits 0..7 */
    u64 size; /* power of two, 4 KiB or more; 0: not valid */
    u8 type;
    u64 clear_bits; /* cleared from the PHYSMASK: a non-contiguous mask */
};

struct mtrr_setup {
    u64 def_type;
    u64 fixed[NR_FIXED];
    struct var_pair var[NR_VAR];
};

#include "variants.h"

#ifndef XCX_VARIANT_NAME
#error "no variant: build with -DXCX_VARIANT=N"
#endif

static const u32 fixed_msr[NR_FIXED] = {0x250, 0x258, 0x259, 0x268,
                                        0x269, 0x26a, 0x26b, 0x26c,
                                        0x26d, 0x26e, 0x26f};
#define MSR_MTRRCAP  0xfe
#define MSR_DEF_TYPE 0x2ff
#define MSR_PAT      0x277

/* The MSRs reported, in this order. */
#define NR_REPORT (3 + 2 * NR_VAR + NR_FIXED)
struct report {
    u64 init[NR_REPORT], set[NR_REPORT], got[NR_REPORT];
    u8 written[NR_REPORT];
};

static struct report reports[XCX_NR_VCPUS];
static volatile u32 ap_done;
static u32 maxphys;

static u32 report_msr(unsigned int i)
{
    if (i == 0)
        return MSR_MTRRCAP;
    if (i == 1)
        return MSR_DEF_TYPE;
    if (i == 2)
        return MSR_PAT;
    if (i < 3 + 2 * NR_VAR)
        return 0x200 + (i - 3);
    return fixed_msr[i - 3 - 2 * NR_VAR];
}

static inline u64 rdmsr(u32 msr)
{
    u32 lo, hi;

    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 val)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((u32)val), "d"((u32)(val >> 32))
                     : "memory");
}

static inline void cpuid(u32 leaf, u32 *a, u32 *b, u32 *c, u32 *d)
{
    __asm__ volatile("cpuid"
                     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
                     : "a"(leaf), "c"(0));
}

static inline void outb(u16 port, u8 v)
{
    __asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}

static void putc_e9(char c)
{
    outb(0xe9, (u8)c);
}

static void puts_e9(const char *s)
{
    while (*s)
        putc_e9(*s++);
}

static void hex(u64 v, int digits)
{
    static const char d[] = "0123456789abcdef";

    for (int i = digits - 1; i >= 0; i--)
        putc_e9(d[(v >> (4 * i)) & 0xf]);
}

static void line_start(void)
{
    puts_e9("XCX " XCX_VARIANT_NAME " ");
}

/* Called from trap_common for vectors 0..31: say so, then park. */
void exception(u32 vec);
void exception(u32 vec)
{
    line_start();
    puts_e9("exception ");
    hex(vec, 2);
    putc_e9('\n');
}

/* ---- IDT ---------------------------------------------------------------- */

extern u64 idt[256];
extern char trap_stubs[];
void idt_init(void);
void idt_init(void)
{
    for (unsigned int v = 0; v < 256; v++) {
        u32 h = (u32)(trap_stubs + 16 * v);

        /* 32-bit interrupt gate, DPL 0, present, selector 0x08. */
        idt[v] = (u64)(h & 0xffff) | (u64)0x08 << 16 | (u64)0x8e00 << 32 |
                 (u64)(h >> 16) << 48;
    }
}

/* ---- MTRRs -------------------------------------------------------------- */

static u64 phys_mask(void)
{
    return ((u64)1 << maxphys) - 1;
}

static void program(const struct mtrr_setup *s, struct report *r)
{
    for (unsigned int i = 0; i < NR_REPORT; i++)
        r->init[i] = rdmsr(report_msr(i));

    /* The SDM's order: disable, program, enable. */
    wrmsr(MSR_DEF_TYPE, 0);
    for (unsigned int i = 0; i < NR_FIXED; i++) {
        wrmsr(fixed_msr[i], s->fixed[i]);
        r->set[3 + 2 * NR_VAR + i] = s->fixed[i];
        r->written[3 + 2 * NR_VAR + i] = 1;
    }
    for (unsigned int i = 0; i < NR_VAR; i++) {
        const struct var_pair *p = &s->var[i];
        u64 base = (p->base & phys_mask() & ~(u64)0xfff) | p->type;
        u64 mask = 0;

        if (p->size)
            mask = ((~(p->size - 1) & phys_mask() & ~(u64)0xfff) | 0x800) &
                   ~p->clear_bits;
        wrmsr(0x200 + 2 * i, base);
        wrmsr(0x201 + 2 * i, mask);
        r->set[3 + 2 * i] = base;
        r->set[4 + 2 * i] = mask;
        r->written[3 + 2 * i] = r->written[4 + 2 * i] = 1;
    }
    wrmsr(MSR_DEF_TYPE, s->def_type);
    r->set[1] = s->def_type;
    r->written[1] = 1;

    for (unsigned int i = 0; i < NR_REPORT; i++)
        r->got[i] = rdmsr(report_msr(i));
}

/* Hex without leading zeros: every character is a VM exit, keep it short. */
static void hex_short(u64 v)
{
    int digits = 1;

    while (digits < 16 && (v >> (4 * digits)))
        digits++;
    hex(v, digits);
}

/* "got" for every MSR; "init" only where the power-on value is not 0, "set"
 * only where the value written is not what reads back. */
static void print_report(unsigned int vcpu, const struct report *r)
{
    static const char *const phase[] = {"init", "set", "got"};

    for (unsigned int ph = 0; ph < 3; ph++)
        for (unsigned int i = 0; i < NR_REPORT; i++) {
            const u64 *v = ph == 0 ? r->init : ph == 1 ? r->set : r->got;

            if (ph == 0 && !v[i])
                continue;
            if (ph == 1 && (!r->written[i] || r->set[i] == r->got[i]))
                continue;
            line_start();
            putc_e9('v');
            putc_e9((char)('0' + vcpu));
            putc_e9(' ');
            puts_e9(phase[ph]);
            putc_e9(' ');
            hex(report_msr(i), 3);
            putc_e9(' ');
            hex_short(v[i]);
            putc_e9('\n');
        }
}

/* ---- Hypercalls and the second vCPU ------------------------------------- */

static u8 hypercall_page[4096] __attribute__((aligned(4096)));

static int hypercall_init(void)
{
    for (u32 base = 0x40000000; base < 0x40010000; base += 0x100) {
        u32 a, b, c, d;

        cpuid(base, &a, &b, &c, &d);
        /* "XenVMMXenVMM" */
        if (b == 0x566e6558 && c == 0x65584d4d && d == 0x4d4d566e &&
            a >= base + 2) {
            cpuid(base + 2, &a, &b, &c, &d);
            wrmsr(b, (u32)hypercall_page);
            return 0;
        }
    }
    return -1;
}

static long hypercall3(unsigned int op, u32 a1, u32 a2, u32 a3)
{
    long ret;
    u32 b = a1, c = a2, d = a3;

    __asm__ volatile("call *%[entry]"
                     : "=a"(ret), "+b"(b), "+c"(c), "+d"(d)
                     : [entry] "r"(hypercall_page + op * 32)
                     : "memory");
    return ret;
}

#define HYPERVISOR_vcpu_op 24
#define VCPUOP_initialise  0
#define VCPUOP_up          1

/* struct vcpu_hvm_context of xen/hvm/hvm_vcpu.h, 32-bit mode. */
struct vcpu_hvm_context {
    u32 mode, pad;
    struct {
        u32 eax, ecx, edx, ebx, esp, ebp, esi, edi, eip, eflags;
        u32 cr0, cr3, cr4, pad1;
        u64 efer;
        u32 cs_base, ds_base, ss_base, es_base, tr_base;
        u32 cs_limit, ds_limit, ss_limit, es_limit, tr_limit;
        u16 cs_ar, ds_ar, ss_ar, es_ar, tr_ar;
        u16 pad2[3];
    } r;
} __attribute__((aligned(8)));
_Static_assert(__builtin_offsetof(struct vcpu_hvm_context, r.efer) == 64,
               "vcpu_hvm_context layout");
_Static_assert(__builtin_offsetof(struct vcpu_hvm_context, r.cs_ar) == 112,
               "vcpu_hvm_context layout");
_Static_assert(sizeof(struct vcpu_hvm_context) == 128,
               "vcpu_hvm_context layout");

extern char ap_entry[];
static u8 ap_stack[8192] __attribute__((aligned(16)));
static struct vcpu_hvm_context ap_ctx;

void ap_main(unsigned int vcpu);
void ap_main(unsigned int vcpu)
{
    program(&setups[vcpu], &reports[vcpu]);
    __atomic_store_n(&ap_done, 1, __ATOMIC_SEQ_CST);
}

static long start_ap(void)
{
    long rc;

    ap_ctx.mode = 0; /* VCPU_HVM_MODE_32B */
    ap_ctx.r.eip = (u32)ap_entry;
    ap_ctx.r.esp = (u32)(ap_stack + sizeof(ap_stack));
    ap_ctx.r.eflags = 0x2;
    ap_ctx.r.cr0 = 0x11; /* PE, ET */
    ap_ctx.r.cs_limit = ap_ctx.r.ds_limit = ap_ctx.r.ss_limit =
        ap_ctx.r.es_limit = 0xffffffff;
    ap_ctx.r.cs_ar = 0xc9b; /* code, G, D, P */
    ap_ctx.r.ds_ar = ap_ctx.r.ss_ar = ap_ctx.r.es_ar = 0xc93;
    ap_ctx.r.tr_limit = 0x67;
    ap_ctx.r.tr_ar = 0x8b; /* busy 32-bit TSS, P */
    rc = hypercall3(HYPERVISOR_vcpu_op, VCPUOP_initialise, 1, (u32)&ap_ctx);
    if (rc)
        return rc;
    return hypercall3(HYPERVISOR_vcpu_op, VCPUOP_up, 1, 0);
}

/* ---- The write loop of the "watch" variant ------------------------------ */

#ifdef XCX_LOOP_PAIR
/*
 * vCPU 0 keeps rewriting MTRRphysBase<XCX_LOOP_PAIR>, alternating its type
 * between the programmed one (a) and XCX_LOOP_TYPE (b), reads each write
 * back, and sleeps between writes on its local APIC's one-shot timer with
 * `sti; hlt` (IF=1 while halted: see park). It announces once
 *
 *   XCX watch loop <msr> <a> <b> <beat every>
 *
 * then prints "XCX watch beat <writes so far>" every XCX_BEAT_EVERY writes
 * (all hex), and "XCX watch error loop <msr> wrote <v> read <r>" once if a
 * write does not read back. It never returns.
 */
#define XCX_BEAT_EVERY 8
/* One-shot timer count, divide by 1: 10 ms on Xen's 100 MHz APIC bus. */
#define XCX_LOOP_TICKS 1000000u
#define LAPIC_BASE     0xfee00000u
#define LAPIC_SVR      0xf0
#define LAPIC_LVTT     0x320
#define LAPIC_TMICT    0x380
#define LAPIC_TDCR     0x3e0
#define TIMER_VECTOR   0x40

static void lapic_write(u32 reg, u32 v)
{
    *(volatile u32 *)(LAPIC_BASE + reg) = v;
}

static void loop_writes(void)
{
    const u32 msr = 0x200 + 2 * XCX_LOOP_PAIR;
    const u64 a = rdmsr(msr), b = (a & ~(u64)0xff) | XCX_LOOP_TYPE;
    int reported = 0;

    line_start();
    puts_e9("loop ");
    hex(msr, 3);
    putc_e9(' ');
    hex_short(a);
    putc_e9(' ');
    hex_short(b);
    putc_e9(' ');
    hex_short(XCX_BEAT_EVERY);
    putc_e9('\n');

    lapic_write(LAPIC_SVR, 0x1ff); /* APIC on, spurious vector 0xff */
    lapic_write(LAPIC_TDCR, 0xb);  /* divide by 1 */
    for (u32 n = 1;; n++) {
        const u64 v = n & 1 ? b : a;
        u64 got;

        wrmsr(msr, v);
        got = rdmsr(msr);
        if (got != v && !reported) {
            reported = 1;
            line_start();
            puts_e9("error loop ");
            hex(msr, 3);
            puts_e9(" wrote ");
            hex_short(v);
            puts_e9(" read ");
            hex_short(got);
            putc_e9('\n');
        }
        if (n % XCX_BEAT_EVERY == 0) {
            line_start();
            puts_e9("beat ");
            hex_short(n);
            putc_e9('\n');
        }
        /* Armed with IF=0: a timer that fires before the hlt stays
         * pending and ends it; trap_common sends the EOI. */
        lapic_write(LAPIC_LVTT, TIMER_VECTOR); /* one-shot, unmasked */
        lapic_write(LAPIC_TMICT, XCX_LOOP_TICKS);
        __asm__ volatile("sti; hlt; cli" ::: "memory");
    }
}
#endif

/* ---- Main -----------------------------------------------------------------
 */

void guest_main(unsigned int vcpu);
void guest_main(unsigned int vcpu)
{
    u32 a, b, c, d;

    cpuid(0x80000000, &a, &b, &c, &d);
    maxphys = 36;
    if (a >= 0x80000008) {
        cpuid(0x80000008, &a, &b, &c, &d);
        maxphys = a & 0xff;
    }
    line_start();
    puts_e9("start maxphys ");
    hex_short(maxphys);
    puts_e9(" vcpus ");
    hex_short(XCX_NR_VCPUS);
    putc_e9('\n');

    program(&setups[vcpu], &reports[vcpu]);
    print_report(vcpu, &reports[vcpu]);

    if (XCX_NR_VCPUS > 1) {
        long rc;

        if (hypercall_init()) {
            line_start();
            puts_e9("error no hypercall page\n");
            return;
        }
        rc = start_ap();
        if (rc) {
            line_start();
            puts_e9("error vcpu_op ");
            hex((u32)rc, 8);
            putc_e9('\n');
            return;
        }
        for (u32 spin = 0; !__atomic_load_n(&ap_done, __ATOMIC_SEQ_CST);
             spin++) {
            if (spin == 0x40000000u) {
                line_start();
                puts_e9("error vcpu 1 does not finish\n");
                return;
            }
            __asm__ volatile("pause");
        }
        print_report(1, &reports[1]);
    }
    line_start();
    puts_e9("all done\n");
#ifdef XCX_LOOP_PAIR
    loop_writes();
#endif
}
