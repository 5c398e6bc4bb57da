/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit_output.h"
#include "common.h"

static void counts(const struct audit_report *r, unsigned int n[3])
{
    n[0] = n[1] = n[2] = 0;
    for (size_t i = 0; i < r->n; i++)
        n[r->f[i].severity]++;
}

static bool shown(struct audit_output *o, const struct audit_finding *f)
{
    if (f->severity < o->min)
        return false;
    if (f->severity >= SEV_WARNING)
        o->flagged = true;
    return true;
}

/* ,"domid":N or ,"domid":null,"context":"..." and ,"name":"..." */
static void json_target(const struct audit_target *t)
{
    if (t->live) {
        printf(",\"domid\":%u", t->domid);
    } else {
        printf(",\"domid\":null");
        json_string_member(stdout, "context", t->context);
    }
    if (t->name)
        json_string_member(stdout, "name", t->name);
}

/* In every summary: the Xen a live audit ran against, null offline. */
static void json_xen(const struct audit_output *o)
{
    if (o->xen[0])
        json_string_member(stdout, "xen_version", o->xen);
    else
        printf(",\"xen_version\":null");
}

static void json_range(const struct audit_range *g, bool first)
{
    printf("%s{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64 "\"",
           first ? "" : ",", g->start, g->end);
    if (g->type >= 0)
        printf(",\"type\":\"%s\"", xcx_mem_type_name(g->type));
    if (g->ref_type >= 0)
        printf(",\"vcpu0_type\":\"%s\"", xcx_mem_type_name(g->ref_type));
    printf("}");
}

static void json_finding(const struct audit_target *t,
                         const struct audit_finding *f, const char *source)
{
    printf("{\"kind\":\"finding\"");
    json_target(t);
    printf(",\"id\":\"%s\",\"severity\":\"%s\",\"reliable\":%s,\"vcpus\":[",
           f->id, audit_severity_name(f->severity),
           f->reliable ? "true" : "false");
    for (unsigned int i = 0; i < f->nr_vcpus; i++)
        printf(i ? ",%u" : "%u", f->vcpus[i]);
    printf("],\"pairs\":");
    json_pairs(stdout, f->pairs);
    printf(",\"ranges\":[");
    for (unsigned int i = 0; i < f->nr_ranges; i++)
        json_range(&f->ranges[i], !i);
    printf("],\"ranges_omitted\":%" PRIu64, f->ranges_omitted);
    if (f->nr_registers) {
        printf(",\"registers\":[");
        for (unsigned int i = 0; i < f->nr_registers; i++)
            printf("%s\"%s\"", i ? "," : "", f->registers[i]);
        printf("]");
    }
    if (!strcmp(f->id, ID_HONOUR)) {
        printf(",\"honoured\":%s", f->honoured == HONOUR_YES  ? "true"
                                   : f->honoured == HONOUR_NO ? "false"
                                                              : "null");
        json_string_member(stdout, "vendor", xcx_vendor_name(f->vendor));
    }
    if (f->has_source)
        json_string_member(stdout, "source", source);
    json_string_member(stdout, "text", f->text);
    printf("}\n");
}

static void plain_title(const struct audit_target *t)
{
    if (t->live)
        printf("domain %u", t->domid);
    else
        printf("context %s", t->context);
    if (t->name)
        printf(" (%s)", t->name);
}

static void plain_finding(const struct audit_finding *f)
{
    char list[64], pairs[32];

    printf("  %-7s %s (vCPU%s %s", audit_severity_name(f->severity), f->id,
           f->nr_vcpus > 1 ? "s" : "",
           audit_vcpu_list(f->vcpus, f->nr_vcpus, list, sizeof(list)));
    if (f->pairs)
        printf(", pair%s %s", (f->pairs & (f->pairs - 1)) ? "s" : "",
               pair_list(f->pairs, pairs, sizeof(pairs)));
    printf("%s): %s\n", f->reliable ? "" : ", unreliable", f->text);
    for (unsigned int i = 0; i < f->nr_ranges; i++) {
        const struct audit_range *g = &f->ranges[i];

        printf("    [0x%" PRIx64 ", 0x%" PRIx64 ")", g->start, g->end);
        if (g->type >= 0)
            printf(" %s", xcx_mem_type_name(g->type));
        if (g->ref_type >= 0)
            printf(" (vCPU 0: %s)", xcx_mem_type_name(g->ref_type));
        printf("\n");
    }
    if (f->ranges_omitted)
        printf("    ... and %" PRIu64 " more\n", f->ranges_omitted);
}

void audit_print_report(struct audit_output *o, const struct audit_target *t,
                        unsigned int nr_vcpus, const struct audit_report *r,
                        const char *source_file)
{
    unsigned int n[3];

    counts(r, n);
    if (!o->json) {
        plain_title(t);
        printf(": %u vCPU%s audited: %u error%s, %u warning%s, %u info\n",
               nr_vcpus, nr_vcpus == 1 ? "" : "s", n[SEV_ERROR],
               n[SEV_ERROR] == 1 ? "" : "s", n[SEV_WARNING],
               n[SEV_WARNING] == 1 ? "" : "s", n[SEV_INFO]);
    }
    for (size_t i = 0; i < r->n; i++) {
        if (!shown(o, &r->f[i]))
            continue;
        if (o->json)
            json_finding(t, &r->f[i], source_file);
        else
            plain_finding(&r->f[i]);
    }
    if (o->json) {
        printf("{\"kind\":\"summary\"");
        json_target(t);
        json_xen(o);
        printf(",\"status\":\"audited\",\"vcpus\":%u,\"errors\":%u,"
               "\"warnings\":%u,\"info\":%u}\n",
               nr_vcpus, n[SEV_ERROR], n[SEV_WARNING], n[SEV_INFO]);
    }
}

void audit_print_skip(struct audit_output *o, const struct audit_target *t,
                      const char *status, const char *reason)
{
    if (!o->json) {
        plain_title(t);
        printf(": %s: %s\n", status, reason);
        return;
    }
    printf("{\"kind\":\"summary\"");
    json_target(t);
    json_xen(o);
    printf(",\"status\":\"%s\"", status);
    json_string_member(stdout, "reason", reason);
    printf("}\n");
}
