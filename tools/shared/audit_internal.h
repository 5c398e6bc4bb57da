/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the rule files of the audit engine share (tools/shared/audit_*.c). */
#ifndef XCX_CLI_AUDIT_INTERNAL_H
#define XCX_CLI_AUDIT_INTERNAL_H

#include "audit.h"

/*
 * vCPUs whose states Xen would not tell apart (mtrr_pat_not_equal()) and
 * that know the same pairs: the rules run once per class, on its first
 * vCPU's state, and their findings name every vCPU of the class.
 */
struct audit_class {
    const struct xcx_mtrr_state *st;
    unsigned int *vcpus; /* ascending */
    unsigned int nr;
    xcx_mtrr_map *map; /* NULL when it could not be built: map_err */
    int map_err;
};

struct audit_ctx {
    const struct audit_subject *s;
    struct audit_report *r;
    struct audit_class *cls; /* cls[0] holds vCPU 0 */
    unsigned int nr_cls;
    unsigned int *all; /* 0 .. nr_vcpus - 1 */
};

/*
 * A new finding at the end of @r: zeroed but for @id, @sev (SEV_INFO when
 * not @reliable), @reliable and a copy of the vCPU list. NULL on ENOMEM.
 */
struct audit_finding *audit_add(struct audit_report *r, const char *id,
                                enum audit_severity sev, bool reliable,
                                const unsigned int *vcpus, unsigned int nr);

/* Append to the finding's sentence. */
void audit_text(struct audit_finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Add a range; one that continues the last with the same types extends
 * it; past AUDIT_MAX_RANGES ranges are counted in ranges_omitted. */
void audit_add_range(struct audit_finding *f, uint64_t start, uint64_t end,
                     int type, int ref_type);

/* Pairs below VCNT that the state does not know. */
static inline uint32_t audit_unknown_pairs(const struct xcx_mtrr_state *st)
{
    return ((UINT32_C(1) << st->vcnt) - 1) & ~st->var_known;
}

/*
 * Xen's mtrr_pat_not_equal() (xen/arch/x86/hvm/mtrr.c): MTRRdefType.E;
 * with E set, the default type and FE, the fixed ranges when FE is set,
 * MTRRcap.VCNT and the pairs below it; PAT always. Pairs one of the states
 * does not know are not compared. Returns how many registers differ and
 * names up to @max of them in @regs (which may be NULL).
 */
unsigned int audit_compare(const struct xcx_mtrr_state *a,
                           const struct xcx_mtrr_state *b, const char **regs,
                           unsigned int max);

/* Findings from index @from on that differ only in their vCPUs become
 * one naming them all (-1: ENOMEM). */
int audit_report_merge(struct audit_report *r, size_t from);

/* Sort as audit_run() promises. */
void audit_report_sort(struct audit_report *r);

/* "UC", or "?" for no type. */
const char *audit_type_name(int type);

/* A size as "4 KiB", "2 MiB", "384 MiB", "1 GiB" or hex bytes. */
const char *audit_size(uint64_t size, char *buf, size_t len);

/* The rules: 0, or -1 with errno (ENOMEM). */
int audit_vcpu_rule(struct audit_ctx *c); /* 001 */
int audit_reg_rules(struct audit_ctx *c,
                    const struct audit_class *k); /* 003-006 */
int audit_map_rules(struct audit_ctx *c,
                    const struct audit_class *k); /* 002, 007 */
int audit_fact_rules(struct audit_ctx *c);        /* 008, 009 */
int audit_ept_vcpu_rule(struct audit_ctx *c);     /* 012 */
/* Ranges where the types of class @k differ from those of @k0 into @f
 * (MTRR001, MTRR012); nothing when a map is missing. */
int audit_type_diff(const struct audit_class *k0, const struct audit_class *k,
                    struct audit_finding *f);
/* Whether Xen applies the guest's MTRR types: never on AMD (NPT). */
enum audit_honour audit_honour_of(const struct audit_facts *fx);
int audit_layout_rules(struct audit_ctx *c,
                       const struct audit_class *k); /* 010, 011 */

#endif
