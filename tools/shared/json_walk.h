/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A small JSON reader for files the tools only pick a few members from
 * (libxl's saved domain configuration): it walks the document and reports
 * every value with its path. Strict RFC 8259 syntax, bounded depth, no
 * allocation; nothing the document holds can make it read out of bounds.
 */
#ifndef XCX_CLI_JSON_WALK_H
#define XCX_CLI_JSON_WALK_H

#include <stdbool.h>
#include <stddef.h>

enum json_kind {
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_OBJECT, /* reported when it opens, before its members */
    JSON_ARRAY,  /* likewise, before its elements */
};

/* Deepest nesting accepted, and the longest path (keys joined by '/'). */
#define JSON_MAX_DEPTH 64
#define JSON_PATH_MAX  512
/* Strings are decoded up to this many bytes; longer ones are cut. */
#define JSON_STRING_MAX 256

struct json_value {
    enum json_kind kind;
    /* JSON_NUMBER: its text as written; JSON_STRING: the decoded string
     * (NUL-terminated, cut at JSON_STRING_MAX - 1 bytes; \u escapes above
     * 0x7f become '?'). NULL for the other kinds. */
    const char *text;
};

/*
 * Called for every value. @path names it from the root: member keys and
 * array indices joined by '/', e.g. "b_info/iomem/0/start"; the root is "".
 * Keys are decoded as strings are (a '/' inside a key stays as it is).
 */
typedef void (*json_visit_fn)(void *arg, const char *path,
                              const struct json_value *v);

/*
 * Walk the document @doc of @len bytes (no NUL needed). Returns 0, or -1
 * with a message naming the byte offset in @err (@errlen bytes) when the
 * document is not one valid JSON value, nests deeper than JSON_MAX_DEPTH or
 * has a path longer than JSON_PATH_MAX. @fn may have been called for the
 * values before the error.
 */
int json_walk(const char *doc, size_t len, json_visit_fn fn, void *arg,
              char *err, size_t errlen);

#endif
