#include "http/response_head.h"

#include <gtest/gtest.h>

namespace egovbox::http {
namespace {

Response JsonOk() {
  Response response = Response::Json(200, {{"status", "ok"}});
  response.SetHeader("X-Content-Type-Options", "nosniff");
  return response;
}

TEST(ResponseHeadTest, StatusLineHeadersAndLengthEndWithABlankLine) {
  EXPECT_EQ(SerializeResponseHead(JsonOk(), 11, true),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/json\r\n"
            "X-Content-Type-Options: nosniff\r\n"
            "Content-Length: 15\r\n"
            "\r\n");
}

// A file sent piece by piece announces the length of what will be sent, not of `body`.
TEST(ResponseHeadTest, AStreamedBodyAnnouncesItsOwnLength) {
  struct Nothing final : BodySource {
    std::size_t Read(std::span<char> /*out*/) override { return 0; }
  };
  Response partial;
  partial.status = 206;
  partial.streamed_body = std::make_shared<Nothing>();
  partial.streamed_length = std::uint64_t{5} << 32;
  EXPECT_EQ(SerializeResponseHead(partial, 11, true),
            "HTTP/1.1 206 Partial Content\r\nContent-Length: 21474836480\r\n\r\n");
}

TEST(ResponseHeadTest, ConnectionCloseOnlyWhenNotKeptAlive) {
  EXPECT_NE(SerializeResponseHead(JsonOk(), 11, false).find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(SerializeResponseHead(JsonOk(), 11, true).find("Connection:"), std::string::npos);
}

TEST(ResponseHeadTest, Http10KeepAliveIsSaidAndClosingIsTheDefault) {
  const std::string kept = SerializeResponseHead(JsonOk(), 10, true);
  EXPECT_EQ(kept.rfind("HTTP/1.0 200 OK\r\n", 0), 0U);
  EXPECT_NE(kept.find("Connection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(SerializeResponseHead(JsonOk(), 10, false).find("Connection:"), std::string::npos);
}

TEST(ResponseHeadTest, NoContentAndNotModifiedHaveNoLength) {
  EXPECT_EQ(SerializeResponseHead(Response::NoContent(), 11, true), "HTTP/1.1 204 No Content\r\n\r\n");
  Response not_modified;
  not_modified.status = 304;
  not_modified.SetHeader("ETag", "\"abc\"");
  EXPECT_EQ(SerializeResponseHead(not_modified, 11, true), "HTTP/1.1 304 Not Modified\r\nETag: \"abc\"\r\n\r\n");
}

TEST(ResponseHeadTest, LengthAndConnectionAreTheServersToSet) {
  Response response = JsonOk();
  response.headers.emplace_back("content-length", "9999");
  response.headers.emplace_back("Connection", "upgrade");
  const std::string head = SerializeResponseHead(response, 11, true);
  EXPECT_EQ(head.find("9999"), std::string::npos);
  EXPECT_EQ(head.find("upgrade"), std::string::npos);
  EXPECT_NE(head.find("Content-Length: 15\r\n"), std::string::npos);
}

TEST(ResponseHeadTest, LineBreaksInAValueCannotStartAHeaderOrABody) {
  Response response = Response::NoContent();
  response.SetHeader("Content-Disposition", "attachment; filename=\"a\r\nSet-Cookie: stolen=1\r\n\r\n<html>\"");
  const std::string head = SerializeResponseHead(response, 11, true);
  EXPECT_EQ(head.find("\r\nSet-Cookie"), std::string::npos);
  EXPECT_EQ(head.find("\r\n\r\n"), head.size() - 4);  // the only blank line is the last
}

TEST(ResponseHeadTest, UnusualStatusGoesWithoutAReasonPhrase) {
  Response response;
  response.status = 418;
  EXPECT_EQ(SerializeResponseHead(response, 11, true).rfind("HTTP/1.1 418 \r\n", 0), 0U);
}

}  // namespace
}  // namespace egovbox::http
