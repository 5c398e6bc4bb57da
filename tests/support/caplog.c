/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caplog.h"

static void caplog_vmessage(xentoollog_logger *lg, xentoollog_level level,
                            int errnoval, const char *context,
                            const char *format, va_list al)
{
    struct caplog *c = (struct caplog *)lg;
    size_t used = strlen(c->all);

    c->count++;
    c->level = level;
    c->errnoval = errnoval;
    snprintf(c->context, sizeof(c->context), "%s", context ? context : "");
    vsnprintf(c->last, sizeof(c->last), format, al);
    snprintf(c->all + used, sizeof(c->all) - used, "%s\n", c->last);
    if (c->clobber_errno)
        errno = 12345;
}

static void caplog_progress(xentoollog_logger *lg, const char *context,
                            const char *doing_what, int percent,
                            unsigned long done, unsigned long total)
{
    ((struct caplog *)lg)->progress++;
}

static void caplog_destroy(xentoollog_logger *lg)
{
    ((struct caplog *)lg)->destroyed = true;
}

void caplog_init(struct caplog *c)
{
    memset(c, 0, sizeof(*c));
    c->vtable.vmessage = caplog_vmessage;
    c->vtable.progress = caplog_progress;
    c->vtable.destroy = caplog_destroy;
}

void caplog_reset(struct caplog *c)
{
    c->count = 0;
    c->progress = 0;
    c->level = XTL_NONE;
    c->errnoval = 0;
    c->context[0] = '\0';
    c->last[0] = '\0';
    c->all[0] = '\0';
}

bool caplog_has(const struct caplog *c, const char *needle)
{
    return strcasestr(c->last, needle) != NULL;
}

/* Parse the number at @p (after its prefix); digits beyond 64 bits fail. */
static bool parse_digits(const char *p, unsigned int base, uint64_t *out)
{
    uint64_t v = 0;
    unsigned int n = 0;

    for (;; p++, n++) {
        int c = tolower((unsigned char)*p);
        unsigned int d;

        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else
            break;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return n > 0;
}

static bool scan(const struct caplog *c, uint64_t value, bool decimal)
{
    const char *s = c->last;
    uint64_t v;

    for (const char *p = s; *p; p++) {
        bool start = p == s || !isalnum((unsigned char)p[-1]);

        if (!start)
            continue;
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
            if (parse_digits(p + 2, 16, &v) && v == value)
                return true;
        } else if (decimal && isdigit((unsigned char)*p)) {
            if (parse_digits(p, 10, &v) && v == value)
                return true;
        }
    }
    return false;
}

bool caplog_has_hex(const struct caplog *c, uint64_t value)
{
    return scan(c, value, false);
}

bool caplog_has_number(const struct caplog *c, uint64_t value)
{
    return scan(c, value, true);
}
