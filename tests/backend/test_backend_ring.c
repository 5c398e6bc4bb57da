/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The back end of a vm_event ring (lib/live/vm_event_ring.c) against a front
 * ring driven here as Xen drives it: order, the fields answered, the bound
 * of one pass, index wrap-around and a producer index that runs ahead.
 */
#include "fake_backend.h"
#include "vm_event_ring.h"

#define PAGE 4096

struct ringfx {
    void *page;
    vm_event_front_ring_t front;
    struct xcx_vm_ring *ring;
    struct caplog log;
    struct xcx_vm_req seen[16];
    unsigned int nr_seen;
};

static int ring_setup(void **state)
{
    struct ringfx *r = calloc(1, sizeof(*r));

    if (!r)
        return -1;
    r->page = aligned_alloc(PAGE, PAGE);
    if (!r->page)
        return -1;
    memset(r->page, 0x5a, PAGE); /* stale indices */
    caplog_init(&r->log);
    r->ring = xcx_vm_ring_new(r->page, PAGE, true, caplog_logger(&r->log));
    if (!r->ring)
        return -1;
    FRONT_RING_INIT(&r->front, (vm_event_sring_t *)r->page, PAGE);
    *state = r;
    return 0;
}

static int ring_teardown(void **state)
{
    struct ringfx *r = *state;

    xcx_vm_ring_free(r->ring);
    free(r->page);
    free(r);
    return 0;
}

static void produce(struct ringfx *r, unsigned int vcpu, uint32_t reason,
                    uint32_t flags, uint64_t msr)
{
    vm_event_request_t *req =
        RING_GET_REQUEST(&r->front, r->front.req_prod_pvt++);

    memset(req, 0xee, sizeof(*req)); /* fields nobody should copy */
    req->version = VM_EVENT_INTERFACE_VERSION;
    req->flags = flags;
    req->reason = reason;
    req->vcpu_id = vcpu;
    req->u.mov_to_msr.msr = msr;
    req->u.mov_to_msr.new_value = msr * 3;
    req->u.mov_to_msr.old_value = msr * 5;
    RING_PUSH_REQUESTS(&r->front);
}

static void seen(void *arg, const struct xcx_vm_req *req)
{
    struct ringfx *r = arg;

    assert_true(r->nr_seen < ARRAY_SIZE(r->seen));
    assert_int_equal(req->len, sizeof(vm_event_request_t));
    r->seen[r->nr_seen++] = *req;
}

static void test_fresh_ring(void **state)
{
    struct ringfx *r = *state;
    vm_event_sring_t *s = r->page;

    assert_int_equal(xcx_vm_ring_size(r->ring), 8);
    assert_int_equal(s->req_prod, 0);
    assert_int_equal(s->rsp_prod, 0);
    assert_int_equal(s->req_event, 1);
    assert_int_equal(s->rsp_event, 1);
    assert_int_equal(xcx_vm_ring_pending(r->ring), 0);
    assert_int_equal(xcx_vm_ring_consume(r->ring, seen, r), 0);
    assert_int_equal(r->nr_seen, 0);
    assert_int_equal(r->log.count, 0);
}

static void test_too_small(void **state)
{
    struct ringfx *r = *state;

    caplog_reset(&r->log);
    errno = 0;
    assert_null(xcx_vm_ring_new(r->page, 64, true, caplog_logger(&r->log)));
    assert_int_equal(errno, EINVAL);
    assert_logged(&r->log, "64 bytes");
    assert_null(xcx_vm_ring_new(NULL, PAGE, true, NULL));
    assert_int_equal(errno, EINVAL);
}

static void test_answers_in_order(void **state)
{
    struct ringfx *r = *state;
    const uint32_t extra = VM_EVENT_FLAG_FOREIGN | 0x100;

    produce(r, 2, VM_EVENT_REASON_MOV_TO_MSR, VM_EVENT_FLAG_VCPU_PAUSED | extra,
            0x2ff);
    produce(r, 0, VM_EVENT_REASON_MOV_TO_MSR, extra, 0x201);
    produce(r, 1, VM_EVENT_REASON_CPUID, VM_EVENT_FLAG_VCPU_PAUSED, 0);
    assert_int_equal(xcx_vm_ring_pending(r->ring), 3);
    assert_int_equal(xcx_vm_ring_consume(r->ring, seen, r), 3);

    assert_int_equal(r->nr_seen, 3);
    assert_int_equal(r->seen[0].vcpu, 2);
    assert_true(r->seen[0].mov_to_msr);
    assert_int_equal(r->seen[0].msr, 0x2ff);
    assert_int_equal(r->seen[0].new_value, 0x2ff * 3);
    assert_int_equal(r->seen[0].old_value, 0x2ff * 5);
    assert_int_equal(r->seen[0].flags, VM_EVENT_FLAG_VCPU_PAUSED | extra);
    assert_int_equal(r->seen[1].msr, 0x201);
    assert_false(r->seen[2].mov_to_msr);
    assert_int_equal(r->seen[2].msr, 0);
    assert_int_equal(r->seen[2].reason, VM_EVENT_REASON_CPUID);

    /* Xen sees three responses, each its request's, nothing else set. */
    assert_int_equal(r->front.sring->rsp_prod, 3);
    for (unsigned int i = 0; i < 3; i++) {
        const vm_event_response_t *rsp = RING_GET_RESPONSE(&r->front, i);
        vm_event_response_t want;

        memset(&want, 0, sizeof(want));
        want.version = VM_EVENT_INTERFACE_VERSION;
        want.vcpu_id = r->seen[i].vcpu;
        want.reason = r->seen[i].reason;
        want.flags = r->seen[i].flags & VM_EVENT_FLAG_VCPU_PAUSED;
        assert_memory_equal(rsp, &want, sizeof(want));
    }
    assert_int_equal(xcx_vm_ring_pending(r->ring), 0);
    assert_int_equal(r->log.count, 0);
}

static void test_one_pass_is_one_ring(void **state)
{
    struct ringfx *r = *state;

    /* Eight requests, the ring full: one pass takes all of them. */
    for (unsigned int i = 0; i < 8; i++)
        produce(r, 0, VM_EVENT_REASON_MOV_TO_MSR, VM_EVENT_FLAG_VCPU_PAUSED,
                0x200 + i);
    assert_true(RING_FULL(&r->front));
    assert_int_equal(xcx_vm_ring_consume(r->ring, seen, r), 8);
    for (unsigned int i = 0; i < 8; i++)
        assert_int_equal(r->seen[i].msr, 0x200 + i);
    assert_int_equal(r->front.sring->rsp_prod, 8);
    assert_int_equal(xcx_vm_ring_consume(r->ring, seen, r), 0);
}

static void test_producer_runs_ahead(void **state)
{
    static const uint32_t ahead[] = {9, 1000, 0x80000000u, 0xffffffffu};
    struct ringfx *r = *state;
    vm_event_sring_t *s = r->page;

    produce(r, 0, VM_EVENT_REASON_MOV_TO_MSR, 0, 0x250);
    assert_int_equal(xcx_vm_ring_consume(r->ring, seen, r), 1);
    for (unsigned int i = 0; i < ARRAY_SIZE(ahead); i++) {
        s->req_prod = 1 + ahead[i];
        caplog_reset(&r->log);
        errno = 0;
        assert_int_equal(xcx_vm_ring_pending(r->ring), -1);
        assert_int_equal(errno, EIO);
        assert_int_equal(xcx_vm_ring_consume(r->ring, seen, r), -1);
        assert_int_equal(errno, EIO);
        assert_logged(&r->log, "past the ring's 8 slots");
        /* Nothing taken, nothing answered. */
        assert_int_equal(r->nr_seen, 1);
        assert_int_equal(s->rsp_prod, 1);
    }
    /* Exactly a ring's worth ahead is legal. */
    s->req_prod = 1 + 8;
    assert_int_equal(xcx_vm_ring_pending(r->ring), 8);
}

static void test_attach_and_wrap(void **state)
{
    struct ringfx *r = *state;
    vm_event_sring_t *s = r->page;
    const RING_IDX start = 0xfffffffcu;

    /* A ring whose indices are about to wrap, every request answered. */
    xcx_vm_ring_free(r->ring);
    s->req_prod = s->rsp_prod = start;
    r->ring = xcx_vm_ring_new(r->page, PAGE, false, caplog_logger(&r->log));
    assert_non_null(r->ring);
    assert_int_equal(s->req_prod, start); /* attached, not reset */
    FRONT_RING_ATTACH(&r->front, s, start, PAGE);
    for (unsigned int round = 0; round < 2; round++) {
        r->nr_seen = 0;
        for (unsigned int i = 0; i < 6; i++)
            produce(r, i, VM_EVENT_REASON_MOV_TO_MSR, VM_EVENT_FLAG_VCPU_PAUSED,
                    0x268 + i);
        assert_int_equal(xcx_vm_ring_pending(r->ring), 6);
        assert_int_equal(xcx_vm_ring_consume(r->ring, seen, r), 6);
        for (unsigned int i = 0; i < 6; i++) {
            assert_int_equal(r->seen[i].vcpu, i);
            assert_int_equal(r->seen[i].msr, 0x268 + i);
        }
        assert_int_equal(s->rsp_prod, start + 6 * (round + 1));
    }
    assert_int_equal(r->log.count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fresh_ring, ring_setup,
                                        ring_teardown),
        cmocka_unit_test_setup_teardown(test_too_small, ring_setup,
                                        ring_teardown),
        cmocka_unit_test_setup_teardown(test_answers_in_order, ring_setup,
                                        ring_teardown),
        cmocka_unit_test_setup_teardown(test_one_pass_is_one_ring, ring_setup,
                                        ring_teardown),
        cmocka_unit_test_setup_teardown(test_producer_runs_ahead, ring_setup,
                                        ring_teardown),
        cmocka_unit_test_setup_teardown(test_attach_and_wrap, ring_setup,
                                        ring_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
