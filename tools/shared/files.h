/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading or mapping whole files: contexts, cores, configurations. */
#ifndef XCX_CLI_FILES_H
#define XCX_CLI_FILES_H

#include <stddef.h>

/* Map a whole regular file read-only (an empty one too); 0, or -1 after a
 * message naming @path. It must not be truncated while mapped. */
int map_file(const char *path, const void **data, size_t *len);
void unmap_file(const void *data, size_t len);

/* Read the whole regular file @path of at most @max bytes into a malloc()ed
 * buffer: 0, or -1 with errno (EFBIG: not a regular file, or larger). */
int read_whole_file(const char *path, size_t max, unsigned char **data,
                    size_t *len);

#endif
