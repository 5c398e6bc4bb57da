/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Writing write-log lines (xc-mtrr-watch --record): the header and one
 * line per write, in the format lib/replay.c reads back. The unit tests
 * round-trip every field through both.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

struct out {
    char *buf;
    size_t size, used;
    bool full;
};

static void put(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->full)
        return;
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->used, o->size - o->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->size - o->used)
        o->full = true;
    else
        o->used += (size_t)n;
}

/* @s as a JSON string: quotes, backslashes and control bytes escaped. */
static void put_string(struct out *o, const char *s)
{
    put(o, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            put(o, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            put(o, "\\u%04x", c);
        else
            put(o, "%c", c);
    }
    put(o, "\"");
}

static int finish(struct out *o)
{
    if (o->full) {
        errno = ENOSPC;
        return -1;
    }
    return (int)o->used;
}

/* A NUL within @n bytes, and (@ascii) only printable ASCII before it. */
static bool text_ok(const char *s, size_t n, bool ascii)
{
    size_t len = strnlen(s, n);

    if (len == n)
        return false;
    for (size_t i = 0; ascii && i < len; i++)
        if (s[i] < 0x20 || s[i] > 0x7e)
            return false;
    return true;
}

static bool header_ok(const struct xcx_log_header *h)
{
    return h->domid < XCX_DOMID_LIMIT &&
           h->maxphysaddr >= XCX_MAXPHYSADDR_MIN &&
           h->maxphysaddr <= XCX_MAXPHYSADDR_MAX && h->nr_vcpus >= 1 &&
           h->nr_vcpus <= 65536 && text_ok(h->name, sizeof(h->name), false) &&
           text_ok(h->xen_version, sizeof(h->xen_version), true) &&
           text_ok(h->start, sizeof(h->start), true);
}

XCX_EXPORT int xcx_log_format_header(const struct xcx_log_header *h, char *buf,
                                     size_t size)
{
    struct out o = {buf, size, 0, !buf || !size};
    const uint8_t *u = h ? h->uuid : NULL;

    if (!h || !header_ok(h)) {
        errno = EINVAL;
        return -1;
    }
    put(&o,
        "{\"log\":\"%s\",\"version\":%u,\"domid\":%u,\"name\":", XCX_LOG_NAME,
        XCX_LOG_VERSION, h->domid);
    put_string(&o, h->name);
    put(&o,
        ",\"uuid\":\"%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
        "%02x%02x%02x%02x%02x%02x\"",
        u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
        u[11], u[12], u[13], u[14], u[15]);
    put(&o, ",\"maxphysaddr\":%u,\"vcpus\":%u,\"xen\":", h->maxphysaddr,
        h->nr_vcpus);
    put_string(&o, h->xen_version);
    put(&o, ",\"from_start\":%s,\"start\":", h->from_start ? "true" : "false");
    put_string(&o, h->start);
    put(&o, "}\n");
    return finish(&o);
}

XCX_EXPORT int xcx_log_format_write(const struct xcx_logged_write *w,
                                    bool accepted, char *buf, size_t size)
{
    struct out o = {buf, size, 0, !buf || !size};

    if (!w || w->vcpu >= 65536) {
        errno = EINVAL;
        return -1;
    }
    put(&o, "{\"vcpu\":%u,\"msr\":\"0x%x\",\"value\":\"0x%016" PRIx64 "\"",
        w->vcpu, w->msr, w->value);
    if (w->has_old_value)
        put(&o, ",\"old\":\"0x%016" PRIx64 "\"", w->old_value);
    put(&o, ",\"accepted\":%s}\n", accepted ? "true" : "false");
    return finish(&o);
}
