/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xenctrl_ext.h: MTRR memory types of Xen HVM guests, for dom0 tools.
 *
 * Conventions, stated once for the whole API:
 *  - A function returning int returns 0 on success and -1 on failure with
 *    errno set; a function returning a pointer returns NULL with errno set.
 *  - Every fallible call takes or inherits a xentoollog_logger (NULL: be
 *    silent) and logs one message naming the bad value; logging never
 *    changes errno.
 *  - Guest-supplied data (save records, contexts, MSR values) is validated;
 *    bad data is EINVAL, never undefined behaviour.
 *  - Nothing here keeps global state; handles and maps are independent and
 *    may be used from different threads as long as each is used by one
 *    thread at a time (lookups on a built map may run concurrently).
 *
 * The header needs neither __XEN_TOOLS__ nor any unstable Xen header.
 */
#ifndef XENCTRL_EXT_H
#define XENCTRL_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xentoollog.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Same typedef as <xenctrl.h>; repeating an identical typedef is valid C11. */
typedef struct xc_interface_core xc_interface;

/* ------------------------------------------------------------------------ */
/* Memory types and MSRs                                                     */
/* ------------------------------------------------------------------------ */

/* Memory type encodings of the Intel SDM (MTRR and PAT). */
enum xcx_mem_type {
    XCX_MT_UC = 0,
    XCX_MT_WC = 1,
    XCX_MT_WT = 4,
    XCX_MT_WP = 5,
    XCX_MT_WB = 6,
    XCX_MT_UC_MINUS = 7, /* PAT only */
};

/* MSR indices of the MTRR interface. */
#define XCX_MSR_MTRRCAP        0x0fe
#define XCX_MSR_MTRR_PHYSBASE0 0x200 /* base of pair i: 0x200 + 2i */
#define XCX_MSR_MTRR_PHYSMASK0 0x201 /* mask of pair i: 0x201 + 2i */
#define XCX_MSR_MTRR_FIX64K    0x250
#define XCX_MSR_MTRR_FIX16K_0  0x258
#define XCX_MSR_MTRR_FIX16K_1  0x259
#define XCX_MSR_MTRR_FIX4K_0   0x268 /* 0x268..0x26f */
#define XCX_MSR_PAT            0x277
#define XCX_MSR_MTRR_DEF_TYPE  0x2ff

/* Bits of MTRRcap, MTRRdefType and PHYSMASK. */
#define XCX_MTRRCAP_VCNT_MASK 0xffu
#define XCX_MTRRCAP_FIX       (1u << 8)
#define XCX_MTRRCAP_WC        (1u << 10)
#define XCX_MTRR_DEF_FE       (1u << 10)
#define XCX_MTRR_DEF_E        (1u << 11)
#define XCX_MTRR_MASK_VALID   (1u << 11)

/* Limits: a save record holds 8 variable pairs and 11 fixed-range MSRs. */
#define XCX_MTRR_VAR_MAX         8
#define XCX_MTRR_FIXED_MSRS      11
#define XCX_MTRR_FIXED_SUBRANGES (XCX_MTRR_FIXED_MSRS * 8) /* 88 */
#define XCX_FIXED_RANGE_END      0x100000u /* fixed ranges cover [0, 1 MiB) */

/* Accepted physical-address widths (CPUID 0x80000008 EAX[7:0]). */
#define XCX_MAXPHYSADDR_MIN     32
#define XCX_MAXPHYSADDR_MAX     52
#define XCX_MAXPHYSADDR_DEFAULT 36 /* the SDM's width without the leaf */

/* Size in bytes of Xen's MTRR save record (struct hvm_hw_mtrr). */
#define XCX_MTRR_RECORD_SIZE 240

/**
 * xcx_mem_type_name: name of a memory type encoding.
 *
 * Returns "UC", "WC", "WT", "WP", "WB" or "UC-", or NULL (errno EINVAL) for
 * an encoding that is no memory type (2, 3, 8..255).
 *
 * Since: 1.0
 */
const char *xcx_mem_type_name(unsigned int code);

/* ------------------------------------------------------------------------ */
/* MTRR state of one vCPU (pure: no Xen calls)                               */
/* ------------------------------------------------------------------------ */

/* Register values of one vCPU, in the order of Xen's save record. */
struct xcx_mtrr_regs {
    uint64_t pat; /* IA32_PAT (0x277) */
    struct {
        uint64_t base; /* PHYSBASE: address | type */
        uint64_t mask; /* PHYSMASK: mask | valid bit 11 */
    } var[XCX_MTRR_VAR_MAX];
    uint64_t fixed[XCX_MTRR_FIXED_MSRS]; /* 0x250, 0x258, 0x259, 0x268.. */
    uint64_t cap;                        /* MTRRcap (0xfe), read-only */
    uint64_t def_type;                   /* MTRRdefType (0x2ff) */
};

/*
 * A validated MTRR state. var_known has bit i set when variable pair i is
 * known to be the guest's own value; the others are copies the save record
 * cannot be trusted for (Xen >= 4.12 saves pair 0 into every slot).
 */
struct xcx_mtrr_state {
    struct xcx_mtrr_regs regs;
    unsigned int maxphysaddr; /* guest physical-address width in bits */
    unsigned int vcnt;        /* variable pairs in use: MTRRcap.VCNT */
    uint32_t var_known;       /* bit i: pair i is exact (base and mask) */
    uint32_t var_regs_known;  /* bit 2i: PHYSBASEi exact, 2i+1: PHYSMASKi */
};

/**
 * xcx_mtrr_state_init: validate registers into a state.
 *
 * Checks every register as Xen checks the guest's MSR writes: types in
 * MTRRdefType, the 88 fixed sub-ranges and each PHYSBASE must be UC, WC, WT,
 * WP or WB; PAT entries may also be UC-; MTRRdefType may have no bit outside
 * 0xcff; PHYSBASE bits 8..11, PHYSMASK bits 0..10 and any bit at or above
 * @maxphysaddr are reserved; MTRRcap.VCNT must be at most 8. Pairs at or
 * above VCNT are ignored. @var_known is masked to the pairs below VCNT;
 * var_regs_known gets both bits of every known pair.
 *
 * Errors: EINVAL with a message naming the register and its value, or the
 * width when @maxphysaddr is outside [32, 52].
 *
 * Since: 1.0
 */
int xcx_mtrr_state_init(struct xcx_mtrr_state *st,
                        const struct xcx_mtrr_regs *regs,
                        unsigned int maxphysaddr, uint32_t var_known,
                        xentoollog_logger *lg);

/**
 * xcx_mtrr_record_decode: decode and validate Xen's MTRR save record.
 *
 * @rec is the payload of one HVM_SAVE_CODE(MTRR) record (struct hvm_hw_mtrr,
 * little-endian, XCX_MTRR_RECORD_SIZE bytes), as
 * xc_domain_hvm_getcontext_partial() returns it. Validation is that of
 * xcx_mtrr_state_init().
 *
 * Which pairs are exact: Xen 4.12 and later save variable pair 0 into every
 * slot. Pair 0 is always exact. If some slot below VCNT differs from slot 0
 * the record cannot come from that save path, so every pair is exact;
 * otherwise pairs 1..VCNT-1 are marked unknown.
 *
 * Errors: EINVAL when @len is not XCX_MTRR_RECORD_SIZE or a register is
 * invalid (message names the field and value).
 *
 * Since: 1.0
 */
int xcx_mtrr_record_decode(struct xcx_mtrr_state *st, const void *rec,
                           size_t len, unsigned int maxphysaddr,
                           xentoollog_logger *lg);

/**
 * xcx_mtrr_regs_width_hint: the physical-address width a record shows.
 *
 * A valid PHYSMASK has every bit from the range size up to the width minus
 * one set, so its top set bit tells the width. Returns the largest such
 * width over the valid pairs below VCNT, clamped to [36, 52]; 36 when no
 * valid pair shows one. Never fails.
 *
 * Since: 1.0
 */
unsigned int xcx_mtrr_regs_width_hint(const struct xcx_mtrr_regs *regs);

/* Where a resolved type comes from. */
enum xcx_mtrr_origin {
    XCX_ORIGIN_DISABLED = 0, /* MTRRdefType.E clear: everything UC */
    XCX_ORIGIN_FIXED = 1,    /* a fixed sub-range below 1 MiB (FE set) */
    XCX_ORIGIN_VARIABLE = 2, /* one or more variable pairs match */
    XCX_ORIGIN_DEFAULT = 3,  /* no pair matches: MTRRdefType.Type */
};

/* How several matching variable pairs combine. */
enum xcx_mtrr_overlap {
    XCX_OVERLAP_NONE = 0,       /* zero or one pair matches */
    XCX_OVERLAP_SAME = 1,       /* several pairs, all of one type */
    XCX_OVERLAP_PRECEDENCE = 2, /* SDM rule: any UC wins; WT with WB is WT */
    XCX_OVERLAP_UNDEFINED = 3,  /* undefined in the SDM; Xen applies the
                                   type of the highest matching pair */
};

/* The MTRR type of one address. */
struct xcx_mtrr_result {
    uint8_t type;        /* enum xcx_mem_type: the type Xen applies */
    uint8_t origin;      /* enum xcx_mtrr_origin */
    uint8_t overlap;     /* enum xcx_mtrr_overlap */
    bool reliable;       /* false: type may differ for unknown pairs */
    uint32_t pairs;      /* bit i: variable pair i matches */
    uint8_t fixed_index; /* sub-range 0..87 when origin is FIXED */
};

/**
 * xcx_mtrr_origin_name, xcx_mtrr_overlap_name: lower-case names
 * ("disabled", "fixed", "variable", "default"; "none", "same", "precedence",
 * "undefined"), NULL with EINVAL for other values.
 *
 * Since: 1.0
 */
const char *xcx_mtrr_origin_name(unsigned int origin);
const char *xcx_mtrr_overlap_name(unsigned int overlap);

/**
 * xcx_mtrr_resolve: the MTRR type of one guest-physical address, by rule.
 *
 * Applies Xen's get_mtrr_type() and the SDM: E clear is UC; with FE set an
 * address below 1 MiB takes its fixed sub-range; else every valid pair below
 * VCNT whose (address & mask) equals (base & mask), mask bits 12 up to the
 * width, matches; no match is the default type; several matches combine as
 * enum xcx_mtrr_overlap says.
 *
 * result->reliable is false when the type could differ had the unknown
 * pairs (st->var_known) their real values: that is, for an origin of
 * VARIABLE or DEFAULT while some pair below VCNT is unknown, unless a known
 * matching pair is UC (UC wins whatever the others hold).
 *
 * The state is a plain struct: registers this lookup consults are checked
 * again, so one edited since its validation gets EINVAL, not a bad type.
 *
 * Errors: ERANGE when @gpa >= 2^maxphysaddr; EINVAL for a state whose VCNT,
 * width or consulted types are invalid.
 *
 * Since: 1.0
 */
int xcx_mtrr_resolve(const struct xcx_mtrr_state *st, uint64_t gpa,
                     struct xcx_mtrr_result *result, xentoollog_logger *lg);

/* ------------------------------------------------------------------------ */
/* MTRR type map (pure)                                                      */
/* ------------------------------------------------------------------------ */

/*
 * A sorted list of half-open ranges covering [0, 2^maxphysaddr), each with
 * the result xcx_mtrr_resolve() gives for every address in it; neighbours
 * with equal results are merged. Merging ignores fixed_index, so the fixed
 * sub-ranges of one type form one range, whose entry carries the index of
 * its first sub-range; lookups give each address its own index. Lookups
 * are a binary search.
 */
typedef struct xcx_mtrr_map xcx_mtrr_map;

/* One range of a map. */
struct xcx_mtrr_map_entry {
    uint64_t start;
    uint64_t end; /* exclusive */
    struct xcx_mtrr_result result;
};

/* The type of a range of addresses. */
struct xcx_mtrr_range_result {
    struct xcx_mtrr_result first; /* result at the first address */
    bool uniform;                 /* one type over the whole range */
    bool reliable;                /* every address's type is reliable */
    uint32_t types;               /* bit t: type t occurs in the range */
};

/**
 * xcx_mtrr_map_build: build the type map of a state.
 *
 * The map keeps @lg for the messages of its lookups. Variable pairs with
 * non-contiguous masks match many disjoint ranges; a map that would need
 * more than XCX_MTRR_MAP_MAX_ENTRIES ranges is refused.
 *
 * Errors: EINVAL for a state xcx_mtrr_state_init() would reject, E2BIG for
 * a map past the limit (the message names the pairs), ENOMEM.
 *
 * Since: 1.0
 */
#define XCX_MTRR_MAP_MAX_ENTRIES 65536
xcx_mtrr_map *xcx_mtrr_map_build(const struct xcx_mtrr_state *st,
                                 xentoollog_logger *lg);

/**
 * xcx_mtrr_map_free: free a map; NULL is allowed. Keeps errno.
 *
 * Since: 1.0
 */
void xcx_mtrr_map_free(xcx_mtrr_map *map);

/**
 * xcx_mtrr_map_lookup: the result of one address, as xcx_mtrr_resolve()
 * would give it, found by binary search.
 *
 * Errors: ERANGE when @gpa >= 2^maxphysaddr.
 *
 * Since: 1.0
 */
int xcx_mtrr_map_lookup(const xcx_mtrr_map *map, uint64_t gpa,
                        struct xcx_mtrr_result *result);

/**
 * xcx_mtrr_map_range: the type of [@gpa, @gpa + @len) and whether it is
 * uniform, e.g. whether a 2 MiB or 1 GiB mapping has one type.
 *
 * Errors: EINVAL for @len 0; ERANGE when the range reaches past
 * 2^maxphysaddr or wraps.
 *
 * Since: 1.0
 */
int xcx_mtrr_map_range(const xcx_mtrr_map *map, uint64_t gpa, uint64_t len,
                       struct xcx_mtrr_range_result *result);

/**
 * xcx_mtrr_map_size, xcx_mtrr_map_entry: iterate the map's ranges in
 * address order. xcx_mtrr_map_entry() fails with ERANGE past the end.
 *
 * Since: 1.0
 */
size_t xcx_mtrr_map_size(const xcx_mtrr_map *map);
int xcx_mtrr_map_entry(const xcx_mtrr_map *map, size_t index,
                       struct xcx_mtrr_map_entry *entry);

/* ------------------------------------------------------------------------ */
/* Saved HVM contexts (pure)                                                 */
/* ------------------------------------------------------------------------ */

/* The MTRR records of a whole HVM context, one per vCPU. */
typedef struct xcx_hvm_context xcx_hvm_context;

/**
 * xcx_hvm_context_parse: index a context as xc_domain_hvm_getcontext()
 * returns it: records of {uint16 typecode, uint16 instance, uint32 length}
 * and a payload, HEADER (1) first with Xen's magic, END (0) last.
 *
 * Records are read by their descriptor's length. The MTRR records (14) must
 * be XCX_MTRR_RECORD_SIZE bytes, one per vCPU, for vCPUs 0..n-1 with none
 * missing or repeated. The context keeps a copy of what it needs.
 *
 * Errors: EINVAL for a truncated, oversized, duplicated or missing record,
 * a bad header or missing END (message names record, offset and value);
 * ENOMEM.
 *
 * Since: 1.0
 */
xcx_hvm_context *xcx_hvm_context_parse(const void *blob, size_t len,
                                       xentoollog_logger *lg);

/**
 * xcx_hvm_context_free: free a context; NULL is allowed. Keeps errno.
 *
 * Since: 1.0
 */
void xcx_hvm_context_free(xcx_hvm_context *ctx);

/**
 * xcx_hvm_context_nr_vcpus: number of vCPUs (MTRR records) in the context.
 *
 * Since: 1.0
 */
unsigned int xcx_hvm_context_nr_vcpus(const xcx_hvm_context *ctx);

/**
 * xcx_hvm_context_width_hint: xcx_mtrr_regs_width_hint() over all vCPUs.
 *
 * Since: 1.0
 */
unsigned int xcx_hvm_context_width_hint(const xcx_hvm_context *ctx);

/**
 * xcx_hvm_context_mtrr: decode one vCPU's record with
 * xcx_mtrr_record_decode().
 *
 * Errors: ENOENT for a vCPU the context does not hold; those of
 * xcx_mtrr_record_decode(). Logs through the parse's logger.
 *
 * Since: 1.0
 */
int xcx_hvm_context_mtrr(const xcx_hvm_context *ctx, unsigned int vcpu,
                         unsigned int maxphysaddr, struct xcx_mtrr_state *st);

/* ------------------------------------------------------------------------ */
/* MSR writes and tracking (pure)                                            */
/* ------------------------------------------------------------------------ */

/* What became of one proposed MSR write. */
struct xcx_write_outcome {
    bool accepted; /* false: Xen refuses it and the guest gets #GP */
    bool changed;  /* accepted and the register's value changed */
    /* Some type may have changed: the write, or an old_value correcting
     * the tracked view, touched a register that resolution reads
     * (reliability alone does not count). */
    bool types_changed;
    uint64_t old_value; /* the register before the write */
    char reason[160];   /* why it was refused, or "" */
};

/**
 * xcx_msr_name: the SDM name of an MTRR or PAT MSR ("MTRRcap",
 * "MTRRdefType", "MTRRphysBase0".."MTRRphysMask7", "MTRRfix64K_00000",
 * "MTRRfix16K_80000", "MTRRfix16K_A0000", "MTRRfix4K_C0000".."MTRRfix4K_F8000",
 * "PAT"), or NULL (errno EINVAL) for any other MSR.
 *
 * Since: 1.1
 */
const char *xcx_msr_name(uint32_t msr);

/**
 * xcx_mtrr_apply_write: apply one proposed guest write to a state exactly
 * as Xen's intercept would (xen/arch/x86/hvm/mtrr.c, 4.17): MTRRcap is
 * read-only; MTRRdefType, the 11 fixed-range MSRs, PHYSBASE/PHYSMASK of the
 * pairs below VCNT and PAT are checked as xcx_mtrr_state_init() checks
 * them. A refused write leaves the state as it was and says why in
 * @out->reason; it is not an error.
 *
 * @old_value, when not NULL, is the register's value before the write as
 * Xen reported it (vm_event's old_value): it becomes the register's known
 * value first, so even a refused write makes that register exact. An
 * accepted write to PHYSBASEi or PHYSMASKi makes that register exact.
 *
 * Errors: EINVAL for an MSR that is neither an MTRR nor the PAT MSR (Xen
 * 4.17 treats 0x210..0x24f as further variable pairs, which a domU with
 * VCNT 8 cannot have: those are EINVAL too), an @old_value no register can
 * hold or an MTRRcap @old_value that differs from the state's, or a state
 * with a VCNT or width out of bounds; the state is unchanged then.
 *
 * Since: 1.1
 */
int xcx_mtrr_apply_write(struct xcx_mtrr_state *st, uint32_t msr,
                         uint64_t value, const uint64_t *old_value,
                         struct xcx_write_outcome *out, xentoollog_logger *lg);

/*
 * A tracker: the MTRR state of every vCPU of one domain, kept current by
 * the guest's MSR writes, with a type map per vCPU rebuilt only after a
 * write that changed a type. Lookups make no call to Xen.
 */
typedef struct xcx_mtrr_tracker xcx_mtrr_tracker;

/*
 * Tracking began before the guest ran: every register is exact, and one
 * the baseline cannot show (a copy of pair 0 in a record) holds its
 * power-on value 0 until the guest writes it.
 */
#define XCX_TRACK_FROM_START 1u

/**
 * xcx_tracker_new: a tracker for @nr_vcpus vCPUs starting from @baseline
 * (an array of @nr_vcpus validated states, e.g. from xcx_mtrr_read_all()).
 * With XCX_TRACK_FROM_START every variable register is marked exact and
 * those the baseline does not know are reset to their power-on value 0;
 * otherwise the baseline's knowledge is kept. The tracker keeps @lg.
 *
 * Errors: EINVAL for 0 vCPUs, unknown flags or an invalid baseline state;
 * ENOMEM.
 *
 * Since: 1.1
 */
xcx_mtrr_tracker *xcx_tracker_new(const struct xcx_mtrr_state *baseline,
                                  unsigned int nr_vcpus, unsigned int flags,
                                  xentoollog_logger *lg);

/**
 * xcx_tracker_free: free a tracker; NULL is allowed. Keeps errno.
 *
 * Since: 1.1
 */
void xcx_tracker_free(xcx_mtrr_tracker *tr);

/**
 * xcx_tracker_nr_vcpus: the number of vCPUs tracked.
 *
 * Since: 1.1
 */
unsigned int xcx_tracker_nr_vcpus(const xcx_mtrr_tracker *tr);

/**
 * xcx_tracker_apply: xcx_mtrr_apply_write() on vCPU @vcpu's state; when a
 * type changed, that vCPU's map is rebuilt.
 *
 * Errors: EINVAL for a vCPU out of range, an MSR that is not tracked or an
 * impossible @old_value (see xcx_mtrr_apply_write()).
 *
 * Since: 1.1
 */
int xcx_tracker_apply(xcx_mtrr_tracker *tr, unsigned int vcpu, uint32_t msr,
                      uint64_t value, const uint64_t *old_value,
                      struct xcx_write_outcome *out);

/**
 * xcx_tracker_feed_event: for an agent that owns the domain's monitor ring:
 * pass one vm_event request (@req, @len bytes, a vm_event_request_t of
 * VM_EVENT_INTERFACE_VERSION 7) as read from the ring. A MOV_TO_MSR request
 * for an MTRR or PAT MSR is applied with its new_value as the proposed write
 * and its old_value as Xen's; the agent still answers the request itself.
 *
 * Returns 1 when the request was applied, 0 when it is not about an MTRR or
 * PAT MSR (another reason, or another MSR: nothing changes and @out is not
 * written).
 *
 * Errors: EINVAL for a short request, another interface version, a vCPU
 * out of range or an impossible old_value.
 *
 * Since: 1.1
 */
int xcx_tracker_feed_event(xcx_mtrr_tracker *tr, const void *req, size_t len,
                           struct xcx_write_outcome *out);

/**
 * xcx_tracker_lookup, xcx_tracker_range: xcx_mtrr_map_lookup() and
 * xcx_mtrr_map_range() on vCPU @vcpu's current map (the direct rule when a
 * guest's masks made the map too large to build). No call to Xen.
 *
 * Errors: EINVAL for a vCPU out of range; those of the map calls; for a
 * range when the guest's masks made the map too large, E2BIG if the range
 * alone needs more than XCX_MTRR_MAP_MAX_ENTRIES ranges, ENOMEM.
 *
 * Since: 1.1
 */
int xcx_tracker_lookup(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                       uint64_t gpa, struct xcx_mtrr_result *result);
int xcx_tracker_range(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                      uint64_t gpa, uint64_t len,
                      struct xcx_mtrr_range_result *result);

/**
 * xcx_tracker_state: a copy of vCPU @vcpu's current state.
 *
 * Errors: EINVAL for a vCPU out of range.
 *
 * Since: 1.1
 */
int xcx_tracker_state(const xcx_mtrr_tracker *tr, unsigned int vcpu,
                      struct xcx_mtrr_state *st);

/**
 * xcx_tracker_map: vCPU @vcpu's current map, owned by the tracker and valid
 * until the next write applied to that vCPU; NULL with EINVAL for a vCPU
 * out of range, E2BIG when the guest's masks made it too large, or ENOMEM
 * (lookups still work then).
 *
 * Since: 1.1
 */
const xcx_mtrr_map *xcx_tracker_map(const xcx_mtrr_tracker *tr,
                                    unsigned int vcpu);

/* ------------------------------------------------------------------------ */
/* Replay logs (pure)                                                        */
/* ------------------------------------------------------------------------ */

/* One recorded write: a JSON Lines entry of xc-mtrr-watch --record. */
struct xcx_logged_write {
    unsigned int vcpu;
    uint32_t msr;
    uint64_t value;
    uint64_t old_value;
    bool has_old_value;
};

/**
 * xcx_replay_parse_line: parse one line of a write log: a JSON object with
 * at least "vcpu" (a number), "msr" and "value" (hex strings such as
 * "0x200"), optionally "old" (hex string); other members are ignored. An
 * empty or blank line gives 0 with nothing parsed; a parsed write gives 1.
 *
 * Errors: EINVAL for anything else, with a message naming @lineno and what
 * is wrong.
 *
 * Since: 1.1
 */
int xcx_replay_parse_line(const char *line, size_t len, unsigned int lineno,
                          struct xcx_logged_write *w, xentoollog_logger *lg);

/*
 * A write log (format version 1, documented in xc-mtrr-watch(1)) is JSON
 * Lines: a header object first, then one object per write. Register values
 * are written as "0x" and 16 hex digits; readers take any hex string.
 *
 *   {"log":"xc-mtrr-watch","version":1,"domid":5,"name":"guest",
 *    "uuid":"...","maxphysaddr":39,"vcpus":2,"xen":"4.17.5",
 *    "from_start":true,"start":"2026-12-07T23:00:00Z"}
 *   {"vcpu":0,"msr":"0x200","value":"0x...","old":"0x...","accepted":true}
 */
#define XCX_LOG_NAME     "xc-mtrr-watch" /* the header's "log" member */
#define XCX_LOG_VERSION  1
#define XCX_LOG_NAME_MAX 255    /* bytes of a domain name, without the NUL */
#define XCX_LOG_LINE_MAX 4096   /* the longest line the formatters write */
#define XCX_DOMID_LIMIT  0x7ff0 /* DOMID_FIRST_RESERVED: domids are below */

/* What a log's header says of the recording. */
struct xcx_log_header {
    unsigned int version; /* XCX_LOG_VERSION */
    uint32_t domid;
    char name[XCX_LOG_NAME_MAX + 1]; /* UTF-8; "" when it was not known */
    uint8_t uuid[16];                /* the toolstack's handle of the domain */
    unsigned int maxphysaddr;        /* the guest's width, [32, 52] */
    unsigned int nr_vcpus;
    char xen_version[32]; /* e.g. "4.17.5" or "4.20.5-pre" */
    bool from_start;      /* checked: no vCPU had run when it began */
    char start[32];       /* when it began, UTC: "2026-12-07T23:00:00Z" */
};

enum xcx_log_kind { XCX_LOG_BLANK = 0, XCX_LOG_HEADER = 1, XCX_LOG_WRITE = 2 };

/* One line of a write log. */
struct xcx_log_entry {
    enum xcx_log_kind kind;
    struct xcx_log_header header;  /* XCX_LOG_HEADER */
    struct xcx_logged_write write; /* XCX_LOG_WRITE */
    int accepted; /* XCX_LOG_WRITE: Xen's verdict, 1 or 0; -1 not recorded */
};

/**
 * xcx_log_parse_line: parse one line of a write log into @e. A line is a
 * header when its object has a "log" member: then "log" must be
 * XCX_LOG_NAME, "version" XCX_LOG_VERSION, and every member of struct
 * xcx_log_header must be there ("domid", "name", "uuid", "maxphysaddr",
 * "vcpus", "xen", "from_start", "start"). Otherwise it is a write, read as
 * xcx_replay_parse_line() reads it, with "accepted" (true or false) when
 * present. Members a kind does not know are checked as JSON and skipped.
 * Returns the kind (XCX_LOG_BLANK for an empty or blank line).
 *
 * Errors: EINVAL for anything else (another version, a value out of
 * bounds, a missing member), with a message naming @lineno, the column and
 * what is wrong; @e is untouched then.
 *
 * Since: 1.4
 */
int xcx_log_parse_line(const char *line, size_t len, unsigned int lineno,
                       struct xcx_log_entry *e, xentoollog_logger *lg);

/**
 * xcx_log_format_header, xcx_log_format_write: one log line, with its
 * '\n', into @buf (@size bytes, XCX_LOG_LINE_MAX always suffices): the
 * header of @h (written as XCX_LOG_VERSION whatever @h->version says), or
 * the write @w with Xen's verdict @accepted. Returns the length written.
 *
 * Errors: EINVAL for a header xcx_log_parse_line() would refuse (a field
 * out of bounds, a string that fills its array without a NUL, a version or
 * time that is not printable ASCII); ENOSPC when @size is too small.
 *
 * Since: 1.4
 */
int xcx_log_format_header(const struct xcx_log_header *h, char *buf,
                          size_t size);
int xcx_log_format_write(const struct xcx_logged_write *w, bool accepted,
                         char *buf, size_t size);

/* ------------------------------------------------------------------------ */
/* PV page tables (pure: frames come through callbacks)                     */
/* ------------------------------------------------------------------------ */

/* Page-table entry flags, as named in the SDM (NX is bit 63 of an entry). */
#define XCX_PTE_P   (1u << 0)
#define XCX_PTE_RW  (1u << 1)
#define XCX_PTE_US  (1u << 2)
#define XCX_PTE_PWT (1u << 3)
#define XCX_PTE_PCD (1u << 4)
#define XCX_PTE_A   (1u << 5)
#define XCX_PTE_D   (1u << 6)
#define XCX_PTE_PSE (1u << 7)
#define XCX_PTE_G   (1u << 8)
#define XCX_PTE_NX  (1u << 9) /* our bit for entry bit 63 */

/**
 * xcx_pte_flag_name: "P", "RW", "US", "PWT", "PCD", "A", "D", "PSE", "G"
 * or "NX" for one XCX_PTE_* bit; NULL (EINVAL) otherwise.
 *
 * Since: 1.2
 */
const char *xcx_pte_flag_name(uint32_t flag);

/* Which part of a PV guest's virtual address space an address is in. */
enum xcx_pv_area {
    XCX_PV_AREA_GUEST = 0,    /* the guest's own */
    XCX_PV_AREA_XEN_RO = 1,   /* read-only to the guest (M2P) */
    XCX_PV_AREA_XEN = 2,      /* reserved for Xen */
    XCX_PV_AREA_NONCANON = 3, /* not canonical: no mapping possible */
};

/*
 * How a walker reads a PV guest. Frames are 4 KiB machine frames (MFNs).
 * @read_frame returns a pointer to the frame's 4096 bytes that stays valid
 * until the walk or dump returns, or NULL with errno set (and may log).
 * @m2p translates an MFN into the guest's PFN: 0, or -1 with ENOENT when
 * the frame is not the guest's. The walker calls nothing else.
 */
struct xcx_pv_guest {
    unsigned int width; /* guest width in bytes: 8 (4 levels), 4 (PAE) */
    uint64_t max_mfn;   /* MFNs at or above this are out of range */
    const void *(*read_frame)(void *arg, uint64_t mfn);
    int (*m2p)(void *arg, uint64_t mfn, uint64_t *pfn);
    /* May be NULL: the frames a dump is about to read, so a back end can
     * map them in one batch. Failures are ignored (read_frame reports). */
    void (*prefetch)(void *arg, const uint64_t *mfns, size_t n);
    void *arg;
};

/* One level of a walk. */
struct xcx_pv_level {
    unsigned int level; /* 4 (L4) .. 1 (L1) */
    unsigned int index; /* entry index in the table */
    uint64_t table_mfn; /* the frame holding the table */
    uint64_t entry;     /* the raw entry */
    uint32_t flags;     /* XCX_PTE_* */
    uint64_t mfn;       /* the frame the entry names, if present */
    uint64_t pfn;       /* its PFN through the M2P */
    bool pfn_valid;     /* false: the frame is not the guest's */
};

/* The result of one walk. */
struct xcx_pv_walk {
    uint64_t va;
    uint8_t area; /* enum xcx_pv_area; only GUEST is walked */
    bool mapped;
    unsigned int nr_levels; /* entries in levels[], top first */
    struct xcx_pv_level levels[4];
    unsigned int stop_level; /* !mapped: the level of the non-present
                                entry, 0 when not walked */
    uint64_t page_size;      /* 4 KiB, 2 MiB or 1 GiB */
    uint64_t mfn, pfn;       /* the 4 KiB frame holding @va */
    bool pfn_valid;
    uint64_t maddr, paddr;   /* machine and pseudo-physical address;
                                paddr 0 when !pfn_valid */
    bool writable, user, nx; /* effective along the path */
    uint8_t pat_index;       /* PAT << 2 | PCD << 1 | PWT */
    uint8_t cache;           /* enum xcx_mem_type under Xen's PAT */
};

/* The PAT Xen runs PV guests with (XEN_MSR_PAT). */
#define XCX_XEN_PV_PAT UINT64_C(0x0000050100070406)

/**
 * xcx_pv_area_of: the area of @va for a guest of @width bytes (NOTES: on
 * 64-bit Xen, 0xffff800000000000-0xffff807fffffffff is read-only to
 * guests, up to 0xffff87ffffffffff reserved; a 32-bit PAE guest's
 * 0xf5800000 and above is read-only). A width other than 4 or 8 gives
 * XCX_PV_AREA_NONCANON with errno EINVAL.
 *
 * Since: 1.2
 */
enum xcx_pv_area xcx_pv_area_of(unsigned int width, uint64_t va);

/**
 * xcx_pv_walk: walk @va from the root table @root_mfn (L4 for 64-bit, the
 * L3 for PAE). A non-present entry ends the walk with mapped false and
 * stop_level set. An address outside the guest's area is reported with
 * its area and not walked.
 *
 * Hostile tables cannot make it loop or read outside a frame: at most one
 * frame per level is read; reserved bits set in a present entry and MFNs
 * at or above max_mfn are EINVAL naming the level, index and entry.
 *
 * Errors: EINVAL for a non-canonical @va (or one above 4 GiB for PAE), an
 * invalid entry, or a width other than 4 and 8; the errno of @read_frame
 * (message names the frame).
 *
 * Since: 1.2
 */
int xcx_pv_walk(const struct xcx_pv_guest *g, uint64_t root_mfn, uint64_t va,
                struct xcx_pv_walk *walk, xentoollog_logger *lg);

/*
 * A run of a dump: consecutive leaves with equal effective flags (A and D
 * left out: the CPU changes them all the time), page size and cache type,
 * and contiguous PFNs (MFNs for frames not the guest's). An alias run
 * covers the span of the entry that reached an already dumped table again:
 * page_size is that span, mfn_start/pfn_start the table's own frame, flags
 * and cache those of the path to that entry, alias_va where the table was
 * first reached.
 */
struct xcx_pv_run {
    uint64_t va_start, va_end; /* end exclusive */
    uint64_t pfn_start;        /* PFN of va_start */
    bool pfn_valid;            /* false: frames not the guest's (MFNs) */
    uint64_t mfn_start;
    uint64_t page_size;
    uint32_t flags; /* effective XCX_PTE_* of the leaves */
    uint8_t cache;  /* enum xcx_mem_type */
    /* The run is a second view of tables already dumped at alias_va: the
     * dump does not walk them again (bounds the work of shared tables). */
    bool alias;
    uint64_t alias_va;
};

/**
 * xcx_pv_dump: every mapping in [@va_start, @va_end) (clipped to the
 * guest-owned areas, in whole 4 KiB pages; @va_end 0 means 2^64) as
 * coalesced runs in VA order, like Linux's ptdump. A run reaching the top
 * of the address space has va_end 0.
 * Each table frame is read once per dump; a table reached a second time at
 * the same level gives one alias run instead of a second walk, so the work
 * is bounded by the number of distinct table frames. Before reading the
 * tables a table points to, the dump passes their MFNs to g->prefetch. @cb
 * returning non-zero stops the dump (its value is returned).
 *
 * Errors: those of xcx_pv_walk() for entries inside the range; EINVAL for
 * an empty range or a NULL @cb; ENOMEM.
 *
 * Since: 1.2
 */
int xcx_pv_dump(const struct xcx_pv_guest *g, uint64_t root_mfn,
                uint64_t va_start, uint64_t va_end,
                int (*cb)(void *arg, const struct xcx_pv_run *run), void *arg,
                xentoollog_logger *lg);

/* ------------------------------------------------------------------------ */
/* xl dump-core files (pure)                                                 */
/* ------------------------------------------------------------------------ */

typedef struct xcx_core xcx_core;

/**
 * xcx_core_open: index an xl dump-core image held in memory (@image, @len,
 * which must outlive the handle): ELF64 (x86-64 guest) or with EM_386 (a
 * 32-bit PV guest), sections .note.Xen (HEADER note, magic 0xF00FEBED for
 * PV), .xen_prstatus (one vcpu_guest_context_any_t of 5168 bytes per vCPU,
 * for both widths, as Xen writes it), .xen_p2m ({pfn, gmfn} pairs, pfn
 * ascending; the {~0, ~0} padding of a guest that shrank while dumped is
 * accepted at the end) and .xen_pages. Every offset, size and count is
 * checked.
 *
 * Errors: EINVAL naming what is wrong (section, offset, count); EOPNOTSUPP
 * for an HVM core; ENOMEM.
 *
 * Since: 1.2
 */
xcx_core *xcx_core_open(const void *image, size_t len, xentoollog_logger *lg);

/**
 * xcx_core_close: free a core handle; NULL is allowed. Keeps errno.
 *
 * Since: 1.2
 */
void xcx_core_close(xcx_core *core);

/**
 * xcx_core_nr_vcpus, xcx_core_width: vCPUs and guest width (4 or 8 bytes).
 *
 * Since: 1.2
 */
unsigned int xcx_core_nr_vcpus(const xcx_core *core);
unsigned int xcx_core_width(const xcx_core *core);

/**
 * xcx_core_root: the MFN of a vCPU's kernel root table (ctrlreg[3]) or,
 * with @user for a 64-bit guest, of its user root (ctrlreg[1]).
 *
 * Errors: EINVAL for a vCPU out of range; ENOENT when the vCPU has no such
 * root (ctrlreg[1] 0, any user root of a 32-bit guest, or a kernel root
 * of 0). *@mfn is untouched on failure.
 *
 * Since: 1.2
 */
int xcx_core_root(const xcx_core *core, unsigned int vcpu, bool user,
                  uint64_t *mfn);

/**
 * xcx_core_guest: a walker description reading frames from the image and
 * translating with its P2M (MFN -> PFN by reverse lookup), valid while the
 * core is open; frame pointers point into the image. max_mfn is 2^40 (the
 * 52-bit address limit): frames a guest maps but does not own (shared info,
 * grants) are absent from the dump and read as ENOENT, not EINVAL.
 *
 * Since: 1.2
 */
void xcx_core_guest(xcx_core *core, struct xcx_pv_guest *g);

/* ------------------------------------------------------------------------ */
/* Live domains (the only part that talks to Xen)                            */
/* ------------------------------------------------------------------------ */

typedef struct xcx_handle xcx_handle;

/**
 * xcx_open: open libxenctrl for this library. @lg receives the library's
 * messages (NULL: none); @flags must be 0.
 *
 * Errors: EINVAL for unknown flags; whatever xc_interface_open() sets.
 *
 * Since: 1.0
 */
xcx_handle *xcx_open(xentoollog_logger *lg, unsigned int flags);

/**
 * xcx_close: close a handle; NULL is allowed.
 *
 * Since: 1.0
 */
int xcx_close(xcx_handle *h);

/* What the library needs to know of a domain. */
struct xcx_domain_info {
    uint32_t domid;
    unsigned int nr_vcpus; /* max_vcpu_id + 1 */
    bool hvm;              /* HVM or PVH: has MTRR records */
    bool dying;
};

/**
 * xcx_domain_info: facts of one domain, from xc_domain_getinfolist().
 *
 * Errors: ESRCH when there is no domain @domid; Xen's errno otherwise.
 *
 * Since: 1.0
 */
int xcx_domain_info(xcx_handle *h, uint32_t domid,
                    struct xcx_domain_info *info);

/**
 * xcx_domain_maxphysaddr: the guest's physical-address width, CPUID leaf
 * 0x80000008 EAX[7:0] of its CPU policy (36 when the policy has no such
 * leaf). Not the host's HAP width.
 *
 * Errors: ESRCH; EINVAL when the policy reports a width outside [32, 52];
 * Xen's errno otherwise.
 *
 * Since: 1.0
 */
int xcx_domain_maxphysaddr(xcx_handle *h, uint32_t domid, unsigned int *bits);

/**
 * xcx_domain_has_run: whether any vCPU of @domid has ever run, from the
 * running time Xen keeps per vCPU (xc_vcpu_getinfo()'s cpu_time): Xen
 * creates vCPUs offline and counts running time only while one is
 * scheduled, so a domain created paused (xl create -p) and never unpaused
 * has 0 on every vCPU. The answer holds as long as the domain stays
 * paused; the toolstack's paused flag alone cannot tell (a guest paused
 * after running has it too).
 *
 * Errors: EINVAL for a NULL argument; ESRCH; EOPNOTSUPP when the handle
 * cannot tell; Xen's errno otherwise.
 *
 * Since: 1.4
 */
int xcx_domain_has_run(xcx_handle *h, uint32_t domid, bool *has_run);

/**
 * xcx_mtrr_read: read one vCPU's MTRR record with
 * xc_domain_hvm_getcontext_partial() and decode it. @maxphysaddr 0 takes
 * the width from the guest's CPU policy. Reading pauses that vCPU briefly.
 *
 * Errors: ESRCH no such domain; EOPNOTSUPP for a PV domain ("domain N is
 * PV; MTRR types need an HVM guest"); EINVAL for a vCPU out of range or an
 * invalid record; Xen's errno otherwise.
 *
 * Since: 1.0
 */
int xcx_mtrr_read(xcx_handle *h, uint32_t domid, unsigned int vcpu,
                  unsigned int maxphysaddr, struct xcx_mtrr_state *st);

/**
 * xcx_mtrr_read_all: xcx_mtrr_read() for every vCPU, one record read each.
 * On success *@states is a malloc()ed array of *@nr states for vCPUs
 * 0..*@nr-1; the caller frees it with free().
 *
 * Errors: those of xcx_mtrr_read(); ENOMEM.
 *
 * Since: 1.0
 */
int xcx_mtrr_read_all(xcx_handle *h, uint32_t domid, unsigned int maxphysaddr,
                      struct xcx_mtrr_state **states, unsigned int *nr);

/* A library-owned vm_event monitor that feeds a tracker. */
typedef struct xcx_monitor xcx_monitor;

/*
 * The domain was created paused and has not run: every register exact.
 * Checked: xcx_monitor_open() fails with EALREADY when a vCPU has run
 * (see xcx_domain_has_run()).
 */
#define XCX_MONITOR_FROM_START 1u
/*
 * Once attached (the baseline read, the ring on, the MSRs subscribed),
 * release the toolstack's pause of a domain created with xl create -p, so
 * no write can come before the monitor is there. The domain must be
 * paused by the toolstack when xcx_monitor_open() is called.
 */
#define XCX_MONITOR_UNPAUSE 2u

/**
 * xcx_monitor_open: attach to HVM domain @domid: read every vCPU's record
 * as the baseline, enable the domain's monitor ring, subscribe to writes of
 * MTRRdefType, the fixed-range MSRs, PHYSBASE/PHYSMASK below VCNT and PAT,
 * and bind its event channel. The domain is paused while this happens. On
 * failure everything set up is undone. Only one monitor ring per domain
 * exists: an agent that owns it uses xcx_tracker_feed_event() instead.
 * The monitor borrows @h, which must stay open until xcx_monitor_close().
 *
 * Errors: those of xcx_mtrr_read_all(); EBUSY when the domain's ring is
 * already in use; with XCX_MONITOR_FROM_START (since 1.4), EALREADY when a
 * vCPU of the domain has run; with XCX_MONITOR_UNPAUSE (since 1.4), EINVAL
 * when the domain is not paused by the toolstack; EOPNOTSUPP when the
 * handle cannot check either; Xen's errno otherwise. On every failure the
 * domain is left paused or running as it was.
 *
 * Since: 1.1
 */
xcx_monitor *xcx_monitor_open(xcx_handle *h, uint32_t domid,
                              unsigned int flags);

/**
 * xcx_monitor_log_header: the header of a write log of this monitor
 * (xcx_log_format_header()): the domain's id, name (from xenstore; "" when
 * it has none) and UUID, the guest's width and vCPU count as the baseline
 * showed them, Xen's version, whether tracking began before the guest ran
 * (only when XCX_MONITOR_FROM_START was given and checked) and when the
 * monitor attached.
 *
 * Errors: EINVAL for a NULL argument; ESRCH when the domain is gone;
 * EOPNOTSUPP when the handle cannot tell; Xen's errno otherwise.
 *
 * Since: 1.4
 */
int xcx_monitor_log_header(xcx_monitor *mon, struct xcx_log_header *hdr);

/* Called for every tracked write a monitor consumes. */
typedef void xcx_monitor_cb(void *arg, unsigned int vcpu, uint32_t msr,
                            uint64_t value,
                            const struct xcx_write_outcome *out);

/**
 * xcx_monitor_fd: a file descriptor that becomes readable when the event
 * channel has an event, for poll(). Readiness may be spurious:
 * xcx_monitor_poll() then returns 0.
 *
 * Since: 1.1
 */
int xcx_monitor_fd(const xcx_monitor *mon);

/**
 * xcx_monitor_poll: wait up to @timeout_ms (-1: no limit, 0: do not wait)
 * for requests, then consume every pending one: apply it to the tracker,
 * call @cb (may be NULL), and answer it so the vCPU resumes. Returns the
 * number of requests consumed.
 *
 * One call handles at most 8192 requests, so a guest that never stops
 * writing cannot hold the caller; the rest is taken by the next call.
 *
 * Errors: EINTR when a signal interrupted the wait (nothing consumed);
 * EIO for a ring whose indexes make no sense or a failed event channel;
 * EINVAL for a NULL monitor; Xen's errno otherwise.
 *
 * Since: 1.1
 */
int xcx_monitor_poll(xcx_monitor *mon, int timeout_ms, xcx_monitor_cb *cb,
                     void *arg);

/**
 * xcx_monitor_tracker: the monitor's tracker, valid until
 * xcx_monitor_close().
 *
 * Since: 1.1
 */
xcx_mtrr_tracker *xcx_monitor_tracker(xcx_monitor *mon);

/**
 * xcx_monitor_close: detach, leaving the guest running and unmonitored:
 * pause the domain, answer every pending request, unsubscribe the MSRs,
 * answer what came meanwhile, disable the ring, close the event channel,
 * unpause. Every step is tried even when one fails; the pause this call
 * took is always released (if pausing itself failed, nothing is unpaused,
 * so no one else's pause is undone). NULL is allowed. Call it before
 * xcx_close() of the handle the monitor was opened with.
 *
 * Errors: the errno of the first step that failed.
 *
 * Since: 1.1
 */
int xcx_monitor_close(xcx_monitor *mon);

/**
 * xcx_monitor_detach: xcx_monitor_close(), reporting through @cb (may be
 * NULL) the requests it drains while tearing down, as xcx_monitor_poll()
 * does, so a caller that records every write misses none.
 *
 * Errors: as xcx_monitor_close().
 *
 * Since: 1.3
 */
int xcx_monitor_detach(xcx_monitor *mon, xcx_monitor_cb *cb, void *arg);

/* Xen's view of a page-table frame: its type and pin state. */
struct xcx_page_type {
    unsigned int level; /* 4..1 when Xen holds it as that table type, 0 not */
    bool pinned;
    bool invalid; /* XTAB/BROKEN/XALLOC: not a usable guest frame */
};

/* A live PV guest: its vCPU roots, frames and types. */
typedef struct xcx_pv_domain xcx_pv_domain;

/**
 * xcx_pv_open: attach to PV domain @domid: its width, the M2P
 * (xc_map_m2p()) and a foreign-memory handle for its frames.
 *
 * Errors: ESRCH for no such domain or a dying one; EOPNOTSUPP for an HVM
 * domain ("domain N is HVM; page-table walks need a PV guest"); Xen's
 * errno otherwise.
 *
 * Since: 1.2
 */
xcx_pv_domain *xcx_pv_open(xcx_handle *h, uint32_t domid);

/**
 * xcx_pv_close: detach; NULL is allowed. Keeps errno.
 *
 * Since: 1.2
 */
void xcx_pv_close(xcx_pv_domain *pv);

/**
 * xcx_pv_width, xcx_pv_nr_vcpus: the guest's width (4 or 8) and vCPUs.
 *
 * Since: 1.2
 */
unsigned int xcx_pv_width(const xcx_pv_domain *pv);
unsigned int xcx_pv_nr_vcpus(const xcx_pv_domain *pv);

/**
 * xcx_pv_root: a vCPU's kernel root (ctrlreg[3]) or, with @user, user root
 * (ctrlreg[1] of a 64-bit guest), from xc_vcpu_getcontext().
 *
 * Errors: EINVAL for a vCPU out of range; ENOENT for no user root (a
 * 32-bit guest, ctrlreg[1] 0) or a kernel ctrlreg[3] of 0 (a vCPU never
 * brought up); Xen's errno otherwise.
 *
 * Since: 1.2
 */
int xcx_pv_root(xcx_pv_domain *pv, unsigned int vcpu, bool user, uint64_t *mfn);

/**
 * xcx_pv_guest: a walker description for the live domain. Frames are mapped
 * with xenforeignmemory_map() in batches and kept until
 * xcx_pv_forget_frames() or xcx_pv_close(): call that between walks to see
 * fresh contents. An unmappable frame (a dying domain) is an error naming
 * the frame. A dump's prefetch maps a table's children in one call.
 *
 * The M2P answer for a frame is its PFN unless it is at or above the larger
 * of the domain's max_pages and its maximum GPFN + 1 (INVALID_M2P_ENTRY,
 * Xen's own pages): then ENOENT, not the guest's. A frame another domain
 * granted can pass; xcx_pv_page_types() says invalid for it. Tables are
 * read only from RAM; max_mfn is the 52-bit architectural limit, so leaves
 * naming I/O memory above RAM are shown (with no PFN).
 *
 * Since: 1.2
 */
void xcx_pv_guest(xcx_pv_domain *pv, struct xcx_pv_guest *g);
void xcx_pv_forget_frames(xcx_pv_domain *pv);

/**
 * xcx_pv_page_types: Xen's type and pin state of @n MFNs, with
 * xc_get_pfn_type_batch() in batches of at most 1024.
 *
 * Errors: Xen's errno.
 *
 * Since: 1.2
 */
int xcx_pv_page_types(xcx_pv_domain *pv, const uint64_t *mfns, size_t n,
                      struct xcx_page_type *types);

/* ------------------------------------------------------------------------ */
/* Domain lists                                                              */
/* ------------------------------------------------------------------------ */

/* One domain of a list: its facts, and what the toolstack knows it by. */
struct xcx_domain_entry {
    struct xcx_domain_info info;
    uint8_t handle[16]; /* the toolstack's UUID of the domain (xl's) */
    bool paused;        /* paused by the toolstack (xl pause, xl create -p) */
    bool shutdown;      /* shut down, not yet destroyed */
};

/**
 * xcx_domain_list: every domain on the host, in ascending domid order,
 * read with xc_domain_getinfolist() in chunks. On success *@list is a
 * malloc()ed array of *@nr entries (NULL when there is none) that the
 * caller frees with free(). A domain created or destroyed meanwhile may or
 * may not be listed; dying domains are listed with info.dying set.
 *
 * Errors: EINVAL for a NULL argument; EIO when Xen's answers are not in
 * ascending domid order; ENOMEM; Xen's errno otherwise.
 *
 * Since: 1.3
 */
int xcx_domain_list(xcx_handle *h, struct xcx_domain_entry **list,
                    unsigned int *nr);

/**
 * xc_domain_hvm_get_mtrr_type: the call proposed on xen-devel in 2012, done
 * in full: the MTRR type of guest-physical address @paddress as Xen applies
 * it, for vCPU 0 of @domid, resolved with fixed ranges, variable pairs,
 * overlap precedence, enable bits and the guest's address width. The type
 * may rest on variable pairs the save record cannot show; callers that
 * need to know use xcx_mtrr_read() and xcx_mtrr_resolve().
 *
 * Errors: those of xcx_mtrr_read() and xcx_mtrr_resolve(); EINVAL for a
 * NULL @xch or @type.
 *
 * Since: 1.0
 */
int xc_domain_hvm_get_mtrr_type(xc_interface *xch, uint32_t domid,
                                unsigned long paddress, uint8_t *type);

#ifdef __cplusplus
}
#endif

#endif /* XENCTRL_EXT_H */
