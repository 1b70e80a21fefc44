#include "media/peer_connection.h"

#include <spdlog/spdlog.h>

namespace egovbox::media {

PeerConnection::PeerConnection(const DtlsCertificate& certificate) : certificate_(certificate) {}

void PeerConnection::SetRemoteParameters(const std::string& ufrag, const std::string& pwd,
                                         const std::string& fingerprint, DtlsRole local_role) {
  // An answer that rejects every section carries no transport: the connection stays as it is.
  if (fingerprint.empty()) return;
  ice_.SetRemoteCredentials(ufrag, pwd);
  if (dtls_ && fingerprint == remote_fingerprint_ && local_role == local_role_) return;
  remote_fingerprint_ = fingerprint;
  local_role_ = local_role;
  dtls_ = std::make_unique<DtlsSession>(certificate_, local_role, fingerprint);
  dtls_started_ = false;
  ready_reported_ = false;
  inbound_.reset();
  outbound_.reset();
}

void PeerConnection::AddressSelected(const SendTo& send) {
  // RFC 5763 §5: the active side (the DTLS client) sends the ClientHello once ICE
  // has a pair; the passive side waits for it.
  if (!dtls_ || dtls_started_ || local_role_ != DtlsRole::kClient) return;
  const auto address = ice_.selected_address();
  if (!address) return;
  dtls_started_ = true;
  dtls_->Start([&](std::span<const std::uint8_t> bytes) { send(bytes, *address); });
}

void PeerConnection::ReceiveDtls(std::span<const std::uint8_t> datagram, const TransportAddress& source,
                                 const SendTo& send) {
  if (!dtls_) return;  // before the SDP: nothing to check the certificate against
  const TransportAddress destination = ice_.selected_address().value_or(source);
  dtls_started_ = true;
  dtls_->Receive(datagram, [&](std::span<const std::uint8_t> bytes) { send(bytes, destination); });
  if (!media_ready() && dtls_->state() == DtlsSession::State::kConnected) MakeSrtpSessions();
}

std::optional<PeerConnection::Clock::time_point> PeerConnection::NextDtlsTimeout() const {
  if (!dtls_ || !dtls_started_ || media_ready()) return std::nullopt;
  return dtls_->NextTimeout();
}

void PeerConnection::HandleDtlsTimeout(const SendTo& send) {
  const auto address = ice_.selected_address();
  if (!dtls_ || !address) return;
  dtls_->HandleTimeout([&](std::span<const std::uint8_t> bytes) { send(bytes, *address); });
}

void PeerConnection::Close(const SendTo& send) {
  const auto address = ice_.selected_address();
  if (!dtls_ || !address || dtls_->state() != DtlsSession::State::kConnected) return;
  dtls_->Close([&](std::span<const std::uint8_t> bytes) { send(bytes, *address); });
}

bool PeerConnection::failed() const {
  return dtls_ && (dtls_->state() == DtlsSession::State::kFailed || dtls_->state() == DtlsSession::State::kClosed);
}

bool PeerConnection::TakeBecameReady() {
  if (!media_ready() || ready_reported_) return false;
  ready_reported_ = true;
  return true;
}

void PeerConnection::MakeSrtpSessions() {
  const auto profile = SrtpProfileFromDtlsName(dtls_->srtp_profile_name());
  if (!profile) {
    spdlog::warn("media: DTLS chose an SRTP profile we do not know: {}", dtls_->srtp_profile_name());
    return;
  }
  const auto material = dtls_->ExportSrtpKeyingMaterial(SrtpKeyingMaterialLength(*profile));
  const auto keys = SplitDtlsSrtpKeyingMaterial(*profile, material, local_role_ == DtlsRole::kClient);
  if (!keys) return;
  inbound_ = SrtpSession::Create(*profile, SrtpSession::Direction::kInbound, keys->remote_key_and_salt);
  outbound_ = SrtpSession::Create(*profile, SrtpSession::Direction::kOutbound, keys->local_key_and_salt);
  if (!inbound_ || !outbound_) {
    inbound_.reset();
    outbound_.reset();
  }
}

}  // namespace egovbox::media
