/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where the MTRR state comes from: the shared options and operands that
 * say it, and loading it from a saved context (maybe replayed) or a live
 * domain.
 */
#ifndef XCX_CLI_SOURCE_H
#define XCX_CLI_SOURCE_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain_arg.h"
#include "xenctrl_ext.h"

/* Where the MTRR state comes from, as the options and operands say. */
struct source {
    const char *context;      /* --context FILE, or NULL for a live domain */
    struct domain_ref domain; /* the DOMID operand, id or name */
    unsigned int vcpu;        /* --vcpu */
    bool all_vcpus;           /* --all-vcpus */
    unsigned int maxphysaddr; /* --maxphysaddr, 0: from policy or record */
    const char *replay;       /* --replay LOG, with --context only */
    bool replay_partial;      /* --replay-partial: log began after boot */
    bool offline_ok;          /* the tool also takes --context FILE */
};

/* The states of the vCPUs asked for. */
struct states {
    struct xcx_mtrr_state *state;
    unsigned int first_vcpu;
    unsigned int count;
};

/* The options every tool takes, for getopt_long(). (clang-format 14 and 19
 * lay out braces in macros differently: kept as written.) */
#define COMMON_SHORT_OPTIONS "c:v:aw:r:jhV"
// clang-format off
#define COMMON_LONG_OPTIONS                                                    \
    {"context", required_argument, NULL, 'c'},                                 \
    {"vcpu", required_argument, NULL, 'v'},                                    \
    {"all-vcpus", no_argument, NULL, 'a'},                                     \
    {"maxphysaddr", required_argument, NULL, 'w'},                             \
    {"replay", required_argument, NULL, 'r'},                                  \
    {"replay-partial", no_argument, NULL, 'P'},                                \
    {"json", no_argument, NULL, 'j'},                                          \
    {"help", no_argument, NULL, 'h'},                                          \
    {"version", no_argument, NULL, 'V'}
// clang-format on

/* Parse the shared options (-c -v -a -w -r -P -j -h -V); false for others.
 * -h calls @help and -V prints the version, then both exit. */
bool common_option(struct source *src, bool *json, void (*help)(void), int opt,
                   const char *arg);
/* Usage errors for --replay or --replay-partial without what they need. */
void replay_option_checks(const struct source *src);
/* Take DOMID from argv unless --context was given; returns next index. */
int source_operands(struct source *src, int argc, char **argv, int optind);

/* Load the states asked for; logs through @lg and returns -1 on error. */
int load_states(const struct source *src, xentoollog_logger *lg,
                struct states *out);
void free_states(struct states *st);

/* One vCPU's work, and an optional check of all states before any. */
typedef int (*vcpu_fn)(unsigned int vcpu, const struct xcx_mtrr_state *st,
                       void *arg, xentoollog_logger *lg);
typedef int (*states_fn)(const struct states *states, void *arg);
/* Load the states @src asks for and run @fn on each: the exit code. */
int run_per_vcpu(const struct source *src, states_fn check, vcpu_fn fn,
                 void *arg);

#endif
