/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xenctrl_ext/domain.h: handles, domain facts and domain lists of a live
 * host.
 *
 * Part of <xenctrl_ext.h>, which states the conventions of the whole API;
 * include that. Sections marked (pure) are in libxenctrl_ext_pure, the
 * others in libxenctrl_ext.
 */
#ifndef XENCTRL_EXT_DOMAIN_H
#define XENCTRL_EXT_DOMAIN_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Handles and domain facts (libxenctrl_ext)                                 */
/* ------------------------------------------------------------------------ */

/**
 * xcx_open: open libxenctrl for this library. @lg receives the library's
 * messages (NULL: none); @flags must be 0.
 *
 * Errors: EINVAL for unknown flags; whatever xc_interface_open() sets.
 *
 * Since: 1.0
 */
xcx_handle *xcx_open(xentoollog_logger *lg, unsigned int flags);

/**
 * xcx_close: close a handle; NULL is allowed.
 *
 * Since: 1.0
 */
int xcx_close(xcx_handle *h);

/* What the library needs to know of a domain. */
struct xcx_domain_info {
    uint32_t domid;
    unsigned int nr_vcpus; /* max_vcpu_id + 1 */
    bool hvm;              /* HVM or PVH: has MTRR records */
    bool dying;
};

/**
 * xcx_domain_info: facts of one domain, from xc_domain_getinfolist().
 *
 * Errors: ESRCH when there is no domain @domid; Xen's errno otherwise.
 *
 * Since: 1.0
 */
int xcx_domain_info(xcx_handle *h, uint32_t domid,
                    struct xcx_domain_info *info);

/**
 * xcx_domain_maxphysaddr: the guest's physical-address width, CPUID leaf
 * 0x80000008 EAX[7:0] of its CPU policy (36 when the policy has no such
 * leaf). Not the host's HAP width.
 *
 * Errors: ESRCH; EINVAL when the policy reports a width outside [32, 52];
 * Xen's errno otherwise.
 *
 * Since: 1.0
 */
int xcx_domain_maxphysaddr(xcx_handle *h, uint32_t domid, unsigned int *bits);

/**
 * xcx_domain_has_run: whether any vCPU of @domid has ever run, from the
 * running time Xen keeps per vCPU (xc_vcpu_getinfo()'s cpu_time): Xen
 * creates vCPUs offline and counts running time only while one is
 * scheduled, so a domain created paused (xl create -p) and never unpaused
 * has 0 on every vCPU. The answer holds as long as the domain stays
 * paused; the toolstack's paused flag alone cannot tell (a guest paused
 * after running has it too).
 *
 * Errors: EINVAL for a NULL argument; ESRCH; EOPNOTSUPP when the handle
 * cannot tell; Xen's errno otherwise.
 *
 * Since: 1.4
 */
int xcx_domain_has_run(xcx_handle *h, uint32_t domid, bool *has_run);

/* ------------------------------------------------------------------------ */
/* Domain lists (libxenctrl_ext)                                            */
/* ------------------------------------------------------------------------ */

/* One domain of a list: its facts, and what the toolstack knows it by. */
struct xcx_domain_entry {
    struct xcx_domain_info info;
    uint8_t handle[16]; /* the toolstack's UUID of the domain (xl's) */
    bool paused;        /* paused by the toolstack (xl pause, xl create -p) */
    bool shutdown;      /* shut down, not yet destroyed */
};

/**
 * xcx_domain_list: every domain on the host, in ascending domid order,
 * read with xc_domain_getinfolist() in chunks. On success *@list is a
 * malloc()ed array of *@nr entries (NULL when there is none) that the
 * caller frees with free(). A domain created or destroyed meanwhile may or
 * may not be listed; dying domains are listed with info.dying set.
 *
 * Errors: EINVAL for a NULL argument; EIO when Xen's answers are not in
 * ascending domid order; ENOMEM; Xen's errno otherwise.
 *
 * Since: 1.3
 */
int xcx_domain_list(xcx_handle *h, struct xcx_domain_entry **list,
                    unsigned int *nr);

/* ------------------------------------------------------------------------ */
/* Xen versions (parse: pure; xcx_xen_version: libxenctrl_ext)              */
/* ------------------------------------------------------------------------ */

/* A Xen version as `xl info` prints it (xen_version): "4.20.5-pre" is 4, 20,
 * 5, "-pre". */
struct xcx_xen_version {
    unsigned int major, minor, micro; /* micro 0 when the text has none */
    char extra[32]; /* what follows the numbers ("-pre", "-rc3", ""): at
                     * most 31 printable characters, first '-', '+' or '~' */
    char text[48];  /* the whole version, NUL-terminated */
};

/**
 * xcx_xen_version_parse: read @text, "MAJOR.MINOR[.MICRO][EXTRA]" as
 * `xl info` prints xen_version ("4.17.6", "4.20.5-pre", "4.23-unstable"),
 * into *@v. Numbers are decimal without leading '+' or '-', at most 65535;
 * EXTRA starts with '-', '+' or '~' and holds no space. No Xen call.
 *
 * Errors: EINVAL for a NULL argument or a text that is not such a version
 * (the log says why).
 *
 * Since: 1.4
 */
int xcx_xen_version_parse(const char *text, struct xcx_xen_version *v,
                          xentoollog_logger *lg);

/**
 * xcx_xen_version: the version of the Xen this handle runs on, as `xl info`
 * reports it: XENVER_version's major and minor and XENVER_extraversion's
 * text, parsed with xcx_xen_version_parse().
 *
 * Errors: EINVAL for a NULL argument or an unreadable answer; EOPNOTSUPP
 * when the back end cannot ask; Xen's errno otherwise.
 *
 * Since: 1.4
 */
int xcx_xen_version(xcx_handle *h, struct xcx_xen_version *v);

/* ------------------------------------------------------------------------ */
/* Domain names (libxenctrl_ext)                                            */
/* ------------------------------------------------------------------------ */

/* Room for a domain name and its NUL: xenstore values are at most 4 KiB. */
#define XCX_DOMAIN_NAME_MAX 4096

/**
 * xcx_domain_name: the name the toolstack gave domain @domid (xenstore's
 * /local/domain/<domid>/name, as libxl_domid_to_name() reads it),
 * NUL-terminated into @buf of @size bytes.
 *
 * Errors: EINVAL for a NULL argument or @size 0; ESRCH when there is no
 * domain @domid; ENOENT when the domain has no name (the only error not
 * logged: a domain may have none); ERANGE when the name
 * does not fit in @size bytes; EILSEQ for a name with a NUL byte;
 * xenstore's errno otherwise (e.g. when xenstored cannot be reached).
 *
 * Since: 1.4
 */
int xcx_domain_name(xcx_handle *h, uint32_t domid, char *buf, size_t size);

/**
 * xcx_domain_by_name: the domid of the domain named @name, found as
 * libxl_name_to_domid() finds it: the lowest domid whose name is @name.
 *
 * Errors: EINVAL for a NULL or empty @name; ESRCH when no domain has that
 * name (the message names it); those of xcx_domain_list() and
 * xcx_domain_name() (a domain without a name is passed over).
 *
 * Since: 1.4
 */
int xcx_domain_by_name(xcx_handle *h, const char *name, uint32_t *domid);

/**
 * xcx_domain_qualifier: a domain as xl takes it on its command line: an
 * argument of digits only is a domid (0..0x7fef), anything else a name
 * looked up with xcx_domain_by_name(). The domain must exist.
 *
 * Errors: EINVAL for a NULL or empty @qualifier or a domid above 0x7fef;
 * ESRCH when there is no such domain; those of xcx_domain_by_name().
 *
 * Since: 1.4
 */
int xcx_domain_qualifier(xcx_handle *h, const char *qualifier, uint32_t *domid);

#ifdef __cplusplus
}
#endif

#endif /* XENCTRL_EXT_DOMAIN_H */
