/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Printing effective-type answers (xc-mtrr-type --effective). */
#ifndef XCX_CLI_EFFECTIVE_OUT_H
#define XCX_CLI_EFFECTIVE_OUT_H

#include "xenctrl_ext.h"

/* One answer: a line "vcpu N gpa 0x...: effective T ..." and its basis,
 * or one JSON object. @pat_src names where the PAT index came from. */
void eff_print_text(unsigned int vcpu, uint64_t gpa,
                    const struct xcx_eff_inputs *in,
                    const struct xcx_effective *e, const char *pat_src);
void eff_print_json(unsigned int vcpu, uint64_t gpa,
                    const struct xcx_eff_inputs *in,
                    const struct xcx_effective *e, const char *pat_src);

#endif
