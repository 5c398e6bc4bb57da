/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Saved domain images, told apart by content, down to their HVM context:
 *
 *   xl save file: xl's 48-byte header (tools/xl/xl.h, struct
 *     save_file_header: 32 bytes of magic, then byteorder, mandatory and
 *     optional flags and optional_data_len as uint32 in the domain's byte
 *     order), the optional data (uint32 length + xl's configuration first),
 *     then a libxl stream.
 *   libxl stream v2 (libxl_sr_stream_format.h): a 16-byte big-endian
 *     header {ident "LibxlFmt", version 2, options}, then records {uint32
 *     type, uint32 length, body padded to 8}; LIBXC_CONTEXT (length 0) is
 *     followed by a whole libxc stream; END ends it.
 *   libxc stream v2/v3 (xg_sr_stream_format.h): a 24-byte big-endian image
 *     header {marker ~0, id "XENF", version, options}, a 16-byte domain
 *     header {type, page_shift, xen_major, xen_minor}, then records like
 *     libxl's; HVM_CONTEXT (9) holds the context; END ends it.
 *
 * Only headers are read: bodies (PAGE_DATA above all) are skipped by their
 * length, checked against what remains, so an mmap()ed image is touched a
 * few pages at a time.
 */
#include <errno.h>
#include <string.h>

#include "private.h"

/* xl's header: the 32-byte magic has no NUL at its end. */
static const char xl_magic[32] = "Xen saved domain, xl format\n \0 \r";
enum {
    XL_HEADER_SIZE = 48,
    XL_BYTEORDER = 0x01020304,
    XL_FLAG_JSON = 1u << 0,
    XL_FLAG_STREAMV2 = 1u << 1,
};

#define LIBXL_IDENT   UINT64_C(0x4c6962786c466d74) /* "LibxlFmt" */
#define LIBXC_MARKER  UINT64_MAX
#define LIBXC_ID      0x58454e46u  /* "XENF" */
#define REC_MAX       (128u << 20) /* libxc's REC_LENGTH_MAX */
#define HVM_CTX_MAGIC 0x54381286u

enum {
    LIBXL_HEADER_SIZE = 16,
    LIBXL_OPT_BIG_ENDIAN = 1u << 0,
    LIBXL_OPT_LEGACY = 1u << 1,
    LIBXL_REC_END = 0,
    LIBXL_REC_LIBXC_CONTEXT = 1,
    LIBXC_IHDR_SIZE = 24,
    LIBXC_DHDR_SIZE = 16,
    LIBXC_OPT_BIG_ENDIAN = 1u << 0,
    LIBXC_REC_END = 0,
    LIBXC_REC_HVM_CONTEXT = 9,
    REC_HDR_SIZE = 8,
};

/* One walk over an image: where we are and what was found. */
struct walk {
    const unsigned char *p;
    size_t len;
    struct xcx_saved_image *out;
    xentoollog_logger *lg;
};

static uint32_t le32(const unsigned char *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint64_t be64(const unsigned char *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static const char *libxl_rec_name(uint32_t type)
{
    static const char *const names[] = {
        "END",
        "LIBXC_CONTEXT",
        "EMULATOR_XENSTORE_DATA",
        "EMULATOR_CONTEXT",
        "CHECKPOINT_END",
        "CHECKPOINT_STATE",
    };

    return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

static const char *libxc_rec_name(uint32_t type)
{
    static const char *const names[] = {
        "END",
        "PAGE_DATA",
        "X86_PV_INFO",
        "X86_PV_P2M_FRAMES",
        "X86_PV_VCPU_BASIC",
        "X86_PV_VCPU_EXTENDED",
        "X86_PV_VCPU_XSAVE",
        "SHARED_INFO",
        "X86_TSC_INFO",
        "HVM_CONTEXT",
        "HVM_PARAMS",
        "TOOLSTACK",
        "X86_PV_VCPU_MSRS",
        "VERIFY",
        "CHECKPOINT",
        "CHECKPOINT_DIRTY_PFN_LIST",
        "STATIC_DATA_END",
        "X86_CPUID_POLICY",
        "X86_MSR_POLICY",
    };

    type &= ~0x80000000u; /* REC_TYPE_OPTIONAL */
    return type < sizeof(names) / sizeof(names[0]) ? names[type] : "unknown";
}

/* A record header at @off: type, length, and the offset after its padded
 * body. @what is "libxl" or "libxc" for the messages. */
static int read_record(const struct walk *w, size_t off, const char *what,
                       uint32_t *type, uint32_t *length, size_t *next)
{
    const char *name;
    uint64_t padded;

    if (w->len - off < REC_HDR_SIZE)
        return xcx_fail(w->lg, EINVAL,
                        "image truncated: %s record header at offset %zu has "
                        "only %zu of %d bytes",
                        what, off, w->len - off, REC_HDR_SIZE);
    *type = le32(w->p + off);
    *length = le32(w->p + off + 4);
    name = what[3] == 'l' ? libxl_rec_name(*type) : libxc_rec_name(*type);
    padded = ((uint64_t)*length + 7) & ~UINT64_C(7);
    if (*length > REC_MAX)
        return xcx_fail(w->lg, EINVAL,
                        "%s record %s (0x%x) at offset %zu has length %u, "
                        "above the limit of %u",
                        what, name, *type, off, *length, REC_MAX);
    if (padded > w->len - off - REC_HDR_SIZE)
        return xcx_fail(w->lg, EINVAL,
                        "image truncated: %s record %s (0x%x) at offset %zu "
                        "has length %u, only %zu bytes follow",
                        what, name, *type, off, *length,
                        w->len - off - REC_HDR_SIZE);
    *next = off + REC_HDR_SIZE + padded;
    return 0;
}

/* libxc's image and domain headers at @off; the records follow at *@next. */
static int libxc_headers(struct walk *w, size_t off, size_t *next)
{
    const unsigned char *h = w->p + off;
    uint32_t version;

    if (w->len - off < LIBXC_IHDR_SIZE + LIBXC_DHDR_SIZE)
        return xcx_fail(w->lg, EINVAL,
                        "image truncated: libxc headers at offset %zu have "
                        "only %zu of %d bytes",
                        off, w->len - off, LIBXC_IHDR_SIZE + LIBXC_DHDR_SIZE);
    if (be64(h) != LIBXC_MARKER || be32(h + 8) != LIBXC_ID)
        return xcx_fail(w->lg, EINVAL,
                        "no libxc stream at offset %zu (marker 0x%016llx, id "
                        "0x%08x): a legacy or foreign stream",
                        off, (unsigned long long)be64(h), be32(h + 8));
    version = be32(h + 12);
    if (version != 2 && version != 3)
        return xcx_fail(w->lg, EINVAL,
                        "libxc stream at offset %zu has version %u, expected "
                        "2 or 3",
                        off, version);
    if ((h[16] << 8 | h[17]) & LIBXC_OPT_BIG_ENDIAN)
        return xcx_fail(w->lg, EINVAL,
                        "libxc stream at offset %zu is big-endian: not an x86 "
                        "image",
                        off);
    w->out->stream_version = version;
    w->out->domain_type = le32(h + 24);
    w->out->page_shift = h[28] | h[29] << 8;
    w->out->xen_major = le32(h + 32);
    w->out->xen_minor = le32(h + 36);
    *next = off + LIBXC_IHDR_SIZE + LIBXC_DHDR_SIZE;
    return 0;
}

/* Walk a libxc stream from @off to its END; *@end is the offset after. */
static int libxc_stream(struct walk *w, size_t off, size_t *end)
{
    bool found = false;
    uint32_t type, length;
    size_t next;

    if (libxc_headers(w, off, &off))
        return -1;
    /* Each record takes at least 8 bytes of a finite image: this ends. */
    for (;; off = next) {
        if (read_record(w, off, "libxc", &type, &length, &next))
            return -1;
        if (type == LIBXC_REC_HVM_CONTEXT) {
            w->out->context_offset = off + REC_HDR_SIZE;
            w->out->context_len = length;
            found = true;
        }
        if (type == LIBXC_REC_END)
            break;
    }
    if (w->out->domain_type == XCX_IMAGE_DOMAIN_X86_PV)
        return xcx_fail(w->lg, EOPNOTSUPP,
                        "the image is of a PV guest (libxc domain type 1); "
                        "MTRR types need an HVM guest");
    if (!found)
        return xcx_fail(w->lg, EINVAL,
                        "libxc stream ending at offset %zu has no HVM_CONTEXT "
                        "record (domain type %u)",
                        off, w->out->domain_type);
    *end = next;
    return 0;
}

/* Walk a libxl stream from @off to its END. */
static int libxl_stream(struct walk *w, size_t off)
{
    const unsigned char *h = w->p + off;
    uint32_t type, length, version, options;
    bool libxc = false;
    size_t next;

    if (w->len - off < LIBXL_HEADER_SIZE)
        return xcx_fail(w->lg, EINVAL,
                        "image truncated: libxl header at offset %zu has only "
                        "%zu of %d bytes",
                        off, w->len - off, LIBXL_HEADER_SIZE);
    if (be64(h) != LIBXL_IDENT)
        return xcx_fail(w->lg, EINVAL,
                        "no libxl stream at offset %zu (ident 0x%016llx)", off,
                        (unsigned long long)be64(h));
    version = be32(h + 8);
    options = be32(h + 12);
    if (version != 2)
        return xcx_fail(w->lg, EINVAL,
                        "libxl stream at offset %zu has version %u, expected 2",
                        off, version);
    if (options & (LIBXL_OPT_BIG_ENDIAN | LIBXL_OPT_LEGACY))
        return xcx_fail(w->lg, EINVAL,
                        "libxl stream at offset %zu has options 0x%x: %s", off,
                        options,
                        (options & LIBXL_OPT_BIG_ENDIAN)
                            ? "big-endian, not an x86 image"
                            : "a converted legacy stream, not supported");
    for (off += LIBXL_HEADER_SIZE;; off = next) {
        if (read_record(w, off, "libxl", &type, &length, &next))
            return -1;
        if (type == LIBXL_REC_END)
            break;
        if (type == LIBXL_REC_LIBXC_CONTEXT) {
            if (libxc_stream(w, next, &next))
                return -1;
            libxc = true;
        }
    }
    if (!libxc)
        return xcx_fail(w->lg, EINVAL,
                        "libxl stream ending at offset %zu has no "
                        "LIBXC_CONTEXT record",
                        off);
    return 0;
}

/* xl's header and optional data; the libxl stream follows at *@next. */
static int xl_header(struct walk *w, size_t *next)
{
    const unsigned char *h = w->p;
    uint32_t mandatory, optlen, cfglen;

    if (w->len < XL_HEADER_SIZE)
        return xcx_fail(w->lg, EINVAL,
                        "image truncated: xl header has only %zu of %d bytes",
                        w->len, XL_HEADER_SIZE);
    if (le32(h + 32) != XL_BYTEORDER)
        return xcx_fail(w->lg, EINVAL,
                        "xl header at offset 32: byte order mark 0x%08x, "
                        "expected 0x%08x (little-endian)",
                        le32(h + 32), XL_BYTEORDER);
    mandatory = le32(h + 36);
    if (!(mandatory & XL_FLAG_STREAMV2) ||
        (mandatory & ~(XL_FLAG_JSON | XL_FLAG_STREAMV2)))
        return xcx_fail(w->lg, EINVAL,
                        "xl header at offset 36: mandatory flags 0x%x (a "
                        "stream v2 image has 0x2, 0x3 with JSON)",
                        mandatory);
    optlen = le32(h + 44);
    if (optlen > w->len - XL_HEADER_SIZE)
        return xcx_fail(w->lg, EINVAL,
                        "image truncated: xl optional data at offset %d has "
                        "length %u, only %zu bytes follow",
                        XL_HEADER_SIZE, optlen, w->len - XL_HEADER_SIZE);
    /* The optional data starts with the configuration: length, bytes. */
    cfglen = optlen >= 4 ? le32(h + XL_HEADER_SIZE) : 0;
    if (cfglen > optlen - (optlen >= 4 ? 4 : optlen))
        return xcx_fail(w->lg, EINVAL,
                        "xl configuration at offset %d has length %u, the "
                        "optional data only %u bytes",
                        XL_HEADER_SIZE + 4, cfglen, optlen);
    w->out->config_offset = XL_HEADER_SIZE + 4;
    w->out->config_len = cfglen;
    /* xl writes the JSON text with its NUL: the length leaves it out. */
    if (cfglen && !h[XL_HEADER_SIZE + 4 + cfglen - 1])
        w->out->config_len--;
    w->out->config_json = mandatory & XL_FLAG_JSON;
    *next = XL_HEADER_SIZE + optlen;
    return 0;
}

static bool is_hvm_context(const unsigned char *p, size_t len)
{
    /* HEADER (1), instance 0, length 24, then HVM_FILE_MAGIC. */
    return len >= 12 && le32(p) == 1 && le32(p + 4) == 24 &&
           le32(p + 8) == HVM_CTX_MAGIC;
}

static int classify(struct walk *w)
{
    size_t off = 0;

    if (w->len >= sizeof(xl_magic) &&
        !memcmp(w->p, xl_magic, sizeof(xl_magic))) {
        w->out->format = XCX_IMAGE_XL_SAVE;
        return xl_header(w, &off) || libxl_stream(w, off);
    }
    if (w->len >= 8 && be64(w->p) == LIBXL_IDENT) {
        w->out->format = XCX_IMAGE_LIBXL_STREAM;
        return libxl_stream(w, 0);
    }
    if (w->len >= 8 && be64(w->p) == LIBXC_MARKER) {
        w->out->format = XCX_IMAGE_LIBXC_STREAM;
        return libxc_stream(w, 0, &off);
    }
    if (is_hvm_context(w->p, w->len)) {
        w->out->format = XCX_IMAGE_HVM_CONTEXT;
        w->out->context_len = w->len;
        return 0;
    }
    return xcx_fail(w->lg, EINVAL,
                    "not a saved image: neither xl's header, a libxl or "
                    "libxc stream, nor an HVM context (first bytes "
                    "0x%08x 0x%08x)",
                    w->len >= 4 ? be32(w->p) : 0,
                    w->len >= 8 ? be32(w->p + 4) : 0);
}

XCX_EXPORT int xcx_saved_image_scan(const void *image, size_t len,
                                    struct xcx_saved_image *out,
                                    xentoollog_logger *lg)
{
    struct xcx_saved_image found = {0};
    struct walk w = {image, len, &found, lg};

    if (!image || !out)
        return xcx_fail(lg, EINVAL, "xcx_saved_image_scan: NULL argument");
    if (classify(&w))
        return -1;
    *out = found;
    return 0;
}

XCX_EXPORT const char *xcx_image_format_name(unsigned int format)
{
    switch (format) {
    case XCX_IMAGE_HVM_CONTEXT:
        return "HVM context";
    case XCX_IMAGE_LIBXC_STREAM:
        return "libxc stream";
    case XCX_IMAGE_LIBXL_STREAM:
        return "libxl stream";
    case XCX_IMAGE_XL_SAVE:
        return "xl save image";
    }
    errno = EINVAL;
    return NULL;
}
