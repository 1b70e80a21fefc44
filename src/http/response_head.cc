#include "http/response_head.h"

#include <strings.h>

#include <string_view>

namespace egovbox::http {
namespace {

// RFC 9110 §15 reason phrases of the statuses the server sends; the phrase is
// optional, so any other status goes without one.
std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "";
  }
}

void AppendClean(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out.append(text.data(), text.size());
  for (auto at = out.begin() + static_cast<std::ptrdiff_t>(start); at != out.end(); ++at) {
    if (*at == '\r' || *at == '\n') *at = ' ';
  }
}

void AppendHeaderLine(std::string& out, std::string_view name, std::string_view value) {
  AppendClean(out, name);
  out += ": ";
  AppendClean(out, value);
  out += "\r\n";
}

bool IsNamed(const std::string& name, const char* wanted) {
  return strcasecmp(name.c_str(), wanted) == 0;
}

}  // namespace

std::string SerializeResponseHead(const Response& response, unsigned version, bool keep_alive) {
  std::string out;
  out.reserve(1024);
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out += ReasonPhrase(response.status);
  out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    if (IsNamed(name, "Content-Length") || IsNamed(name, "Connection")) continue;
    AppendHeaderLine(out, name, value);
  }
  const bool may_have_body = response.status >= 200 && response.status != 204 && response.status != 304;
  if (may_have_body) {
    const std::uint64_t length = response.streamed_body ? response.streamed_length : response.body.size();
    AppendHeaderLine(out, "Content-Length", std::to_string(length));
  }
  if (version == 10 && keep_alive) AppendHeaderLine(out, "Connection", "keep-alive");
  if (version != 10 && !keep_alive) AppendHeaderLine(out, "Connection", "close");
  out += "\r\n";
  return out;
}

}  // namespace egovbox::http
