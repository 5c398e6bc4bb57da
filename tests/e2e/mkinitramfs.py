#!/usr/bin/env python3
"""Build the dom0 initramfs of the e2e suite.

Contents: busybox (static), the Xen 4.17 tools and daemons dom0 needs, the
qemu-system-xen device model with hvmloader and SeaBIOS, the Xen driver
modules of the Debian kernel, the shared-library closure of all of that
(taken from the unpacked Debian packages in the e2e cache, never from the
host), the project's freshly built tools and library, the test guests, and
/init plus the scenario script.

Libraries are resolved by their DT_NEEDED names, hermetically: first the
cache tree, then the project's build directory. Only a project binary may
fall back to the host (e.g. libasan of a sanitizer build); that is logged.
"""
import argparse
import glob
import os
import shutil
import stat
import subprocess
import sys
import tempfile

XEN_BIN = "usr/lib/xen-4.17/bin"
XEN_TOOLS = ["xl", "xenstored", "xenconsoled", "xen-init-dom0", "xen-hvmctx",
             "libxl-save-helper", "xenctx"]
XEN_MODULES = ["xen-privcmd", "xen-evtchn", "xen-gntdev", "xen-gntalloc",
               "xenfs/xenfs"]
LIBDIR = "usr/lib/x86_64-linux-gnu"
CACHE_LIBDIRS = ["lib/x86_64-linux-gnu", "usr/lib/x86_64-linux-gnu",
                 "usr/lib/xen-4.17/lib/x86_64-linux-gnu"]
HOST_LIBDIRS = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"]


def needed(path):
    """DT_NEEDED entries of an ELF file ([] for static or non-ELF)."""
    out = subprocess.run(["readelf", "-dW", path], capture_output=True,
                         text=True).stdout
    libs = []
    for line in out.splitlines():
        if "(NEEDED)" in line:
            libs.append(line.split("[", 1)[1].split("]", 1)[0])
    return libs


class Image:
    def __init__(self, root, cache, build):
        self.root = root
        self.cache = cache
        self.build = build
        self.libs = {}  # soname -> source path
        self.host_libs = []

    def add(self, src, dest, mode=None):
        """Copy @src (following links) to @dest inside the image."""
        dst = os.path.join(self.root, dest.lstrip("/"))
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)
        st = os.stat(src)
        os.chmod(dst, mode if mode is not None else stat.S_IMODE(st.st_mode))
        return dst

    def find_lib(self, soname, project):
        dirs = [os.path.join(self.cache, d) for d in CACHE_LIBDIRS]
        dirs.append(os.path.join(self.build, "lib"))
        dirs.append(os.path.join(self.build, "lib", "pure"))
        for d in dirs:
            p = os.path.join(d, soname)
            if os.path.exists(p):
                return p
        if project:
            for d in HOST_LIBDIRS:
                p = os.path.join(d, soname)
                if os.path.exists(p):
                    self.host_libs.append(p)
                    return p
        raise SystemExit(f"mkinitramfs: no {soname} in the e2e cache "
                         f"(add its package to fetch.sh)")

    def add_elf(self, src, dest, project=False):
        self.add(src, dest)
        self.closure(src, project)

    def closure(self, src, project=False):
        todo = list(needed(src))
        while todo:
            soname = todo.pop()
            if soname in self.libs:
                continue
            path = self.find_lib(soname, project)
            self.libs[soname] = path
            todo.extend(needed(path))

    def finish_libs(self):
        for soname, path in sorted(self.libs.items()):
            if soname == "libxenctrl_ext.so.1":
                self.add(path, f"/opt/xcx/lib/{soname}")
            else:
                self.add(path, f"/{LIBDIR}/{soname}")
        # glibc cancels threads through libgcc_s, which it dlopen()s: xl
        # aborts without it, and ldd does not show it.
        if "libgcc_s.so.1" not in self.libs:
            self.add(self.find_lib("libgcc_s.so.1", False),
                     f"/{LIBDIR}/libgcc_s.so.1")
        self.add(os.path.join(self.cache, "lib64/ld-linux-x86-64.so.2"),
                 "/lib64/ld-linux-x86-64.so.2")


def make_cpio(root, out, compress=True):
    """A newc cpio of the tree @root, owned by root; gzip'ed if @compress.
    dom0's is left uncompressed: under emulation the kernel needs ~8 s to
    gunzip 25 MB, and no time to copy 50 MB."""
    tmp = out + ".tmp"
    find = subprocess.Popen(["find", ".", "-mindepth", "1"], cwd=root,
                            stdout=subprocess.PIPE)
    with open(tmp, "wb") as f:
        cpio = subprocess.Popen(["cpio", "--quiet", "-o", "-H", "newc",
                                 "-R", "0:0"], cwd=root,
                                stdin=find.stdout, stdout=subprocess.PIPE)
        gz = subprocess.Popen(["gzip", "-1", "-n"] if compress else ["cat"],
                              stdin=cpio.stdout, stdout=f)
        find.stdout.close()
        cpio.stdout.close()
        if gz.wait() or cpio.wait() or find.wait():
            raise SystemExit("mkinitramfs: cpio/gzip failed")
    os.replace(tmp, out)


PV_INIT = """#!/bin/busybox sh
# /init of the e2e PV guest: print what the kernel says of its own layout
# on the console (hvc0, which xenconsoled logs in dom0), then idle.
# kptr_restrict 1: root (CAP_SYSLOG) sees real addresses in kallsyms and
# in vmallocinfo's %%pK (0 would hash those).
b=/bin/busybox
$b mount -t proc proc /proc
echo "XCX-PV up"
echo 1 >/proc/sys/kernel/kptr_restrict
$b grep -E ' (%s)$' /proc/kallsyms | $b sed 's/^/XCX-PV sym /'
$b grep -E 'Kernel|System RAM' /proc/iomem | $b sed 's/^/XCX-PV iomem /'
$b grep -E ' vmalloc' /proc/vmallocinfo | $b head -n 4 |
  $b sed 's/^/XCX-PV vmalloc /'
echo "XCX-PV ready"
while :; do $b sleep 3600; done
""" % "|".join([
    # The image: text, read-only data, data, bss, and where they end.
    "_text", "_stext", "_etext", "__start_rodata", "__end_rodata", "_sdata",
    "_edata", "__bss_start", "__bss_stop", "_end",
    # Text, and init text (freed after boot).
    "schedule", "start_kernel",
    # Variables: read by dom0 through libxc (the direct map's base, the
    # start_info pointer, the P2M's address), an ordinary one, page tables.
    "page_offset_base", "xen_start_info", "xen_p2m_addr", "jiffies_64",
    "init_top_pgt", "empty_zero_page"])


def pv_initrd(cache, out):
    """The PV guest's initramfs: busybox and an /init that idles."""
    with tempfile.TemporaryDirectory(prefix="xcx-e2e-pv-") as root:
        os.makedirs(os.path.join(root, "bin"))
        os.makedirs(os.path.join(root, "proc"))
        os.makedirs(os.path.join(root, "dev"))
        shutil.copyfile(os.path.join(cache, "bin/busybox"),
                        os.path.join(root, "bin/busybox"))
        os.chmod(os.path.join(root, "bin/busybox"), 0o755)
        with open(os.path.join(root, "init"), "w") as f:
            f.write(PV_INIT)
        os.chmod(os.path.join(root, "init"), 0o755)
        make_cpio(root, out)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cache-root", required=True,
                    help="unpacked Debian packages (fetch.sh's output)")
    ap.add_argument("--build-dir", required=True, help="meson build dir")
    ap.add_argument("--init", required=True)
    ap.add_argument("--scenario", required=True)
    ap.add_argument("--guest", action="append", default=[],
                    help="NAME=PATH: a file put at /guests/NAME")
    ap.add_argument("--tool", action="append", default=[],
                    help="a project-built program put in /opt/xcx/bin")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()

    cache = os.path.abspath(a.cache_root)
    build = os.path.abspath(a.build_dir)
    with tempfile.TemporaryDirectory(prefix="xcx-e2e-initramfs-") as root:
        img = Image(root, cache, build)
        for d in ["proc", "sys", "dev", "run", "tmp", "root", "etc/xen",
                  "var/lib/xen", "var/lib/xenstored", "var/log/xen", "bin",
                  "sbin", "usr/bin", "usr/sbin", "results"]:
            os.makedirs(os.path.join(root, d), exist_ok=True)
        os.symlink("../run", os.path.join(root, "var/run"))
        img.add(os.path.join(cache, "bin/busybox"), "/bin/busybox", 0o755)
        img.add(a.init, "/init", 0o755)
        img.add(a.scenario, "/scenario.sh", 0o755)

        for t in XEN_TOOLS:
            img.add_elf(os.path.join(cache, XEN_BIN, t), f"/{XEN_BIN}/{t}")
        img.add_elf(os.path.join(cache, "usr/bin/xenstore"), "/usr/bin/xenstore")
        for t in ["read", "write", "ls", "list", "rm", "exists", "watch",
                  "chmod"]:
            os.link(os.path.join(root, "usr/bin/xenstore"),
                    os.path.join(root, f"usr/bin/xenstore-{t}"))
        # HVM guests: device model, firmware, the keymap qemu insists on.
        img.add_elf(os.path.join(cache, "usr/libexec/xen-qemu-system-i386"),
                    "/usr/libexec/xen-qemu-system-i386")
        img.add(os.path.join(cache, "usr/lib/xen-4.17/boot/hvmloader"),
                "/usr/lib/xen-4.17/boot/hvmloader")
        img.add(os.path.join(cache, "usr/share/seabios/bios-256k.bin"),
                "/usr/share/seabios/bios-256k.bin")
        img.add(os.path.join(cache, "usr/share/qemu/keymaps/en-us"),
                "/usr/share/qemu/keymaps/en-us")

        kmods = glob.glob(os.path.join(cache, "lib/modules/*"))
        if len(kmods) != 1:
            raise SystemExit(f"mkinitramfs: expected one kernel in {cache}")
        for m in XEN_MODULES:
            src = os.path.join(kmods[0], "kernel/drivers/xen", m + ".ko")
            img.add(src, f"/lib/modules/{os.path.basename(m)}.ko")

        # The PV guest: Debian's kernel and a tiny busybox initramfs.
        kernels = glob.glob(os.path.join(cache, "boot/vmlinuz-*"))
        img.add(kernels[0], "/guests/vmlinuz")
        pv_initrd(cache, os.path.join(root, "guests/pv-initrd.gz"))
        for g in a.guest:
            name, path = g.split("=", 1)
            img.add(path, f"/guests/{name}")
        for t in a.tool:
            img.add_elf(t, f"/opt/xcx/bin/{os.path.basename(t)}", project=True)
        img.finish_libs()
        for h in sorted(set(img.host_libs)):
            print(f"mkinitramfs: note: {h} taken from the host", file=sys.stderr)

        make_cpio(root, os.path.abspath(a.out), compress=False)

if __name__ == "__main__":
    main()
