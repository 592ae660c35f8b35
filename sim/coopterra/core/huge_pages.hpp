#pragma once
// Large arrays read at random (the residents' state, read through their social ties) on 2 MiB
// pages where the system allows it: a random read then needs no page walk (a 4 KiB page table
// covers 8 MiB of state with 2,048 entries, beyond the TLB).
#include <sys/mman.h>

#include <cstdint>
#include <vector>

namespace coopterra {

// Reserves room for n elements and asks the kernel for huge pages on it (madvise; a hint, which
// the kernel may ignore): call it before the vector's memory is first written.
template <class T, class A>
void reserve_on_huge_pages(std::vector<T, A>& v, std::size_t n) {
  v.reserve(n);
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto begin = reinterpret_cast<std::uintptr_t>(v.data());
  const std::uintptr_t first = (begin + kHuge - 1) & ~(kHuge - 1), end = begin + n * sizeof(T);
  if (end >= first + kHuge) madvise(reinterpret_cast<void*>(first), (end - first) & ~(kHuge - 1), MADV_HUGEPAGE);
}

}  // namespace coopterra
