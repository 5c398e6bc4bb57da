/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pieces of JSON the tools print, written by hand: no library needed. */
#include <stdbool.h>

#include "json_out.h"
#include "xenctrl_ext.h"

void json_pairs(FILE *out, uint32_t pairs)
{
    bool first = true;

    fputc('[', out);
    for (unsigned int i = 0; i < 32; i++)
        if (pairs >> i & 1) {
            fprintf(out, first ? "%u" : ",%u", i);
            first = false;
        }
    fputc(']', out);
}

void json_types(FILE *out, uint32_t types)
{
    bool first = true;

    fputc('[', out);
    for (unsigned int t = 0; t < 8; t++)
        if ((types >> t & 1) && xcx_mem_type_name(t)) {
            fprintf(out, first ? "\"%s\"" : ",\"%s\"", xcx_mem_type_name(t));
            first = false;
        }
    fputc(']', out);
}

void json_string_member(FILE *out, const char *key, const char *value)
{
    fprintf(out, ",\"%s\":\"", key);
    for (const unsigned char *c = (const unsigned char *)value; *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(out, "\\%c", *c);
        else if (*c < 0x20)
            fprintf(out, "\\u%04x", *c);
        else
            fputc(*c, out);
    }
    fputc('"', out);
}
