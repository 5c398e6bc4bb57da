/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the CLI tests run the tools on: the two committed sample contexts of
 * tests/data/ and contexts crafted at run time (with tests/support's
 * ctxbuild) into a temporary directory removed at the end.
 *
 * Every CLI test program takes the same arguments:
 *   XC_MTRR_TYPE XC_MTRR_MAP DATA_DIR [XC_MTRR_WATCH]
 */
#ifndef TEST_CLI_FIXTURES_H
#define TEST_CLI_FIXTURES_H

/* The built tools; xc_watch is NULL unless it was given. */
extern const char *xc_type, *xc_map, *xc_watch;

/*
 * The samples: a 2-vCPU hvmloader guest, maxphysaddr 36, MTRRdefType 0xc06
 * (WB, E, FE), fixed ranges WB but the VGA hole 0xa0000-0xbffff WC, the PCI
 * hole in UC pair 0 = [0xe8000000, 0xf0000000) and UC pair 1 =
 * [0xf0000000, 4 GiB).
 *  - sample417: as Xen 4.17 saves it, pair 0 in all eight slots;
 *  - samplefix: pair 0 in slot 0, pair 1 in slot 1, slots 2..7 zero.
 */
extern const char *sample417, *samplefix;
/* Real contexts of the e2e suite's hvmloader guest (2 vCPUs, maxphysaddr
 * 40, mmio_hole = 384), saved live on Xen 4.17 (LAPIC records of 24 bytes)
 * and Xen 4.20 (32 bytes). */
extern const char *real417, *real420;

/* Crafted contexts, 1 vCPU and default WB with E and FE unless told. */
enum crafted {
    CTX_UC_WB,      /* WB [0xc0000000, 4 GiB) + UC [0xd0000000, +256 MiB) */
    CTX_WT_WB,      /* the same with WT in place of UC */
    CTX_UNDEFINED,  /* WC + WB overlaps, both ways round (pairs 0-1, 2-3) */
    CTX_E_CLEAR,    /* E clear, in Xen 4.17's shape (pair 0 copied) */
    CTX_FE_CLEAR,   /* FE clear, fixed 0xa0000-0xbffff UC, pair 0 UC */
    CTX_DIFFER,     /* 2 vCPUs: vCPU 1's default type is UC */
    CTX_BAD_MAGIC,  /* a HEADER with a bad magic */
    CTX_TRUNCATED,  /* sample417 less its last 100 bytes */
    CTX_JUNK,       /* 512 bytes of junk */
    CTX_BAD_RECORD, /* well formed, but PHYSBASE0 has type 2 */
    CTX_EMPTY,      /* an empty file */
    CTX_DIR,        /* a directory */
    CTX_MISSING,    /* no such file */
    CTX_COUNT
};

/* The path of crafted context @which, written on first use; a failure to
 * write it fails the current test. */
const char *crafted(enum crafted which);

/*
 * The path of file @name in the temporary directory, holding @content
 * when that is not NULL (else left as it is, or absent). The path stays
 * valid until the group teardown, which removes the file; a failure to
 * write it fails the current test.
 */
const char *temp_file(const char *name, const char *content);

/* Take the arguments; 0, or -1 after a message. */
int fixtures_init(int argc, char **argv);

/* cmocka group teardown: free the last run, remove the crafted files. */
int fixtures_teardown(void **state);

#endif
