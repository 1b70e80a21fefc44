#include "media/stun.h"

#include <algorithm>
#include <string_view>

#include "crypto/digest.h"
#include "media/byte_order.h"
#include "media/crc32.h"

namespace egovbox::media {
namespace {

// RFC 8489 §14.7: the FINGERPRINT's CRC-32 is XOR'ed with this, "STUN" in ASCII.
constexpr std::uint32_t kFingerprintXor = 0x5354554e;
constexpr std::size_t kAttributeHeaderSize = 4;
constexpr std::size_t kMaxUsernameSize = 508;  // RFC 8489 §14.3: fewer than 509 bytes

std::span<const std::uint8_t> AsBytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

std::string_view AsText(std::span<const std::uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// RFC 8489 §14.2: the port is XOR'ed with the cookie's top 16 bits, an IPv4 address
// with the cookie, an IPv6 address with the cookie followed by the transaction id.
std::array<std::uint8_t, 16> XorMask(std::span<const std::uint8_t, kStunTransactionIdSize> transaction_id) {
  std::array<std::uint8_t, 16> mask{};
  WriteUint32(mask.data(), kStunMagicCookie);
  std::copy(transaction_id.begin(), transaction_id.end(), mask.begin() + 4);
  return mask;
}

}  // namespace

std::optional<StunMessage> StunMessage::Parse(std::span<const std::uint8_t> datagram) noexcept {
  // RFC 8489 §5: the header.
  if (datagram.size() < kStunHeaderSize) return std::nullopt;
  const std::uint8_t* data = datagram.data();
  if ((data[0] & 0xC0U) != 0) return std::nullopt;
  const std::size_t length = ReadUint16(data + 2);
  if (length % 4 != 0 || kStunHeaderSize + length != datagram.size()) return std::nullopt;
  if (ReadUint32(data + 4) != kStunMagicCookie) return std::nullopt;

  StunMessage message;
  message.bytes_ = datagram;
  const std::uint16_t type = ReadUint16(data);
  // The method's twelve bits are split around the two class bits C0 (bit 4) and C1 (bit 8).
  message.method_ = static_cast<std::uint16_t>((type & 0x000FU) | ((type & 0x00E0U) >> 1U) | ((type & 0x3E00U) >> 2U));
  message.class_ = static_cast<StunClass>(((type >> 4U) & 1U) | ((type >> 7U) & 2U));

  // RFC 8489 §14: type, length, value, padding to a multiple of 4; each inside the message.
  for (std::size_t at = kStunHeaderSize; at < datagram.size();) {
    if (datagram.size() - at < kAttributeHeaderSize) return std::nullopt;
    if (message.fingerprint_at_ != 0) return std::nullopt;  // §14.7: FINGERPRINT is the last attribute
    const std::uint16_t attribute_type = ReadUint16(data + at);
    const std::size_t value_length = ReadUint16(data + at + 2);
    if (Padded(value_length) > datagram.size() - at - kAttributeHeaderSize) return std::nullopt;
    switch (attribute_type) {
      case stun_attribute::kMessageIntegrity:
        if (value_length != crypto::kHmacSha1Size) return std::nullopt;
        if (message.integrity_at_ == 0) message.integrity_at_ = at;
        break;
      case stun_attribute::kMessageIntegritySha256:
        // §14.6: a truncated HMAC-SHA256 of at least 16 bytes, in steps of 4.
        if (value_length < 16 || value_length > 32 || value_length % 4 != 0) return std::nullopt;
        if (message.integrity_sha256_at_ == 0) message.integrity_sha256_at_ = at;
        break;
      case stun_attribute::kFingerprint:
        if (value_length != 4) return std::nullopt;
        message.fingerprint_at_ = at;
        break;
      default: break;
    }
    at += kAttributeHeaderSize + Padded(value_length);
  }
  return message;
}

StunAttribute StunMessage::AttributeAt(std::size_t at) const noexcept {
  const std::uint8_t* header = bytes_.data() + at;
  return {ReadUint16(header), bytes_.subspan(at + kAttributeHeaderSize, ReadUint16(header + 2))};
}

std::optional<StunAttribute> StunMessage::Find(std::uint16_t type) const noexcept {
  // RFC 8489 §14.5, §14.6: after either integrity attribute only the other one and
  // FINGERPRINT count.
  const bool counts_after_integrity =
      type == stun_attribute::kMessageIntegritySha256 || type == stun_attribute::kFingerprint;
  bool after_integrity = false;
  for (std::size_t at = kStunHeaderSize; at < bytes_.size();) {
    const StunAttribute attribute = AttributeAt(at);
    if (attribute.type == type && (!after_integrity || counts_after_integrity)) return attribute;
    if (attribute.type == stun_attribute::kMessageIntegrity ||
        attribute.type == stun_attribute::kMessageIntegritySha256) {
      after_integrity = true;
    }
    at += kAttributeHeaderSize + Padded(attribute.value.size());
  }
  return std::nullopt;
}

std::optional<std::string_view> StunMessage::Username() const noexcept {
  const auto attribute = Find(stun_attribute::kUsername);
  if (!attribute || attribute->value.size() > kMaxUsernameSize) return std::nullopt;
  return AsText(attribute->value);
}

std::optional<std::string_view> StunMessage::Software() const noexcept {
  const auto attribute = Find(stun_attribute::kSoftware);
  if (!attribute) return std::nullopt;
  return AsText(attribute->value);
}

std::optional<std::uint32_t> StunMessage::Priority() const noexcept {
  const auto attribute = Find(stun_attribute::kPriority);
  if (!attribute || attribute->value.size() != 4) return std::nullopt;
  return ReadUint32(attribute->value.data());
}

bool StunMessage::UseCandidate() const noexcept {
  const auto attribute = Find(stun_attribute::kUseCandidate);
  return attribute && attribute->value.empty();
}

namespace {

std::optional<std::uint64_t> TieBreaker(const std::optional<StunAttribute>& attribute) {
  if (!attribute || attribute->value.size() != 8) return std::nullopt;
  return std::uint64_t{ReadUint32(attribute->value.data())} << 32U | ReadUint32(attribute->value.data() + 4);
}

}  // namespace

std::optional<std::uint64_t> StunMessage::IceControlling() const noexcept {
  return TieBreaker(Find(stun_attribute::kIceControlling));
}

std::optional<std::uint64_t> StunMessage::IceControlled() const noexcept {
  return TieBreaker(Find(stun_attribute::kIceControlled));
}

std::optional<StunErrorCode> StunMessage::ErrorCode() const noexcept {
  // RFC 8489 §14.8: 21 reserved bits, the class (3..6) in 3 bits, the number (0..99), the reason.
  const auto attribute = Find(stun_attribute::kErrorCode);
  if (!attribute || attribute->value.size() < 4) return std::nullopt;
  const int error_class = attribute->value[2] & 0x07;
  const int number = attribute->value[3];
  if (error_class < 3 || error_class > 6 || number > 99) return std::nullopt;
  return StunErrorCode{error_class * 100 + number, AsText(attribute->value.subspan(4))};
}

std::optional<TransportAddress> StunMessage::XorMappedAddress() const noexcept {
  const auto attribute = Find(stun_attribute::kXorMappedAddress);
  if (!attribute || attribute->value.size() < 4) return std::nullopt;
  const std::span<const std::uint8_t> value = attribute->value;
  TransportAddress address;
  std::size_t address_size = 0;
  switch (value[1]) {
    case 0x01:
      address.family = TransportAddress::Family::kIpv4;
      address_size = 4;
      break;
    case 0x02:
      address.family = TransportAddress::Family::kIpv6;
      address_size = 16;
      break;
    default: return std::nullopt;
  }
  if (value.size() != 4 + address_size) return std::nullopt;
  const auto mask = XorMask(transaction_id());
  address.port = static_cast<std::uint16_t>(ReadUint16(value.data() + 2) ^ (kStunMagicCookie >> 16U));
  for (std::size_t i = 0; i < address_size; ++i) address.address[i] = value[4 + i] ^ mask[i];
  return address;
}

std::span<const std::uint8_t> StunMessage::MessageIntegritySha256() const noexcept {
  if (integrity_sha256_at_ == 0) return {};
  return AttributeAt(integrity_sha256_at_).value;
}

bool StunMessage::CheckMessageIntegrity(std::span<const std::uint8_t> key) const noexcept {
  if (integrity_at_ == 0) return false;
  // RFC 8489 §14.5: MESSAGE-INTEGRITY covers the header with the length adjusted to
  // end at this attribute, and everything before the attribute.
  std::array<std::uint8_t, kStunHeaderSize> header{};
  std::copy_n(bytes_.begin(), kStunHeaderSize, header.begin());
  WriteUint16(header.data() + 2, static_cast<std::uint16_t>(integrity_at_ + kAttributeHeaderSize +
                                                            crypto::kHmacSha1Size - kStunHeaderSize));
  std::array<std::uint8_t, crypto::kHmacSha1Size> expected{};
  if (!crypto::HmacSha1(key, {header, bytes_.subspan(kStunHeaderSize, integrity_at_ - kStunHeaderSize)}, expected)) {
    return false;
  }
  return crypto::ConstantTimeEquals(AsText(expected), AsText(AttributeAt(integrity_at_).value));
}

bool StunMessage::CheckMessageIntegrity(std::string_view key) const noexcept {
  return CheckMessageIntegrity(AsBytes(key));
}

bool StunMessage::CheckFingerprint() const noexcept {
  if (fingerprint_at_ == 0) return false;
  // FINGERPRINT is last, so the header's length already ends with it.
  const std::uint32_t expected = Crc32(bytes_.first(fingerprint_at_)) ^ kFingerprintXor;
  return ReadUint32(bytes_.data() + fingerprint_at_ + kAttributeHeaderSize) == expected;
}

StunWriter::StunWriter(std::span<std::uint8_t> buffer, StunClass message_class, std::uint16_t method,
                       std::span<const std::uint8_t, kStunTransactionIdSize> transaction_id) noexcept
    : buffer_(buffer) {
  if (buffer.size() < kStunHeaderSize || method > 0x0FFF) {
    ok_ = false;
    return;
  }
  const auto class_bits = static_cast<unsigned>(message_class);
  const auto type =
      static_cast<std::uint16_t>((method & 0x000FU) | ((method & 0x0070U) << 1U) | ((method & 0x0F80U) << 2U) |
                                 ((class_bits & 1U) << 4U) | ((class_bits & 2U) << 7U));
  WriteUint16(buffer.data(), type);
  WriteUint16(buffer.data() + 2, 0);
  WriteUint32(buffer.data() + 4, kStunMagicCookie);
  std::copy(transaction_id.begin(), transaction_id.end(), buffer.begin() + 8);
  size_ = kStunHeaderSize;
}

std::uint8_t* StunWriter::Reserve(std::uint16_t type, std::size_t length) noexcept {
  if (!ok_) return nullptr;
  const std::size_t padded = StunMessage::Padded(length);
  if (length > 0xFFFF || buffer_.size() - size_ < kAttributeHeaderSize + padded ||
      size_ + kAttributeHeaderSize + padded - kStunHeaderSize > 0xFFFF) {
    ok_ = false;
    return nullptr;
  }
  std::uint8_t* header = buffer_.data() + size_;
  WriteUint16(header, type);
  WriteUint16(header + 2, static_cast<std::uint16_t>(length));
  std::fill(header + kAttributeHeaderSize + length, header + kAttributeHeaderSize + padded, padding_byte_);
  size_ += kAttributeHeaderSize + padded;
  WriteUint16(buffer_.data() + 2, static_cast<std::uint16_t>(size_ - kStunHeaderSize));
  return header + kAttributeHeaderSize;
}

bool StunWriter::AddBytes(std::uint16_t type, std::span<const std::uint8_t> value) noexcept {
  std::uint8_t* at = Reserve(type, value.size());
  if (at == nullptr) return false;
  std::copy(value.begin(), value.end(), at);
  return true;
}

bool StunWriter::AddText(std::uint16_t type, std::string_view value) noexcept {
  return AddBytes(type, AsBytes(value));
}

bool StunWriter::AddUint32(std::uint16_t type, std::uint32_t value) noexcept {
  std::uint8_t* at = Reserve(type, 4);
  if (at == nullptr) return false;
  WriteUint32(at, value);
  return true;
}

bool StunWriter::AddUint64(std::uint16_t type, std::uint64_t value) noexcept {
  std::uint8_t* at = Reserve(type, 8);
  if (at == nullptr) return false;
  WriteUint32(at, static_cast<std::uint32_t>(value >> 32U));
  WriteUint32(at + 4, static_cast<std::uint32_t>(value));
  return true;
}

bool StunWriter::AddFlag(std::uint16_t type) noexcept {
  return Reserve(type, 0) != nullptr;
}

bool StunWriter::AddXorMappedAddress(const TransportAddress& address) noexcept {
  const bool ipv6 = address.family == TransportAddress::Family::kIpv6;
  const std::size_t address_size = ipv6 ? 16 : 4;
  std::uint8_t* at = Reserve(stun_attribute::kXorMappedAddress, 4 + address_size);
  if (at == nullptr) return false;
  at[0] = 0;
  at[1] = ipv6 ? 0x02 : 0x01;
  WriteUint16(at + 2, static_cast<std::uint16_t>(address.port ^ (kStunMagicCookie >> 16U)));
  const auto mask = XorMask(std::span<const std::uint8_t>(buffer_).subspan<8, kStunTransactionIdSize>());
  for (std::size_t i = 0; i < address_size; ++i) at[4 + i] = address.address[i] ^ mask[i];
  return true;
}

bool StunWriter::AddErrorCode(int code, std::string_view reason) noexcept {
  if (code < 300 || code > 699) {
    ok_ = false;
    return false;
  }
  std::uint8_t* at = Reserve(stun_attribute::kErrorCode, 4 + reason.size());
  if (at == nullptr) return false;
  at[0] = 0;
  at[1] = 0;
  at[2] = static_cast<std::uint8_t>(code / 100);
  at[3] = static_cast<std::uint8_t>(code % 100);
  std::copy(reason.begin(), reason.end(), at + 4);
  return true;
}

bool StunWriter::AddMessageIntegrity(std::span<const std::uint8_t> key) noexcept {
  const std::size_t covered = size_;
  // Reserving first leaves the header's length ending at this attribute, as §14.5 wants.
  std::uint8_t* at = Reserve(stun_attribute::kMessageIntegrity, crypto::kHmacSha1Size);
  if (at == nullptr) return false;
  if (!crypto::HmacSha1(key, {std::span<const std::uint8_t>(buffer_).first(covered)},
                        std::span<std::uint8_t, crypto::kHmacSha1Size>(at, crypto::kHmacSha1Size))) {
    ok_ = false;
    return false;
  }
  return true;
}

bool StunWriter::AddMessageIntegrity(std::string_view key) noexcept {
  return AddMessageIntegrity(AsBytes(key));
}

bool StunWriter::AddFingerprint() noexcept {
  const std::size_t covered = size_;
  std::uint8_t* at = Reserve(stun_attribute::kFingerprint, 4);
  if (at == nullptr) return false;
  WriteUint32(at, Crc32(std::span<const std::uint8_t>(buffer_).first(covered)) ^ kFingerprintXor);
  return true;
}

std::size_t WriteBindingSuccess(std::span<std::uint8_t> buffer,
                                std::span<const std::uint8_t, kStunTransactionIdSize> transaction_id,
                                const TransportAddress& mapped, std::string_view password) noexcept {
  StunWriter writer(buffer, StunClass::kSuccessResponse, kStunBindingMethod, transaction_id);
  writer.AddXorMappedAddress(mapped);
  writer.AddMessageIntegrity(password);
  writer.AddFingerprint();
  return writer.size();
}

std::size_t WriteBindingError(std::span<std::uint8_t> buffer,
                              std::span<const std::uint8_t, kStunTransactionIdSize> transaction_id, int code,
                              std::string_view password) noexcept {
  StunWriter writer(buffer, StunClass::kErrorResponse, kStunBindingMethod, transaction_id);
  writer.AddErrorCode(code, StunReasonPhrase(code));
  if (!password.empty()) writer.AddMessageIntegrity(password);
  writer.AddFingerprint();
  return writer.size();
}

std::string_view StunReasonPhrase(int code) noexcept {
  switch (code) {
    case 400: return "Bad Request";
    case 401: return "Unauthenticated";
    case 487: return "Role Conflict";
    default: return "Error";
  }
}

}  // namespace egovbox::media
