/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Rules on one class's registers: MTRR003 (E clear), MTRR004 (pairs the
 * record cannot show), MTRR005 (a base with bits its mask ignores: not
 * aligned to the size) and MTRR006 (a mask that is not contiguous).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"
#include "common.h"

static int disabled(struct audit_ctx *c, const struct audit_class *k)
{
    const struct audit_facts *fx = c->s->facts;
    struct audit_finding *f;

    if (k->st->regs.def_type & XCX_MTRR_DEF_E)
        return 0;
    f = audit_add(c->r, ID_DISABLED, fx->paused ? SEV_INFO : SEV_WARNING, true,
                  k->vcpus, k->nr);
    if (!f)
        return -1;
    audit_text(f,
               "MTRRdefType " REG " has E clear: the MTRRs are "
               "disabled and all memory is UC to the guest",
               k->st->regs.def_type);
    if (fx->paused)
        audit_text(f, "; the domain is paused, and this is the power-on "
                      "state of a guest whose firmware has not run yet");
    else if (fx->offline)
        audit_text(f, " in this context");
    else
        audit_text(f, " while it runs");
    audit_add_range(f, 0, UINT64_C(1) << k->st->maxphysaddr, XCX_MT_UC, -1);
    return 0;
}

static int unknown(struct audit_ctx *c, const struct audit_class *k)
{
    uint32_t pairs = audit_unknown_pairs(k->st);
    struct audit_finding *f;
    char list[32];

    if (!pairs)
        return 0;
    f = audit_add(c->r, ID_UNKNOWN_PAIRS, SEV_INFO, true, k->vcpus, k->nr);
    if (!f)
        return -1;
    f->pairs = pairs;
    audit_text(f,
               "Variable pair%s %s cannot be known from the save record "
               "(Xen 4.12 and later save pair 0 into every slot), so the "
               "findings that depend on them are marked unreliable; to know "
               "them exactly, record the guest's writes from its creation "
               "(xl create -p, then xc-mtrr-watch --from-start --unpause "
               "--record LOG DOMID) and audit a saved context with --replay "
               "LOG",
               (pairs & (pairs - 1)) ? "s" : "",
               pair_list(pairs, list, sizeof(list)));
    return 0;
}

/* Bit positions set in @bits, filled from the low bits of @k in order
 * (a software PDEP). */
static uint64_t deposit(uint64_t k, uint64_t bits)
{
    uint64_t out = 0;

    for (; bits && k; bits &= bits - 1, k >>= 1)
        if (k & 1)
            out |= bits & -bits;
    return out;
}

static int misaligned(struct audit_ctx *c, const struct audit_class *k,
                      unsigned int i, const struct xcx_mtrr_pair *s)
{
    const struct xcx_mtrr_state *st = k->st;
    uint64_t base = st->regs.var[i].base & ~UINT64_C(0xfff);
    struct audit_finding *f;
    char size[32];

    if (base == s->start)
        return 0;
    f = audit_add(c->r, ID_MISALIGNED, SEV_WARNING, true, k->vcpus, k->nr);
    if (!f)
        return -1;
    f->pairs = UINT32_C(1) << i;
    if (s->contiguous) {
        audit_text(f,
                   "Pair %u's base 0x%" PRIx64 " is not aligned to its size "
                   "%s: matching ignores the base's low bits, so the pair "
                   "covers [0x%" PRIx64 ", 0x%" PRIx64 ") %s, not the range "
                   "from 0x%" PRIx64 " it names",
                   i, base, audit_size(s->size, size, sizeof(size)), s->start,
                   s->start + s->size, audit_type_name(s->type), base);
        audit_add_range(f, s->start, s->start + s->size, s->type, -1);
    } else {
        audit_text(f,
                   "Pair %u's base 0x%" PRIx64 " has bits that its mask " REG
                   " leaves out, which matching ignores",
                   i, base, st->regs.var[i].mask);
    }
    return 0;
}

static int noncontiguous(struct audit_ctx *c, const struct audit_class *k,
                         unsigned int i, const struct xcx_mtrr_pair *s)
{
    const struct xcx_mtrr_state *st = k->st;
    uint64_t bits = ((UINT64_C(1) << st->maxphysaddr) - 1) & ~UINT64_C(0xfff);
    uint64_t holes = bits & ~st->regs.var[i].mask & ~(s->low - 1);
    uint64_t count = UINT64_C(1) << __builtin_popcountll(holes);
    struct audit_finding *f;
    char size[32];

    if (s->contiguous)
        return 0;
    f = audit_add(c->r, ID_NONCONTIGUOUS, SEV_WARNING, true, k->vcpus, k->nr);
    if (!f)
        return -1;
    f->pairs = UINT32_C(1) << i;
    audit_text(f,
               "Pair %u's mask " REG " is not contiguous: the pair "
               "matches %" PRIu64 " disjoint ranges of %s each, from "
               "0x%" PRIx64 ", a layout operating systems do not expect",
               i, st->regs.var[i].mask, count,
               audit_size(s->low, size, sizeof(size)), s->start);
    if (!k->map && k->map_err == E2BIG)
        audit_text(f,
                   "; the masks split the address space into more than "
                   "%u ranges, so the checks by range were skipped",
                   XCX_MTRR_MAP_MAX_ENTRIES);
    for (uint64_t n = 0; n < count && n < AUDIT_MAX_RANGES; n++) {
        uint64_t start = s->start | deposit(n, holes);

        audit_add_range(f, start, start + s->low, s->type, -1);
    }
    f->ranges_omitted +=
        count > AUDIT_MAX_RANGES ? count - AUDIT_MAX_RANGES : 0;
    return 0;
}

/* Pair @i holds the same registers, known alike, in @a and @b. */
static bool same_pair(const struct xcx_mtrr_state *a,
                      const struct xcx_mtrr_state *b, unsigned int i)
{
    return i < b->vcnt && ((a->var_known ^ b->var_known) >> i & 1) == 0 &&
           a->regs.var[i].base == b->regs.var[i].base &&
           a->regs.var[i].mask == b->regs.var[i].mask;
}

/*
 * The rules on pair @i, once per group of @k's vCPUs that hold the same
 * pair: Xen does not compare pairs while MTRRs are disabled, so a class
 * may hold vCPUs whose pair @i differs, and a finding names only the vCPUs
 * on which it holds. @group and @done are scratch space for @k->nr vCPUs.
 */
static int pair_rules(struct audit_ctx *c, const struct audit_class *k,
                      unsigned int i, unsigned int *group, bool *done)
{
    memset(done, 0, k->nr * sizeof(*done));
    for (unsigned int j = 0; j < k->nr; j++) {
        const struct xcx_mtrr_state *st = &c->s->states[k->vcpus[j]];
        struct audit_class sub = *k;
        struct xcx_mtrr_pair s;

        if (done[j] || i >= st->vcnt)
            continue;
        sub.st = st;
        sub.vcpus = group;
        sub.nr = 0;
        for (unsigned int m = j; m < k->nr; m++)
            if (!done[m] && same_pair(st, &c->s->states[k->vcpus[m]], i)) {
                done[m] = true;
                group[sub.nr++] = k->vcpus[m];
            }
        xcx_mtrr_pair_decode(st, i, &s);
        if (s.valid && s.exact &&
            (misaligned(c, &sub, i, &s) || noncontiguous(c, &sub, i, &s)))
            return -1;
    }
    return 0;
}

int audit_reg_rules(struct audit_ctx *c, const struct audit_class *k)
{
    unsigned int *group;
    bool *done;
    int rc = -1;

    if (disabled(c, k) || unknown(c, k))
        return -1;
    group = malloc(k->nr * sizeof(*group));
    done = malloc(k->nr * sizeof(*done));
    for (unsigned int i = 0; group && done && i < XCX_MTRR_VAR_MAX; i++)
        if (pair_rules(c, k, i, group, done))
            goto out;
    rc = group && done ? 0 : -1;
out:
    free(group);
    free(done);
    return rc;
}
