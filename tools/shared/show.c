/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Showing one vCPU's decoded MTRR registers and its type map. */
#include <inttypes.h>

#include "common.h"
#include "show.h"

/* The run of fixed sub-ranges of one type that starts at @i: its bounds
 * [*start, *end) and type; returns the index after it. */
static unsigned int fixed_run(const struct xcx_mtrr_regs *r, unsigned int i,
                              uint32_t *start, uint32_t *end,
                              unsigned int *type)
{
    struct xcx_fixed_range fr;

    xcx_mtrr_fixed_range(r, i, &fr);
    *start = fr.start;
    *type = fr.type;
    do {
        *end = fr.start + fr.size;
    } while (++i < XCX_MTRR_FIXED_SUBRANGES &&
             !xcx_mtrr_fixed_range(r, i, &fr) && fr.type == *type);
    return i;
}

static void print_fixed_plain(const struct xcx_mtrr_regs *r)
{
    uint32_t start, end;
    unsigned int type;

    for (unsigned int i = 0; i < XCX_MTRR_FIXED_SUBRANGES;) {
        i = fixed_run(r, i, &start, &end, &type);
        printf("    [0x%x, 0x%x) %s\n", start, end, xcx_mem_type_name(type));
    }
}

static void print_regs_plain(unsigned int vcpu, const struct xcx_mtrr_state *st)
{
    const struct xcx_mtrr_regs *r = &st->regs;

    domain_text_prefix(stdout);
    printf("vcpu %u: maxphysaddr %u\n", vcpu, st->maxphysaddr);
    printf("  MTRRcap     " REG ": VCNT %u%s%s\n", r->cap, st->vcnt,
           (r->cap & XCX_MTRRCAP_FIX) ? ", FIX" : "",
           (r->cap & XCX_MTRRCAP_WC) ? ", WC" : "");
    printf("  MTRRdefType " REG ": default %s, E=%u, FE=%u%s\n", r->def_type,
           xcx_mem_type_name(r->def_type & 0xff),
           !!(r->def_type & XCX_MTRR_DEF_E), !!(r->def_type & XCX_MTRR_DEF_FE),
           (r->def_type & XCX_MTRR_DEF_E) ? "" : " (MTRRs disabled: all UC)");
    printf("  PAT         " REG ":", r->pat);
    for (unsigned int e = 0; e < 8; e++)
        printf(" %s", xcx_mem_type_name((r->pat >> (8 * e)) & 0xff));
    printf("\n");
    for (unsigned int i = 0; i < st->vcnt; i++) {
        struct xcx_mtrr_pair s;

        xcx_mtrr_pair_decode(st, i, &s);

        printf("  pair %u: base " REG " mask " REG, i, r->var[i].base,
               r->var[i].mask);
        if (!s.valid)
            printf(" not valid");
        else if (s.contiguous)
            printf(" = [0x%" PRIx64 ", 0x%" PRIx64 ") %s", s.start,
                   s.start + s.size, xcx_mem_type_name(s.type));
        else
            printf(" = non-contiguous mask from 0x%" PRIx64 " %s", s.start,
                   xcx_mem_type_name(s.type));
        printf(s.exact ? ", exact\n"
                       : ", UNKNOWN: the save record shows a copy of pair "
                         "0 here\n");
    }
    printf("  fixed ranges%s:\n",
           (r->def_type & XCX_MTRR_DEF_FE) ? "" : " (not in effect: FE=0)");
    print_fixed_plain(r);
}

static void print_regs_json(unsigned int vcpu, const struct xcx_mtrr_state *st)
{
    const struct xcx_mtrr_regs *r = &st->regs;

    printf("{\"kind\":\"registers\",\"vcpu\":%u,\"maxphysaddr\":%u,"
           "\"mtrrcap\":\"" REG "\",\"vcnt\":%u,\"fix\":%s,\"wc\":%s,"
           "\"def_type\":\"" REG "\",\"default_type\":\"%s\","
           "\"enabled\":%s,\"fixed_enabled\":%s,\"pat\":\"" REG "\"",
           vcpu, st->maxphysaddr, r->cap, st->vcnt,
           (r->cap & XCX_MTRRCAP_FIX) ? "true" : "false",
           (r->cap & XCX_MTRRCAP_WC) ? "true" : "false", r->def_type,
           xcx_mem_type_name(r->def_type & 0xff),
           (r->def_type & XCX_MTRR_DEF_E) ? "true" : "false",
           (r->def_type & XCX_MTRR_DEF_FE) ? "true" : "false", r->pat);
    domain_json(stdout);
    printf(",\"pairs\":[");
    for (unsigned int i = 0; i < st->vcnt; i++) {
        struct xcx_mtrr_pair s;

        xcx_mtrr_pair_decode(st, i, &s);

        printf("%s{\"index\":%u,\"base\":\"" REG "\",\"mask\":\"" REG
               "\",\"valid\":%s,\"type\":\"%s\",\"start\":\"0x%" PRIx64
               "\",\"contiguous\":%s,\"size\":\"0x%" PRIx64 "\",\"exact\":%s}",
               i ? "," : "", i, r->var[i].base, r->var[i].mask,
               s.valid ? "true" : "false", xcx_mem_type_name(s.type), s.start,
               s.contiguous ? "true" : "false", s.size,
               s.exact ? "true" : "false");
    }
    printf("],\"fixed\":[");
    for (unsigned int i = 0; i < XCX_MTRR_FIXED_SUBRANGES;) {
        uint32_t start, end;
        unsigned int type, first = i;

        i = fixed_run(r, i, &start, &end, &type);
        printf("%s{\"start\":\"0x%x\",\"end\":\"0x%x\",\"type\":\"%s\"}",
               first ? "," : "", start, end, xcx_mem_type_name(type));
    }
    printf("]}\n");
}

static void print_entry(unsigned int vcpu, const struct xcx_mtrr_map_entry *e,
                        bool json)
{
    const struct xcx_mtrr_result *r = &e->result;
    char list[64];

    if (json) {
        printf("{\"kind\":\"range\",\"vcpu\":%u,\"start\":\"0x%" PRIx64
               "\",\"end\":\"0x%" PRIx64 "\",\"type\":\"%s\",\"code\":%u,"
               "\"origin\":\"%s\",\"overlap\":\"%s\",\"ranges\":",
               vcpu, e->start, e->end, xcx_mem_type_name(r->type), r->type,
               xcx_mtrr_origin_name(r->origin),
               xcx_mtrr_overlap_name(r->overlap));
        json_pairs(stdout, r->pairs);
        printf(",\"reliable\":%s", r->reliable ? "true" : "false");
        domain_json(stdout);
        printf("}\n");
        return;
    }
    printf("    [0x%" PRIx64 ", 0x%" PRIx64 ") %s %s", e->start, e->end,
           xcx_mem_type_name(r->type), xcx_mtrr_origin_name(r->origin));
    if (r->pairs)
        printf(" pairs %s", pair_list(r->pairs, list, sizeof(list)));
    if (r->overlap != XCX_OVERLAP_NONE)
        printf(" overlap %s", xcx_mtrr_overlap_name(r->overlap));
    printf(r->reliable ? "\n" : " unreliable\n");
}

int show_vcpu(unsigned int vcpu, const struct xcx_mtrr_state *st, void *arg,
              xentoollog_logger *lg)
{
    bool json = *(const bool *)arg;
    xcx_mtrr_map *map = xcx_mtrr_map_build(st, lg);
    struct xcx_mtrr_map_entry e;

    if (!map)
        return -1;
    if (json) {
        print_regs_json(vcpu, st);
    } else {
        print_regs_plain(vcpu, st);
        printf("  type map:\n");
    }
    for (size_t i = 0; i < xcx_mtrr_map_size(map); i++) {
        xcx_mtrr_map_entry(map, i, &e);
        print_entry(vcpu, &e, json);
    }
    xcx_mtrr_map_free(map);
    return 0;
}
