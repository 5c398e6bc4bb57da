/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xc-mtrr-watch: follow a guest's MTRR and PAT writes through the vm_event
 * monitor, print them and the type changes they cause, optionally record
 * them for --replay. On every exit, signals included, the monitor is torn
 * down and the guest keeps running unmonitored.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"
#include "operands.h"

#define DURATION_MAX (365u * 86400) /* a year, in seconds */
#include "show.h"

struct watch {
    bool json;
    FILE *record;
    const char *record_path;
    uint64_t count;            /* --count, 0: no limit */
    uint64_t seen;             /* writes consumed so far */
    xcx_mtrr_tracker *tracker; /* the monitor's, until it is closed */
    unsigned int nr_vcpus;
    xcx_mtrr_snapshot **maps;     /* per vCPU, to tell what changed */
    bool failed;                  /* an output could not be written */
    bool show_final;              /* --show-final */
    struct xcx_mtrr_state *final; /* per vCPU, with --show-final */
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    stop_signal = sig;
}

static void help(void)
{
    printf("Usage: %s [options] DOMID\n"
           "Print each MTRR and PAT write of an HVM guest as it happens, and "
           "the type\nchanges it causes.\n\n"
           "  -j, --json             JSON Lines output\n"
           "  -r, --record FILE      append every write to FILE (for "
           "--replay)\n"
           "  -d, --duration SECONDS stop after this long\n"
           "  -n, --count N          stop after N writes\n"
           "  -s, --from-start       the guest has not run yet (xl create "
           "-p):\n"
           "                         every register is then exact\n"
           "  -f, --show-final       on exit, show the tracked registers "
           "and type map\n"
           "                         of every vCPU, as xc-mtrr-map does\n"
           "  -h, --help             this text\n"
           "  -V, --version          the version\n\n"
           "Exact variable pairs need attaching before the guest runs:\n"
           "  xl create -p guest.cfg; %s --from-start DOMID & xl unpause "
           "DOMID\n\n"
           "DOMID: a domain id (digits only) or name, as xl takes it.\n"
           "Exit status: 0 success (also when stopped by a signal), 1 error, "
           "2 usage.\n",
           prog, prog);
}

static void print_change_plain(void *arg, const struct xcx_mtrr_change *c)
{
    printf("    [0x%" PRIx64 ", 0x%" PRIx64 ") %s -> %s\n", c->start, c->end,
           xcx_mem_type_name(c->from), xcx_mem_type_name(c->to));
}

static void print_change_json(void *arg, const struct xcx_mtrr_change *c)
{
    bool *first = arg;

    printf("%s{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64
           "\",\"from\":\"%s\",\"to\":\"%s\"}",
           *first ? "" : ",", c->start, c->end, xcx_mem_type_name(c->from),
           xcx_mem_type_name(c->to));
    *first = false;
}

/* Print the ranges whose type the write changed, then remember the map. */
static void report_changes(struct watch *w, unsigned int vcpu)
{
    const xcx_mtrr_map *map = xcx_tracker_map(w->tracker, vcpu);
    xcx_mtrr_snapshot *now = map ? xcx_mtrr_snapshot_take(map) : NULL;
    bool first = true;

    if (!now) {
        if (!w->json)
            printf("    (type map unavailable: %s)\n", strerror(errno));
        return;
    }
    if (w->json)
        printf(",\"changes\":[");
    if (w->maps[vcpu])
        xcx_mtrr_snapshot_diff(w->maps[vcpu], now,
                               w->json ? print_change_json : print_change_plain,
                               &first, NULL);
    if (w->json)
        printf("]");
    xcx_mtrr_snapshot_free(w->maps[vcpu]);
    w->maps[vcpu] = now;
}

static void record_write(struct watch *w, unsigned int vcpu, uint32_t msr,
                         uint64_t value, const struct xcx_write_outcome *out)
{
    if (fprintf(w->record,
                "{\"vcpu\":%u,\"msr\":\"0x%x\",\"value\":\"0x%" PRIx64
                "\",\"old\":\"0x%" PRIx64 "\",\"accepted\":%s}\n",
                vcpu, msr, value, out->old_value,
                out->accepted ? "true" : "false") < 0 ||
        fflush(w->record)) {
        fprintf(stderr, "%s: %s: %s\n", prog, w->record_path, strerror(errno));
        w->failed = true;
    }
}

static void on_write(void *arg, unsigned int vcpu, uint32_t msr, uint64_t value,
                     const struct xcx_write_outcome *out)
{
    struct watch *w = arg;
    const char *name = xcx_msr_name(msr);

    w->seen++;
    if (w->record)
        record_write(w, vcpu, msr, value, out);
    if (w->json) {
        printf(
            "{\"vcpu\":%u,\"msr\":\"0x%x\",\"name\":\"%s\",\"old\":\"0x%" PRIx64
            "\",\"value\":\"0x%" PRIx64 "\",\"accepted\":%s",
            vcpu, msr, name, out->old_value, value,
            out->accepted ? "true" : "false");
        if (!out->accepted)
            json_string_member(stdout, "reason", out->reason);
    } else {
        printf("vcpu %u %s (0x%x): 0x%" PRIx64 " -> 0x%" PRIx64 " %s%s\n", vcpu,
               name, msr, out->old_value, value,
               out->accepted ? "accepted" : "refused: ", out->reason);
    }
    if (out->types_changed)
        report_changes(w, vcpu);
    if (w->final)
        xcx_tracker_state(w->tracker, vcpu, &w->final[vcpu]);
    if (w->json)
        printf("}\n");
    if (fflush(stdout)) {
        fprintf(stderr, "%s: writing the output: %s\n", prog, strerror(errno));
        w->failed = true;
    }
}

static int take_maps(struct watch *w)
{
    w->maps = calloc(w->nr_vcpus, sizeof(*w->maps));
    if (!w->maps)
        return -1;
    for (unsigned int v = 0; v < w->nr_vcpus; v++) {
        const xcx_mtrr_map *map = xcx_tracker_map(w->tracker, v);

        if (map && !(w->maps[v] = xcx_mtrr_snapshot_take(map)))
            return -1;
    }
    return 0;
}

static void free_maps(struct watch *w)
{
    if (!w->maps)
        return;
    for (unsigned int v = 0; v < w->nr_vcpus; v++)
        xcx_mtrr_snapshot_free(w->maps[v]);
    free(w->maps);
}

/* The tracked states, kept current by on_write(): the tracker goes away
 * when the monitor is detached, and --show-final prints after that. */
static int take_final(struct watch *w)
{
    w->final = calloc(w->nr_vcpus, sizeof(*w->final));
    if (!w->final)
        return -1;
    for (unsigned int v = 0; v < w->nr_vcpus; v++)
        xcx_tracker_state(w->tracker, v, &w->final[v]);
    return 0;
}

/* After detaching, so the guest does not wait on the printing. */
static int show_final(struct watch *w, xentoollog_logger *lg)
{
    for (unsigned int v = 0; v < w->nr_vcpus; v++)
        if (show_vcpu(v, &w->final[v], &w->json, lg))
            return -1;
    return 0;
}

/* Milliseconds left until @deadline, -1 for none. */
static int remaining_ms(const struct timespec *deadline)
{
    struct timespec now;
    int64_t ms;

    if (!deadline->tv_sec && !deadline->tv_nsec)
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &now);
    ms = (deadline->tv_sec - now.tv_sec) * 1000 +
         (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return ms < 0 ? 0 : ms > 60000 ? 60000 : (int)ms;
}

static void catch_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal}; /* no SA_RESTART */
    struct sigaction ign = {.sa_handler = SIG_IGN};

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGPIPE, &ign, NULL); /* a closed pipe is a write error */
}

/* Consume writes until a signal, the count, the deadline or an error. */
static int watch_loop(xcx_monitor *mon, struct watch *w,
                      const struct timespec *deadline)
{
    while (!stop_signal && !w->failed && !(w->count && w->seen >= w->count)) {
        int ms = remaining_ms(deadline);

        if (ms == 0 && (deadline->tv_sec || deadline->tv_nsec))
            return 0;
        if (xcx_monitor_poll(mon, ms, on_write, w) < 0 && errno != EINTR)
            return -1;
    }
    return w->failed ? -1 : 0;
}

static const struct option options[] = {
    {"json", no_argument, NULL, 'j'},
    {"record", required_argument, NULL, 'r'},
    {"duration", required_argument, NULL, 'd'},
    {"count", required_argument, NULL, 'n'},
    {"from-start", no_argument, NULL, 's'},
    {"show-final", no_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
    struct watch w = {0};
    struct timespec deadline = {0};
    struct source src = {0};
    uint64_t seconds = 0;
    unsigned int flags = 0;
    xentoollog_logger_stdiostream *lg;
    xcx_handle *h = NULL;
    xcx_monitor *mon = NULL;
    char label[80];
    int opt, rc = EXIT_ERROR;

    prog = "xc-mtrr-watch";
    static const char *const domid[] = {"DOMID", NULL};
    static const struct operand_names names = {domid, domid};

    refuse_negative_operands(argc, argv, "jr:d:n:sfhV", options, &names);
    while ((opt = getopt_long(argc, argv, "jr:d:n:sfhV", options, NULL)) !=
           -1) {
        switch (opt) {
        case 'r':
            w.record_path = optarg;
            break;
        case 'd':
            if (!parse_uint(optarg, 1, DURATION_MAX, &seconds))
                usage_error("invalid duration '%s' (1..%u seconds)", optarg,
                            DURATION_MAX);
            break;
        case 'n':
            if (!parse_uint(optarg, 1, UINT64_MAX, &w.count))
                usage_error("invalid count '%s' (1..)", optarg);
            break;
        case 's':
            flags |= XCX_MONITOR_FROM_START;
            break;
        case 'f':
            w.show_final = true;
            break;
        default: /* -j, -h and -V, as every tool has them */
            if (opt == '?' || !common_option(&src, &w.json, help, opt, optarg))
                usage_error("unknown option");
        }
    }
    if (source_operands(&src, argc, argv, optind) != argc)
        usage_error("unexpected operand '%s'",
                    argv[source_operands(&src, argc, argv, optind)]);

    lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (!lg)
        return EXIT_ERROR;
    catch_signals();
    h = xcx_open((xentoollog_logger *)lg, 0);
    if (!h || domain_resolve(h, &src.domain) ||
        !(mon = xcx_monitor_open(h, src.domain.domid, flags)))
        goto out;
    /* Only once attached, so a failed attach leaves no new file behind. */
    if (w.record_path && !(w.record = fopen(w.record_path, "ae"))) {
        fprintf(stderr, "%s: %s: %s\n", prog, w.record_path, strerror(errno));
        goto out;
    }
    w.tracker = xcx_monitor_tracker(mon);
    w.nr_vcpus = xcx_tracker_nr_vcpus(w.tracker);
    if (take_maps(&w) || (w.show_final && take_final(&w)))
        goto out;
    if (seconds) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += seconds;
    }
    if (!w.json)
        fprintf(stderr, "%s: watching %s (%u vCPUs)%s\n", prog,
                domain_label(&src.domain, label, sizeof(label)), w.nr_vcpus,
                (flags & XCX_MONITOR_FROM_START) ? " from its start" : "");
    rc = watch_loop(mon, &w, &deadline) ? EXIT_ERROR : EXIT_OK;
out:
    /* Writes drained while detaching are printed and recorded too. */
    if (xcx_monitor_detach(mon, on_write, &w))
        rc = EXIT_ERROR;
    free_maps(&w);
    if (w.final && show_final(&w, (xentoollog_logger *)lg))
        rc = EXIT_ERROR;
    free(w.final);
    xcx_close(h);
    if (w.record && fclose(w.record))
        rc = EXIT_ERROR;
    xtl_logger_destroy((xentoollog_logger *)lg);
    domain_ref_free(&src.domain);
    return finish_output(rc);
}
