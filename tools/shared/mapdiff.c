/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdlib.h>

#include "mapdiff.h"

int map_copy_take(struct map_copy *copy, const xcx_mtrr_map *map)
{
    size_t n = xcx_mtrr_map_size(map);
    uint64_t *start = malloc((n + 1) * sizeof(*start));
    uint8_t *type = malloc(n ? n : 1);
    struct xcx_mtrr_map_entry e = {0};

    if (!start || !type) {
        free(start);
        free(type);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        xcx_mtrr_map_entry(map, i, &e);
        start[i] = e.start;
        type[i] = e.result.type;
    }
    start[n] = e.end;
    map_copy_free(copy);
    copy->count = n;
    copy->start = start;
    copy->type = type;
    return 0;
}

void map_copy_free(struct map_copy *copy)
{
    free(copy->start);
    free(copy->type);
    copy->start = NULL;
    copy->type = NULL;
    copy->count = 0;
}

/*
 * Both maps cover [0, 2^width) with the same width: walk their boundaries
 * together; each step is a piece where neither map changes type.
 */
size_t map_copy_diff(const struct map_copy *old, const struct map_copy *new,
                     void (*fn)(const struct type_change *, void *), void *arg)
{
    struct type_change pending = {0};
    bool open = false;
    size_t i = 0, j = 0, changes = 0;
    uint64_t at = 0;

    while (i < old->count && j < new->count) {
        uint64_t end = old->start[i + 1] < new->start[j + 1]
                           ? old->start[i + 1]
                           : new->start[j + 1];
        uint8_t from = old->type[i], to = new->type[j];

        if (open &&
            (from != pending.from || to != pending.to || pending.end != at)) {
            fn(&pending, arg);
            changes++;
            open = false;
        }
        if (from != to) {
            if (!open)
                pending = (struct type_change){at, end, from, to};
            pending.end = end;
            open = true;
        }
        at = end;
        i += old->start[i + 1] == end;
        j += new->start[j + 1] == end;
    }
    if (open) {
        fn(&pending, arg);
        changes++;
    }
    return changes;
}
