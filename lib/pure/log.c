/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Logging through the caller's xentoollog_logger; never touches errno. */
#include <errno.h>
#include <stdarg.h>

#include "private.h"

static void log_v(xentoollog_logger *lg, xentoollog_level level, int errnoval,
                  const char *fmt, va_list ap)
{
    int saved = errno;

    if (lg)
        xtl_logv(lg, level, errnoval, "xenctrl_ext", fmt, ap);
    errno = saved;
}

void xcx_log(xentoollog_logger *lg, xentoollog_level level, int errnoval,
             const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_v(lg, level, errnoval, fmt, ap);
    va_end(ap);
}

int xcx_fail(xentoollog_logger *lg, int err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_v(lg, XTL_ERROR, err, fmt, ap);
    va_end(ap);
    errno = err;
    return -1;
}
