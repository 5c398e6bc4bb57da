/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* MTRR001: vCPUs whose MTRR or PAT state differ. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"

static const char *const pair_names[XCX_MTRR_VAR_MAX] = {
    "pair 0", "pair 1", "pair 2", "pair 3",
    "pair 4", "pair 5", "pair 6", "pair 7",
};

unsigned int audit_compare(const struct xcx_mtrr_state *a,
                           const struct xcx_mtrr_state *b, const char **regs,
                           unsigned int max)
{
    const struct xcx_mtrr_regs *x = &a->regs, *y = &b->regs;
    bool e = x->def_type & XCX_MTRR_DEF_E;
    unsigned int n = 0;

#define DIFF(name)                                                             \
    do {                                                                       \
        if (regs && n < max)                                                   \
            regs[n] = (name);                                                  \
        n++;                                                                   \
    } while (0)

    if (e != !!(y->def_type & XCX_MTRR_DEF_E))
        DIFF("MTRRdefType");
    else if (e && x->def_type != y->def_type) /* type or FE */
        DIFF("MTRRdefType");
    if (e && (y->def_type & XCX_MTRR_DEF_E) &&
        (x->def_type & XCX_MTRR_DEF_FE) && (y->def_type & XCX_MTRR_DEF_FE) &&
        memcmp(x->fixed, y->fixed, sizeof(x->fixed)))
        DIFF("the fixed ranges");
    if (e && (y->def_type & XCX_MTRR_DEF_E)) {
        if (a->vcnt != b->vcnt)
            DIFF("MTRRcap.VCNT");
        for (unsigned int i = 0; i < a->vcnt && i < b->vcnt; i++)
            if ((a->var_known & b->var_known) >> i & 1 &&
                (x->var[i].base != y->var[i].base ||
                 x->var[i].mask != y->var[i].mask))
                DIFF(pair_names[i]);
    }
    if (x->pat != y->pat)
        DIFF("PAT");
#undef DIFF
    return n;
}

/* "A", "A and B", "A, B and C". */
static void join(char *buf, size_t size, const char *const *names,
                 unsigned int n)
{
    size_t used = 0;

    buf[0] = '\0';
    for (unsigned int i = 0; i < n && used < size; i++)
        used += snprintf(buf + used, size - used, "%s%s",
                         !i           ? ""
                         : i == n - 1 ? " and "
                                      : ", ",
                         names[i]);
}

struct diff_arg {
    struct audit_finding *f;
};

static void add_change(void *arg, const struct xcx_mtrr_change *ch)
{
    struct diff_arg *d = arg;

    audit_add_range(d->f, ch->start, ch->end, ch->to, ch->from);
}

/* Where the types of vCPU 0's class and class @k differ. */
int audit_type_diff(const struct audit_class *k0, const struct audit_class *k,
                    struct audit_finding *f)
{
    xcx_mtrr_snapshot *m0 = NULL, *m1 = NULL;
    struct diff_arg d = {f};
    int rc = -1;

    if (!k0->map || !k->map || k0->st->maxphysaddr != k->st->maxphysaddr)
        return 0;
    m0 = xcx_mtrr_snapshot_take(k0->map);
    m1 = m0 ? xcx_mtrr_snapshot_take(k->map) : NULL;
    if (m1)
        rc = xcx_mtrr_snapshot_diff(m0, m1, add_change, &d, NULL);
    xcx_mtrr_snapshot_free(m0);
    xcx_mtrr_snapshot_free(m1);
    return rc;
}

int audit_vcpu_rule(struct audit_ctx *c)
{
    const struct audit_class *k0 = &c->cls[0];

    for (unsigned int i = 1; i < c->nr_cls; i++) {
        const struct audit_class *k = &c->cls[i];
        const char *regs[XCX_MTRR_VAR_MAX + 4];
        unsigned int n = audit_compare(k0->st, k->st, regs, 12);
        unsigned int *vcpus;
        struct audit_finding *f;
        char list[64], names[160];

        if (!n) /* they differ only in which pairs they know */
            continue;
        vcpus = malloc((k->nr + 1) * sizeof(*vcpus));
        if (!vcpus)
            return -1;
        vcpus[0] = 0;
        memcpy(vcpus + 1, k->vcpus, k->nr * sizeof(*vcpus));
        f = audit_add(c->r, ID_VCPU_MISMATCH, SEV_ERROR, true, vcpus,
                      k->nr + 1);
        free(vcpus);
        if (!f)
            return -1;
        memcpy(f->registers, regs, n * sizeof(*regs));
        f->nr_registers = n;
        join(names, sizeof(names), regs, n);
        audit_text(f,
                   "vCPU%s %s differ%s from vCPU 0 in %s; the SDM requires "
                   "identical MTRRs on all processors, and Xen compares "
                   "these registers (mtrr_pat_not_equal()) when it decides "
                   "the domain's cache behaviour",
                   k->nr > 1 ? "s" : "",
                   audit_vcpu_list(k->vcpus, k->nr, list, sizeof(list)),
                   k->nr > 1 ? "" : "s", names);
        if (audit_type_diff(k0, k, f))
            return -1;
    }
    return 0;
}
