/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx_eff_read_facts() (lib/live/effective_live.c) over a fake back end of
 * its own: vendor, HAP and version of the host, the domain's HAP flag, a
 * vCPU's CR0 and dom0's /proc/mtrr, each answered or failing.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "backend.h"
#include "caplog.h"

struct host {
    struct xcx_host_facts facts;
    bool domain_hap;
    uint64_t cr0;
    const char *proc_mtrr; /* NULL: none */
    int fail;              /* errno of every call, 0: none */
};

static int host_facts(void *priv, struct xcx_host_facts *out)
{
    struct host *h = priv;

    if (h->fail)
        return errno = h->fail, -1;
    *out = h->facts;
    return 0;
}

static int domain_hap(void *priv, uint32_t domid, bool *hap)
{
    struct host *h = priv;

    if (domid != 7)
        return errno = ESRCH, -1;
    *hap = h->domain_hap;
    return 0;
}

static int vcpu_cr0(void *priv, uint32_t domid, unsigned int vcpu,
                    uint64_t *cr0)
{
    struct host *h = priv;

    if (vcpu > 1)
        return errno = EINVAL, -1;
    *cr0 = h->cr0 | vcpu;
    return 0;
}

static int host_mtrr_text(void *priv, char *buf, size_t size, size_t *len)
{
    struct host *h = priv;

    if (!h->proc_mtrr)
        return errno = ENOENT, -1;
    *len = strlen(h->proc_mtrr) < size ? strlen(h->proc_mtrr) : size;
    memcpy(buf, h->proc_mtrr, *len);
    return 0;
}

static const struct xcx_backend_ops ops = {
    .host_facts = host_facts,
    .domain_hap = domain_hap,
    .vcpu_cr0 = vcpu_cr0,
    .host_mtrr_text = host_mtrr_text,
};

static int read_facts(struct host *host, uint32_t domid, unsigned int vcpu,
                      struct xcx_eff_inputs *in, struct xcx_eff_host_view *view,
                      struct caplog *log)
{
    xcx_handle *h = xcx_handle_new(&ops, host, caplog_logger(log));
    int rc;

    assert_non_null(h);
    xcx_eff_inputs_init(in);
    rc = xcx_eff_read_facts(h, domid, vcpu, in, view);
    xcx_close(h);
    return rc;
}

static void test_amd_npt(void **state)
{
    struct host host = {
        {XCX_VENDOR_AMD, true, 0x041107}, true, 0x80000011, NULL, 0};
    struct xcx_eff_inputs in;
    struct xcx_eff_host_view view;
    struct caplog log;

    caplog_init(&log);
    assert_int_equal(read_facts(&host, 7, 1, &in, &view, &log), 0);
    assert_int_equal(in.host.vendor, XCX_VENDOR_AMD);
    assert_int_equal(in.host.vendor_fact.source, XCX_SRC_XEN);
    assert_true(in.host.vendor_fact.certain);
    assert_int_equal(in.host.paging, XCX_PAGING_NPT);
    assert_int_equal(in.host.xen_version, 0x041107);
    assert_int_equal(in.guest.cr0, 0x80000011 | 1);
    assert_int_equal(in.guest.cr0_fact.source, XCX_SRC_RECORD);
    assert_false(view.proc_mtrr);
    /* Host MTRRs stay assumed WB, uncertain. */
    assert_int_equal(in.frame.host_mtrr, XCX_MT_WB);
    assert_int_equal(in.frame.host_mtrr_fact.source, XCX_SRC_ASSUMED);
    assert_false(in.frame.host_mtrr_fact.certain);
    /* Xen tells nothing of the domain's permissions. */
    assert_int_equal(in.domain.iommu_fact.source, XCX_SRC_NONE);
}

static void test_intel_and_shadow(void **state)
{
    struct host host = {{XCX_VENDOR_INTEL, true, 0x041400}, true, 0, NULL, 0};
    struct xcx_eff_inputs in;
    struct xcx_eff_host_view view;
    struct caplog log;

    caplog_init(&log);
    host.proc_mtrr = "reg00: base=0x000000000 (    0MB), size= 2048MB, "
                     "count=1: write-back\nreg01: base=0x080000000 ( 2048MB), "
                     "size= 1024MB, count=1: write-back\n";
    assert_int_equal(read_facts(&host, 7, 0, &in, &view, &log), 0);
    assert_int_equal(in.host.paging, XCX_PAGING_EPT);
    assert_true(view.proc_mtrr);
    assert_int_equal(view.proc_mtrr_ranges, 2);
    assert_int_equal(in.frame.host_mtrr_fact.source, XCX_SRC_HOST);
    assert_false(in.frame.host_mtrr_fact.certain);
    host.domain_hap = false; /* a shadow domain */
    assert_int_equal(read_facts(&host, 7, 0, &in, &view, &log), 0);
    assert_int_equal(in.host.paging, XCX_PAGING_SHADOW);
    host.domain_hap = true;
    host.facts.hap = false;
    assert_int_equal(read_facts(&host, 7, 0, &in, &view, &log), 0);
    assert_int_equal(in.host.paging, XCX_PAGING_SHADOW);
    host.facts.hap = true;
    host.facts.vendor = XCX_VENDOR_UNKNOWN;
    assert_int_equal(read_facts(&host, 7, 0, &in, &view, &log), 0);
    assert_int_equal(in.host.paging, XCX_PAGING_UNKNOWN);
    host.facts.xen_version = 0;
    assert_int_equal(read_facts(&host, 7, 0, &in, &view, &log), 0);
    assert_false(in.host.xen_version_fact.certain);
}

static void test_errors(void **state)
{
    struct host host = {{XCX_VENDOR_AMD, true, 0x041107}, true, 0, NULL, 0};
    static const struct xcx_backend_ops none = {0};
    struct xcx_eff_inputs in;
    struct xcx_eff_host_view view;
    struct caplog log;
    xcx_handle *h;

    caplog_init(&log);
    errno = 0;
    assert_int_equal(read_facts(&host, 8, 0, &in, &view, &log), -1);
    assert_int_equal(errno, ESRCH);
    assert_true(caplog_has(&log, "no domain 8"));
    assert_int_equal(read_facts(&host, 7, 2, &in, &view, &log), -1);
    assert_int_equal(errno, EINVAL);
    assert_true(caplog_has(&log, "vCPU 2"));
    host.fail = EACCES;
    assert_int_equal(read_facts(&host, 7, 0, &in, &view, &log), -1);
    assert_int_equal(errno, EACCES);
    h = xcx_handle_new(&none, &host, caplog_logger(&log));
    assert_int_equal(xcx_eff_read_facts(h, 7, 0, &in, &view), -1);
    assert_int_equal(errno, EOPNOTSUPP);
    assert_int_equal(xcx_eff_read_facts(h, 7, 0, NULL, &view), -1);
    assert_int_equal(errno, EINVAL);
    xcx_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_amd_npt),
        cmocka_unit_test(test_intel_and_shadow),
        cmocka_unit_test(test_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
