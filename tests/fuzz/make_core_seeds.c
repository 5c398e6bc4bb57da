/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * make-core-seeds OUTDIR: write the seed corpus of fuzz_dump_core.c
 * (tests/fuzz/corpus-core/): xl dump-core images of corebuild.h's sample
 * guests, as Xen 4.17 lays them out.
 *  core64         64-bit guest, 2 vCPUs, kernel and user roots, 10 pages
 *  core32         32-bit PAE guest, 2 vCPUs, 4 pages
 *  core64-lean    no .xen_shared_info, a foreign note before Xen's
 *  core64-padded  two {~0, ~0} pairs and zero pages at the end
 *  core64-hvm     HEADER magic of an HVM guest (refused: EOPNOTSUPP)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corebuild.h"

static int write_seed(const char *dir, const char *name, unsigned int width,
                      unsigned int shape)
{
    struct coreb_sample *s = calloc(1, sizeof(*s));
    struct coreb_blob b;
    char path[4096];
    FILE *f;
    int rc = 0;

    if (!s)
        return -1;
    coreb_sample(s, width);
    if (shape == 1) {
        s->desc.no_shared_info = true;
        s->desc.foreign_note = true;
    } else if (shape == 2) {
        for (size_t i = 0; i < 2; i++)
            s->frames[s->desc.nr_frames + i] =
                (struct coreb_frame){COREB_INVALID, COREB_INVALID, NULL};
        s->desc.nr_frames += 2;
    }
    coreb_build(&b, &s->desc);
    if (shape == 3)
        coreb_patch(&b, b.note_desc[1], COREB_MAGIC_HVM, 8);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(b.data, 1, b.len, f) != b.len || fclose(f)) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        rc = -1;
    }
    coreb_blob_free(&b);
    free(s);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    if (write_seed(argv[1], "core64", 8, 0) ||
        write_seed(argv[1], "core32", 4, 0) ||
        write_seed(argv[1], "core64-lean", 8, 1) ||
        write_seed(argv[1], "core64-padded", 8, 2) ||
        write_seed(argv[1], "core64-hvm", 8, 3))
        return 1;
    return 0;
}
