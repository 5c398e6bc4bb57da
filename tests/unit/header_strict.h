/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef HEADER_STRICT_H
#define HEADER_STRICT_H
#include <stddef.h>
/* sizeof(struct xcx_mtrr_regs) as the strict translation unit sees it. */
size_t header_strict_regs_size(void);
#endif
