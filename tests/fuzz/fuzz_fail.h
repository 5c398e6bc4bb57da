/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What every harness shares: the libFuzzer entry point and fuzz_fail(),
 * which prints what differs and abort()s, so libFuzzer and the replay
 * driver both stop on it.
 */
#ifndef FUZZ_FAIL_H
#define FUZZ_FAIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn, unused));

static void fuzz_fail(const char *fmt, ...)
{
    va_list ap;

    fputs("fuzz check failed: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

#endif
