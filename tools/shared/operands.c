/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Negative numbers among the operands, named before getopt misreads them. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "common.h"
#include "operands.h"

/* Whether long option @arg ("--name" or "--name=value") takes the next
 * argument as its value; *@val gets the option's value. */
static bool long_takes_next(const char *arg, const struct option *longopts,
                            int *val)
{
    size_t n = strcspn(arg + 2, "=");

    for (const struct option *o = longopts; o && o->name; o++)
        if (strlen(o->name) == n && !strncmp(o->name, arg + 2, n)) {
            *val = o->val;
            return o->has_arg == required_argument && !arg[2 + n];
        }
    *val = 0;
    return false;
}

/* Whether the short option cluster @arg ("-jc" ...) takes the next
 * argument; *@offline is set when it holds 'c'. */
static bool short_takes_next(const char *arg, const char *shortopts,
                             bool *offline)
{
    for (const char *p = arg + 1; *p; p++) {
        const char *o = strchr(shortopts, *p);

        if (*p == 'c')
            *offline = true;
        if (o && o[1] == ':')
            return o[2] != ':' && !p[1]; /* "-cFILE": value attached */
    }
    return false;
}

static const char *name_of(const char *const *names, unsigned int k)
{
    unsigned int n = 0;

    while (names[n])
        n++;
    return n ? names[k < n ? k : n - 1] : NULL;
}

void refuse_negative_operands(int argc, char *const argv[],
                              const char *shortopts,
                              const struct option *longopts,
                              const struct operand_names *names)
{
    bool offline = false;
    int bad = -1;
    unsigned int k = 0, bad_k = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int val;

        if (!strcmp(a, "--"))
            break;
        if (a[0] == '-' && isdigit((unsigned char)a[1])) {
            if (bad < 0) {
                bad = i;
                bad_k = k;
            }
            k++;
        } else if (a[0] == '-' && a[1] == '-') {
            i += long_takes_next(a, longopts, &val);
            offline |= val == 'c';
        } else if (a[0] == '-' && a[1]) {
            i += short_takes_next(a, shortopts, &offline);
        } else {
            k++;
        }
    }
    if (bad >= 0) {
        const char *name =
            name_of(offline ? names->offline : names->online, bad_k);

        if (name)
            usage_error("invalid %s '%s'", name, argv[bad]);
        usage_error("unexpected operand '%s'", argv[bad]);
    }
}
