#include "coopterra/io/csv.hpp"

#include <fstream>
#include <sstream>

#include "coopterra/core/error.hpp"

namespace coopterra {

int CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

int CsvTable::column_any(std::initializer_list<std::string_view> names) const {
  for (auto n : names)
    if (int c = column(n); c >= 0) return c;
  return -1;
}

CsvTable parse_csv(std::string_view text, const std::string& path) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  CsvTable table;
  table.path = path;
  std::vector<CsvRecord> records;
  CsvRecord current{1, {}};
  std::string field;
  int line = 1;
  bool in_quotes = false, field_started = false, record_has_content = false;
  auto end_field = [&] {
    current.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_record = [&] {
    end_field();
    // A blank line is no record.
    if (record_has_content || current.fields.size() > 1) records.push_back(std::move(current));
    current = CsvRecord{line + 1, {}};
    record_has_content = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++line;
        field += c;
      }
      if (!in_quotes && i + 1 < text.size()) {
        const char next = text[i + 1];
        if (next != ',' && next != '\r' && next != '\n')
          throw InputDataError("text after the closing quote of a field", Location{path, line, 0, {}});
      }
      continue;
    }
    switch (c) {
      case '"':
        if (field_started && !field.empty())
          throw InputDataError("a quote inside an unquoted field", Location{path, line, 0, {}});
        in_quotes = true;
        field_started = true;
        record_has_content = true;
        break;
      case ',':
        end_field();
        record_has_content = true;
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') break;  // CRLF: the LF ends the record
        end_record();
        ++line;
        break;
      case '\n':
        end_record();
        ++line;
        break;
      default:
        field += c;
        field_started = true;
        record_has_content = true;
    }
  }
  if (in_quotes) throw InputDataError("unterminated quoted field", Location{path, current.line, 0, {}});
  if (record_has_content || !field.empty()) end_record();
  if (records.empty()) throw InputDataError("the table is empty: no header", in_file(path));
  table.header = std::move(records.front().fields);
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    if (table.header[i].empty())
      throw InputDataError("empty column name in the header (column " + std::to_string(i + 1) + ")",
                           Location{path, records.front().line, 0, {}});
    for (std::size_t j = 0; j < i; ++j)
      if (table.header[j] == table.header[i])
        throw InputDataError("column '" + table.header[i] + "' appears twice in the header",
                             Location{path, records.front().line, 0, {}});
  }
  std::vector<Diagnostic> problems;
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].fields.size() != table.header.size()) {
      if (problems.size() < 100)
        problems.push_back({Location{path, records[r].line, 0, {}}, "expected " + std::to_string(table.header.size()) +
                                                                        " fields as in the header, found " +
                                                                        std::to_string(records[r].fields.size())});
      continue;
    }
    table.records.push_back(std::move(records[r]));
  }
  if (!problems.empty()) throw InputDataError(std::move(problems));
  return table;
}

CsvTable read_csv(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IOError("cannot open the table", in_file(path));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (text.size() > max_bytes)
    throw InputDataError("the table is larger than " + std::to_string(max_bytes) + " bytes", in_file(path));
  return parse_csv(text, path);
}

}  // namespace coopterra
