#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A fuzzing campaign: every libFuzzer target of a build, one after the
other, each for a budget of inputs (--runs) or seconds (--seconds), with
ASan and UBSan on (the targets are built with them), on a fresh copy of its
seed corpus. Prints per target the inputs run, inputs per second of wall
time and of CPU time (the figure for one dedicated core, whatever else the
machine runs), libFuzzer's coverage (cov: edges, ft: features), the corpus
size and the findings (crash-, leak-, timeout-, oom- artifacts, or a
non-zero exit). Exit 1 if anything was found.

  bench/fuzz_campaign.py --build build --runs 10000000 --nice
  bench/fuzz_campaign.py --seconds 60 --targets context,replay

Targets are build/tests/fuzz/fuzz-NAME (not the -replay drivers); their
seeds are build/tests/fuzz/corpus-NAME, copied there from tests/fuzz/ by
the build. Artifacts and corpora go under --work (default
BUILD/fuzz-campaign), never into the source tree.
"""
import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time

FINDINGS = ("crash-", "leak-", "timeout-", "oom-", "slow-unit-")


def targets(fuzz_dir):
    names = []
    for f in sorted(os.listdir(fuzz_dir)):
        path = os.path.join(fuzz_dir, f)
        m = re.fullmatch(r"fuzz-([a-z_]+)", f)
        if m and m.group(1) != "probe" and os.access(path, os.X_OK) \
                and os.path.isfile(path):
            names.append(m.group(1))
    return names


def run_target(args, fuzz_dir, name):
    work = os.path.join(args.work, name)
    shutil.rmtree(work, ignore_errors=True)
    corpus = os.path.join(work, "corpus")
    shutil.copytree(os.path.join(fuzz_dir, "corpus-" + name), corpus)
    cmd = [os.path.join(fuzz_dir, "fuzz-" + name),
           "-print_final_stats=1", "-rss_limit_mb=2048", "-timeout=25",
           "-artifact_prefix=" + work + "/"]
    if args.runs:
        cmd.append("-runs=%d" % args.runs)
    if args.seconds:
        cmd.append("-max_total_time=%d" % args.seconds)
    cmd.append(corpus)
    env = dict(os.environ,
               ASAN_OPTIONS="abort_on_error=1:detect_leaks=1",
               UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")
    log_path = os.path.join(work, "log.txt")
    start = time.monotonic()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=env,
            preexec_fn=(lambda: os.nice(19)) if args.nice else None)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    cpu = usage.ru_utime + usage.ru_stime
    text = open(log_path, errors="replace").read()

    def stat(key):
        m = re.search(r"stat::%s:\s+(\d+)" % key, text)
        return int(m.group(1)) if m else 0

    done = re.findall(r"#(\d+)\s+(?:DONE|pulse|NEW|REDUCE|INITED)\s+cov: "
                      r"(\d+) ft: (\d+) corp: (\d+)", text)
    inputs = stat("number_of_executed_units") or \
        (int(done[-1][0]) if done else 0)
    found = sorted(f for f in os.listdir(work) if f.startswith(FINDINGS))
    code = os.waitstatus_to_exitcode(status)
    return {
        "target": name, "inputs": inputs, "wall": wall, "cpu": cpu,
        "cov": int(done[-1][1]) if done else 0,
        "ft": int(done[-1][2]) if done else 0,
        "corpus": int(done[-1][3]) if done else 0,
        "rss_mb": stat("peak_rss_mb"), "exit": code,
        "findings": found + ([] if code == 0 or found
                             else ["exit %d (see %s)" % (code, log_path)]),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--work", help="default: BUILD/fuzz-campaign")
    ap.add_argument("--runs", type=int, help="inputs per target")
    ap.add_argument("--seconds", type=int, help="seconds per target")
    ap.add_argument("--targets", help="comma-separated (default: all)")
    ap.add_argument("--nice", action="store_true", help="run at nice 19")
    args = ap.parse_args()
    if not args.runs and not args.seconds:
        ap.error("give --runs and/or --seconds")
    fuzz_dir = os.path.join(args.build, "tests", "fuzz")
    args.work = args.work or os.path.join(args.build, "fuzz-campaign")
    names = targets(fuzz_dir)
    if not names:
        sys.exit("no libFuzzer targets in %s (clang with libFuzzer "
                 "missing?)" % fuzz_dir)
    if args.targets:
        wanted = args.targets.split(",")
        unknown = set(wanted) - set(names)
        if unknown:
            sys.exit("unknown targets: %s (have %s)" %
                     (", ".join(sorted(unknown)), ", ".join(names)))
        names = wanted

    print("%-10s %12s %9s %9s %10s %10s %6s %7s %6s  %s" %
          ("target", "inputs", "wall s", "cpu s", "in/s cpu", "in/s wall",
           "cov", "ft", "corpus", "findings"), flush=True)
    total_found = 0
    for name in names:
        r = run_target(args, fuzz_dir, name)
        total_found += len(r["findings"])
        print("%-10s %12d %9.0f %9.0f %10.0f %10.0f %6d %7d %6d  %s" %
              (r["target"], r["inputs"], r["wall"], r["cpu"],
               r["inputs"] / r["cpu"] if r["cpu"] else 0,
               r["inputs"] / r["wall"] if r["wall"] else 0,
               r["cov"], r["ft"], r["corpus"],
               ", ".join(r["findings"]) or "none"), flush=True)
    sys.exit(1 if total_found else 0)


if __name__ == "__main__":
    main()
