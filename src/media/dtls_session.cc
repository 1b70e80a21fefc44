#include "media/dtls_session.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/time.h>

#include <algorithm>

namespace egovbox::media {
namespace {

using Clock = std::chrono::steady_clock;

// RFC 5764 §4.2.
constexpr std::string_view kExporterLabel = "EXTRACTOR-dtls_srtp";
// RFC 6347 §4.1: the record's length field sits at the end of its header.
constexpr std::size_t kRecordLengthOffset = 11;
constexpr std::size_t kMaxDatagramSize = 65535;
// Application data is never expected from a WebRTC peer; it is read in pieces of this size and dropped.
constexpr std::size_t kDiscardBufferSize = 2048;

int HexValue(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  return -1;
}

// RFC 8122 §5: "AB:CD:..." — hex pairs joined by colons, either case.
template <std::size_t kSize>
std::optional<std::array<std::uint8_t, kSize>> ParseFingerprint(std::string_view text) {
  if (text.size() != kSize * 3 - 1) return std::nullopt;
  std::array<std::uint8_t, kSize> bytes{};
  for (std::size_t i = 0; i < kSize; ++i) {
    const std::size_t at = i * 3;
    if (i != 0 && text[at - 1] != ':') return std::nullopt;
    const int high = HexValue(text[at]);
    const int low = HexValue(text[at + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    bytes[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return bytes;
}

}  // namespace

void SendDtlsRecords(std::span<const std::uint8_t> records, std::size_t mtu, const DtlsSession::Send& send) {
  std::size_t start = 0;  // the first byte of the datagram being filled
  std::size_t at = 0;
  while (at < records.size()) {
    // What does not parse as a record goes out as it is, with the rest.
    std::size_t size = records.size() - at;
    if (size >= kDtlsRecordHeaderSize) {
      const std::size_t length =
          std::size_t{records[at + kRecordLengthOffset]} << 8U | records[at + kRecordLengthOffset + 1];
      size = std::min(size, kDtlsRecordHeaderSize + length);
    }
    if (at > start && at + size - start > mtu) {
      send(records.subspan(start, at - start));
      start = at;
    }
    at += size;
  }
  if (at > start) send(records.subspan(start, at - start));
}

void DtlsSession::SslDeleter::operator()(SSL* ssl) const noexcept {
  SSL_free(ssl);
}

DtlsSession::DtlsSession(const DtlsCertificate& certificate, DtlsRole role, std::string_view expected_fingerprint)
    : role_(role), expected_fingerprint_(ParseFingerprint<std::tuple_size_v<Fingerprint>>(expected_fingerprint)) {
  ERR_clear_error();
  ssl_.reset(SSL_new(certificate.context()));
  BIO* incoming = BIO_new(BIO_s_mem());
  BIO* outgoing = BIO_new(BIO_s_mem());
  if (ssl_ == nullptr || incoming == nullptr || outgoing == nullptr) {
    BIO_free(incoming);
    BIO_free(outgoing);
    ssl_.reset();
    Fail("cannot create the DTLS session");
    return;
  }
  // An empty memory BIO reports "retry" (its default), which OpenSSL reads as "wait
  // for the next datagram" rather than end of stream.
  SSL_set_bio(ssl_.get(), incoming, outgoing);
  incoming_ = incoming;
  outgoing_ = outgoing;
  SSL_set_app_data(ssl_.get(), this);
  SSL_set_verify(ssl_.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, VerifyCallback);
  // With SSL_OP_NO_QUERY_MTU (set on the context) OpenSSL fragments handshake
  // messages to this size instead of asking a socket; a memory BIO adds no overhead.
  if (DTLS_set_link_mtu(ssl_.get(), static_cast<long>(kDtlsMtu)) != 1) {
    ssl_.reset();
    Fail("cannot set the DTLS MTU");
    return;
  }
  if (role_ == DtlsRole::kClient) {
    SSL_set_connect_state(ssl_.get());
  } else {
    SSL_set_accept_state(ssl_.get());
  }
}

DtlsSession::~DtlsSession() = default;

void DtlsSession::Start(const Send& send) {
  Begin(send);
}

void DtlsSession::Begin(const Send& send) {
  if (state_ != State::kNew) return;
  state_ = State::kHandshaking;
  if (role_ == DtlsRole::kClient) {
    handshake_started_ = Clock::now();
    ContinueHandshake(send);  // writes the ClientHello
  }
}

void DtlsSession::Receive(std::span<const std::uint8_t> datagram, const Send& send) {
  if (datagram.empty() || datagram.size() > kMaxDatagramSize) return;
  if (state_ == State::kNew) {
    Begin(send);
    if (role_ == DtlsRole::kClient) return;
  }
  if (state_ != State::kHandshaking && state_ != State::kConnected) return;
  if (!handshake_started_) handshake_started_ = Clock::now();

  ERR_clear_error();
  if (BIO_write(incoming_, datagram.data(), static_cast<int>(datagram.size())) != static_cast<int>(datagram.size())) {
    Fail("cannot buffer the datagram");
    return;
  }
  if (state_ == State::kHandshaking) ContinueHandshake(send);
  // Also right after the handshake: the same datagram may carry more records.
  if (state_ == State::kConnected) ReadApplicationData(send);
}

void DtlsSession::ContinueHandshake(const Send& send) {
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_.get());
  const int error = result == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl_.get(), result);
  // The next flight, or the alert OpenSSL sent when it gave up.
  Flush(send);
  if (result == 1) {
    FinishHandshake();
  } else if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
    ERR_clear_error();
  } else if (error == SSL_ERROR_ZERO_RETURN) {
    Fail("closed by the peer during the handshake");
  } else {
    FailFromOpenSsl(error, "handshake failed");
  }
}

void DtlsSession::FinishHandshake() {
  handshake_done_ = true;
  // RFC 5763 §5: the certificate must be the one the SDP named. VerifyCallback has
  // checked it already; this holds even if OpenSSL skipped the callback.
  if (!PeerMatches(SSL_get0_peer_certificate(ssl_.get()))) {
    Fail("fingerprint mismatch");
    return;
  }
  // RFC 5764 §4.1.2: a peer that agreed on no profile cannot carry SRTP.
  const SRTP_PROTECTION_PROFILE* profile = SSL_get_selected_srtp_profile(ssl_.get());
  if (profile == nullptr || profile->name == nullptr) {
    Fail("no SRTP profile");
    return;
  }
  srtp_profile_name_ = profile->name;  // a static string inside OpenSSL
  state_ = State::kConnected;
  ERR_clear_error();
}

void DtlsSession::ReadApplicationData(const Send& send) {
  std::array<std::uint8_t, kDiscardBufferSize> discard{};
  int error = SSL_ERROR_NONE;
  while (true) {
    ERR_clear_error();
    const int read = SSL_read(ssl_.get(), discard.data(), static_cast<int>(discard.size()));
    if (read <= 0) {
      error = SSL_get_error(ssl_.get(), read);
      break;
    }
  }
  // OpenSSL may have answered a retransmitted last flight of the peer's (RFC 6347
  // §4.2.4) by sending its own last flight again.
  Flush(send);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
    ERR_clear_error();
  } else if (error == SSL_ERROR_ZERO_RETURN) {
    // RFC 5246 §7.2.1: answer close_notify with our own.
    ERR_clear_error();
    SSL_shutdown(ssl_.get());
    Flush(send);
    ERR_clear_error();
    state_ = State::kClosed;
  } else {
    FailFromOpenSsl(error, "DTLS read failed");
  }
}

std::optional<Clock::time_point> DtlsSession::NextTimeout() const {
  if (state_ != State::kHandshaking) return std::nullopt;
  timeval left{};
  if (DTLSv1_get_timeout(ssl_.get(), &left) != 1) {
    ERR_clear_error();
    return std::nullopt;  // no flight of ours is waiting for an answer
  }
  return Clock::now() + std::chrono::seconds(left.tv_sec) + std::chrono::microseconds(left.tv_usec);
}

void DtlsSession::HandleTimeout(const Send& send) {
  if (state_ != State::kHandshaking) return;
  ERR_clear_error();
  timeval left{};
  if (DTLSv1_get_timeout(ssl_.get(), &left) != 1 || left.tv_sec > 0 || left.tv_usec > 0) {
    ERR_clear_error();
    return;  // no timer, or not expired yet
  }
  const bool too_long = handshake_started_ && Clock::now() - *handshake_started_ >= kHandshakeTimeout;
  if (too_long || retransmissions_ >= kMaxRetransmissions) {
    Fail("handshake timeout");
    return;
  }
  // RFC 6347 §4.2.4: resend the last flight, the timer doubles.
  const int result = DTLSv1_handle_timeout(ssl_.get());
  Flush(send);
  if (result > 0) {
    ++retransmissions_;
    ERR_clear_error();
  } else if (result < 0) {
    FailFromOpenSsl(SSL_ERROR_SSL, "handshake timeout");
  }
}

void DtlsSession::Close(const Send& send) {
  if (state_ == State::kConnected) {
    ERR_clear_error();
    SSL_shutdown(ssl_.get());  // 0: our close_notify is out, the peer's not yet in; enough for us
    Flush(send);
    ERR_clear_error();
    state_ = State::kClosed;
  } else if (state_ == State::kNew || state_ == State::kHandshaking) {
    // OpenSSL refuses to shut down mid-handshake; the peer will time out.
    state_ = State::kClosed;
  }
}

std::vector<std::uint8_t> DtlsSession::ExportSrtpKeyingMaterial(std::size_t length) const {
  if (!handshake_done_ || state_ == State::kFailed || length == 0) return {};
  std::vector<std::uint8_t> material(length);
  ERR_clear_error();
  const int ok = SSL_export_keying_material(ssl_.get(), material.data(), material.size(), kExporterLabel.data(),
                                            kExporterLabel.size(), nullptr, 0, 0);
  if (ok != 1) {
    ERR_clear_error();
    return {};
  }
  return material;
}

void DtlsSession::Flush(const Send& send) {
  while (true) {
    const std::size_t pending = BIO_ctrl_pending(outgoing_);
    if (pending == 0) return;
    flush_buffer_.resize(pending);
    const int read = BIO_read(outgoing_, flush_buffer_.data(), static_cast<int>(pending));
    if (read <= 0) return;
    SendDtlsRecords(std::span<const std::uint8_t>(flush_buffer_).first(static_cast<std::size_t>(read)), kDtlsMtu, send);
  }
}

void DtlsSession::Fail(std::string_view reason) {
  if (failure_.empty()) failure_ = reason;
  state_ = State::kFailed;
  ERR_clear_error();
}

void DtlsSession::FailFromOpenSsl(int error, std::string_view fallback) {
  if (certificate_rejected_) {
    Fail("fingerprint mismatch");
    return;
  }
  const char* reason = nullptr;
  if (error == SSL_ERROR_SSL) {
    // The first error is the cause (a received alert, a malformed message); later ones are consequences.
    const unsigned long code = ERR_peek_error();
    if (code != 0) reason = ERR_reason_error_string(code);
  }
  Fail(reason != nullptr ? std::string_view(reason) : fallback);
}

bool DtlsSession::PeerMatches(const X509* certificate) const {
  if (certificate == nullptr || !expected_fingerprint_) return false;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (X509_digest(certificate, EVP_sha256(), digest.data(), &size) != 1 || size != expected_fingerprint_->size()) {
    return false;
  }
  return std::equal(expected_fingerprint_->begin(), expected_fingerprint_->end(), digest.begin());
}

// Browsers' certificates are self-signed: whatever OpenSSL thinks of the chain
// (`preverify_ok`), the peer's own certificate is accepted exactly when its
// fingerprint is the SDP's. Rejecting here makes OpenSSL send bad_certificate, so
// the peer learns of the failure too.
int DtlsSession::VerifyCallback(int /*preverify_ok*/, X509_STORE_CTX* store) {
  auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* session = ssl == nullptr ? nullptr : static_cast<DtlsSession*>(SSL_get_app_data(ssl));
  if (session == nullptr) return 0;
  if (session->PeerMatches(X509_STORE_CTX_get0_cert(store))) return 1;
  session->certificate_rejected_ = true;
  return 0;
}

}  // namespace egovbox::media
