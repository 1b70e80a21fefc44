// Headers every response carries, whatever produced it (a route, a static file, an error).
#pragma once

#include "http/response.h"

namespace egovbox::http {

// Adds HSTS, the Content-Security-Policy, nosniff, Referrer-Policy, framing and
// permission limits; API answers (`is_api`) are also never cached.
void AddSecurityHeaders(Response& response, bool is_api);

}  // namespace egovbox::http
