// Fuzz target for integrations::ParseFormBody, which reads the OAuth token and
// revocation requests (application/x-www-form-urlencoded) from anyone. Invariants:
// no crash; every decoded value encodes and decodes back to itself; a parsed
// body's values are never empty.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "integrations/form_body.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using egovbox::integrations::FormDecode;
  using egovbox::integrations::FormEncode;
  using egovbox::integrations::ParseFormBody;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto body = ParseFormBody(text);
  if (body) {
    for (const auto& [name, value] : body->values) {
      if (value.empty()) __builtin_trap();
      const auto again = FormDecode(FormEncode(value));
      if (!again || *again != value) __builtin_trap();
      if (body->Get(name) != value) __builtin_trap();
    }
  }
  if (const auto decoded = FormDecode(text)) {
    const auto again = FormDecode(FormEncode(*decoded));
    if (!again || *again != *decoded) __builtin_trap();
  }
  return 0;
}
