// Fuzz target for identity::ParseCsv, the reader of the employee list an
// administrator imports. Invariants: records start on 1-based lines that never go
// back and never pass the last line; a file that is not UTF-8 yields no records;
// a file that parses parses the same way again.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "identity/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using egovbox::identity::ParseCsv;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto document = ParseCsv(text);

  // The parser ends a line at LF, CRLF or a lone CR.
  const auto last_line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n') +
                                                      std::count(text.begin(), text.end(), '\r'));
  std::size_t previous_line = 1;
  for (const auto& record : document.records) {
    if (record.line < previous_line || record.line > last_line || record.fields.empty()) __builtin_trap();
    previous_line = record.line;
  }

  if (document.error) {
    if (document.error->line < 1 || document.error->line > last_line) __builtin_trap();
    if (document.error->reason == "not-utf8" && !document.records.empty()) __builtin_trap();
    return 0;
  }
  const auto again = ParseCsv(text);
  if (again.error || again.records.size() != document.records.size()) __builtin_trap();
  for (std::size_t i = 0; i < document.records.size(); ++i) {
    if (again.records[i].line != document.records[i].line || again.records[i].fields != document.records[i].fields) {
      __builtin_trap();
    }
  }
  return 0;
}
