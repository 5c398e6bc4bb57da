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

enum audit_honour audit_honour_of(const struct audit_facts *fx)
{
    return fx->vendor == XCX_VENDOR_AMD ? HONOUR_NO : fx->honour;
}

/* AMD: whatever the domain's permissions, Xen never consults guest MTRRs
 * (xen/arch/x86/mm/p2m-pt.c) and NPT has no ignore-PAT bit. */
static void honour_amd(struct audit_finding *f, const struct audit_facts *fx)
{
    audit_text(f,
               "On this AMD host (NPT, %s) Xen never uses this guest's MTRR "
               "types: its nested entries take the host PAT entry of their "
               "P2M type (WB for RAM, UC- for I/O memory) over the host MTRRs, "
               "and the guest PAT is always live, combined with them as the "
               "APM describes",
               fx->vendor_source);
}

static void honour_intel(struct audit_finding *f, const struct audit_facts *fx)
{
    if (fx->honour == HONOUR_UNKNOWN)
        audit_text(f,
                   "Whether Xen honours this guest's MTRR types cannot be "
                   "determined (" WHO "): %s",
                   fx->source);
    else
        audit_text(f, "%s (" WHO "): %s has %s",
                   fx->honour == HONOUR_YES
                       ? "Xen honours this guest's MTRR types in its mappings "
                         "of the guest's RAM"
                       : "Xen ignores this guest's MTRR types and PAT for its "
                         "RAM, which it maps WB",
                   fx->source, fx->honour_why);
    if (fx->vendor == XCX_VENDOR_INTEL)
        audit_text(f, "; on this Intel host (%s) ", fx->vendor_source);
    else
        audit_text(f, "; the host's vendor is not known (%s): on Intel hosts ",
                   fx->vendor_source ? fx->vendor_source : "no --vendor");
    audit_text(f, "%s",
               fx->honour == HONOUR_YES
                   ? "the EPT type is the guest MTRR type combined with the "
                     "host's, ignore-PAT clear, so the guest PAT is live"
               : fx->honour == HONOUR_NO
                   ? "EPT maps the RAM WB with ignore-PAT, so the guest's "
                     "MTRRs and PAT change nothing there"
                   : "Xen honours them only for such domains, mapping the "
                     "RAM of others WB with ignore-PAT");
    if (fx->vendor != XCX_VENDOR_INTEL)
        audit_text(f, "; on AMD hosts Xen never uses guest MTRR types and "
                      "the guest PAT is always live");
}

static int honour(struct audit_ctx *c)
{
    const struct audit_facts *fx = c->s->facts;
    struct audit_finding *f;
    enum audit_honour h = audit_honour_of(fx);

    /* Info even when it cannot be determined: that says nothing is wrong,
     * so a clean context audited offline exits 0 (--config gives facts). */
    f = audit_add(c->r, ID_HONOUR, SEV_INFO, true, c->all, c->s->nr_vcpus);
    if (!f)
        return -1;
    f->honoured = h;
    f->vendor = fx->vendor;
    f->has_source = fx->source_file[0] && fx->vendor != XCX_VENDOR_AMD;
    if (fx->vendor == XCX_VENDOR_AMD)
        honour_amd(f, fx);
    else
        honour_intel(f, fx);
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
                          audit_honour_of(fx) == HONOUR_NO ? SEV_INFO
                                                           : SEV_WARNING,
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
               audit_honour_of(fx) == HONOUR_YES  ? rule->yes
               : audit_honour_of(fx) == HONOUR_NO ? rule->no
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
