// STUN (RFC 8489) as ICE-lite (RFC 8445 §2.5) needs it: parsing a message in place
// and writing Binding responses into a caller's buffer.
//
// StunMessage::Parse validates the framing of a datagram and keeps a view of it: it
// copies nothing and allocates nothing, and every attribute it hands out is a span
// into the caller's bytes, which must outlive the message. Bad input is a nullopt
// or false, never an exception. StunWriter writes into a caller's buffer; when the
// buffer is too small it stops and reports failure. Neither keeps state between
// messages, so each may be used on any thread; one object is not for concurrent use.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "media/transport_address.h"

namespace egovbox::media {

inline constexpr std::uint32_t kStunMagicCookie = 0x2112A442;
inline constexpr std::size_t kStunHeaderSize = 20;
inline constexpr std::size_t kStunTransactionIdSize = 12;
inline constexpr std::uint16_t kStunBindingMethod = 0x001;

using StunTransactionId = std::array<std::uint8_t, kStunTransactionIdSize>;

// RFC 8489 §5: the class bits C1 C0 of the message type.
enum class StunClass : std::uint8_t { kRequest, kIndication, kSuccessResponse, kErrorResponse };

// The attribute types we read or write (RFC 8489 §18.3, RFC 8445 §16.1).
namespace stun_attribute {
inline constexpr std::uint16_t kMappedAddress = 0x0001;
inline constexpr std::uint16_t kUsername = 0x0006;
inline constexpr std::uint16_t kMessageIntegrity = 0x0008;
inline constexpr std::uint16_t kErrorCode = 0x0009;
inline constexpr std::uint16_t kRealm = 0x0014;
inline constexpr std::uint16_t kNonce = 0x0015;
inline constexpr std::uint16_t kMessageIntegritySha256 = 0x001C;
inline constexpr std::uint16_t kXorMappedAddress = 0x0020;
inline constexpr std::uint16_t kPriority = 0x0024;
inline constexpr std::uint16_t kUseCandidate = 0x0025;
inline constexpr std::uint16_t kSoftware = 0x8022;
inline constexpr std::uint16_t kFingerprint = 0x8028;
inline constexpr std::uint16_t kIceControlled = 0x8029;
inline constexpr std::uint16_t kIceControlling = 0x802A;
}  // namespace stun_attribute

struct StunAttribute {
  std::uint16_t type = 0;
  std::span<const std::uint8_t> value;  // without the padding
};

struct StunErrorCode {
  int code = 0;  // 300..699
  std::string_view reason;
};

class StunMessage {
 public:
  // RFC 8489 §6, §14: the first two bits are zero, the magic cookie is there, the
  // length is a multiple of 4 and matches the datagram exactly, every attribute with
  // its padding lies inside the message, MESSAGE-INTEGRITY has 20 bytes,
  // MESSAGE-INTEGRITY-SHA256 16 to 32 in steps of 4, and FINGERPRINT (4 bytes), if
  // present, is the last attribute. Known attributes with a wrong size are not
  // rejected here; their accessors return nothing. Does not check integrity or the
  // fingerprint's value: see CheckMessageIntegrity and CheckFingerprint.
  static std::optional<StunMessage> Parse(std::span<const std::uint8_t> datagram) noexcept;

  std::span<const std::uint8_t> bytes() const { return bytes_; }
  std::uint16_t method() const { return method_; }
  StunClass message_class() const { return class_; }
  std::span<const std::uint8_t, kStunTransactionIdSize> transaction_id() const {
    return bytes_.subspan<8, kStunTransactionIdSize>();
  }

  // The first attribute of this type. RFC 8489 §14.5: attributes after
  // MESSAGE-INTEGRITY (other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT) are
  // ignored, so they are not found.
  std::optional<StunAttribute> Find(std::uint16_t type) const noexcept;

  // Calls `visit(StunAttribute)` for every attribute in order, ignored ones included.
  template <typename Visitor>
  void ForEachAttribute(Visitor&& visit) const {
    for (std::size_t at = kStunHeaderSize; at < bytes_.size();) {
      const StunAttribute attribute = AttributeAt(at);
      visit(attribute);
      at += 4 + Padded(attribute.value.size());
    }
  }

  std::optional<std::string_view> Username() const noexcept;  // ICE: "<local ufrag>:<remote ufrag>"
  std::optional<std::string_view> Software() const noexcept;
  std::optional<std::uint32_t> Priority() const noexcept;
  bool UseCandidate() const noexcept;
  std::optional<std::uint64_t> IceControlling() const noexcept;  // the tie-breaker
  std::optional<std::uint64_t> IceControlled() const noexcept;
  std::optional<StunErrorCode> ErrorCode() const noexcept;
  std::optional<TransportAddress> XorMappedAddress() const noexcept;

  bool HasMessageIntegrity() const { return integrity_at_ != 0; }
  std::span<const std::uint8_t> MessageIntegritySha256() const noexcept;  // empty when absent; not checked here
  bool HasFingerprint() const { return fingerprint_at_ != 0; }

  // RFC 8489 §14.5: HMAC-SHA1 under `key` (for ICE the password itself, for
  // long-term credentials MD5(username ":" realm ":" password)) over the message up
  // to MESSAGE-INTEGRITY with the header's length adjusted to end at that attribute,
  // compared in constant time. False when the attribute is absent.
  bool CheckMessageIntegrity(std::span<const std::uint8_t> key) const noexcept;
  bool CheckMessageIntegrity(std::string_view key) const noexcept;
  // RFC 8489 §14.7: CRC-32 of the message up to FINGERPRINT, XOR 0x5354554e. False when absent.
  bool CheckFingerprint() const noexcept;

  static constexpr std::size_t Padded(std::size_t length) { return (length + 3) & ~std::size_t{3}; }

 private:
  StunMessage() = default;
  StunAttribute AttributeAt(std::size_t at) const noexcept;

  std::span<const std::uint8_t> bytes_;
  std::uint16_t method_ = 0;
  StunClass class_ = StunClass::kRequest;
  // Offsets of these attributes' headers in bytes_; 0 when absent (the header is never at 0).
  std::size_t integrity_at_ = 0;
  std::size_t integrity_sha256_at_ = 0;
  std::size_t fingerprint_at_ = 0;
};

// Writes one STUN message into `buffer`: the header first (the constructor), then
// attributes in the order of the calls, then optionally MESSAGE-INTEGRITY and
// FINGERPRINT, which must come last and in that order. Each call returns false and
// the writer stays failed when the buffer is too small or a value too long; size()
// is then 0. Padding bytes are zero unless set_padding_byte says otherwise (RFC 8489
// §14 lets them be anything; the RFC 5769 vectors use spaces).
class StunWriter {
 public:
  StunWriter(std::span<std::uint8_t> buffer, StunClass message_class, std::uint16_t method,
             std::span<const std::uint8_t, kStunTransactionIdSize> transaction_id) noexcept;

  void set_padding_byte(std::uint8_t byte) { padding_byte_ = byte; }

  bool AddBytes(std::uint16_t type, std::span<const std::uint8_t> value) noexcept;
  bool AddText(std::uint16_t type, std::string_view value) noexcept;  // USERNAME, SOFTWARE, ...
  bool AddUint32(std::uint16_t type, std::uint32_t value) noexcept;   // PRIORITY
  bool AddUint64(std::uint16_t type, std::uint64_t value) noexcept;   // ICE-CONTROLLING/-CONTROLLED
  bool AddFlag(std::uint16_t type) noexcept;                          // USE-CANDIDATE
  bool AddXorMappedAddress(const TransportAddress& address) noexcept;
  // RFC 8489 §14.8: class and number of `code` (300..699) and a reason phrase.
  bool AddErrorCode(int code, std::string_view reason) noexcept;
  bool AddMessageIntegrity(std::span<const std::uint8_t> key) noexcept;
  bool AddMessageIntegrity(std::string_view key) noexcept;
  bool AddFingerprint() noexcept;

  bool ok() const { return ok_; }
  std::size_t size() const { return ok_ ? size_ : 0; }
  std::span<const std::uint8_t> message() const { return std::span<const std::uint8_t>(buffer_).first(size()); }

 private:
  // Reserves an attribute of `length` bytes (plus padding), writes its header and
  // the new message length; returns where the value goes, or nullptr on failure.
  std::uint8_t* Reserve(std::uint16_t type, std::size_t length) noexcept;

  std::span<std::uint8_t> buffer_;
  std::size_t size_ = 0;
  bool ok_ = true;
  std::uint8_t padding_byte_ = 0;
};

// ICE-lite's answers (RFC 8445 §7.3): a Binding success response carrying the
// request's source as XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY under the local
// password and FINGERPRINT. Returns the message's size in `buffer`, 0 if it does not fit.
std::size_t WriteBindingSuccess(std::span<std::uint8_t> buffer,
                                std::span<const std::uint8_t, kStunTransactionIdSize> transaction_id,
                                const TransportAddress& mapped, std::string_view password) noexcept;

// A Binding error response with ERROR-CODE and FINGERPRINT. 400 Bad Request and
// 401 Unauthenticated go without MESSAGE-INTEGRITY (RFC 8489 §9.1.3: the request
// could not be authenticated) — pass an empty password; 487 Role Conflict (RFC 8445
// §7.3.1.1) is sent after the request was authenticated, with it.
std::size_t WriteBindingError(std::span<std::uint8_t> buffer,
                              std::span<const std::uint8_t, kStunTransactionIdSize> transaction_id, int code,
                              std::string_view password) noexcept;

// The reason phrase we send with these codes: 400 "Bad Request", 401
// "Unauthenticated", 487 "Role Conflict", otherwise "Error".
std::string_view StunReasonPhrase(int code) noexcept;

}  // namespace egovbox::media
