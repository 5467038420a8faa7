#include "Allocator.h"

#include <cstdlib> // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace hookline {

void keepFreedMemoryForReuse()
{
#if defined(__GLIBC__)
    constexpr int kTopPad = 1024 * 1024;
    mallopt(M_TOP_PAD, kTopPad);
    // Setting M_TOP_PAD also freezes glibc's moving mmap threshold at its
    // start, 128 KB: blocks above it (a large event's body) are mapped and
    // unmapped each time instead of coming from the arena once a first one
    // was freed. Set it where the moving threshold would settle for them.
    mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
#endif
}

} // namespace hookline
