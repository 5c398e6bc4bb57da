/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whole files in memory: mapped when large (cores), read when small. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

static const char *file_kind(mode_t mode)
{
    return S_ISDIR(mode)    ? "a directory"
           : S_ISFIFO(mode) ? "a FIFO"
           : S_ISCHR(mode)  ? "a character device"
           : S_ISBLK(mode)  ? "a block device"
           : S_ISSOCK(mode) ? "a socket"
                            : "a special file";
}

int open_regular(const char *path, uint64_t max, uint64_t *size, char *why,
                 size_t whylen)
{
    /* O_NONBLOCK: opening a FIFO without a writer would wait forever. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY), saved;
    struct stat sb;

    if (fd < 0 || fstat(fd, &sb))
        goto fail;
    if (!S_ISREG(sb.st_mode)) {
        snprintf(why, whylen, "%s, not a regular file", file_kind(sb.st_mode));
        close(fd);
        errno = EINVAL;
        return -1;
    }
    if ((uint64_t)sb.st_size > max) {
        snprintf(why, whylen,
                 "%" PRIu64 " bytes, more than the limit of %" PRIu64,
                 (uint64_t)sb.st_size, max);
        close(fd);
        errno = EFBIG;
        return -1;
    }
    if (fcntl(fd, F_SETFL, 0)) /* a regular file: reads may block again */
        goto fail;
    *size = sb.st_size;
    return fd;
fail:
    saved = errno;
    snprintf(why, whylen, "%s", strerror(saved));
    if (fd >= 0)
        close(fd);
    errno = saved;
    return -1;
}

int map_file(const char *path, const void **data, size_t *len)
{
    static const unsigned char empty[1];
    char why[128];
    uint64_t size;
    void *p;
    int fd = open_regular(path, SIZE_MAX, &size, why, sizeof(why));

    if (fd < 0) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, why);
        return -1;
    }
    p = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : (void *)empty;
    if (p == MAP_FAILED) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        close(fd);
        return -1;
    }
    close(fd);
    *data = p;
    *len = size;
    return 0;
}

void unmap_file(const void *data, size_t len)
{
    if (data && len)
        munmap((void *)data, len);
}

int read_whole_file(const char *path, size_t max, unsigned char **data,
                    size_t *len, char *why, size_t whylen)
{
    unsigned char *buf = NULL;
    uint64_t size;
    size_t got = 0;
    int fd = open_regular(path, max, &size, why, whylen), saved;

    if (fd < 0)
        return -1;
    buf = malloc(size ? size : 1);
    if (!buf)
        goto fail;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);

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
    snprintf(why, whylen, "%s", strerror(saved));
    free(buf);
    close(fd);
    errno = saved;
    return -1;
}
