/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Builders of synthetic saved images around an HVM context, as `xl save`
 * writes them (xl's header and optional data, libxl's stream v2, libxc's
 * stream v2/v3 with page data and the records of a real HVM save), with
 * knobs that break them in the ways the scanner must refuse.
 */
#ifndef TEST_IMGBUILD_H
#define TEST_IMGBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctxbuild.h"

/* What to build. Zero is a well-formed xl save image of an HVM guest. */
struct imgb_desc {
    unsigned int format;   /* XCX_IMAGE_*; 0 is XCX_IMAGE_XL_SAVE */
    const char *config;    /* xl's JSON configuration; NULL: none */
    unsigned int version;  /* libxc stream version; 0 is 3 */
    unsigned int dom_type; /* libxc domain type; 0 is HVM (2) */
    unsigned int pages;    /* pages of PAGE_DATA (in records of up to 8) */
    unsigned int contexts; /* HVM_CONTEXT records; 0 is 1 (-1u: none) */
    bool emulator;         /* libxl EMULATOR_CONTEXT after libxc's stream */
    bool odd_record;       /* a TSC_INFO record of a length not 8-aligned */
    bool big_endian;       /* set the big-endian option of libxc's header */
    bool no_libxl_end;     /* leave libxl's END out */
    bool no_libxc_end;     /* leave libxc's END out */
    uint32_t xl_mandatory; /* xl's mandatory flags; 0 is STREAMv2 (+JSON) */
};

/* Offsets the builder wrote things at, for the tests to check. */
struct imgb_layout {
    size_t context_offset; /* of the last HVM_CONTEXT body */
    size_t config_offset;
    size_t libxl_offset;     /* libxl's header; 0 for a bare libxc stream */
    size_t libxc_offset;     /* libxc's image header */
    size_t page_data_offset; /* the first PAGE_DATA record header; 0 none */
};

/* Append an image holding the HVM context @ctx of @ctx_len bytes. */
void imgb_build(struct ctxb_blob *b, const struct imgb_desc *d, const void *ctx,
                size_t ctx_len, struct imgb_layout *lay);

/* The HVM context of the 2-vCPU hvmloader guest of tests/data (Xen 4.17). */
void imgb_sample_context(struct ctxb_blob *b);

#endif
