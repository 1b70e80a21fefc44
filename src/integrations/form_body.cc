#include "integrations/form_body.h"

#include "http/request.h"

namespace egovbox::integrations {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

}  // namespace

std::optional<std::string> FormBody::Get(const std::string& name) const {
  const auto found = values.find(name);
  if (found == values.end()) return std::nullopt;
  return found->second;
}

std::optional<std::string> FormDecode(std::string_view text) {
  return http::DecodePercentEncoded(text, true);
}

std::optional<FormBody> ParseFormBody(std::string_view text) {
  FormBody body;
  while (!text.empty()) {
    const auto ampersand = text.find('&');
    const std::string_view pair = text.substr(0, ampersand);
    text = ampersand == std::string_view::npos ? std::string_view{} : text.substr(ampersand + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    auto name = FormDecode(pair.substr(0, equals));
    auto value = FormDecode(equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1));
    if (!name || !value) return std::nullopt;
    // RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they
    // were omitted from the request."
    if (value->empty()) continue;
    if (body.values.count(*name) != 0) {
      if (body.repeated.empty()) body.repeated = *name;
      continue;
    }
    body.values.emplace(std::move(*name), std::move(*value));
  }
  return body;
}

std::string FormEncode(std::string_view text) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  constexpr int kNibble = 4;
  constexpr unsigned kLowNibble = 0x0F;
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (IsUnreserved(byte)) {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> kNibble]);
      out.push_back(kHex[byte & kLowNibble]);
    }
  }
  return out;
}

}  // namespace egovbox::integrations
