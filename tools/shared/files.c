/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whole files in memory: mapped when large (cores), read when small. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

int map_file(const char *path, const void **data, size_t *len)
{
    static const unsigned char empty[1];
    struct stat sb;
    void *p;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &sb))
        goto fail;
    if (!S_ISREG(sb.st_mode)) {
        fprintf(stderr, "%s: %s: not a regular file\n", prog, path);
        close(fd);
        return -1;
    }
    if ((uint64_t)sb.st_size > SIZE_MAX) {
        errno = EFBIG;
        goto fail;
    }
    p = sb.st_size ? mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0)
                   : (void *)empty;
    if (p == MAP_FAILED)
        goto fail;
    close(fd);
    *data = p;
    *len = sb.st_size;
    return 0;
fail:
    fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

void unmap_file(const void *data, size_t len)
{
    if (data && len)
        munmap((void *)data, len);
}

int read_whole_file(const char *path, size_t max, unsigned char **data,
                    size_t *len)
{
    struct stat sb;
    unsigned char *buf = NULL;
    size_t got = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC), saved;

    if (fd < 0)
        return -1;
    if (fstat(fd, &sb))
        goto fail;
    if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > max) {
        errno = EFBIG;
        goto fail;
    }
    buf = malloc(sb.st_size ? sb.st_size : 1);
    if (!buf)
        goto fail;
    while (got < (size_t)sb.st_size) {
        ssize_t n = read(fd, buf + got, sb.st_size - got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO; /* shrank while reading */
            goto fail;
        }
        got += n;
    }
    close(fd);
    *data = buf;
    *len = got;
    return 0;
fail:
    saved = errno;
    free(buf);
    close(fd);
    errno = saved;
    return -1;
}
