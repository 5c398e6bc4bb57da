#!/usr/bin/env python3
"""The public API told the same way in its four places.

  check_api.py SOURCE_ROOT

- include/xenctrl_ext/*.h: every function declared there has a doc comment
  with "Since: X.Y" (one comment may introduce several declarations).
- lib/pure/libxenctrl_ext_pure.map and lib/libxenctrl_ext.map: every
  declared function is in exactly one map, in node XENCTRL_EXT_X.Y of its
  Since: tag; every symbol of the maps is declared.
- man/xenctrl_ext.3.scd: every declared function is named there as
  *name*, and every xcx_ function named so is declared (the page also
  names libxc's calls the library makes, and families as *xcx_tracker_\\**).
Prints one line per mismatch and exits 1 if there is any.
"""
import glob
import os
import re
import sys

DECL = re.compile(r'^(?!typedef)[a-z][\w \*]*?\b((?:xcx|xc)_\w+)\s*\(', re.M)
SINCE = re.compile(r'Since:\s*(\d+\.\d+)')
NODE = re.compile(r'(XENCTRL_EXT_(\d+\.\d+))\s*\{(.*?)\}', re.S)
MAN_NAME = re.compile(r'\*((?:xcx|xc)_[a-z0-9_]+)\*')
MAN_CALL = re.compile(r'\*((?:xcx|xc)_[a-z0-9_]+)\*\(')


def header_functions(root):
    """name -> Since of the doc comment above its declaration."""
    found = {}
    for path in sorted(glob.glob(os.path.join(root, 'include', 'xenctrl_ext', '*.h'))):
        text = open(path).read()
        since = None
        for m in re.finditer(r'/\*\*.*?\*/|' + DECL.pattern, text, re.S | re.M):
            if m.group(0).startswith('/**'):
                s = SINCE.search(m.group(0))
                since = s.group(1) if s else None
                continue
            found[m.group(1)] = (since, os.path.relpath(path, root))
    return found


def map_symbols(root):
    """name -> (map file, version) over both maps."""
    syms = {}
    bad = []
    for rel in ('lib/pure/libxenctrl_ext_pure.map', 'lib/libxenctrl_ext.map'):
        text = re.sub(r'/\*.*?\*/', '', open(os.path.join(root, rel)).read(), flags=re.S)
        for node, ver, body in NODE.findall(text):
            body = body.split('local:')[0].replace('global:', '')
            for name in re.findall(r'(\w+)\s*;', body):
                if name in syms:
                    bad.append(f'{name}: in {syms[name][0]} and {rel}')
                syms[name] = (rel, ver)
    return syms, bad


def man_names(root):
    """Every *name* of the page, and those written as calls, *name*(...)."""
    text = open(os.path.join(root, 'man', 'xenctrl_ext.3.scd')).read()
    return set(MAN_NAME.findall(text)), set(MAN_CALL.findall(text))


def main():
    root = sys.argv[1]
    funcs = header_functions(root)
    syms, bad = map_symbols(root)
    man, man_calls = man_names(root)
    for name, (since, where) in sorted(funcs.items()):
        if since is None:
            bad.append(f'{where}: {name} has no "Since:" in its doc comment')
        if name not in syms:
            bad.append(f'{where}: {name} is in no symbol map')
        elif since and syms[name][1] != since:
            bad.append(f'{name}: Since: {since} but in node XENCTRL_EXT_{syms[name][1]} of {syms[name][0]}')
        if name not in man:
            bad.append(f'{name}: not in man/xenctrl_ext.3.scd')
    for name in sorted(set(syms) - set(funcs)):
        bad.append(f'{name}: in {syms[name][0]} but declared in no header')
    for name in sorted(n for n in man_calls - set(funcs) if n.startswith('xcx_')):
        bad.append(f'man/xenctrl_ext.3.scd names {name}, which no header declares')
    for b in bad:
        print(b)
    print(f'api: {len(funcs)} functions, {len(bad)} mismatch(es)')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
