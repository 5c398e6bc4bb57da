/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define __XEN_TOOLS__ 1
#include <xen/xen.h>
#include <xen/hvm/save.h>

#include "ctxbuild.h"

_Static_assert(sizeof(struct hvm_hw_mtrr) == XCX_MTRR_RECORD_SIZE,
               "MTRR record size");
_Static_assert(sizeof(struct hvm_save_header) == CTXB_HEADER_SIZE,
               "HEADER size");
_Static_assert(sizeof(struct hvm_save_descriptor) == CTXB_DESC_SIZE,
               "descriptor size");
_Static_assert(HVM_FILE_MAGIC == CTXB_HVM_MAGIC, "magic");
_Static_assert(HVM_FILE_VERSION == CTXB_HVM_VERSION, "version");
_Static_assert(HVM_SAVE_CODE(HEADER) == CTXB_CODE_HEADER, "HEADER code");
_Static_assert(HVM_SAVE_CODE(CPU) == CTXB_CODE_CPU, "CPU code");
_Static_assert(HVM_SAVE_CODE(LAPIC) == CTXB_CODE_LAPIC, "LAPIC code");
_Static_assert(HVM_SAVE_CODE(MTRR) == CTXB_CODE_MTRR, "MTRR code");
_Static_assert(HVM_SAVE_CODE(END) == CTXB_CODE_END, "END code");

uint64_t ctxb_mask(uint64_t size, unsigned int width)
{
    uint64_t bits = ((UINT64_C(1) << width) - 1) & ~UINT64_C(0xfff);

    return (~(size - 1) & bits) | XCX_MTRR_MASK_VALID;
}

void ctxb_set_var(struct xcx_mtrr_regs *r, unsigned int i, uint64_t base,
                  uint64_t size, unsigned int type, unsigned int width)
{
    r->var[i].base = base | type;
    r->var[i].mask = ctxb_mask(size, width);
}

void ctxb_set_fixed(struct xcx_mtrr_regs *r, unsigned int index,
                    unsigned int type)
{
    unsigned int shift = 8 * (index % 8);
    uint64_t *msr = &r->fixed[index / 8];

    *msr = (*msr & ~(UINT64_C(0xff) << shift)) | ((uint64_t)type << shift);
}

void ctxb_copy_pair0(struct xcx_mtrr_regs *r)
{
    for (unsigned int i = 1; i < XCX_MTRR_VAR_MAX; i++)
        r->var[i] = r->var[0];
}

void ctxb_regs_fill(struct xcx_mtrr_regs *r, const struct ctxb_regs_desc *d)
{
    unsigned int width = d->width ? d->width : XCX_MAXPHYSADDR_DEFAULT;
    unsigned int vcnt = d->vcnt ? d->vcnt : XCX_MTRR_VAR_MAX;

    memset(r, 0, sizeof(*r));
    r->pat = d->pat ? d->pat : CTXB_DEFAULT_PAT;
    r->cap = XCX_MTRRCAP_WC | XCX_MTRRCAP_FIX | vcnt;
    r->def_type = d->def_type | (d->e ? XCX_MTRR_DEF_E : 0) |
                  (d->fe ? XCX_MTRR_DEF_FE : 0);
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r->fixed[i] = d->fixed_type * UINT64_C(0x0101010101010101);
    for (unsigned int i = 0; i < XCX_MTRR_VAR_MAX; i++) {
        const struct ctxb_var *v = &d->var[i];

        if (v->mask) {
            r->var[i].base = v->base | v->type;
            r->var[i].mask = v->mask;
        } else if (v->size) {
            ctxb_set_var(r, i, v->base, v->size, v->type, width);
        }
    }
}

void ctxb_regs_default(struct xcx_mtrr_regs *r)
{
    const struct ctxb_regs_desc d = {
        .def_type = XCX_MT_WB,
        .e = true,
        .fe = true,
        .fixed_type = XCX_MT_WB,
        .var = {{.base = 0xc0000000, .size = 0x40000000, .type = XCX_MT_UC}},
    };

    ctxb_regs_fill(r, &d);
}

void ctxb_hvmloader_regs(struct xcx_mtrr_regs *r, bool fixed_xen)
{
    memset(r, 0, sizeof(*r));
    r->pat = CTXB_DEFAULT_PAT;
    r->cap = CTXB_DOMU_CAP;
    r->def_type = 0xc06;
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r->fixed[i] = UINT64_C(0x0606060606060606);
    r->fixed[2] = UINT64_C(0x0101010101010101); /* 0x259: VGA hole WC */
    ctxb_set_var(r, 0, 0xe8000000, 0x08000000, XCX_MT_UC, 36);
    if (fixed_xen)
        ctxb_set_var(r, 1, 0xf0000000, 0x10000000, XCX_MT_UC, 36);
    else
        ctxb_copy_pair0(r);
}

void ctxb_record_encode(const struct xcx_mtrr_regs *r,
                        uint8_t out[XCX_MTRR_RECORD_SIZE])
{
    /* Offsets of struct hvm_hw_mtrr, checked against Xen's header. */
    _Static_assert(offsetof(struct hvm_hw_mtrr, msr_pat_cr) == 0, "pat");
    _Static_assert(offsetof(struct hvm_hw_mtrr, msr_mtrr_var) == 8, "var");
    _Static_assert(offsetof(struct hvm_hw_mtrr, msr_mtrr_fixed) == 136, "fix");
    _Static_assert(offsetof(struct hvm_hw_mtrr, msr_mtrr_cap) == 224, "cap");
    _Static_assert(offsetof(struct hvm_hw_mtrr, msr_mtrr_def_type) == 232,
                   "def");

    ctxb_le_store(out, r->pat, 8);
    for (unsigned int i = 0; i < XCX_MTRR_VAR_MAX; i++) {
        ctxb_le_store(out + 8 + 16 * i, r->var[i].base, 8);
        ctxb_le_store(out + 16 + 16 * i, r->var[i].mask, 8);
    }
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        ctxb_le_store(out + 136 + 8 * i, r->fixed[i], 8);
    ctxb_le_store(out + 224, r->cap, 8);
    ctxb_le_store(out + 232, r->def_type, 8);
}

void ctxb_blob_free(struct ctxb_blob *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

void ctxb_put_bytes(struct ctxb_blob *b, const void *p, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;

        while (cap < b->len + n)
            cap *= 2;
        b->data = realloc(b->data, cap);
        if (!b->data) {
            perror("ctxbuild");
            abort();
        }
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
}

void ctxb_put_record(struct ctxb_blob *b, uint16_t code, uint16_t instance,
                     uint32_t desc_len, const void *payload, size_t n)
{
    uint8_t desc[CTXB_DESC_SIZE];

    ctxb_le_store(desc, code, 2);
    ctxb_le_store(desc + 2, instance, 2);
    ctxb_le_store(desc + 4, desc_len, 4);
    ctxb_put_bytes(b, desc, sizeof(desc));
    ctxb_put_bytes(b, payload, n);
}

void ctxb_put_header(struct ctxb_blob *b, uint32_t magic)
{
    uint8_t h[CTXB_HEADER_SIZE];

    ctxb_le_store(h, magic, 4);
    ctxb_le_store(h + 4, CTXB_HVM_VERSION, 4);
    ctxb_le_store(h + 8, 0, 8);           /* changeset: "unavailable" */
    ctxb_le_store(h + 16, 0x000306c3, 4); /* CPUID 1 EAX of the saving host */
    ctxb_le_store(h + 20, 2394000, 4);    /* guest TSC kHz */
    ctxb_put_record(b, CTXB_CODE_HEADER, 0, sizeof(h), h, sizeof(h));
}

void ctxb_put_cpu(struct ctxb_blob *b, uint16_t vcpu)
{
    struct hvm_hw_cpu cpu;

    /* Only its size matters: the parser skips CPU records. */
    memset(&cpu, 0, sizeof(cpu));
    ctxb_put_record(b, CTXB_CODE_CPU, vcpu, sizeof(cpu), &cpu, sizeof(cpu));
}

void ctxb_put_mtrr(struct ctxb_blob *b, uint16_t vcpu,
                   const struct xcx_mtrr_regs *r)
{
    uint8_t rec[XCX_MTRR_RECORD_SIZE];

    ctxb_record_encode(r, rec);
    ctxb_put_record(b, CTXB_CODE_MTRR, vcpu, sizeof(rec), rec, sizeof(rec));
}

void ctxb_put_end(struct ctxb_blob *b)
{
    ctxb_put_record(b, CTXB_CODE_END, 0, 0, NULL, 0);
}

/* An unknown-to-the-parser record of an odd size (13..36), to be skipped. */
static void put_extra(struct ctxb_blob *b, uint16_t instance)
{
    uint8_t junk[36];
    uint32_t len = 13 + instance % 24;

    memset(junk, 0x5a, sizeof(junk));
    ctxb_put_record(b, CTXB_CODE_LAPIC, instance, len, junk, len);
}

static void put_mtrr_of(struct ctxb_blob *b, const struct ctxb_ctx_desc *d,
                        const struct xcx_mtrr_regs *r, unsigned int vcpu)
{
    if (d->fault == CTXB_DROP_MTRR && vcpu == d->fault_vcpu)
        return;
    if (d->fault == CTXB_MTRR_LEN && vcpu == d->fault_vcpu) {
        uint8_t rec[XCX_MTRR_RECORD_SIZE + 64];

        memset(rec, 0, sizeof(rec));
        ctxb_record_encode(r, rec);
        if (d->fault_arg > sizeof(rec))
            abort();
        ctxb_put_record(b, CTXB_CODE_MTRR, vcpu, d->fault_arg, rec,
                        d->fault_arg);
        return;
    }
    ctxb_put_mtrr(b, vcpu, r);
    if (d->fault == CTXB_DUP_MTRR && vcpu == d->fault_vcpu)
        ctxb_put_mtrr(b, vcpu, r);
}

void ctxb_build(struct ctxb_blob *b, const struct ctxb_ctx_desc *d)
{
    struct xcx_mtrr_regs def;
    uint32_t magic = CTXB_HVM_MAGIC;

    ctxb_regs_default(&def);
    if (d->fault == CTXB_BAD_MAGIC)
        magic = d->fault_arg ? d->fault_arg : CTXB_HVM_MAGIC ^ 1;
    if (d->fault == CTXB_HEADER_NOT_FIRST)
        ctxb_put_cpu(b, 0);
    if (d->fault == CTXB_HEADER_LEN) {
        uint8_t h[64];
        struct ctxb_blob tmp = {0};

        ctxb_put_header(&tmp, magic);
        memset(h, 0, sizeof(h));
        memcpy(h, tmp.data + CTXB_DESC_SIZE, CTXB_HEADER_SIZE);
        ctxb_blob_free(&tmp);
        if (d->fault_arg > sizeof(h))
            abort();
        ctxb_put_record(b, CTXB_CODE_HEADER, 0, d->fault_arg, h, d->fault_arg);
    } else if (d->fault != CTXB_NO_HEADER) {
        ctxb_put_header(b, magic);
    }
    if (d->cpu_records)
        for (unsigned int v = 0; v < d->nr_vcpus; v++)
            ctxb_put_cpu(b, v);
    if (d->extra_records)
        for (unsigned int v = 0; v < d->nr_vcpus; v++)
            put_extra(b, v);
    if (d->fault != CTXB_NO_MTRR) {
        for (unsigned int k = 0; k < d->nr_vcpus; k++) {
            unsigned int v = d->reverse_mtrr ? d->nr_vcpus - 1 - k : k;
            const struct xcx_mtrr_regs *r = &def;

            if (d->regs)
                r = &d->regs[d->nr_regs > 1 ? v % d->nr_regs : 0];
            put_mtrr_of(b, d, r, v);
        }
    }
    if (d->extra_records)
        put_extra(b, 0);
    if (d->fault == CTXB_LEN_PAST_END) {
        uint8_t junk[16] = {0};

        ctxb_put_record(b, CTXB_CODE_LAPIC, 0, d->fault_arg, junk,
                        sizeof(junk));
        return;
    }
    if (d->fault != CTXB_NO_END)
        ctxb_put_end(b);
    if (d->fault == CTXB_TRAILING) {
        uint32_t n = d->fault_arg ? d->fault_arg : 1;

        for (uint32_t i = 0; i < n; i++)
            ctxb_put_bytes(b, "\xaa", 1);
    }
}
