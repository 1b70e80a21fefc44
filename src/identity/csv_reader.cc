#include "identity/csv_reader.h"

#include "identity/text_folding.h"

namespace egovbox::identity {
namespace {

char DetectSeparator(std::string_view text) {
  const std::string_view first_line = text.substr(0, text.find('\n'));
  return first_line.find(',') == std::string_view::npos && first_line.find(';') != std::string_view::npos ? ';' : ',';
}

// Nothing but separators, spaces and tabs: a line left over at the end of a file
// must not become a row with every field missing.
bool IsBlank(const CsvRecord& record) {
  for (const auto& field : record.fields) {
    if (field.find_first_not_of(" \t") != std::string::npos) return false;
  }
  return true;
}

}  // namespace

CsvDocument ParseCsv(std::string_view text) {
  CsvDocument document;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  if (const auto bad_line = FirstInvalidUtf8Line(text)) {
    document.error = CsvParseError{*bad_line, "not-utf8"};
    return document;
  }

  const char separator = DetectSeparator(text);
  CsvRecord record{1, {}};
  std::string field;
  bool quoted = false;
  bool field_started = false;
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = true;
      field_started = true;
    } else if (c == separator) {
      record.fields.push_back(std::move(field));
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.fields.push_back(std::move(field));
      field.clear();
      field_started = false;
      if (!IsBlank(record)) document.records.push_back(std::move(record));
      ++line;
      record = CsvRecord{line, {}};
    } else {
      field.push_back(c);
      field_started = true;
    }
  }
  if (quoted) {
    document.error = CsvParseError{record.line, "unterminated-quote"};
    return document;
  }
  if (field_started || !record.fields.empty()) {
    record.fields.push_back(std::move(field));
    if (!IsBlank(record)) document.records.push_back(std::move(record));
  }
  return document;
}

}  // namespace egovbox::identity
