/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Compiled alone with -std=c11 -pedantic-errors: the installed header needs
 * neither __XEN_TOOLS__ nor GNU C, and pulls in no unstable Xen interface.
 */
#include <xenctrl_ext.h>

#ifdef __XEN_TOOLS__
#error "xenctrl_ext.h must not need or define __XEN_TOOLS__"
#endif
#ifdef __XEN_PUBLIC_DOMCTL_H__
#error "xenctrl_ext.h must not pull in Xen's unstable domctl interface"
#endif

#include "header_strict.h"

size_t header_strict_regs_size(void)
{
    return sizeof(struct xcx_mtrr_regs);
}
