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
#include <sys/stat.h>
#include <time.h>

#include "common.h"
#include "operands.h"
#include "replay.h"

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
           "-p): checked,\n"
           "                         and every register is then exact\n"
           "  -u, --unpause          once attached, unpause the domain "
           "(created with\n"
           "                         xl create -p): no write is missed\n"
           "  -f, --show-final       on exit, show the tracked registers "
           "and type map\n"
           "                         of every vCPU, as xc-mtrr-map does\n"
           "  -h, --help             this text\n"
           "  -V, --version          the version\n\n"
           "Attached, it says so (stderr; with --json a first object "
           "{\"event\":\"attached\",...})\nbefore it answers any write. "
           "Exact variable pairs need attaching before the\nguest runs:\n"
           "  xl create -p guest.cfg\n"
           "  %s --from-start --unpause --record guest.mtrrlog DOMID\n\n"
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
    if (log_put_write(w->record, vcpu, msr, value, out)) {
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
        printf("{\"vcpu\":%u,\"msr\":\"0x%x\",\"name\":\"%s\",\"old\":\"" REG
               "\",\"value\":\"" REG "\",\"accepted\":%s",
               vcpu, msr, name, out->old_value, value,
               out->accepted ? "true" : "false");
        if (!out->accepted)
            json_string_member(stdout, "reason", out->reason);
    } else {
        printf("vcpu %u %s (0x%x): " REG " -> " REG " %s%s\n", vcpu, name, msr,
               out->old_value, value,
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

/* A log holds one recording: refuse a file that has one already, before
 * attaching. */
static int record_in_use(const char *path)
{
    struct stat st;

    if (stat(path, &st) ? errno == ENOENT : !S_ISREG(st.st_mode) || !st.st_size)
        return 0;
    fprintf(stderr,
            "%s: %s exists and is not empty: a log holds one recording, "
            "give a new file\n",
            prog, path);
    return -1;
}

/* Only once attached, so a failed attach leaves no new file behind. */
static int start_record(struct watch *w, const struct xcx_log_header *hdr)
{
    if (!w->record_path)
        return 0;
    w->record = fopen(w->record_path, "ae");
    if (!w->record || log_put_header(w->record, hdr)) {
        fprintf(stderr, "%s: %s: %s\n", prog, w->record_path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Attached, before any write is answered: a script may go on. */
static void announce(struct watch *w, const struct xcx_log_header *hdr,
                     unsigned int flags)
{
    bool unpaused = flags & XCX_MONITOR_UNPAUSE;

    if (!w->json) {
        fprintf(stderr,
                "%s: attached to domain %u%s%s%s (%u vCPUs, %u-bit)%s%s\n",
                prog, hdr->domid, hdr->name[0] ? " (" : "", hdr->name,
                hdr->name[0] ? ")" : "", hdr->nr_vcpus, hdr->maxphysaddr,
                hdr->from_start ? ", from its start" : "",
                unpaused ? ", unpaused" : "");
        return;
    }
    printf("{\"event\":\"attached\",\"domid\":%u", hdr->domid);
    json_string_member(stdout, "name", hdr->name);
    printf(",\"vcpus\":%u,\"maxphysaddr\":%u,\"from_start\":%s,"
           "\"unpaused\":%s}\n",
           hdr->nr_vcpus, hdr->maxphysaddr, hdr->from_start ? "true" : "false",
           unpaused ? "true" : "false");
    if (fflush(stdout))
        w->failed = true;
}

static const struct option options[] = {
    {"json", no_argument, NULL, 'j'},
    {"record", required_argument, NULL, 'r'},
    {"duration", required_argument, NULL, 'd'},
    {"count", required_argument, NULL, 'n'},
    {"from-start", no_argument, NULL, 's'},
    {"unpause", no_argument, NULL, 'u'},
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
    struct xcx_log_header hdr;
    uint64_t seconds = 0;
    unsigned int flags = 0;
    xentoollog_logger_stdiostream *lg;
    xcx_handle *h = NULL;
    xcx_monitor *mon = NULL;
    int opt, rc = EXIT_ERROR;

    prog = "xc-mtrr-watch";
    static const char *const domid[] = {"DOMID", NULL};
    static const struct operand_names names = {domid, domid};

    refuse_negative_operands(argc, argv, "jr:d:n:sufhV", options, &names);
    while ((opt = getopt_long(argc, argv, "jr:d:n:sufhV", options, NULL)) !=
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
        case 'u':
            flags |= XCX_MONITOR_UNPAUSE;
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
    if (w.record_path && record_in_use(w.record_path))
        goto out;
    h = xcx_open((xentoollog_logger *)lg, 0);
    if (!h || domain_resolve(h, &src.domain) ||
        !(mon = xcx_monitor_open(h, src.domain.domid, flags))) {
        if (errno == EALREADY)
            fprintf(stderr,
                    "%s: to watch a guest from its start, create it paused "
                    "and let the watcher unpause it:\n  xl create -p "
                    "guest.cfg\n  %s --from-start --unpause DOMID\n",
                    prog, prog);
        goto out;
    }
    w.tracker = xcx_monitor_tracker(mon);
    w.nr_vcpus = xcx_tracker_nr_vcpus(w.tracker);
    if (take_maps(&w) || (w.show_final && take_final(&w)) ||
        xcx_monitor_log_header(mon, &hdr) || start_record(&w, &hdr))
        goto out;
    if (seconds) {
        clock_gettime(CLOCK_MONOTONIC, &deadline);
        deadline.tv_sec += seconds;
    }
    announce(&w, &hdr, flags);
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
