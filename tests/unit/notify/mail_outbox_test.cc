#include "notify/mail_outbox.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "mime_reader.h"
#include "smtp_sink.h"
#include "temporary_database.h"

namespace egovbox::notify {
namespace {

using test::SmtpSink;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::int64_t kStart = 1796112000;  // 2026-12-01T08:00:00Z

struct OutboxRow {
  std::string recipient;
  std::string message;
  std::int64_t attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::optional<std::int64_t> sent_at;
  std::optional<std::int64_t> failed_at;
  std::string last_error;
};

class MailOutboxTest : public ::testing::Test {
 protected:
  MailSettings Settings() {
    MailSettings settings;
    settings.smtp_url = sink_.url();
    settings.from_address = "noreply@plovdiv.bg";
    settings.from_name = "Община Пловдив";
    return settings;
  }

  std::unique_ptr<MailOutbox> MakeOutbox(MailSettings settings) {
    return std::make_unique<MailOutbox>(database(), std::move(settings), [this] { return now_.load(); });
  }

  static MailMessage Message(const std::string& to, const std::string& subject = "Напомняне") {
    MailMessage message;
    message.to_address = to;
    message.to_name = "Иван Петров";
    message.subject = subject;
    message.text = "Срещата започва след 15 минути.\n.\n..точки в началото на реда\n";
    return message;
  }

  void Enqueue(MailOutbox& outbox, const MailMessage& message, std::int64_t at) {
    database().InTransaction(store::TransactionMode::kWrite,
                             [&](store::Connection& tx) { outbox.Enqueue(tx, message, at); });
  }

  std::vector<OutboxRow> Rows() {
    std::vector<OutboxRow> rows;
    auto connection = database().Acquire();
    for (const auto& row : connection->Query(
             "SELECT recipient, message, attempts, next_attempt_at, sent_at, failed_at, last_error FROM mail_outbox"
             " ORDER BY created_at, id")) {
      rows.push_back(
          {row.Text(0), row.Text(1), row.Int(2), row.Int(3), row.OptionalInt(4), row.OptionalInt(5), row.Text(6)});
    }
    return rows;
  }

  // Waits (up to 10 s) for the sink to hold `count` messages.
  bool WaitForReceived(std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (sink_.received().size() >= count) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  store::Database& database() { return temporary_.database(); }

  unit_test::TemporaryDatabase temporary_;
  SmtpSink sink_;
  std::atomic<std::int64_t> now_{kStart};
};

TEST_F(MailOutboxTest, QueuesNothingWhenMailIsOff) {
  auto outbox = MakeOutbox(MailSettings{});
  EXPECT_FALSE(outbox->enabled());
  Enqueue(*outbox, Message("ivan@example.org"), kStart);
  EXPECT_TRUE(Rows().empty());
  EXPECT_EQ(outbox->SendDue(), 0);
  outbox->Start();  // does nothing
  outbox->Wake();
}

TEST_F(MailOutboxTest, QueuesNothingWithoutAUsableAddress) {
  auto outbox = MakeOutbox(Settings());
  EXPECT_TRUE(outbox->enabled());
  Enqueue(*outbox, Message(""), kStart);
  Enqueue(*outbox, Message("ivan@example.org>\r\nRCPT TO:<x@example.org"), kStart);
  EXPECT_TRUE(Rows().empty());
}

TEST_F(MailOutboxTest, RefusesABadConfiguration) {
  MailSettings settings = Settings();
  settings.smtp_url = "http://127.0.0.1:25";
  EXPECT_THROW(MailOutbox(database(), settings), std::invalid_argument);
  settings = Settings();
  settings.from_address = "";
  EXPECT_THROW(MailOutbox(database(), settings), std::invalid_argument);
}

TEST_F(MailOutboxTest, QueuesTheFinishedMessageInTheCallersTransaction) {
  auto outbox = MakeOutbox(Settings());
  try {
    database().InTransaction(store::TransactionMode::kWrite, [&](store::Connection& tx) {
      outbox->Enqueue(tx, Message("ivan@example.org"), kStart);
      throw std::runtime_error("the caller's change failed");
    });
  } catch (const std::runtime_error&) {
  }
  EXPECT_TRUE(Rows().empty());

  Enqueue(*outbox, Message("ivan@example.org"), kStart);
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].recipient, "ivan@example.org");
  EXPECT_EQ(rows[0].attempts, 0);
  EXPECT_EQ(rows[0].next_attempt_at, kStart);
  const test::Entity mail = test::ParseEntity(rows[0].message);
  EXPECT_EQ(mail.Header("date"), "Tue, 01 Dec 2026 08:00:00 +0000");
  EXPECT_EQ(test::DecodeWords(mail.Header("from")), "Община Пловдив <noreply@plovdiv.bg>");
  EXPECT_THAT(mail.Header("message-id"), HasSubstr("@plovdiv.bg>"));
}

TEST_F(MailOutboxTest, SendsExactlyTheStoredMessage) {
  auto outbox = MakeOutbox(Settings());
  Enqueue(*outbox, Message("ivan@example.org"), kStart);
  now_ = kStart + 5;
  EXPECT_EQ(outbox->SendDue(), 1);

  const auto received = sink_.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].from, "<noreply@plovdiv.bg>");
  EXPECT_THAT(received[0].recipients, ElementsAre("<ivan@example.org>"));
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(received[0].data, rows[0].message);
  EXPECT_EQ(test::DecodeBase64(test::ParseEntity(received[0].data).body),
            "Срещата започва след 15 минути.\r\n.\r\n..точки в началото на реда\r\n");
  EXPECT_EQ(rows[0].sent_at, kStart + 5);
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_EQ(rows[0].last_error, "");
  // Sent once only.
  EXPECT_EQ(outbox->SendDue(), 0);
  EXPECT_EQ(sink_.transactions(), 1);
}

TEST_F(MailOutboxTest, SendsOldestFirstOverOneConnection) {
  auto outbox = MakeOutbox(Settings());
  for (int i = 0; i < 7; ++i) Enqueue(*outbox, Message("ivan@example.org", "n" + std::to_string(i)), kStart + 10 - i);
  Enqueue(*outbox, Message("later@example.org"), kStart + 100);  // not due yet
  now_ = kStart + 10;
  EXPECT_EQ(outbox->SendDue(), 7);
  const auto received = sink_.received();
  ASSERT_EQ(received.size(), 7u);
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(test::ParseEntity(received[i].data).Header("subject"), "n" + std::to_string(6 - i));
  }
  EXPECT_EQ(sink_.connections(), 1);
  now_ = kStart + 100;
  EXPECT_EQ(outbox->SendDue(), 1);
}

TEST_F(MailOutboxTest, RetriesWithBackOffAfterATemporaryFailure) {
  for (const auto mode : {SmtpSink::Mode::kFailRecipient, SmtpSink::Mode::kFailData}) {
    SCOPED_TRACE(mode == SmtpSink::Mode::kFailRecipient ? "451 to RCPT" : "451 to the data");
    auto connection = database().Acquire();
    connection->Execute("DELETE FROM mail_outbox");
    now_ = kStart;
    auto outbox = MakeOutbox(Settings());
    Enqueue(*outbox, Message("ivan@example.org"), kStart);
    sink_.set_mode(mode);
    EXPECT_EQ(outbox->SendDue(), 0);
    auto rows = Rows();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].attempts, 1);
    EXPECT_EQ(rows[0].next_attempt_at, kStart + 30);
    EXPECT_FALSE(rows[0].sent_at.has_value());
    EXPECT_FALSE(rows[0].failed_at.has_value());
    EXPECT_THAT(rows[0].last_error, HasSubstr("451"));

    // Not due before the back-off has passed.
    const int tried = sink_.transactions();
    now_ = kStart + 29;
    EXPECT_EQ(outbox->SendDue(), 0);
    EXPECT_EQ(sink_.transactions(), tried);

    // Fails again: the wait doubles.
    now_ = kStart + 30;
    EXPECT_EQ(outbox->SendDue(), 0);
    rows = Rows();
    EXPECT_EQ(rows[0].attempts, 2);
    EXPECT_EQ(rows[0].next_attempt_at, kStart + 30 + 60);

    sink_.set_mode(SmtpSink::Mode::kAccept);
    now_ = kStart + 90;
    EXPECT_EQ(outbox->SendDue(), 1);
    rows = Rows();
    EXPECT_EQ(rows[0].attempts, 3);
    EXPECT_EQ(rows[0].sent_at, kStart + 90);
    EXPECT_EQ(rows[0].last_error, "");
  }
}

TEST_F(MailOutboxTest, GivesUpAfterTwentyAttempts) {
  auto outbox = MakeOutbox(Settings());
  Enqueue(*outbox, Message("ivan@example.org"), kStart);
  {
    auto connection = database().Acquire();
    connection->Execute("UPDATE mail_outbox SET attempts = 19");
  }
  sink_.set_mode(SmtpSink::Mode::kFailRecipient);
  EXPECT_EQ(outbox->SendDue(), 0);
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].attempts, 20);
  EXPECT_EQ(rows[0].failed_at, kStart);
  EXPECT_THAT(rows[0].last_error, HasSubstr("451"));
  // Never tried again.
  sink_.set_mode(SmtpSink::Mode::kAccept);
  const int tried = sink_.transactions();
  now_ = kStart + 365 * 86400;
  EXPECT_EQ(outbox->SendDue(), 0);
  EXPECT_EQ(sink_.transactions(), tried);
}

TEST_F(MailOutboxTest, RecordsAServerThatCannotBeReached) {
  // A port nobody listens on: take one, then free it.
  std::string url;
  {
    SmtpSink gone;
    url = gone.url();
  }
  MailSettings settings = Settings();
  settings.smtp_url = url;
  auto outbox = MakeOutbox(settings);
  Enqueue(*outbox, Message("ivan@example.org"), kStart);
  EXPECT_EQ(outbox->SendDue(), 0);
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_FALSE(rows[0].last_error.empty());
}

TEST_F(MailOutboxTest, RefusesToSendInPlainTextWhenStartTlsIsRequired) {
  MailSettings settings = Settings();
  settings.smtp_starttls = true;  // the sink offers no STARTTLS
  auto outbox = MakeOutbox(settings);
  Enqueue(*outbox, Message("ivan@example.org"), kStart);
  EXPECT_EQ(outbox->SendDue(), 0);
  EXPECT_TRUE(sink_.received().empty());
  EXPECT_EQ(Rows()[0].attempts, 1);
}

TEST_F(MailOutboxTest, BacksOffFrom30SecondsToAnHour) {
  EXPECT_EQ(MailOutbox::RetryDelay(1), 30);
  EXPECT_EQ(MailOutbox::RetryDelay(2), 60);
  EXPECT_EQ(MailOutbox::RetryDelay(3), 120);
  EXPECT_EQ(MailOutbox::RetryDelay(7), 1920);
  EXPECT_EQ(MailOutbox::RetryDelay(8), 3600);
  EXPECT_EQ(MailOutbox::RetryDelay(19), 3600);
  EXPECT_EQ(MailOutbox::RetryDelay(1000), 3600);
}

TEST_F(MailOutboxTest, TheThreadSendsWhenWoken) {
  // The system clock, as in the server.
  auto outbox = std::make_unique<MailOutbox>(database(), Settings());
  outbox->Start();
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  Enqueue(*outbox, Message("ivan@example.org"), now);
  outbox->Wake();
  ASSERT_TRUE(WaitForReceived(1));
  Enqueue(*outbox, Message("boris@example.org"), now);
  outbox->Wake();
  ASSERT_TRUE(WaitForReceived(2));
  const auto started = std::chrono::steady_clock::now();
  outbox->Stop();
  outbox->Stop();  // idempotent
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& row : rows) EXPECT_TRUE(row.sent_at.has_value());
}

TEST_F(MailOutboxTest, StopAbortsATransferAndKeepsTheMessageQueued) {
  sink_.set_mode(SmtpSink::Mode::kStall);
  auto outbox = MakeOutbox(Settings());
  Enqueue(*outbox, Message("ivan@example.org"), kStart);
  outbox->Start();
  outbox->Wake();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!sink_.stalled() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(sink_.stalled());
  const auto started = std::chrono::steady_clock::now();
  outbox->Stop();
  // libcurl asks the progress callback about once a second; far from its 60 s timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  const auto rows = Rows();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].attempts, 0);
  EXPECT_EQ(rows[0].next_attempt_at, kStart);  // the claim given back
  EXPECT_FALSE(rows[0].sent_at.has_value());
}

TEST_F(MailOutboxTest, TheThreadSendsWhatWasQueuedBeforeItStarted) {
  auto outbox = std::make_unique<MailOutbox>(database(), Settings());
  Enqueue(*outbox, Message("ivan@example.org"), static_cast<std::int64_t>(std::time(nullptr)) - 60);
  outbox->Start();
  EXPECT_TRUE(WaitForReceived(1));
}

}  // namespace
}  // namespace egovbox::notify
