/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef XCX_CLI_SHOW_H
#define XCX_CLI_SHOW_H

#include "xenctrl_ext.h"

/*
 * Print vCPU @vcpu's decoded registers and coalesced type map, plain or
 * (*(bool *)@json_flag) as JSON Lines; a vcpu_fn for run_per_vcpu().
 */
int show_vcpu(unsigned int vcpu, const struct xcx_mtrr_state *st,
              void *json_flag, xentoollog_logger *lg);

#endif
