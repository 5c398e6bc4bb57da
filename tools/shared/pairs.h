/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sets of variable MTRR pairs as the tools show them: index lists. */
#ifndef XCX_CLI_PAIRS_H
#define XCX_CLI_PAIRS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xenctrl_ext.h"

/* "0-3,5" for a set of pair indices; @buf of at least 32 bytes. */
const char *pair_list(uint32_t pairs, char *buf, size_t len);

#endif
