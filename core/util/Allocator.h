#pragma once

namespace hookline {

// Tunes the C library's allocator for a process of long-lived threads; call
// first thing in main(), before any thread starts.
//
// glibc gives the free memory at the top of a thread's arena back to the
// kernel (madvise) whenever a free leaves more than 128 KB there, and the next
// allocation faults those pages in again. The engine's database thread frees
// such blocks several times per transaction (SQLite's temporary b-tree of a
// claim, a batch of results), and every madvise also interrupts the other
// cores to flush their TLBs. Measured on 20 000 deliveries: ~550 madvise
// calls and ~13 000 page faults, a quarter of that thread's CPU and 5 % of the
// whole run's (tests/benchmarks/PROFILE.md). Keeping up to 1 MiB free at the
// top of each arena ends it, for about 1 MB more resident memory.
// Nothing happens with another C library.
void keepFreedMemoryForReuse();

} // namespace hookline
