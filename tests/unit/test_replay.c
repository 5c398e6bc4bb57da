/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx_replay_parse_line: write-log lines that parse, and every kind of
 * malformed one, each refused with one message naming the line number.
 * Lines are copied into exact-size buffers without a terminating NUL, so
 * a read past the length shows under ASan.
 */
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#define LINENO 4217u

/*
 * Parse @len bytes of @text from a buffer of exactly that size, as a write
 * (@w) or any log line (@e, when @w is NULL).
 */
static int parse_any(const char *text, size_t len, struct xcx_logged_write *w,
                     struct xcx_log_entry *e, struct caplog *log)
{
    char *buf = malloc(len ? len : 1);
    int rc;

    assert_non_null(buf);
    memcpy(buf, text, len);
    caplog_init(log);
    errno = 0;
    rc = w ? xcx_replay_parse_line(buf, len, LINENO, w, caplog_logger(log))
           : xcx_log_parse_line(buf, len, LINENO, e, caplog_logger(log));
    free(buf);
    return rc;
}

static int parse(const char *text, size_t len, struct xcx_logged_write *w,
                 struct caplog *log)
{
    return parse_any(text, len, w, NULL, log);
}

static void expect_write(const char *line, unsigned int vcpu, uint32_t msr,
                         uint64_t value, bool has_old, uint64_t old)
{
    struct xcx_logged_write w;
    struct caplog log;
    int rc;

    memset(&w, 0xa5, sizeof(w));
    rc = parse(line, strlen(line), &w, &log);
    if (rc != 1)
        fail_msg("%s: rc %d, message \"%s\"", line, rc, log.last);
    assert_int_equal(log.count, 0);
    assert_int_equal(w.vcpu, vcpu);
    assert_int_equal(w.msr, msr);
    assert_true(w.value == value);
    assert_int_equal(w.has_old_value, has_old);
    if (has_old)
        assert_true(w.old_value == old);
}

/* Refused, @w untouched, one message naming the line and @word. */
static void expect_bad_len(const char *line, size_t len, const char *word)
{
    struct xcx_logged_write w, before;
    struct caplog log;
    int rc;

    memset(&w, 0x5a, sizeof(w));
    before = w;
    rc = parse(line, len, &w, &log);
    if (rc != -1 || errno != EINVAL)
        fail_msg("%.60s: rc %d errno %d, want -1 EINVAL", line, rc, errno);
    assert_memory_equal(&w, &before, sizeof(w));
    if (log.count != 1)
        fail_msg("%.60s: %u messages", line, log.count);
    assert_log_number(&log, LINENO);
    assert_log_mentions(&log, "line");
    if (!caplog_has(&log, word))
        fail_msg("%.60s: message \"%s\" does not say \"%s\"", line, log.last,
                 word);
}

static void expect_bad(const char *line, const char *word)
{
    expect_bad_len(line, strlen(line), word);
}

static void test_valid(void **state)
{
    expect_write("{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0xe0000000\"}", 0,
                 0x200, 0xe0000000, false, 0);
    /* What xc-mtrr-watch --record writes, with its newline. */
    expect_write("{\"vcpu\":1,\"msr\":\"0x201\",\"value\":\"0xff0000800\","
                 "\"old\":\"0x0\",\"accepted\":true}\n",
                 1, 0x201, 0xff0000800, true, 0);
    expect_write("{\"value\":\"0xc06\",\"old\":\"0xC00\",\"msr\":\"0X2FF\","
                 "\"vcpu\":65535}",
                 65535, 0x2ff, 0xc06, true, 0xc00);
    expect_write(" \t{ \"vcpu\" : 2 ,\r\n \"msr\" : \"0x277\" , \"value\" :"
                 " \"0x0007040600070406\" }  \r\n",
                 2, 0x277, UINT64_C(0x0007040600070406), false, 0);
    expect_write("{\"vcpu\":0,\"msr\":\"0xffffffff\","
                 "\"value\":\"0xffffffffffffffff\","
                 "\"old\":\"0x00000000000000000000000001\"}",
                 0, 0xffffffff, UINT64_MAX, true, 1);
}

static void test_extra_members(void **state)
{
    expect_write("{\"time\":1.5e3,\"vcpu\":3,\"name\":\"MTRRdefType\","
                 "\"msr\":\"0x2ff\",\"tags\":[\"a\",{\"b\":null},[],{},"
                 "[[true,false]],-0.25E-7,0,\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"],"
                 "\"value\":\"0xc06\",\"x\":{\"msr\":\"junk\",\"vcpu\":-1},"
                 "\"u\":\"\\u00e9\\uD83D\\uDE00 caf\xc3\xa9\"}",
                 3, 0x2ff, 0xc06, false, 0);
    /* Names with escapes mean what they decode to. */
    expect_write("{\"vc\\u0070u\":7,\"\\u006dsr\":\"0x250\","
                 "\"valu\\u0065\":\"0x0\"}",
                 7, 0x250, 0, false, 0);
    /* Near-names are other members. */
    expect_write("{\"vcpu\":1,\"msr\":\"0x200\",\"value\":\"0x6\",\"Msr\":1,"
                 "\"msr \":2,\"ms\":3,\"msrs\":4,\"old_value\":[],"
                 "\"v\\u0000\":5}",
                 1, 0x200, 6, false, 0);
}

/* 31 arrays inside the line's object is the deepest allowed. */
static void test_depth(void **state)
{
    char line[1024], *p;

    for (unsigned int depth = 30; depth <= 33; depth++) {
        p = line + sprintf(line, "{\"vcpu\":0,\"msr\":\"0x200\",\"x\":");
        for (unsigned int i = 0; i < depth; i++)
            *p++ = '[';
        for (unsigned int i = 0; i < depth; i++)
            *p++ = ']';
        strcpy(p, ",\"value\":\"0x1\"}");
        if (depth <= 31)
            expect_write(line, 0, 0x200, 1, false, 0);
        else
            expect_bad(line, "nested");
    }
    /* The same with objects. */
    p = line + sprintf(line, "{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x1\"");
    for (unsigned int i = 0; i < 32; i++)
        p += sprintf(p, ",\"a\":{\"b\":0");
    strcpy(p, "}");
    expect_bad(line, "nested");
}

static void test_blank(void **state)
{
    static const char *const blank[] = {"",     " ",       "\n",
                                        "\r\n", "\t \t\n", "          "};
    struct xcx_logged_write w, before;
    struct caplog log;

    memset(&w, 0x5a, sizeof(w));
    before = w;
    for (unsigned int i = 0; i < ARRAY_SIZE(blank); i++) {
        assert_int_equal(parse(blank[i], strlen(blank[i]), &w, &log), 0);
        assert_int_equal(log.count, 0);
        assert_memory_equal(&w, &before, sizeof(w));
    }
    assert_int_equal(xcx_replay_parse_line(NULL, 0, 1, &w, NULL), 0);
    /* Only the first @len bytes count. */
    assert_int_equal(parse("{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x1\"}"
                           "garbage",
                           38, &w, &log),
                     1);
    assert_int_equal(parse("  x", 2, &w, &log), 0);
}

static void test_missing(void **state)
{
    expect_bad("{}", "\"vcpu\" is missing");
    expect_bad("{\"msr\":\"0x200\",\"value\":\"0x1\"}", "\"vcpu\" is missing");
    expect_bad("{\"vcpu\":0,\"value\":\"0x1\"}", "\"msr\" is missing");
    expect_bad("{\"vcpu\":0,\"msr\":\"0x200\"}", "\"value\" is missing");
    expect_bad("{\"vcpu\":0,\"msr\":\"0x200\",\"val\":\"0x1\"}",
               "\"value\" is missing");
}

static void test_bad_values(void **state)
{
    /* msr, value and old: hex strings only. */
    expect_bad("{\"vcpu\":0,\"msr\":\"512\",\"value\":\"0x1\"}", "hex");
    expect_bad("{\"vcpu\":0,\"msr\":512,\"value\":\"0x1\"}", "hex");
    expect_bad("{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"-0x1\"}", "hex");
    expect_bad("{\"vcpu\":0,\"msr\":\"0x\",\"value\":\"0x1\"}", "hex");
    expect_bad("{\"vcpu\":0,\"msr\":\"0x20g\",\"value\":\"0x1\"}", "hex digit");
    expect_bad("{\"vcpu\":0,\"msr\":\"0x200 \",\"value\":\"0x1\"}",
               "hex digit");
    expect_bad("{\"vcpu\":0,\"msr\":\" 0x200\",\"value\":\"0x1\"}", "hex");
    expect_bad("{\"vcpu\":0,\"msr\":\"0x2\\u0030\",\"value\":\"0x1\"}", "hex");
    expect_bad("{\"vcpu\":0,\"msr\":null,\"value\":\"0x1\"}", "hex");
    expect_bad("{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x1\",\"old\":0}",
               "hex");
    expect_bad("{\"vcpu\":0,\"msr\":\"0x200\",\"value\":[\"0x1\"]}", "hex");
    /* Overflow. */
    expect_bad("{\"vcpu\":0,\"msr\":\"0x100000000\",\"value\":\"0x1\"}",
               "exceeds");
    expect_bad(
        "{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x10000000000000000\"}",
        "exceeds");
    expect_bad("{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x1\","
               "\"old\":\"0xfffffffffffffffff\"}",
               "exceeds");
    /* vcpu: an integer in [0, 65535]. */
    expect_bad("{\"vcpu\":-1,\"msr\":\"0x200\",\"value\":\"0x1\"}", "integer");
    expect_bad("{\"vcpu\":65536,\"msr\":\"0x200\",\"value\":\"0x1\"}", "below");
    expect_bad("{\"vcpu\":99999999999999999999999,\"msr\":\"0x200\","
               "\"value\":\"0x1\"}",
               "below");
    expect_bad("{\"vcpu\":1.0,\"msr\":\"0x200\",\"value\":\"0x1\"}", "integer");
    expect_bad("{\"vcpu\":1e2,\"msr\":\"0x200\",\"value\":\"0x1\"}", "integer");
    expect_bad("{\"vcpu\":\"0\",\"msr\":\"0x200\",\"value\":\"0x1\"}",
               "number");
    expect_bad("{\"vcpu\":true,\"msr\":\"0x200\",\"value\":\"0x1\"}", "number");
    expect_bad("{\"vcpu\":01,\"msr\":\"0x200\",\"value\":\"0x1\"}", "expected");
    /* Twice. */
    expect_bad(
        "{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x1\",\"msr\":\"0x201\"}",
        "twice");
    expect_bad("{\"vcpu\":0,\"v\\u0063pu\":1,\"msr\":\"0x200\","
               "\"value\":\"0x1\"}",
               "twice");
}

static void test_bad_syntax(void **state)
{
    static const struct {
        const char *line;
        const char *word;
    } cases[] = {
        {"[1]", "'{'"},
        {"\"x\"", "'{'"},
        {"42", "'{'"},
        {"null", "'{'"},
        {"{", "member name"},
        {"{\"vcpu\"", "':'"},
        {"{\"vcpu\":", "a value"},
        {"{\"vcpu\":0", "',' or '}'"},
        {"{\"vcpu\":0,}", "member name"},
        {"{\"vcpu\" 0}", "':'"},
        {"{\"vcpu\":0 \"msr\":\"0x200\"}", "',' or '}'"},
        {"{vcpu:0}", "member name"},
        {"{'vcpu':0}", "member name"},
        {"{\"x\":tru,\"vcpu\":0}", "a value"},
        {"{\"x\":nul}", "a value"},
        {"{\"x\":True}", "a value"},
        {"{\"x\":+1}", "a value"},
        {"{\"x\":.5}", "a value"},
        {"{\"x\":1.}", "digit"},
        {"{\"x\":-}", "digit"},
        {"{\"x\":1e}", "exponent"},
        {"{\"x\":1e+}", "exponent"},
        {"{\"x\":[1,]}", "a value"},
        {"{\"x\":[1 2]}", "',' or ']'"},
        {"{\"x\":{\"a\" 1}}", "':'"},
        {"{\"x\":{\"a\":1,}}", "member name"},
        {"{\"x\":{1:2}}", "member name"},
        {"{\"x\":[}", "a value"},
        {"{\"x\":[[]", "',' or ']'"},
        /* Strings. */
        {"{\"vcpu\":0,\"msr\":\"0x200", "unterminated"},
        {"{\"vcpu", "unterminated"},
        {"{\"x\":\"abc\\\"}", "unterminated"},
        {"{\"x\":\"abc\\", "unterminated"},
        {"{\"x\":\"a\\xb\"}", "escape"},
        {"{\"x\":\"a\\'b\"}", "escape"},
        {"{\"x\":\"\\u12\"}", "\\u"},
        {"{\"x\":\"\\u12G4\"}", "\\u"},
        {"{\"x\":\"\\u123", "\\u"},
        {"{\"x\":\"a\tb\"}", "control"},
        {"{\"x\":\"a\nb\"}", "control"},
        /* After the object. */
        {"{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x1\"} x", "nothing after"},
        {"{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x1\"}{}", "nothing after"},
        {"{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x1\"},", "nothing after"},
        {"{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x1\"}}", "nothing after"},
        {"\xef\xbb\xbf{\"vcpu\":0}", "byte 0xef"},
    };

    for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++)
        expect_bad(cases[i].line, cases[i].word);
    /* NUL bytes are no whitespace. */
    static const char nul_outside[] = "{\"vcpu\":0,\0\"msr\"}";
    static const char nul_inside[] = "{\"x\":\"a\0b\"}";

    expect_bad_len(nul_outside, sizeof(nul_outside) - 1, "byte 0x00");
    expect_bad_len(nul_inside, sizeof(nul_inside) - 1, "control");
}

#define HUGE (4u << 20)

/* Huge lines: read in one pass, errors still placed and named. */
static void test_huge(void **state)
{
    static char line[HUGE + 64];
    size_t n = HUGE, len;
    struct xcx_logged_write w;
    struct caplog log;

    /* A valid line with a 4 MiB member. */
    len = (size_t)sprintf(line, "{\"vcpu\":9,\"msr\":\"0x200\",\"pad\":\"");
    memset(line + len, 'a', n);
    len += n;
    len += (size_t)sprintf(line + len, "\",\"value\":\"0x5\"}");
    assert_int_equal(parse(line, len, &w, &log), 1);
    assert_int_equal(w.vcpu, 9);

    /* Whitespace then garbage: the column is far out. */
    memset(line, ' ', n);
    line[n] = 'x';
    expect_bad_len(line, n + 1, "found 'x'");

    /* A depth bomb: a million '['. */
    len = (size_t)sprintf(line, "{\"a\":");
    memset(line + len, '[', n);
    expect_bad_len(line, len + n, "nested");
    /* ...and of '{"a":'. */
    len = 0;
    while (len + 5 < n) {
        memcpy(line + len, "{\"a\":", 5);
        len += 5;
    }
    expect_bad_len(line, len, "nested");
}

/* Parse a log line of any kind from an exact-size buffer. */
static int parse_entry(const char *text, struct xcx_log_entry *e,
                       struct caplog *log)
{
    return parse_any(text, strlen(text), NULL, e, log);
}

static void sample_header(struct xcx_log_header *h)
{
    static const uint8_t uuid[16] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab,
                                     0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98,
                                     0x76, 0x54, 0x32, 0x10};

    memset(h, 0, sizeof(*h));
    h->version = XCX_LOG_VERSION;
    h->domid = 32751;
    strcpy(h->name, "guest \"one\"\\\t\x01 caf\xc3\xa9");
    memcpy(h->uuid, uuid, sizeof(uuid));
    h->maxphysaddr = 38;
    h->nr_vcpus = 2;
    strcpy(h->xen_version, "4.17.5");
    h->from_start = true;
    strcpy(h->start, "2026-12-07T23:00:00Z");
}

/* What the formatter writes reads back as the same header. */
static void test_header_roundtrip(void **state)
{
    struct xcx_log_header h;
    struct xcx_log_entry e;
    struct caplog log;
    char line[XCX_LOG_LINE_MAX];
    int n;

    sample_header(&h);
    n = xcx_log_format_header(&h, line, sizeof(line));
    assert_true(n > 0 && line[n - 1] == '\n' && (size_t)n == strlen(line));
    assert_non_null(strstr(line, "\"uuid\":\"01234567-89ab-cdef-fedc-"
                                 "ba9876543210\""));
    assert_non_null(strstr(line, "\"log\":\"xc-mtrr-watch\",\"version\":1"));
    assert_int_equal(parse_entry(line, &e, &log), XCX_LOG_HEADER);
    assert_int_equal(log.count, 0);
    assert_int_equal(e.header.version, h.version);
    assert_int_equal(e.header.domid, h.domid);
    assert_string_equal(e.header.name, h.name);
    assert_memory_equal(e.header.uuid, h.uuid, sizeof(h.uuid));
    assert_int_equal(e.header.maxphysaddr, h.maxphysaddr);
    assert_int_equal(e.header.nr_vcpus, h.nr_vcpus);
    assert_string_equal(e.header.xen_version, h.xen_version);
    assert_int_equal(e.header.from_start, h.from_start);
    assert_string_equal(e.header.start, h.start);
    /* The longest name, all escaped, fits the documented bound. */
    memset(h.name, 1, XCX_LOG_NAME_MAX);
    h.name[XCX_LOG_NAME_MAX] = '\0';
    n = xcx_log_format_header(&h, line, sizeof(line));
    assert_true(n > 0);
    assert_int_equal(parse_entry(line, &e, &log), XCX_LOG_HEADER);
    assert_string_equal(e.header.name, h.name);
    /* Too small a buffer, a bad field. */
    errno = 0;
    assert_int_equal(xcx_log_format_header(&h, line, 100), -1);
    assert_int_equal(errno, ENOSPC);
    h.maxphysaddr = 53;
    errno = 0;
    assert_int_equal(xcx_log_format_header(&h, line, sizeof(line)), -1);
    assert_int_equal(errno, EINVAL);
    sample_header(&h);
    memset(h.start, 'x', sizeof(h.start));
    assert_int_equal(xcx_log_format_header(&h, line, sizeof(line)), -1);
    assert_int_equal(xcx_log_format_header(NULL, line, sizeof(line)), -1);
}

static void test_write_roundtrip(void **state)
{
    struct xcx_logged_write w = {1, 0x201, UINT64_C(0xff0000800), 0, true};
    struct xcx_log_entry e;
    struct caplog log;
    char line[XCX_LOG_LINE_MAX];

    assert_true(xcx_log_format_write(&w, false, line, sizeof(line)) > 0);
    assert_string_equal(line, "{\"vcpu\":1,\"msr\":\"0x201\","
                              "\"value\":\"0x0000000ff0000800\","
                              "\"old\":\"0x0000000000000000\","
                              "\"accepted\":false}\n");
    assert_int_equal(parse_entry(line, &e, &log), XCX_LOG_WRITE);
    assert_int_equal(e.write.vcpu, 1);
    assert_int_equal(e.write.msr, 0x201);
    assert_true(e.write.value == w.value && e.write.has_old_value &&
                e.write.old_value == 0);
    assert_int_equal(e.accepted, 0);
    assert_int_equal(parse_entry("{\"vcpu\":0,\"msr\":\"0x200\","
                                 "\"value\":\"0x6\",\"accepted\":true}",
                                 &e, &log),
                     XCX_LOG_WRITE);
    assert_int_equal(e.accepted, 1);
    /* Without a verdict (logs of other agents). */
    assert_int_equal(
        parse_entry("{\"vcpu\":0,\"msr\":\"0x200\",\"value\":\"0x6\"}", &e,
                    &log),
        XCX_LOG_WRITE);
    assert_int_equal(e.accepted, -1);
    assert_int_equal(parse_entry(" \n", &e, &log), XCX_LOG_BLANK);
    errno = 0;
    assert_int_equal(xcx_log_format_write(&w, true, line, 20), -1);
    assert_int_equal(errno, ENOSPC);
    /* A header is not a write to the old reader. */
    expect_bad("{\"log\":\"xc-mtrr-watch\",\"version\":1}", "header");
}

#define HDR_TAIL                                                               \
    "\"domid\":1,\"name\":\"g\",\"uuid\":\"01234567-89ab-cdef-0123-"           \
    "456789abcdef\",\"maxphysaddr\":39,\"vcpus\":2,\"xen\":\"4.17.5\","        \
    "\"from_start\":false,\"start\":\"t\""

/* Header lines refused: one message naming the line and the fault. */
static void expect_bad_header(const char *line, const char *word)
{
    struct xcx_log_entry e;
    struct caplog log;

    memset(&e, 0x5a, sizeof(e));
    if (parse_entry(line, &e, &log) != -1 || errno != EINVAL)
        fail_msg("%.70s: accepted", line);
    if (log.count != 1 || !caplog_has(&log, word))
        fail_msg("%.70s: message \"%s\" does not say \"%s\"", line, log.last,
                 word);
    assert_log_number(&log, LINENO);
}

static void test_header_bad(void **state)
{
    struct xcx_log_entry e;
    struct caplog log;

    assert_int_equal(
        parse_entry("{\"log\":\"xc-mtrr-watch\",\"version\":1," HDR_TAIL
                    ",\"future\":[1,{\"x\":2}],\"vcpu\":\"not ours\"}",
                    &e, &log),
        XCX_LOG_HEADER);
    assert_int_equal(e.header.maxphysaddr, 39);
    assert_false(e.header.from_start);
    expect_bad_header("{\"log\":\"xc-mtrr-watch\",\"version\":2}",
                      "version 2 is not supported");
    expect_bad_header("{\"log\":\"xc-mtrr-watch\",\"version\":0," HDR_TAIL "}",
                      "version");
    expect_bad_header("{\"log\":\"other\",\"version\":1," HDR_TAIL "}",
                      "\"log\" is not");
    expect_bad_header("{\"log\":\"xc-mtrr-watch\"," HDR_TAIL "}",
                      "\"version\" is missing");
    expect_bad_header("{\"log\":\"xc-mtrr-watch\",\"version\":1}",
                      "\"domid\" is missing");
    expect_bad_header("{\"version\":1," HDR_TAIL ",\"log\":\"xc-mtrr-watch\","
                      "\"maxphysaddr\":40}",
                      "twice");
    expect_bad_header("{\"log\":\"xc-mtrr-watch\",\"version\":1," HDR_TAIL
                      ",\"maxphysaddr\":31}",
                      "twice");
    static const struct {
        const char *member, *word;
    } fields[] = {
        {"\"maxphysaddr\":31", "from 32 to 52"},
        {"\"maxphysaddr\":53", "below 53"},
        {"\"maxphysaddr\":\"39\"", "number"},
        {"\"vcpus\":0", "from 1"},
        {"\"domid\":32752", "below 32752"},
        {"\"uuid\":\"01234567-89ab-cdef-0123-456789abcdeg\"", "uuid"},
        {"\"uuid\":\"0123456789abcdef0123456789abcdef\"", "uuid"},
        {"\"uuid\":\"01234567-89ab-cdef-0123-456789abcdef0\"", "uuid"},
        {"\"from_start\":1", "true or false"},
        {"\"from_start\":\"true\"", "true or false"},
        {"\"name\":\"a\\u0000b\"", "U+0000"},
        {"\"name\":\"\\ud800x\"", "surrogate"},
        {"\"name\":7", "string"},
        {"\"xen\":\"4.17\\u00e9\"", "printable ASCII"},
        {"\"start\":\"0123456789012345678901234567890123\"", "longer than 31"},
    };
    char line[512];

    for (unsigned int i = 0; i < ARRAY_SIZE(fields); i++) {
        snprintf(line, sizeof(line),
                 "{%s,\"log\":\"xc-mtrr-watch\",\"version\":1,"
                 "\"domid\":1,\"name\":\"g\",\"uuid\":\"01234567-89ab-cdef-"
                 "0123-456789abcdef\",\"maxphysaddr\":39,\"vcpus\":2,"
                 "\"xen\":\"4.17.5\",\"from_start\":false,\"start\":\"t\"}",
                 fields[i].member);
        /* The field comes first: the "twice" check comes after it. */
        expect_bad_header(line, fields[i].word);
    }
    /* Names: escapes decoded to UTF-8, a surrogate pair joined. */
    assert_int_equal(
        parse_entry("{\"log\":\"xc-mtrr-watch\",\"version\":1," HDR_TAIL
                    ",\"name\":\"\\u00e9\\ud83d\\ude00\\n\"}",
                    &e, &log),
        -1); /* "name" twice */
    assert_int_equal(
        parse_entry("{\"name\":\"\\u00e9\\ud83d\\ude00\\n\",\"log\":\"xc-mtrr-"
                    "watch\",\"version\":1,\"domid\":1,\"uuid\":\"01234567-"
                    "89ab-cdef-0123-456789abcdef\",\"maxphysaddr\":39,"
                    "\"vcpus\":2,\"xen\":\"4.17.5\",\"from_start\":false,"
                    "\"start\":\"t\"}",
                    &e, &log),
        XCX_LOG_HEADER);
    assert_string_equal(e.header.name, "\xc3\xa9\xf0\x9f\x98\x80\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_extra_members),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_blank),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_bad_syntax),
        cmocka_unit_test(test_huge),
        cmocka_unit_test(test_header_roundtrip),
        cmocka_unit_test(test_write_roundtrip),
        cmocka_unit_test(test_header_bad),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
