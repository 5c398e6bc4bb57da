/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A domain's frames mapped read-only through the back end's foreign-memory
 * calls, in batches, each frame once until forgotten: what the live PV
 * (pv_domain.c) and HVM (hvm_domain.c) walkers read tables through. Frames
 * are MFNs for a PV guest and GFNs for an HVM one; the back end maps
 * either with the same call. Messages name the domain and frame.
 */
#ifndef XCX_FRAME_CACHE_H
#define XCX_FRAME_CACHE_H

#include "backend.h"
#include "mfn_table.h"

/* A frame of the cache, in the MFN table (../pure/mfn_table.h). */
struct frame {
    struct xcx_mfn_slot key;
    const void *page; /* NULL: unmappable, @err says why */
    int err;
};

/* What one map_frames call mapped. */
struct mapping {
    void *addr;
    size_t n;
};

struct frame_cache {
    xcx_handle *h;
    uint32_t domid;
    struct xcx_fmem *fm;         /* the caller's handle */
    uint64_t max_frame;          /* frames at or above it are refused */
    const char *limit_what;      /* says what max_frame is, for messages */
    struct xcx_mfn_table frames; /* of struct frame */
    struct mapping *maps;
    size_t nr_maps, cap_maps;
};

/* An empty cache of @domid's frames below @max_frame (@limit_what says
 * what that bound is), mapped through @fm. */
void frame_cache_init(struct frame_cache *fc, xcx_handle *h, uint32_t domid,
                      struct xcx_fmem *fm, uint64_t max_frame,
                      const char *limit_what);
/* The 4096 bytes of @frame, mapped now if not yet; NULL with errno and a
 * message naming the frame and whether the domain is dying. */
const void *frame_cache_read(struct frame_cache *fc, uint64_t frame);
/* Map the frames of @frames not mapped yet, in batches; failures show
 * when a frame is read. Keeps errno. */
void frame_cache_prefetch(struct frame_cache *fc, const uint64_t *frames,
                          size_t n);
/* Unmap everything (the next reads map again); the first error. */
int frame_cache_forget(struct frame_cache *fc);
/* frame_cache_forget() and free the cache's arrays. Keeps errno. */
void frame_cache_free(struct frame_cache *fc);

#endif
