/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * xenctrl_ext.h: memory types and page tables of Xen guests, for dom0 tools
 * and introspection agents. The API is split by topic under xenctrl_ext/:
 * base.h (types, MSRs, limits), mtrr.h (MTRR state, resolution, maps, saved
 * contexts, live records), tracking.h (MSR writes, trackers, replay logs,
 * the vm_event monitor), pv.h (PV page tables, dump-core files, live PV
 * domains), hvm.h (HVM/PVH page-table walks and dumps), domain.h (handles
 * and domain facts, names), saved.h (xl save images and migration
 * streams), effective.h (the memory type a guest access really
 * gets: MTRR x EPT/NPT x PAT); include this header.
 *
 * Two libraries: libxenctrl_ext_pure (pkg-config xenctrl_ext_pure) holds
 * everything that works from data (contexts, logs, dump-core files,
 * vm_event requests an agent feeds from its own ring) and needs no Xen
 * library, so it does not tie its users to one Xen release;
 * libxenctrl_ext (pkg-config xenctrl_ext) adds the live functions, is
 * built against one Xen release and needs the pure one.
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

#include "xenctrl_ext/base.h"
#include "xenctrl_ext/mtrr.h"
#include "xenctrl_ext/tracking.h"
#include "xenctrl_ext/pv.h"
#include "xenctrl_ext/hvm.h"
#include "xenctrl_ext/domain.h"
#include "xenctrl_ext/effective.h"
#include "xenctrl_ext/saved.h"

#endif /* XENCTRL_EXT_H */
