/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * MTRR012: an Intel guest whose MTRR types Xen honours, with vCPUs whose
 * types differ. epte_get_entry_emt() (xen/arch/x86/mm/p2m-ept.c) takes the
 * guest MTRRs of the vCPU whose EPT fault makes it compute the entry, else
 * vCPU 0's, so the EPT type of such a range depends on which vCPU faulted.
 */
#include <stdlib.h>

#include "audit_internal.h"

int audit_ept_vcpu_rule(struct audit_ctx *c)
{
    const struct audit_facts *fx = c->s->facts;
    const struct audit_class *k0 = &c->cls[0];
    char list[64];

    if (fx->vendor != XCX_VENDOR_INTEL || fx->honour != HONOUR_YES)
        return 0;
    for (unsigned int i = 1; i < c->nr_cls; i++) {
        const struct audit_class *k = &c->cls[i];
        struct audit_finding *f;
        size_t n = c->r->n;

        f = audit_add(c->r, ID_EPT_VCPU, SEV_WARNING, true, k->vcpus, k->nr);
        if (!f || audit_type_diff(k0, k, f))
            return -1;
        if (!f->nr_ranges) { /* same types: nothing depends on the vCPU */
            free(f->vcpus);
            c->r->n = n;
            continue;
        }
        f->has_source = fx->source_file[0];
        audit_text(f,
                   "Xen honours this guest's MTRR types on this Intel host "
                   "(%s), and vCPU%s %s give%s other types than vCPU 0 in the "
                   "ranges listed: the EPT type Xen computes there depends "
                   "on which vCPU faulted on the frame (the faulting vCPU's "
                   "MTRRs, else vCPU 0's)",
                   fx->vendor_source, k->nr > 1 ? "s" : "",
                   audit_vcpu_list(k->vcpus, k->nr, list, sizeof(list)),
                   k->nr > 1 ? "" : "s");
    }
    return 0;
}
