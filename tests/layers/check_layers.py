#!/usr/bin/env python3
"""The layers of lib/, checked on the sources and the built objects.

  check_layers.py SOURCE_ROOT NM PURE_SO LIVE_ARCHIVE

- Only lib/xen/ (and tests that talk to a real Xen) include the headers of
  Xen's libraries (xenctrl.h, xenguest.h, ...); pure code may include Xen's
  public ABI headers (xen/...) for structure layouts.
- No tool includes a private header of the library: tools/ sees only
  include/ and tools/shared/.
- The pure library needs nothing of Xen's but libxentoollog (its link uses
  --no-undefined, so this is its NEEDED list).
- The live layer's objects leave no Xen library symbol undefined: they call
  the back end through struct xcx_backend_ops only.
Prints one line per violation and exits 1 if there is any.
"""
import os
import re
import subprocess
import sys

XEN_LIB_HEADERS = re.compile(
    r'#\s*include\s*[<"](xenctrl|xenguest|xenevtchn|xenforeignmemory|'
    r'xencall|xengnttab|xenstore|xenctrl_compat|xendevicemodel)\.h[>"]')
PRIVATE_HEADERS = {'private.h', 'backend.h', 'pv_table.h', 'dump_core.h',
                   'vm_event_abi.h', 'vm_event_ring.h', 'xen_backend.h'}
INCLUDE = re.compile(r'#\s*include\s*"([^"]+)"')
# Who may include the headers of Xen's libraries.
XEN_CALLERS = ('lib/xen/', 'tests/e2e/', 'tests/unit/test_header.c')


def sources(root, top):
    for d, _, names in os.walk(os.path.join(root, top)):
        for n in names:
            if n.endswith(('.c', '.h')):
                p = os.path.join(d, n)
                yield os.path.relpath(p, root), open(p, errors='replace').read()


def check_includes(root):
    bad = []
    for top in ('lib', 'tools', 'tests', 'bench'):
        for rel, text in sources(root, top):
            if XEN_LIB_HEADERS.search(text) and not rel.startswith(XEN_CALLERS):
                bad.append(f'{rel}: includes a Xen library header outside lib/xen/')
            if rel.startswith('tools/'):
                for inc in INCLUDE.findall(text):
                    if os.path.basename(inc) in PRIVATE_HEADERS:
                        bad.append(f'{rel}: includes the library\'s private {inc}')
    return bad


def needed(path):
    out = subprocess.run(['readelf', '-d', path], capture_output=True,
                         text=True, check=True).stdout
    return re.findall(r'\(NEEDED\).*\[(.+)\]', out)


def check_pure(so):
    # (the sanitizers' runtimes too, in a sanitizer build)
    allowed = re.compile(r'^(libxentoollog\.so\.1|libc\.so\.6|lib(a|ub)san\.so\.[0-9]+)$')
    return [f'{so}: needs {n}' for n in needed(so) if not allowed.match(n)]


def check_live(nm, archive):
    out = subprocess.run([nm, '-u', archive], capture_output=True, text=True,
                         check=True).stdout
    xen = re.compile(r'^\s*U (xc_|xenevtchn_|xenforeignmemory_|xencall_|'
                     r'xengnttab_|xs_)')
    return [f'{archive}: calls {l.split()[-1]}' for l in out.splitlines()
            if xen.match(l)]


def main():
    root, nm, pure_so, live_a = sys.argv[1:5]
    bad = check_includes(root) + check_pure(pure_so) + check_live(nm, live_a)
    for b in bad:
        print(b)
    print(f'layers: {len(bad)} violation(s)')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
