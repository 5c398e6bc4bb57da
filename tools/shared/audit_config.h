/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libxl's saved domain configuration, the JSON that xl create stores in
 * /var/lib/xen/userdata-d.<domid>.<uuid>.libxl-json (libxl__userdata_path()
 * in tools/libs/light/libxl_dom.c, userdata id "libxl-json"): the members
 * the audit needs, and the facts they give: whether Xen honours the guest's
 * MTRR types and the guest's memory layout (libxl__build_hvm()).
 */
#ifndef XCX_CLI_AUDIT_CONFIG_H
#define XCX_CLI_AUDIT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"

/* The largest configuration read: far above any libxl writes. */
#define CONFIG_MAX (4u << 20)

/* Where libxl keeps userdata (XEN_LIB_DIR of Debian's build). */
#define LIBXL_USERDATA_DIR "/var/lib/xen"

/* What the audit reads of a configuration. Absent members are "" or 0. */
struct libxl_config {
    char type[8]; /* c_info/type: "hvm", "pvh", "pv" */
    char name[128];
    char passthrough[16]; /* c_info/passthrough */
    bool has_max_memkb, has_video_memkb;
    uint64_t max_memkb, video_memkb;
    uint64_t mmio_hole_memkb; /* b_info/type.hvm/mmio_hole_memkb */
    char vga_kind[16];        /* b_info/type.hvm/vga/kind */
    char dm_version[32];      /* b_info/device_model_version */
    unsigned int pcidevs, dtdevs, iomem, ioports; /* array lengths */
};

/*
 * Parse a configuration document (NUL bytes at its end, as libxl stores
 * it, are ignored). Returns 0, or -1 with what is wrong in
 * @err: not JSON, not an object, or a member the audit reads holding the
 * wrong kind of value (e.g. "b_info/max_memkb is not a whole number").
 */
int libxl_config_parse(const char *doc, size_t len, struct libxl_config *c,
                       char *err, size_t errlen);

/* How the facts name a configuration libxl saved, and one given. */
#define LIBXL_SAVED "libxl's saved configuration"
#define LIBXL_GIVEN "the libxl configuration"

/* The facts a parsed configuration, read from @path, gives; @label is
 * LIBXL_SAVED or LIBXL_GIVEN. */
void audit_facts_from_config(struct audit_facts *fx,
                             const struct libxl_config *c, const char *label,
                             const char *path);

/* Facts when there is no configuration: @why says why, e.g. "libxl's
 * saved configuration X could not be read (No such file or directory)". */
void audit_facts_none(struct audit_facts *fx, const char *why);

/* The path of @domid's saved configuration under @dir. */
void libxl_userdata_path(char *buf, size_t size, const char *dir,
                         uint32_t domid, const uint8_t uuid[16]);

/*
 * Read @path and set @fx from it, or say in @fx why it cannot be had;
 * *@c gets the configuration (zeroed when it could not be read). The
 * caller sets fx->offline and fx->paused afterwards.
 */
void audit_facts_load(struct audit_facts *fx, struct libxl_config *c,
                      const char *path);

#endif
