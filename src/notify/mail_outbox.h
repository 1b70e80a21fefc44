// The persistent e-mail outbox. A domain service queues a message inside its own
// transaction (so the e-mail exists exactly when the change that caused it does),
// commits, and calls Wake; one background thread sends what is due, oldest first,
// through the SMTP server of MailSettings.
//
//   database.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
//     ... the change ...
//     outbox.Enqueue(tx, message, now);
//   });
//   outbox.Wake();
//
// Delivery is at least once: a message is marked sent in its own transaction after
// the SMTP server accepted it, so a crash between the two sends it again at the
// next start. A failed attempt is retried after 30 s, then 1, 2, 4 … minutes (at
// most an hour apart); after 20 attempts the message is given up (failed_at set,
// logged). A message being sent is claimed in the store first, so two processes on
// one database do not send it twice.
//
// Thread-safe. Enqueue and SendDue block on the store (worker threads only).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "notify/mail_message.h"
#include "notify/mail_settings.h"
#include "store/database.h"

namespace egovbox::notify {

class SmtpClient;
struct SmtpOutcome;

class MailOutbox {
 public:
  static constexpr int kMaxAttempts = 20;
  static constexpr std::int64_t kFirstRetrySeconds = 30;
  static constexpr std::int64_t kMaxRetrySeconds = 3600;

  // Unix seconds; tests pass their own.
  using Clock = std::function<std::int64_t()>;

  // `database` must outlive the outbox. Throws std::invalid_argument when e-mail is
  // on but smtp_url is not smtp:// or smtps://, or from_address is not an address.
  // `clock` defaults to the system clock.
  MailOutbox(store::Database& database, MailSettings settings, Clock clock = nullptr);
  ~MailOutbox();  // Stop()
  MailOutbox(const MailOutbox&) = delete;
  MailOutbox& operator=(const MailOutbox&) = delete;

  // False when smtp_url is empty: Enqueue then does nothing.
  bool enabled() const { return settings_.enabled(); }

  // Builds the whole message now (what is stored is exactly what is sent) and
  // inserts it in the caller's transaction. Does nothing when e-mail is off or the
  // recipient has no address; a recipient address that is not one is logged and
  // skipped, so a bad address in the directory never fails the caller's change.
  void Enqueue(store::Connection& tx, const MailMessage& message, std::int64_t now);

  // Starts the sending thread (once; nothing when e-mail is off).
  void Start();
  // Wakes the thread to look for due messages now: call after committing a
  // transaction that queued mail.
  void Wake();
  // Ends the thread, aborting a transfer in progress (that message stays queued).
  // Idempotent.
  void Stop();

  // Sends every message that is due, oldest first; returns how many the SMTP
  // server accepted. What the thread runs; public for tests and tools. Store
  // failures throw StoreError; SMTP failures are recorded on the message.
  int SendDue();

  // Seconds to wait after the `attempts`-th failed attempt: 30, 60, 120, … ≤ 3600.
  static std::int64_t RetryDelay(int attempts);

 private:
  struct Claimed;
  void Run();
  std::vector<Claimed> Claim(std::int64_t now);
  void Record(const Claimed& message, const SmtpOutcome& outcome);

  store::Database& database_;
  const MailSettings settings_;
  const Clock clock_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool woken_ = false;             // GUARDED_BY(mutex_)
  std::set<SmtpClient*> clients_;  // GUARDED_BY(mutex_): in use by SendDue, for Stop to abort
  std::thread thread_;
};

}  // namespace egovbox::notify
