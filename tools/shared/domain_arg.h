/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A DOMID operand as xl takes it: all digits is a domain id, anything else
 * a domain name, looked up when the tool opens Xen. Once resolved, the
 * tool's output names the domain beside its id.
 */
#ifndef XCX_CLI_DOMAIN_ARG_H
#define XCX_CLI_DOMAIN_ARG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "xenctrl_ext.h"

struct domain_ref {
    const char *arg; /* the operand as given */
    bool by_name;    /* not all digits: a name */
    uint32_t domid;  /* valid once resolved (at once for an id) */
    char *name;      /* the domain's name once resolved, or NULL */
};

/* Take operand @arg: an id (0..0x7fef, a usage error otherwise) or a name. */
void domain_operand(const char *arg, struct domain_ref *d);
/* Find the domain: 0, or -1 after the library's message (exit 1). It also
 * becomes the domain that domain_json() and domain_label() name. */
int domain_resolve(xcx_handle *h, struct domain_ref *d);
void domain_ref_free(struct domain_ref *d);

/* ,"domid":N,"name":"..." of the resolved live domain; nothing offline. */
void domain_json(FILE *out);
/* "domain N (NAME) " of the resolved live domain before a text line;
 * nothing offline. */
void domain_text_prefix(FILE *out);
/* The resolved live domain's label into @buf; NULL offline. */
const char *domain_current_label(char *buf, size_t size);
/* "domain N (NAME)", "domain N" without a name, into @buf. */
const char *domain_label(const struct domain_ref *d, char *buf, size_t size);

#endif
