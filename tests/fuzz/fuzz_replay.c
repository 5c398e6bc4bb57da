/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness: the input as a write log, one line per '\n'. Each line
 * goes to xcx_replay_parse_line(); each parsed write to a tracker of two
 * vCPUs and to plain copies of their states through xcx_mtrr_apply_write().
 * The tracker must match the copies in every outcome and state, and its
 * lookups must match xcx_mtrr_resolve() and the reference model. Then the
 * same bytes go to xcx_tracker_feed_event() as vm_event requests, the
 * way a ring page would hold them; at the end the tracked states pass the
 * checks of every accepted state.
 *
 * The tracker rebuilds a vCPU's map after every write that changes it, and
 * a map of masks with many holes takes milliseconds to build under the
 * sanitizers (fuzz_map_costly()). So that inputs run by the thousand per
 * second, a write or request that would make such a state is skipped,
 * except in 1 of FUZZ_COSTLY_EVERY inputs (by hash), which apply all.
 * Likewise the tracker's lookups are compared on the lines the hash picks
 * (1 in LOOKUP_EVERY) and at the end; its state after every line.
 */
#include "fuzz_check.h"

#define NR_VCPUS     2
#define LOOKUP_EVERY 8

/* Whether writing @value to @msr would give vCPU state @st a costly map. */
static bool write_costly(const struct xcx_mtrr_state *st, uint32_t msr,
                         uint64_t value, const uint64_t *old)
{
    struct xcx_mtrr_state after = *st;
    struct xcx_write_outcome out;

    return xcx_mtrr_apply_write(&after, msr, value, old, &out, NULL) == 0 &&
           out.accepted && fuzz_map_costly(&after);
}

/* hvmloader's registers; vCPU 0 as Xen 4.17 saves them (pair 0 copied). */
static void baseline(struct xcx_mtrr_state *st, unsigned int vcpu,
                     unsigned int width)
{
    uint64_t bits = ref_addr_bits(width);
    struct xcx_mtrr_regs r;

    memset(&r, 0, sizeof(r));
    r.pat = UINT64_C(0x0007040600070406);
    r.cap = 0x508;
    r.def_type = 0xc06;
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r.fixed[i] = UINT64_C(0x0606060606060606);
    r.fixed[2] = UINT64_C(0x0101010101010101);
    r.var[0].base = 0xe8000000;
    r.var[0].mask = (bits & ~UINT64_C(0x7ffffff)) | XCX_MTRR_MASK_VALID;
    r.var[1].base = 0xf0000000;
    r.var[1].mask = (bits & ~UINT64_C(0xfffffff)) | XCX_MTRR_MASK_VALID;
    if (vcpu == 0)
        for (unsigned int i = 1; i < XCX_MTRR_VAR_MAX; i++)
            r.var[i] = r.var[0];
    if (xcx_mtrr_state_init(st, &r, width, vcpu == 0 ? 1 : 0xff, NULL))
        fuzz_fail("baseline refused: %s", strerror(errno));
}

/* The tracker's answers at @gpa equal the direct rule's. */
static void check_lookup(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                         const struct xcx_mtrr_state *st, uint64_t gpa)
{
    struct xcx_mtrr_result a, b;
    int ra, rb, ea, eb;

    errno = 0;
    ra = xcx_tracker_lookup(tr, vcpu, gpa, &a);
    ea = errno;
    errno = 0;
    rb = xcx_mtrr_resolve(st, gpa, &b, NULL);
    eb = errno;
    if (ra != rb || (ra && ea != eb))
        fuzz_fail("vCPU %u 0x%" PRIx64 ": tracker %d errno %d, resolve %d "
                  "errno %d",
                  vcpu, gpa, ra, ea, rb, eb);
    if (!ra && !ref_result_equal(&a, &b)) {
        fuzz_dump_state(st);
        fuzz_print("tracker", &a);
        fuzz_print("resolve", &b);
        fuzz_fail("vCPU %u: tracker and resolve differ at 0x%" PRIx64, vcpu,
                  gpa);
    }
    fuzz_check_addr(st, NULL, gpa);
}

static void apply_write(xcx_mtrr_tracker *tr, struct xcx_mtrr_state *shadow,
                        const struct xcx_logged_write *w)
{
    const uint64_t *old = w->has_old_value ? &w->old_value : NULL;
    struct xcx_write_outcome a, b;
    struct xcx_mtrr_state st;
    int ra, rb, ea, eb;
    bool known;

    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    errno = 0;
    ra = xcx_tracker_apply(tr, w->vcpu, w->msr, w->value, old, &a);
    ea = errno;
    if (w->vcpu >= NR_VCPUS) {
        if (ra != -1 || ea != EINVAL)
            fuzz_fail("vCPU %u accepted: %d errno %d", w->vcpu, ra, ea);
        return;
    }
    errno = 0;
    rb =
        xcx_mtrr_apply_write(&shadow[w->vcpu], w->msr, w->value, old, &b, NULL);
    eb = errno;
    if (ra != rb || (ra && ea != eb) || memcmp(&a, &b, sizeof(a)))
        fuzz_fail("MSR 0x%x value 0x%" PRIx64 ": tracker %d errno %d \"%s\", "
                  "state %d errno %d \"%s\"",
                  w->msr, w->value, ra, ea, a.reason, rb, eb, b.reason);
    /* Only an unknown MSR or Xen's impossible old value is an error. */
    known = xcx_msr_name(w->msr) != NULL;
    if ((!ra && !known) || (ra && known && !old))
        fuzz_fail("MSR 0x%x (%s): apply %d errno %d", w->msr,
                  known ? "known" : "unknown", ra, ea);
    if (!ra && !a.accepted && (a.changed || !a.reason[0]))
        fuzz_fail("refused write changed %d, reason \"%s\"", a.changed,
                  a.reason);
    xcx_tracker_state(tr, w->vcpu, &st);
    if (memcmp(&st, &shadow[w->vcpu], sizeof(st)))
        fuzz_fail("tracker state differs from the applied state");
}

/* A vm_event_request_t of interface version 7 is 400 bytes (NOTES §3). */
#define REQ_SIZE 400

/*
 * The input cut into requests. Every other one gets a valid version (7 at
 * offset 0) and reason (MOV_TO_MSR, 5, at offset 8) and a vCPU of 0..2, so
 * that its msr/new/old words (offsets 24, 32, 40) reach the tracker; the
 * rest test the refusals. Each must be refused with EINVAL, ignored (0) or
 * applied (1), never harm the state.
 */
static void feed_events(xcx_mtrr_tracker *tr, const uint8_t *data, size_t size,
                        bool costly_ok)
{
    for (size_t at = 0, n = 0; at < size; at += REQ_SIZE, n++) {
        uint64_t req[REQ_SIZE / 8] = {0};
        size_t len = size - at < REQ_SIZE ? size - at : REQ_SIZE;
        struct xcx_write_outcome out;
        uint32_t word[4];
        int rc;

        memcpy(req, data + at, len);
        if (n & 1) {
            memcpy(word, req, sizeof(word));
            word[0] = 7;
            word[2] = 5;
            word[3] %= 3;
            memcpy(req, word, sizeof(word));
            len = REQ_SIZE;
            if (!costly_ok && word[3] < NR_VCPUS) {
                struct xcx_mtrr_state st;

                xcx_tracker_state(tr, word[3], &st);
                if (write_costly(&st, (uint32_t)req[3], req[4], &req[5]))
                    continue;
            }
        }
        errno = 0;
        rc = xcx_tracker_feed_event(tr, req, len, &out);
        if (rc < -1 || rc > 1 || (rc < 0 && errno != EINVAL))
            fuzz_fail("request %zu: feed_event %d errno %d", n, rc, errno);
    }
}

/* Any line through xcx_log_parse_line(): a header reads back as written. */
static void check_entry(const char *line, size_t len, unsigned int lineno)
{
    struct xcx_log_entry e, again;
    char buf[XCX_LOG_LINE_MAX];
    int rc, n;

    errno = 0;
    rc = xcx_log_parse_line(line, len, lineno, &e, NULL);
    if (rc < 0 ? errno != EINVAL : rc > XCX_LOG_WRITE)
        fuzz_fail("line %u: log_parse_line %d errno %d", lineno, rc, errno);
    if (rc != XCX_LOG_HEADER)
        return;
    n = xcx_log_format_header(&e.header, buf, sizeof(buf));
    if (n <= 0 ||
        xcx_log_parse_line(buf, (size_t)n, 1, &again, NULL) != XCX_LOG_HEADER)
        fuzz_fail("line %u: header does not round-trip: %s", lineno,
                  strerror(errno));
    if (strcmp(again.header.name, e.header.name) ||
        again.header.maxphysaddr != e.header.maxphysaddr ||
        memcmp(again.header.uuid, e.header.uuid, 16))
        fuzz_fail("line %u: header changed on its way back", lineno);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xcx_mtrr_state shadow[NR_VCPUS];
    unsigned int flags = size & 1 ? XCX_TRACK_FROM_START : 0;
    unsigned int lineno = 0;
    uint64_t seed = fuzz_hash(data, size);
    bool costly_ok = seed % FUZZ_COSTLY_EVERY == 0;
    xcx_mtrr_tracker *tr;
    size_t at = 0;

    baseline(&shadow[0], 0, 36);
    baseline(&shadow[1], 1, fuzz_width_from(data, size));
    tr = xcx_tracker_new(shadow, NR_VCPUS, flags, NULL);
    if (!tr)
        fuzz_fail("xcx_tracker_new: %s", strerror(errno));
    for (unsigned int v = 0; v < NR_VCPUS; v++)
        xcx_tracker_state(tr, v, &shadow[v]);

    while (at < size) {
        const uint8_t *nl = memchr(data + at, '\n', size - at);
        size_t len = nl ? (size_t)(nl - (data + at)) + 1 : size - at;
        struct xcx_logged_write w;
        int rc;

        memset(&w, 0, sizeof(w));
        check_entry((const char *)data + at, len, lineno + 1);
        errno = 0;
        rc = xcx_replay_parse_line((const char *)data + at, len, ++lineno, &w,
                                   NULL);
        at += len;
        if (rc < 0 && errno != EINVAL)
            fuzz_fail("line %u: rc %d errno %d", lineno, rc, errno);
        if (rc != 1) {
            if (rc != 0 && rc != -1)
                fuzz_fail("line %u: rc %d", lineno, rc);
            continue;
        }
        if (w.vcpu >= 65536)
            fuzz_fail("line %u: vcpu %u", lineno, w.vcpu);
        if (!costly_ok && w.vcpu < NR_VCPUS &&
            write_costly(&shadow[w.vcpu], w.msr, w.value,
                         w.has_old_value ? &w.old_value : NULL))
            continue;
        apply_write(tr, shadow, &w);
        if (w.vcpu < NR_VCPUS && fuzz_draw(seed, lineno) % LOOKUP_EVERY == 0) {
            const struct xcx_mtrr_state *st = &shadow[w.vcpu];
            uint64_t top = UINT64_C(1) << st->maxphysaddr;

            check_lookup(tr, w.vcpu, st, w.value & (top - 1));
            check_lookup(tr, w.vcpu, st, w.value & ~UINT64_C(0xfff));
            check_lookup(tr, w.vcpu, st, w.old_value & (top - 1));
            check_lookup(tr, w.vcpu, st, (w.value & 0xfffff) | 0xa0000);
        }
    }

    feed_events(tr, data, size, costly_ok);
    for (unsigned int v = 0; v < NR_VCPUS; v++) {
        const xcx_mtrr_map *map;

        xcx_tracker_state(tr, v, &shadow[v]);
        check_lookup(tr, v, &shadow[v], 0xa0000);
        check_lookup(tr, v, &shadow[v], 0xe8000000);
        map = xcx_tracker_map(tr, v);

        if (!map && errno != E2BIG)
            fuzz_fail("vCPU %u has no map: %s", v, strerror(errno));
        /* Every check on one vCPU the hash picks, the map on the other. */
        if (v == seed % NR_VCPUS)
            fuzz_check_state_map(&shadow[v], map, data, size);
        else if (map)
            fuzz_check_map(&shadow[v], map, seed);
    }
    xcx_tracker_free(tr);
    return 0;
}
