#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "coopterra/core/error.hpp"

namespace coopterra {

// Little binary writer and reader for checkpoints (native byte order: a checkpoint is for the
// machines that run coopterra, not an archive format; results files are the archive).
class Writer {
 public:
  template <class T>
  void value(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void text(const std::string& s) {
    value<std::uint64_t>(s.size());
    out_ += s;
  }
  template <class T>
  void vector(const std::vector<T>& v) {
    value<std::uint64_t>(v.size());
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(const std::string& in) : in_(in) {}
  template <class T>
  T value() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, in_.data() + at_, sizeof v);
    at_ += sizeof v;
    return v;
  }
  std::string text() {
    const auto n = value<std::uint64_t>();
    need(n);
    std::string s = in_.substr(at_, n);
    at_ += n;
    return s;
  }
  template <class T>
  std::vector<T> vector() {
    const auto n = value<std::uint64_t>();
    if (n > (in_.size() - at_) / sizeof(T)) throw InputDataError("checkpoint is truncated or corrupt");
    std::vector<T> v(n);
    if (n > 0) std::memcpy(v.data(), in_.data() + at_, n * sizeof(T));
    at_ += n * sizeof(T);
    return v;
  }

 private:
  void need(std::size_t n) const {
    if (n > in_.size() - at_) throw InputDataError("checkpoint is truncated or corrupt");
  }
  const std::string& in_;
  std::size_t at_ = 0;
};

}  // namespace coopterra
