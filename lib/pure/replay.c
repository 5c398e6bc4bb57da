/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One line of a write log (xc-mtrr-watch --record): a header object
 *   {"log":"xc-mtrr-watch","version":1,"domid":5,...}
 * or a write such as
 *   {"vcpu":0,"msr":"0x200","value":"0xe0000000","old":"0x0",...}
 * (the format: xc-mtrr-watch(1); replay_format.c writes it), read by a
 * small strict reader (RFC 8259 grammar) that never reads past
 * the given length and keeps no stack of its own beyond MAX_DEPTH levels:
 * members a line's kind does not know are checked and skipped, whatever
 * they hold. Every fault is EINVAL with a message naming the
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

/* A non-negative integer below @limit. */
static int parse_count(struct parser *p, const char *name, uint64_t limit,
                       uint64_t *out)
{
    uint64_t v = 0;
    size_t at;

    if (peek_ws(p) != '-' && (peek(p) < '0' || peek(p) > '9'))
        return bad(p, "\"%s\" must be a number", name);
    at = p->pos;
    if (scan_number(p))
        return -1;
    for (size_t i = at; i < p->pos; i++) {
        if (p->s[i] < '0' || p->s[i] > '9') {
            p->pos = at;
            return bad(p, "\"%s\" must be an integer from 0 to %" PRIu64, name,
                       limit - 1);
        }
        v = v * 10 + (uint64_t)(p->s[i] - '0');
        if (v >= limit) {
            p->pos = at;
            return bad(p, "\"%s\" must be below %" PRIu64, name, limit);
        }
    }
    *out = v;
    return 0;
}

static int parse_bool(struct parser *p, const char *name, bool *out)
{
    if (peek_ws(p) < 0 || p->len - p->pos < 4)
        return bad(p, "\"%s\" must be true or false", name);
    if (!memcmp(p->s + p->pos, "true", 4)) {
        p->pos += 4;
        *out = true;
        return 0;
    }
    if (p->len - p->pos >= 5 && !memcmp(p->s + p->pos, "false", 5)) {
        p->pos += 5;
        *out = false;
        return 0;
    }
    return bad(p, "\"%s\" must be true or false", name);
}

/* Code point @c as UTF-8 at @out[*n], if it fits below @cap - 1. */
static bool put_utf8(char *out, size_t cap, size_t *n, uint32_t c)
{
    unsigned int len = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    static const uint8_t lead[] = {0, 0, 0xc0, 0xe0, 0xf0};

    if (*n + len >= cap)
        return false;
    for (unsigned int i = len - 1; i > 0; i--, c >>= 6)
        out[*n + i] = (char)(0x80 | (c & 0x3f));
    out[*n] = (char)(len == 1 ? c : lead[len] | c);
    *n += len;
    return true;
}

static uint32_t hex4(const char *s)
{
    uint32_t v = 0;

    for (unsigned int k = 0; k < 4; k++)
        v = v * 16 + (uint32_t)hex_digit(s[k]);
    return v;
}

/* The code point of the \u escape at s[*i] (past the 'u'), surrogate
 * pairs joined; 0 for a lone surrogate or U+0000. */
static uint32_t unicode_escape(const char *s, size_t end, size_t *i)
{
    uint32_t c = hex4(s + *i), lo;

    *i += 4;
    if (c >= 0xdc00 && c <= 0xdfff)
        return 0;
    if (c < 0xd800 || c > 0xdbff)
        return c;
    if (*i + 6 > end || s[*i] != '\\' || s[*i + 1] != 'u')
        return 0;
    lo = hex4(s + *i + 2);
    if (lo < 0xdc00 || lo > 0xdfff)
        return 0;
    *i += 6;
    return 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
}

/* A string member decoded into @out (@cap bytes with the NUL). */
static int parse_text(struct parser *p, const char *name, char *out, size_t cap)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    struct span sp;
    size_t n = 0, at;

    if (peek_ws(p) != '"')
        return bad(p, "\"%s\" must be a string", name);
    at = p->pos;
    if (scan_string(p, &sp))
        return -1;
    for (size_t i = sp.start; i < sp.end;) {
        uint32_t c = (unsigned char)p->s[i++];
        bool code_point = false, ok; /* else one byte, as it is */

        if (c == '\\' && p->s[i] != 'u') {
            c = (unsigned char)to[strchr(from, p->s[i++]) - from];
        } else if (c == '\\') {
            i++;
            code_point = true;
            c = unicode_escape(p->s, sp.end, &i);
            if (!c) {
                p->pos = at;
                return bad(p, "\"%s\" holds U+0000 or a lone surrogate", name);
            }
        }
        ok = code_point ? put_utf8(out, cap, &n, c) : n + 1 < cap;
        if (ok && !code_point)
            out[n++] = (char)c;
        if (!ok) {
            p->pos = at;
            return bad(p, "\"%s\" is longer than %zu bytes", name, cap - 1);
        }
    }
    out[n] = '\0';
    return 0;
}

/* Printable ASCII only (a version, a time). */
static int parse_word(struct parser *p, const char *name, char *out, size_t cap)
{
    size_t at = p->pos;

    if (parse_text(p, name, out, cap))
        return -1;
    for (const char *c = out; *c; c++)
        if (*c < 0x20 || *c > 0x7e) {
            p->pos = at;
            return bad(p, "\"%s\" must be printable ASCII", name);
        }
    return 0;
}

static int parse_uuid(struct parser *p, uint8_t uuid[16])
{
    char text[40];
    size_t at = p->pos;
    unsigned int k = 0;

    if (parse_text(p, "uuid", text, sizeof(text)))
        return -1;
    for (unsigned int i = 0; text[i] && k < 32; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;

        if (dash != (text[i] == '-') || (!dash && hex_digit(text[i]) < 0))
            break;
        if (!dash && k++ % 2 == 0)
            uuid[k / 2] = (uint8_t)(hex_digit(text[i]) << 4);
        else if (!dash)
            uuid[(k - 1) / 2] |= (uint8_t)hex_digit(text[i]);
    }
    if (k != 32 || strlen(text) != 36) {
        p->pos = at;
        return bad(p, "\"uuid\" must look like "
                      "\"01234567-89ab-cdef-0123-456789abcdef\"");
    }
    return 0;
}

/* The members a line may have; a header has "log", a write has not. */
enum member {
    /* A write's. */
    M_VCPU,
    M_MSR,
    M_VALUE,
    M_OLD,
    M_ACCEPTED,
    /* A header's. */
    M_LOG,
    M_VERSION,
    M_DOMID,
    M_NAME,
    M_UUID,
    M_WIDTH,
    M_VCPUS,
    M_XEN,
    M_FROM_START,
    M_START,
    M_COUNT
};
static const char *const member_names[M_COUNT] = {
    "vcpu",        "msr",     "value", "old",        "accepted",
    "log",         "version", "domid", "name",       "uuid",
    "maxphysaddr", "vcpus",   "xen",   "from_start", "start",
};
#define BIT(m)          (1u << (m))
#define WRITE_MEMBERS   (BIT(M_LOG) - 1)
#define WRITE_REQUIRED  (BIT(M_VCPU) | BIT(M_MSR) | BIT(M_VALUE))
#define HEADER_REQUIRED (BIT(M_COUNT) - 1 - WRITE_MEMBERS)

static int parse_write_member(struct parser *p, enum member m,
                              struct xcx_log_entry *e)
{
    struct xcx_logged_write *w = &e->write;
    uint64_t v;
    bool b;

    switch (m) {
    case M_VCPU:
        if (parse_count(p, "vcpu", VCPU_LIMIT, &v))
            return -1;
        w->vcpu = (unsigned int)v;
        return 0;
    case M_MSR:
        if (parse_hex(p, "msr", UINT32_MAX, &v))
            return -1;
        w->msr = (uint32_t)v;
        return 0;
    case M_VALUE:
        return parse_hex(p, "value", UINT64_MAX, &w->value);
    case M_OLD:
        w->has_old_value = true;
        return parse_hex(p, "old", UINT64_MAX, &w->old_value);
    default: /* M_ACCEPTED */
        if (parse_bool(p, "accepted", &b))
            return -1;
        e->accepted = b;
        return 0;
    }
}

/* Check a count against its bounds [@min, @limit). */
static int count_in(struct parser *p, const char *name, uint64_t min,
                    uint64_t limit, unsigned int *out)
{
    size_t at = p->pos;
    uint64_t v;

    if (parse_count(p, name, limit, &v))
        return -1;
    if (v < min) {
        p->pos = at;
        return bad(p, "\"%s\" must be from %" PRIu64 " to %" PRIu64, name, min,
                   limit - 1);
    }
    *out = (unsigned int)v;
    return 0;
}

static int parse_header_member(struct parser *p, enum member m,
                               struct xcx_log_header *h)
{
    char log[32];
    size_t at = p->pos;

    switch (m) {
    case M_LOG:
        if (parse_text(p, "log", log, sizeof(log)))
            return -1;
        if (strcmp(log, XCX_LOG_NAME)) {
            p->pos = at;
            return bad(p, "\"log\" is not \"" XCX_LOG_NAME "\"");
        }
        return 0;
    case M_VERSION:
        return count_in(p, "version", 1, VCPU_LIMIT, &h->version);
    case M_DOMID:
        return count_in(p, "domid", 0, XCX_DOMID_LIMIT, &h->domid);
    case M_NAME:
        return parse_text(p, "name", h->name, sizeof(h->name));
    case M_UUID:
        return parse_uuid(p, h->uuid);
    case M_WIDTH:
        return count_in(p, "maxphysaddr", XCX_MAXPHYSADDR_MIN,
                        XCX_MAXPHYSADDR_MAX + 1, &h->maxphysaddr);
    case M_VCPUS:
        return count_in(p, "vcpus", 1, VCPU_LIMIT + 1, &h->nr_vcpus);
    case M_XEN:
        return parse_word(p, "xen", h->xen_version, sizeof(h->xen_version));
    case M_FROM_START:
        return parse_bool(p, "from_start", &h->from_start);
    default: /* M_START */
        return parse_word(p, "start", h->start, sizeof(h->start));
    }
}

/* One member; @seen collects the known ones of the line's kind. */
static int parse_member(struct parser *p, struct xcx_log_entry *e,
                        unsigned int *seen)
{
    bool header = e->kind == XCX_LOG_HEADER;
    struct span name;
    int m = -1;

    if (scan_name(p, &name))
        return -1;
    for (unsigned int i = header ? M_LOG : 0; i < (header ? M_COUNT : M_LOG);
         i++)
        if (span_is(p, &name, member_names[i]))
            m = (int)i;
    if (m < 0)
        return skip_value(p, 1);
    if (*seen & BIT(m)) {
        p->pos = name.start - 1;
        return bad(p, "member \"%s\" appears twice", member_names[m]);
    }
    *seen |= BIT(m);
    return header ? parse_header_member(p, (enum member)m, &e->header)
                  : parse_write_member(p, (enum member)m, e);
}

/* The object at p->pos: with @e, each member parsed into it; without,
 * only checked, *@header saying whether a top-level "log" is there. */
static int walk_object(struct parser *p, struct xcx_log_entry *e,
                       unsigned int *seen, bool *header)
{
    struct span name;
    int c;

    if (peek(p) != '{')
        return expected(p, "'{' starting a log line");
    p->pos++;
    if (peek_ws(p) == '}') {
        p->pos++;
        return 0;
    }
    for (;;) {
        if (e && parse_member(p, e, seen))
            return -1;
        if (!e && (scan_name(p, &name) || skip_value(p, 1)))
            return -1;
        if (!e && span_is(p, &name, "log"))
            *header = true;
        c = peek_ws(p);
        if (c != ',' && c != '}')
            return expected(p, "',' or '}'");
        p->pos++;
        if (c == '}')
            return 0;
    }
}

/* What a complete line of its kind lacks, checked in member order. */
static int check_complete(struct parser *p, const struct xcx_log_entry *e,
                          unsigned int seen)
{
    bool header = e->kind == XCX_LOG_HEADER;
    unsigned int need = header ? HEADER_REQUIRED : WRITE_REQUIRED;

    if (header && (seen & BIT(M_VERSION)) &&
        e->header.version != XCX_LOG_VERSION)
        return bad(p,
                   "log format version %u is not supported (this reader "
                   "knows version %u)",
                   e->header.version, XCX_LOG_VERSION);
    for (unsigned int i = 0; i < M_COUNT; i++)
        if ((need & ~seen) >> i & 1)
            return bad(p, "%s member \"%s\" is missing",
                       header ? "header" : "write", member_names[i]);
    return 0;
}

XCX_EXPORT int xcx_log_parse_line(const char *line, size_t len,
                                  unsigned int lineno, struct xcx_log_entry *e,
                                  xentoollog_logger *lg)
{
    struct parser p = {
        .s = line, .len = line ? len : 0, .lineno = lineno, .lg = lg};
    struct xcx_log_entry got;
    unsigned int seen = 0;
    bool header = false;

    if (!e)
        return xcx_fail(lg, EINVAL, "xcx_log_parse_line: no entry");
    memset(&got, 0, sizeof(got));
    got.accepted = -1;
    if (peek_ws(&p) < 0) {
        *e = got;
        return XCX_LOG_BLANK;
    }
    /* First the syntax and the kind, then the members of that kind. */
    if (walk_object(&p, NULL, NULL, &header))
        return -1;
    if (peek_ws(&p) >= 0)
        return expected(&p, "nothing after the object");
    got.kind = header ? XCX_LOG_HEADER : XCX_LOG_WRITE;
    p.pos = 0;
    peek_ws(&p);
    if (walk_object(&p, &got, &seen, NULL) || check_complete(&p, &got, seen))
        return -1;
    *e = got;
    return got.kind;
}

XCX_EXPORT int xcx_replay_parse_line(const char *line, size_t len,
                                     unsigned int lineno,
                                     struct xcx_logged_write *w,
                                     xentoollog_logger *lg)
{
    struct xcx_log_entry e;
    int kind = xcx_log_parse_line(line, len, lineno, &e, lg);

    if (kind == XCX_LOG_HEADER)
        return xcx_fail(lg, EINVAL,
                        "write log line %u: a log header, not a write "
                        "(xcx_log_parse_line() reads both)",
                        lineno);
    if (kind == XCX_LOG_WRITE)
        *w = e.write;
    return kind < 0 ? -1 : kind ? 1 : 0;
}
