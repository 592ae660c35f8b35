#pragma once
// Reading the files a scenario points at (scenarios it extends, commune tables, road lists) and
// the text in them, safely: only regular files (never a folder, a FIFO that would block, or a
// device such as /dev/zero that never ends), read with a size limit checked before reading, and
// text that is valid UTF-8 whatever its source.
#include <cstddef>
#include <string>
#include <string_view>

namespace coopterra {

// The whole content of a regular file. Throws IOError, located at the file, when the name is
// empty, the file does not exist, is a folder, a FIFO, a device or a socket, cannot be read, or is
// larger than max_bytes (its size checked before reading). `what` names the file in the message,
// e.g. "the commune table".
std::string read_regular_file(const std::string& path, std::size_t max_bytes, std::string_view what);

// Whether `text` is valid UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;
// Offset of the first byte that is not valid UTF-8, or text.size().
std::size_t first_invalid_utf8(std::string_view text) noexcept;
// `text` read as Windows-1252 (a superset of the printable Latin-1), converted to UTF-8; the five
// bytes Windows-1252 leaves undefined become their Latin-1 control characters.
std::string windows1252_to_utf8(std::string_view text);
// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD: what goes into a
// results file or an error message is always valid UTF-8.
std::string valid_utf8(std::string_view text);

}  // namespace coopterra
