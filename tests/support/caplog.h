/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A xentoollog_logger that keeps the last message, and every message since
 * the last reset, for asserting on them.
 */
#ifndef TEST_CAPLOG_H
#define TEST_CAPLOG_H

#include <stdbool.h>
#include <stdint.h>
#include <xentoollog.h>

#define CAPLOG_MAX     1024
#define CAPLOG_ALL_MAX 4096

struct caplog {
    xentoollog_logger vtable; /* first: the library sees only this */
    unsigned int count;       /* messages since the last reset */
    unsigned int progress;    /* progress calls since the last reset */
    bool destroyed;
    xentoollog_level level;   /* of the last message */
    int errnoval;             /* of the last message */
    char context[64];         /* of the last message */
    char last[CAPLOG_MAX];    /* the last message, formatted */
    char all[CAPLOG_ALL_MAX]; /* every message, each ending in '\n' */
    bool clobber_errno;       /* set errno to 12345 after each message */
};

void caplog_init(struct caplog *c);
/* Forget the messages so far (clobber_errno stays). */
void caplog_reset(struct caplog *c);

static inline xentoollog_logger *caplog_logger(struct caplog *c)
{
    return &c->vtable;
}

/* Case-insensitive substring test on the last message. */
bool caplog_has(const struct caplog *c, const char *needle);

/* True when the last message holds a 0x-number equal to @value. */
bool caplog_has_hex(const struct caplog *c, uint64_t value);

/* True when it holds @value as a 0x-number or a decimal number. */
bool caplog_has_number(const struct caplog *c, uint64_t value);

#endif
