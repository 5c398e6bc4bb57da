/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* xc-mtrr-audit's output: plain text grouped by domain, or JSON Lines. */
#ifndef XCX_CLI_AUDIT_OUTPUT_H
#define XCX_CLI_AUDIT_OUTPUT_H

#include "audit.h"

struct audit_output {
    bool json;
    enum audit_severity min; /* --severity: findings shown */
    bool flagged; /* a finding at or above max(warning, min) was shown */
    char xen[48]; /* the running Xen's version (live audits), else "" */
};

/* What was audited: a live domain or a saved context. */
struct audit_target {
    bool live;
    uint32_t domid;
    const char *context; /* !live */
    const char *name;    /* the domain's name, or NULL */
};

/* The findings of one audited guest of @nr_vcpus vCPUs, and its summary. */
void audit_print_report(struct audit_output *o, const struct audit_target *t,
                        unsigned int nr_vcpus, const struct audit_report *r,
                        const char *source_file);

/* A guest that was not audited: @status "skipped" or "error", and why. */
void audit_print_skip(struct audit_output *o, const struct audit_target *t,
                      const char *status, const char *reason);

#endif
