// Sends one finished RFC 5322 message to one recipient through the configured
// SMTP server: the only user of libcurl (and of the SMTP protocol) in the server.
//
// One client holds one libcurl handle, so messages sent one after another reuse the
// connection; destroying the client ends it (QUIT). Send blocks for up to 10 s to
// connect and 60 s in all; Abort, from another thread, ends it at once. Otherwise
// not thread-safe: one client per thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "notify/mail_settings.h"

namespace egovbox::notify {

struct SmtpOutcome {
  bool accepted = false;   // the server answered 250 to the end of the message
  bool cancelled = false;  // Abort was called before the server accepted
  std::string error;       // when not accepted: what failed, for the log and the outbox row
};

class SmtpClient {
 public:
  // Initialises libcurl once per process. Throws std::invalid_argument when the URL
  // is not smtp:// or smtps://, std::runtime_error when libcurl cannot start.
  explicit SmtpClient(MailSettings settings);
  ~SmtpClient();
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;

  // MAIL FROM the configured address, RCPT TO `recipient`, DATA `message` (CRLF
  // lines; libcurl doubles leading dots, RFC 5321 §4.5.2). Failures are values.
  SmtpOutcome Send(const std::string& recipient, std::string_view message);

  // Thread-safe: ends a Send in progress (its connection is shut down, whatever
  // libcurl is waiting for) and makes every later Send fail at once. For shutdown.
  void Abort();

 private:
  struct Handle;
  MailSettings settings_;
  std::unique_ptr<Handle> handle_;
};

}  // namespace egovbox::notify
