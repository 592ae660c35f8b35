#include "coopterra/io/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "coopterra/core/error.hpp"

namespace coopterra {

namespace {

// Closes a file descriptor on every path.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

// Length of the valid UTF-8 sequence starting at text[i], or 0 when it is not valid.
std::size_t sequence_length(std::string_view text, std::size_t i) noexcept {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = byte(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

void append_utf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

std::string read_regular_file(const std::string& path, std::size_t max_bytes, std::string_view what) {
  const std::string name(what);
  if (path.empty()) throw IOError(name + ": the file name is empty", in_file(path));
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
  Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0) {
    const int error = errno;
    if (error == ENOENT) throw IOError(name + ": file not found", in_file(path));
    throw IOError(name + ": cannot open the file: " + std::strerror(error), in_file(path));
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) throw IOError(name + ": cannot read the file", in_file(path));
  if (S_ISDIR(info.st_mode)) throw IOError(name + ": this is a folder, not a file", in_file(path));
  if (!S_ISREG(info.st_mode))
    throw IOError(name + ": not a regular file (a FIFO, a device or a socket); give a file", in_file(path));
  if (static_cast<std::uintmax_t>(info.st_size) > max_bytes)
    throw IOError(name + ": the file is larger than " + std::to_string(max_bytes) + " bytes (" +
                      std::to_string(info.st_size) + ")",
                  in_file(path));
  std::string text;
  text.resize(static_cast<std::size_t>(info.st_size));
  std::size_t done = 0;
  for (;;) {
    if (done == text.size()) {
      if (text.size() >= max_bytes + 1) break;  // grew while being read: the check below refuses it
      text.resize(std::min(max_bytes + 1, text.size() + 65536));
    }
    const ssize_t n = ::read(file.fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw IOError(name + ": cannot read the file: " + std::strerror(errno), in_file(path));
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  if (text.size() > max_bytes)
    throw IOError(name + ": the file is larger than " + std::to_string(max_bytes) + " bytes", in_file(path));
  return text;
}

std::size_t first_invalid_utf8(std::string_view text) noexcept {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = sequence_length(text, i);
    if (n == 0) return i;
    i += n;
  }
  return text.size();
}

bool is_valid_utf8(std::string_view text) noexcept {
  return first_invalid_utf8(text) == text.size();
}

std::string windows1252_to_utf8(std::string_view text) {
  // Windows-1252's 0x80-0x9F; 0 where it defines no character (the Latin-1 control is kept).
  static constexpr unsigned short kHigh[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                               0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                               0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                               0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    unsigned code = c;
    if (c >= 0x80 && c <= 0x9F && kHigh[c - 0x80] != 0) code = kHigh[c - 0x80];
    append_utf8(out, code);
  }
  return out;
}

std::string valid_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = sequence_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace coopterra
