// libFuzzer's driver entry point (compiler-rt FuzzerInterface.h), for fuzz targets that have
// their own main: SwiftPM gives every executable one, so scripts/fuzz links libFuzzer's
// no-main runtime and each target's main hands over to the driver.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
