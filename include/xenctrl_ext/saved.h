/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xenctrl_ext/saved.h: saved domain images (pure): what `xl save` writes,
 * libxl's and libxc's migration streams (version 2), and bare HVM
 * contexts, told apart by their content.
 *
 * Part of <xenctrl_ext.h>, which states the conventions of the whole API;
 * include that.
 */
#ifndef XENCTRL_EXT_SAVED_H
#define XENCTRL_EXT_SAVED_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What an image is, by its first bytes. */
enum xcx_image_format {
    XCX_IMAGE_HVM_CONTEXT = 1,  /* xc_domain_hvm_getcontext()'s blob */
    XCX_IMAGE_LIBXC_STREAM = 2, /* libxc's stream ("XENF", v2 or v3) */
    XCX_IMAGE_LIBXL_STREAM = 3, /* libxl's stream v2 around libxc's */
    XCX_IMAGE_XL_SAVE = 4,      /* xl save: xl's header, then libxl's */
};

/* Domain types of libxc's domain header. */
#define XCX_IMAGE_DOMAIN_X86_PV  1
#define XCX_IMAGE_DOMAIN_X86_HVM 2

/* Where the parts of an image are: offsets and lengths in the image. */
struct xcx_saved_image {
    unsigned int format;   /* enum xcx_image_format */
    size_t context_offset; /* the HVM context (xcx_hvm_context_parse()) */
    size_t context_len;
    size_t config_offset;        /* xl's domain configuration, 0 long if none */
    size_t config_len;           /* without a trailing NUL */
    bool config_json;            /* xl says it is JSON (libxl_domain_config) */
    unsigned int stream_version; /* libxc's: 2 or 3; 0 for a bare context */
    unsigned int domain_type;    /* XCX_IMAGE_DOMAIN_*; 0 for a context */
    unsigned int page_shift;     /* libxc's domain header; 0 for a context */
    unsigned int xen_major, xen_minor; /* the Xen that saved it */
};

/**
 * xcx_saved_image_scan: find the HVM context in @image of @len bytes, by
 * content: an `xl save` file (xl's header "Xen saved domain, xl format",
 * its flags and optional data with the domain's configuration), a libxl
 * migration stream v2 (docs/specs/libxl-migration-stream.pandoc in Xen),
 * a libxc stream v2 or v3 (libxc-migration-stream.pandoc), whose
 * HVM_CONTEXT record holds the context, or a bare context as
 * xc_domain_hvm_getcontext() returns it.
 *
 * Records are walked by their headers' lengths; only headers, xl's
 * optional data and nothing of the page data are read, so an mmap()ed image
 * of many GiB costs a few pages. Every length is checked against what
 * remains; libxc records longer than 128 MiB are refused as libxc refuses
 * them. With several HVM_CONTEXT records (a checkpointed stream) the last
 * is taken, as a restore would end with it.
 *
 * Errors: EINVAL for an image of no known format, a big-endian or legacy
 * stream, a truncated or malformed header or record (the message names
 * the record and its offset), a stream with no HVM_CONTEXT record or no
 * END; EOPNOTSUPP for the image of a PV guest ("MTRR types need an HVM
 * guest").
 *
 * Since: 1.4
 */
int xcx_saved_image_scan(const void *image, size_t len,
                         struct xcx_saved_image *out, xentoollog_logger *lg);

/**
 * xcx_image_format_name: "HVM context", "libxc stream", "libxl stream",
 * "xl save image"; NULL (errno EINVAL) for other values.
 *
 * Since: 1.4
 */
const char *xcx_image_format_name(unsigned int format);

#ifdef __cplusplus
}
#endif

#endif /* XENCTRL_EXT_SAVED_H */
