#pragma once
// A small RFC 4180 CSV reader for the public tables users bring (commune tables, road edge
// lists): quoted fields with commas, doubled quotes and line breaks, a UTF-8 byte-order mark,
// CRLF or LF line ends. Every record keeps the line it starts on, for located errors.
// Real exports are accepted as they come: a table that is not UTF-8 is read as Windows-1252
// (Latin-1, Excel's "CSV" on Windows) and converted, so every field is valid UTF-8; a header
// with ';' and no ',' makes a ';'-separated table whose decimal commas ("12,5") are read as
// decimal points (INSEE's downloads). UTF-16 and binary files are refused with how to convert.
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
  std::string encoding = "UTF-8";  // as read, e.g. "Windows-1252 (Latin-1), converted to UTF-8"
  char separator = ',';

  // Index of a column, or -1.
  int column(std::string_view name) const;
  // Index of the first of several accepted names, or -1.
  int column_any(std::initializer_list<std::string_view> names) const;
};

// Reads a whole table. Throws IOError when the file cannot be read (or is not a regular file:
// a folder, a FIFO, a device) and InputDataError (with the
// file and line) for an unterminated quote, an empty or duplicated header, or a record whose
// number of fields differs from the header's. Files larger than max_bytes are refused.
CsvTable read_csv(const std::string& path, std::size_t max_bytes = std::size_t{1} << 30);
CsvTable parse_csv(std::string_view text, const std::string& path);

// A value read from a data file, as an error message may show it: quoted when it is a short
// token (at most 16 letters, digits or . _ + - characters, as a commune code or a number), else
// only its length. Messages about a file then never echo more of it than the offending token:
// a scenario pointing at some other file cannot read it back through its errors.
std::string token_text(std::string_view value);

}  // namespace coopterra
