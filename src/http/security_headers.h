// Headers every response carries, whatever produced it (a route, a static file, an error).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "http/response.h"

namespace egovbox::http {

// The origins our pages may show in a frame (the CSP's `frame-src`): those of the
// approved embedded portals (docs/integrations.md). http does not know
// integrations; the integrations module sets the list at start and after every
// decision. With none, `frame-src 'none'`. Thread-safe: Set swaps the whole policy
// atomically, and a response reads the one in force without a lock.
class FrameSources {
 public:
  FrameSources();
  // Origins as "https://host[:port]"; one with a character a CSP source may not
  // hold (space, ';', ',', quote) is left out, so the policy cannot be broken.
  void Set(const std::vector<std::string>& origins);
  // The whole Content-Security-Policy value for the origins in force.
  std::shared_ptr<const std::string> Policy() const { return policy_.load(); }

 private:
  std::atomic<std::shared_ptr<const std::string>> policy_;
};

// Adds HSTS, the Content-Security-Policy (with `frame_sources`' frame-src, or
// frame-src 'none' without it), nosniff, Referrer-Policy, framing and permission
// limits; API answers (`is_api`) are also never cached.
void AddSecurityHeaders(Response& response, bool is_api, const FrameSources* frame_sources = nullptr);

}  // namespace egovbox::http
