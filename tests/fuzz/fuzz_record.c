/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness: one MTRR save record (240 bytes) straight into
 * xcx_mtrr_record_decode(). Bytes after the record only steer addresses.
 */
#include "fuzz_check.h"

/* struct hvm_hw_mtrr, little-endian (NOTES.md §3). */
static void ref_record(struct xcx_mtrr_regs *r, const uint8_t *p)
{
    unsigned int i;

    r->pat = ctxb_le_load(p, 8);
    for (i = 0; i < XCX_MTRR_VAR_MAX; i++) {
        r->var[i].base = ctxb_le_load(p + 8 + 16 * i, 8);
        r->var[i].mask = ctxb_le_load(p + 16 + 16 * i, 8);
    }
    for (i = 0; i < XCX_MTRR_FIXED_MSRS; i++)
        r->fixed[i] = ctxb_le_load(p + 136 + 8 * i, 8);
    r->cap = ctxb_le_load(p + 224, 8);
    r->def_type = ctxb_le_load(p + 232, 8);
}

static void check_width(const uint8_t *data, size_t size,
                        const struct xcx_mtrr_regs *ref, unsigned int width)
{
    struct xcx_mtrr_state st;
    unsigned int i;
    bool valid = ref_regs_valid(ref, width);
    int rc;

    memset(&st, 0, sizeof(st));
    errno = 0;
    rc = xcx_mtrr_record_decode(&st, data, XCX_MTRR_RECORD_SIZE, width, NULL);
    if (rc < 0 && errno != EINVAL)
        fuzz_fail("record_decode at width %u: errno %d", width, errno);
    if ((rc == 0) != valid)
        fuzz_fail("record_decode at width %u: %s a record the header calls "
                  "%s",
                  width, rc == 0 ? "accepted" : "refused",
                  valid ? "valid" : "invalid");
    if (rc < 0)
        return;

    if (st.maxphysaddr != width)
        fuzz_fail("decoded at width %u, asked %u", st.maxphysaddr, width);
    if (st.regs.pat != ref->pat || st.regs.cap != ref->cap ||
        st.regs.def_type != ref->def_type ||
        memcmp(st.regs.fixed, ref->fixed, sizeof(ref->fixed)))
        fuzz_fail("decoded registers differ from the record's bytes");
    for (i = 0; i < st.vcnt; i++)
        if (st.regs.var[i].base != ref->var[i].base ||
            st.regs.var[i].mask != ref->var[i].mask)
            fuzz_fail("decoded pair %u differs from the record's bytes", i);
    if (st.var_known != ref_var_known(ref))
        fuzz_fail("var_known 0x%" PRIx32 ", expected 0x%" PRIx32, st.var_known,
                  ref_var_known(ref));
    fuzz_check_state(&st, data, size);
}

/*
 * A state made up straight from the bytes, never validated: map building
 * must refuse it exactly when xcx_mtrr_state_init() would (EINVAL), and
 * resolving must not misbehave either way.
 */
static void check_raw_state(const uint8_t *data, size_t size,
                            const struct xcx_mtrr_regs *ref)
{
    struct xcx_mtrr_state raw;
    struct xcx_mtrr_result res;
    xcx_mtrr_map *map;
    uint8_t tail = size > XCX_MTRR_RECORD_SIZE ? data[size - 1] : 0;
    bool valid;

    memset(&raw, 0, sizeof(raw));
    raw.regs = *ref;
    raw.vcnt = ref->cap & XCX_MTRRCAP_VCNT_MASK;
    raw.maxphysaddr = size > XCX_MTRR_RECORD_SIZE ? tail & 63 : 36;
    raw.var_known = (raw.vcnt < 32 ? (UINT32_C(1) << raw.vcnt) - 1 : 0) &
                    (size > XCX_MTRR_RECORD_SIZE + 1 ? data[size - 2] : 1);
    valid = ref_regs_valid(ref, raw.maxphysaddr);

    /* Refusing is cheap; a costly valid map is built on a sample only. */
    if (valid && fuzz_map_costly(&raw) &&
        fuzz_hash(data, size) % FUZZ_COSTLY_EVERY)
        goto resolve;
    errno = 0;
    map = xcx_mtrr_map_build(&raw, NULL);
    if (!map && errno == EINVAL && valid)
        fuzz_fail("map_build refused a valid unvalidated state");
    if (map && !valid)
        fuzz_fail("map_build accepted a state state_init refuses (width %u, "
                  "vcnt %u)",
                  raw.maxphysaddr, raw.vcnt);
    xcx_mtrr_map_free(map);

resolve:
    /* Resolve checks what it needs; it must not read out of bounds. */
    xcx_mtrr_resolve(&raw, 0, &res, NULL);
    xcx_mtrr_resolve(&raw, 0xa0000, &res, NULL);
    xcx_mtrr_resolve(&raw, UINT64_C(0xf0000000), &res, NULL);
    xcx_mtrr_resolve(&raw, ctxb_le_load(data + 8, 8), &res, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xcx_mtrr_regs ref;
    struct xcx_mtrr_state st;
    unsigned int hint, width;

    /* Any other length is refused. */
    if (size != XCX_MTRR_RECORD_SIZE) {
        errno = 0;
        if (xcx_mtrr_record_decode(&st, data, size, 36, NULL) != -1 ||
            errno != EINVAL)
            fuzz_fail("record_decode accepted %zu bytes", size);
        if (size < XCX_MTRR_RECORD_SIZE)
            return 0;
    }

    ref_record(&ref, data);
    hint = xcx_mtrr_regs_width_hint(&ref);
    if (hint != ref_width_hint(&ref))
        fuzz_fail("width hint %u, expected %u", hint, ref_width_hint(&ref));

    /* Widths outside [32, 52] are refused. */
    if (xcx_mtrr_record_decode(&st, data, XCX_MTRR_RECORD_SIZE, 31, NULL) !=
            -1 ||
        xcx_mtrr_record_decode(&st, data, XCX_MTRR_RECORD_SIZE, 53, NULL) != -1)
        fuzz_fail("record_decode accepted width 31 or 53");

    /* Record bytes are mostly valid types; take a width from all bytes. */
    width = fuzz_width_from(data, size);
    check_width(data, size, &ref, hint);
    if (width != hint)
        check_width(data, size, &ref, width);
    check_raw_state(data, size, &ref);
    return 0;
}
