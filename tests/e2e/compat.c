/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx-e2e-compat DOMID GPA...: calls the library's compatibility entry
 * point xc_domain_hvm_get_mtrr_type() on a live domain, once per GPA, with
 * a plain libxenctrl handle as a caller of the 2012 proposal would, and
 * prints one line per call:
 *
 *   gpa 0x<gpa> rc <rc> errno <NAME|0> type <code|->
 *
 * Then it checks the documented argument errors (NULL handle or NULL type:
 * EINVAL) once, as lines starting with "null-xch" and "null-type". Exit
 * status 0 when every line could be printed; judging is check.py's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

#include "xenctrl_ext.h"

static const char *errname(int e)
{
    const char *n = e ? strerrorname_np(e) : "0";

    return n ? n : "?";
}

int main(int argc, char **argv)
{
    xc_interface *xch;
    char *end;
    unsigned long domid;
    uint8_t type = 0xff;
    int rc;

    if (argc < 3) {
        fprintf(stderr, "usage: %s DOMID GPA...\n", argv[0]);
        return 2;
    }
    errno = 0;
    domid = strtoul(argv[1], &end, 0);
    if (errno || *end || domid > UINT32_MAX) {
        fprintf(stderr, "%s: bad domid '%s'\n", argv[0], argv[1]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        perror("xc_interface_open");
        return 1;
    }

    for (int i = 2; i < argc; i++) {
        unsigned long long gpa;

        errno = 0;
        gpa = strtoull(argv[i], &end, 0);
        if (errno || *end) {
            fprintf(stderr, "%s: bad gpa '%s'\n", argv[0], argv[i]);
            xc_interface_close(xch);
            return 2;
        }
        type = 0xff;
        errno = 0;
        rc = xc_domain_hvm_get_mtrr_type(xch, (uint32_t)domid,
                                         (unsigned long)gpa, &type);
        if (rc)
            printf("gpa 0x%llx rc %d errno %s type -\n", gpa, rc,
                   errname(errno));
        else
            printf("gpa 0x%llx rc 0 errno 0 type %u\n", gpa, type);
    }
    /* Last: a crash here must not hide the lines above. */
    errno = 0;
    rc = xc_domain_hvm_get_mtrr_type(NULL, (uint32_t)domid, 0, &type);
    printf("null-xch rc %d errno %s\n", rc, errname(rc ? errno : 0));
    errno = 0;
    rc = xc_domain_hvm_get_mtrr_type(xch, (uint32_t)domid, 0, NULL);
    printf("null-type rc %d errno %s\n", rc, errname(rc ? errno : 0));
    xc_interface_close(xch);
    return fflush(stdout) ? 1 : 0;
}
