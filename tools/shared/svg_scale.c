/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The piecewise-logarithmic address scale of the --svg pictures. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "svg_scale.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Width units of a span: 1 for 4 KiB or less, +1 per doubling. */
static double span_units(uint64_t size)
{
    return size <= 4096 ? 1.0 : 1.0 + (63 - __builtin_clzll(size)) - 12;
}

/* Collect every entry boundary, sort and drop duplicates. */
static int collect(struct svg_scale *s, xcx_mtrr_map *const *maps,
                   unsigned int nr, uint64_t top)
{
    size_t total = 2, n = 0;

    for (unsigned int i = 0; i < nr; i++)
        total += xcx_mtrr_map_size(maps[i]);
    s->at = malloc(total * sizeof(*s->at));
    if (!s->at)
        return -1;
    s->at[n++] = 0;
    s->at[n++] = top;
    for (unsigned int i = 0; i < nr; i++)
        for (size_t j = 0; j < xcx_mtrr_map_size(maps[i]); j++) {
            struct xcx_mtrr_map_entry e;

            if (!xcx_mtrr_map_entry(maps[i], j, &e) && e.start < top)
                s->at[n++] = e.start;
        }
    qsort(s->at, n, sizeof(*s->at), cmp_u64);
    s->n = 0;
    for (size_t i = 0; i < n; i++)
        if (!s->n || s->at[i] != s->at[s->n - 1])
            s->at[s->n++] = s->at[i];
    return 0;
}

int svg_scale_build(struct svg_scale *s, xcx_mtrr_map *const *maps,
                    unsigned int nr, uint64_t top, double x0, double x1)
{
    double units = 0, pos = 0;

    if (collect(s, maps, nr, top))
        return -1;
    s->x = malloc(s->n * sizeof(*s->x));
    if (!s->x) {
        svg_scale_free(s);
        return -1;
    }
    for (size_t i = 1; i < s->n; i++)
        units += span_units(s->at[i] - s->at[i - 1]);
    s->x[0] = x0;
    for (size_t i = 1; i < s->n; i++) {
        pos += span_units(s->at[i] - s->at[i - 1]);
        s->x[i] = x0 + (x1 - x0) * pos / units;
    }
    return 0;
}

double svg_scale_x(const struct svg_scale *s, uint64_t addr)
{
    size_t lo = 0, hi = s->n - 1;

    if (addr >= s->at[hi])
        return s->x[hi];
    /* s->at[lo] <= addr < s->at[hi]: bisect. */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (s->at[mid] <= addr)
            lo = mid;
        else
            hi = mid;
    }
    return s->x[lo] + (s->x[hi] - s->x[lo]) * (double)(addr - s->at[lo]) /
                          (double)(s->at[hi] - s->at[lo]);
}

void svg_scale_free(struct svg_scale *s)
{
    free(s->at);
    free(s->x);
    s->at = NULL;
    s->x = NULL;
    s->n = 0;
}

const char *svg_addr_label(uint64_t v, char *buf, size_t size)
{
    static const char units[] = "KMGTP";
    unsigned int u = 0;

    if (!v || v % 1024) {
        snprintf(buf, size, v ? "0x%" PRIx64 : "0", v);
        return buf;
    }
    v /= 1024;
    while (u < 4 && !(v % 1024)) {
        v /= 1024;
        u++;
    }
    snprintf(buf, size, "%" PRIu64 "%c", v, units[u]);
    return buf;
}
