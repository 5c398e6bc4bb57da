#!/bin/sh
# Builds one variant of the e2e PVH guest: build-pvh.sh CC VARIANT OUT SRCDIR
# A freestanding 32-bit ELF, linked at 1 MiB, with the PHYS32_ENTRY note.
set -eu
cc=$1 variant=$2 out=$3 src=$4
flags="-m32 -march=i686 -ffreestanding -fno-pic -fno-pie -fno-stack-protector
  -fno-asynchronous-unwind-tables -mno-sse -mno-mmx -mno-80387 -O2 -std=gnu11
  -Wall -Wextra -Werror -nostdlib -nostdinc -static -no-pie
  -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-m,elf_i386 -Wl,-T,$src/pvh.ld"
# shellcheck disable=SC2086
exec "$cc" $flags -DXCX_VARIANT="$variant" -I"$src" -o "$out" \
  "$src/pvh-head.S" "$src/pvh-main.c"
