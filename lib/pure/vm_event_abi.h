/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Xen's vm_event ring types (<xen/vm_event.h>, <xen/io/ring.h>) for the
 * files that read or write a ring page: lib/live/vm_event_ring.c, and the
 * simulated Xen side of the tests and the benchmark. Never included by
 * the public header. <xen/io/ring.h> wants the includer's barriers; these
 * are the compiler's, with no libxenctrl needed.
 */
#ifndef XCX_VM_EVENT_ABI_H
#define XCX_VM_EVENT_ABI_H

#ifndef __XEN_TOOLS__
#define __XEN_TOOLS__ 1
#endif

#include <stdint.h>
#include <string.h>

#ifndef xen_mb
#define xen_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#endif

#include <xen/vm_event.h>

_Static_assert(sizeof(vm_event_request_t) == 400,
               "a vm_event request of interface version 7 is 400 bytes");

#endif
