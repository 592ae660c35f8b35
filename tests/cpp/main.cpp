// The tests' entry point. Loops run on several threads from one chunk of residents up, so that the
// small territories of the tests exercise the parallel loops and their determinism
// (core/parallel.hpp, min_chunks_per_thread).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "coopterra/core/parallel.hpp"

int main(int argc, char* argv[]) {
  coopterra::min_chunks_per_thread() = 1;
  return Catch::Session().run(argc, argv);
}
