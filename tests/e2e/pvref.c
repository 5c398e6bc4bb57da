/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xcx-e2e-pvref: what libxc itself says about a live PV guest, for the
 * e2e suite to hold xc-pv-pagetable's walks against. Nothing of this
 * project's library is used.
 *
 *   xcx-e2e-pvref info DOMID        vCPU 0's context and the domain's facts
 *   xcx-e2e-pvref startinfo DOMID   the start_info page Xen's domain builder
 *                                   wrote (at vCPU 0's rsi: valid only
 *                                   before the guest's first instruction)
 *   xcx-e2e-pvref peek DOMID VA     the 64-bit word at VA
 *   xcx-e2e-pvref xlate DOMID [--boot] VA...
 *       per VA: xc_translate_foreign_address(xch, DOMID, 0, VA) and the
 *       PFN the guest's own P2M gives that MFN (--boot: the builder's P2M
 *       list at start_info.mfn_list; otherwise the P2M the guest keeps for
 *       the tools, through xc_map_domain_meminfo(), whose page types of
 *       the frame are printed too):
 *         va 0x<va> mfn 0x<mfn> pfn 0x<pfn>|none [type L1..L4|none pinned 0|1]
 *         va 0x<va> error <ERRNO NAME>
 *
 * One "key value" per line otherwise. Exit status 0 when everything asked
 * could be printed (a VA libxc cannot translate is a line, not a failure),
 * 1 on an error (said on stderr), 2 on a usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* xc_map_foreign_range(): the interface libxc's own translation uses. */
#define XC_WANT_COMPAT_MAP_FOREIGN_API
#include <xenctrl.h>
#include <xenguest.h>

#define PAGE 4096UL

static const char *prog = "xcx-e2e-pvref";

static const char *errname(int e)
{
    const char *n = strerrorname_np(e);

    return n ? n : "?";
}

static int parse(const char *s, uint64_t *v)
{
    char *end;

    errno = 0;
    *v = strtoull(s, &end, 0);
    return errno || *end || !*s ? -1 : 0;
}

static int context(xc_interface *xch, uint32_t dom, vcpu_guest_context_any_t *c)
{
    unsigned int width;

    if (xc_domain_get_guest_width(xch, dom, &width) || width != 8) {
        fprintf(stderr, "%s: domain %u: not a 64-bit PV guest (%s)\n", prog,
                dom, strerror(errno));
        return -1;
    }
    if (xc_vcpu_getcontext(xch, dom, 0, c)) {
        fprintf(stderr, "%s: xc_vcpu_getcontext: %s\n", prog, strerror(errno));
        return -1;
    }
    return 0;
}

/* @len bytes at @va (vCPU 0's tables) into @buf, page by page. */
static int read_va(xc_interface *xch, uint32_t dom, uint64_t va, void *buf,
                   size_t len)
{
    uint8_t *out = buf;

    while (len) {
        size_t off = va & (PAGE - 1), n = PAGE - off;
        unsigned long mfn = xc_translate_foreign_address(xch, dom, 0, va);
        void *map;

        if (n > len)
            n = len;
        if (!mfn) {
            fprintf(stderr,
                    "%s: VA 0x%" PRIx64 ": libxc cannot translate "
                    "it (%s)\n",
                    prog, va, strerror(errno));
            return -1;
        }
        map = xc_map_foreign_range(xch, dom, PAGE, PROT_READ, mfn);
        if (!map) {
            fprintf(stderr, "%s: mapping MFN 0x%lx: %s\n", prog, mfn,
                    strerror(errno));
            return -1;
        }
        memcpy(out, (uint8_t *)map + off, n);
        munmap(map, PAGE);
        out += n;
        va += n;
        len -= n;
    }
    return 0;
}

static int cmd_info(xc_interface *xch, uint32_t dom)
{
    vcpu_guest_context_any_t c;
    xc_domaininfo_t info;

    /* xc_domain_getinfo() is gone since Xen 4.18: getinfolist on 4.17..4.22. */
    if (xc_domain_getinfolist(xch, dom, 1, &info) != 1 || info.domain != dom) {
        fprintf(stderr, "%s: no domain %u\n", prog, dom);
        return 1;
    }
    if (context(xch, dom, &c))
        return 1;
    printf("width 8\n");
    printf("nr_vcpus %u\n", info.max_vcpu_id + 1);
    printf("nr_pages 0x%" PRIx64 "\n", (uint64_t)info.tot_pages);
    printf("max_pages 0x%" PRIx64 "\n", (uint64_t)info.max_pages);
    printf("shared_info_mfn 0x%" PRIx64 "\n", (uint64_t)info.shared_info_frame);
    printf("root_mfn 0x%" PRIx64 "\n",
           (uint64_t)xen_cr3_to_pfn_x86_64(c.x64.ctrlreg[3]));
    printf("user_root_mfn 0x%" PRIx64 "\n",
           (uint64_t)xen_cr3_to_pfn_x86_64(c.x64.ctrlreg[1]));
    printf("rip 0x%" PRIx64 "\n", (uint64_t)c.x64.user_regs.rip);
    printf("rsp 0x%" PRIx64 "\n", (uint64_t)c.x64.user_regs.rsp);
    printf("rsi 0x%" PRIx64 "\n", (uint64_t)c.x64.user_regs.rsi);
    printf("flags 0x%lx\n", (unsigned long)c.x64.flags);
    return 0;
}

static int start_info(xc_interface *xch, uint32_t dom, start_info_t *si)
{
    vcpu_guest_context_any_t c;

    if (context(xch, dom, &c) ||
        read_va(xch, dom, c.x64.user_regs.rsi, si, sizeof(*si)))
        return -1;
    if (strncmp(si->magic, "xen-", 4)) {
        fprintf(stderr,
                "%s: no start_info at rsi 0x%" PRIx64 " (the guest "
                "has run?)\n",
                prog, (uint64_t)c.x64.user_regs.rsi);
        return -1;
    }
    return 0;
}

static int cmd_startinfo(xc_interface *xch, uint32_t dom)
{
    start_info_t si;

    if (start_info(xch, dom, &si))
        return 1;
    printf("magic %.32s\n", si.magic);
    printf("nr_pages 0x%lx\n", si.nr_pages);
    printf("shared_info 0x%lx\n", si.shared_info);
    printf("si_flags 0x%x\n", si.flags);
    printf("store_mfn 0x%" PRIx64 "\n", (uint64_t)si.store_mfn);
    printf("console_mfn 0x%" PRIx64 "\n", (uint64_t)si.console.domU.mfn);
    printf("pt_base 0x%lx\n", si.pt_base);
    printf("nr_pt_frames 0x%lx\n", si.nr_pt_frames);
    printf("mfn_list 0x%lx\n", si.mfn_list);
    printf("mod_start 0x%lx\n", si.mod_start);
    printf("mod_len 0x%lx\n", si.mod_len);
    printf("first_p2m_pfn 0x%lx\n", si.first_p2m_pfn);
    printf("nr_p2m_frames 0x%lx\n", si.nr_p2m_frames);
    return 0;
}

static int cmd_peek(xc_interface *xch, uint32_t dom, const char *arg)
{
    uint64_t va, v;

    if (parse(arg, &va)) {
        fprintf(stderr, "%s: bad VA '%s'\n", prog, arg);
        return 2;
    }
    if (read_va(xch, dom, va, &v, sizeof(v)))
        return 1;
    printf("va 0x%" PRIx64 " value 0x%" PRIx64 "\n", va, v);
    return 0;
}

/* The guest's P2M: the builder's list (@boot) or the one the guest keeps
 * for the tools. */
struct p2m {
    uint64_t *list; /* --boot: a copy */
    struct xc_domain_meminfo mi;
    unsigned long n;
};

static uint64_t p2m_at(const struct p2m *p, unsigned long pfn)
{
    if (p->list)
        return p->list[pfn];
    return p->mi.guest_width == 8 ? ((const uint64_t *)p->mi.p2m_table)[pfn]
                                  : ((const uint32_t *)p->mi.p2m_table)[pfn];
}

static int p2m_open(xc_interface *xch, uint32_t dom, bool boot, struct p2m *p)
{
    start_info_t si;

    memset(p, 0, sizeof(*p));
    if (!boot) {
        if (xc_map_domain_meminfo(xch, dom, &p->mi)) {
            fprintf(stderr, "%s: xc_map_domain_meminfo: %s\n", prog,
                    strerror(errno));
            return -1;
        }
        p->n = p->mi.p2m_size;
        return 0;
    }
    if (start_info(xch, dom, &si))
        return -1;
    p->n = si.nr_pages;
    p->list = calloc(p->n, sizeof(*p->list));
    if (!p->list ||
        read_va(xch, dom, si.mfn_list, p->list, p->n * sizeof(*p->list)))
        return -1;
    return 0;
}

static const char *type_name(unsigned long t)
{
    switch (t & XEN_DOMCTL_PFINFO_LTAB_MASK & ~XEN_DOMCTL_PFINFO_LPINTAB) {
    case XEN_DOMCTL_PFINFO_NOTAB:
        return "none";
    case XEN_DOMCTL_PFINFO_L1TAB:
        return "L1";
    case XEN_DOMCTL_PFINFO_L2TAB:
        return "L2";
    case XEN_DOMCTL_PFINFO_L3TAB:
        return "L3";
    case XEN_DOMCTL_PFINFO_L4TAB:
        return "L4";
    default:
        return "other";
    }
}

static int cmd_xlate(xc_interface *xch, uint32_t dom, bool boot, int n,
                     char **vas)
{
    struct p2m p;
    int rc = 0;

    if (p2m_open(xch, dom, boot, &p))
        return 1;
    for (int i = 0; i < n; i++) {
        uint64_t va;
        unsigned long mfn, pfn;

        if (parse(vas[i], &va)) {
            fprintf(stderr, "%s: bad VA '%s'\n", prog, vas[i]);
            rc = 2;
            break;
        }
        errno = 0;
        mfn = xc_translate_foreign_address(xch, dom, 0, va);
        if (!mfn) {
            printf("va 0x%" PRIx64 " error %s\n", va,
                   errno ? errname(errno) : "0");
            continue;
        }
        printf("va 0x%" PRIx64 " mfn 0x%lx", va, mfn);
        for (pfn = 0; pfn < p.n; pfn++)
            if (p2m_at(&p, pfn) == mfn)
                break;
        if (pfn < p.n)
            printf(" pfn 0x%lx", pfn);
        else
            printf(" pfn none");
        if (!boot && pfn < p.n)
            printf(" type %s pinned %d", type_name(p.mi.pfn_type[pfn]),
                   !!(p.mi.pfn_type[pfn] & XEN_DOMCTL_PFINFO_LPINTAB));
        printf("\n");
    }
    free(p.list);
    if (!boot)
        xc_unmap_domain_meminfo(xch, &p.mi);
    return rc;
}

int main(int argc, char **argv)
{
    xc_interface *xch;
    uint64_t dom;
    int rc;

    if (argc < 3 || parse(argv[2], &dom) || dom > UINT16_MAX) {
        fprintf(stderr, "usage: %s info|startinfo|peek|xlate DOMID ...\n",
                prog);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        fprintf(stderr, "%s: xc_interface_open: %s\n", prog, strerror(errno));
        return 1;
    }
    if (!strcmp(argv[1], "info") && argc == 3) {
        rc = cmd_info(xch, dom);
    } else if (!strcmp(argv[1], "startinfo") && argc == 3) {
        rc = cmd_startinfo(xch, dom);
    } else if (!strcmp(argv[1], "peek") && argc == 4) {
        rc = cmd_peek(xch, dom, argv[3]);
    } else if (!strcmp(argv[1], "xlate")) {
        bool boot = argc > 3 && !strcmp(argv[3], "--boot");

        rc = cmd_xlate(xch, dom, boot, argc - 3 - boot, argv + 3 + boot);
    } else {
        fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
        rc = 2;
    }
    xc_interface_close(xch);
    return rc ? rc : fflush(stdout) ? 1 : 0;
}
