/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xc-mtrr-audit: findings about how HVM and PVH guests cache their memory,
 * for every guest of a host, the ones named, or a saved context; plain or
 * JSON Lines, with an exit status a script can act on.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_config.h"
#include "audit_output.h"
#include "common.h"
#include "operands.h"
#include "svg.h"

enum { EXIT_FINDINGS = 3 };

struct audit_opts {
    struct source src;
    const char *config;  /* --config FILE */
    const char *svg;     /* --svg FILE */
    unsigned int vendor; /* --vendor: XCX_VENDOR_*, 0 not given */
    struct audit_output out;
    char **domids; /* operands */
    unsigned int nr_domids;
};

#define NO_FACTS                                                               \
    "an offline audit has no Xen facts (give the domain's libxl "              \
    "configuration with --config FILE)"

static void help(void)
{
    printf("Usage: %s [options] [DOMID...]\n"
           "       %s [options] --context FILE [--replay LOG]\n"
           "Findings about how HVM and PVH guests cache their memory: every "
           "guest of the\nhost without DOMID (PV domains are listed as "
           "skipped), or a saved context.\n\n"
           "  -c, --context FILE     audit a saved HVM context or xl save "
           "image\n"
           "  -r, --replay LOG       with --context: apply a write log of "
           "xc-mtrr-watch\n"
           "      --replay-partial   the log began after the guest booted\n"
           "      --config FILE      the domain's libxl configuration (JSON), "
           "for --context\n"
           "                         or one DOMID; by default libxl's saved "
           "one is read\n"
           "      --vendor intel|amd the host's vendor, for --context (live: "
           "Xen says)\n"
           "      --severity LEVEL   show findings at or above LEVEL: error, "
           "warning, info\n"
           "      --svg FILE         draw the guest's address space into FILE "
           "(SVG), the\n"
           "                         findings marked; with --context or "
           "one DOMID\n"
           "  -w, --maxphysaddr BITS guest physical-address width (32..52)\n"
           "  -j, --json             JSON Lines: one object per finding, and "
           "per domain\n"
           "  -h, --help             this text\n"
           "  -V, --version          the version\n\n"
           "DOMID: a domain id (digits only) or name, as xl takes it.\n"
           "Exit status: 0 no finding at or above warning, 3 findings, 1 "
           "error, 2 usage.\n",
           prog, prog);
}

/* --config FILE, named by the user: not readable is an error. */
static int explicit_facts(const char *path, struct audit_facts *fx,
                          struct libxl_config *c)
{
    unsigned char *doc;
    size_t len;
    char err[160];
    int rc;

    if (read_whole_file(path, CONFIG_MAX, &doc, &len, err, sizeof(err))) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, err);
        return -1;
    }
    rc = libxl_config_parse((const char *)doc, len, c, err, sizeof(err));
    free(doc);
    if (rc) {
        fprintf(stderr, "%s: %s: not a libxl domain configuration: %s\n", prog,
                path, err);
        return -1;
    }
    audit_facts_from_config(fx, c, LIBXL_GIVEN, path);
    return 0;
}

/* The picture of one audited guest, its findings numbered on it. */
static int draw(const struct audit_opts *a, const struct audit_target *t,
                const struct xcx_mtrr_state *states, unsigned int nr,
                const struct audit_report *r)
{
    struct svg_mark *marks = calloc(r->n ? r->n : 1, sizeof(*marks));
    uint64_t(*ranges)[2] =
        calloc(r->n ? r->n * AUDIT_MAX_RANGES : 1, sizeof(*ranges));
    char title[600];
    struct svg_picture pic = {title, states, 0, nr, marks, r->n};
    xentoollog_logger_stdiostream *lg =
        xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    int rc = -1;

    if (!marks || !ranges || !lg)
        goto out;
    for (size_t i = 0; i < r->n; i++) {
        const struct audit_finding *f = &r->f[i];

        marks[i] = (struct svg_mark){
            f->id,       audit_severity_name(f->severity), f->vcpus,
            f->nr_vcpus, &ranges[i * AUDIT_MAX_RANGES],    f->nr_ranges};
        for (unsigned int k = 0; k < f->nr_ranges; k++) {
            ranges[i * AUDIT_MAX_RANGES + k][0] = f->ranges[k].start;
            ranges[i * AUDIT_MAX_RANGES + k][1] = f->ranges[k].end;
        }
    }
    if (t->live)
        snprintf(title, sizeof(title), "Audit of domain %u%s%s%s", t->domid,
                 t->name ? " (" : "", t->name ? t->name : "",
                 t->name ? ")" : "");
    else
        snprintf(title, sizeof(title), "Audit of %s", t->context);
    rc = svg_write(a->svg, &pic, (xentoollog_logger *)lg);
out:
    if (lg)
        xtl_logger_destroy((xentoollog_logger *)lg);
    free(marks);
    free(ranges);
    return rc;
}

/* Audit @nr states with @fx and print the result. */
static int report(struct audit_opts *a, const struct audit_target *t,
                  const struct xcx_mtrr_state *states, unsigned int nr,
                  const struct audit_facts *fx)
{
    struct audit_subject s = {states, nr, fx};
    struct audit_report r = {0};
    int rc = audit_run(&s, &r);

    if (rc)
        fprintf(stderr, "%s: auditing: %s\n", prog, strerror(errno));
    else
        audit_print_report(&a->out, t, nr, &r, fx->source_file);
    if (!rc && a->svg)
        rc = draw(a, t, states, nr, &r);
    audit_report_free(&r);
    return rc;
}

/*
 * The configuration xl save keeps in its image (JSON, libxl's own): the
 * facts of an offline audit of the image when no --config is given. The
 * file was read once already, so it exists; @fx is untouched when it holds
 * no usable configuration.
 */
static void image_facts(const char *path, struct audit_facts *fx,
                        struct libxl_config *c)
{
    struct xcx_saved_image img;
    const void *data;
    size_t len;
    char err[160], label[AUDIT_TEXT_MAX];

    if (map_file(path, &data, &len))
        return;
    if (!xcx_saved_image_scan(data, len, &img, NULL) && img.config_json &&
        img.config_len) {
        if (libxl_config_parse((const char *)data + img.config_offset,
                               img.config_len, c, err, sizeof(err))) {
            memset(c, 0, sizeof(*c));
            fprintf(stderr,
                    "%s: %s: the configuration in the xl save image is not "
                    "usable (%s): auditing without it\n",
                    prog, path, err);
        } else {
            snprintf(label, sizeof(label), "%s (in the xl save image)", path);
            audit_facts_from_config(fx, c, LIBXL_GIVEN, label);
        }
    }
    unmap_file(data, len);
}

static int audit_offline(struct audit_opts *a, xentoollog_logger *lg)
{
    struct audit_target t = {.context = a->src.context};
    struct libxl_config c = {0};
    struct audit_facts fx;
    struct states states;
    int rc;

    if (a->config) {
        if (explicit_facts(a->config, &fx, &c))
            return -1;
    } else {
        audit_facts_none(&fx, NO_FACTS);
    }
    if (load_states(&a->src, lg, &states))
        return -1;
    if (!a->config)
        image_facts(a->src.context, &fx, &c);
    fx.offline = true;
    fx.vendor = a->vendor;
    fx.vendor_source = a->vendor ? "--vendor" : "no --vendor";
    t.name = c.name[0] ? c.name : NULL;
    rc = report(a, &t, states.state, states.count, &fx);
    free_states(&states);
    return rc;
}

/* The host's vendor from Xen (--vendor overrides); unknown when Xen
 * cannot tell, which MTRR008 says. */
static void host_vendor(const struct audit_opts *a, xcx_handle *h,
                        uint32_t domid, struct audit_facts *fx)
{
    struct xcx_eff_inputs in;
    struct xcx_eff_host_view view;

    fx->vendor = a->vendor;
    fx->vendor_source = "--vendor";
    if (a->vendor)
        return;
    xcx_eff_inputs_init(&in);
    fx->vendor_source = "the host's vendor could not be read from Xen";
    if (xcx_eff_read_facts(h, domid, 0, &in, &view) == 0) {
        fx->vendor = in.host.vendor;
        fx->vendor_source = "vendor from Xen's host CPU policy";
    }
}

/* One live domain: 0 audited or skipped, -1 an error (reported). */
static int audit_domain(struct audit_opts *a, xcx_handle *h,
                        const struct xcx_domain_entry *e)
{
    struct audit_target t = {.live = true, .domid = e->info.domid};
    struct xcx_mtrr_state *states;
    struct libxl_config c;
    struct audit_facts fx;
    unsigned int nr;
    char path[512], why[160], name[256];
    int rc;

    if (e->info.dying) {
        audit_print_skip(&a->out, &t, "skipped", "dying: being destroyed");
        return 0;
    }
    if (!e->info.hvm) {
        audit_print_skip(&a->out, &t, "skipped",
                         "a PV domain: MTRR types need an HVM or PVH guest");
        return 0;
    }
    if (a->config) {
        if (explicit_facts(a->config, &fx, &c))
            return -1;
    } else {
        libxl_userdata_path(path, sizeof(path), LIBXL_USERDATA_DIR,
                            e->info.domid, e->handle);
        audit_facts_load(&fx, &c, path);
    }
    fx.paused = e->paused;
    host_vendor(a, h, e->info.domid, &fx);
    t.name = c.name[0] ? c.name : NULL;
    /* Without a configuration, the name xl shows (xenstore's). */
    if (!t.name && !xcx_domain_name(h, e->info.domid, name, sizeof(name)))
        t.name = name;
    if (xcx_mtrr_read_all(h, e->info.domid, a->src.maxphysaddr, &states, &nr)) {
        if (errno == ESRCH) {
            audit_print_skip(&a->out, &t, "skipped",
                             "gone: destroyed during the audit");
            return 0;
        }
        snprintf(why, sizeof(why), "its MTRR records could not be read: %s",
                 strerror(errno));
        audit_print_skip(&a->out, &t, "error", why);
        return -1;
    }
    rc = report(a, &t, states, nr, &fx);
    free(states);
    return rc;
}

static int audit_live(struct audit_opts *a, xentoollog_logger *lg)
{
    struct xcx_domain_entry *list;
    struct xcx_xen_version xv;
    unsigned int nr;
    xcx_handle *h = xcx_open(lg, 0);
    int rc = 0;

    if (!h)
        return -1;
    if (!xcx_xen_version(h, &xv))
        snprintf(a->out.xen, sizeof(a->out.xen), "%s", xv.text);
    if (xcx_domain_list(h, &list, &nr)) {
        xcx_close(h);
        return -1;
    }
    for (unsigned int i = 0; i < a->nr_domids; i++) {
        const struct xcx_domain_entry *e = NULL;
        struct domain_ref d;

        domain_operand(a->domids[i], &d);
        /* A name: the library says on stderr when no domain has it. */
        if (d.by_name && xcx_domain_by_name(h, d.arg, &d.domid)) {
            rc = -1;
            continue;
        }
        for (unsigned int j = 0; j < nr && !e; j++)
            if (list[j].info.domid == d.domid)
                e = &list[j];
        if (!e) {
            struct audit_target t = {.live = true, .domid = d.domid};

            fprintf(stderr, "%s: no domain %u: %s\n", prog, d.domid,
                    strerror(ESRCH));
            audit_print_skip(&a->out, &t, "error", "no such domain");
            rc = -1;
        } else if (audit_domain(a, h, e)) {
            rc = -1;
        }
    }
    for (unsigned int j = 0; !a->nr_domids && j < nr; j++)
        if (audit_domain(a, h, &list[j]))
            rc = -1;
    free(list);
    xcx_close(h);
    return rc;
}

static const struct option options[] = {
    COMMON_LONG_OPTIONS,
    {"config", required_argument, NULL, 'C'},
    {"severity", required_argument, NULL, 'S'},
    {"vendor", required_argument, NULL, 'D'},
    {"svg", required_argument, NULL, 'G'},
    {NULL, 0, NULL, 0},
};

static void parse_args(struct audit_opts *a, int argc, char **argv)
{
    int opt;

    a->src.all_vcpus = true;
    a->out.min = SEV_INFO;
    static const char *const domid[] = {"DOMID", NULL};
    static const struct operand_names names = {domid, domid + 1};

    refuse_negative_operands(argc, argv, COMMON_SHORT_OPTIONS, options, &names);
    while ((opt = getopt_long(argc, argv, COMMON_SHORT_OPTIONS, options,
                              NULL)) != -1) {
        if (opt == 'v' || opt == 'a')
            usage_error("--vcpu and --all-vcpus do not apply: every vCPU is "
                        "audited");
        if (common_option(&a->src, &a->out.json, help, opt, optarg))
            continue;
        if (opt == 'C')
            a->config = optarg;
        else if (opt == 'D' && !strcmp(optarg, "intel"))
            a->vendor = XCX_VENDOR_INTEL;
        else if (opt == 'D' && !strcmp(optarg, "amd"))
            a->vendor = XCX_VENDOR_AMD;
        else if (opt == 'D')
            usage_error("invalid vendor '%s' (intel or amd)", optarg);
        else if (opt == 'G' && !*optarg)
            usage_error("empty --svg FILE");
        else if (opt == 'G')
            a->svg = optarg;
        else if (opt != 'S')
            usage_error("unknown option");
        else if (!audit_severity_parse(optarg, &a->out.min))
            usage_error("invalid severity '%s' (error, warning or info)",
                        optarg);
    }
    replay_option_checks(&a->src);
    a->domids = argv + optind;
    a->nr_domids = argc - optind;
    if (a->src.context && a->nr_domids)
        usage_error("unexpected operand '%s' with --context", argv[optind]);
    for (unsigned int i = 0; i < a->nr_domids; i++) {
        struct domain_ref d;

        domain_operand(a->domids[i], &d); /* usage errors now */
    }
    if (a->config && !a->src.context && a->nr_domids != 1)
        usage_error("--config needs --context FILE or exactly one DOMID");
    if (a->svg && !a->src.context && a->nr_domids != 1)
        usage_error("--svg needs --context FILE or exactly one DOMID");
}

int main(int argc, char **argv)
{
    struct audit_opts a = {0};
    xentoollog_logger_stdiostream *lg;
    int rc;

    prog = "xc-mtrr-audit";
    parse_args(&a, argc, argv);
    lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (!lg)
        return EXIT_ERROR;
    rc = a.src.context ? audit_offline(&a, (xentoollog_logger *)lg)
                       : audit_live(&a, (xentoollog_logger *)lg);
    xtl_logger_destroy((xentoollog_logger *)lg);
    return finish_output(rc              ? EXIT_ERROR
                         : a.out.flagged ? EXIT_FINDINGS
                                         : EXIT_OK);
}
