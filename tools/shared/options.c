/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The options every tool has: --json, --help, --version. Apart from
 * common.c because --version asks the live library (xcx_open()), which the
 * fuzz harnesses of the tools' readers do not link. */
#include <stdio.h>
#include <stdlib.h>

#include "common.h"
#include "xcx_config.h"
#include "xenctrl_ext.h"

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
