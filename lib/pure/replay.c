/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One line of a write log (xc-mtrr-watch --record): a JSON object such as
 *   {"vcpu":0,"msr":"0x200","value":"0xe0000000","old":"0x0",...}
 * read by a small strict reader (RFC 8259 grammar) that never reads past
 * the given length and keeps no stack of its own beyond MAX_DEPTH levels:
 * members other than vcpu, msr, value and old are checked and skipped,
 * whatever they hold. Every fault is EINVAL with a message naming the
 * line, the column (1-based byte) and what is wrong.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "private.h"

#define MAX_DEPTH  32 /* nesting of objects and arrays, the line's included */
#define VCPU_LIMIT 65536 /* "vcpu" must be below */

struct parser {
    const char *s;
    size_t len, pos;
    unsigned int lineno;
    xentoollog_logger *lg;
};

/* A string token: its contents are s[start, end). */
struct span {
    size_t start, end;
    bool escaped;
};

static int bad(const struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int bad(const struct parser *p, const char *fmt, ...)
{
    char what[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return xcx_fail(p->lg, EINVAL, "write log line %u, column %zu: %s",
                    p->lineno, p->pos + 1, what);
}

static int peek(const struct parser *p)
{
    return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

/* The next character after whitespace, or -1 at the end of the line. */
static int peek_ws(struct parser *p)
{
    int c;

    while ((c = peek(p)) == ' ' || c == '\t' || c == '\r' || c == '\n')
        p->pos++;
    return c;
}

/* "found 'x'" / "found byte 0x01" / "the line ends": for messages. */
static const char *found(const struct parser *p, char *buf, size_t n)
{
    int c = peek(p);

    if (c < 0)
        snprintf(buf, n, "the line ends");
    else if (c >= 0x20 && c < 0x7f)
        snprintf(buf, n, "found '%c'", c);
    else
        snprintf(buf, n, "found byte 0x%02x", (unsigned int)c);
    return buf;
}

static int expected(const struct parser *p, const char *what)
{
    char buf[32];

    return bad(p, "expected %s, %s", what, found(p, buf, sizeof(buf)));
}

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A string at p->pos (which holds '"'): escapes checked, not decoded. */
static int scan_string(struct parser *p, struct span *sp)
{
    size_t open = p->pos++;

    sp->start = p->pos;
    sp->escaped = false;
    while (p->pos < p->len) {
        unsigned char c = (unsigned char)p->s[p->pos];

        if (c == '"') {
            sp->end = p->pos++;
            return 0;
        }
        if (c < 0x20)
            return bad(p, "control character 0x%02x in a string", c);
        if (c != '\\') {
            p->pos++;
            continue;
        }
        sp->escaped = true;
        if (p->pos + 1 >= p->len)
            break;
        c = (unsigned char)p->s[p->pos + 1];
        if (c && strchr("\"\\/bfnrt", c)) {
            p->pos += 2;
            continue;
        }
        if (c != 'u')
            return bad(p, "bad escape '\\%c' in a string",
                       c >= 0x20 && c < 0x7f ? c : '?');
        for (unsigned int i = 2; i < 6; i++)
            if (p->pos + i >= p->len || hex_digit(p->s[p->pos + i]) < 0)
                return bad(p, "bad escape: \\u needs four hex digits");
        p->pos += 6;
    }
    p->pos = p->len;
    return bad(p, "unterminated string (opened at column %zu)", open + 1);
}

static void skip_digits(struct parser *p)
{
    while (peek(p) >= '0' && peek(p) <= '9')
        p->pos++;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at p->pos. */
static int scan_number(struct parser *p)
{
    if (peek(p) == '-')
        p->pos++;
    if (peek(p) == '0')
        p->pos++;
    else if (peek(p) >= '1' && peek(p) <= '9')
        skip_digits(p);
    else
        return expected(p, "a digit");
    if (peek(p) == '.') {
        p->pos++;
        if (peek(p) < '0' || peek(p) > '9')
            return expected(p, "a digit after '.'");
        skip_digits(p);
    }
    if (peek(p) == 'e' || peek(p) == 'E') {
        p->pos++;
        if (peek(p) == '+' || peek(p) == '-')
            p->pos++;
        if (peek(p) < '0' || peek(p) > '9')
            return expected(p, "a digit in the exponent");
        skip_digits(p);
    }
    return 0;
}

/* A string, number, true, false or null at p->pos. */
static int scan_scalar(struct parser *p)
{
    static const char *const words[] = {"true", "false", "null"};
    struct span sp;
    int c = peek(p);

    if (c == '"')
        return scan_string(p, &sp);
    if (c == '-' || (c >= '0' && c <= '9'))
        return scan_number(p);
    for (unsigned int i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);

        if (p->len - p->pos >= n && !memcmp(p->s + p->pos, words[i], n)) {
            p->pos += n;
            return 0;
        }
    }
    return expected(p, "a value");
}

/* A member's name and its ':'. */
static int scan_name(struct parser *p, struct span *sp)
{
    if (peek_ws(p) != '"')
        return expected(p, "a member name in double quotes");
    if (scan_string(p, sp))
        return -1;
    if (peek_ws(p) != ':')
        return expected(p, "':' after the member name");
    p->pos++;
    return 0;
}

static char closer(char open)
{
    return open == '{' ? '}' : ']';
}

/*
 * Check and skip one value of any kind, nested @depth levels deep already,
 * without recursion: @open holds the containers entered.
 */
static int skip_value(struct parser *p, unsigned int depth)
{
    char open[MAX_DEPTH];
    unsigned int top = 0;
    struct span name;
    int c;

    for (;;) {
        /* A value starts here. */
        c = peek_ws(p);
        if (c == '{' || c == '[') {
            if (depth + top >= MAX_DEPTH)
                return bad(p, "values nested more than %u deep", MAX_DEPTH);
            open[top++] = (char)c;
            p->pos++;
            if (peek_ws(p) != closer((char)c)) {
                if (c == '{' && scan_name(p, &name))
                    return -1;
                continue;
            }
            p->pos++;
            top--;
        } else if (scan_scalar(p)) {
            return -1;
        }

        /* After a value: close containers, or go on after a comma. */
        for (;;) {
            if (!top)
                return 0;
            c = peek_ws(p);
            if (c == closer(open[top - 1])) {
                p->pos++;
                top--;
                continue;
            }
            if (c != ',')
                return expected(p, open[top - 1] == '{' ? "',' or '}'"
                                                        : "',' or ']'");
            p->pos++;
            if (open[top - 1] == '{' && scan_name(p, &name))
                return -1;
            break;
        }
    }
}

/* The next character of a string's contents, escapes decoded; 256 for a
 * \u escape beyond ASCII (never part of a name this reader knows). */
static int next_char(const char *s, size_t *i)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    int c = (unsigned char)s[(*i)++], v = 0;

    if (c != '\\')
        return c;
    c = (unsigned char)s[(*i)++];
    if (c != 'u')
        return to[strchr(from, c) - from];
    for (unsigned int k = 0; k < 4; k++)
        v = v * 16 + hex_digit(s[(*i)++]);
    return v > 0 && v < 0x80 ? v : 256;
}

/* Does the (checked) string @sp say @name? */
static bool span_is(const struct parser *p, const struct span *sp,
                    const char *name)
{
    size_t i = sp->start;

    if (!sp->escaped)
        return sp->end - sp->start == strlen(name) &&
               !memcmp(p->s + sp->start, name, sp->end - sp->start);
    for (; *name; name++)
        if (i >= sp->end || next_char(p->s, &i) != (unsigned char)*name)
            return false;
    return i == sp->end;
}

/* A hex string such as "0x200" at most @max. */
static int parse_hex(struct parser *p, const char *name, uint64_t max,
                     uint64_t *out)
{
    struct span sp;
    uint64_t v = 0;
    size_t at;

    if (peek_ws(p) != '"')
        return bad(p, "\"%s\" must be a hex string such as \"0x200\"", name);
    at = p->pos;
    if (scan_string(p, &sp))
        return -1;
    p->pos = at;
    if (sp.escaped || sp.end - sp.start < 3 || p->s[sp.start] != '0' ||
        (p->s[sp.start + 1] | 0x20) != 'x')
        return bad(p, "\"%s\" is not a hex string such as \"0x200\"", name);
    for (size_t i = sp.start + 2; i < sp.end; i++) {
        int d = hex_digit(p->s[i]);

        if (d < 0) {
            p->pos = i;
            return bad(p, "\"%s\" has a character that is no hex digit", name);
        }
        if (v > (max - d) / 16)
            return bad(p, "\"%s\" exceeds 0x%" PRIx64, name, max);
        v = v * 16 + d;
    }
    p->pos = sp.end + 1;
    *out = v;
    return 0;
}

static int parse_vcpu(struct parser *p, unsigned int *out)
{
    unsigned long v = 0;
    size_t at;

    if (peek_ws(p) != '-' && (peek(p) < '0' || peek(p) > '9'))
        return bad(p, "\"vcpu\" must be a number");
    at = p->pos;
    if (scan_number(p))
        return -1;
    for (size_t i = at; i < p->pos; i++) {
        if (p->s[i] < '0' || p->s[i] > '9') {
            p->pos = at;
            return bad(p, "\"vcpu\" must be an integer from 0 to %u",
                       VCPU_LIMIT - 1);
        }
        v = v * 10 + (p->s[i] - '0');
        if (v >= VCPU_LIMIT) {
            p->pos = at;
            return bad(p, "\"vcpu\" must be below %u", VCPU_LIMIT);
        }
    }
    *out = (unsigned int)v;
    return 0;
}

/* The members this reader knows; the first three are required. */
static const char *const member_names[] = {"vcpu", "msr", "value", "old"};
enum { F_VCPU = 1, F_MSR = 2, F_VALUE = 4, F_OLD = 8, F_REQUIRED = 7 };

/* One member; @seen collects the known ones. */
static int parse_member(struct parser *p, struct xcx_logged_write *w,
                        unsigned int *seen)
{
    struct span name;
    unsigned int f = 0;
    uint64_t msr;

    if (scan_name(p, &name))
        return -1;
    for (unsigned int i = 0; i < 4; i++)
        if (span_is(p, &name, member_names[i]))
            f = 1u << i;
    if (f & *seen) {
        p->pos = name.start - 1;
        return bad(p, "member \"%s\" appears twice",
                   member_names[__builtin_ctz(f)]);
    }
    *seen |= f;
    switch (f) {
    case F_VCPU:
        return parse_vcpu(p, &w->vcpu);
    case F_MSR:
        if (parse_hex(p, "msr", UINT32_MAX, &msr))
            return -1;
        w->msr = (uint32_t)msr;
        return 0;
    case F_VALUE:
        return parse_hex(p, "value", UINT64_MAX, &w->value);
    case F_OLD:
        w->has_old_value = true;
        return parse_hex(p, "old", UINT64_MAX, &w->old_value);
    }
    return skip_value(p, 1);
}

XCX_EXPORT int xcx_replay_parse_line(const char *line, size_t len,
                                     unsigned int lineno,
                                     struct xcx_logged_write *w,
                                     xentoollog_logger *lg)
{
    struct parser p = {
        .s = line, .len = line ? len : 0, .lineno = lineno, .lg = lg};
    struct xcx_logged_write got = {0};
    unsigned int seen = 0;
    int c;

    if (peek_ws(&p) < 0)
        return 0; /* blank */
    if (peek(&p) != '{')
        return expected(&p, "'{' starting a write");
    p.pos++;
    if (peek_ws(&p) == '}') {
        p.pos++;
    } else {
        for (;;) {
            if (parse_member(&p, &got, &seen))
                return -1;
            c = peek_ws(&p);
            if (c != ',' && c != '}')
                return expected(&p, "',' or '}'");
            p.pos++;
            if (c == '}')
                break;
        }
    }
    if (peek_ws(&p) >= 0)
        return expected(&p, "nothing after the object");
    for (unsigned int i = 0; i < 4; i++)
        if ((F_REQUIRED & ~seen) >> i & 1)
            return bad(&p, "member \"%s\" is missing", member_names[i]);
    *w = got;
    return 1;
}
