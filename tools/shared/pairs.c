/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* "0-3,5" for a set of variable pairs. */
#include <stdio.h>

#include "pairs.h"

const char *pair_list(uint32_t pairs, char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (unsigned int i = 0; i < 32 && used < len; i++) {
        unsigned int j = i;

        if (!(pairs >> i & 1))
            continue;
        while (j + 1 < 32 && (pairs >> (j + 1) & 1))
            j++;
        used += snprintf(buf + used, len - used, used ? ",%u" : "%u", i);
        if (j > i && used < len)
            used += snprintf(buf + used, len - used, "-%u", j);
        i = j;
    }
    return buf;
}
