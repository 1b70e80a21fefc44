// Fuzz target for media::StunMessage, which reads every STUN datagram that reaches
// the media socket before any authentication. Invariants: a message that parses
// has the length its header says, every attribute (value and padding) lies inside
// it and FINGERPRINT is the last; the accessors and both integrity checks run
// without touching anything outside; and a Binding success written for its
// transaction id parses back with the same address and passes both checks.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "media/packet_kind.h"
#include "media/stun.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using egovbox::media::StunAttribute;
  using egovbox::media::StunMessage;
  static constexpr std::string_view kKey = "VOkJxbRl1RmTxUk/WvJxBt";

  const std::span<const std::uint8_t> datagram(data, size);
  (void)egovbox::media::ClassifyPacket(datagram);
  const auto message = StunMessage::Parse(datagram);
  if (!message) return 0;
  if (message->bytes().data() != data || message->bytes().size() != size) __builtin_trap();
  if (size < egovbox::media::kStunHeaderSize || (size - egovbox::media::kStunHeaderSize) % 4 != 0) __builtin_trap();

  const std::uint8_t* const end = data + size;
  std::size_t count = 0;
  bool after_fingerprint = false;
  message->ForEachAttribute([&](const StunAttribute& attribute) {
    const std::uint8_t* value = attribute.value.data();
    if (value < data + egovbox::media::kStunHeaderSize + 4) __builtin_trap();
    if (value + StunMessage::Padded(attribute.value.size()) > end) __builtin_trap();
    if (after_fingerprint) __builtin_trap();
    if (attribute.type == egovbox::media::stun_attribute::kFingerprint) after_fingerprint = true;
    ++count;
  });
  if (message->HasFingerprint() != after_fingerprint) __builtin_trap();

  // Everything a caller may ask; the answers only have to stay inside the packet.
  if (const auto username = message->Username()) {
    if (reinterpret_cast<const std::uint8_t*>(username->data()) + username->size() > end) __builtin_trap();
  }
  (void)message->Software();
  (void)message->Priority();
  (void)message->UseCandidate();
  (void)message->IceControlling();
  (void)message->IceControlled();
  if (const auto error = message->ErrorCode()) {
    if (error->code < 300 || error->code > 699) __builtin_trap();
  }
  const auto mapped = message->XorMappedAddress();
  (void)message->MessageIntegritySha256();
  const bool integrity = message->CheckMessageIntegrity(kKey);
  if (integrity && !message->HasMessageIntegrity()) __builtin_trap();
  if (message->CheckFingerprint() && !message->HasFingerprint()) __builtin_trap();

  if (mapped) {
    std::uint8_t buffer[128];
    const std::size_t written = egovbox::media::WriteBindingSuccess(buffer, message->transaction_id(), *mapped, kKey);
    const auto response = StunMessage::Parse(std::span<const std::uint8_t>(buffer, written));
    if (!response || response->XorMappedAddress() != mapped || !response->CheckMessageIntegrity(kKey) ||
        !response->CheckFingerprint()) {
      __builtin_trap();
    }
  }
  return 0;
}
