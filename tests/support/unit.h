/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* cmocka and the assertions the unit tests share. */
#ifndef TEST_UNIT_H
#define TEST_UNIT_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "caplog.h"
#include "refmodel.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The last message holds @value as a 0x-number. */
#define assert_log_hex(log, value)                                             \
    do {                                                                       \
        if (!caplog_has_hex((log), (value)))                                   \
            fail_msg("message \"%s\" does not name %#llx", (log)->last,        \
                     (unsigned long long)(value));                             \
    } while (0)

/* The last message holds @value as a 0x- or decimal number. */
#define assert_log_number(log, value)                                          \
    do {                                                                       \
        if (!caplog_has_number((log), (value)))                                \
            fail_msg("message \"%s\" does not name %llu", (log)->last,         \
                     (unsigned long long)(value));                             \
    } while (0)

/* The last message contains one of the NULL-terminated words. */
#define assert_log_mentions(log, ...)                                          \
    do {                                                                       \
        const char *const words_[] = {__VA_ARGS__, NULL};                      \
        int found_ = 0;                                                        \
        for (unsigned int w_ = 0; words_[w_]; w_++)                            \
            found_ |= caplog_has((log), words_[w_]);                           \
        if (!found_)                                                           \
            fail_msg("message \"%s\" names none of \"%s\"...", (log)->last,    \
                     words_[0]);                                               \
    } while (0)

/* Two results are equal; print both otherwise. */
#define assert_result_equal(got, want, what, addr)                             \
    do {                                                                       \
        if (!ref_result_equal((got), (want))) {                                \
            char g_[160], w_[160];                                             \
            ref_result_format(g_, sizeof(g_), (got));                          \
            ref_result_format(w_, sizeof(w_), (want));                         \
            fail_msg("%s at %#llx: got %s, want %s", (what),                   \
                     (unsigned long long)(addr), g_, w_);                      \
        }                                                                      \
    } while (0)

#endif
