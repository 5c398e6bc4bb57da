/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness: the input as libxl's saved domain configuration (the
 * JSON of userdata-d.<domid>.<uuid>.libxl-json), through the tools' JSON
 * reader (cli/json_walk.c) and the configuration reader and facts of
 * xc-mtrr-audit (cli/audit_config.c).
 *
 * The walk must report only well-formed values: a path within
 * JSON_PATH_MAX, a NUL-terminated text
 * for numbers and strings (none for the other kinds), and on failure a
 * message. The configuration is parsed exactly when the document, less
 * libxl's trailing NULs, walks, unless a member the audit reads has the
 * wrong kind; parsed twice it gives the same result; its facts have
 * sorted, non-empty areas below 2^52 and NUL-terminated texts.
 */
#include <inttypes.h>
#include <string.h>

#include "audit_config.h"
#include "fuzz_fail.h"
#include "json_walk.h"

struct walk_check {
    unsigned int values;
};

static void check_value(void *arg, const char *path, const struct json_value *v)
{
    struct walk_check *w = arg;
    size_t len = strnlen(path, JSON_PATH_MAX);

    if (len >= JSON_PATH_MAX)
        fuzz_fail("path of %zu bytes or more", len);
    if (v->kind > JSON_ARRAY)
        fuzz_fail("kind %d at \"%s\"", (int)v->kind, path);
    if ((v->kind == JSON_NUMBER || v->kind == JSON_STRING) != (v->text != NULL))
        fuzz_fail("kind %d at \"%s\" with text %p", (int)v->kind, path,
                  (const void *)v->text);
    if (v->text && strnlen(v->text, JSON_STRING_MAX) >= JSON_STRING_MAX)
        fuzz_fail("text at \"%s\" of %d bytes or more", path, JSON_STRING_MAX);
    if (v->kind == JSON_NUMBER && !v->text[0])
        fuzz_fail("empty number at \"%s\"", path);
    w->values++;
}

static void check_text(const char *s, size_t size, const char *what)
{
    if (!memchr(s, '\0', size))
        fuzz_fail("%s is not NUL-terminated", what);
}

static void check_areas(const struct audit_area *a, unsigned int n,
                        const char *what)
{
    if (n > AUDIT_MAX_AREAS)
        fuzz_fail("%u %s areas", n, what);
    for (unsigned int i = 0; i < n; i++) {
        if (a[i].start >= a[i].end || a[i].end > UINT64_C(1) << 52 ||
            !a[i].what)
            fuzz_fail("%s area %u [0x%" PRIx64 ", 0x%" PRIx64 ")", what, i,
                      a[i].start, a[i].end);
        if (i && a[i].start < a[i - 1].end)
            fuzz_fail("%s areas %u and %u overlap or are unsorted", what, i - 1,
                      i);
    }
}

static void check_facts(const struct libxl_config *c)
{
    struct audit_facts fx;

    check_text(c->type, sizeof(c->type), "c_info/type");
    check_text(c->name, sizeof(c->name), "c_info/name");
    check_text(c->passthrough, sizeof(c->passthrough), "passthrough");
    check_text(c->vga_kind, sizeof(c->vga_kind), "vga/kind");
    check_text(c->dm_version, sizeof(c->dm_version), "device_model_version");

    audit_facts_from_config(&fx, c, LIBXL_GIVEN, "fuzz.json");
    if (fx.honour != HONOUR_YES && fx.honour != HONOUR_NO)
        fuzz_fail("honour %d from a configuration", fx.honour);
    if ((fx.honour == HONOUR_YES) !=
        (c->pcidevs || c->iomem || c->ioports || c->dtdevs ||
         (c->passthrough[0] && strcmp(c->passthrough, "disabled") &&
          strcmp(c->passthrough, "default"))))
        fuzz_fail("honour %d for %u pcidevs, %u iomem, %u ioports, %u dtdevs, "
                  "passthrough \"%s\"",
                  fx.honour, c->pcidevs, c->iomem, c->ioports, c->dtdevs,
                  c->passthrough);
    check_text(fx.source, sizeof(fx.source), "facts source");
    check_text(fx.honour_why, sizeof(fx.honour_why), "honour_why");
    check_text(fx.layout_why, sizeof(fx.layout_why), "layout_why");
    if (!fx.layout_why[0] || !fx.honour_why[0])
        fuzz_fail("facts without a reason");
    if (!fx.layout_known && (fx.nr_ram || fx.nr_mmio))
        fuzz_fail("areas of an unknown layout");
    if (fx.layout_known && !fx.nr_ram)
        fuzz_fail("a known layout without RAM");
    check_areas(fx.ram, fx.nr_ram, "RAM");
    check_areas(fx.mmio, fx.nr_mmio, "MMIO");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *doc = (const char *)data;
    struct libxl_config c, again;
    struct walk_check w = {0};
    char err[160], err2[160];
    size_t trimmed = size;
    int walked, rc;

    memset(err, 'x', sizeof(err));
    walked = json_walk(doc, size, check_value, &w, err, sizeof(err));
    if (walked != 0 && walked != -1)
        fuzz_fail("json_walk returned %d", walked);
    if (walked && (!memchr(err, '\0', sizeof(err)) || !err[0]))
        fuzz_fail("json_walk failed without a message");

    while (trimmed && !doc[trimmed - 1])
        trimmed--;
    if (trimmed != size)
        walked = json_walk(doc, trimmed, check_value, &w, err, sizeof(err));

    memset(err, 'x', sizeof(err));
    rc = libxl_config_parse(doc, size, &c, err, sizeof(err));
    if (rc != 0 && rc != -1)
        fuzz_fail("libxl_config_parse returned %d", rc);
    if (rc == 0 && walked)
        fuzz_fail("a configuration that does not walk was parsed");
    if (rc && (!memchr(err, '\0', sizeof(err)) || !err[0]))
        fuzz_fail("libxl_config_parse failed without a message");
    if (libxl_config_parse(doc, size, &again, err2, sizeof(err2)) != rc ||
        (rc == 0 && memcmp(&c, &again, sizeof(c))) || (rc && strcmp(err, err2)))
        fuzz_fail("parsing twice gave different results");
    if (rc == 0)
        check_facts(&c);
    return 0;
}
