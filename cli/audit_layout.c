/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Rules on what is known of the guest besides its records: MTRR008
 * (whether Xen honours its types), MTRR009 (its memory layout cannot be
 * known), MTRR010 (RAM covered by UC or WC) and MTRR011 (device memory
 * covered by WB).
 */
#include <inttypes.h>

#include "audit_internal.h"

#define WHO                                                                    \
    "only domains with passthrough devices, I/O memory or I/O ports get "      \
    "their types honoured"

static int honour(struct audit_ctx *c)
{
    const struct audit_facts *fx = c->s->facts;
    struct audit_finding *f;

    f = audit_add(c->r, ID_HONOUR, SEV_INFO, true, c->all, c->s->nr_vcpus);
    if (!f)
        return -1;
    f->honoured = fx->honour;
    f->has_source = fx->source_file[0];
    if (fx->honour == HONOUR_UNKNOWN) {
        audit_text(f,
                   "Whether Xen honours this guest's MTRR types cannot be "
                   "determined (" WHO "): %s",
                   fx->source);
        return 0;
    }
    audit_text(f, "%s (" WHO "): %s has %s",
               fx->honour == HONOUR_YES
                   ? "Xen honours this guest's MTRR types in its mappings of "
                     "the guest's RAM"
                   : "Xen ignores this guest's MTRR types and PAT for its "
                     "RAM, which it maps WB",
               fx->source, fx->honour_why);
    return 0;
}

static int layout_unknown(struct audit_ctx *c)
{
    const struct audit_facts *fx = c->s->facts;
    struct audit_finding *f;

    if (fx->layout_known)
        return 0;
    f = audit_add(c->r, ID_LAYOUT_UNKNOWN, SEV_INFO, true, c->all,
                  c->s->nr_vcpus);
    if (!f)
        return -1;
    f->has_source = fx->source_file[0];
    audit_text(f,
               "The guest's memory layout cannot be known, so RAM covered by "
               "UC or WC and device memory covered by WB were not checked: "
               "%s",
               fx->layout_why);
    return 0;
}

int audit_fact_rules(struct audit_ctx *c)
{
    return honour(c) || layout_unknown(c) ? -1 : 0;
}

/* Which types of an area a rule reports. */
struct area_rule {
    const char *id;
    uint32_t types; /* bit t: type t is reported */
    const char *found;
    const char *yes, *no, *unknown; /* the consequence, by honour */
};

static const struct area_rule ram_rule = {
    ID_RAM_UNCACHED,
    1u << XCX_MT_UC | 1u << XCX_MT_WC,
    "has MTRR type UC or WC in the ranges listed",
    "Xen honours this guest's types, so that RAM runs uncached or "
    "write-combined",
    "Xen maps this guest's RAM WB whatever its MTRRs say, so only the "
    "guest's own view is affected",
    "if Xen honours this guest's types, that RAM runs uncached or "
    "write-combined",
};

static const struct area_rule mmio_rule = {
    ID_MMIO_WB,
    1u << XCX_MT_WB,
    "has MTRR type WB in the ranges listed, though it holds device memory",
    "Xen maps device memory UC itself, but this guest has devices of its "
    "own whose memory its MTRRs call cacheable, which misleads the guest's "
    "choice of mapping types",
    "Xen maps device memory UC itself and ignores this guest's types, so "
    "this only misleads the guest's own choice of mapping types",
    "Xen maps device memory UC itself, so this misleads the guest's own "
    "choice of mapping types",
};

/* One finding for the pieces of @a with a reported type and the given
 * reliability; none when there are none. */
static int area(struct audit_ctx *c, const struct audit_class *k,
                const struct audit_area *a, const struct area_rule *rule,
                bool reliable)
{
    const struct audit_facts *fx = c->s->facts;
    struct audit_finding *f = NULL;

    for (size_t i = 0; i < xcx_mtrr_map_size(k->map); i++) {
        struct xcx_mtrr_map_entry e;
        uint64_t lo, hi;

        xcx_mtrr_map_entry(k->map, i, &e);
        lo = e.start > a->start ? e.start : a->start;
        hi = e.end < a->end ? e.end : a->end;
        if (lo >= hi || !(rule->types >> e.result.type & 1) ||
            e.result.reliable != reliable)
            continue;
        if (!f) {
            f = audit_add(c->r, rule->id,
                          fx->honour == HONOUR_NO ? SEV_INFO : SEV_WARNING,
                          reliable, k->vcpus, k->nr);
            if (!f)
                return -1;
            f->has_source = fx->source_file[0];
        }
        audit_add_range(f, lo, hi, e.result.type, -1);
    }
    if (!f)
        return 0;
    audit_text(f, "%s [0x%" PRIx64 ", 0x%" PRIx64 ") %s; %s", a->what, a->start,
               a->end, rule->found,
               fx->honour == HONOUR_YES  ? rule->yes
               : fx->honour == HONOUR_NO ? rule->no
                                         : rule->unknown);
    if (!reliable)
        audit_text(f, "; these types rest on variable pairs the save record "
                      "cannot show");
    audit_text(f, " (layout: %s)", fx->layout_why);
    return 0;
}

int audit_layout_rules(struct audit_ctx *c, const struct audit_class *k)
{
    const struct audit_facts *fx = c->s->facts;

    if (!fx->layout_known || !k->map ||
        !(k->st->regs.def_type & XCX_MTRR_DEF_E))
        return 0;
    for (int reliable = 1; reliable >= 0; reliable--) {
        for (unsigned int i = 0; i < fx->nr_ram; i++)
            if (area(c, k, &fx->ram[i], &ram_rule, reliable))
                return -1;
        for (unsigned int i = 0; i < fx->nr_mmio; i++)
            if (area(c, k, &fx->mmio[i], &mmio_rule, reliable))
                return -1;
    }
    return 0;
}
