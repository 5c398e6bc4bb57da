/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Entry of the e2e PVH test guest. Xen enters a PVH guest at the address in
 * its XEN_ELFNOTE_PHYS32_ENTRY note in 32-bit protected mode, paging off,
 * with flat CS/DS/SS but no GDT or IDT of its own: load ours first.
 * vCPU 1 comes up at ap_entry (VCPUOP_initialise, see pvh-main.c).
 */
#define XEN_ELFNOTE_PHYS32_ENTRY 18

        .section .note.Xen, "a", @note
        .balign 4
        .long   4                       /* namesz: "Xen\0" */
        .long   4                       /* descsz */
        .long   XEN_ELFNOTE_PHYS32_ENTRY
        .asciz  "Xen"
        .balign 4
        .long   pvh_start

        .text
        .code32
        .globl  pvh_start
pvh_start:
        cli
        cld
        lgdt    gdt_desc
        ljmp    $0x08, $1f
1:      movl    $0x10, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        movl    %eax, %fs
        movl    %eax, %gs
        movl    $bsp_stack_top, %esp
        call    idt_init
        lidt    idt_desc
        pushl   $0
        call    guest_main
        jmp     park

        .globl  ap_entry
ap_entry:                               /* %esp set by VCPUOP_initialise */
        cli
        cld
        lgdt    gdt_desc
        ljmp    $0x08, $2f
2:      movl    $0x10, %eax
        movl    %eax, %ds
        movl    %eax, %es
        movl    %eax, %ss
        movl    %eax, %fs
        movl    %eax, %gs
        lidt    idt_desc
        pushl   $1
        call    ap_main
        /* fall through */

        /* Halt for good with interrupts enabled: a vCPU that halts with
         * IF=0 is taken as down, and Xen shuts the domain down when all
         * are. No interrupt source is set up, so nothing wakes us (the
         * "watch" variant's timer runs on vCPU 0, which never parks). */
        .globl  park
park:
        sti
        hlt
        jmp     park

/* One stub per vector: push the vector, go to trap_common. */
        .balign 16
        .globl  trap_stubs
trap_stubs:
        .set    vec, 0
        .rept   256
        .balign 16
        pushl   $vec
        jmp     trap_common
        .set    vec, vec + 1
        .endr

trap_common:
        cmpl    $32, (%esp)
        jb      1f
        cmpl    $0xff, (%esp)           /* the APIC's spurious vector: */
        je      2f                      /* no EOI */
        movl    $0, 0xfee000b0          /* EOI (the "watch" loop's timer) */
2:      addl    $4, %esp                /* an interrupt: ignore it */
        iret
1:      call    exception               /* an exception: report, park */
        jmp     park

        .section .note.GNU-stack, "", @progbits

        .data
        .balign 8
gdt:
        .quad   0
        .quad   0x00cf9b000000ffff      /* 0x08: flat 32-bit code */
        .quad   0x00cf93000000ffff      /* 0x10: flat 32-bit data */
gdt_end:
        .balign 4
        .word   0
gdt_desc:
        .word   gdt_end - gdt - 1
        .long   gdt
        .word   0
idt_desc:
        .word   256 * 8 - 1
        .long   idt

        .bss
        .balign 16
        .globl  idt
idt:
        .space  256 * 8
        .balign 16
        .space  16384
bsp_stack_top:
