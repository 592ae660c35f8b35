#pragma once
// FNV-1a, 64 bits: the checksums written into results and checkpoints (not cryptographic).
#include <cstddef>
#include <cstdint>
#include <vector>

namespace coopterra {

struct Fnv1a {
  std::uint64_t h = 14695981039346656037ull;
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  }
  template <class T>
  void value(const T& v) {
    bytes(&v, sizeof v);
  }
  template <class T>
  void values(const std::vector<T>& v) {
    if (!v.empty()) bytes(v.data(), v.size() * sizeof(T));
  }
};

}  // namespace coopterra
