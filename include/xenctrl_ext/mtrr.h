/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xenctrl_ext/mtrr.h: MTRR state, resolution, type maps and saved HVM
 * contexts (pure), and the MTRR records of live HVM/PVH domains.
 *
 * Part of <xenctrl_ext.h>, which states the conventions of the whole API;
 * include that. Sections marked (pure) are in libxenctrl_ext_pure, the
 * others in libxenctrl_ext.
 */
#ifndef XENCTRL_EXT_MTRR_H
#define XENCTRL_EXT_MTRR_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/* One fixed sub-range (SDM 11.11.2.2): [start, start + size), its type. */
struct xcx_fixed_range {
    uint32_t start;
    uint32_t size;
    unsigned int type; /* the byte as held (a valid state: a type) */
};

/**
 * xcx_mtrr_fixed_range: fixed sub-range @index (0..87) of @regs, in
 * save-record order: 8 x 64 KiB from 0 (MSR 0x250), 16 x 16 KiB from
 * 0x80000 (0x258, 0x259), 64 x 4 KiB from 0xC0000 (0x268..0x26F); byte i
 * of an MSR is its sub-range i. @regs may be NULL for the bounds alone
 * (type 0).
 *
 * Errors: EINVAL for @index above 87 or a NULL @out.
 *
 * Since: 1.4
 */
int xcx_mtrr_fixed_range(const struct xcx_mtrr_regs *regs, unsigned int index,
                         struct xcx_fixed_range *out);

/* A variable pair decoded: the addresses it covers and how. */
struct xcx_mtrr_pair {
    bool valid;        /* PHYSMASK bit 11 */
    bool exact;        /* known: not a copy of pair 0 in a save record */
    bool contiguous;   /* the mask describes one range [start, start+size) */
    unsigned int type; /* PHYSBASE bits 7:0 */
    uint64_t start;    /* base & mask, within the width */
    uint64_t size;     /* the range's size when contiguous, else 0 */
    uint64_t low;      /* the mask's lowest bit (2^width for a mask of 0) */
};

/**
 * xcx_mtrr_pair_decode: variable pair @index (0..7) of @st as a range. A
 * pair matches an address when (address & mask) == (base & mask), with the
 * mask taken within [12, maxphysaddr): its lowest set bit is the size of a
 * contiguous range; a mask with holes matches a repeating pattern instead
 * (contiguous false, size 0). Registers are taken as they are: decode a
 * validated state.
 *
 * Errors: EINVAL for a NULL argument, @index above 7 or a width outside
 * [32, 52].
 *
 * Since: 1.4
 */
int xcx_mtrr_pair_decode(const struct xcx_mtrr_state *st, unsigned int index,
                         struct xcx_mtrr_pair *out);

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
 * its first sub-range; lookups give each address its own index. A radix
 * index on the address's top bits finds the range: one table load for
 * almost every address, a few for addresses near boundaries that are not
 * aligned to 1/16 of their magnitude; build time and memory are linear in
 * the number of ranges (memory at most about 64 bytes per range more).
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
 * would give it, found through the map's index.
 *
 * Errors: ERANGE when @gpa >= 2^maxphysaddr.
 *
 * Since: 1.0
 */
int xcx_mtrr_map_lookup(const xcx_mtrr_map *map, uint64_t gpa,
                        struct xcx_mtrr_result *result);

/**
 * xcx_mtrr_map_lookup_batch: xcx_mtrr_map_lookup() of @n addresses in one
 * call, @results[i] for @gpas[i]. While the next address stays inside the
 * range of the previous one the range is not looked up again, so sorted
 * (or clustered) addresses cost a compare and a copy each; any order is
 * correct.
 *
 * Every address is checked before any result is written: on failure
 * @results is untouched.
 *
 * Errors: ERANGE when some @gpas[i] >= 2^maxphysaddr (the message names
 * the first such index and address); EINVAL for a NULL array with @n > 0.
 * @n 0 succeeds and writes nothing.
 *
 * Since: 1.4
 */
int xcx_mtrr_map_lookup_batch(const xcx_mtrr_map *map, const uint64_t *gpas,
                              size_t n, struct xcx_mtrr_result *results);

/**
 * xcx_mtrr_map_range: the type of [@gpa, @gpa + @len) and whether it is
 * uniform, e.g. whether a 2 MiB or 1 GiB mapping has one type. Exact:
 * uniform means every address of the range resolves to one type, after
 * overlap precedence (Xen's mtrr_get_type() with an order answers "not
 * uniform" wherever two pairs of different types overlap, even when
 * precedence makes the block one type, and for a pair covering part of
 * the block lets it decide the whole block).
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

/* A copy of a map's ranges and types, kept across rebuilds of the map. */
typedef struct xcx_mtrr_snapshot xcx_mtrr_snapshot;

/* One range whose type changed between two snapshots. */
struct xcx_mtrr_change {
    uint64_t start, end; /* [start, end) */
    uint8_t from, to;    /* enum xcx_mem_type */
};

typedef void xcx_mtrr_change_cb(void *arg, const struct xcx_mtrr_change *c);

/**
 * xcx_mtrr_snapshot_take: the ranges and types of @map, independent of it
 * (a tracker frees its maps when it rebuilds them).
 *
 * Errors: EINVAL for a NULL map; ENOMEM.
 *
 * Since: 1.4
 */
xcx_mtrr_snapshot *xcx_mtrr_snapshot_take(const xcx_mtrr_map *map);

/**
 * xcx_mtrr_snapshot_free: free a snapshot; NULL is allowed.
 *
 * Since: 1.4
 */
void xcx_mtrr_snapshot_free(xcx_mtrr_snapshot *s);

/**
 * xcx_mtrr_snapshot_diff: call @cb (may be NULL) for each maximal range
 * whose type differs between @before and @after, in address order, and store
 * their number in *@nr_changes (may be NULL). Used to tell what a write
 * changed, or where two vCPUs differ.
 *
 * Errors: EINVAL for a NULL snapshot or snapshots of maps of different
 * widths.
 *
 * Since: 1.4
 */
int xcx_mtrr_snapshot_diff(const xcx_mtrr_snapshot *before,
                           const xcx_mtrr_snapshot *after,
                           xcx_mtrr_change_cb *cb, void *arg,
                           size_t *nr_changes);

/* ------------------------------------------------------------------------ */
/* Saved HVM contexts (pure)                                                 */
/* ------------------------------------------------------------------------ */

/* The MTRR records of a whole HVM context, one per vCPU. */
typedef struct xcx_hvm_context xcx_hvm_context;

/*
 * The most vCPUs Xen gives an HVM or PVH domain: HVM_MAX_VCPUS of Xen's
 * public/hvm/hvm_info_table.h (128 in 4.17 to 4.22), enforced when the
 * domain is created (arch_sanitise_domain_config()). Since: 1.4
 */
#define XCX_HVM_MAX_VCPUS 128

/**
 * xcx_hvm_context_parse: index a context as xc_domain_hvm_getcontext()
 * returns it: records of {uint16 typecode, uint16 instance, uint32 length}
 * and a payload, HEADER (1) first with Xen's magic, END (0) last.
 *
 * Records are read by their descriptor's length. The MTRR records (14) must
 * be XCX_MTRR_RECORD_SIZE bytes, one per vCPU, for vCPUs 0..n-1 with none
 * missing or repeated, n at most XCX_HVM_MAX_VCPUS. The context keeps a
 * copy of what it needs.
 *
 * Errors: EINVAL for a truncated, oversized, duplicated or missing record,
 * an MTRR record for a vCPU Xen cannot have (XCX_HVM_MAX_VCPUS or above,
 * since 1.4), a bad header or missing END (message names record, offset
 * and value); ENOMEM.
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
/* Live HVM/PVH domains (libxenctrl_ext)                                     */
/* ------------------------------------------------------------------------ */

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

#endif /* XENCTRL_EXT_MTRR_H */
