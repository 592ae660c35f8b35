#pragma once
// Deterministic parallel loops over agents.
//
// Agents are cut into chunks of a fixed size that does not depend on the thread count. Each chunk
// accumulates into its own partial result; partials are then combined serially in chunk order.
// Floating-point sums are therefore the same whatever the number of threads and whichever thread
// finishes first (never reduce in thread-completion order). Chunks go to the threads as they come
// free (schedule(dynamic)): residents are stored by commune and some communes cost more than
// others, so equal halves would leave a thread waiting (10 % of the run at 1 M residents).
#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <vector>

namespace coopterra {

inline constexpr std::size_t kChunkSize = 4096;
// Loops over residents that read their ties' state (random accesses) prefetch the ties of the
// resident this many places on: measured best among 2, 4, 8 and 16 (docs/performance.md).
inline constexpr std::size_t kPrefetchAhead = 4;

inline std::size_t chunk_count(std::size_t n) {
  return (n + kChunkSize - 1) / kChunkSize;
}

// A loop runs on at most one thread per min_chunks_per_thread() chunks (8: below 65,536 residents
// or car commuters, one thread): a loop of a few chunks costs less than waking a sibling and
// waiting for it at its end, which on a busy machine (a sibling queued behind another process)
// made two threads several times slower than one (docs/performance.md, "A busy machine").
// Results do not depend on it (see above); the tests lower it to 1, so that small territories
// run their loops on several threads and the determinism tests test something.
inline std::size_t& min_chunks_per_thread() noexcept {
  static std::size_t chunks = 8;
  return chunks;
}

inline int threads_for(std::size_t chunks, int threads) {
  const std::size_t wanted = static_cast<std::size_t>(std::max(threads, 1));
  const std::size_t per_thread = std::max<std::size_t>(1, min_chunks_per_thread());
  return std::max(1, static_cast<int>(std::min(chunks / per_thread, wanted)));
}

// Calls body(begin, end) for every chunk of [0, n), in parallel with `threads` threads.
template <class Body>
void parallel_chunks(std::size_t n, int threads, Body&& body) {
  const auto chunks = static_cast<long long>(chunk_count(n));
#pragma omp parallel for num_threads(threads_for(chunk_count(n), threads)) schedule(dynamic)
  for (long long c = 0; c < chunks; ++c) {
    const std::size_t begin = static_cast<std::size_t>(c) * kChunkSize;
    body(begin, std::min(n, begin + kChunkSize));
  }
}

// Reduces over [0, n): body(begin, end, partial) fills one partial per chunk, starting from a
// copy of `zero`; combine(total, partial) folds the partials into the total in chunk order.
template <class Acc, class Body, class Combine>
Acc parallel_reduce(std::size_t n, int threads, const Acc& zero, Body&& body, Combine&& combine) {
  std::vector<Acc> partials(chunk_count(n), zero);
  const auto chunks = static_cast<long long>(partials.size());
#pragma omp parallel for num_threads(threads_for(partials.size(), threads)) schedule(dynamic)
  for (long long c = 0; c < chunks; ++c) {
    const std::size_t begin = static_cast<std::size_t>(c) * kChunkSize;
    body(begin, std::min(n, begin + kChunkSize), partials[static_cast<std::size_t>(c)]);
  }
  Acc total = zero;
  for (const Acc& p : partials) combine(total, p);
  return total;
}

// Accumulates over [0, n) into one accumulator per thread: body(begin, end, acc). Only for sums
// whose result does not depend on their order (integers: counts, cents, grams): which chunks a
// thread gets depends on the thread count, the integer totals do not.
template <class Acc, class Body>
std::vector<Acc> parallel_accumulate(std::size_t n, int threads, const Acc& zero, Body&& body) {
  std::vector<Acc> acc(static_cast<std::size_t>(threads), zero);
  const auto chunks = static_cast<long long>(chunk_count(n));
#pragma omp parallel for num_threads(threads_for(chunk_count(n), threads)) schedule(dynamic)
  for (long long c = 0; c < chunks; ++c) {
    const std::size_t begin = static_cast<std::size_t>(c) * kChunkSize;
    body(begin, std::min(n, begin + kChunkSize), acc[static_cast<std::size_t>(omp_get_thread_num())]);
  }
  return acc;
}

}  // namespace coopterra
