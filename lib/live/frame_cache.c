/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The frame cache of frame_cache.h: open addressing on the frame number,
 * at most half full, and the list of batches mapped, unmapped together.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "frame_cache.h"
#include "private.h"

#define PAGE_SIZE 4096
/* Frames mapped by one back-end call at most: a table names at most 512
 * children (1024 in 32-bit paging), so a dump's prefetch of one table is
 * one call. */
#define MAP_BATCH_MAX 1024

/* ------------------------------------------------------------------------ */
/* The frame cache                                                           */
/* ------------------------------------------------------------------------ */

void frame_cache_init(struct frame_cache *fc, xcx_handle *h, uint32_t domid,
                      struct xcx_fmem *fm, uint64_t max_frame,
                      const char *limit_what)
{
    *fc = (struct frame_cache){
        .h = h,
        .domid = domid,
        .fm = fm,
        .max_frame = max_frame,
        .limit_what = limit_what,
    };
    xcx_mfn_table_init(&fc->frames, sizeof(struct frame));
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Unmap every batch and empty the cache; the first error is returned. */
int frame_cache_forget(struct frame_cache *fc)
{
    int rc = 0, saved = errno;

    for (size_t i = 0; i < fc->nr_maps; i++) {
        if (fc->h->ops->unmap_frames(fc->h->priv, fc->fm, fc->maps[i].addr,
                                     fc->maps[i].n) &&
            !rc) {
            rc = -1;
            saved = errno;
            xcx_log(fc->h->lg, XTL_ERROR, errno,
                    "unmapping %zu frames of domain %u", fc->maps[i].n,
                    fc->domid);
        }
    }
    fc->nr_maps = 0;
    xcx_mfn_table_clear(&fc->frames);
    errno = saved;
    return rc;
}

/*
 * Map the frames of @mfns (at most MAP_BATCH_MAX) that are neither cached
 * nor out of range, each once, in one back-end call, and cache them with
 * their per-frame errors. When the call maps nothing, nothing is cached:
 * a later read maps the frame alone and reports why it fails.
 */
static int map_batch(struct frame_cache *fc, const uint64_t *mfns, size_t n)
{
    uint64_t todo[MAP_BATCH_MAX];
    int err[MAP_BATCH_MAX];
    size_t k = 0, m = 0;
    void *addr;

    for (size_t i = 0; i < n; i++)
        if (mfns[i] < fc->max_frame &&
            !xcx_mfn_table_find(&fc->frames, mfns[i]))
            todo[k++] = mfns[i];
    if (!k)
        return 0;
    qsort(todo, k, sizeof(*todo), cmp_u64);
    for (size_t i = 0; i < k; i++)
        if (!m || todo[i] != todo[m - 1])
            todo[m++] = todo[i];
    if (xcx_mfn_table_reserve(&fc->frames, m))
        return -1;
    if (fc->nr_maps == fc->cap_maps) {
        size_t cap = fc->cap_maps ? 2 * fc->cap_maps : 64;
        struct mapping *maps = realloc(fc->maps, cap * sizeof(*maps));

        if (!maps)
            return -1;
        fc->maps = maps;
        fc->cap_maps = cap;
    }
    memset(err, 0, m * sizeof(*err));
    if (fc->h->ops->map_frames(fc->h->priv, fc->fm, fc->domid, todo, m, err,
                               &addr))
        return -1;
    fc->maps[fc->nr_maps++] = (struct mapping){addr, m};
    for (size_t i = 0; i < m; i++) {
        struct frame *f = xcx_mfn_table_add(&fc->frames, todo[i]);

        f->page = err[i] ? NULL : (const char *)addr + i * PAGE_SIZE;
        f->err = err[i];
    }
    return 0;
}

/* Why frame @mfn cannot be read: a dying or vanished domain says so. */
static const void *frame_error(struct frame_cache *fc, uint64_t mfn, int err)
{
    struct xcx_domain_info info;
    int saved = err;

    if (fc->h->ops->domain_info(fc->h->priv, fc->domid, &info) || info.dying) {
        xcx_fail(fc->h->lg, saved,
                 "cannot map frame 0x%" PRIx64 " of domain %u: the domain "
                 "is dying or gone",
                 mfn, fc->domid);
    } else {
        xcx_fail(fc->h->lg, saved,
                 "cannot map frame 0x%" PRIx64 " of domain %u", mfn, fc->domid);
    }
    errno = saved;
    return NULL;
}

const void *frame_cache_read(struct frame_cache *fc, uint64_t mfn)
{
    const struct frame *f = xcx_mfn_table_find(&fc->frames, mfn);

    if (mfn >= fc->max_frame) {
        xcx_fail(fc->h->lg, EINVAL,
                 "frame 0x%" PRIx64 " of domain %u is beyond the last "
                 "frame 0x%" PRIx64 " %s",
                 mfn, fc->domid, fc->max_frame - 1, fc->limit_what);
        return NULL;
    }
    if (!f) {
        if (map_batch(fc, &mfn, 1))
            return frame_error(fc, mfn, errno);
        f = xcx_mfn_table_find(&fc->frames, mfn);
    }
    if (!f->page)
        return frame_error(fc, mfn, f->err);
    return f->page;
}

void frame_cache_prefetch(struct frame_cache *fc, const uint64_t *mfns,
                          size_t n)
{
    int saved = errno;

    for (size_t i = 0; i < n; i += MAP_BATCH_MAX)
        map_batch(fc, mfns + i, n - i < MAP_BATCH_MAX ? n - i : MAP_BATCH_MAX);
    errno = saved; /* failures show when the frame is read */
}

void frame_cache_free(struct frame_cache *fc)
{
    int saved = errno;

    frame_cache_forget(fc);
    xcx_mfn_table_free(&fc->frames);
    free(fc->maps);
    fc->maps = NULL;
    fc->cap_maps = 0;
    errno = saved;
}
