/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every tool's command line does alike: errors, -j/-h/-V, operands. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "xenctrl_ext.h"

#define DOMID_MAX 0x7fefu /* DOMID_FIRST_RESERVED - 1 */

const char *prog = "xc-mtrr";

int finish_output(int rc)
{
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "%s: writing the output: %s\n", prog, strerror(errno));
        return EXIT_ERROR;
    }
    return rc;
}

void usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", prog);
    exit(EXIT_USAGE);
}

unsigned int vcpu_argument(const char *arg)
{
    uint64_t v;

    if (!parse_uint(arg, 0, UINT16_MAX, &v))
        usage_error("invalid vCPU '%s' (0..65535)", arg);
    return v;
}

uint32_t domid_argument(const char *arg)
{
    uint64_t v;

    if (!parse_uint(arg, 0, DOMID_MAX, &v))
        usage_error("invalid DOMID '%s' (0..%u)", arg, DOMID_MAX);
    return v;
}
