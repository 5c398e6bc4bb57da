/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The MTRR state a tool works on: from its options to loaded states. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "replay.h"

#define CONTEXT_MAX (64u << 20) /* far above any real HVM context */

bool common_option(struct source *src, bool *json, void (*help)(void), int opt,
                   const char *arg)
{
    uint64_t v;

    if (standard_option(opt, json, help))
        return true;
    switch (opt) {
    case 'c':
        src->context = arg;
        return true;
    case 'v':
        src->vcpu = vcpu_argument(arg);
        return true;
    case 'a':
        src->all_vcpus = true;
        return true;
    case 'r':
        src->replay = arg;
        return true;
    case 'P':
        src->replay_partial = true;
        return true;
    case 'w':
        if (!parse_uint(arg, XCX_MAXPHYSADDR_MIN, XCX_MAXPHYSADDR_MAX, &v))
            usage_error("invalid maxphysaddr '%s' (%u..%u bits)", arg,
                        XCX_MAXPHYSADDR_MIN, XCX_MAXPHYSADDR_MAX);
        src->maxphysaddr = v;
        return true;
    }
    return false;
}

void replay_option_checks(const struct source *src)
{
    if ((src->replay || src->replay_partial) && !src->context)
        usage_error("--replay and --replay-partial need --context FILE");
    if (src->replay_partial && !src->replay)
        usage_error("--replay-partial needs --replay LOG");
}

int source_operands(struct source *src, int argc, char **argv, int optind)
{
    replay_option_checks(src);
    if (src->context)
        return optind;
    if (optind >= argc)
        usage_error(src->offline_ok ? "missing DOMID (or --context FILE)"
                                    : "missing DOMID");
    domain_operand(argv[optind], &src->domain);
    return optind + 1;
}

/*
 * The HVM context of --context FILE: a bare context or a saved image (xl
 * save, a libxl or libxc stream), told apart by content. The file is
 * mapped, so an image's page data, GiBs of it, is never read.
 */
static xcx_hvm_context *open_context(const char *path, xentoollog_logger *lg)
{
    struct xcx_saved_image img;
    xcx_hvm_context *ctx = NULL;
    const void *data;
    size_t len;

    if (map_file(path, &data, &len))
        return NULL;
    if (xcx_saved_image_scan(data, len, &img, lg))
        fprintf(stderr, "%s: %s: not a valid HVM context or saved image\n",
                prog, path);
    else if (img.context_len > CONTEXT_MAX)
        fprintf(stderr, "%s: %s: HVM context of %zu bytes, above %u\n", prog,
                path, img.context_len, CONTEXT_MAX);
    else if (!(ctx = xcx_hvm_context_parse((const unsigned char *)data +
                                               img.context_offset,
                                           img.context_len, lg)))
        fprintf(stderr, "%s: %s: not a valid HVM context (%s at offset %zu)\n",
                prog, path, xcx_image_format_name(img.format),
                img.context_offset);
    unmap_file(data, len);
    return ctx;
}

static int alloc_states(const struct source *src, unsigned int nr_vcpus,
                        struct states *out)
{
    if (!src->all_vcpus && src->vcpu >= nr_vcpus) {
        fprintf(stderr, "%s: vCPU %u out of range: the guest has %u\n", prog,
                src->vcpu, nr_vcpus);
        return -1;
    }
    out->first_vcpu = src->all_vcpus ? 0 : src->vcpu;
    out->count = src->all_vcpus ? nr_vcpus : 1;
    out->state = calloc(out->count, sizeof(*out->state));
    return out->state ? 0 : -1;
}

/*
 * The width and mode of a replay: the log's header says them, and options
 * that contradict it are errors. A log without a header needs
 * --maxphysaddr: the width is never guessed for a replay (a wrong one
 * changes which writes Xen refuses).
 */
static int replay_settings(const struct source *src,
                           const struct replay_log *rl, unsigned int nr_vcpus,
                           unsigned int *width, bool *from_start)
{
    const struct xcx_log_header *h = &rl->header;

    if (!rl->has_header) {
        if (!src->maxphysaddr) {
            fprintf(stderr,
                    "%s: %s has no header line saying the guest's width: "
                    "give --maxphysaddr BITS (it is never guessed for a "
                    "replay)\n",
                    prog, rl->path);
            return -1;
        }
        *width = src->maxphysaddr;
        *from_start = !src->replay_partial;
        return 0;
    }
    if (src->maxphysaddr && src->maxphysaddr != h->maxphysaddr) {
        fprintf(stderr,
                "%s: --maxphysaddr %u contradicts %s, recorded from a guest "
                "of %u bits\n",
                prog, src->maxphysaddr, rl->path, h->maxphysaddr);
        return -1;
    }
    if (src->replay_partial && h->from_start) {
        fprintf(stderr,
                "%s: --replay-partial contradicts %s, whose header says "
                "recording began before the guest ran\n",
                prog, rl->path);
        return -1;
    }
    if (h->nr_vcpus != nr_vcpus) {
        fprintf(stderr,
                "%s: %s was recorded from a guest of %u vCPUs, the context "
                "holds %u\n",
                prog, rl->path, h->nr_vcpus, nr_vcpus);
        return -1;
    }
    *width = h->maxphysaddr;
    *from_start = h->from_start;
    return 0;
}

/*
 * Every vCPU of the context, with the log replayed: a log recorded from
 * the guest's creation makes every register exact.
 */
static int replayed_states(const struct source *src, xcx_hvm_context *ctx,
                           xentoollog_logger *lg, struct states *out)
{
    unsigned int nr = xcx_hvm_context_nr_vcpus(ctx), width;
    struct xcx_mtrr_state *all = calloc(nr, sizeof(*all));
    xcx_mtrr_tracker *tr = NULL;
    struct replay_log rl;
    bool from_start;
    int rc = -1;

    if (!all)
        return -1;
    if (replay_open(&rl, src->replay, lg) ||
        replay_settings(src, &rl, nr, &width, &from_start))
        goto out;
    for (unsigned int v = 0; v < nr; v++)
        if (xcx_hvm_context_mtrr(ctx, v, width, &all[v]))
            goto out;
    tr = xcx_tracker_new(all, nr, from_start ? XCX_TRACK_FROM_START : 0, lg);
    if (!tr || replay_apply(&rl, tr))
        goto out;
    for (unsigned int i = 0; i < out->count; i++)
        xcx_tracker_state(tr, out->first_vcpu + i, &out->state[i]);
    rc = 0;
out:
    replay_close(&rl);
    xcx_tracker_free(tr);
    free(all);
    return rc;
}

static int load_context(const struct source *src, xentoollog_logger *lg,
                        struct states *out)
{
    xcx_hvm_context *ctx = open_context(src->context, lg);
    unsigned int width;
    int rc = -1;

    if (!ctx)
        return -1;
    width =
        src->maxphysaddr ? src->maxphysaddr : xcx_hvm_context_width_hint(ctx);
    if (alloc_states(src, xcx_hvm_context_nr_vcpus(ctx), out))
        goto out;
    if (src->replay) {
        rc = replayed_states(src, ctx, lg, out);
        goto out;
    }
    for (unsigned int i = 0; i < out->count; i++)
        if (xcx_hvm_context_mtrr(ctx, out->first_vcpu + i, width,
                                 &out->state[i]))
            goto out;
    rc = 0;
out:
    xcx_hvm_context_free(ctx);
    return rc;
}

static int load_live(const struct source *src, xentoollog_logger *lg,
                     struct states *out)
{
    xcx_handle *h = xcx_open(lg, 0);
    int rc;

    if (!h)
        return -1;
    if (domain_resolve(h, (struct domain_ref *)&src->domain)) {
        xcx_close(h);
        return -1;
    }
    if (src->all_vcpus) {
        out->first_vcpu = 0;
        rc = xcx_mtrr_read_all(h, src->domain.domid, src->maxphysaddr,
                               &out->state, &out->count);
    } else {
        out->first_vcpu = src->vcpu;
        out->count = 1;
        out->state = calloc(1, sizeof(*out->state));
        rc = out->state ? xcx_mtrr_read(h, src->domain.domid, src->vcpu,
                                        src->maxphysaddr, out->state)
                        : -1;
    }
    xcx_close(h);
    return rc;
}

int load_states(const struct source *src, xentoollog_logger *lg,
                struct states *out)
{
    int rc;

    memset(out, 0, sizeof(*out));
    rc = src->context ? load_context(src, lg, out) : load_live(src, lg, out);
    if (rc)
        free_states(out);
    return rc;
}

void free_states(struct states *st)
{
    free(st->state);
    st->state = NULL;
    st->count = 0;
}

int run_per_vcpu(const struct source *src, states_fn check, vcpu_fn fn,
                 void *arg)
{
    xentoollog_logger_stdiostream *lg;
    struct states states;
    int rc = EXIT_ERROR;

    lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (!lg)
        return EXIT_ERROR;
    if (load_states(src, (xentoollog_logger *)lg, &states))
        goto out;
    if (check && check(&states, arg))
        goto out_states;
    for (unsigned int i = 0; i < states.count; i++)
        if (fn(states.first_vcpu + i, &states.state[i], arg,
               (xentoollog_logger *)lg))
            goto out_states;
    rc = EXIT_OK;
out_states:
    free_states(&states);
out:
    xtl_logger_destroy((xentoollog_logger *)lg);
    domain_ref_free((struct domain_ref *)&src->domain);
    return finish_output(rc);
}
