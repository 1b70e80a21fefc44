// The status line and header block of an HTTP/1.x response (RFC 9112 §4, §6),
// written as one string: the server sends it and a small body in one write.
#pragma once

#include <string>

#include "http/response.h"

namespace egovbox::http {

// `version` is 10 or 11. Adds Content-Length (but not for 1xx, 204 and 304; a HEAD
// answer gives the length its GET would have) and the Connection header that
// `keep_alive` calls for; drops those two if the response set them itself. A CR or
// LF inside a name or value becomes a space, so no value can start a header or a
// body of its own (response splitting).
std::string SerializeResponseHead(const Response& response, unsigned version, bool keep_alive);

}  // namespace egovbox::http
