/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Strict number parsing: what strtoull would let through is refused here. */
#include <string.h>

#include "numbers.h"

bool parse_u64(const char *s, uint64_t *out)
{
    unsigned int base = 10;
    uint64_t v = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s)
        return false;
    for (; *s; s++) {
        unsigned int d;

        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return false;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *out = v;
    return true;
}

bool parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    return parse_u64(s, out) && *out >= min && *out <= max;
}

bool parse_size(const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    unsigned int shift = 0;
    char num[64];

    if (n && strchr("KkMmGg", s[n - 1])) {
        shift = strchr("Kk", s[n - 1]) ? 10 : strchr("Mm", s[n - 1]) ? 20 : 30;
        n--;
    }
    if (n >= sizeof(num))
        return false;
    memcpy(num, s, n);
    num[n] = '\0';
    if (!parse_u64(num, out) || *out > (UINT64_MAX >> shift))
        return false;
    *out <<= shift;
    return true;
}

bool parse_va_range(const char *s, uint64_t *start, uint64_t *end)
{
    const char *dash = strchr(s, '-');
    char first[32];

    if (!dash || (size_t)(dash - s) >= sizeof(first))
        return false;
    memcpy(first, s, dash - s);
    first[dash - s] = '\0';
    if (!parse_u64(first, start))
        return false;
    *end = 0;
    if (!dash[1])
        return true;
    return parse_u64(dash + 1, end) && *end > *start;
}
