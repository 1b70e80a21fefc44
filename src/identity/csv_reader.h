// RFC 4180 CSV: quoted fields with commas, quotes ("") and line breaks; CRLF or
// LF; a UTF-8 byte-order mark at the start is skipped. Also reads ';' as the
// separator when the header line has no ',' (what a Bulgarian-locale Excel writes).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::identity {

struct CsvRecord {
  std::size_t line = 0;  // line number in the file where the record starts (1-based)
  std::vector<std::string> fields;
};

struct CsvParseError {
  std::size_t line = 0;
  std::string reason;  // "unterminated-quote", "not-utf8"
};

struct CsvDocument {
  std::vector<CsvRecord> records;  // the header is records[0]; blank lines (spaces and separators only) are skipped
  std::optional<CsvParseError> error;
};

CsvDocument ParseCsv(std::string_view text);

}  // namespace egovbox::identity
