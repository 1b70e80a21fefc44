// Fuzz target for media::ParseSdp and the typed attribute readers, which read the
// browser's offers and answers before anything else looks at them. Invariants: a
// description that parses has at most 64 m-sections; what WriteSdp makes of it
// parses again (when it still fits in 64 KiB) into the same description; and
// every typed reader that has a writer reads back what it wrote.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "media/sdp.h"

namespace {

using namespace egovbox::media;  // NOLINT(google-build-using-namespace): a fuzz target's one function

template <typename Parse, typename Format>
void CheckRoundTrip(std::string_view value, Parse parse, Format format) {
  const auto parsed = parse(value);
  if (!parsed) return;
  const auto again = parse(format(*parsed));
  if (!again || !(*again == *parsed)) __builtin_trap();
}

void CheckAttributes(const SdpLines& lines) {
  for (const SdpLine& line : lines.lines) {
    if (line.type != 'a') continue;
    const std::string_view value = line.value;
    // Every reader on every value, whatever its name: the readers must not trust the name.
    CheckRoundTrip(value, ParseRtpMap, FormatRtpMap);
    CheckRoundTrip(value, ParseRtcpFb, FormatRtcpFb);
    CheckRoundTrip(value, ParseExtmap, FormatExtmap);
    CheckRoundTrip(value, ParseSsrc, FormatSsrc);
    CheckRoundTrip(value, ParseMsid, FormatMsid);
    CheckRoundTrip(value, ParseGroup, FormatGroup);
    CheckRoundTrip(value, ParseCandidate, FormatCandidate);
    CheckRoundTrip(value, ParseFingerprint, [](const SdpFingerprint& fingerprint) {
      return fingerprint.hash_function + ' ' + fingerprint.value;
    });
    if (const auto fmtp = ParseFmtp(value)) {
      const auto parameters = SplitFmtpParameters(fmtp->parameters);
      if (SplitFmtpParameters(JoinFmtpParameters(parameters)) != parameters) __builtin_trap();
    }
    (void)ParseSsrcGroup(value);
    (void)ParseSetup(value);
    (void)ParseRid(value);
    (void)ParseSimulcast(value);
    (void)IsValidIceUfrag(value);
    (void)IsValidIcePwd(value);
  }
  (void)FindDirection(lines);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = ParseSdp(text);
  const auto* description = std::get_if<SessionDescription>(&result);
  if (description == nullptr) return 0;
  if (description->media.size() > kMaxSdpMediaSections) __builtin_trap();

  const std::string written = WriteSdp(*description);
  // LF line ends come back as CRLF, so the written text may be larger than the input.
  if (written.size() <= kMaxSdpSize) {
    const auto again = ParseSdp(written);
    const auto* reparsed = std::get_if<SessionDescription>(&again);
    if (reparsed == nullptr || !(*reparsed == *description)) __builtin_trap();
  }

  CheckAttributes(description->session);
  for (const SdpMediaSection& section : description->media) CheckAttributes(section);
  (void)FindBundleGroup(*description);
  return 0;
}
