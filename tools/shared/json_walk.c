/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "json_walk.h"

#define NUMBER_MAX 64 /* longest number text accepted */

struct walker {
    const char *start, *p, *end;
    json_visit_fn fn;
    void *arg;
    char path[JSON_PATH_MAX];
    size_t plen;
    unsigned int depth;
    char *err;
    size_t errlen;
};

static int fail(struct walker *w, const char *what)
{
    snprintf(w->err, w->errlen, "%s at byte %zu", what,
             (size_t)(w->p - w->start));
    return -1;
}

static void skip_ws(struct walker *w)
{
    while (w->p < w->end &&
           (*w->p == ' ' || *w->p == '\t' || *w->p == '\n' || *w->p == '\r'))
        w->p++;
}

static void visit(struct walker *w, enum json_kind kind, const char *text)
{
    struct json_value v = {kind, text};

    w->fn(w->arg, w->path, &v);
}

/* Append "/@name" (or "@name" at the root); the old length in *@saved. */
static int push(struct walker *w, const char *name, size_t *saved)
{
    size_t n = strlen(name), sep = w->plen ? 1 : 0;

    if (w->plen + sep + n >= sizeof(w->path))
        return fail(w, "path too long");
    *saved = w->plen;
    if (sep)
        w->path[w->plen++] = '/';
    memcpy(w->path + w->plen, name, n + 1);
    w->plen += n;
    return 0;
}

static void pop(struct walker *w, size_t saved)
{
    w->plen = saved;
    w->path[saved] = '\0';
}

static int hex4(struct walker *w, unsigned int *code)
{
    *code = 0;
    for (int i = 0; i < 4; i++, w->p++) {
        char c = w->p < w->end ? *w->p : 0;

        *code <<= 4;
        if (c >= '0' && c <= '9')
            *code |= c - '0';
        else if (c >= 'a' && c <= 'f')
            *code |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            *code |= c - 'A' + 10;
        else
            return fail(w, "bad \\u escape");
    }
    return 0;
}

/* A string at w->p (its opening quote), decoded into @out. */
static int string(struct walker *w, char *out, size_t size)
{
    static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
    size_t n = 0;

    w->p++;
    for (;;) {
        unsigned char c;

        if (w->p >= w->end)
            return fail(w, "unterminated string");
        c = *w->p++;
        if (c == '"')
            break;
        if (c < 0x20)
            return fail(w, "control character in a string");
        if (c == '\\') {
            const char *e;

            if (w->p >= w->end)
                return fail(w, "unterminated string");
            if (*w->p == 'u') {
                unsigned int code;

                w->p++;
                if (hex4(w, &code))
                    return -1;
                c = code < 0x80 ? code : '?';
            } else if (*w->p && (e = strchr(esc_in, *w->p))) {
                c = esc_out[e - esc_in];
                w->p++;
            } else {
                return fail(w, "bad escape");
            }
        }
        if (n + 1 < size)
            out[n++] = c;
    }
    out[n] = '\0';
    return 0;
}

static size_t digits(struct walker *w)
{
    size_t n = 0;

    while (w->p < w->end && *w->p >= '0' && *w->p <= '9') {
        w->p++;
        n++;
    }
    return n;
}

static int number(struct walker *w)
{
    const char *s = w->p;
    char text[NUMBER_MAX];

    if (w->p < w->end && *w->p == '-')
        w->p++;
    if (w->p < w->end && *w->p == '0')
        w->p++;
    else if (!digits(w))
        return fail(w, "bad number");
    if (w->p < w->end && *w->p == '.') {
        w->p++;
        if (!digits(w))
            return fail(w, "bad number");
    }
    if (w->p < w->end && (*w->p == 'e' || *w->p == 'E')) {
        w->p++;
        if (w->p < w->end && (*w->p == '+' || *w->p == '-'))
            w->p++;
        if (!digits(w))
            return fail(w, "bad number");
    }
    if ((size_t)(w->p - s) >= sizeof(text))
        return fail(w, "number too long");
    memcpy(text, s, w->p - s);
    text[w->p - s] = '\0';
    visit(w, JSON_NUMBER, text);
    return 0;
}

static int literal(struct walker *w, const char *word, enum json_kind kind)
{
    size_t n = strlen(word);

    if ((size_t)(w->end - w->p) < n || memcmp(w->p, word, n))
        return fail(w, "unexpected character");
    w->p += n;
    visit(w, kind, NULL);
    return 0;
}

static int value(struct walker *w);

/* The members of an object, or the elements of an array (@object false),
 * after its opening bracket. */
static int container(struct walker *w, bool object)
{
    char close = object ? '}' : ']';
    char name[JSON_STRING_MAX];
    unsigned long index = 0;

    if (++w->depth > JSON_MAX_DEPTH)
        return fail(w, "nesting too deep");
    visit(w, object ? JSON_OBJECT : JSON_ARRAY, NULL);
    w->p++;
    skip_ws(w);
    if (w->p < w->end && *w->p == close) {
        w->p++;
        w->depth--;
        return 0;
    }
    for (;;) {
        size_t saved;

        skip_ws(w);
        if (object) {
            if (w->p >= w->end || *w->p != '"')
                return fail(w, "expected a member name");
            if (string(w, name, sizeof(name)))
                return -1;
            skip_ws(w);
            if (w->p >= w->end || *w->p != ':')
                return fail(w, "expected ':'");
            w->p++;
        } else {
            snprintf(name, sizeof(name), "%lu", index++);
        }
        if (push(w, name, &saved) || value(w))
            return -1;
        pop(w, saved);
        skip_ws(w);
        if (w->p < w->end && *w->p == ',') {
            w->p++;
            continue;
        }
        if (w->p < w->end && *w->p == close) {
            w->p++;
            w->depth--;
            return 0;
        }
        return fail(w, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int value(struct walker *w)
{
    char text[JSON_STRING_MAX];

    skip_ws(w);
    if (w->p >= w->end)
        return fail(w, "unexpected end");
    switch (*w->p) {
    case '{':
        return container(w, true);
    case '[':
        return container(w, false);
    case '"':
        if (string(w, text, sizeof(text)))
            return -1;
        visit(w, JSON_STRING, text);
        return 0;
    case 't':
        return literal(w, "true", JSON_TRUE);
    case 'f':
        return literal(w, "false", JSON_FALSE);
    case 'n':
        return literal(w, "null", JSON_NULL);
    default:
        if (*w->p == '-' || (*w->p >= '0' && *w->p <= '9'))
            return number(w);
        return fail(w, "unexpected character");
    }
}

int json_walk(const char *doc, size_t len, json_visit_fn fn, void *arg,
              char *err, size_t errlen)
{
    struct walker w = {
        .start = doc,
        .p = doc,
        .end = doc + len,
        .fn = fn,
        .arg = arg,
        .err = err,
        .errlen = errlen,
    };

    if (value(&w))
        return -1;
    skip_ws(&w);
    if (w.p != w.end)
        return fail(&w, "trailing data");
    return 0;
}
