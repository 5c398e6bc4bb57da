/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_config.h"
#include "audit_internal.h"
#include "common.h"
#include "json_walk.h"

#define GIB4 (UINT64_C(1) << 32)
/* libxl and Xen's public headers (hvm/e820.h, libxl_dom.c). */
#define HVM_MMIO_DEFAULT UINT64_C(0x10000000) /* HVM_BELOW_4G_MMIO_LENGTH */
#define HVM_MMIO_START   UINT64_C(0xf0000000) /* HVM_BELOW_4G_MMIO_START */
#define PVH_MMIO_START   UINT64_C(0xfc000000) /* ACPI_INFO_PHYSICAL_ADDRESS */
#define PCI_MEM_END      UINT64_C(0xfc000000) /* hvmloader's RESERVED_MEMBASE */
#define VGA_HOLE_START   UINT64_C(0xa0000)
#define VGA_HOLE_END     UINT64_C(0xc0000)
#define MAX_MEMKB_SANE   (UINT64_C(1) << 42) /* KiB: bytes stay below 2^52 */

struct parse {
    struct libxl_config *c;
    char bad[160];
};

static void text(struct parse *p, const char *path, const struct json_value *v,
                 char *dst, size_t size)
{
    if (v->kind != JSON_STRING) {
        if (!p->bad[0])
            snprintf(p->bad, sizeof(p->bad), "%s is not a string", path);
        return;
    }
    snprintf(dst, size, "%s", v->text);
}

static void number(struct parse *p, const char *path,
                   const struct json_value *v, uint64_t *dst, bool *has)
{
    if (v->kind != JSON_NUMBER || !parse_u64(v->text, dst)) {
        if (!p->bad[0])
            snprintf(p->bad, sizeof(p->bad), "%s is not a whole number", path);
        return;
    }
    if (has)
        *has = true;
}

/* Count the elements of the array at @prefix: its paths "@prefix/N". */
static void element(const char *path, const char *prefix, unsigned int *count)
{
    size_t n = strlen(prefix);
    uint64_t i;

    if (!strncmp(path, prefix, n) && path[n] == '/' &&
        !strchr(path + n + 1, '/') &&
        parse_uint(path + n + 1, 0, 1u << 20, &i) && i + 1 > *count)
        *count = i + 1;
}

static void visit(void *arg, const char *path, const struct json_value *v)
{
    struct parse *p = arg;
    struct libxl_config *c = p->c;

    if (!path[0] && v->kind != JSON_OBJECT)
        snprintf(p->bad, sizeof(p->bad), "not a JSON object");
    else if (!strcmp(path, "c_info/type"))
        text(p, path, v, c->type, sizeof(c->type));
    else if (!strcmp(path, "c_info/name"))
        text(p, path, v, c->name, sizeof(c->name));
    else if (!strcmp(path, "c_info/passthrough"))
        text(p, path, v, c->passthrough, sizeof(c->passthrough));
    else if (!strcmp(path, "b_info/max_memkb"))
        number(p, path, v, &c->max_memkb, &c->has_max_memkb);
    else if (!strcmp(path, "b_info/video_memkb"))
        number(p, path, v, &c->video_memkb, &c->has_video_memkb);
    else if (!strcmp(path, "b_info/type.hvm/mmio_hole_memkb"))
        number(p, path, v, &c->mmio_hole_memkb, NULL);
    else if (!strcmp(path, "b_info/type.hvm/vga/kind"))
        text(p, path, v, c->vga_kind, sizeof(c->vga_kind));
    else if (!strcmp(path, "b_info/device_model_version"))
        text(p, path, v, c->dm_version, sizeof(c->dm_version));
    element(path, "pcidevs", &c->pcidevs);
    element(path, "dtdevs", &c->dtdevs);
    element(path, "b_info/iomem", &c->iomem);
    element(path, "b_info/ioports", &c->ioports);
}

int libxl_config_parse(const char *doc, size_t len, struct libxl_config *c,
                       char *err, size_t errlen)
{
    struct parse p = {.c = c};

    memset(c, 0, sizeof(*c));
    /* libxl stores the JSON with its terminating NUL (libxl_domain.c,
     * libxl__set_domain_configuration(): "include '\0'"). */
    while (len && !doc[len - 1])
        len--;
    if (json_walk(doc, len, visit, &p, err, errlen))
        return -1;
    if (p.bad[0]) {
        snprintf(err, errlen, "%s", p.bad);
        return -1;
    }
    return 0;
}

/* "N thing" or "N things". */
static int count_of(char *buf, size_t size, unsigned int n, const char *what)
{
    return snprintf(buf, size, "%u %s%s", n, what, n == 1 ? "" : "s");
}

static void honour(struct audit_facts *fx, const struct libxl_config *c)
{
    const struct {
        unsigned int n;
        const char *key, *unit;
    } io[] = {
        {c->pcidevs, "pcidevs", "device"},
        {c->iomem, "iomem", "range"},
        {c->ioports, "ioports", "range"},
        {c->dtdevs, "dtdevs", "device"},
    };
    bool pt = c->passthrough[0] && strcmp(c->passthrough, "disabled") &&
              strcmp(c->passthrough, "default");
    size_t used = 0, size = sizeof(fx->honour_why);
    char n[32];

    for (unsigned int i = 0; i < 4; i++)
        if (io[i].n) {
            count_of(n, sizeof(n), io[i].n, io[i].unit);
            used += snprintf(fx->honour_why + used, size - used, "%s%s (%s)",
                             used ? ", " : "", io[i].key, n);
        }
    if (pt && used < size)
        used +=
            snprintf(fx->honour_why + used, size - used, "%spassthrough \"%s\"",
                     used ? ", " : "", c->passthrough);
    fx->honour = used ? HONOUR_YES : HONOUR_NO;
    if (!used)
        snprintf(fx->honour_why, size, "no pcidevs, iomem or ioports%s",
                 c->passthrough[0] ? ", and passthrough disabled" : "");
}

/* RAM after the video memory, in bytes; 0 with @why set when unknown. */
static uint64_t ram_bytes(const struct libxl_config *c, char *why, size_t size,
                          uint64_t *video)
{
    const char *kind = c->vga_kind[0] ? c->vga_kind : "cirrus";
    bool hvm = !strcmp(c->type, "hvm");

    if (!c->has_max_memkb || c->max_memkb >= MAX_MEMKB_SANE) {
        snprintf(why, size, "it has no usable b_info/max_memkb");
        return 0;
    }
    if (c->has_video_memkb)
        *video = c->video_memkb;
    else if (!hvm || !strcmp(kind, "none"))
        *video = 0;
    else if (!strcmp(kind, "std"))
        *video = 16 << 10;
    else if (!strcmp(kind, "qxl"))
        *video = 128 << 10;
    else /* cirrus */
        *video =
            strcmp(c->dm_version, "qemu_xen_traditional") ? 8 << 10 : 4 << 10;
    if (*video >= c->max_memkb) {
        snprintf(why, size,
                 "its video_memkb %" PRIu64 " is not below its "
                 "max_memkb %" PRIu64,
                 *video, c->max_memkb);
        return 0;
    }
    return (c->max_memkb - *video) << 10;
}

static void add_area(struct audit_area *a, unsigned int *n, uint64_t start,
                     uint64_t end, const char *what)
{
    if (start < end)
        a[(*n)++] = (struct audit_area){start, end, what};
}

/*
 * libxl__build_hvm(): RAM is max_memkb less video_memkb, from 0 up to the
 * MMIO hole below 4 GiB and the rest from 4 GiB; an HVM guest's hole is
 * mmio_hole_memkb when that exceeds the default 256 MiB, and the legacy
 * VGA hole is left out of RAM; a PVH guest's hole is the 64 MiB from
 * 0xfc000000 (local APIC, ACPI tables, special pages).
 */
static void layout(struct audit_facts *fx, const struct libxl_config *c)
{
    bool hvm = !strcmp(c->type, "hvm");
    uint64_t mem, video = 0, mmio_start, low_end;
    char why[160], hole[32], ram[32];

    if (!hvm && strcmp(c->type, "pvh")) {
        snprintf(fx->layout_why, sizeof(fx->layout_why), "%s %s", fx->source,
                 c->type[0] ? "is of a PV domain"
                            : "does not say the domain's type");
        return;
    }
    mem = ram_bytes(c, why, sizeof(why), &video);
    if (!mem) {
        snprintf(fx->layout_why, sizeof(fx->layout_why), "%s: %s", fx->source,
                 why);
        return;
    }
    mmio_start = hvm ? GIB4 - HVM_MMIO_DEFAULT : PVH_MMIO_START;
    if (hvm && c->mmio_hole_memkb) {
        /* xl refuses a hole past HVM_BELOW_4G_MMIO_START (3840 MiB,
         * xl_parse.c); a larger one would reach into the VGA hole. */
        if (c->mmio_hole_memkb > HVM_MMIO_START >> 10) {
            snprintf(fx->layout_why, sizeof(fx->layout_why),
                     "%s: its mmio_hole_memkb %" PRIu64 " is above %" PRIu64
                     " (3840 MiB, the largest hole xl accepts)",
                     fx->source, c->mmio_hole_memkb, HVM_MMIO_START >> 10);
            return;
        }
        if (GIB4 - (c->mmio_hole_memkb << 10) < HVM_MMIO_START)
            mmio_start = GIB4 - (c->mmio_hole_memkb << 10);
    }
    low_end = mem < mmio_start ? mem : mmio_start;
    if (hvm) {
        add_area(fx->ram, &fx->nr_ram, 0,
                 low_end < VGA_HOLE_START ? low_end : VGA_HOLE_START, "RAM");
        add_area(fx->ram, &fx->nr_ram, VGA_HOLE_END, low_end, "RAM");
        add_area(fx->mmio, &fx->nr_mmio, VGA_HOLE_START, VGA_HOLE_END,
                 "The legacy VGA hole");
        add_area(fx->mmio, &fx->nr_mmio, mmio_start, PCI_MEM_END,
                 "The PCI hole");
    } else {
        add_area(fx->ram, &fx->nr_ram, 0, low_end, "RAM");
    }
    if (mem > mmio_start)
        add_area(fx->ram, &fx->nr_ram, GIB4, GIB4 + (mem - mmio_start), "RAM");
    fx->layout_known = true;
    snprintf(fx->layout_why, sizeof(fx->layout_why),
             "%s gives %s of RAM (max_memkb %" PRIu64 " less video_memkb "
             "%" PRIu64 "%s), laid out by libxl around %s %s MMIO hole below "
             "4 GiB%s",
             fx->source, audit_size(mem, ram, sizeof(ram)), c->max_memkb, video,
             c->has_video_memkb ? "" : ", libxl's default",
             hvm && c->mmio_hole_memkb ? "its" : "the default",
             audit_size(GIB4 - mmio_start, hole, sizeof(hole)),
             hvm ? "; hvmloader places PCI BARs below 0xfc000000" : "");
}

void audit_facts_from_config(struct audit_facts *fx,
                             const struct libxl_config *c, const char *label,
                             const char *path)
{
    memset(fx, 0, sizeof(*fx));
    snprintf(fx->source, sizeof(fx->source), "%s %s", label, path);
    snprintf(fx->source_file, sizeof(fx->source_file), "%s", path);
    honour(fx, c);
    layout(fx, c);
}

void audit_facts_none(struct audit_facts *fx, const char *why)
{
    memset(fx, 0, sizeof(*fx));
    fx->honour = HONOUR_UNKNOWN;
    snprintf(fx->source, sizeof(fx->source), "%s", why);
    snprintf(fx->layout_why, sizeof(fx->layout_why), "%s", why);
}

void libxl_userdata_path(char *buf, size_t size, const char *dir,
                         uint32_t domid, const uint8_t u[16])
{
    /* LIBXL_UUID_FMT */
    snprintf(buf, size,
             "%s/userdata-d.%u.%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
             "%02x%02x%02x%02x%02x%02x.libxl-json",
             dir, domid, u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8],
             u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
}

void audit_facts_load(struct audit_facts *fx, struct libxl_config *c,
                      const char *path)
{
    unsigned char *doc;
    size_t len;
    char why[AUDIT_TEXT_MAX], err[160];

    memset(c, 0, sizeof(*c));
    if (read_whole_file(path, CONFIG_MAX, &doc, &len, err, sizeof(err))) {
        snprintf(why, sizeof(why),
                 "libxl's saved configuration %s could not be read (%s)", path,
                 err);
        audit_facts_none(fx, why);
        return;
    }
    if (libxl_config_parse((const char *)doc, len, c, err, sizeof(err))) {
        snprintf(why, sizeof(why),
                 "%s is not a libxl domain configuration (%s)", path, err);
        memset(c, 0, sizeof(*c));
        audit_facts_none(fx, why);
    } else {
        audit_facts_from_config(fx, c, LIBXL_SAVED, path);
    }
    free(doc);
}
