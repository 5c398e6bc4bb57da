/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Rules on one class's type map: MTRR002 (overlaps the SDM leaves
 * undefined) and MTRR007 (fixed-range types that differ within the first
 * 2 MiB, which a guest may map with one large page).
 */
#include <inttypes.h>
#include <stdio.h>

#include "audit_internal.h"

#define TWO_MIB UINT64_C(0x200000)

/* "pairs 1 (WT) and 2 (WC)". */
static void pair_types(char *buf, size_t size, const struct xcx_mtrr_state *st,
                       uint32_t pairs)
{
    unsigned int n = __builtin_popcount(pairs), k = 0;
    size_t used = snprintf(buf, size, "pairs ");

    for (unsigned int i = 0; i < 32 && used < size; i++)
        if (pairs >> i & 1) {
            k++;
            used += snprintf(buf + used, size - used, "%s%u (%s)",
                             k == 1   ? ""
                             : k == n ? " and "
                                      : ", ",
                             i, audit_type_name(st->regs.var[i].base & 0xff));
        }
}

static int overlap(struct audit_ctx *c, const struct audit_class *k,
                   const struct xcx_mtrr_map_entry *e, uint64_t end)
{
    const struct xcx_mtrr_result *r = &e->result;
    struct audit_finding *f;
    char names[160];

    f = audit_add(c->r, ID_UNDEFINED, SEV_WARNING, r->reliable, k->vcpus,
                  k->nr);
    if (!f)
        return -1;
    f->pairs = r->pairs;
    pair_types(names, sizeof(names), k->st, r->pairs);
    audit_text(f,
               "Over [0x%" PRIx64 ", 0x%" PRIx64 ") %s overlap, a "
               "combination the SDM leaves undefined; Xen applies the type "
               "of the highest matching pair, pair %u's %s (Linux 6.5 and "
               "later would take UC, KVM took WB)",
               e->start, end, names, 31 - __builtin_clz(r->pairs),
               audit_type_name(r->type));
    if (!r->reliable)
        audit_text(f, "; pairs the record cannot show may change this");
    audit_add_range(f, e->start, end, r->type, -1);
    return 0;
}

static int overlaps(struct audit_ctx *c, const struct audit_class *k)
{
    size_t n = k->map ? xcx_mtrr_map_size(k->map) : 0;

    for (size_t i = 0; i < n; i++) {
        struct xcx_mtrr_map_entry e, next;
        uint64_t end;

        xcx_mtrr_map_entry(k->map, i, &e);
        if (e.result.overlap != XCX_OVERLAP_UNDEFINED)
            continue;
        /* One finding for neighbours with the same pairs and type. */
        end = e.end;
        while (i + 1 < n && !xcx_mtrr_map_entry(k->map, i + 1, &next) &&
               next.start == end &&
               next.result.overlap == XCX_OVERLAP_UNDEFINED &&
               next.result.pairs == e.result.pairs &&
               next.result.type == e.result.type &&
               next.result.reliable == e.result.reliable) {
            end = next.end;
            i++;
        }
        if (overlap(c, k, &e, end))
            return -1;
    }
    return 0;
}

static unsigned int fixed_type(const struct xcx_mtrr_regs *regs,
                               unsigned int index)
{
    struct xcx_fixed_range fr;

    xcx_mtrr_fixed_range(regs, index, &fr);
    return fr.type;
}

static int fixed_large_page(struct audit_ctx *c, const struct audit_class *k)
{
    const struct xcx_mtrr_regs *regs = &k->st->regs;
    const uint64_t want = XCX_MTRR_DEF_E | XCX_MTRR_DEF_FE;
    struct xcx_mtrr_range_result rr;
    bool fixed_mixed = false;
    struct audit_finding *f;
    char types[64];
    size_t used = 0;

    if ((regs->def_type & want) != want || !k->map ||
        xcx_mtrr_map_range(k->map, 0, TWO_MIB, &rr) || rr.uniform)
        return 0;
    for (unsigned int i = 1; i < XCX_MTRR_FIXED_SUBRANGES; i++)
        fixed_mixed |= fixed_type(regs, i) != fixed_type(regs, 0);
    f = audit_add(c->r, ID_FIXED_LARGE, SEV_INFO, fixed_mixed || rr.reliable,
                  k->vcpus, k->nr);
    if (!f)
        return -1;
    types[0] = '\0';
    for (unsigned int t = 0; t < 8; t++)
        if (rr.types >> t & 1)
            used += snprintf(types + used, sizeof(types) - used, "%s%s",
                             used ? ", " : "", audit_type_name(t));
    audit_text(f,
               "The first 2 MiB, which a guest may map with one large page "
               "(as the first 1 GiB), hold %s %s: one large page over "
               "several MTRR types has a type the SDM leaves undefined, so "
               "guests map this area with 4 KiB pages (processors split it "
               "themselves, at a cost)",
               fixed_mixed ? "fixed ranges of the types" : "the types", types);
    for (size_t i = 0; i < xcx_mtrr_map_size(k->map); i++) {
        struct xcx_mtrr_map_entry e;

        xcx_mtrr_map_entry(k->map, i, &e);
        if (e.start >= TWO_MIB)
            break;
        audit_add_range(f, e.start, e.end < TWO_MIB ? e.end : TWO_MIB,
                        e.result.type, -1);
    }
    return 0;
}

int audit_map_rules(struct audit_ctx *c, const struct audit_class *k)
{
    return overlaps(c, k) || fixed_large_page(c, k) ? -1 : 0;
}
