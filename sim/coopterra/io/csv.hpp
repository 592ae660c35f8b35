#pragma once
// A small RFC 4180 CSV reader for the public tables users bring (commune tables, road edge
// lists): quoted fields with commas, doubled quotes and line breaks, a UTF-8 byte-order mark,
// CRLF or LF line ends. Every record keeps the line it starts on, for located errors.
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace coopterra {

struct CsvRecord {
  int line = 0;  // 1-based line of the file where the record starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<CsvRecord> records;  // header excluded

  // Index of a column, or -1.
  int column(std::string_view name) const;
  // Index of the first of several accepted names, or -1.
  int column_any(std::initializer_list<std::string_view> names) const;
};

// Reads a whole table. Throws IOError when the file cannot be read and InputDataError (with the
// file and line) for an unterminated quote, an empty or duplicated header, or a record whose
// number of fields differs from the header's. Files larger than max_bytes are refused.
CsvTable read_csv(const std::string& path, std::size_t max_bytes = std::size_t{1} << 30);
CsvTable parse_csv(std::string_view text, const std::string& path);

}  // namespace coopterra
