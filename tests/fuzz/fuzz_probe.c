/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Configure-time probe: can clang build a libFuzzer binary here? */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return size && data[0] == 0xff ? 0 : 0;
}
