// Fuzz target for what the server reads from a request line and its headers
// before any route runs: http::ParseTarget, Request::Cookie and NegotiateLanguage.
// The input is four lines: the target, the Cookie header, the Accept-Language
// header, the cookie name to look up (none of them can hold a line break on the
// wire). Invariants: a parsed path starts with '/', and neither it nor a query
// parameter holds a NUL or is longer than the target; a cookie's value is a part
// of the header; English is chosen only when the header names it.
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "http/language.h"
#include "http/request.h"

namespace {

// The next line of `text`, removed from it; empty when there is none.
std::string_view NextLine(std::string_view& text) {
  const auto end = text.find('\n');
  const std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  return line;
}

bool ValidPart(const std::string& part, std::size_t target_size) {
  return part.size() <= target_size && part.find('\0') == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = egovbox::http;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view target = NextLine(input);
  const std::string_view cookie_header = NextLine(input);
  const std::string_view accept_language = NextLine(input);
  const std::string_view cookie_name = NextLine(input);

  std::string path;
  std::map<std::string, std::string> query;
  if (http::ParseTarget(target, path, query)) {
    if (path.empty() || path.front() != '/' || !ValidPart(path, target.size())) __builtin_trap();
    for (const auto& [name, value] : query) {
      if (!ValidPart(name, target.size()) || !ValidPart(value, target.size())) __builtin_trap();
    }
  }

  http::Request request;
  request.headers["cookie"] = std::string(cookie_header);
  if (const auto value = request.Cookie(cookie_name)) {
    if (cookie_header.find(*value) == std::string_view::npos) __builtin_trap();
  }

  const http::Language language = http::NegotiateLanguage(accept_language);
  std::string folded(accept_language);
  std::transform(folded.begin(), folded.end(), folded.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (language == http::Language::kEnglish && folded.find("en") == std::string::npos) __builtin_trap();
  if (language != http::Language::kEnglish && language != http::Language::kBulgarian) __builtin_trap();
  return 0;
}
