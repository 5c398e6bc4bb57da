/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xenctrl_ext/tracking.h: MSR writes applied as Xen applies them, per-domain
 * trackers and replay-log lines (pure), and the library-owned vm_event
 * monitor.
 *
 * Part of <xenctrl_ext.h>, which states the conventions of the whole API;
 * include that. Sections marked (pure) are in libxenctrl_ext_pure, the
 * others in libxenctrl_ext.
 */
#ifndef XENCTRL_EXT_TRACKING_H
#define XENCTRL_EXT_TRACKING_H

#include "mtrr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* MSR writes and tracking (pure)                                            */
/* ------------------------------------------------------------------------ */

/* What became of one proposed MSR write. */
struct xcx_write_outcome {
    bool accepted; /* false: Xen refuses it and the guest gets #GP */
    bool changed;  /* accepted and the register's value changed */
    /* Some type may have changed: the write, or an old_value correcting
     * the tracked view, touched a register that resolution reads
     * (reliability alone does not count). */
    bool types_changed;
    uint64_t old_value; /* the register before the write */
    char reason[160];   /* why it was refused, or "" */
};

/**
 * xcx_msr_name: the SDM name of an MTRR or PAT MSR ("MTRRcap",
 * "MTRRdefType", "MTRRphysBase0".."MTRRphysMask7", "MTRRfix64K_00000",
 * "MTRRfix16K_80000", "MTRRfix16K_A0000", "MTRRfix4K_C0000".."MTRRfix4K_F8000",
 * "PAT"), or NULL (errno EINVAL) for any other MSR.
 *
 * Since: 1.1
 */
const char *xcx_msr_name(uint32_t msr);

/**
 * xcx_mtrr_apply_write: apply one proposed guest write to a state exactly
 * as Xen's intercept would (xen/arch/x86/hvm/mtrr.c, 4.17): MTRRcap is
 * read-only; MTRRdefType, the 11 fixed-range MSRs, PHYSBASE/PHYSMASK of the
 * pairs below VCNT and PAT are checked as xcx_mtrr_state_init() checks
 * them. A refused write leaves the state as it was and says why in
 * @out->reason; it is not an error.
 *
 * @old_value, when not NULL, is the register's value before the write as
 * Xen reported it (vm_event's old_value): it becomes the register's known
 * value first, so even a refused write makes that register exact. An
 * accepted write to PHYSBASEi or PHYSMASKi makes that register exact.
 *
 * Errors: EINVAL for an MSR that is neither an MTRR nor the PAT MSR (Xen
 * 4.17 treats 0x210..0x24f as further variable pairs, which a domU with
 * VCNT 8 cannot have: those are EINVAL too), an @old_value no register can
 * hold or an MTRRcap @old_value that differs from the state's, or a state
 * with a VCNT or width out of bounds; the state is unchanged then.
 *
 * Since: 1.1
 */
int xcx_mtrr_apply_write(struct xcx_mtrr_state *st, uint32_t msr,
                         uint64_t value, const uint64_t *old_value,
                         struct xcx_write_outcome *out, xentoollog_logger *lg);

/*
 * A tracker: the MTRR state of every vCPU of one domain, kept current by
 * the guest's MSR writes, with a type map per vCPU rebuilt only after a
 * write that changed a type. Lookups make no call to Xen.
 */
typedef struct xcx_mtrr_tracker xcx_mtrr_tracker;

/*
 * Tracking began before the guest ran: every register is exact, and one
 * the baseline cannot show (a copy of pair 0 in a record) holds its
 * power-on value 0 until the guest writes it.
 */
#define XCX_TRACK_FROM_START 1u

/**
 * xcx_tracker_new: a tracker for @nr_vcpus vCPUs starting from @baseline
 * (an array of @nr_vcpus validated states, e.g. from xcx_mtrr_read_all()).
 * With XCX_TRACK_FROM_START every variable register is marked exact and
 * those the baseline does not know are reset to their power-on value 0;
 * otherwise the baseline's knowledge is kept. The tracker keeps @lg.
 *
 * Errors: EINVAL for 0 vCPUs, unknown flags or an invalid baseline state;
 * ENOMEM.
 *
 * Since: 1.1
 */
xcx_mtrr_tracker *xcx_tracker_new(const struct xcx_mtrr_state *baseline,
                                  unsigned int nr_vcpus, unsigned int flags,
                                  xentoollog_logger *lg);

/**
 * xcx_tracker_free: free a tracker; NULL is allowed. Keeps errno.
 *
 * Since: 1.1
 */
void xcx_tracker_free(xcx_mtrr_tracker *tr);

/**
 * xcx_tracker_nr_vcpus: the number of vCPUs tracked.
 *
 * Since: 1.1
 */
unsigned int xcx_tracker_nr_vcpus(const xcx_mtrr_tracker *tr);

/**
 * xcx_tracker_apply: xcx_mtrr_apply_write() on vCPU @vcpu's state; when a
 * type changed, that vCPU's map is rebuilt.
 *
 * Errors: EINVAL for a vCPU out of range, an MSR that is not tracked or an
 * impossible @old_value (see xcx_mtrr_apply_write()).
 *
 * Since: 1.1
 */
int xcx_tracker_apply(xcx_mtrr_tracker *tr, unsigned int vcpu, uint32_t msr,
                      uint64_t value, const uint64_t *old_value,
                      struct xcx_write_outcome *out);

/**
 * xcx_tracker_feed_event: for an agent that owns the domain's monitor ring:
 * pass one vm_event request (@req, @len bytes, a vm_event_request_t of
 * VM_EVENT_INTERFACE_VERSION 7) as read from the ring. A MOV_TO_MSR request
 * for an MTRR or PAT MSR is applied with its new_value as the proposed write
 * and its old_value as Xen's; the agent still answers the request itself.
 *
 * Returns 1 when the request was applied, 0 when it is not about an MTRR or
 * PAT MSR (another reason, or another MSR: nothing changes and @out is not
 * written).
 *
 * Errors: EINVAL for a short request, another interface version, a vCPU
 * out of range or an impossible old_value.
 *
 * Since: 1.1
 */
int xcx_tracker_feed_event(xcx_mtrr_tracker *tr, const void *req, size_t len,
                           struct xcx_write_outcome *out);

/**
 * xcx_tracker_lookup, xcx_tracker_range: xcx_mtrr_map_lookup() and
 * xcx_mtrr_map_range() on vCPU @vcpu's current map (the direct rule when a
 * guest's masks made the map too large to build). No call to Xen.
 *
 * Errors: EINVAL for a vCPU out of range; those of the map calls; for a
 * range when the guest's masks made the map too large, E2BIG if the range
 * alone needs more than XCX_MTRR_MAP_MAX_ENTRIES ranges, ENOMEM.
 *
 * Since: 1.1
 */
int xcx_tracker_lookup(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                       uint64_t gpa, struct xcx_mtrr_result *result);
int xcx_tracker_range(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                      uint64_t gpa, uint64_t len,
                      struct xcx_mtrr_range_result *result);

/**
 * xcx_tracker_lookup_batch: xcx_mtrr_map_lookup_batch() on vCPU @vcpu's
 * current map (the direct rule for each address when a guest's masks made
 * the map too large to build). No call to Xen. On failure @results is
 * untouched.
 *
 * Errors: EINVAL for a vCPU out of range or a NULL array with @n > 0;
 * ERANGE naming the first address at or above 2^maxphysaddr.
 *
 * Since: 1.4
 */
int xcx_tracker_lookup_batch(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                             const uint64_t *gpas, size_t n,
                             struct xcx_mtrr_result *results);

/**
 * xcx_tracker_state: a copy of vCPU @vcpu's current state.
 *
 * Errors: EINVAL for a vCPU out of range.
 *
 * Since: 1.1
 */
int xcx_tracker_state(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                      struct xcx_mtrr_state *st);

/**
 * xcx_tracker_map: vCPU @vcpu's current map, owned by the tracker and valid
 * until the next write applied to that vCPU; NULL with EINVAL for a vCPU
 * out of range, E2BIG when the guest's masks made it too large, or ENOMEM
 * (lookups still work then).
 *
 * Since: 1.1
 */
const xcx_mtrr_map *xcx_tracker_map(const xcx_mtrr_tracker *tr,
                                    unsigned int vcpu);

/* ------------------------------------------------------------------------ */
/* Replay logs (pure)                                                        */
/* ------------------------------------------------------------------------ */

/* One recorded write: a JSON Lines entry of xc-mtrr-watch --record. */
struct xcx_logged_write {
    unsigned int vcpu;
    uint32_t msr;
    uint64_t value;
    uint64_t old_value;
    bool has_old_value;
};

/**
 * xcx_replay_parse_line: parse one line of a write log: a JSON object with
 * at least "vcpu" (a number), "msr" and "value" (hex strings such as
 * "0x200"), optionally "old" (hex string); other members are ignored. An
 * empty or blank line gives 0 with nothing parsed; a parsed write gives 1.
 *
 * Errors: EINVAL for anything else, with a message naming @lineno and what
 * is wrong.
 *
 * Since: 1.1
 */
int xcx_replay_parse_line(const char *line, size_t len, unsigned int lineno,
                          struct xcx_logged_write *w, xentoollog_logger *lg);

/*
 * A write log (format version 1, documented in xc-mtrr-watch(1)) is JSON
 * Lines: a header object first, then one object per write. Register values
 * are written as "0x" and 16 hex digits; readers take any hex string.
 *
 *   {"log":"xc-mtrr-watch","version":1,"domid":5,"name":"guest",
 *    "uuid":"...","maxphysaddr":39,"vcpus":2,"xen":"4.17.5",
 *    "from_start":true,"start":"2026-12-07T23:00:00Z"}
 *   {"vcpu":0,"msr":"0x200","value":"0x...","old":"0x...","accepted":true}
 */
#define XCX_LOG_NAME     "xc-mtrr-watch" /* the header's "log" member */
#define XCX_LOG_VERSION  1
#define XCX_LOG_NAME_MAX 255    /* bytes of a domain name, without the NUL */
#define XCX_LOG_LINE_MAX 4096   /* the longest line the formatters write */
#define XCX_DOMID_LIMIT  0x7ff0 /* DOMID_FIRST_RESERVED: domids are below */

/* What a log's header says of the recording. */
struct xcx_log_header {
    unsigned int version; /* XCX_LOG_VERSION */
    uint32_t domid;
    char name[XCX_LOG_NAME_MAX + 1]; /* UTF-8; "" when it was not known */
    uint8_t uuid[16];                /* the toolstack's handle of the domain */
    unsigned int maxphysaddr;        /* the guest's width, [32, 52] */
    unsigned int nr_vcpus;
    char xen_version[32]; /* e.g. "4.17.5" or "4.20.5-pre" */
    bool from_start;      /* checked: no vCPU had run when it began */
    char start[32];       /* when it began, UTC: "2026-12-07T23:00:00Z" */
};

enum xcx_log_kind { XCX_LOG_BLANK = 0, XCX_LOG_HEADER = 1, XCX_LOG_WRITE = 2 };

/* One line of a write log. */
struct xcx_log_entry {
    enum xcx_log_kind kind;
    struct xcx_log_header header;  /* XCX_LOG_HEADER */
    struct xcx_logged_write write; /* XCX_LOG_WRITE */
    int accepted; /* XCX_LOG_WRITE: Xen's verdict, 1 or 0; -1 not recorded */
};

/**
 * xcx_log_parse_line: parse one line of a write log into @e. A line is a
 * header when its object has a "log" member: then "log" must be
 * XCX_LOG_NAME, "version" XCX_LOG_VERSION, and every member of struct
 * xcx_log_header must be there ("domid", "name", "uuid", "maxphysaddr",
 * "vcpus", "xen", "from_start", "start"). Otherwise it is a write, read as
 * xcx_replay_parse_line() reads it, with "accepted" (true or false) when
 * present. Members a kind does not know are checked as JSON and skipped.
 * Returns the kind (XCX_LOG_BLANK for an empty or blank line).
 *
 * Errors: EINVAL for anything else (another version, a value out of
 * bounds, a missing member), with a message naming @lineno, the column and
 * what is wrong; @e is untouched then.
 *
 * Since: 1.4
 */
int xcx_log_parse_line(const char *line, size_t len, unsigned int lineno,
                       struct xcx_log_entry *e, xentoollog_logger *lg);

/**
 * xcx_log_format_header, xcx_log_format_write: one log line, with its
 * '\n', into @buf (@size bytes, XCX_LOG_LINE_MAX always suffices): the
 * header of @h (written as XCX_LOG_VERSION whatever @h->version says), or
 * the write @w with Xen's verdict @accepted. Returns the length written.
 *
 * Errors: EINVAL for a header xcx_log_parse_line() would refuse (a field
 * out of bounds, a string that fills its array without a NUL, a version or
 * time that is not printable ASCII); ENOSPC when @size is too small.
 *
 * Since: 1.4
 */
int xcx_log_format_header(const struct xcx_log_header *h, char *buf,
                          size_t size);
int xcx_log_format_write(const struct xcx_logged_write *w, bool accepted,
                         char *buf, size_t size);

/* ------------------------------------------------------------------------ */
/* The vm_event monitor (libxenctrl_ext)                                     */
/* ------------------------------------------------------------------------ */

/* A library-owned vm_event monitor that feeds a tracker. */
typedef struct xcx_monitor xcx_monitor;

/*
 * The domain was created paused and has not run: every register exact.
 * Checked: xcx_monitor_open() fails with EALREADY when a vCPU has run
 * (see xcx_domain_has_run()).
 */
#define XCX_MONITOR_FROM_START 1u
/*
 * Once attached (the baseline read, the ring on, the MSRs subscribed),
 * release the toolstack's pause of a domain created with xl create -p, so
 * no write can come before the monitor is there. The domain must be
 * paused by the toolstack when xcx_monitor_open() is called.
 */
#define XCX_MONITOR_UNPAUSE 2u

/**
 * xcx_monitor_open: attach to HVM domain @domid: read every vCPU's record
 * as the baseline, enable the domain's monitor ring, subscribe to writes of
 * MTRRdefType, the fixed-range MSRs, PHYSBASE/PHYSMASK below VCNT and PAT,
 * and bind its event channel. The domain is paused while this happens. On
 * failure everything set up is undone. Only one monitor ring per domain
 * exists: an agent that owns it uses xcx_tracker_feed_event() instead.
 * The monitor borrows @h, which must stay open until xcx_monitor_close().
 *
 * Errors: those of xcx_mtrr_read_all(); EBUSY when the domain's ring is
 * already in use; with XCX_MONITOR_FROM_START (since 1.4), EALREADY when a
 * vCPU of the domain has run; with XCX_MONITOR_UNPAUSE (since 1.4), EINVAL
 * when the domain is not paused by the toolstack; EOPNOTSUPP when the
 * handle cannot check either; Xen's errno otherwise. On every failure the
 * domain is left paused or running as it was.
 *
 * Since: 1.1
 */
xcx_monitor *xcx_monitor_open(xcx_handle *h, uint32_t domid,
                              unsigned int flags);

/**
 * xcx_monitor_log_header: the header of a write log of this monitor
 * (xcx_log_format_header()): the domain's id, name (from xenstore; "" when
 * it has none) and UUID, the guest's width and vCPU count as the baseline
 * showed them, Xen's version, whether tracking began before the guest ran
 * (only when XCX_MONITOR_FROM_START was given and checked) and when the
 * monitor attached.
 *
 * Errors: EINVAL for a NULL argument; ESRCH when the domain is gone;
 * EOPNOTSUPP when the handle cannot tell; Xen's errno otherwise.
 *
 * Since: 1.4
 */
int xcx_monitor_log_header(xcx_monitor *mon, struct xcx_log_header *hdr);

/* Called for every tracked write a monitor consumes. */
typedef void xcx_monitor_cb(void *arg, unsigned int vcpu, uint32_t msr,
                            uint64_t value,
                            const struct xcx_write_outcome *out);

/**
 * xcx_monitor_fd: a file descriptor that becomes readable when the event
 * channel has an event, for poll(). Readiness may be spurious:
 * xcx_monitor_poll() then returns 0.
 *
 * Since: 1.1
 */
int xcx_monitor_fd(const xcx_monitor *mon);

/**
 * xcx_monitor_poll: wait up to @timeout_ms (-1: no limit, 0: do not wait)
 * for requests, then consume every pending one: apply it to the tracker,
 * call @cb (may be NULL), and answer it so the vCPU resumes. Returns the
 * number of requests consumed.
 *
 * One call handles at most 8192 requests, so a guest that never stops
 * writing cannot hold the caller; the rest is taken by the next call.
 *
 * Errors: EINTR when a signal interrupted the wait (nothing consumed);
 * EIO for a ring whose indexes make no sense or a failed event channel;
 * EINVAL for a NULL monitor; Xen's errno otherwise.
 *
 * Since: 1.1
 */
int xcx_monitor_poll(xcx_monitor *mon, int timeout_ms, xcx_monitor_cb *cb,
                     void *arg);

/**
 * xcx_monitor_tracker: the monitor's tracker, valid until
 * xcx_monitor_close().
 *
 * Since: 1.1
 */
xcx_mtrr_tracker *xcx_monitor_tracker(xcx_monitor *mon);

/**
 * xcx_monitor_close: detach, leaving the guest running and unmonitored:
 * pause the domain, answer every pending request, unsubscribe the MSRs,
 * answer what came meanwhile, disable the ring, close the event channel,
 * unpause. Every step is tried even when one fails; the pause this call
 * took is always released (if pausing itself failed, nothing is unpaused,
 * so no one else's pause is undone). NULL is allowed. Call it before
 * xcx_close() of the handle the monitor was opened with.
 *
 * Errors: the errno of the first step that failed.
 *
 * Since: 1.1
 */
int xcx_monitor_close(xcx_monitor *mon);

/**
 * xcx_monitor_detach: xcx_monitor_close(), reporting through @cb (may be
 * NULL) the requests it drains while tearing down, as xcx_monitor_poll()
 * does, so a caller that records every write misses none.
 *
 * Errors: as xcx_monitor_close().
 *
 * Since: 1.3
 */
int xcx_monitor_detach(xcx_monitor *mon, xcx_monitor_cb *cb, void *arg);

#ifdef __cplusplus
}
#endif

#endif /* XENCTRL_EXT_TRACKING_H */
