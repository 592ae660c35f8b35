#include "coopterra/io/csv.hpp"

#include <algorithm>

#include <cctype>

#include "coopterra/core/error.hpp"
#include "coopterra/io/files.hpp"

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

namespace {

// The separator of a table: a comma, or a semicolon (or a tab) when the header line has no comma
// but has that character (the exports of INSEE and of French spreadsheets).
char detect_separator(std::string_view text) {
  bool quoted = false;
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  for (const char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n' || c == '\r') break;
    commas += c == ',', semicolons += c == ';', tabs += c == '\t';
  }
  if (commas > 0) return ',';
  if (semicolons > 0) return ';';
  if (tabs > 0) return '\t';
  return ',';
}

// "12,5" or "-0,25": a number written with a decimal comma.
bool decimal_comma_number(const std::string& field) {
  std::size_t i = (!field.empty() && (field[0] == '-' || field[0] == '+')) ? 1 : 0;
  const std::size_t comma = field.find(',');
  if (comma == std::string::npos || comma == i || comma + 1 == field.size()) return false;
  for (std::size_t k = i; k < field.size(); ++k)
    if (k != comma && !std::isdigit(static_cast<unsigned char>(field[k]))) return false;
  return true;
}

}  // namespace

CsvTable parse_csv(std::string_view text, const std::string& path) {
  CsvTable table;
  table.path = path;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
    table.encoding = "UTF-8 with a byte-order mark";
  }
  if (text.substr(0, 2) == "\xFF\xFE" || text.substr(0, 2) == "\xFE\xFF")
    throw InputDataError(
        "the table is in UTF-16: save it as UTF-8 (in a spreadsheet: 'CSV UTF-8'; or "
        "`iconv -f UTF-16 -t UTF-8 IN.csv > OUT.csv`)",
        in_file(path));
  if (text.find('\0') != std::string_view::npos)
    throw InputDataError("the file has NUL bytes: not a text table (a spreadsheet file? export it as CSV UTF-8)",
                         in_file(path));
  std::string converted;
  if (!is_valid_utf8(text)) {
    // Not UTF-8: a Latin-1 or Windows-1252 export (Excel's "CSV" on Windows), converted.
    converted = windows1252_to_utf8(text);
    text = converted;
    table.encoding = "Windows-1252 (Latin-1), converted to UTF-8";
  }
  const char separator = detect_separator(text);
  table.separator = separator;
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
        if (next != separator && next != '\r' && next != '\n')
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
        if (c == separator) {
          end_field();
          record_has_content = true;
          break;
        }
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
        throw InputDataError(
            "columns " + std::to_string(j + 1) + " and " + std::to_string(i + 1) + " of the header have the same name",
            Location{path, records.front().line, 0, {}});
  }
  std::vector<Diagnostic> problems;
  // A hint when the fields are split by another character than the header's (a ';'-separated
  // file with decimal commas read as comma-separated, or the other way round).
  const std::string hint =
      separator == ','
          ? " (if the file is ';'-separated with decimal commas, as INSEE's downloads, its header must use ';' "
            "too; or export it as comma-separated with decimal points)"
          : std::string(" (the header is '") + (separator == ';' ? ";" : "tab") + "'-separated)";
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].fields.size() != table.header.size()) {
      if (problems.size() < 100)
        problems.push_back({Location{path, records[r].line, 0, {}},
                            "expected " + std::to_string(table.header.size()) + " fields as in the header, found " +
                                std::to_string(records[r].fields.size()) + (problems.empty() ? hint : "")});
      continue;
    }
    // A ';'-separated table writes its decimals with a comma: "12,5" is 12.5.
    if (separator != ',')
      for (auto& f : records[r].fields)
        if (decimal_comma_number(f)) f[f.find(',')] = '.';
    table.records.push_back(std::move(records[r]));
  }
  if (!problems.empty()) throw InputDataError(std::move(problems));
  return table;
}

CsvTable read_csv(const std::string& path, std::size_t max_bytes) {
  return parse_csv(read_regular_file(path, max_bytes, "table"), path);
}

std::string token_text(std::string_view value) {
  const bool token = value.size() <= 16 && std::all_of(value.begin(), value.end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
                              c == '_' || c == '+' || c == '-';
                     });
  if (token) return "'" + std::string(value) + "'";
  // Anything else by its length in characters (UTF-8), never its contents; and by its shape
  // when it is digits grouped by separators (space, comma, apostrophe, no-break spaces), a
  // number as a spreadsheet displays it.
  const auto characters = std::count_if(value.begin(), value.end(),
                                        [](char c) { return (static_cast<unsigned char>(c) & 0xc0u) != 0x80u; });
  std::string out = "a value of " + std::to_string(characters) + " characters";
  std::size_t digits = 0, separators = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] >= '0' && value[i] <= '9') {
      ++digits;
    } else if (value[i] == ' ' || value[i] == ',' || value[i] == '\'') {
      ++separators;
    } else if (value.substr(i, 2) == "\xc2\xa0") {  // no-break space
      ++separators, ++i;
    } else if (value.substr(i, 3) == "\xe2\x80\xaf") {  // narrow no-break space
      ++separators, i += 2;
    } else {
      return out;
    }
  }
  if (digits > 0 && separators > 0)
    out += ", digits with separators between them (write a number without separators, with a decimal point: 1234.5)";
  return out;
}

}  // namespace coopterra
