/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xc-mtrr-type --effective: gather the inputs (live: Xen's facts, libxl's
 * saved configuration, the vCPUs' records; offline: --vendor, --honoured
 * and the context), then answer every GPA for each vCPU asked.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audit_config.h"
#include "common.h"
#include "effective_cli.h"
#include "effective_out.h"

/* Everything gathered: the vCPUs' states and maps, and the inputs. */
struct eff_env {
    struct states all; /* every vCPU, 0..n-1 */
    xcx_mtrr_map **maps;
    struct xcx_eff_inputs in;
    unsigned char *blob; /* offline: the context, for CR0 */
    size_t blob_len;
    xcx_handle *h; /* live */
};

void eff_options_check(const struct eff_options *e, const struct source *src,
                       uint64_t size)
{
    if (!e->on) {
        if (e->pat_index >= 0 || e->vendor || e->honoured >= 0)
            usage_error("--pat-index, --vendor and --honoured need "
                        "--effective");
        return;
    }
    if (size)
        usage_error("--effective answers addresses, not ranges (--size)");
    if (e->pat_index < 0)
        usage_error("--effective needs --pat-index N (0-7): the PAT, PCD and "
                    "PWT bits of the PTE that maps the GPA");
    if (src->context && (!e->vendor || e->honoured < 0))
        usage_error("--effective with --context needs --vendor intel|amd and "
                    "--honoured yes|no: a saved context holds no host facts");
}

static void domain_facts(struct eff_env *env, const struct eff_options *e,
                         const struct source *src)
{
    struct xcx_eff_domain *d = &env->in.domain;
    struct xcx_domain_entry *list = NULL;
    struct libxl_config c;
    struct audit_facts fx;
    unsigned int nr = 0;
    char path[512];
    int honour = -1;
    uint8_t src_kind = XCX_SRC_CONFIG;

    if (e->honoured >= 0) {
        honour = e->honoured;
        src_kind = XCX_SRC_USER;
    } else if (!src->context && xcx_domain_list(env->h, &list, &nr) == 0) {
        for (unsigned int i = 0; i < nr; i++)
            if (list[i].info.domid == src->domain.domid) {
                libxl_userdata_path(path, sizeof(path), LIBXL_USERDATA_DIR,
                                    src->domain.domid, list[i].handle);
                audit_facts_load(&fx, &c, path);
                honour =
                    fx.honour == HONOUR_UNKNOWN ? -1 : fx.honour == HONOUR_YES;
            }
        free(list);
    }
    /* Xen honours the types when either holds; which one is not known. */
    d->iommu = d->cache_flush = honour == 1;
    d->iommu_fact = d->cache_flush_fact = (struct xcx_eff_fact){
        honour < 0 ? XCX_SRC_NONE : src_kind, honour >= 0};
}

static int gather_live(struct eff_env *env, const struct source *src,
                       xentoollog_logger *lg)
{
    struct xcx_eff_host_view view;

    env->h = xcx_open(lg, 0);
    if (!env->h ||
        xcx_eff_read_facts(env->h, src->domain.domid, 0, &env->in, &view))
        return -1;
    if (env->in.host.vendor == XCX_VENDOR_UNKNOWN) {
        fprintf(stderr,
                "%s: the host's vendor is neither Intel nor AMD: "
                "no effective type\n",
                prog);
        return -1;
    }
    return 0;
}

static int gather_offline(struct eff_env *env, const struct source *src,
                          const struct eff_options *e)
{
    char why[128];
    static const struct xcx_eff_fact user = {XCX_SRC_USER, true};

    env->in.host.vendor = e->vendor;
    env->in.host.vendor_fact = user;
    env->in.host.paging =
        e->vendor == XCX_VENDOR_INTEL ? XCX_PAGING_EPT : XCX_PAGING_NPT;
    env->in.host.paging_fact = user;
    if (read_whole_file(src->context, 1u << 30, &env->blob, &env->blob_len, why,
                        sizeof(why))) {
        fprintf(stderr, "%s: %s: %s\n", prog, src->context, why);
        return -1;
    }
    return 0;
}

/* CR0 of @vcpu: its record, live or in the context. */
static int vcpu_cr0(struct eff_env *env, const struct source *src,
                    unsigned int vcpu, xentoollog_logger *lg)
{
    struct xcx_eff_host_view view;

    if (src->context)
        return xcx_hvm_context_cr0(env->blob, env->blob_len, vcpu,
                                   &env->in.guest.cr0, lg);
    return xcx_eff_read_facts(env->h, src->domain.domid, vcpu, &env->in, &view);
}

static int gather(struct eff_env *env, const struct source *src,
                  const struct eff_options *e, xentoollog_logger *lg)
{
    struct source all = *src;

    xcx_eff_inputs_init(&env->in);
    all.all_vcpus = true;
    if (load_states(&all, lg, &env->all))
        return -1;
    env->maps = calloc(env->all.count, sizeof(*env->maps));
    if (!env->maps)
        return -1;
    for (unsigned int v = 0; v < env->all.count; v++)
        if (!(env->maps[v] = xcx_mtrr_map_build(&env->all.state[v], lg)))
            return -1;
    env->in.guest.maps = (const xcx_mtrr_map *const *)env->maps;
    env->in.guest.nr_vcpus = env->all.count;
    env->in.guest.mtrr_fact = (struct xcx_eff_fact){
        src->replay ? XCX_SRC_TRACKER : XCX_SRC_RECORD, true};
    env->in.guest.cr0_fact = (struct xcx_eff_fact){XCX_SRC_RECORD, true};
    if (src->context ? gather_offline(env, src, e) : gather_live(env, src, lg))
        return -1;
    domain_facts(env, e, src);
    return 0;
}

static void release(struct eff_env *env)
{
    for (unsigned int v = 0; env->maps && v < env->all.count; v++)
        xcx_mtrr_map_free(env->maps[v]);
    free(env->maps);
    free_states(&env->all);
    free(env->blob);
    xcx_close(env->h);
}

static int answer(struct eff_env *env, const struct source *src,
                  const struct eff_options *e, unsigned int vcpu,
                  const uint64_t *gpas, unsigned int n, bool json,
                  xentoollog_logger *lg)
{
    struct xcx_effective r;

    if (vcpu >= env->all.count) {
        fprintf(stderr, "%s: vCPU %u out of range (%u vCPUs)\n", prog, vcpu,
                env->all.count);
        return -1;
    }
    env->in.guest.pat = env->all.state[vcpu].regs.pat;
    env->in.guest.pat_fact = env->in.guest.mtrr_fact;
    if (vcpu_cr0(env, src, vcpu, lg))
        return -1;
    for (unsigned int i = 0; i < n; i++) {
        if (xcx_effective_type(&env->in, gpas[i], e->pat_index, &r, lg))
            return -1;
        (json ? eff_print_json : eff_print_text)(vcpu, gpas[i], &env->in, &r,
                                                 "user");
    }
    return 0;
}

int eff_run(const struct source *src, const struct eff_options *e,
            const uint64_t *gpas, unsigned int n, bool json)
{
    xentoollog_logger_stdiostream *lg;
    struct eff_env env;
    int rc = -1;

    memset(&env, 0, sizeof(env));
    lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (!lg)
        return EXIT_ERROR;
    if (gather(&env, src, e, (xentoollog_logger *)lg) == 0) {
        unsigned int first = src->all_vcpus ? 0 : src->vcpu;
        unsigned int last = src->all_vcpus ? env.all.count : src->vcpu + 1;

        rc = 0;
        for (unsigned int v = first; v < last && rc == 0; v++)
            rc =
                answer(&env, src, e, v, gpas, n, json, (xentoollog_logger *)lg);
    }
    release(&env);
    xtl_logger_destroy((xentoollog_logger *)lg);
    return finish_output(rc ? EXIT_ERROR : EXIT_OK);
}
