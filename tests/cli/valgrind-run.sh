#!/bin/sh
# valgrind-run.sh EXPECTED_EXIT TOOL ARG...: run TOOL under memcheck (full
# leak check, every leak kind an error) and pass when memcheck found
# nothing and TOOL exited EXPECTED_EXIT. Suite 'valgrind'.
expected=$1
shift
valgrind -q --leak-check=full --show-leak-kinds=all \
  --errors-for-leak-kinds=all --error-exitcode=99 --track-fds=no "$@" \
  >/dev/null
rc=$?
if [ "$rc" -eq 99 ]; then
  echo "memcheck reported errors or leaks (above)" >&2
  exit 1
fi
if [ "$rc" -ne "$expected" ]; then
  echo "exit $rc, expected $expected" >&2
  exit 1
fi
