/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx-e2e-savectx DOMID FILE: saves a live HVM/PVH domain's whole HVM
 * context (xc_domain_hvm_getcontext(), what `xc-mtrr-map --context` reads)
 * to FILE and prints "saved <bytes> bytes". The project itself has no saver
 * tool; this one exists for the e2e watch scenario. Exit status 0 on
 * success, 1 on an error (said on stderr), 2 on a usage error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>

int main(int argc, char **argv)
{
    xc_interface *xch;
    unsigned long domid;
    uint8_t *buf = NULL;
    char *end;
    FILE *f;
    int size, len, rc = 1;

    if (argc != 3) {
        fprintf(stderr, "usage: %s DOMID FILE\n", argv[0]);
        return 2;
    }
    errno = 0;
    domid = strtoul(argv[1], &end, 0);
    if (errno || *end || domid > UINT32_MAX) {
        fprintf(stderr, "%s: bad domid '%s'\n", argv[0], argv[1]);
        return 2;
    }
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        fprintf(stderr, "%s: xc_interface_open: %s\n", argv[0],
                strerror(errno));
        return 1;
    }
    /* A NULL buffer asks for the size; the context may grow by the time
     * it is read (it does not for a fixed set of vCPUs): keep a margin. */
    size = xc_domain_hvm_getcontext(xch, domid, NULL, 0);
    if (size <= 0) {
        fprintf(stderr, "%s: sizing domain %lu's HVM context: %s\n", argv[0],
                domid, strerror(errno));
        goto out;
    }
    size += 4096;
    buf = malloc(size);
    if (!buf)
        goto out;
    len = xc_domain_hvm_getcontext(xch, domid, buf, size);
    if (len <= 0) {
        fprintf(stderr, "%s: reading domain %lu's HVM context: %s\n", argv[0],
                domid, strerror(errno));
        goto out;
    }
    f = fopen(argv[2], "wbe");
    if (!f || fwrite(buf, 1, len, f) != (size_t)len || fclose(f)) {
        fprintf(stderr, "%s: %s: %s\n", argv[0], argv[2], strerror(errno));
        goto out;
    }
    printf("saved %d bytes\n", len);
    rc = 0;
out:
    free(buf);
    xc_interface_close(xch);
    return rc;
}
