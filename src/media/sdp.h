// A generic session description (RFC 8866): parsing, writing, and typed readers
// for the attributes WebRTC uses. The SFU's rules live in sdp_negotiation.h.
//
// A SessionDescription keeps every line in its order: the session's lines (from
// v= up to the first m=) and, per media section, its m= line (as fields) and the
// lines after it. An `a=` line is kept as its name and value; any other line as
// its text after "x=". Writing puts each line back, ending in CRLF, so parsing
// what was written gives the same description again.
//
// ParseSdp reads text from outside (a browser's offer or answer): bad input is an
// SdpParseError, never an exception, and sizes are bounded (kMaxSdpSize,
// kMaxSdpLineSize, kMaxSdpMediaSections). The typed readers (ParseRtpMap, ...)
// take an attribute's value and return nullopt when it does not follow its
// grammar. Everything here is a plain value: safe to use from any thread, one
// object not for concurrent writing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace egovbox::media {

inline constexpr std::size_t kMaxSdpSize = 64 * std::size_t{1024};
inline constexpr std::size_t kMaxSdpLineSize = 4 * std::size_t{1024};
inline constexpr std::size_t kMaxSdpMediaSections = 64;

// One line "<type>=<value>". For an attribute (type 'a') `name` is the attribute's
// name and `value` what follows its ':'; `has_value` is false for a property
// attribute such as "a=rtcp-mux", which has no ':'.
struct SdpLine {
  char type = 0;
  std::string name;
  std::string value;
  bool has_value = true;

  bool operator==(const SdpLine&) const = default;
};

// Lines shared by the session part and a media section, with lookups by attribute name.
struct SdpLines {
  std::vector<SdpLine> lines;

  // The value of the first attribute of that name ("" for a property attribute),
  // nullopt when there is none. Names compare exactly (RFC 8866 §5: case-sensitive).
  std::optional<std::string_view> Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name).has_value(); }
  // The values of every attribute of that name, in order.
  std::vector<std::string_view> FindAll(std::string_view name) const;
  // The value of the first non-attribute line of this type ('c', 'o', ...).
  std::optional<std::string_view> FindLine(char type) const;

  void AddLine(char type, std::string value);
  void AddAttribute(std::string name, std::string value);
  void AddProperty(std::string name);  // "a=name"

  bool operator==(const SdpLines&) const = default;
};

// RFC 8866 §5.14: "m=<media> <port>[/<number of ports>] <proto> <fmt> ...".
struct SdpMediaSection : SdpLines {
  std::string media;  // "audio", "video", "application", ...
  std::uint16_t port = 0;
  std::uint16_t port_count = 0;  // 0: not given
  std::string proto;             // "UDP/TLS/RTP/SAVPF", ...
  std::vector<std::string> formats;

  bool operator==(const SdpMediaSection&) const = default;
};

struct SessionDescription {
  SdpLines session;  // v=, o=, s=, t=, ... up to the first m=
  std::vector<SdpMediaSection> media;

  bool operator==(const SessionDescription&) const = default;
};

struct SdpParseError {
  std::size_t line = 0;  // 1-based; 0 for the text as a whole
  std::string reason;
};

// RFC 8866 §5: lines end in CRLF or LF; the first is "v=0"; the session part has
// o=, s= and t=; a type is one lowercase letter followed by '='; values carry no
// NUL or stray CR; an attribute's name is a token (§9). Empty lines are skipped.
std::variant<SessionDescription, SdpParseError> ParseSdp(std::string_view text) noexcept;

// Every line, each ending in CRLF. The m= line is made from the section's fields.
std::string WriteSdp(const SessionDescription& description);

// RFC 8866 §9: one or more token-chars (what a mid, a group's semantics or an
// attribute's name is made of).
bool IsSdpToken(std::string_view text);

// --- Typed attribute values ---------------------------------------------------

// RFC 8866 §6.6: "a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>]".
struct SdpRtpMap {
  std::uint8_t payload_type = 0;
  std::string encoding;  // as written ("opus", "VP8")
  std::uint32_t clock_rate = 0;
  std::uint8_t channels = 0;  // 0: not given
  bool operator==(const SdpRtpMap&) const = default;
};
std::optional<SdpRtpMap> ParseRtpMap(std::string_view value);
std::string FormatRtpMap(const SdpRtpMap& rtpmap);

// RFC 8866 §6.15: "a=fmtp:<format> <format specific parameters>".
struct SdpFmtp {
  std::uint8_t payload_type = 0;
  std::string parameters;  // "minptime=10;useinbandfec=1"
  bool operator==(const SdpFmtp&) const = default;
};
std::optional<SdpFmtp> ParseFmtp(std::string_view value);
// The usual "key=value;key=value" form of the parameters (a key without '=' gets
// an empty value); spaces around items are dropped.
std::vector<std::pair<std::string, std::string>> SplitFmtpParameters(std::string_view parameters);
std::string JoinFmtpParameters(const std::vector<std::pair<std::string, std::string>>& parameters);

// RFC 4585 §4.2: "a=rtcp-fb:<payload type or *> <type>[ <parameter>]".
struct SdpRtcpFb {
  std::optional<std::uint8_t> payload_type;  // nullopt: "*", every format
  std::string feedback;                      // "nack", "nack pli", "ccm fir", "goog-remb"
  bool operator==(const SdpRtcpFb&) const = default;
};
std::optional<SdpRtcpFb> ParseRtcpFb(std::string_view value);
std::string FormatRtcpFb(const SdpRtcpFb& rtcp_fb);

// RFC 3264 §6, RFC 8866 §6.7: the media direction.
enum class SdpDirection : std::uint8_t { kSendRecv, kSendOnly, kRecvOnly, kInactive };
std::string_view SdpDirectionName(SdpDirection direction);
std::optional<SdpDirection> SdpDirectionFromName(std::string_view name);
// The direction attribute of these lines (the last one if several), nullopt if none.
std::optional<SdpDirection> FindDirection(const SdpLines& lines);

// RFC 8285 §8: "a=extmap:<id>[/<direction>] <URI>[ <extension attributes>]".
struct SdpExtmap {
  std::uint16_t id = 0;  // 1..14 one-byte, 1..255 two-byte, 4096..4351 local
  std::optional<SdpDirection> direction;
  std::string uri;
  std::string attributes;
  bool operator==(const SdpExtmap&) const = default;
};
std::optional<SdpExtmap> ParseExtmap(std::string_view value);
std::string FormatExtmap(const SdpExtmap& extmap);

// RFC 5576 §4.1: "a=ssrc:<ssrc-id> <attribute>[:<value>]".
struct SdpSsrc {
  std::uint32_t ssrc = 0;
  std::string attribute;  // "cname", "msid", ...
  std::string value;
  bool operator==(const SdpSsrc&) const = default;
};
std::optional<SdpSsrc> ParseSsrc(std::string_view value);
std::string FormatSsrc(const SdpSsrc& ssrc);

// RFC 5576 §4.2: "a=ssrc-group:<semantics> <ssrc-id> ...", e.g. FID (RTX, RFC 4588).
struct SdpSsrcGroup {
  std::string semantics;
  std::vector<std::uint32_t> ssrcs;
  bool operator==(const SdpSsrcGroup&) const = default;
};
std::optional<SdpSsrcGroup> ParseSsrcGroup(std::string_view value);

// RFC 8830 §2: "a=msid:<stream id>[ <track id>]".
struct SdpMsid {
  std::string stream;
  std::string track;  // may be empty
  bool operator==(const SdpMsid&) const = default;
};
std::optional<SdpMsid> ParseMsid(std::string_view value);
std::string FormatMsid(const SdpMsid& msid);

// RFC 5888 §5: "a=group:<semantics> <mid> ..." (BUNDLE: RFC 8843).
struct SdpGroup {
  std::string semantics;
  std::vector<std::string> mids;
  bool operator==(const SdpGroup&) const = default;
};
std::optional<SdpGroup> ParseGroup(std::string_view value);
std::string FormatGroup(const SdpGroup& group);
// The first "a=group:BUNDLE" of the session part, nullopt if none.
std::optional<SdpGroup> FindBundleGroup(const SessionDescription& description);

// RFC 8842 §3 (from RFC 4145 §4): "a=setup:active|passive|actpass|holdconn".
enum class SdpSetup : std::uint8_t { kActive, kPassive, kActpass, kHoldconn };
std::optional<SdpSetup> ParseSetup(std::string_view value);
std::string_view SdpSetupName(SdpSetup setup);

// RFC 8122 §5: "a=fingerprint:<hash function> <hex bytes joined by ':'>".
struct SdpFingerprint {
  std::string hash_function;  // lowercased: "sha-256"
  std::string value;          // uppercased: "AB:CD:..."
  bool operator==(const SdpFingerprint&) const = default;
};
// Also checks the value's shape: pairs of hex digits joined by ':'; for sha-256
// exactly 32 of them.
std::optional<SdpFingerprint> ParseFingerprint(std::string_view value);

// RFC 8839 §5.4: ice-ufrag is 4 to 256 ice-chars, ice-pwd 22 to 256
// (ice-char = ALPHA / DIGIT / "+" / "/").
bool IsValidIceUfrag(std::string_view ufrag);
bool IsValidIcePwd(std::string_view pwd);

// RFC 8839 §5.1: "a=candidate:<foundation> <component> <transport> <priority>
// <address> <port> typ <type>[ <extensions>]".
struct SdpCandidate {
  std::string foundation;
  std::uint16_t component = 1;
  std::string transport;  // "udp", "tcp"
  std::uint32_t priority = 0;
  std::string address;
  std::uint16_t port = 0;
  std::string type;        // "host", "srflx", "prflx", "relay"
  std::string extensions;  // the rest ("raddr ... generation 0"), unparsed
  bool operator==(const SdpCandidate&) const = default;
};
std::optional<SdpCandidate> ParseCandidate(std::string_view value);
std::string FormatCandidate(const SdpCandidate& candidate);

// RFC 8851 §10: "a=rid:<rid-id> send|recv[ <restrictions>]".
struct SdpRid {
  std::string id;
  bool send = true;  // false: "recv"
  std::string restrictions;
  bool operator==(const SdpRid&) const = default;
};
std::optional<SdpRid> ParseRid(std::string_view value);

// RFC 8853 §5.1: "a=simulcast:send <alternatives>;... [recv ...]"; each stream is a
// list of alternative rids, a rid with '~' is paused.
struct SdpSimulcastRid {
  std::string rid;
  bool paused = false;
  bool operator==(const SdpSimulcastRid&) const = default;
};
struct SdpSimulcast {
  std::vector<std::vector<SdpSimulcastRid>> send;
  std::vector<std::vector<SdpSimulcastRid>> recv;
  bool operator==(const SdpSimulcast&) const = default;
};
std::optional<SdpSimulcast> ParseSimulcast(std::string_view value);

}  // namespace egovbox::media
