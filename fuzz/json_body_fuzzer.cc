// Fuzz target for JSON request bodies: http::ParseJsonObject on an
// application/json request, then the field readers every route uses.
// Invariants: a parsed body is an object; a string field that is read is no
// longer than its limit; RequiredString succeeds exactly when OptionalString
// finds a string.
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/json_input.h"
#include "http/request.h"
#include "http/response.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace http = egovbox::http;
  http::Request request;
  request.method = http::Method::kPost;
  request.headers["content-type"] = "application/json";
  request.body.assign(reinterpret_cast<const char*>(data), size);

  const auto body = http::ParseJsonObject(request);
  if (!body) {
    if (body.problem().status != 400) __builtin_trap();
    return 0;
  }
  if (!body->is_object()) __builtin_trap();

  constexpr std::size_t kMaxLength = 16;
  for (const std::string field : {"code", "password", "name", "email", "totp", ""}) {
    const auto optional = http::OptionalString(body.value(), field, kMaxLength);
    const auto required = http::RequiredString(body.value(), field, kMaxLength);
    if (optional && optional.value() && optional.value()->size() > kMaxLength) __builtin_trap();
    if (required.ok() != (optional.ok() && optional.value().has_value())) __builtin_trap();
    if (required && required.value() != *optional.value()) __builtin_trap();
  }
  return 0;
}
