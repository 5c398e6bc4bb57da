/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xc-mtrr-type --effective: the effective memory type of accesses to
 * guest-physical addresses, with the facts it rests on, live or from a
 * saved context.
 */
#ifndef XCX_CLI_EFFECTIVE_H
#define XCX_CLI_EFFECTIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "source.h"

/* The options of --effective. */
struct eff_options {
    bool on;             /* --effective */
    int pat_index;       /* --pat-index N, -1 not given */
    unsigned int vendor; /* --vendor: XCX_VENDOR_*, 0 not given */
    int honoured;        /* --honoured yes|no: 1, 0; -1 not given */
};

/* Check the options together (usage errors exit). */
void eff_options_check(const struct eff_options *e, const struct source *src,
                       uint64_t size);

/* Answer every GPA for the vCPUs @src asks for: the exit code. */
int eff_run(const struct source *src, const struct eff_options *e,
            const uint64_t *gpas, unsigned int n, bool json);

#endif
