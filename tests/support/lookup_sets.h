/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The states and address sets of bench/bench_index.c, shared with the
 * tests that check every one of those addresses against the direct rule:
 *
 * States (all pairs known):
 *  - hvmloader: MTRRdefType 0xc06 (WB, E, FE), fixed WB with the VGA hole
 *    UC, UC pairs over [0xe8000000, 0xf0000000) and [0xf0000000, 4 GiB);
 *    width 36.
 *  - busy: 8 overlapping pairs giving every overlap kind (same, UC
 *    precedence, WT+WB, undefined), default UC; width 46.
 *  - desktop: a 16 GiB desktop's 5 pairs (WB 0-16 GiB, WB 16-17 GiB, UC
 *    2-4 GiB, UC 64 MiB and 8 MiB of graphics memory below 2 GiB), default
 *    UC, BIOS-style fixed ranges (WB, VGA UC, option ROMs WP, UC); width 39.
 *
 * Distributions, in chunks of LSET_CHUNK addresses (a chunk is what one
 * batch call gets):
 *  - uniform: uniform over [0, 2^width);
 *  - low: uniform below 8 GiB;
 *  - sorted: half uniform, half below 8 GiB, each chunk sorted;
 *  - scan: 0 to 4 GiB by 4 KiB page (by @step when larger, wrapping at
 *    4 GiB), LSET_SCAN_CHUNKS chunks for pages.
 * Random chunks come from a fixed-seed splitmix64: the same every run.
 * With @step > 1 (range queries of @step bytes) addresses are aligned
 * down to @step and kept below 2^width - @step.
 */
#ifndef TEST_LOOKUP_SETS_H
#define TEST_LOOKUP_SETS_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

enum lset_state { LSET_HVMLOADER, LSET_BUSY, LSET_DESKTOP, LSET_NR_STATES };
enum lset_dist {
    LSET_UNIFORM,
    LSET_LOW,
    LSET_SORTED,
    LSET_SCAN,
    LSET_NR_DISTS
};

#define LSET_CHUNK         4096
#define LSET_RANDOM_CHUNKS 16
#define LSET_SCAN_END      (UINT64_C(4) << 30)

const char *lset_state_name(enum lset_state s);
const char *lset_dist_name(enum lset_dist d);

/* The state; 0, or -1 with errno if the library refuses it (a bug). */
int lset_state(enum lset_state s, struct xcx_mtrr_state *st);

/* Chunks of distribution @d for steps of @step bytes (1: single bytes). */
size_t lset_chunks(enum lset_dist d, uint64_t step);

/* Chunk @chunk of @d at @width into @out (LSET_CHUNK addresses). */
void lset_fill(enum lset_dist d, unsigned int width, uint64_t step,
               size_t chunk, uint64_t *out);

#endif
