/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which ranges changed type between two versions of a type map. A snapshot
 * keeps a map's boundaries and types (not the map, which a tracker frees
 * when it rebuilds): count + 1 boundaries, range i is [start[i],
 * start[i + 1]).
 */
#include <errno.h>
#include <stdlib.h>

#include "private.h"

struct xcx_mtrr_snapshot {
    size_t count;
    uint64_t *start;
    uint8_t *type;
};

XCX_EXPORT void xcx_mtrr_snapshot_free(xcx_mtrr_snapshot *s)
{
    if (!s)
        return;
    free(s->start);
    free(s->type);
    free(s);
}

XCX_EXPORT xcx_mtrr_snapshot *xcx_mtrr_snapshot_take(const xcx_mtrr_map *map)
{
    size_t n = map ? xcx_mtrr_map_size(map) : 0;
    xcx_mtrr_snapshot *s = n ? calloc(1, sizeof(*s)) : NULL;
    struct xcx_mtrr_map_entry e = {0};

    if (!n) {
        errno = map ? ENOMEM : EINVAL; /* a built map has a range */
        return NULL;
    }
    if (s) {
        s->start = malloc((n + 1) * sizeof(*s->start));
        s->type = malloc(n);
    }
    if (!s || !s->start || !s->type) {
        xcx_mtrr_snapshot_free(s);
        errno = ENOMEM;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        xcx_mtrr_map_entry(map, i, &e);
        s->start[i] = e.start;
        s->type[i] = e.result.type;
    }
    s->start[n] = e.end;
    s->count = n;
    return s;
}

/* Report @c and close it. */
static void flush(struct xcx_mtrr_change *c, bool *open, size_t *changes,
                  xcx_mtrr_change_cb *cb, void *arg)
{
    if (*open && cb)
        cb(arg, c);
    *changes += *open;
    *open = false;
}

/*
 * Both snapshots cover [0, end) with the same end: walk their boundaries
 * together; each step is a piece where neither changes type, and equal
 * neighbouring changes merge into one.
 */
XCX_EXPORT int xcx_mtrr_snapshot_diff(const xcx_mtrr_snapshot *before,
                                      const xcx_mtrr_snapshot *after,
                                      xcx_mtrr_change_cb *cb, void *arg,
                                      size_t *nr_changes)
{
    struct xcx_mtrr_change c = {0};
    size_t i = 0, j = 0, changes = 0;
    bool open = false;
    uint64_t at = 0;

    if (!before || !after ||
        before->start[before->count] != after->start[after->count]) {
        errno = EINVAL; /* maps of different widths cover different spaces */
        return -1;
    }
    while (i < before->count && j < after->count) {
        uint64_t end = before->start[i + 1] < after->start[j + 1]
                           ? before->start[i + 1]
                           : after->start[j + 1];
        uint8_t from = before->type[i], to = after->type[j];

        if (open && (from != c.from || to != c.to))
            flush(&c, &open, &changes, cb, arg);
        if (from != to && !open)
            c = (struct xcx_mtrr_change){at, end, from, to};
        c.end = end;
        open |= from != to;
        at = end;
        i += before->start[i + 1] == end;
        j += after->start[j + 1] == end;
    }
    flush(&c, &open, &changes, cb, arg);
    if (nr_changes)
        *nr_changes = changes;
    return 0;
}
