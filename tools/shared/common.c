/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every tool's command line does alike: errors, -j/-h/-V, operands. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "xenctrl_ext.h"
#include "xcx_config.h"

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

/* The tool's version, the Xen it was built for and the Xen it runs on
 * (asked live; none when this is no Xen host or the caller may not ask). */
static void print_version(void)
{
    struct xcx_xen_version v;
    xcx_handle *h = xcx_open(NULL, 0);
    bool live = h && !xcx_xen_version(h, &v);

    printf("%s %s\n", prog, XCX_VERSION);
    printf("built against Xen %s (libxenctrl headers)\n", XCX_XEN_BUILT);
    if (live)
        printf("running on Xen %s\n", v.text);
    else
        printf("running on no Xen (no hypervisor interface here)\n");
    xcx_close(h);
}

bool standard_option(int opt, bool *json, void (*help)(void))
{
    switch (opt) {
    case 'j':
        *json = true;
        return true;
    case 'h':
        help();
        exit(finish_output(EXIT_OK));
    case 'V':
        print_version();
        exit(finish_output(EXIT_OK));
    }
    return false;
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
