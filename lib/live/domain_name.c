/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domains by name, as xl names them: the back end reads the toolstack's
 * name of a domid; a name is found by asking each listed domain's, in
 * ascending domid order (libxl_name_to_domid() does the same).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "private.h"

#define DOMID_MAX 0x7fefu /* DOMID_FIRST_RESERVED - 1 */

XCX_EXPORT int xcx_domain_name(xcx_handle *h, uint32_t domid, char *buf,
                               size_t size)
{
    struct xcx_domain_info info;

    if (!h || !buf || !size)
        return xcx_fail(h ? h->lg : NULL, EINVAL,
                        "xcx_domain_name: NULL argument or size 0");
    if (!h->ops->domain_name)
        return xcx_fail(h->lg, EOPNOTSUPP,
                        "this back end cannot read domain names");
    if (!h->ops->domain_name(h->priv, domid, buf, size))
        return 0;
    if (errno == ENOENT) {
        /* No name: an answer, not logged, unless the domain is gone. */
        if (h->ops->domain_info(h->priv, domid, &info) && errno == ESRCH)
            return xcx_fail(h->lg, ESRCH, "no domain %u", domid);
        errno = ENOENT;
        return -1;
    }
    xcx_log(h->lg, XTL_ERROR, errno, "reading the name of domain %u", domid);
    return -1;
}

/* The name of one listed domain: 1 it is @name, 0 not (or none), -1. */
static int has_name(xcx_handle *h, uint32_t domid, const char *name, char *buf)
{
    if (!h->ops->domain_name(h->priv, domid, buf, XCX_DOMAIN_NAME_MAX))
        return strcmp(buf, name) == 0;
    /* Gone meanwhile, nameless, or a name that cannot be @name. */
    if (errno == ENOENT || errno == ESRCH || errno == ERANGE || errno == EILSEQ)
        return 0;
    xcx_log(h->lg, XTL_ERROR, errno, "reading the name of domain %u", domid);
    return -1;
}

XCX_EXPORT int xcx_domain_by_name(xcx_handle *h, const char *name,
                                  uint32_t *domid)
{
    struct xcx_domain_entry *list;
    unsigned int nr;
    char *buf;
    int rc = 0;

    if (!h || !name || !*name || !domid)
        return xcx_fail(h ? h->lg : NULL, EINVAL,
                        "xcx_domain_by_name: NULL or empty argument");
    if (!h->ops->domain_name)
        return xcx_fail(h->lg, EOPNOTSUPP,
                        "this back end cannot read domain names");
    buf = malloc(XCX_DOMAIN_NAME_MAX);
    if (!buf || xcx_domain_list(h, &list, &nr)) {
        free(buf);
        return -1;
    }
    for (unsigned int i = 0; i < nr && !rc; i++) {
        rc = has_name(h, list[i].info.domid, name, buf);
        if (rc == 1)
            *domid = list[i].info.domid;
    }
    free(list);
    free(buf);
    if (rc == 0)
        return xcx_fail(h->lg, ESRCH, "no domain named '%s'", name);
    return rc == 1 ? 0 : -1;
}

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

XCX_EXPORT int xcx_domain_qualifier(xcx_handle *h, const char *qualifier,
                                    uint32_t *domid)
{
    struct xcx_domain_info info;
    unsigned long v;

    if (!h || !qualifier || !*qualifier || !domid)
        return xcx_fail(h ? h->lg : NULL, EINVAL,
                        "xcx_domain_qualifier: NULL or empty argument");
    if (!all_digits(qualifier))
        return xcx_domain_by_name(h, qualifier, domid);
    errno = 0;
    v = strtoul(qualifier, NULL, 10);
    if (errno || v > DOMID_MAX)
        return xcx_fail(h->lg, EINVAL, "domain id '%s' out of range (0..%u)",
                        qualifier, DOMID_MAX);
    if (xcx_domain_info(h, v, &info))
        return -1;
    *domid = v;
    return 0;
}
