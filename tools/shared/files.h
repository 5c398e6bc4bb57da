/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading or mapping whole files: contexts, cores, configurations. */
#ifndef XCX_CLI_FILES_H
#define XCX_CLI_FILES_H

#include <stddef.h>
#include <stdint.h>

/*
 * Open @path for reading when it is a regular file of at most @max bytes,
 * without blocking on a FIFO or a device (O_NONBLOCK until fstat() has
 * said what it is): the descriptor and its size, or -1 with @why (@whylen
 * bytes) saying what is wrong: "a FIFO, not a regular file", "70000000
 * bytes, more than the limit of 67108864", or strerror(errno).
 */
int open_regular(const char *path, uint64_t max, uint64_t *size, char *why,
                 size_t whylen);

/* Map a whole regular file read-only (an empty one too); 0, or -1 after a
 * message naming @path. It must not be truncated while mapped. */
int map_file(const char *path, const void **data, size_t *len);
void unmap_file(const void *data, size_t len);

/* Read the whole regular file @path of at most @max bytes into a malloc()ed
 * buffer: 0, or -1 with @why set as open_regular() sets it. */
int read_whole_file(const char *path, size_t max, unsigned char **data,
                    size_t *len, char *why, size_t whylen);

#endif
