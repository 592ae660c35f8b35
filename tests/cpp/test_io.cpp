// Reading what users bring, safely: only regular files with a size limit, any encoding a public
// table comes in converted to UTF-8 or refused with how to convert, ';'-separated tables with
// decimal commas, and TOML too deep for the parser refused before it sees it.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "coopterra/core/error.hpp"
#include "coopterra/io/csv.hpp"
#include "coopterra/io/files.hpp"
#include "coopterra/scenario/scenario.hpp"

using namespace coopterra;

namespace {
std::filesystem::path scratch(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("coopterra-io-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}
}  // namespace

TEST_CASE("only regular files are read, with their size checked first", "[io]") {
  const auto folder = scratch("folder");
  std::filesystem::create_directories(folder);
  CHECK_THROWS_WITH(read_regular_file(folder.string(), 100, "the table"), Catch::Contains("a folder, not a file"));
  const auto fifo = scratch("fifo");
  std::filesystem::remove(fifo);
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // Opening a FIFO with no writer would block forever: refused at once.
  CHECK_THROWS_WITH(read_regular_file(fifo.string(), 100, "the table"), Catch::Contains("not a regular file"));
  CHECK_THROWS_WITH(read_regular_file("/dev/zero", 1 << 20, "the table"), Catch::Contains("not a regular file"));
  CHECK_THROWS_WITH(read_regular_file("", 100, "the table"), Catch::Contains("the file name is empty"));
  CHECK_THROWS_WITH(read_regular_file(scratch("nowhere").string(), 100, "the table"), Catch::Contains("not found"));
  const auto big = scratch("big.csv");
  std::ofstream(big) << std::string(200, 'x');
  CHECK_THROWS_WITH(read_regular_file(big.string(), 100, "the table"), Catch::Contains("larger than 100 bytes"));
  CHECK(read_regular_file(big.string(), 200, "the table").size() == 200);
  CHECK_THROWS_AS(read_csv(fifo.string()), IOError);
}

TEST_CASE("UTF-8 is checked and Windows-1252 tables are converted", "[io]") {
  CHECK(is_valid_utf8("Sa\xC3\xB4ne"));
  CHECK_FALSE(is_valid_utf8("Sa\xF4ne"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));  // a surrogate
  CHECK(windows1252_to_utf8("Sa\xF4ne \x80") == "Sa\xC3\xB4ne \xE2\x82\xAC");
  CHECK(valid_utf8("a\xFF"
                   "b") ==
        "a\xEF\xBF\xBD"
        "b");
  // Excel's "CSV" on Windows: Latin-1 bytes, read as the same text in UTF-8.
  const CsvTable t = parse_csv("code,nom\n71270,Ch\xE2lon-sur-Sa\xF4ne\n", "excel.csv");
  CHECK(t.records.at(0).fields.at(1) == "Ch\xC3\xA2lon-sur-Sa\xC3\xB4ne");
  CHECK(t.encoding.find("Windows-1252") != std::string::npos);
  // With or without a byte-order mark, UTF-8 is kept as it is.
  CHECK(parse_csv("\xEF\xBB\xBFnom\nM\xC3\xA2"
                  "con\n",
                  "bom.csv")
            .records.at(0)
            .fields.at(0) ==
        "M\xC3\xA2"
        "con");
  CHECK_THROWS_WITH(parse_csv(std::string("\xFF\xFEn\0o\0m\0", 8), "utf16.csv"), Catch::Contains("UTF-8"));
}

TEST_CASE("';'-separated tables with decimal commas are read; a mismatch gives the hint", "[io]") {
  const CsvTable t = parse_csv(
      "CODGEO;LIBGEO;superficie_km2\n71270;M\xC3\xA2"
      "con;5,35\n01001;\"A;B\";-0,5\n",
      "insee.csv");
  CHECK(t.separator == ';');
  CHECK(t.records.at(0).fields.at(2) == "5.35");
  CHECK(t.records.at(1).fields.at(1) == "A;B");
  CHECK(t.records.at(1).fields.at(2) == "-0.5");
  CHECK(t.records.at(0).fields.at(0) == "71270");
  CHECK_THROWS_WITH(parse_csv("code,nom\n1;2,5;3,5\n", "mixed.csv"), Catch::Contains("';'-separated"));
}

TEST_CASE("TOML nested too deep or with too long a dotted key is refused before parsing", "[io][scenario]") {
  const std::string deep = "x = " + std::string(40000, '[') + std::string(40000, ']') + "\n";
  CHECK_THROWS_WITH(Scenario::from_string(deep, "deep.toml"), Catch::Contains("deep.toml:1:69: arrays and inline"));
  std::string inline_tables = "schema_version = 1\nx = ";
  for (int i = 0; i < 5000; ++i) inline_tables += "{a=";
  CHECK_THROWS_WITH(Scenario::from_string(inline_tables, "t.toml"), Catch::Contains("nested more than 64"));
  std::string dotted = "schema_version = 1\n";
  for (int i = 0; i < 300000; ++i) dotted += "a.";
  dotted += "a = 1\n";
  CHECK_THROWS_WITH(Scenario::from_string(dotted, "k.toml"), Catch::Contains("k.toml:2:129: a dotted key of more"));
  std::string header = "schema_version = 1\n[";
  for (int i = 0; i < 1000; ++i) header += "\"q\" . ";
  header += "z]\n";
  CHECK_THROWS_WITH(Scenario::from_string(header, "h.toml"), Catch::Contains("a dotted key of more"));
  // Brackets and dots inside strings and comments are text, not structure.
  std::string text = "schema_version = 1\nname = \"" + std::string(500, '[') + std::string(500, '.') + "\"\n# " +
                     std::string(500, '{') + "\ndescription = '''" + std::string(200, '[') + "'''\n";
  CHECK_NOTHROW(Scenario::from_string(text, "ok.toml"));
  CHECK_THROWS_WITH(Scenario::defaults().with_overrides({{"name", std::string(100, '[') + "]", "--set name=[["}}),
                    Catch::Contains("--set name=[["));
}

TEST_CASE("extends must name a regular file", "[io][scenario]") {
  const auto folder = scratch("ext");
  std::filesystem::create_directories(folder / "sub");
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(folder / name) << text;
    return (folder / name).string();
  };
  CHECK_THROWS_WITH(Scenario::from_file(write("a.toml", "schema_version = 1\nextends = \"sub\"\n")),
                    Catch::Contains("a.toml:2:11: extends: the extended scenario: this is a folder"));
  CHECK_THROWS_WITH(Scenario::from_file(write("b.toml", "schema_version = 1\nextends = \"\"\n")),
                    Catch::Contains("b.toml:2:11: extends: the extended scenario: the file name is empty"));
  CHECK_THROWS_WITH(Scenario::from_file(write("c.toml", "schema_version = 1\nextends = \"/dev/zero\"\n")),
                    Catch::Contains("not a regular file"));
  std::filesystem::remove(folder / "pipe");
  REQUIRE(::mkfifo((folder / "pipe").c_str(), 0600) == 0);
  CHECK_THROWS_WITH(Scenario::from_file(write("d.toml", "schema_version = 1\nextends = \"pipe\"\n")),
                    Catch::Contains("not a regular file"));
  CHECK_THROWS_WITH(Scenario::from_file((folder / "pipe").string()), Catch::Contains("not a regular file"));
}

TEST_CASE("a bad --set is blamed on the --set, not on the scenario file", "[io][scenario]") {
  const auto path = scratch("blame.toml");
  std::ofstream(path) << "schema_version = 1\n";
  const Scenario s = Scenario::from_file(path.string());
  try {
    (void)s.with_overrides({{"policies[1].rate", "0.5", "--set policies[1].rate=0.5"}});
    FAIL("accepted");
  } catch (const ConfigurationError& e) {
    REQUIRE(!e.diagnostics().empty());
    CHECK(e.diagnostics().front().where.file == "--set policies[1].rate=0.5");
  }
}
