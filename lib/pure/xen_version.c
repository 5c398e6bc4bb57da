/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Xen versions as `xl info` prints them: "4.17.6", "4.20.5-pre",
 * "4.23-unstable". xl composes xen_version from XENVER_version's major and
 * minor and XENVER_extraversion (".5-pre"), and so does xcx_xen_version()
 * (../live/xen_version.c), which parses its text here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

#define VERSION_PART_MAX 65535u

/* A decimal number of at most 5 digits, no sign, at *@p; advances it. */
static int version_number(const char **p, unsigned int *out)
{
    unsigned int n = 0, digits = 0;

    while (**p >= '0' && **p <= '9' && digits < 6) {
        n = n * 10 + (unsigned int)(**p - '0');
        (*p)++;
        digits++;
    }
    if (!digits || digits > 5 || n > VERSION_PART_MAX)
        return -1;
    *out = n;
    return 0;
}

/* EXTRA: empty, or '-', '+' or '~' then printable characters, no space. */
static int version_extra(const char *p, size_t cap)
{
    size_t i;

    if (!*p)
        return 0;
    if (*p != '-' && *p != '+' && *p != '~')
        return -1;
    for (i = 0; p[i]; i++)
        if (i + 1 >= cap || p[i] <= ' ' || p[i] > '~')
            return -1;
    return 0;
}

XCX_EXPORT int xcx_xen_version_parse(const char *text,
                                     struct xcx_xen_version *v,
                                     xentoollog_logger *lg)
{
    const char *p = text;
    struct xcx_xen_version r = {0};

    if (!text || !v)
        return xcx_fail(lg, EINVAL, "xcx_xen_version_parse: NULL argument");
    if (strlen(text) >= sizeof(r.text))
        return xcx_fail(lg, EINVAL,
                        "Xen version too long (%zu characters, "
                        "at most %zu)",
                        strlen(text), sizeof(r.text) - 1);
    if (version_number(&p, &r.major) || *p++ != '.' ||
        version_number(&p, &r.minor) ||
        (*p == '.' && (p++, version_number(&p, &r.micro))) ||
        version_extra(p, sizeof(r.extra)))
        return xcx_fail(lg, EINVAL,
                        "invalid Xen version '%s' (MAJOR.MINOR"
                        "[.MICRO][-EXTRA], numbers up to %u)",
                        text, VERSION_PART_MAX);
    strcpy(r.extra, p);
    strcpy(r.text, text);
    *v = r;
    return 0;
}
