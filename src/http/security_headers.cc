#include "http/security_headers.h"

#include <algorithm>
#include <string_view>

namespace egovbox::http {
namespace {

// Nothing inline and nothing from elsewhere: the web app is built to need neither.
// Frames only from the approved embedded portals (FrameSources), so frame-src ends
// the policy and is appended per response.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; media-src 'self' blob:; worker-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'; frame-src ";

bool IsSafeSource(const std::string& origin) {
  return !origin.empty() && std::none_of(origin.begin(), origin.end(), [](char c) {
    return c <= ' ' || c == ';' || c == ',' || c == '\'' || c == '"' || c == 0x7f;
  });
}

std::shared_ptr<const std::string> PolicyWith(const std::vector<std::string>& origins) {
  std::string policy(kContentSecurityPolicy);
  std::string sources;
  for (const auto& origin : origins) {
    if (!IsSafeSource(origin)) continue;
    if (!sources.empty()) sources += ' ';
    sources += origin;
  }
  policy += sources.empty() ? "'none'" : sources;
  return std::make_shared<const std::string>(std::move(policy));
}

const std::string& DefaultPolicy() {
  static const auto kPolicy = PolicyWith({});
  return *kPolicy;
}

}  // namespace

FrameSources::FrameSources() : policy_(PolicyWith({})) {}

void FrameSources::Set(const std::vector<std::string>& origins) {
  policy_.store(PolicyWith(origins));
}

void AddSecurityHeaders(Response& response, bool is_api, const FrameSources* frame_sources) {
  response.SetHeader("Strict-Transport-Security", "max-age=31536000");
  // A route may set a stricter policy of its own (an inline preview of a file).
  if (response.Header("Content-Security-Policy").empty()) {
    response.SetHeader("Content-Security-Policy",
                       frame_sources != nullptr ? *frame_sources->Policy() : DefaultPolicy());
  }
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "no-referrer");
  // About others framing our pages (as frame-ancestors 'none'); frame-src is about ours framing others.
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  response.SetHeader("Cross-Origin-Resource-Policy", "same-origin");
  // Camera, microphone and screen for our own pages only; nothing else.
  response.SetHeader("Permissions-Policy",
                     "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()");
  if (is_api && response.Header("Cache-Control").empty()) response.SetHeader("Cache-Control", "no-store");
}

}  // namespace egovbox::http
