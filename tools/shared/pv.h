/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xc-pv-pagetable's parts: what the command line asks for, the guest it
 * opened, and the walks and dumps printed from them.
 */
#ifndef XCX_CLI_PV_H
#define XCX_CLI_PV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "domain_arg.h"
#include "xenctrl_ext.h"

/* What the command line asks for. */
struct pv_request {
    const char *core;         /* --core FILE, NULL: a live domain */
    struct domain_ref domain; /* DOMID: an id or a name */
    unsigned int vcpu;
    bool user, json, dump;
    const char *range;             /* --dump's START-END, NULL: everything */
    uint64_t dump_start, dump_end; /* dump_end 0: the top */
    uint64_t *vas;
    unsigned int nr_vas;
};

/* Where the frames come from. */
struct pv_target {
    const void *image; /* the core file, mapped */
    size_t len;
    xcx_core *core;
    xcx_handle *h;
    xcx_pv_domain *pv;
    struct xcx_pv_guest g;
    unsigned int width;
    uint64_t root;
};

/* Walk every VA @rq names, then print the walks (with the page types of
 * their tables when live): an error leaves no partial output. */
int pv_walks(struct pv_target *t, const struct pv_request *rq,
             xentoollog_logger *lg);
/* Print every mapping in @rq's range as runs, as they come. */
int pv_dump(struct pv_target *t, const struct pv_request *rq,
            xentoollog_logger *lg);

/* Fields walks and dumps both print. */
const char *pv_cache_name(unsigned int type);
/* The flags of @flags by their names, separated by @sep. */
void pv_print_flags(FILE *out, uint32_t flags, const char *sep,
                    const char *quote);
/* ,"@key":"0x..." on stdout, or null when not @valid. */
void pv_json_frame(const char *key, uint64_t v, bool valid);

#endif
