/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which ranges changed type between two versions of a vCPU's map. */
#ifndef XCX_CLI_MAPDIFF_H
#define XCX_CLI_MAPDIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

/* A copy of a map's ranges and types, kept across writes. */
struct map_copy {
    size_t count;
    uint64_t *start; /* count + 1 entries: range i is [start[i], start[i+1]) */
    uint8_t *type;
};

/* One range whose type changed. */
struct type_change {
    uint64_t start, end;
    uint8_t from, to;
};

/* Copy @map's ranges into @copy (replacing what it held). */
int map_copy_take(struct map_copy *copy, const xcx_mtrr_map *map);
void map_copy_free(struct map_copy *copy);

/*
 * Call @fn for each maximal range whose type differs between @old and
 * @new; returns the number of such ranges.
 */
size_t map_copy_diff(const struct map_copy *old, const struct map_copy *new,
                     void (*fn)(const struct type_change *, void *), void *arg);

#endif
