/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The tracker: every vCPU's MTRR state, kept current by applying the
 * guest's writes with xcx_mtrr_apply_write(), and its type map, rebuilt
 * right after a write that changed a type or the knowledge of a pair (the
 * reliable flag depends on it), so lookups are the map's index walk,
 * inlined here rather than a call to the map's lookup.
 *
 * A state whose map would pass XCX_MTRR_MAP_MAX_ENTRIES (hostile
 * non-contiguous masks) has no map: lookups resolve by rule and range
 * queries build the map of their range alone; both are exact and neither
 * calls Xen. A map that could not be built for lack of memory is tried
 * again at the next write; meanwhile the same fallback answers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "mtrr_map.h"

struct vcpu_view {
    struct xcx_mtrr_state st;
    int map_errno;        /* E2BIG or ENOMEM when there is no map */
    unsigned long builds; /* maps built so far, for tests */
};

/* The maps sit in an array of their own: a lookup reads one pointer. */
struct xcx_mtrr_tracker {
    xentoollog_logger *lg;
    unsigned int nr;
    struct vcpu_view *v;
    xcx_mtrr_map *map[]; /* NULL: see v[i].map_errno */
};

static int check_vcpu(const xcx_mtrr_tracker *tr, unsigned int vcpu)
{
    if (vcpu >= tr->nr)
        return xcx_fail(tr->lg, EINVAL, "vCPU %u, the tracker has %u", vcpu,
                        tr->nr);
    return 0;
}

/* Build vCPU @vcpu's map; on failure leave none and return -1 with errno. */
static int rebuild(xcx_mtrr_tracker *tr, unsigned int vcpu)
{
    struct vcpu_view *v = &tr->v[vcpu];

    xcx_mtrr_map_free(tr->map[vcpu]);
    v->builds++;
    /* Quiet: too large a map is no error here, lookups fall back. */
    tr->map[vcpu] = xcx_mtrr_map_build(&v->st, NULL);
    if (!tr->map[vcpu]) {
        v->map_errno = errno;
        return -1;
    }
    xcx_map_set_logger(tr->map[vcpu], tr->lg);
    v->map_errno = 0;
    return 0;
}

/*
 * Tracking from the start: a register the baseline cannot show still holds
 * its power-on value, 0 (hvm_vcpu_cacheattr_init() zeroes the variable
 * pairs); a record saved before the guest ran shows exactly that, one saved
 * later shows copies of pair 0 there, which a complete log must not keep.
 */
static void power_on_unknown(struct xcx_mtrr_state *st)
{
    for (unsigned int i = 0; i < st->vcnt; i++) {
        if (!(st->var_regs_known >> (2 * i) & 1))
            st->regs.var[i].base = 0;
        if (!(st->var_regs_known >> (2 * i + 1) & 1))
            st->regs.var[i].mask = 0;
    }
    st->var_known = UINT32_MAX;
}

static int take_baseline(struct xcx_mtrr_state *st,
                         const struct xcx_mtrr_state *b, unsigned int flags,
                         xentoollog_logger *lg)
{
    if (xcx_mtrr_state_init(st, &b->regs, b->maxphysaddr, b->var_known, lg))
        return -1;
    st->var_regs_known |= b->var_regs_known;
    if (flags & XCX_TRACK_FROM_START)
        power_on_unknown(st);
    xcx_state_sync_known(st);
    return 0;
}

XCX_EXPORT xcx_mtrr_tracker *
xcx_tracker_new(const struct xcx_mtrr_state *baseline, unsigned int nr_vcpus,
                unsigned int flags, xentoollog_logger *lg)
{
    xcx_mtrr_tracker *tr;

    if (flags & ~XCX_TRACK_FROM_START) {
        xcx_fail(lg, EINVAL, "tracker flags 0x%x: unknown bits 0x%x", flags,
                 flags & ~XCX_TRACK_FROM_START);
        return NULL;
    }
    if (!nr_vcpus || !baseline) {
        xcx_fail(lg, EINVAL, "tracker for %u vCPUs%s", nr_vcpus,
                 baseline ? "" : " without a baseline");
        return NULL;
    }
    tr = calloc(1, sizeof(*tr) + (size_t)nr_vcpus * sizeof(tr->map[0]));
    if (tr)
        tr->v = calloc(nr_vcpus, sizeof(tr->v[0]));
    if (!tr || !tr->v) {
        free(tr);
        xcx_fail(lg, ENOMEM, "allocating a tracker for %u vCPUs", nr_vcpus);
        return NULL;
    }
    tr->lg = lg;
    tr->nr = nr_vcpus;
    for (unsigned int i = 0; i < nr_vcpus; i++) {
        if (take_baseline(&tr->v[i].st, &baseline[i], flags, lg)) {
            xcx_tracker_free(tr);
            return NULL;
        }
        if (rebuild(tr, i) && errno != E2BIG) {
            xcx_log(lg, XTL_ERROR, errno, "building the map of vCPU %u", i);
            xcx_tracker_free(tr);
            return NULL;
        }
    }
    return tr;
}

XCX_EXPORT void xcx_tracker_free(xcx_mtrr_tracker *tr)
{
    int saved = errno;

    if (tr) {
        for (unsigned int i = 0; i < tr->nr; i++)
            xcx_mtrr_map_free(tr->map[i]);
        free(tr->v);
        free(tr);
    }
    errno = saved;
}

XCX_EXPORT unsigned int xcx_tracker_nr_vcpus(const xcx_mtrr_tracker *tr)
{
    return tr->nr;
}

xentoollog_logger *xcx_tracker_logger(const xcx_mtrr_tracker *tr)
{
    return tr->lg;
}

unsigned long xcx_tracker_map_builds(const xcx_mtrr_tracker *tr,
                                     unsigned int vcpu)
{
    return vcpu < tr->nr ? tr->v[vcpu].builds : 0;
}

XCX_EXPORT int xcx_tracker_apply(xcx_mtrr_tracker *tr, unsigned int vcpu,
                                 uint32_t msr, uint64_t value,
                                 const uint64_t *old_value,
                                 struct xcx_write_outcome *out)
{
    struct xcx_write_outcome local;
    struct vcpu_view *v;
    uint32_t known;

    if (check_vcpu(tr, vcpu))
        return -1;
    if (!out)
        out = &local;
    v = &tr->v[vcpu];
    known = v->st.var_known;
    if (xcx_mtrr_apply_write(&v->st, msr, value, old_value, out, tr->lg))
        return -1;
    /* An E2BIG map stays too large until a type changes. */
    if (out->types_changed || v->st.var_known != known ||
        (!tr->map[vcpu] && v->map_errno != E2BIG)) {
        if (rebuild(tr, vcpu) && errno != E2BIG)
            xcx_log(tr->lg, XTL_WARN, errno,
                    "vCPU %u: no MTRR map; lookups resolve by rule", vcpu);
    }
    return 0;
}

XCX_EXPORT int xcx_tracker_lookup(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                                  uint64_t gpa, struct xcx_mtrr_result *result)
{
    const xcx_mtrr_map *map;

    if (__builtin_expect(vcpu >= tr->nr, 0))
        return check_vcpu(tr, vcpu);
    map = tr->map[vcpu];
    if (__builtin_expect(map != NULL, 1))
        return xcx_map_lookup_inline(map, gpa, result);
    return xcx_mtrr_resolve(&tr->v[vcpu].st, gpa, result, tr->lg);
}

XCX_EXPORT int xcx_tracker_lookup_batch(const xcx_mtrr_tracker *tr,
                                        unsigned int vcpu, const uint64_t *gpas,
                                        size_t n,
                                        struct xcx_mtrr_result *results)
{
    const struct vcpu_view *v;
    bool sorted;

    if (check_vcpu(tr, vcpu) || xcx_batch_args(tr->lg, gpas, n, results))
        return -1;
    v = &tr->v[vcpu];
    if (xcx_map_check_gpas(tr->lg, v->st.maxphysaddr, gpas, n, &sorted))
        return -1;
    if (tr->map[vcpu]) {
        xcx_map_lookup_many(tr->map[vcpu], gpas, n, sorted, results);
        return 0;
    }
    /* No map (hostile masks): the rule, on a state the tracker validated. */
    for (size_t i = 0; i < n; i++)
        xcx_resolve_unchecked(&v->st, gpas[i], &results[i]);
    return 0;
}

XCX_EXPORT int xcx_tracker_range(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                                 uint64_t gpa, uint64_t len,
                                 struct xcx_mtrr_range_result *result)
{
    const struct vcpu_view *v;
    xcx_mtrr_map *window;
    int rc;

    if (check_vcpu(tr, vcpu))
        return -1;
    v = &tr->v[vcpu];
    if (tr->map[vcpu])
        return xcx_map_range(tr->map[vcpu], gpa, len, result);
    if (xcx_map_range_check(tr->lg, v->st.maxphysaddr, gpa, len))
        return -1;
    window = xcx_map_build_window(&v->st, gpa, gpa + len, tr->lg);
    if (!window)
        return -1;
    rc = xcx_map_range(window, gpa, len, result);
    xcx_mtrr_map_free(window);
    return rc;
}

XCX_EXPORT int xcx_tracker_state(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                                 struct xcx_mtrr_state *st)
{
    if (check_vcpu(tr, vcpu))
        return -1;
    *st = tr->v[vcpu].st;
    return 0;
}

XCX_EXPORT const xcx_mtrr_map *xcx_tracker_map(const xcx_mtrr_tracker *tr,
                                               unsigned int vcpu)
{
    if (check_vcpu(tr, vcpu))
        return NULL;
    if (!tr->map[vcpu])
        errno = tr->v[vcpu].map_errno;
    return tr->map[vcpu];
}
