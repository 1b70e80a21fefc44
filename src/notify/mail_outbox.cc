#include "notify/mail_outbox.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <stdexcept>

#include "crypto/random.h"
#include "notify/smtp_client.h"

namespace egovbox::notify {
namespace {

// A claimed message is not picked again for this long: longer than a whole batch
// may take (one SMTP transfer ends within about two minutes: 60 s in all, plus up
// to 60 s for the reply to the end of the data), so only a crashed sender's claims
// ever run out, and then its messages wait a few minutes more.
constexpr int kBatchSize = 3;
constexpr std::int64_t kClaimSeconds = (kBatchSize * 2 + 1) * std::int64_t{60};
// The thread looks at the store at least this often, for messages queued by
// another process on the same database (which cannot Wake it).
constexpr std::int64_t kIdlePollSeconds = 60;
constexpr std::int64_t kPauseAfterErrorSeconds = 30;

std::int64_t SystemNow() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

}  // namespace

struct MailOutbox::Claimed {
  std::string id;
  std::string recipient;
  std::string message;
  int attempts = 0;                  // before this one
  std::int64_t next_attempt_at = 0;  // before the claim, to give it back unchanged
};

MailOutbox::MailOutbox(store::Database& database, MailSettings settings, Clock clock)
    : database_(database), settings_(std::move(settings)), clock_(clock ? std::move(clock) : Clock(&SystemNow)) {
  if (!settings_.enabled()) return;
  const std::string_view url = settings_.smtp_url;
  if (url.substr(0, 7) != "smtp://" && url.substr(0, 8) != "smtps://") {
    throw std::invalid_argument("smtp_url must start with smtp:// or smtps://");
  }
  if (!IsMailAddress(settings_.from_address)) {
    throw std::invalid_argument("mail_from must be an e-mail address when smtp_url is set");
  }
}

MailOutbox::~MailOutbox() {
  Stop();
}

void MailOutbox::Enqueue(store::Connection& tx, const MailMessage& message, std::int64_t now) {
  if (!enabled() || message.to_address.empty()) return;
  if (!IsMailAddress(message.to_address)) {
    spdlog::warn("mail: not queued: the recipient address is not valid");
    return;
  }
  const std::string id = crypto::RandomToken(16);
  const std::string text =
      BuildMimeMessage(message, settings_.from_address, settings_.from_name, now, crypto::RandomToken(16));
  tx.Execute(
      "INSERT INTO mail_outbox (id, recipient, message, created_at, attempts, next_attempt_at)"
      " VALUES (?, ?, ?, ?, 0, ?)",
      {id, message.to_address, text, now, now});
}

void MailOutbox::Start() {
  if (!enabled() || thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void MailOutbox::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void MailOutbox::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (SmtpClient* client : clients_) client->Abort();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::int64_t MailOutbox::RetryDelay(int attempts) {
  std::int64_t delay = kFirstRetrySeconds;
  for (int i = 1; i < attempts && delay < kMaxRetrySeconds; ++i) delay *= 2;
  return std::min(delay, kMaxRetrySeconds);
}

std::vector<MailOutbox::Claimed> MailOutbox::Claim(std::int64_t now) {
  return database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
    std::vector<Claimed> claimed;
    for (const auto& row : tx.Query("SELECT id, recipient, message, attempts, next_attempt_at FROM mail_outbox"
                                    " WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?"
                                    " ORDER BY created_at, id LIMIT ?",
                                    {now, static_cast<std::int64_t>(kBatchSize)})) {
      claimed.push_back({row.Text(0), row.Text(1), row.Text(2), static_cast<int>(row.Int(3)), row.Int(4)});
      tx.Execute("UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ?", {now + kClaimSeconds, claimed.back().id});
    }
    return claimed;
  });
}

void MailOutbox::Record(const Claimed& message, const SmtpOutcome& outcome) {
  const std::int64_t now = clock_();
  database_.InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
    if (outcome.accepted) {
      tx.Execute("UPDATE mail_outbox SET sent_at = ?, attempts = ?, last_error = '' WHERE id = ?",
                 {now, static_cast<std::int64_t>(message.attempts + 1), message.id});
    } else if (outcome.cancelled) {
      // Shutting down: give the claim back; this was not the message's fault.
      tx.Execute("UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ?", {message.next_attempt_at, message.id});
    } else if (message.attempts + 1 >= kMaxAttempts) {
      tx.Execute("UPDATE mail_outbox SET attempts = ?, failed_at = ?, last_error = ? WHERE id = ?",
                 {static_cast<std::int64_t>(message.attempts + 1), now, outcome.error, message.id});
    } else {
      tx.Execute("UPDATE mail_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                 {static_cast<std::int64_t>(message.attempts + 1), now + RetryDelay(message.attempts + 1),
                  outcome.error, message.id});
    }
  });
  if (outcome.accepted || outcome.cancelled) return;
  if (message.attempts + 1 >= kMaxAttempts) {
    spdlog::error("mail: gave up on message {} after {} attempts: {}", message.id, message.attempts + 1, outcome.error);
  } else {
    spdlog::warn("mail: message {} not sent (attempt {}), retrying in {} s: {}", message.id, message.attempts + 1,
                 RetryDelay(message.attempts + 1), outcome.error);
  }
}

int MailOutbox::SendDue() {
  if (!enabled()) return 0;
  SmtpClient client(settings_);  // one connection for the whole run, reused between messages
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return 0;
    clients_.insert(&client);
  }
  struct Unregister {
    MailOutbox& outbox;
    SmtpClient* client;
    ~Unregister() {
      std::lock_guard lock(outbox.mutex_);
      outbox.clients_.erase(client);
    }
  } unregister{*this, &client};
  int accepted = 0;
  for (;;) {
    const auto batch = Claim(clock_());
    if (batch.empty()) return accepted;
    for (const auto& message : batch) {
      // At least once: the server has the message before the store says so, and a
      // crash in between sends it again at the next start.
      const SmtpOutcome outcome = client.Send(message.recipient, message.message);
      Record(message, outcome);
      if (outcome.accepted) ++accepted;
    }
    if (stopping_) return accepted;
  }
}

void MailOutbox::Run() {
  while (!stopping_) {
    std::int64_t wait_seconds = kIdlePollSeconds;
    try {
      SendDue();
      auto connection = database_.Acquire();
      const auto next = connection->QueryOne(
          "SELECT MIN(next_attempt_at) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL");
      if (next && !next->IsNull(0))
        wait_seconds = std::clamp<std::int64_t>(next->Int(0) - clock_(), 0, kIdlePollSeconds);
    } catch (const std::exception& error) {
      spdlog::error("mail: the outbox failed: {}", error.what());
      wait_seconds = kPauseAfterErrorSeconds;
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::seconds(wait_seconds), [this] { return woken_ || stopping_.load(); });
    woken_ = false;
  }
}

}  // namespace egovbox::notify
