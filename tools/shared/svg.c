/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Drawing the --svg picture (svg.h). Layout, left to right: the vCPU's
 * label, [0, 1 MiB) magnified (the 64 KiB, 16 KiB and 4 KiB fixed ranges
 * each get a third), then the whole space on svg_scale.c's scale; a funnel
 * under the bands ties the magnified part to its place. Every range is a
 * rect with data-* attributes (vcpu, start, end, type, reliable) and a
 * tooltip, so tests and scripts can read the picture back.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "svg.h"
#include "svg_scale.h"

#define WIDTH    1120.0
#define FIX_X0   135.0
#define FIX_X1   395.0
#define MAIN_X0  425.0
#define MAIN_X1  1100.0
#define BAND_Y0  104.0
#define BAND_H   34.0
#define BAND_GAP 30.0
#define MIB      0x100000u

struct drawing {
    FILE *out;
    const struct svg_picture *pic;
    xcx_mtrr_map **maps;
    struct svg_scale scale;
    double axis_y;    /* below the last band */
    double *circle_x; /* per band: x of the last finding's circle */
};

static const char *type_color(unsigned int type)
{
    switch (type) {
    case XCX_MT_UC:
        return "#d64541";
    case XCX_MT_WC:
        return "#8e5cc2";
    case XCX_MT_WT:
        return "#2f7fc1";
    case XCX_MT_WP:
        return "#e8912d";
    case XCX_MT_WB:
        return "#3a9d5d";
    }
    return "#888888";
}

static const char *severity_color(const char *sev)
{
    return !strcmp(sev, "error")     ? "#111111"
           : !strcmp(sev, "warning") ? "#b8860b"
                                     : "#5a6b7b";
}

static double band_y(unsigned int i)
{
    return BAND_Y0 + i * (BAND_H + BAND_GAP);
}

/* x in the magnified panel: a third for each size of fixed range. */
static double fixed_x(uint64_t a)
{
    double third = (FIX_X1 - FIX_X0) / 3;

    if (a >= MIB)
        return FIX_X1;
    if (a < 0x80000)
        return FIX_X0 + third * a / 0x80000;
    if (a < 0xc0000)
        return FIX_X0 + third * (1 + (double)(a - 0x80000) / 0x40000);
    return FIX_X0 + third * (2 + (double)(a - 0xc0000) / 0x40000);
}

/* One range: its rect, tooltip and hatching when unreliable. */
static void draw_range(struct drawing *d, const char *cls, unsigned int vcpu,
                       double y, double x0, double x1, uint64_t start,
                       uint64_t end, const struct xcx_mtrr_result *r)
{
    const char *t = xcx_mem_type_name(r->type);
    double w = x1 - x0 < 0.6 ? 0.6 : x1 - x0;

    fprintf(d->out,
            "<rect class=\"%s\" data-vcpu=\"%u\" data-start=\"0x%" PRIx64
            "\" data-end=\"0x%" PRIx64 "\" data-type=\"%s\" "
            "data-reliable=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
            "height=\"%.1f\" fill=\"%s\"><title>vCPU %u [0x%" PRIx64
            ", 0x%" PRIx64 ") %s, %s%s</title></rect>\n",
            cls, vcpu, start, end, t, r->reliable ? "true" : "false", x0, y, w,
            BAND_H, type_color(r->type), vcpu, start, end, t,
            xcx_mtrr_origin_name(r->origin),
            r->reliable ? "" : ", unreliable (unknown variable pairs)");
    if (!r->reliable)
        fprintf(d->out,
                "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
                "fill=\"url(#unreliable)\" pointer-events=\"none\"/>\n",
                x0, y, w, BAND_H);
}

static bool same_look(const struct xcx_mtrr_result *a,
                      const struct xcx_mtrr_result *b)
{
    return a->type == b->type && a->reliable == b->reliable &&
           a->origin == b->origin;
}

/* [0, 1 MiB) as the map resolves it (FE clear: not the fixed ranges), in
 * runs of fixed sub-ranges that look alike. */
static void draw_fixed(struct drawing *d, unsigned int i)
{
    unsigned int vcpu = d->pic->first_vcpu + i;
    struct xcx_mtrr_result run, r;
    struct xcx_fixed_range fr;
    uint32_t start = 0;

    if (xcx_mtrr_map_lookup(d->maps[i], 0, &run))
        return;
    for (unsigned int k = 1; k <= XCX_MTRR_FIXED_SUBRANGES; k++) {
        uint32_t at = MIB;

        if (k < XCX_MTRR_FIXED_SUBRANGES) {
            xcx_mtrr_fixed_range(NULL, k, &fr);
            at = fr.start;
            if (xcx_mtrr_map_lookup(d->maps[i], at, &r) || same_look(&r, &run))
                continue;
        }
        draw_range(d, "fixed", vcpu, band_y(i), fixed_x(start), fixed_x(at),
                   start, at, &run);
        start = at;
        run = r;
    }
}

static void draw_band(struct drawing *d, unsigned int i)
{
    const struct xcx_mtrr_state *st = &d->pic->states[i];
    unsigned int vcpu = d->pic->first_vcpu + i;
    double y = band_y(i);
    struct xcx_mtrr_map_entry e;

    fprintf(d->out,
            "<text x=\"10\" y=\"%.1f\" class=\"label\">vCPU %u</text>\n"
            "<text x=\"10\" y=\"%.1f\" class=\"small\">default %s, E=%u "
            "FE=%u</text>\n",
            y + 14, vcpu, y + 28, xcx_mem_type_name(st->regs.def_type & 0xff),
            !!(st->regs.def_type & XCX_MTRR_DEF_E),
            !!(st->regs.def_type & XCX_MTRR_DEF_FE));
    draw_fixed(d, i);
    for (size_t k = 0; k < xcx_mtrr_map_size(d->maps[i]); k++) {
        xcx_mtrr_map_entry(d->maps[i], k, &e);
        draw_range(d, "range", vcpu, y, svg_scale_x(&d->scale, e.start),
                   svg_scale_x(&d->scale, e.end), e.start, e.end, &e.result);
    }
    fprintf(d->out,
            "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" "
            "class=\"zoom\"/>\n",
            MAIN_X0, y, svg_scale_x(&d->scale, MIB) - MAIN_X0, BAND_H);
    fprintf(d->out,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
            "class=\"frame\"/>\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            "height=\"%.1f\" class=\"frame\"/>\n",
            FIX_X0, y, FIX_X1 - FIX_X0, BAND_H, MAIN_X0, y, MAIN_X1 - MAIN_X0,
            BAND_H);
}

/* Tick labels that do not overlap the previous one. */
static void draw_ticks(struct drawing *d)
{
    static const uint32_t fixed_ticks[] = {0, 0x80000, 0xa0000, 0xc0000, MIB};
    double top = band_y(0) - 4, last = -1e9;
    char buf[32];

    for (size_t i = 0; i < 5; i++) {
        double x = fixed_x(fixed_ticks[i]);

        fprintf(d->out,
                "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" "
                "class=\"grid\"/><text x=\"%.2f\" y=\"%.1f\" "
                "class=\"tick\">%s</text>\n",
                x, top, x, d->axis_y, x, d->axis_y + 12,
                svg_addr_label(fixed_ticks[i], buf, sizeof(buf)));
    }
    /* Only labelled boundaries get a grid line: a map of thousands of
     * ranges would grey the picture otherwise. */
    for (size_t i = 0; i < d->scale.n; i++) {
        double x = d->scale.x[i];
        bool end = i + 1 == d->scale.n;

        if (x - last < 46 && !end)
            continue;
        fprintf(d->out,
                "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" y2=\"%.1f\" "
                "class=\"grid\"/><text x=\"%.2f\" y=\"%.1f\" class=\"tick\" "
                "transform=\"rotate(35 %.2f %.1f)\">%s</text>\n",
                x, top, x, d->axis_y, x, d->axis_y + 12, x, d->axis_y + 12,
                svg_addr_label(d->scale.at[i], buf, sizeof(buf)));
        last = x;
    }
}

/* Headings, and a bracket over [0, 1 MiB) of the whole space: the part
 * the left panel magnifies. */
static void draw_heads(struct drawing *d)
{
    double y = band_y(0) - 48, x1 = svg_scale_x(&d->scale, MIB);

    fprintf(d->out,
            "<text x=\"%.1f\" y=\"%.1f\" class=\"head\">[0, 1M) "
            "magnified: the fixed ranges</text>\n<text x=\"%.1f\" "
            "y=\"%.1f\" class=\"head\">the whole space [0, 2^%u): span "
            "widths grow with log2 of their sizes</text>\n",
            FIX_X0, y, MAIN_X0, y, d->pic->states[0].maxphysaddr);
    fprintf(d->out,
            "<path d=\"M%.1f %.1f V%.1f H%.2f V%.1f\" class=\"bracket\"/>"
            "<text x=\"%.1f\" y=\"%.1f\" class=\"small\">[0, 1M): "
            "magnified at left</text>\n",
            MAIN_X0, band_y(0) - 20, band_y(0) - 24, x1, band_y(0) - 20,
            MAIN_X0 + 2, band_y(0) - 27);
}

static bool has_vcpu(const struct svg_mark *m, unsigned int vcpu)
{
    for (unsigned int i = 0; i < m->nr_vcpus; i++)
        if (m->vcpus[i] == vcpu)
            return true;
    return false;
}

/* One range of a finding: a strip in its severity's color just above
 * the band (and above the magnified part below 1 MiB), so the band's
 * colors stay visible however many ranges a finding has. */
static void mark_strip(struct drawing *d, const struct svg_mark *m, double y,
                       uint64_t s, uint64_t e)
{
    double x0 = svg_scale_x(&d->scale, s), x1 = svg_scale_x(&d->scale, e);

    fprintf(d->out,
            "<rect class=\"mark\" data-finding=\"%s\" data-start=\"0x%" PRIx64
            "\" data-end=\"0x%" PRIx64 "\" x=\"%.2f\" y=\"%.1f\" "
            "width=\"%.2f\" height=\"4\" fill=\"%s\"/>\n",
            m->id, s, e, x0, y - 5, x1 - x0 < 1.5 ? 1.5 : x1 - x0,
            severity_color(m->severity));
    if (s < MIB)
        fprintf(d->out,
                "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"4\" "
                "fill=\"%s\"/>\n",
                fixed_x(s), y - 5, fixed_x(e) - fixed_x(s),
                severity_color(m->severity));
}

/* Finding @k on the bands of its vCPUs: its ranges' strips and one
 * numbered circle per band, moved right past the band's last circle so
 * numbers never cover each other. */
static void draw_mark(struct drawing *d, const struct svg_mark *m, size_t k)
{
    for (unsigned int i = 0; i < d->pic->count; i++) {
        double y = band_y(i), cx;

        if (!has_vcpu(m, d->pic->first_vcpu + i) || !m->nr_ranges)
            continue;
        for (unsigned int r = 0; r < m->nr_ranges; r++)
            mark_strip(d, m, y, m->ranges[r][0], m->ranges[r][1]);
        cx = (svg_scale_x(&d->scale, m->ranges[0][0]) +
              svg_scale_x(&d->scale, m->ranges[0][1])) /
             2;
        if (cx < d->circle_x[i] + 15)
            cx = d->circle_x[i] + 15;
        d->circle_x[i] = cx;
        fprintf(d->out,
                "<circle cx=\"%.2f\" cy=\"%.1f\" r=\"6.5\" fill=\"%s\"/>"
                "<text x=\"%.2f\" y=\"%.1f\" class=\"num\">%zu</text>\n",
                cx, y - 13, severity_color(m->severity), cx, y - 10, k + 1);
    }
}

/* Swatches, hatching and the numbered findings, below the axis. */
static double draw_legend(struct drawing *d, double y)
{
    static const unsigned int types[] = {XCX_MT_UC, XCX_MT_WC, XCX_MT_WT,
                                         XCX_MT_WP, XCX_MT_WB};
    double x = 10;

    for (size_t i = 0; i < 5; i++, x += 70)
        fprintf(d->out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"14\" "
                "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
                "class=\"label\">%s</text>\n",
                x, y, type_color(types[i]), x + 24, y + 12,
                xcx_mem_type_name(types[i]));
    fprintf(d->out,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"18\" height=\"14\" "
            "fill=\"#3a9d5d\"/><rect x=\"%.1f\" y=\"%.1f\" width=\"18\" "
            "height=\"14\" fill=\"url(#unreliable)\"/><text x=\"%.1f\" "
            "y=\"%.1f\" class=\"label\">hatched: unreliable, rests on variable "
            "pairs the save record does not show</text>\n",
            x, y, x, y, x + 24, y + 12);
    for (size_t k = 0; k < d->pic->nr_marks; k++) {
        const struct svg_mark *m = &d->pic->marks[k];

        y += 20;
        fprintf(d->out,
                "<circle cx=\"17\" cy=\"%.1f\" r=\"7\" fill=\"%s\"/>"
                "<text x=\"17\" y=\"%.1f\" class=\"num\">%zu</text>"
                "<text x=\"30\" y=\"%.1f\" class=\"label\">%s (%s)%s</text>\n",
                y + 7, severity_color(m->severity), y + 9.5, k + 1, y + 11,
                m->id, m->severity,
                m->nr_ranges ? "" : ": no address range, see the audit");
    }
    return y + 30;
}

static void draw(struct drawing *d)
{
    double height;

    d->axis_y = band_y(d->pic->count) - BAND_GAP + 8;
    height = d->axis_y + 70 + 20.0 * d->pic->nr_marks;
    fprintf(d->out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
            "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
            "font-family=\"sans-serif\">\n<defs><pattern id=\"unreliable\" "
            "width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
            "fill=\"#ffffff\" fill-opacity=\"0.25\"/><line x1=\"0\" y1=\"0\" "
            "x2=\"0\" y2=\"6\" stroke=\"#000000\" stroke-width=\"2.2\" "
            "stroke-opacity=\"0.55\"/></pattern>\n<style>"
            ".label{font-size:12px} .small{font-size:10px;fill:#444} "
            ".head{font-size:12px;font-weight:bold} .tick{font-size:9px;"
            "fill:#333} .num{font-size:9px;fill:#fff;text-anchor:middle;"
            "font-weight:bold} .grid{stroke:#bbb;stroke-width:0.5} "
            ".frame{fill:none;stroke:#333;stroke-width:0.8} "
            ".zoom{fill:none;stroke:#fff;stroke-width:1.2;"
            "stroke-dasharray:3 2}  .bracket{fill:none;stroke:#555;"
            "stroke-width:1}</style></defs>\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
            WIDTH, height, WIDTH, height);
    fprintf(d->out, "<text x=\"10\" y=\"24\" font-size=\"16\" "
                    "font-weight=\"bold\">");
    /* A file or domain name may hold anything: keep the XML valid. */
    for (const unsigned char *c = (const unsigned char *)d->pic->title; *c; c++)
        fprintf(d->out,
                *c == '<'                ? "&lt;"
                : *c == '&'              ? "&amp;"
                : *c < 0x20 || *c > 0x7e ? "?"
                                         : "%c",
                *c);
    fprintf(d->out, "</text>\n");
    draw_heads(d);
    draw_ticks(d);
    for (unsigned int i = 0; i < d->pic->count; i++)
        draw_band(d, i);
    for (unsigned int i = 0; i < d->pic->count; i++)
        d->circle_x[i] = -1e9;
    for (size_t k = 0; k < d->pic->nr_marks; k++)
        draw_mark(d, &d->pic->marks[k], k);
    draw_legend(d, d->axis_y + 40);
    fprintf(d->out, "</svg>\n");
}

static int build_maps(struct drawing *d, xentoollog_logger *lg)
{
    const struct svg_picture *p = d->pic;

    d->maps = calloc(p->count, sizeof(*d->maps));
    d->circle_x = calloc(p->count, sizeof(*d->circle_x));
    if (!d->maps || !d->circle_x)
        return -1;
    for (unsigned int i = 0; i < p->count; i++)
        if (!(d->maps[i] = xcx_mtrr_map_build(&p->states[i], lg)))
            return -1;
    /* vCPUs may differ in width: the picture spans the widest. */
    uint64_t top = 0;
    for (unsigned int i = 0; i < p->count; i++)
        if ((UINT64_C(1) << p->states[i].maxphysaddr) > top)
            top = UINT64_C(1) << p->states[i].maxphysaddr;
    return svg_scale_build(&d->scale, d->maps, p->count, top, MAIN_X0, MAIN_X1);
}

int svg_write(const char *path, const struct svg_picture *pic,
              xentoollog_logger *lg)
{
    struct drawing d = {.pic = pic};
    int rc = -1;

    if (!pic->count || build_maps(&d, lg))
        goto out;
    d.out = fopen(path, "we");
    if (!d.out) {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
        goto out;
    }
    draw(&d);
    if (ferror(d.out) | fclose(d.out))
        fprintf(stderr, "%s: %s: writing: %s\n", prog, path, strerror(errno));
    else
        rc = 0;
out:
    for (unsigned int i = 0; d.maps && i < pic->count; i++)
        xcx_mtrr_map_free(d.maps[i]);
    free(d.maps);
    free(d.circle_x);
    svg_scale_free(&d.scale);
    return rc;
}
