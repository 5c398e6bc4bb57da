/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * make-image-seeds OUTDIR: write the seed corpus of fuzz_saved_image.c
 * (tests/fuzz/corpus-image/): saved images around the sample context,
 * written with tests/support/imgbuild.c.
 *  xl-save        xl save of an HVM guest: JSON config, 2 pages, QEMU's
 *                 record after libxc's stream
 *  xl-save-v2     libxc stream v2 (Xen 4.6-4.13), no config, odd lengths
 *  libxl-stream   a libxl stream alone, two HVM_CONTEXT records
 *  libxc-stream   a libxc stream alone
 *  xl-save-pv     the image of a PV guest (refused: EOPNOTSUPP)
 *  xl-save-noctx  no HVM_CONTEXT record (refused)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "imgbuild.h"
#include "xenctrl_ext.h"

#define CONFIG "{\"c_info\":{\"type\":\"hvm\",\"name\":\"seed\"}}"

static int write_seed(const char *dir, const char *name,
                      const struct imgb_desc *d)
{
    struct ctxb_blob ctx = {0}, img = {0};
    struct imgb_layout lay;
    char path[4096];
    FILE *f;
    int rc = 0;

    imgb_sample_context(&ctx);
    imgb_build(&img, d, ctx.data, ctx.len, &lay);
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(img.data, 1, img.len, f) != img.len || fclose(f) != 0) {
        fprintf(stderr, "make-image-seeds: %s: %s\n", path, strerror(errno));
        rc = -1;
    }
    ctxb_blob_free(&ctx);
    ctxb_blob_free(&img);
    return rc;
}

int main(int argc, char **argv)
{
    const struct {
        const char *name;
        struct imgb_desc d;
    } seeds[] = {
        {"xl-save", {.config = CONFIG, .pages = 2, .emulator = true}},
        {"xl-save-v2", {.version = 2, .odd_record = true, .pages = 1}},
        {"libxl-stream", {.format = XCX_IMAGE_LIBXL_STREAM, .contexts = 2}},
        {"libxc-stream", {.format = XCX_IMAGE_LIBXC_STREAM, .pages = 1}},
        {"xl-save-pv", {.dom_type = XCX_IMAGE_DOMAIN_X86_PV}},
        {"xl-save-noctx", {.contexts = -1u}},
    };

    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
        if (write_seed(argv[1], seeds[i].name, &seeds[i].d))
            return 1;
    return 0;
}
