#include "media/sdp.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <new>

namespace egovbox::media {
namespace {

constexpr std::uint8_t kMaxRtpPayloadType = 127;  // RFC 3550 §5.1: seven bits
constexpr std::uint16_t kMaxExtmapTwoByteId = 255;
// RFC 8285 §6: ids 4096..4351 are for offers that propose an extension without an id yet.
constexpr std::uint16_t kFirstExtmapLocalId = 4096;
constexpr std::uint16_t kLastExtmapLocalId = 4351;
constexpr std::size_t kMinIceUfragSize = 4;
constexpr std::size_t kMinIcePwdSize = 22;
constexpr std::size_t kMaxIceCredentialSize = 256;
constexpr std::size_t kMaxCandidateFoundationSize = 32;
constexpr std::uint16_t kMaxCandidateComponent = 256;

// Splits off the text up to the next space; skips any run of spaces after it.
std::string_view NextToken(std::string_view& rest) {
  const std::size_t end = std::min(rest.find(' '), rest.size());
  const std::string_view token = rest.substr(0, end);
  rest.remove_prefix(end);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return token;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Decimal digits only (no sign, no spaces), at most `max`.
template <typename T>
std::optional<T> ParseNumber(std::string_view text, T max = std::numeric_limits<T>::max()) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value > max) return std::nullopt;
  return static_cast<T>(value);
}

std::string Lowercase(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return result;
}

std::string Uppercase(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; });
  return result;
}

// RFC 8866 §9: token-char = %x21 / %x23-27 / %x2A-2B / %x2D-2E / %x30-39 / %x41-5A / %x5E-7E.
bool IsTokenChar(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == 0x21 || (byte >= 0x23 && byte <= 0x27) || byte == 0x2A || byte == 0x2B || byte == 0x2D ||
         byte == 0x2E || (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) ||
         (byte >= 0x5E && byte <= 0x7E);
}

bool IsToken(std::string_view text) {
  return IsSdpToken(text);
}

// RFC 8839 §5.1: ice-char = ALPHA / DIGIT / "+" / "/".
bool IsIceChars(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
  });
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// RFC 8866 §5.14: "<media> <port>[/<number of ports>] <proto> <fmt> ...".
bool ParseMediaLine(std::string_view value, SdpMediaSection& section) {
  std::string_view rest = value;
  const std::string_view media = NextToken(rest);
  const std::string_view port = NextToken(rest);
  const std::string_view proto = NextToken(rest);
  if (!IsToken(media) || proto.empty() || rest.empty()) return false;
  const std::size_t slash = port.find('/');
  const auto port_number = ParseNumber<std::uint16_t>(port.substr(0, slash));
  if (!port_number) return false;
  if (slash != std::string_view::npos) {
    const auto count = ParseNumber<std::uint16_t>(port.substr(slash + 1));
    if (!count || *count == 0) return false;
    section.port_count = *count;
  }
  section.media = std::string(media);
  section.port = *port_number;
  section.proto = std::string(proto);
  while (!rest.empty()) section.formats.emplace_back(NextToken(rest));
  return true;
}

std::variant<SessionDescription, SdpParseError> Parse(std::string_view text) {
  if (text.size() > kMaxSdpSize) return SdpParseError{0, "larger than 64 KiB"};
  SessionDescription description;
  SdpLines* current = &description.session;
  bool seen_version = false;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const std::size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    // RFC 8866 §5: lines end in CRLF; a parser should also take a bare LF.
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxSdpLineSize) return SdpParseError{line_number, "line longer than 4 KiB"};
    if (line.empty()) continue;
    if (line.size() < 2 || line[0] < 'a' || line[0] > 'z' || line[1] != '=') {
      return SdpParseError{line_number, "not a <type>=<value> line"};
    }
    const char type = line[0];
    const std::string_view value = line.substr(2);
    if (value.find('\0') != std::string_view::npos || value.find('\r') != std::string_view::npos) {
      return SdpParseError{line_number, "NUL or CR inside a line"};
    }
    if (!seen_version) {
      if (type != 'v' || value != "0") return SdpParseError{line_number, "does not start with v=0"};
      seen_version = true;
    }
    if (type == 'm') {
      if (description.media.size() == kMaxSdpMediaSections) return SdpParseError{line_number, "over 64 m-sections"};
      SdpMediaSection section;
      if (!ParseMediaLine(value, section)) return SdpParseError{line_number, "malformed m= line"};
      description.media.push_back(std::move(section));
      current = &description.media.back();
      continue;
    }
    SdpLine parsed;
    parsed.type = type;
    if (type == 'a') {
      // RFC 8866 §5.13: "a=<attribute-name>[:<attribute-value>]".
      const std::size_t colon = value.find(':');
      const std::string_view name = value.substr(0, colon);
      if (!IsToken(name)) return SdpParseError{line_number, "malformed attribute name"};
      parsed.name = std::string(name);
      parsed.has_value = colon != std::string_view::npos;
      if (parsed.has_value) parsed.value = std::string(value.substr(colon + 1));
    } else {
      parsed.value = std::string(value);
    }
    current->lines.push_back(std::move(parsed));
  }
  if (!seen_version) return SdpParseError{0, "empty"};
  // RFC 8866 §5: o=, s= and t= are required in the session part.
  for (const char required : {'o', 's', 't'}) {
    if (!description.session.FindLine(required)) {
      return SdpParseError{0, std::string("no ") + required + "= line in the session part"};
    }
  }
  return description;
}

void AppendLine(std::string& out, const SdpLine& line) {
  out += line.type;
  out += '=';
  if (line.type == 'a') {
    out += line.name;
    if (line.has_value) {
      out += ':';
      out += line.value;
    }
  } else {
    out += line.value;
  }
  out += "\r\n";
}

// Splits "a b c" into tokens; nullopt if a token fails `valid`.
template <typename Valid>
std::optional<std::vector<std::string>> Tokens(std::string_view rest, Valid valid) {
  std::vector<std::string> tokens;
  while (!rest.empty()) {
    const std::string_view token = NextToken(rest);
    if (!valid(token)) return std::nullopt;
    tokens.emplace_back(token);
  }
  return tokens;
}

// RFC 8851 §10: rid-id = 1*(alpha-numeric / "-" / "_").
bool IsRidId(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// RFC 8853 §5.1: sc-str-list = sc-alt-list *( ";" sc-alt-list ), sc-alt-list = sc-id *( "," sc-id ).
std::optional<std::vector<std::vector<SdpSimulcastRid>>> ParseSimulcastStreams(std::string_view list) {
  std::vector<std::vector<SdpSimulcastRid>> streams;
  while (true) {
    const std::size_t semicolon = std::min(list.find(';'), list.size());
    std::string_view alternatives = list.substr(0, semicolon);
    std::vector<SdpSimulcastRid> stream;
    while (true) {
      const std::size_t comma = std::min(alternatives.find(','), alternatives.size());
      std::string_view id = alternatives.substr(0, comma);
      SdpSimulcastRid rid;
      if (!id.empty() && id.front() == '~') {
        rid.paused = true;
        id.remove_prefix(1);
      }
      if (!IsRidId(id)) return std::nullopt;
      rid.rid = std::string(id);
      stream.push_back(std::move(rid));
      if (comma == alternatives.size()) break;
      alternatives.remove_prefix(comma + 1);
    }
    streams.push_back(std::move(stream));
    if (semicolon == list.size()) break;
    list.remove_prefix(semicolon + 1);
  }
  return streams;
}

}  // namespace

// --- SdpLines -------------------------------------------------------------------

std::optional<std::string_view> SdpLines::Find(std::string_view name) const {
  for (const SdpLine& line : lines) {
    if (line.type == 'a' && line.name == name) return std::string_view(line.value);
  }
  return std::nullopt;
}

std::vector<std::string_view> SdpLines::FindAll(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const SdpLine& line : lines) {
    if (line.type == 'a' && line.name == name) values.emplace_back(line.value);
  }
  return values;
}

std::optional<std::string_view> SdpLines::FindLine(char type) const {
  for (const SdpLine& line : lines) {
    if (line.type == type) return std::string_view(line.value);
  }
  return std::nullopt;
}

void SdpLines::AddLine(char type, std::string value) {
  lines.push_back(SdpLine{type, {}, std::move(value), true});
}

void SdpLines::AddAttribute(std::string name, std::string value) {
  lines.push_back(SdpLine{'a', std::move(name), std::move(value), true});
}

void SdpLines::AddProperty(std::string name) {
  lines.push_back(SdpLine{'a', std::move(name), {}, false});
}

// --- Whole descriptions -------------------------------------------------------------

bool IsSdpToken(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), IsTokenChar);
}

std::variant<SessionDescription, SdpParseError> ParseSdp(std::string_view text) noexcept {
  try {
    return Parse(text);
  } catch (const std::bad_alloc&) {
    // Bounded to 64 KiB, a description cannot get here short of the process running out of memory.
    return SdpParseError{0, "out of memory"};
  }
}

std::string WriteSdp(const SessionDescription& description) {
  std::string out;
  for (const SdpLine& line : description.session.lines) AppendLine(out, line);
  for (const SdpMediaSection& section : description.media) {
    out += "m=";
    out += section.media;
    out += ' ';
    out += std::to_string(section.port);
    if (section.port_count != 0) {
      out += '/';
      out += std::to_string(section.port_count);
    }
    out += ' ';
    out += section.proto;
    for (const std::string& format : section.formats) {
      out += ' ';
      out += format;
    }
    out += "\r\n";
    for (const SdpLine& line : section.lines) AppendLine(out, line);
  }
  return out;
}

// --- Typed values -----------------------------------------------------------------

std::optional<SdpRtpMap> ParseRtpMap(std::string_view value) {
  std::string_view rest = value;
  const auto payload_type = ParseNumber<std::uint8_t>(NextToken(rest), kMaxRtpPayloadType);
  if (!payload_type) return std::nullopt;
  const std::string_view encoding_text = NextToken(rest);
  if (!rest.empty()) return std::nullopt;
  // "<encoding name>/<clock rate>[/<encoding parameters>]"
  const std::size_t first = encoding_text.find('/');
  if (first == std::string_view::npos || first == 0) return std::nullopt;
  const std::string_view after = encoding_text.substr(first + 1);
  const std::size_t second = after.find('/');
  const auto clock_rate = ParseNumber<std::uint32_t>(after.substr(0, second));
  if (!clock_rate || *clock_rate == 0) return std::nullopt;
  SdpRtpMap rtpmap{*payload_type, std::string(encoding_text.substr(0, first)), *clock_rate, 0};
  if (second != std::string_view::npos) {
    const auto channels = ParseNumber<std::uint8_t>(after.substr(second + 1));
    if (!channels || *channels == 0) return std::nullopt;
    rtpmap.channels = *channels;
  }
  return rtpmap;
}

std::string FormatRtpMap(const SdpRtpMap& rtpmap) {
  std::string out =
      std::to_string(rtpmap.payload_type) + ' ' + rtpmap.encoding + '/' + std::to_string(rtpmap.clock_rate);
  if (rtpmap.channels != 0) out += '/' + std::to_string(rtpmap.channels);
  return out;
}

std::optional<SdpFmtp> ParseFmtp(std::string_view value) {
  const std::size_t space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto payload_type = ParseNumber<std::uint8_t>(value.substr(0, space), kMaxRtpPayloadType);
  if (!payload_type) return std::nullopt;
  return SdpFmtp{*payload_type, std::string(Trim(value.substr(space + 1)))};
}

std::vector<std::pair<std::string, std::string>> SplitFmtpParameters(std::string_view parameters) {
  std::vector<std::pair<std::string, std::string>> result;
  while (!parameters.empty()) {
    const std::size_t semicolon = std::min(parameters.find(';'), parameters.size());
    const std::string_view item = Trim(parameters.substr(0, semicolon));
    parameters.remove_prefix(std::min(semicolon + 1, parameters.size()));
    if (item.empty()) continue;
    const std::size_t equals = item.find('=');
    if (equals == std::string_view::npos) {
      result.emplace_back(std::string(item), std::string());
    } else {
      result.emplace_back(std::string(Trim(item.substr(0, equals))), std::string(Trim(item.substr(equals + 1))));
    }
  }
  return result;
}

std::string JoinFmtpParameters(const std::vector<std::pair<std::string, std::string>>& parameters) {
  std::string out;
  for (const auto& [key, value] : parameters) {
    if (!out.empty()) out += ';';
    out += key;
    if (!value.empty()) {
      out += '=';
      out += value;
    }
  }
  return out;
}

std::optional<SdpRtcpFb> ParseRtcpFb(std::string_view value) {
  std::string_view rest = value;
  const std::string_view format = NextToken(rest);
  const std::string_view feedback = Trim(rest);
  if (feedback.empty()) return std::nullopt;
  SdpRtcpFb rtcp_fb;
  if (format != "*") {
    const auto payload_type = ParseNumber<std::uint8_t>(format, kMaxRtpPayloadType);
    if (!payload_type) return std::nullopt;
    rtcp_fb.payload_type = *payload_type;
  }
  rtcp_fb.feedback = std::string(feedback);
  return rtcp_fb;
}

std::string FormatRtcpFb(const SdpRtcpFb& rtcp_fb) {
  return (rtcp_fb.payload_type ? std::to_string(*rtcp_fb.payload_type) : std::string("*")) + ' ' + rtcp_fb.feedback;
}

std::string_view SdpDirectionName(SdpDirection direction) {
  switch (direction) {
    case SdpDirection::kSendRecv: return "sendrecv";
    case SdpDirection::kSendOnly: return "sendonly";
    case SdpDirection::kRecvOnly: return "recvonly";
    case SdpDirection::kInactive: return "inactive";
  }
  return "sendrecv";
}

std::optional<SdpDirection> SdpDirectionFromName(std::string_view name) {
  if (name == "sendrecv") return SdpDirection::kSendRecv;
  if (name == "sendonly") return SdpDirection::kSendOnly;
  if (name == "recvonly") return SdpDirection::kRecvOnly;
  if (name == "inactive") return SdpDirection::kInactive;
  return std::nullopt;
}

std::optional<SdpDirection> FindDirection(const SdpLines& lines) {
  std::optional<SdpDirection> direction;
  for (const SdpLine& line : lines.lines) {
    if (line.type != 'a' || line.has_value) continue;
    if (const auto found = SdpDirectionFromName(line.name)) direction = found;
  }
  return direction;
}

std::optional<SdpExtmap> ParseExtmap(std::string_view value) {
  std::string_view rest = value;
  const std::string_view id_text = NextToken(rest);
  const std::string_view uri = NextToken(rest);
  if (uri.empty()) return std::nullopt;
  const std::size_t slash = id_text.find('/');
  const auto id = ParseNumber<std::uint16_t>(id_text.substr(0, slash));
  if (!id || *id == 0 || (*id > kMaxExtmapTwoByteId && (*id < kFirstExtmapLocalId || *id > kLastExtmapLocalId))) {
    return std::nullopt;
  }
  SdpExtmap extmap{*id, std::nullopt, std::string(uri), std::string(Trim(rest))};
  if (slash != std::string_view::npos) {
    extmap.direction = SdpDirectionFromName(id_text.substr(slash + 1));
    if (!extmap.direction) return std::nullopt;
  }
  return extmap;
}

std::string FormatExtmap(const SdpExtmap& extmap) {
  std::string out = std::to_string(extmap.id);
  if (extmap.direction) {
    out += '/';
    out += SdpDirectionName(*extmap.direction);
  }
  out += ' ';
  out += extmap.uri;
  if (!extmap.attributes.empty()) {
    out += ' ';
    out += extmap.attributes;
  }
  return out;
}

std::optional<SdpSsrc> ParseSsrc(std::string_view value) {
  const std::size_t space = value.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  const auto ssrc = ParseNumber<std::uint32_t>(value.substr(0, space));
  if (!ssrc) return std::nullopt;
  const std::string_view attribute = value.substr(space + 1);
  const std::size_t colon = attribute.find(':');
  const std::string_view name = attribute.substr(0, colon);
  if (!IsToken(name)) return std::nullopt;
  SdpSsrc result{*ssrc, std::string(name), {}};
  if (colon != std::string_view::npos) result.value = std::string(attribute.substr(colon + 1));
  return result;
}

std::string FormatSsrc(const SdpSsrc& ssrc) {
  std::string out = std::to_string(ssrc.ssrc) + ' ' + ssrc.attribute;
  if (!ssrc.value.empty()) out += ':' + ssrc.value;
  return out;
}

std::optional<SdpSsrcGroup> ParseSsrcGroup(std::string_view value) {
  std::string_view rest = value;
  const std::string_view semantics = NextToken(rest);
  if (!IsToken(semantics) || rest.empty()) return std::nullopt;
  SdpSsrcGroup group{std::string(semantics), {}};
  while (!rest.empty()) {
    const auto ssrc = ParseNumber<std::uint32_t>(NextToken(rest));
    if (!ssrc) return std::nullopt;
    group.ssrcs.push_back(*ssrc);
  }
  return group;
}

std::optional<SdpMsid> ParseMsid(std::string_view value) {
  std::string_view rest = value;
  const std::string_view stream = NextToken(rest);
  const std::string_view track = NextToken(rest);
  if (!IsToken(stream) || !rest.empty() || (!track.empty() && !IsToken(track))) return std::nullopt;
  return SdpMsid{std::string(stream), std::string(track)};
}

std::string FormatMsid(const SdpMsid& msid) {
  return msid.track.empty() ? msid.stream : msid.stream + ' ' + msid.track;
}

std::optional<SdpGroup> ParseGroup(std::string_view value) {
  std::string_view rest = value;
  const std::string_view semantics = NextToken(rest);
  if (!IsToken(semantics)) return std::nullopt;
  auto mids = Tokens(rest, IsToken);
  if (!mids) return std::nullopt;
  return SdpGroup{std::string(semantics), std::move(*mids)};
}

std::string FormatGroup(const SdpGroup& group) {
  std::string out = group.semantics;
  for (const std::string& mid : group.mids) out += ' ' + mid;
  return out;
}

std::optional<SdpGroup> FindBundleGroup(const SessionDescription& description) {
  for (const std::string_view value : description.session.FindAll("group")) {
    auto group = ParseGroup(value);
    if (group && group->semantics == "BUNDLE") return group;
  }
  return std::nullopt;
}

std::optional<SdpSetup> ParseSetup(std::string_view value) {
  if (value == "active") return SdpSetup::kActive;
  if (value == "passive") return SdpSetup::kPassive;
  if (value == "actpass") return SdpSetup::kActpass;
  if (value == "holdconn") return SdpSetup::kHoldconn;
  return std::nullopt;
}

std::string_view SdpSetupName(SdpSetup setup) {
  switch (setup) {
    case SdpSetup::kActive: return "active";
    case SdpSetup::kPassive: return "passive";
    case SdpSetup::kActpass: return "actpass";
    case SdpSetup::kHoldconn: return "holdconn";
  }
  return "actpass";
}

std::optional<SdpFingerprint> ParseFingerprint(std::string_view value) {
  std::string_view rest = value;
  const std::string_view hash = NextToken(rest);
  const std::string_view bytes = NextToken(rest);
  if (!IsToken(hash) || bytes.empty() || !rest.empty()) return std::nullopt;
  // Pairs of hex digits joined by ':': 3n - 1 characters for n bytes.
  if ((bytes.size() + 1) % 3 != 0) return std::nullopt;
  for (std::size_t at = 0; at < bytes.size(); ++at) {
    const bool ok = at % 3 == 2 ? bytes[at] == ':' : IsHexDigit(bytes[at]);
    if (!ok) return std::nullopt;
  }
  SdpFingerprint fingerprint{Lowercase(hash), Uppercase(bytes)};
  // RFC 8122 §5: the digest's size follows from the hash function.
  static constexpr std::array<std::pair<std::string_view, std::size_t>, 5> kDigestSizes = {
      {{"sha-1", 20}, {"sha-224", 28}, {"sha-256", 32}, {"sha-384", 48}, {"sha-512", 64}}};
  const std::size_t count = (bytes.size() + 1) / 3;
  for (const auto& [name, size] : kDigestSizes) {
    if (fingerprint.hash_function == name && count != size) return std::nullopt;
  }
  return fingerprint;
}

bool IsValidIceUfrag(std::string_view ufrag) {
  return ufrag.size() >= kMinIceUfragSize && ufrag.size() <= kMaxIceCredentialSize && IsIceChars(ufrag);
}

bool IsValidIcePwd(std::string_view pwd) {
  return pwd.size() >= kMinIcePwdSize && pwd.size() <= kMaxIceCredentialSize && IsIceChars(pwd);
}

std::optional<SdpCandidate> ParseCandidate(std::string_view value) {
  std::string_view rest = value;
  SdpCandidate candidate;
  const std::string_view foundation = NextToken(rest);
  if (foundation.empty() || foundation.size() > kMaxCandidateFoundationSize || !IsIceChars(foundation)) {
    return std::nullopt;
  }
  candidate.foundation = std::string(foundation);
  const auto component = ParseNumber<std::uint16_t>(NextToken(rest), kMaxCandidateComponent);
  const std::string_view transport = NextToken(rest);
  const auto priority = ParseNumber<std::uint32_t>(NextToken(rest));
  const std::string_view address = NextToken(rest);
  const auto port = ParseNumber<std::uint16_t>(NextToken(rest));
  const std::string_view typ = NextToken(rest);
  const std::string_view type = NextToken(rest);
  // The address is an IPv4 or IPv6 address or a name (RFC 8839 §5.1: connection-address).
  if (!component || *component == 0 || !IsToken(transport) || !priority || address.empty() || !port || typ != "typ" ||
      !IsToken(type)) {
    return std::nullopt;
  }
  candidate.component = *component;
  candidate.transport = std::string(transport);
  candidate.priority = *priority;
  candidate.address = std::string(address);
  candidate.port = *port;
  candidate.type = std::string(type);
  candidate.extensions = std::string(Trim(rest));
  return candidate;
}

std::string FormatCandidate(const SdpCandidate& candidate) {
  std::string out = candidate.foundation + ' ' + std::to_string(candidate.component) + ' ' + candidate.transport + ' ' +
                    std::to_string(candidate.priority) + ' ' + candidate.address + ' ' +
                    std::to_string(candidate.port) + " typ " + candidate.type;
  if (!candidate.extensions.empty()) out += ' ' + candidate.extensions;
  return out;
}

std::optional<SdpRid> ParseRid(std::string_view value) {
  std::string_view rest = value;
  const std::string_view id = NextToken(rest);
  const std::string_view direction = NextToken(rest);
  if (!IsRidId(id) || (direction != "send" && direction != "recv")) return std::nullopt;
  return SdpRid{std::string(id), direction == "send", std::string(Trim(rest))};
}

std::optional<SdpSimulcast> ParseSimulcast(std::string_view value) {
  std::string_view rest = value;
  SdpSimulcast simulcast;
  bool seen_send = false;
  bool seen_recv = false;
  while (!rest.empty()) {
    const std::string_view direction = NextToken(rest);
    const std::string_view list = NextToken(rest);
    auto streams = ParseSimulcastStreams(list);
    if (!streams) return std::nullopt;
    if (direction == "send" && !seen_send) {
      simulcast.send = std::move(*streams);
      seen_send = true;
    } else if (direction == "recv" && !seen_recv) {
      simulcast.recv = std::move(*streams);
      seen_recv = true;
    } else {
      return std::nullopt;
    }
  }
  if (!seen_send && !seen_recv) return std::nullopt;
  return simulcast;
}

}  // namespace egovbox::media
