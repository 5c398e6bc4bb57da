/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the xc-* tools share: their name, exit codes, usage errors and the
 * standard options here; numbers, files, sources of state, variable pairs
 * and JSON pieces through the headers below, so one include does.
 */
#ifndef XCX_CLI_COMMON_H
#define XCX_CLI_COMMON_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "domain_arg.h"
#include "files.h"
#include "json_out.h"
#include "numbers.h"
#include "pairs.h"
#include "source.h"
#include "xenctrl_ext.h"

/*
 * The one rule for numbers in every tool's text and JSON: a register's
 * value (an MSR, a page-table entry) is "0x" and 16 lowercase hex digits,
 * REG; addresses, sizes, frame and MSR numbers are "0x" and the fewest
 * hex digits. JSON holds both as strings.
 */
#define REG "0x%016" PRIx64

/* Stable exit codes, documented in the man pages. */
enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2 };

extern const char *prog;

/* Flush stdout; a write error turns @rc into EXIT_ERROR with a message. */
int finish_output(int rc);
/* Usage error: message, hint, exit 2. */
void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* -j, -h and -V of every tool: true when @opt is one of them. -h calls
 * @help and -V prints the version, then both exit. */
bool standard_option(int opt, bool *json, void (*help)(void));
/* A vCPU number (0..65535) or domain id (0..0x7fef) argument; a usage
 * error naming it otherwise. DOMID operands go through domain_operand(). */
unsigned int vcpu_argument(const char *arg);
uint32_t domid_argument(const char *arg);

#endif
