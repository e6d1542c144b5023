#ifndef BALLAST_PREFETCH_H
#define BALLAST_PREFETCH_H

/// Asks the memory system to bring the cache line holding `address` close to the core, for writing, without waiting
/// for it (x86 `prefetchw`/`prefetcht0`, ARM `prfm pstl1keep`). It never faults, whatever the address, and changes
/// nothing a program can observe but time. Swift has no prefetch of its own; the engine uses this to request the
/// state of the accounts the next events name while it applies the current one.
static inline void ballast_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
