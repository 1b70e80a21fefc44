#include "media/client_peer.h"

#include <arpa/inet.h>
#include <poll.h>

#include <algorithm>
#include <cstring>

namespace egovbox::media {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kPeerReflexivePriority = 1853824767;  // RFC 8445 §5.1.2: what Chromium sends
constexpr std::uint64_t kTieBreaker = 0x0123456789ABCDEF;
constexpr std::size_t kStunRequestCapacity = 256;
constexpr std::size_t kSendBatchCapacity = 64;
constexpr auto kPollStep = std::chrono::milliseconds(10);

TransportAddress Ipv4Address(std::string_view ip, std::uint16_t port) {
  TransportAddress address;
  address.port = port;
  in_addr parsed{};
  if (inet_pton(AF_INET, std::string(ip).c_str(), &parsed) == 1) {
    std::memcpy(address.address.data(), &parsed, sizeof parsed);
  } else {
    address.address = {127, 0, 0, 1};  // the tools run on loopback
  }
  return address;
}

}  // namespace

std::unique_ptr<ClientPeer> ClientPeer::Open(std::string_view name, std::string* error, std::size_t receive_batch,
                                             std::optional<SrtpProfile> only_profile) {
  auto socket = UdpSocket::Open("127.0.0.1", 0, error);
  if (!socket) return nullptr;
  auto certificate = DtlsCertificate::Generate();
  if (!certificate) {
    if (error != nullptr) *error = "cannot make a DTLS certificate";
    return nullptr;
  }
  if (only_profile && !certificate->RestrictSrtpProfiles(std::string(SrtpProfileDtlsName(*only_profile)))) {
    if (error != nullptr)
      *error = "OpenSSL refuses the SRTP profile " + std::string(SrtpProfileDtlsName(*only_profile));
    return nullptr;
  }
  IceDtlsIdentity identity{"fake" + std::string(name), "FakeBrowserPassword" + std::string(name) + "0123456789",
                           certificate->fingerprint()};
  return std::unique_ptr<ClientPeer>(
      new ClientPeer(std::move(*socket), std::move(*certificate), std::move(identity), receive_batch));
}

ClientPeer::ClientPeer(UdpSocket socket, DtlsCertificate certificate, IceDtlsIdentity identity,
                       std::size_t receive_batch)
    : socket_(std::move(socket)),
      certificate_(std::move(certificate)),
      identity_(std::move(identity)),
      receive_(receive_batch),
      send_(kSendBatchCapacity) {}

ClientPeer::~ClientPeer() = default;

TransportAddress ClientPeer::address() const {
  return Ipv4Address("127.0.0.1", port());
}

void ClientPeer::SetServer(const ServerTransport& server) {
  server_ = server;
  server_address_ = Ipv4Address(server.candidate_ip, server.candidate_port);
}

// --- ICE

std::vector<std::uint8_t> ClientPeer::BindingRequest(std::string_view server_ufrag, std::string_view password,
                                                     bool use_candidate,
                                                     const StunTransactionId& transaction_id) const {
  std::vector<std::uint8_t> buffer(kStunRequestCapacity);
  StunWriter writer(buffer, StunClass::kRequest, kStunBindingMethod, transaction_id);
  writer.AddText(stun_attribute::kUsername, std::string(server_ufrag) + ":" + identity_.ufrag);
  writer.AddUint32(stun_attribute::kPriority, kPeerReflexivePriority);
  writer.AddUint64(stun_attribute::kIceControlling, kTieBreaker);
  if (use_candidate) writer.AddFlag(stun_attribute::kUseCandidate);
  writer.AddMessageIntegrity(password);
  writer.AddFingerprint();
  buffer.resize(writer.size());  // 0 when it did not fit: nothing valid to send
  return buffer;
}

StunTransactionId ClientPeer::NextTransactionId() {
  StunTransactionId id{};
  ++transactions_;
  // Unique per peer (port) and per check (counter).
  for (std::size_t i = 0; i < 4; ++i) id[i] = static_cast<std::uint8_t>(transactions_ >> (8U * i));
  id[4] = static_cast<std::uint8_t>(port());
  id[5] = static_cast<std::uint8_t>(port() >> 8U);
  std::fill(id.begin() + 6, id.end(), static_cast<std::uint8_t>(transactions_));
  return id;
}

StunTransactionId ClientPeer::SendCheck() {
  const StunTransactionId id = NextTransactionId();
  Send(BindingRequest(server_.identity.ufrag, server_.identity.pwd, true, id));
  return id;
}

std::string ClientPeer::VerifyCheckResponse(std::span<const std::uint8_t> response, const StunTransactionId& id) const {
  const auto message = StunMessage::Parse(response);
  if (!message) return "the answer is not STUN";
  if (message->message_class() != StunClass::kSuccessResponse) return "not a success response";
  if (!std::equal(id.begin(), id.end(), message->transaction_id().begin())) return "another transaction";
  if (!message->CheckMessageIntegrity(server_.identity.pwd))
    return "MESSAGE-INTEGRITY fails under the server's ice-pwd";
  if (!message->CheckFingerprint()) return "bad FINGERPRINT";
  if (message->XorMappedAddress() != address()) return "XOR-MAPPED-ADDRESS is not our address";
  return {};
}

std::string ClientPeer::Check(std::chrono::milliseconds wait) {
  const StunTransactionId id = SendCheck();
  const auto response = WaitForStun(wait);
  if (!response) return "no answer to the connectivity check";
  return VerifyCheckResponse(*response, id);
}

// --- DTLS and SRTP

DtlsSession::Send ClientPeer::DtlsSend() {
  return [this](std::span<const std::uint8_t> bytes) { Send(bytes, server_address_); };
}

std::string ClientPeer::Handshake(std::chrono::milliseconds wait) {
  dtls_ = std::make_unique<DtlsSession>(certificate_, DtlsRole::kClient, server_.identity.fingerprint);
  outbound_.reset();
  inbound_.reset();
  srtp_failure_.clear();
  dtls_->Start(DtlsSend());
  const auto deadline = Clock::now() + wait;
  while (dtls_->state() == DtlsSession::State::kHandshaking && Clock::now() < deadline) {
    ReceiveFor(kPollStep);
    const auto timeout = dtls_->NextTimeout();
    if (timeout && *timeout <= Clock::now()) dtls_->HandleTimeout(DtlsSend());
  }
  if (dtls_->state() != DtlsSession::State::kConnected) {
    return "DTLS did not connect: " + std::string(dtls_->failure());
  }
  if (!media_ready()) return "no SRTP sessions after DTLS" + (srtp_failure_.empty() ? "" : ": " + srtp_failure_);
  return {};
}

void ClientPeer::MakeSrtpSessions() {
  const auto profile = SrtpProfileFromDtlsName(dtls_->srtp_profile_name());
  if (!profile) {
    srtp_failure_ = "unknown SRTP profile " + std::string(dtls_->srtp_profile_name());
    return;
  }
  const auto material = dtls_->ExportSrtpKeyingMaterial(SrtpKeyingMaterialLength(*profile));
  const auto keys = SplitDtlsSrtpKeyingMaterial(*profile, material, /*local_is_dtls_client=*/true);
  if (!keys) {
    srtp_failure_ = "no keying material";
    return;
  }
  outbound_ = SrtpSession::Create(*profile, SrtpSession::Direction::kOutbound, keys->local_key_and_salt);
  // A client receives every stream of the room on this one session.
  inbound_ = SrtpSession::Create(*profile, SrtpSession::Direction::kInbound, keys->remote_key_and_salt,
                                 kSrtpMaxOutboundStreams);
  if (!media_ready()) srtp_failure_ = "SrtpSession::Create failed";
}

// --- Receiving

std::size_t ClientPeer::Drain() {
  std::size_t total = 0;
  for (;;) {
    const std::size_t count = socket_.Receive(receive_);
    for (std::size_t i = 0; i < count; ++i) Handle(receive_.buffer(i), receive_.data(i).size());
    total += count;
    if (count < receive_.capacity()) return total;
  }
}

std::size_t ClientPeer::ReceiveFor(std::chrono::milliseconds wait) {
  pollfd readable{socket_.fd(), POLLIN, 0};
  if (poll(&readable, 1, static_cast<int>(wait.count())) <= 0) return 0;
  return Drain();
}

void ClientPeer::Handle(std::span<std::uint8_t> buffer, std::size_t length) {
  const auto datagram = buffer.first(length);
  const PacketKind kind = ClassifyPacket(datagram);
  switch (kind) {
    case PacketKind::kStun:
      ++counters_.stun_received;
      if (stun_.size() == kMaxQueuedStun) stun_.pop_front();
      stun_.emplace_back(datagram.begin(), datagram.end());
      return;
    case PacketKind::kDtls:
      if (!dtls_) return;
      dtls_->Receive(datagram, DtlsSend());
      if (dtls_->state() == DtlsSession::State::kConnected && !inbound_) MakeSrtpSessions();
      return;
    case PacketKind::kRtp:
    case PacketKind::kRtcp: {
      if (!inbound_) {
        ++counters_.unprotect_failures;
        return;
      }
      const bool rtcp = kind == PacketKind::kRtcp;
      if (!rtcp && unprotect_one_in_ > 1 && ++rtp_until_verified_ < unprotect_one_in_) {
        ++counters_.rtp_unverified;
        if (media_handler_) media_handler_(kind, datagram, false);
        return;
      }
      if (!rtcp) rtp_until_verified_ = 0;
      const auto plain = rtcp ? inbound_->UnprotectRtcp(buffer, length) : inbound_->UnprotectRtp(buffer, length);
      if (!plain) {
        ++counters_.unprotect_failures;
        return;
      }
      ++(rtcp ? counters_.rtcp_received : counters_.rtp_received);
      if (media_handler_) media_handler_(kind, buffer.first(*plain), true);
      return;
    }
    case PacketKind::kUnknown: return;
  }
}

std::optional<std::vector<std::uint8_t>> ClientPeer::TakeStun() {
  if (stun_.empty()) return std::nullopt;
  std::vector<std::uint8_t> first = std::move(stun_.front());
  stun_.pop_front();
  return first;
}

std::optional<std::vector<std::uint8_t>> ClientPeer::WaitForStun(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  while (stun_.empty() && Clock::now() < deadline) ReceiveFor(kPollStep);
  return TakeStun();
}

// --- Sending

void ClientPeer::Send(std::span<const std::uint8_t> datagram, const TransportAddress& to) {
  SendBatch batch(1);
  if (batch.Add(datagram, to)) socket_.Send(batch);
}

bool ClientPeer::SendRtp(std::span<const std::uint8_t> plain) {
  const auto slot = Slot();
  if (plain.size() > slot.size()) return false;
  std::copy(plain.begin(), plain.end(), slot.begin());
  const bool sent = CommitRtp(plain.size());
  Flush();
  return sent;
}

bool ClientPeer::SendRtcp(std::span<const std::uint8_t> plain) {
  const auto slot = Slot();
  if (plain.size() > slot.size()) return false;
  std::copy(plain.begin(), plain.end(), slot.begin());
  const bool sent = CommitRtcp(plain.size());
  Flush();
  return sent;
}

std::span<std::uint8_t> ClientPeer::Slot() {
  if (send_.full()) Flush();
  return send_.Slot();
}

bool ClientPeer::CommitRtp(std::size_t plain_length) {
  return Commit(plain_length, false);
}

bool ClientPeer::CommitRtcp(std::size_t plain_length) {
  return Commit(plain_length, true);
}

bool ClientPeer::Commit(std::size_t plain_length, bool rtcp) {
  if (!outbound_) return false;
  const auto slot = send_.Slot();
  const auto length = rtcp ? outbound_->ProtectRtcp(slot, plain_length) : outbound_->ProtectRtp(slot, plain_length);
  if (!length) return false;
  send_.Commit(*length, server_address_);
  return true;
}

std::size_t ClientPeer::Flush() {
  return send_.size() > 0 ? socket_.Send(send_) : 0;
}

}  // namespace egovbox::media
