/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* DOMID operands: ids or names, as xl takes them, and naming them. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* The live domain this run works on, for domain_json(). */
static const struct domain_ref *resolved;

static bool all_digits(const char *s)
{
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

void domain_operand(const char *arg, struct domain_ref *d)
{
    memset(d, 0, sizeof(*d));
    d->arg = arg;
    if (!*arg)
        usage_error("empty DOMID (a domain id or name)");
    d->by_name = !all_digits(arg);
    if (!d->by_name)
        d->domid = domid_argument(arg);
}

int domain_resolve(xcx_handle *h, struct domain_ref *d)
{
    char *name = malloc(XCX_DOMAIN_NAME_MAX);

    if (!name)
        return -1;
    if (xcx_domain_qualifier(h, d->arg, &d->domid)) {
        free(name);
        return -1;
    }
    /* A domain without a name (ENOENT) is shown by its id alone. */
    if (xcx_domain_name(h, d->domid, name, XCX_DOMAIN_NAME_MAX)) {
        free(name);
        name = NULL;
    }
    free(d->name);
    d->name = name;
    resolved = d;
    return 0;
}

void domain_ref_free(struct domain_ref *d)
{
    if (resolved == d)
        resolved = NULL;
    free(d->name);
    d->name = NULL;
}

void domain_json(FILE *out)
{
    if (!resolved)
        return;
    fprintf(out, ",\"domid\":%u", resolved->domid);
    if (resolved->name)
        json_string_member(out, "name", resolved->name);
    else
        fprintf(out, ",\"name\":null");
}

void domain_text_prefix(FILE *out)
{
    char label[XCX_DOMAIN_NAME_MAX + 32];

    if (resolved)
        fprintf(out, "%s ", domain_label(resolved, label, sizeof(label)));
}

const char *domain_current_label(char *buf, size_t size)
{
    return resolved ? domain_label(resolved, buf, size) : NULL;
}

const char *domain_label(const struct domain_ref *d, char *buf, size_t size)
{
    if (d->name)
        snprintf(buf, size, "domain %u (%s)", d->domid, d->name);
    else
        snprintf(buf, size, "domain %u", d->domid);
    return buf;
}
