/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audit of one guest: group its vCPUs, build their maps, run the rules. */
#include <errno.h>
#include <stdlib.h>

#include "audit_internal.h"

/* The class of the first earlier vCPU Xen would not tell apart from
 * @st (and that knows the same pairs), or a new one: its index. */
static unsigned int class_of(struct audit_ctx *c,
                             const struct xcx_mtrr_state *st)
{
    for (unsigned int i = 0; i < c->nr_cls; i++)
        if (c->cls[i].st->var_known == st->var_known &&
            !audit_compare(c->cls[i].st, st, NULL, 0))
            return i;
    c->cls[c->nr_cls].st = st;
    return c->nr_cls++;
}

/*
 * Put every vCPU in its class. Memory is linear in the vCPUs: each class's
 * list is sized by a first pass (a list of all vCPUs per class made
 * classes x vCPUs). Time is vCPUs x classes, at most 128 x 128: contexts
 * hold no more vCPUs than Xen's HVM_MAX_VCPUS (xcx_hvm_context_parse()).
 */
static int group(struct audit_ctx *c)
{
    const struct audit_subject *s = c->s;
    unsigned int *of = malloc(s->nr_vcpus * sizeof(*of));
    int rc = -1;

    c->cls = calloc(s->nr_vcpus, sizeof(*c->cls));
    if (!of || !c->cls)
        goto out;
    for (unsigned int v = 0; v < s->nr_vcpus; v++)
        c->cls[of[v] = class_of(c, &s->states[v])].nr++;
    for (unsigned int i = 0; i < c->nr_cls; i++) {
        c->cls[i].vcpus = malloc(c->cls[i].nr * sizeof(*c->cls[i].vcpus));
        if (!c->cls[i].vcpus)
            goto out;
        c->cls[i].nr = 0;
    }
    for (unsigned int v = 0; v < s->nr_vcpus; v++)
        c->cls[of[v]].vcpus[c->cls[of[v]].nr++] = v;
    rc = 0;
out:
    free(of);
    return rc;
}

/* Each class's type map; one too large (non-contiguous masks) is left
 * NULL and the rules that need it say so. */
static int build_maps(struct audit_ctx *c)
{
    for (unsigned int i = 0; i < c->nr_cls; i++) {
        struct audit_class *k = &c->cls[i];

        k->map = xcx_mtrr_map_build(k->st, NULL);
        if (!k->map) {
            if (errno == ENOMEM)
                return -1;
            k->map_err = errno;
        }
    }
    return 0;
}

static int rules(struct audit_ctx *c)
{
    if (audit_vcpu_rule(c) || audit_fact_rules(c) || audit_ept_vcpu_rule(c))
        return -1;
    for (unsigned int i = 0; i < c->nr_cls; i++) {
        const struct audit_class *k = &c->cls[i];

        if (audit_reg_rules(c, k) || audit_map_rules(c, k) ||
            audit_layout_rules(c, k))
            return -1;
    }
    return 0;
}

int audit_run(const struct audit_subject *s, struct audit_report *r)
{
    struct audit_ctx c = {.s = s, .r = r};
    size_t first = r->n;
    int rc = -1, saved;

    if (!s->nr_vcpus) {
        errno = EINVAL;
        return -1;
    }
    c.all = malloc(s->nr_vcpus * sizeof(*c.all));
    if (!c.all)
        return -1;
    for (unsigned int v = 0; v < s->nr_vcpus; v++)
        c.all[v] = v;
    if (!group(&c) && !build_maps(&c) && !rules(&c) &&
        !audit_report_merge(r, first))
        rc = 0;
    saved = errno;
    for (size_t i = first; i < r->n; i++)
        audit_text(&r->f[i], ".");
    audit_report_sort(r);
    for (unsigned int i = 0; c.cls && i < c.nr_cls; i++) {
        xcx_mtrr_map_free(c.cls[i].map);
        free(c.cls[i].vcpus);
    }
    free(c.cls);
    free(c.all);
    errno = saved;
    return rc;
}
