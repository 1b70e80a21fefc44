#include "http/security_headers.h"

namespace egovbox::http {
namespace {

// Nothing inline and nothing from elsewhere: the web app is built to need neither.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; media-src 'self' blob:; worker-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

}  // namespace

void AddSecurityHeaders(Response& response, bool is_api) {
  response.SetHeader("Strict-Transport-Security", "max-age=31536000");
  // A route may set a stricter policy of its own (an inline preview of a file).
  if (response.Header("Content-Security-Policy").empty()) {
    response.SetHeader("Content-Security-Policy", kContentSecurityPolicy);
  }
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  response.SetHeader("Cross-Origin-Resource-Policy", "same-origin");
  // Camera, microphone and screen for our own pages only; nothing else.
  response.SetHeader("Permissions-Policy",
                     "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()");
  if (is_api && response.Header("Cache-Control").empty()) response.SetHeader("Cache-Control", "no-store");
}

}  // namespace egovbox::http
