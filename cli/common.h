/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the xc-mtrr-* tools share: numbers, sources of state, JSON. */
#ifndef XCX_CLI_COMMON_H
#define XCX_CLI_COMMON_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "xenctrl_ext.h"

/* Stable exit codes, documented in the man pages. */
enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2 };

/* Where the MTRR state comes from, as the options and operands say. */
struct source {
    const char *context; /* --context FILE, or NULL for a live domain */
    uint32_t domid;
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

extern const char *prog;

/* Parse a whole number: decimal or 0x-hex, no sign, no garbage, no wrap. */
bool parse_u64(const char *s, uint64_t *out);
/* As parse_u64, within [min, max]. */
bool parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* As parse_u64 with an optional K, M or G suffix (binary). */
bool parse_size(const char *s, uint64_t *out);

/* Flush stdout; a write error turns @rc into EXIT_ERROR with a message. */
int finish_output(int rc);
/* Usage error: message, hint, exit 2. */
void usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* The options every tool takes, for getopt_long(). */
#define COMMON_SHORT_OPTIONS "c:v:aw:r:jhV"
#define COMMON_LONG_OPTIONS                                                    \
    {"context", required_argument, NULL, 'c'},                                 \
        {"vcpu", required_argument, NULL, 'v'},                                \
        {"all-vcpus", no_argument, NULL, 'a'},                                 \
        {"maxphysaddr", required_argument, NULL, 'w'},                         \
        {"replay", required_argument, NULL, 'r'},                              \
        {"replay-partial", no_argument, NULL, 'P'},                            \
        {"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'},    \
    {                                                                          \
        "version", no_argument, NULL, 'V'                                      \
    }

/* -j, -h and -V of every tool: true when @opt is one of them. -h calls
 * @help and -V prints the version, then both exit. */
bool standard_option(int opt, bool *json, void (*help)(void));
/* A vCPU number (0..65535) or DOMID (0..0x7fef) argument; a usage error
 * naming it otherwise. */
unsigned int vcpu_argument(const char *arg);
uint32_t domid_argument(const char *arg);
/* Map a whole regular file read-only (an empty one too); 0, or -1 after a
 * message naming @path. It must not be truncated while mapped. */
int map_file(const char *path, const void **data, size_t *len);
void unmap_file(const void *data, size_t len);

/* Parse the shared options (-c -v -a -w -r -P -j -h -V); false for others.
 * -h calls @help and -V prints the version, then both exit. */
bool common_option(struct source *src, bool *json, void (*help)(void), int opt,
                   const char *arg);
/* Usage errors for --replay or --replay-partial without what they need. */
void replay_option_checks(const struct source *src);
/* Take DOMID from argv unless --context was given; returns next index. */
int source_operands(struct source *src, int argc, char **argv, int optind);
/* Read the whole regular file @path of at most @max bytes into a malloc()ed
 * buffer: 0, or -1 with errno (EFBIG: not a regular file, or larger). */
int read_whole_file(const char *path, size_t max, unsigned char **data,
                    size_t *len);
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

/* A variable pair as a range: base, size, and whether the mask is one. */
struct pair_shape {
    bool valid, exact, contiguous;
    unsigned int type;
    uint64_t start, size; /* start: base & mask; size 0 when not contiguous */
    uint64_t low;         /* the lowest mask bit (2^width for mask 0) */
};

/* The shape of variable pair @i of @st. */
struct pair_shape pair_shape(const struct xcx_mtrr_state *st, unsigned int i);

/* "0-3,5" for a set of pair indices; @buf of at least 32 bytes. */
const char *pair_list(uint32_t pairs, char *buf, size_t len);
/* A JSON array of pair indices, e.g. [0,1]. */
void json_pairs(FILE *out, uint32_t pairs);
/* ,"@key":"@value" with @value escaped for JSON. */
void json_string_member(FILE *out, const char *key, const char *value);
/* A JSON array of type names for a bitmask of type codes. */
void json_types(FILE *out, uint32_t types);

#endif
