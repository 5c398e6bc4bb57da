/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The version of the Xen a handle runs on, composed as xl composes
 * xen_version (XENVER_version's major and minor, XENVER_extraversion) and
 * parsed with xcx_xen_version_parse().
 */
#include <errno.h>
#include <stdio.h>

#include "backend.h"
#include "private.h"

/* XENVER_extraversion is a xen_extraversion_t: 16 characters. */
#define EXTRA_LEN 16

XCX_EXPORT int xcx_xen_version(xcx_handle *h, struct xcx_xen_version *v)
{
    char extra[EXTRA_LEN + 1] = "", text[sizeof(v->text) + EXTRA_LEN];
    uint32_t ver;

    if (!h || !v)
        return xcx_fail(h ? h->lg : NULL, EINVAL,
                        "xcx_xen_version: NULL argument");
    if (!h->ops->xen_version)
        return xcx_fail(h->lg, EOPNOTSUPP,
                        "this back end cannot tell the Xen version");
    if (h->ops->xen_version(h->priv, &ver, extra, sizeof(extra))) {
        xcx_log(h->lg, XTL_ERROR, errno, "asking Xen for its version");
        return -1;
    }
    extra[EXTRA_LEN] = '\0';
    snprintf(text, sizeof(text), "%u.%u%s", ver >> 16, ver & 0xffffu, extra);
    return xcx_xen_version_parse(text, v, h->lg);
}
