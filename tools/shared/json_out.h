/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Pieces of the tools' JSON Lines output. */
#ifndef XCX_CLI_JSON_OUT_H
#define XCX_CLI_JSON_OUT_H

#include <stdint.h>
#include <stdio.h>

/* A JSON array of pair indices, e.g. [0,1]. */
void json_pairs(FILE *out, uint32_t pairs);
/* ,"@key":"@value" with @value escaped for JSON. */
void json_string_member(FILE *out, const char *key, const char *value);
/* A JSON array of type names for a bitmask of type codes. */
void json_types(FILE *out, uint32_t types);

#endif
