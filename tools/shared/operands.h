/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Operands that look like options: getopt reads a negative number such as
 * "-1" given as a GPA, VA or DOMID as the unknown option '1'. The tools
 * look for such operands before getopt does and name them for what they
 * are: "invalid GPA '-1'".
 */
#ifndef XCX_CLI_OPERANDS_H
#define XCX_CLI_OPERANDS_H

#include <getopt.h>

/* The names of a tool's operands, in order, the last one repeating;
 * @offline when an option whose value is 'c' (--context, --core) is
 * given, which takes the DOMID's place. An empty list: no operands. */
struct operand_names {
    const char *const *online;
    const char *const *offline;
};

/*
 * Before getopt_long(argc, argv, @shortopts, @longopts): the first operand
 * that starts with '-' and a digit (not an option's argument, nor after
 * "--") is a usage error, "invalid NAME '-1'" (or "unexpected operand").
 */
void refuse_negative_operands(int argc, char *const argv[],
                              const char *shortopts,
                              const struct option *longopts,
                              const struct operand_names *names);

#endif
