/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain names, as the toolstack keeps them: xenstore's
 * /local/domain/<domid>/name, the node libxl_domid_to_name() reads. The
 * only code that calls libxenstore; the connection is opened on the first
 * name asked and closed with the handle.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>

#include "xen_backend.h"

static struct xs_handle *xs_of(struct xen_priv *x)
{
    if (!x->xs)
        x->xs = xs_open(XS_OPEN_READONLY);
    return x->xs;
}

int xen_domain_name(void *priv, uint32_t domid, char *buf, size_t size)
{
    struct xs_handle *xs = xs_of(priv);
    char path[40];
    unsigned int len;
    char *name;

    if (!xs)
        return -1;
    snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
    name = xs_read(xs, XBT_NULL, path, &len);
    if (!name)
        return -1; /* ENOENT when the node is absent */
    if (len >= size || memchr(name, '\0', len)) {
        free(name);
        errno = len >= size ? ERANGE : EILSEQ;
        return -1;
    }
    memcpy(buf, name, len);
    buf[len] = '\0';
    free(name);
    return 0;
}

void xen_names_close(struct xen_priv *x)
{
    xs_close(x->xs); /* NULL is allowed */
    x->xs = NULL;
}
