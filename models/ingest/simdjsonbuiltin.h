// simdjson as the readers use it. Its On-Demand parser is compiled inline for one instruction set, picked from
// the compiler flags: without AVX2, BMI, PCLMUL and LZCNT it silently uses the portable kernel, several times
// slower. The ingest library is built with those flags (see CMakeLists.txt); this check keeps it that way.
#pragma once

#include <simdjson.h>

#if defined(__x86_64__)
static_assert(SIMDJSON_CAN_ALWAYS_RUN_HASWELL, "build the ingest library with -march=x86-64-v3 -mpclmul");
#endif
