/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"
#include "replay.h"
#include "xcx_config.h"

#define DOMID_MAX   0x7fefu     /* DOMID_FIRST_RESERVED - 1 */
#define CONTEXT_MAX (64u << 20) /* far above any real HVM context */

const char *prog = "xc-mtrr";

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

int finish_output(int rc)
{
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "%s: writing the output: %s\n", prog, strerror(errno));
        return EXIT_ERROR;
    }
    return rc;
}

void usage_error(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", prog);
    exit(EXIT_USAGE);
}

bool standard_option(int opt, bool *json, void (*help)(void))
{
    switch (opt) {
    case 'j':
        *json = true;
        return true;
    case 'h':
        help();
        exit(finish_output(EXIT_OK));
    case 'V':
        printf("%s %s\n", prog, XCX_VERSION);
        exit(finish_output(EXIT_OK));
    }
    return false;
}

unsigned int vcpu_argument(const char *arg)
{
    uint64_t v;

    if (!parse_uint(arg, 0, UINT16_MAX, &v))
        usage_error("invalid vCPU '%s' (0..65535)", arg);
    return v;
}

uint32_t domid_argument(const char *arg)
{
    uint64_t v;

    if (!parse_uint(arg, 0, DOMID_MAX, &v))
        usage_error("invalid DOMID '%s' (0..%u)", arg, DOMID_MAX);
    return v;
}

bool common_option(struct source *src, bool *json, void (*help)(void), int opt,
                   const char *arg)
{
    uint64_t v;

    if (standard_option(opt, json, help))
        return true;
    switch (opt) {
    case 'c':
        src->context = arg;
        return true;
    case 'v':
        src->vcpu = vcpu_argument(arg);
        return true;
    case 'a':
        src->all_vcpus = true;
        return true;
    case 'r':
        src->replay = arg;
        return true;
    case 'P':
        src->replay_partial = true;
        return true;
    case 'w':
        if (!parse_uint(arg, XCX_MAXPHYSADDR_MIN, XCX_MAXPHYSADDR_MAX, &v))
            usage_error("invalid maxphysaddr '%s' (%u..%u bits)", arg,
                        XCX_MAXPHYSADDR_MIN, XCX_MAXPHYSADDR_MAX);
        src->maxphysaddr = v;
        return true;
    }
    return false;
}

void replay_option_checks(const struct source *src)
{
    if ((src->replay || src->replay_partial) && !src->context)
        usage_error("--replay and --replay-partial need --context FILE");
    if (src->replay_partial && !src->replay)
        usage_error("--replay-partial needs --replay LOG");
}

int source_operands(struct source *src, int argc, char **argv, int optind)
{
    replay_option_checks(src);
    if (src->context)
        return optind;
    if (optind >= argc)
        usage_error(src->offline_ok ? "missing DOMID (or --context FILE)"
                                    : "missing DOMID");
    src->domid = domid_argument(argv[optind]);
    return optind + 1;
}

int map_file(const char *path, const void **data, size_t *len)
{
    static const unsigned char empty[1];
    struct stat sb;
    void *p;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0 || fstat(fd, &sb))
        goto fail;
    if (!S_ISREG(sb.st_mode)) {
        fprintf(stderr, "%s: %s: not a regular file\n", prog, path);
        close(fd);
        return -1;
    }
    if ((uint64_t)sb.st_size > SIZE_MAX) {
        errno = EFBIG;
        goto fail;
    }
    p = sb.st_size ? mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0)
                   : (void *)empty;
    if (p == MAP_FAILED)
        goto fail;
    close(fd);
    *data = p;
    *len = sb.st_size;
    return 0;
fail:
    fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

void unmap_file(const void *data, size_t len)
{
    if (data && len)
        munmap((void *)data, len);
}

int read_whole_file(const char *path, size_t max, unsigned char **data,
                    size_t *len)
{
    struct stat sb;
    unsigned char *buf = NULL;
    size_t got = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC), saved;

    if (fd < 0)
        return -1;
    if (fstat(fd, &sb))
        goto fail;
    if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size > max) {
        errno = EFBIG;
        goto fail;
    }
    buf = malloc(sb.st_size ? sb.st_size : 1);
    if (!buf)
        goto fail;
    while (got < (size_t)sb.st_size) {
        ssize_t n = read(fd, buf + got, sb.st_size - got);

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
    free(buf);
    close(fd);
    errno = saved;
    return -1;
}

/* Read a whole context file, saying on stderr what went wrong. */
static int read_file(const char *path, unsigned char **data, size_t *len)
{
    if (!read_whole_file(path, CONTEXT_MAX, data, len))
        return 0;
    if (errno == EFBIG) {
        fprintf(stderr, "%s: %s: not a regular file of at most %u bytes\n",
                prog, path, CONTEXT_MAX);
        errno = EINVAL;
    } else {
        fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
    }
    return -1;
}

static int alloc_states(const struct source *src, unsigned int nr_vcpus,
                        struct states *out)
{
    if (!src->all_vcpus && src->vcpu >= nr_vcpus) {
        fprintf(stderr, "%s: vCPU %u out of range: the guest has %u\n", prog,
                src->vcpu, nr_vcpus);
        return -1;
    }
    out->first_vcpu = src->all_vcpus ? 0 : src->vcpu;
    out->count = src->all_vcpus ? nr_vcpus : 1;
    out->state = calloc(out->count, sizeof(*out->state));
    return out->state ? 0 : -1;
}

/*
 * Every vCPU of the context, with the log replayed when one is given: a
 * log recorded from the guest's creation makes every register exact.
 */
static int replayed_states(const struct source *src, xcx_hvm_context *ctx,
                           unsigned int width, xentoollog_logger *lg,
                           struct states *out)
{
    unsigned int nr = xcx_hvm_context_nr_vcpus(ctx);
    struct xcx_mtrr_state *all = calloc(nr, sizeof(*all));
    xcx_mtrr_tracker *tr = NULL;
    int rc = -1;

    if (!all)
        return -1;
    for (unsigned int v = 0; v < nr; v++)
        if (xcx_hvm_context_mtrr(ctx, v, width, &all[v]))
            goto out;
    tr = xcx_tracker_new(all, nr,
                         src->replay_partial ? 0 : XCX_TRACK_FROM_START, lg);
    if (!tr || replay_log(tr, src->replay, lg))
        goto out;
    for (unsigned int i = 0; i < out->count; i++)
        xcx_tracker_state(tr, out->first_vcpu + i, &out->state[i]);
    rc = 0;
out:
    xcx_tracker_free(tr);
    free(all);
    return rc;
}

static int load_context(const struct source *src, xentoollog_logger *lg,
                        struct states *out)
{
    unsigned char *blob;
    size_t len;
    xcx_hvm_context *ctx;
    unsigned int width;
    int rc = -1;

    if (read_file(src->context, &blob, &len))
        return -1;
    ctx = xcx_hvm_context_parse(blob, len, lg);
    free(blob);
    if (!ctx) {
        fprintf(stderr, "%s: %s: not a valid HVM context\n", prog,
                src->context);
        return -1;
    }
    width =
        src->maxphysaddr ? src->maxphysaddr : xcx_hvm_context_width_hint(ctx);
    if (alloc_states(src, xcx_hvm_context_nr_vcpus(ctx), out))
        goto out;
    if (src->replay) {
        rc = replayed_states(src, ctx, width, lg, out);
        goto out;
    }
    for (unsigned int i = 0; i < out->count; i++)
        if (xcx_hvm_context_mtrr(ctx, out->first_vcpu + i, width,
                                 &out->state[i]))
            goto out;
    rc = 0;
out:
    xcx_hvm_context_free(ctx);
    return rc;
}

static int load_live(const struct source *src, xentoollog_logger *lg,
                     struct states *out)
{
    xcx_handle *h = xcx_open(lg, 0);
    int rc;

    if (!h)
        return -1;
    if (src->all_vcpus) {
        out->first_vcpu = 0;
        rc = xcx_mtrr_read_all(h, src->domid, src->maxphysaddr, &out->state,
                               &out->count);
    } else {
        out->first_vcpu = src->vcpu;
        out->count = 1;
        out->state = calloc(1, sizeof(*out->state));
        rc = out->state ? xcx_mtrr_read(h, src->domid, src->vcpu,
                                        src->maxphysaddr, out->state)
                        : -1;
    }
    xcx_close(h);
    return rc;
}

int load_states(const struct source *src, xentoollog_logger *lg,
                struct states *out)
{
    int rc;

    memset(out, 0, sizeof(*out));
    rc = src->context ? load_context(src, lg, out) : load_live(src, lg, out);
    if (rc)
        free_states(out);
    return rc;
}

void free_states(struct states *st)
{
    free(st->state);
    st->state = NULL;
    st->count = 0;
}

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

int run_per_vcpu(const struct source *src, states_fn check, vcpu_fn fn,
                 void *arg)
{
    xentoollog_logger_stdiostream *lg;
    struct states states;
    int rc = EXIT_ERROR;

    lg = xtl_createlogger_stdiostream(stderr, XTL_ERROR, 0);
    if (!lg)
        return EXIT_ERROR;
    if (load_states(src, (xentoollog_logger *)lg, &states))
        goto out;
    if (check && check(&states, arg))
        goto out_states;
    for (unsigned int i = 0; i < states.count; i++)
        if (fn(states.first_vcpu + i, &states.state[i], arg,
               (xentoollog_logger *)lg))
            goto out_states;
    rc = EXIT_OK;
out_states:
    free_states(&states);
out:
    xtl_logger_destroy((xentoollog_logger *)lg);
    return finish_output(rc);
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

struct pair_shape pair_shape(const struct xcx_mtrr_state *st, unsigned int i)
{
    uint64_t bits = ((UINT64_C(1) << st->maxphysaddr) - 1) & ~UINT64_C(0xfff);
    uint64_t mask = st->regs.var[i].mask & bits;
    uint64_t low = mask ? mask & -mask : UINT64_C(1) << st->maxphysaddr;
    struct pair_shape s = {
        .valid = st->regs.var[i].mask & XCX_MTRR_MASK_VALID,
        .exact = st->var_known >> i & 1,
        .type = st->regs.var[i].base & 0xff,
        .start = st->regs.var[i].base & mask,
        .low = low,
    };

    /* Contiguous: every bit from the lowest set one up to the width. */
    s.contiguous = mask == (bits & ~(low - 1));
    s.size = s.contiguous ? low : 0;
    return s;
}
