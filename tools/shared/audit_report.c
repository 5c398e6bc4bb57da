/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Findings: storing, sorting and freeing them, and their small words. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit_internal.h"

static const char *const severity_names[] = {"info", "warning", "error"};

const char *audit_severity_name(enum audit_severity sev)
{
    return severity_names[sev];
}

bool audit_severity_parse(const char *s, enum audit_severity *sev)
{
    for (unsigned int i = 0; i < 3; i++)
        if (!strcmp(s, severity_names[i])) {
            *sev = i;
            return true;
        }
    return false;
}

const char *audit_type_name(int type)
{
    const char *n = type < 0 ? NULL : xcx_mem_type_name(type);

    return n ? n : "?";
}

const char *audit_size(uint64_t size, char *buf, size_t len)
{
    static const char *const units[] = {"GiB", "MiB", "KiB"};

    for (unsigned int i = 0; i < 3; i++) {
        unsigned int shift = 30 - 10 * i;

        if (size >= (UINT64_C(1) << shift) &&
            !(size & ((UINT64_C(1) << shift) - 1))) {
            snprintf(buf, len, "%" PRIu64 " %s", size >> shift, units[i]);
            return buf;
        }
    }
    snprintf(buf, len, "0x%" PRIx64 " bytes", size);
    return buf;
}

const char *audit_vcpu_list(const unsigned int *v, unsigned int n, char *buf,
                            size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (unsigned int i = 0; i < n; i++) {
        unsigned int j = i;
        char item[32];
        int len;

        while (j + 1 < n && v[j + 1] == v[j] + 1)
            j++;
        len = j > i ? snprintf(item, sizeof(item), "%s%u-%u", i ? "," : "",
                               v[i], v[j])
                    : snprintf(item, sizeof(item), "%s%u", i ? "," : "", v[i]);
        if (used + len + 4 > size) {
            snprintf(buf + used, size - used, ",...");
            break;
        }
        memcpy(buf + used, item, len + 1);
        used += len;
        i = j;
    }
    return buf;
}

struct audit_finding *audit_add(struct audit_report *r, const char *id,
                                enum audit_severity sev, bool reliable,
                                const unsigned int *vcpus, unsigned int nr)
{
    struct audit_finding *f;

    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        struct audit_finding *grown = realloc(r->f, cap * sizeof(*grown));

        if (!grown)
            return NULL;
        r->f = grown;
        r->cap = cap;
    }
    f = &r->f[r->n];
    memset(f, 0, sizeof(*f));
    f->vcpus = malloc((nr ? nr : 1) * sizeof(*f->vcpus));
    if (!f->vcpus)
        return NULL;
    memcpy(f->vcpus, vcpus, nr * sizeof(*vcpus));
    f->nr_vcpus = nr;
    f->id = id;
    f->severity = reliable ? sev : SEV_INFO;
    f->reliable = reliable;
    f->honoured = HONOUR_UNKNOWN;
    r->n++;
    return f;
}

void audit_text(struct audit_finding *f, const char *fmt, ...)
{
    size_t used = strlen(f->text);
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(f->text + used, sizeof(f->text) - used, fmt, ap);
    va_end(ap);
}

void audit_add_range(struct audit_finding *f, uint64_t start, uint64_t end,
                     int type, int ref_type)
{
    struct audit_range *last =
        f->nr_ranges ? &f->ranges[f->nr_ranges - 1] : NULL;

    if (last && last->end == start && last->type == type &&
        last->ref_type == ref_type) {
        last->end = end;
        return;
    }
    if (f->nr_ranges == AUDIT_MAX_RANGES) {
        f->ranges_omitted++;
        return;
    }
    f->ranges[f->nr_ranges++] =
        (struct audit_range){start, end, type, ref_type};
}

/* The same finding but for its vCPUs. */
static bool same(const struct audit_finding *a, const struct audit_finding *b)
{
    return !strcmp(a->id, b->id) && a->severity == b->severity &&
           a->reliable == b->reliable && a->pairs == b->pairs &&
           a->nr_ranges == b->nr_ranges &&
           !memcmp(a->ranges, b->ranges, a->nr_ranges * sizeof(*a->ranges)) &&
           a->ranges_omitted == b->ranges_omitted &&
           a->nr_registers == b->nr_registers &&
           !memcmp(a->registers, b->registers,
                   a->nr_registers * sizeof(*a->registers)) &&
           a->honoured == b->honoured && a->vendor == b->vendor &&
           a->has_source == b->has_source && !strcmp(a->text, b->text);
}

/* @b's vCPUs into @a, ascending, without repeats. */
static int unite(struct audit_finding *a, const struct audit_finding *b)
{
    unsigned int *v = malloc((a->nr_vcpus + b->nr_vcpus) * sizeof(*v));
    unsigned int i = 0, j = 0, n = 0;

    if (!v)
        return -1;
    while (i < a->nr_vcpus || j < b->nr_vcpus) {
        unsigned int x = j == b->nr_vcpus ? a->vcpus[i++]
                         : i == a->nr_vcpus || b->vcpus[j] < a->vcpus[i]
                             ? b->vcpus[j++]
                             : a->vcpus[i++];

        if (!n || v[n - 1] != x)
            v[n++] = x;
    }
    free(a->vcpus);
    a->vcpus = v;
    a->nr_vcpus = n;
    return 0;
}

int audit_report_merge(struct audit_report *r, size_t from)
{
    for (size_t i = from; i < r->n; i++)
        for (size_t j = i + 1; j < r->n;) {
            if (!same(&r->f[i], &r->f[j])) {
                j++;
                continue;
            }
            if (unite(&r->f[i], &r->f[j]))
                return -1;
            free(r->f[j].vcpus);
            memmove(&r->f[j], &r->f[j + 1], (r->n - j - 1) * sizeof(*r->f));
            r->n--;
        }
    return 0;
}

static int compare(const void *a, const void *b)
{
    const struct audit_finding *x = a, *y = b;
    int d;

    if (x->severity != y->severity)
        return x->severity > y->severity ? -1 : 1;
    d = strcmp(x->id, y->id);
    if (d)
        return d;
    if (x->nr_vcpus && y->nr_vcpus && x->vcpus[0] != y->vcpus[0])
        return x->vcpus[0] < y->vcpus[0] ? -1 : 1;
    if (x->nr_ranges && y->nr_ranges &&
        x->ranges[0].start != y->ranges[0].start)
        return x->ranges[0].start < y->ranges[0].start ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

void audit_report_sort(struct audit_report *r)
{
    /* qsort is not stable: ties keep their order by a last key. */
    for (size_t i = 0; i < r->n; i++)
        r->f[i].order = i;
    qsort(r->f, r->n, sizeof(*r->f), compare);
}

void audit_report_free(struct audit_report *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->f[i].vcpus);
    free(r->f);
    r->f = NULL;
    r->n = r->cap = 0;
}
