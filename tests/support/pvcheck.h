/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checks of PV walks and dumps shared by the unit tests and the fuzzer
 * (not cmocka): a run collector, the invariants of a dump's runs, and the
 * agreement of a walk with the run that holds its VA. A check returns
 * NULL when all is well, else what is wrong (a static buffer).
 */
#ifndef TEST_PVCHECK_H
#define TEST_PVCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

struct pvc_runs {
    struct xcx_pv_run *v;
    size_t n, capacity;
    unsigned long calls;   /* of pvc_collect() */
    unsigned long stop_at; /* 0, or the call that returns stop_rc */
    int stop_rc;
};

/* A dump callback appending each run to a struct pvc_runs. */
int pvc_collect(void *arg, const struct xcx_pv_run *run);
void pvc_runs_free(struct pvc_runs *r);

/* The run holding @va, or NULL. */
const struct xcx_pv_run *pvc_find(const struct pvc_runs *r, uint64_t va);

/*
 * The runs of a dump of [@lo, @hi) (@hi 0: 2^64) of a guest of @width:
 * whole pages, in VA order, not empty, not overlapping, inside the range
 * and the guest's areas, and no two neighbours that should be one run.
 */
const char *pvc_check_runs(const struct pvc_runs *r, unsigned int width,
                           uint64_t lo, uint64_t hi);

/*
 * A walk of @va (inside @run) agrees with the run: mapped with the same
 * flags, page size, cache and frame at that offset; for an alias run, the
 * same leaf frame as a walk of the VA it aliases (when that is walkable).
 */
const char *pvc_check_walk(const struct xcx_pv_guest *g, uint64_t root,
                           const struct xcx_pv_run *run, uint64_t va);

/* The flags a dump gives the leaf of a mapped walk. */
uint32_t pvc_walk_flags(const struct xcx_pv_walk *w);

#endif
