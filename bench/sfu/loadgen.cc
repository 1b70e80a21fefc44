// egovbox-loadgen: load for one room of a real `egovbox serve`, for `make
// bench-sfu` (bench/sfu/run.sh). It plays N publishing tabs and M subscribing tabs
// through the real signaling (docs/media.md: media.join with a capability,
// media.publish, media.subscribe.answer over /api/v1/ws) and the real media path
// in the client role (media::ClientPeer: ICE controlling, DTLS client, SRTP).
//
// Publishers send VP8-like video — RTP with a VP8 payload descriptor (RFC 7741
// §4.2), a frame's packets in one burst at the frame rate, the marker on its last
// packet, keyframes every few seconds and on PLI — at a chosen bitrate, and
// Opus-like audio at 50 packets/s. Every payload ends with the send time
// (CLOCK_MONOTONIC nanoseconds, big-endian): the SFU forwards payloads unchanged,
// so a subscriber on the same machine reads the forwarding delay off it.
// Subscribers unprotect everything, count it per stream, and check the sequence
// numbers the SFU rewrites (lost, reordered, duplicated).
//
// The offered load rises in steps (the video bitrate per publisher); per step it
// prints one line and, at the end, one JSON object (`RESULT {...}`) with the
// steps and the summary run.sh prints: forwarded packets/s at saturation, the
// media worker's CPU-seconds per 1,000 forwarded packets (from
// /proc/PID/task/TID/stat), delay p50/p99, loss, and that cost divided by the floor
// measured by egovbox-sfu-floor (--floor).
//
// The plan (--plan, written by bench/sfu/setup.mjs) holds the port, the meeting,
// the session cookie and one capability per tab. One thread; loopback only.
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "media/client_peer.h"
#include "media/client_sdp.h"
#include "media/rtcp_packet.h"
#include "signaling_client.h"

namespace egovbox::bench {
namespace {

using media::ClientPeer;
using media::PacketKind;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr auto kSignalingWait = std::chrono::seconds(10);
constexpr std::size_t kReceiveBatch = 64;
constexpr auto kConsentInterval = std::chrono::seconds(5);  // RFC 7675: a check at least every 15 s
constexpr auto kSignalingPollInterval = milliseconds(250);
constexpr auto kKeyframeInterval = std::chrono::seconds(3);
constexpr std::uint32_t kVideoClockRate = 90000;
constexpr std::uint32_t kAudioTicksPerPacket = 960;  // 20 ms at 48 kHz
constexpr auto kAudioInterval = milliseconds(20);
constexpr std::size_t kAudioPayloadSize = 80;  // Opus at 32 kbit/s
constexpr std::size_t kRtpHeaderSize = 12;
constexpr std::size_t kSendTimeSize = 8;
constexpr std::uint8_t kVersion2 = 0x80;
constexpr std::uint8_t kExtensionBit = 0x10;
constexpr std::uint8_t kMarkerBit = 0x80;
constexpr std::size_t kReplayBits = 1024;  // the duplicate window of a stream
constexpr std::int64_t kNanosecondsPerSecond = 1'000'000'000;
// Delay histogram: 10 µs buckets up to 500 ms, then one overflow bucket.
constexpr std::int64_t kBucketNs = 10'000;
constexpr std::size_t kBuckets = 50'000;
constexpr std::uint8_t kLoudAudioLevel = 30;  // -30 dBov, voice active (RFC 6464)
constexpr std::uint8_t kSilentAudioLevel = 127;

std::int64_t MonotonicNs() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * kNanosecondsPerSecond + now.tv_nsec;
}

double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// utime + stime of a thread (or, with tid 0, a process), in seconds; -1 when unreadable.
double ThreadCpuSeconds(int pid, int tid) {
  if (pid <= 0) return -1;
  const std::string path = tid > 0 ? "/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/stat"
                                   : "/proc/" + std::to_string(pid) + "/stat";
  std::ifstream file(path);
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double utime = 0;
  double stime = 0;
  // Fields 3.. after the command; utime is field 14, stime 15 (proc(5)).
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stod(field);
    if (index == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void PutUint16(std::uint8_t* at, std::uint16_t value) {
  at[0] = static_cast<std::uint8_t>(value >> 8U);
  at[1] = static_cast<std::uint8_t>(value);
}

void PutUint32(std::uint8_t* at, std::uint32_t value) {
  for (std::size_t i = 0; i < 4; ++i) at[i] = static_cast<std::uint8_t>(value >> (24U - 8U * i));
}

void PutUint64(std::uint8_t* at, std::uint64_t value) {
  for (std::size_t i = 0; i < 8; ++i) at[i] = static_cast<std::uint8_t>(value >> (56U - 8U * i));
}

std::uint64_t GetUint64(const std::uint8_t* at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) value = value << 8U | at[i];
  return value;
}

// http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time: 6.18 fixed-point seconds, 24 bits.
std::uint32_t AbsSendTime(std::int64_t ns) {
  constexpr unsigned kFractionBits = 18;
  constexpr std::uint32_t kMask = 0xFFFFFF;
  const auto whole = static_cast<std::uint64_t>(ns / kNanosecondsPerSecond);
  const auto fraction = static_cast<std::uint64_t>(ns % kNanosecondsPerSecond);
  return static_cast<std::uint32_t>(whole << kFractionBits | (fraction << kFractionBits) / kNanosecondsPerSecond) &
         kMask;
}

// --- Options -------------------------------------------------------------------

struct Options {
  std::string plan;
  std::string floor;
  int publishers = 4;
  int subscribers = 10;
  std::vector<int> steps_kbps = {1000, 2000, 4000, 8000};
  double step_seconds = 4;
  double warmup_seconds = 2;
  int fps = 30;
  std::size_t packet_size = 1100;  // RTP bytes of a full video packet, before SRTP
  int server_pid = 0;
  int media_tid = 0;
  std::optional<media::SrtpProfile> srtp_profile;  // both offered (GCM first) unless given
  std::uint32_t verify_one_in = 1;                 // subscribers unprotect one packet in this many
};

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    const std::string value = argv[i + 1];
    if (name == "--plan") {
      options.plan = value;
    } else if (name == "--floor") {
      options.floor = value;
    } else if (name == "--publishers") {
      options.publishers = std::stoi(value);
    } else if (name == "--subscribers") {
      options.subscribers = std::stoi(value);
    } else if (name == "--steps-kbps") {
      options.steps_kbps.clear();
      std::istringstream list(value);
      for (std::string item; std::getline(list, item, ',');) options.steps_kbps.push_back(std::stoi(item));
    } else if (name == "--step-seconds") {
      options.step_seconds = std::stod(value);
    } else if (name == "--warmup-seconds") {
      options.warmup_seconds = std::stod(value);
    } else if (name == "--fps") {
      options.fps = std::stoi(value);
    } else if (name == "--packet-size") {
      options.packet_size = std::stoul(value);
    } else if (name == "--server-pid") {
      options.server_pid = std::stoi(value);
    } else if (name == "--media-tid") {
      options.media_tid = std::stoi(value);
    } else if (name == "--verify-one-in") {
      options.verify_one_in = static_cast<std::uint32_t>(std::max(1, std::stoi(value)));
    } else if (name == "--srtp") {
      if (value == "gcm") {
        options.srtp_profile = media::SrtpProfile::kAeadAes128Gcm;
      } else if (value == "cm") {
        options.srtp_profile = media::SrtpProfile::kAes128CmHmacSha1Tag80;
      } else if (value != "any") {
        std::fprintf(stderr, "egovbox-loadgen: --srtp is gcm, cm or any\n");
        return std::nullopt;
      }
    } else {
      std::fprintf(stderr, "egovbox-loadgen: unknown option %s\n", name.c_str());
      return std::nullopt;
    }
  }
  if (options.plan.empty() || options.publishers < 1 || options.subscribers < 1 || options.steps_kbps.empty() ||
      options.packet_size < 200 || options.packet_size > 1200 || options.fps < 1) {
    std::fprintf(stderr,
                 "usage: egovbox-loadgen --plan FILE [--floor FILE] [--publishers N] [--subscribers M]\n"
                 "  [--steps-kbps 1000,2000,...] [--step-seconds S] [--warmup-seconds S] [--fps F]\n"
                 "  [--packet-size BYTES] [--server-pid PID --media-tid TID] [--srtp gcm|cm|any]\n"
                 "  [--verify-one-in K]\n");
    return std::nullopt;
  }
  return options;
}

// --- Receiving: per-stream continuity and delay --------------------------------

struct StreamStats {
  std::uint32_t ssrc = 0;
  bool video = false;
  bool started = false;
  std::uint64_t highest = 0;  // extended sequence number
  std::array<std::uint64_t, kReplayBits / 64> seen{};
};

struct Tally {
  std::uint64_t received = 0;
  std::uint64_t received_video = 0;
  std::uint64_t verified = 0;  // unprotected and authenticated (the others counted by header)
  std::uint64_t lost = 0;      // gaps, less those filled later
  std::uint64_t reordered = 0;
  std::uint64_t duplicated = 0;
  std::vector<std::uint64_t> delays = std::vector<std::uint64_t>(kBuckets + 1, 0);

  void Reset() {
    received = received_video = verified = lost = reordered = duplicated = 0;
    std::fill(delays.begin(), delays.end(), 0);
  }
  // The delay below which `fraction` of the packets arrived, in microseconds.
  double DelayPercentileUs(double fraction) const {
    std::uint64_t total = 0;
    for (const auto count : delays) total += count;
    if (total == 0) return 0;
    const auto wanted = static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(total)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < delays.size(); ++i) {
      seen += delays[i];
      if (seen >= wanted) return static_cast<double>((static_cast<std::int64_t>(i) + 1) * kBucketNs) / 1000.0;
    }
    return static_cast<double>(kBuckets) * kBucketNs / 1000.0;
  }
};

class Subscriber {
 public:
  Subscriber(std::unique_ptr<ClientPeer> peer, Tally& tally) : peer_(std::move(peer)), tally_(tally) {
    peer_->SetMediaHandler([this](PacketKind kind, std::span<std::uint8_t> packet, bool verified) {
      if (kind == PacketKind::kRtp) Count(packet, verified);
    });
  }
  ClientPeer& peer() { return *peer_; }
  void set_now(std::int64_t now) { now_ = now; }

 private:
  // An unverified packet (still SRTP) is counted from its clear header only: its
  // send time is encrypted, so only verified packets measure the delay.
  void Count(std::span<const std::uint8_t> packet, bool verified) {
    if (packet.size() < kRtpHeaderSize + kSendTimeSize) return;
    const std::uint32_t ssrc = std::uint32_t{packet[8]} << 24U | std::uint32_t{packet[9]} << 16U |
                               std::uint32_t{packet[10]} << 8U | packet[11];
    const auto sequence = static_cast<std::uint16_t>(packet[2] << 8U | packet[3]);
    StreamStats* stream = nullptr;
    for (auto& candidate : streams_) {
      if (candidate.ssrc == ssrc) stream = &candidate;
    }
    if (stream == nullptr) {
      streams_.emplace_back();
      stream = &streams_.back();
      stream->ssrc = ssrc;
      stream->video = (packet[1] & 0x7FU) == media::kClientVp8PayloadType;
    }
    ++tally_.received;
    if (stream->video) ++tally_.received_video;
    if (verified) {
      ++tally_.verified;
      const auto sent = static_cast<std::int64_t>(GetUint64(packet.data() + packet.size() - kSendTimeSize));
      const std::int64_t delay = std::max<std::int64_t>(0, now_ - sent);
      ++tally_.delays[std::min<std::size_t>(kBuckets, static_cast<std::size_t>(delay / kBucketNs))];
    }

    // RFC 3550 A.1-like extension of the 16-bit sequence number against the highest.
    if (!stream->started) {
      stream->started = true;
      stream->highest = sequence;
      Mark(*stream, sequence);
      return;
    }
    const auto delta = static_cast<std::int16_t>(sequence - static_cast<std::uint16_t>(stream->highest));
    const auto extended = static_cast<std::uint64_t>(static_cast<std::int64_t>(stream->highest) + delta);
    if (delta > 0) {
      tally_.lost += static_cast<std::uint64_t>(delta - 1);
      for (std::uint64_t skipped = stream->highest + 1; skipped < extended; ++skipped) Unmark(*stream, skipped);
      stream->highest = extended;
      Mark(*stream, extended);
    } else if (stream->highest - extended >= kReplayBits) {
      ++tally_.reordered;  // too old to tell; counted as late
    } else if (Marked(*stream, extended)) {
      ++tally_.duplicated;
    } else {
      ++tally_.reordered;
      if (tally_.lost > 0) --tally_.lost;  // the gap it left is filled
      Mark(*stream, extended);
    }
  }

  static void Mark(StreamStats& stream, std::uint64_t index) {
    stream.seen[(index % kReplayBits) / 64] |= std::uint64_t{1} << (index % 64);
  }
  static void Unmark(StreamStats& stream, std::uint64_t index) {
    stream.seen[(index % kReplayBits) / 64] &= ~(std::uint64_t{1} << (index % 64));
  }
  static bool Marked(const StreamStats& stream, std::uint64_t index) {
    return (stream.seen[(index % kReplayBits) / 64] >> (index % 64) & 1U) != 0;
  }

  std::unique_ptr<ClientPeer> peer_;
  Tally& tally_;
  std::vector<StreamStats> streams_;
  std::int64_t now_ = 0;
};

// --- Sending: VP8-like video and Opus-like audio -------------------------------

class Publisher {
 public:
  Publisher(std::unique_ptr<ClientPeer> peer, std::uint32_t audio_ssrc, std::uint32_t video_ssrc, bool loud,
            const Options& options)
      : peer_(std::move(peer)),
        audio_ssrc_(audio_ssrc),
        video_ssrc_(video_ssrc),
        loud_(loud),
        packet_size_(options.packet_size),
        frame_interval_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / options.fps))),
        fps_(options.fps) {
    peer_->SetMediaHandler([this](PacketKind kind, std::span<std::uint8_t> packet, bool verified) {
      if (kind == PacketKind::kRtcp && verified) ReadRtcp(packet);
    });
  }

  ClientPeer& peer() { return *peer_; }
  std::uint32_t audio_ssrc() const { return audio_ssrc_; }
  std::uint32_t video_ssrc() const { return video_ssrc_; }
  std::uint64_t sent() const { return sent_; }
  std::uint64_t sent_video() const { return sent_video_; }
  std::uint64_t keyframe_requests() const { return keyframe_requests_; }
  std::uint64_t send_failures() const { return send_failures_; }

  void Start(Clock::time_point at) {
    next_audio_ = at;
    next_frame_ = at;
    next_keyframe_ = at;
  }
  void SetBitrate(int kbps) {
    frame_bytes_ = static_cast<std::size_t>(kbps) * 1000 / 8 / static_cast<std::size_t>(fps_);
  }

  // Sends what is due by `now`; returns the earliest next time something is due.
  Clock::time_point SendDue(Clock::time_point now) {
    while (next_audio_ <= now) {
      SendAudio();
      next_audio_ += kAudioInterval;
    }
    while (next_frame_ <= now) {
      SendFrame(now);
      next_frame_ += frame_interval_;
    }
    peer_->Flush();
    return std::min(next_audio_, next_frame_);
  }

 private:
  // RFC 3550 §5.1 header with a one-byte extension block (RFC 8285 §4.2) holding
  // abs-send-time and, for audio, ssrc-audio-level. Returns the header's size.
  static std::size_t WriteHeader(std::uint8_t* at, std::uint8_t payload_type, bool marker, std::uint16_t sequence,
                                 std::uint32_t timestamp, std::uint32_t ssrc, std::int64_t now_ns,
                                 std::optional<std::uint8_t> audio_level) {
    at[0] = kVersion2 | kExtensionBit;
    at[1] = static_cast<std::uint8_t>((marker ? kMarkerBit : 0) | payload_type);
    PutUint16(at + 2, sequence);
    PutUint32(at + 4, timestamp);
    PutUint32(at + 8, ssrc);
    std::uint8_t* extension = at + kRtpHeaderSize;
    extension[0] = 0xBE;
    extension[1] = 0xDE;
    std::size_t length = 4;
    const std::uint32_t abs = AbsSendTime(now_ns);
    extension[length++] = static_cast<std::uint8_t>(media::kClientAbsSendTimeId << 4U | 2U);
    extension[length++] = static_cast<std::uint8_t>(abs >> 16U);
    extension[length++] = static_cast<std::uint8_t>(abs >> 8U);
    extension[length++] = static_cast<std::uint8_t>(abs);
    if (audio_level) {
      extension[length++] = static_cast<std::uint8_t>(media::kClientAudioLevelId << 4U);
      extension[length++] = *audio_level;
    }
    while (length % 4 != 0) extension[length++] = 0;
    PutUint16(extension + 2, static_cast<std::uint16_t>((length - 4) / 4));
    return kRtpHeaderSize + length;
  }

  void Commit(std::span<std::uint8_t> slot, std::size_t length, std::int64_t now_ns, bool video) {
    PutUint64(slot.data() + length - kSendTimeSize, static_cast<std::uint64_t>(now_ns));
    if (peer_->CommitRtp(length)) {
      ++sent_;
      if (video) ++sent_video_;
    } else {
      ++send_failures_;
    }
  }

  void SendAudio() {
    const std::int64_t now_ns = MonotonicNs();
    const auto slot = peer_->Slot();
    const std::size_t header =
        WriteHeader(slot.data(), media::kClientOpusPayloadType, false, audio_sequence_++, audio_timestamp_, audio_ssrc_,
                    now_ns, loud_ ? kLoudAudioLevel : kSilentAudioLevel);
    audio_timestamp_ += kAudioTicksPerPacket;
    std::memset(slot.data() + header, 0xA5, kAudioPayloadSize);
    Commit(slot, header + kAudioPayloadSize, now_ns, false);
  }

  // One frame in one burst: packets of packet_size_ bytes, the last one shorter.
  void SendFrame(Clock::time_point now) {
    if (frame_bytes_ == 0) return;
    const bool keyframe = keyframe_requested_ || now >= next_keyframe_;
    if (keyframe) {
      keyframe_requested_ = false;
      next_keyframe_ = now + kKeyframeInterval;
    }
    // A keyframe is about three times a delta frame.
    std::size_t remaining = keyframe ? frame_bytes_ * 3 : frame_bytes_;
    const auto timestamp =
        static_cast<std::uint32_t>(frame_count_ * kVideoClockRate / static_cast<std::uint64_t>(fps_));
    ++frame_count_;
    ++picture_id_;
    bool first = true;
    while (remaining > 0) {
      const std::int64_t now_ns = MonotonicNs();
      const auto slot = peer_->Slot();
      std::uint8_t* at = slot.data();
      constexpr std::size_t kHeaderGuess = kRtpHeaderSize + 8;  // the header WriteHeader makes for video
      const std::size_t room = packet_size_ - kHeaderGuess;
      const std::size_t payload = std::min(remaining, room);
      remaining -= payload;
      const bool last = remaining == 0;
      const std::size_t header =
          WriteHeader(at, media::kClientVp8PayloadType, last, video_sequence_++, timestamp, video_ssrc_, now_ns, {});
      std::uint8_t* body = at + header;
      // RFC 7741 §4.2: X=1, S on a frame's first packet, partition 0; I=1 with a
      // 15-bit picture id (M=1).
      std::size_t written = 0;
      body[written++] = static_cast<std::uint8_t>(0x80U | (first ? 0x10U : 0U));
      body[written++] = 0x80;
      body[written++] = static_cast<std::uint8_t>(0x80U | (picture_id_ >> 8U & 0x7FU));
      body[written++] = static_cast<std::uint8_t>(picture_id_);
      if (first) {
        // RFC 6386 §9.1: the frame tag (P=0 for a key frame, show_frame=1), then a
        // key frame's start code and 640x360.
        body[written++] = static_cast<std::uint8_t>((keyframe ? 0U : 1U) | 0x10U);
        body[written++] = 0;
        body[written++] = 0;
        if (keyframe) {
          for (const std::uint8_t byte : {0x9D, 0x01, 0x2A, 0x80, 0x02, 0x68, 0x01}) body[written++] = byte;
        }
      }
      const std::size_t length = std::max(header + written + kSendTimeSize, header + payload);
      std::memset(at + header + written, 0x3C, length - header - written);
      Commit(slot, length, now_ns, true);
      first = false;
    }
  }

  void ReadRtcp(std::span<std::uint8_t> packet) {
    const auto compound = media::RtcpCompound::Parse(packet);
    if (!compound) return;
    for (const media::RtcpPacketView view : *compound) {
      const auto pli = media::RtcpPli::Parse(view);
      if (pli && pli->media_ssrc() == video_ssrc_) {
        keyframe_requested_ = true;
        ++keyframe_requests_;
      }
    }
  }

  std::unique_ptr<ClientPeer> peer_;
  std::uint32_t audio_ssrc_;
  std::uint32_t video_ssrc_;
  bool loud_;
  std::size_t packet_size_;
  Clock::duration frame_interval_;
  int fps_;
  std::size_t frame_bytes_ = 0;
  Clock::time_point next_audio_;
  Clock::time_point next_frame_;
  Clock::time_point next_keyframe_;
  bool keyframe_requested_ = true;
  std::uint16_t audio_sequence_ = 1000;
  std::uint16_t video_sequence_ = 30000;
  std::uint32_t audio_timestamp_ = 0;
  std::uint64_t frame_count_ = 0;
  std::uint16_t picture_id_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t sent_video_ = 0;
  std::uint64_t keyframe_requests_ = 0;
  std::uint64_t send_failures_ = 0;
};

// --- The run -------------------------------------------------------------------

struct Tab {
  std::unique_ptr<SignalingClient> signaling;
  std::string participant_id;
  std::string last_answered;  // the SDP of the subscribe offer last answered
  bool complete = false;      // a subscriber's: every publisher's tracks answered
};

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "egovbox-loadgen: %s\n", why.c_str());
  std::exit(1);
}

class LoadGenerator {
 public:
  explicit LoadGenerator(Options options) : options_(std::move(options)) {}

  void Run() {
    ReadPlan();
    for (int i = 0; i < options_.publishers; ++i) JoinPublisher(i);
    for (int i = 0; i < options_.subscribers; ++i) JoinSubscriber(i);
    std::fprintf(stderr, "egovbox-loadgen: %d publishers and %d subscribers connected (SRTP %s)\n", options_.publishers,
                 options_.subscribers, profile_.c_str());
    Measure();
  }

 private:
  void ReadPlan() {
    std::ifstream file(options_.plan);
    plan_ = json::parse(file, nullptr, false);
    if (!plan_.is_object() || !plan_.contains("capabilities")) Fail("the plan " + options_.plan + " is unreadable");
    if (plan_["capabilities"].size() < static_cast<std::size_t>(options_.publishers + options_.subscribers)) {
      Fail("the plan has fewer capabilities than tabs");
    }
    meeting_id_ = plan_["meeting_id"].get<std::string>();
  }

  Tab Join(std::size_t index) {
    Tab tab;
    tab.signaling = std::make_unique<SignalingClient>();
    const std::string failure = tab.signaling->Connect(static_cast<std::uint16_t>(plan_["port"].get<int>()),
                                                       plan_["cookie"].get<std::string>(), kSignalingWait);
    if (!failure.empty()) Fail("tab " + std::to_string(index) + ": " + failure);
    tab.signaling->Send(
        {{"type", "media.join"}, {"meeting_id", meeting_id_}, {"capability", plan_["capabilities"][index]}});
    const auto joined = tab.signaling->Next("media.joined", kSignalingWait);
    if (!joined) {
      const auto refused = tab.signaling->Next("media.refused", milliseconds(0));
      Fail("tab " + std::to_string(index) + " not joined" + (refused ? ": " + refused->dump() : ""));
    }
    tab.participant_id = (*joined)["participant_id"].get<std::string>();
    return tab;
  }

  void Connect(ClientPeer& peer, const std::string& server_sdp, const std::string& who) {
    std::string error;
    const auto server = media::ServerTransportOf(server_sdp, &error);
    if (!server) Fail(who + ": " + error);
    peer.SetServer(*server);
    std::string failure = peer.Check();
    if (failure.empty()) failure = peer.Handshake();
    if (!failure.empty()) Fail(who + ": " + failure);
    profile_ = std::string(peer.srtp_profile_name());
  }

  void JoinPublisher(int index) {
    const std::string who = "publisher " + std::to_string(index);
    Tab tab = Join(static_cast<std::size_t>(index));
    std::string error;
    auto peer = ClientPeer::Open("pub" + std::to_string(index), &error, kReceiveBatch, options_.srtp_profile);
    if (!peer) Fail(who + ": " + error);
    const auto audio_ssrc = static_cast<std::uint32_t>(0x10000000U + 2U * static_cast<unsigned>(index));
    const std::uint32_t video_ssrc = audio_ssrc + 1;
    const std::array<media::ClientPublishTrack, 2> tracks = {
        {{media::MediaKind::kAudio, audio_ssrc}, {media::MediaKind::kVideo, video_ssrc}}};
    tab.signaling->Send({{"type", "media.publish"},
                         {"meeting_id", meeting_id_},
                         {"sdp", media::ClientPublishOffer(peer->identity(), peer->port(), tracks)},
                         {"tracks", json::array({{{"mid", "0"}, {"source", "microphone"}, {"muted", false}},
                                                 {{"mid", "1"}, {"source", "camera"}, {"muted", false}}})}});
    const auto answer = tab.signaling->Next("media.publish.answer", kSignalingWait);
    if (!answer) {
      const auto error_message = tab.signaling->Next("media.error", milliseconds(0));
      Fail(who + ": no answer to media.publish" + (error_message ? ": " + error_message->dump() : ""));
    }
    Connect(*peer, (*answer)["sdp"].get<std::string>(), who);
    publishers_.push_back(std::make_unique<Publisher>(std::move(peer), audio_ssrc, video_ssrc, index == 0, options_));
    publisher_tabs_.push_back(std::move(tab));
  }

  // Answers one subscribe offer; the tab is complete once an answered offer
  // carries every publisher's two tracks.
  void AnswerOffer(Tab& tab, ClientPeer& peer, const json& offer) {
    const std::string sdp = offer["sdp"].get<std::string>();
    tab.signaling->Send({{"type", "media.subscribe.answer"},
                         {"meeting_id", meeting_id_},
                         {"version", offer["version"]},
                         {"sdp", media::SubscribeAnswerFor(sdp, peer.identity())}});
    tab.last_answered = sdp;
    tab.complete = offer["tracks"].size() >= 2 * static_cast<std::size_t>(options_.publishers);
  }

  void AnswerOffers(Tab& tab, ClientPeer& peer) {
    for (const json& offer : tab.signaling->TakeAll("media.subscribe.offer")) AnswerOffer(tab, peer, offer);
  }

  void JoinSubscriber(int index) {
    const std::string who = "subscriber " + std::to_string(index);
    Tab tab = Join(static_cast<std::size_t>(options_.publishers + index));
    std::string error;
    auto peer = ClientPeer::Open("sub" + std::to_string(index), &error, kReceiveBatch, options_.srtp_profile);
    if (!peer) Fail(who + ": " + error);
    const auto deadline = Clock::now() + kSignalingWait;
    while (!tab.complete && Clock::now() < deadline) {
      if (const auto offer = tab.signaling->Next("media.subscribe.offer", milliseconds(200))) {
        AnswerOffer(tab, *peer, *offer);
        AnswerOffers(tab, *peer);
      }
    }
    if (!tab.complete) Fail(who + ": no subscribe offer with every publisher's tracks");
    Connect(*peer, tab.last_answered, who);
    peer->set_unprotect_one_in(options_.verify_one_in);
    subscribers_.push_back(std::make_unique<Subscriber>(std::move(peer), tally_));
    subscriber_tabs_.push_back(std::move(tab));
  }

  void ServiceSignaling() {
    for (auto& tab : publisher_tabs_) {
      if (!tab.signaling->Poll()) Fail("a publisher's WebSocket closed");
      tab.signaling->TakeAll("media.subscribe.offer");  // publishers receive nothing
    }
    for (std::size_t i = 0; i < subscriber_tabs_.size(); ++i) {
      if (!subscriber_tabs_[i].signaling->Poll()) Fail("a subscriber's WebSocket closed");
      AnswerOffers(subscriber_tabs_[i], subscribers_[i]->peer());
    }
  }

  void Measure();
  void Summarise(const json& steps);

  Options options_;
  json plan_;
  std::string meeting_id_;
  std::string profile_;
  std::vector<std::unique_ptr<Publisher>> publishers_;
  std::vector<Tab> publisher_tabs_;
  std::vector<std::unique_ptr<Subscriber>> subscribers_;
  std::vector<Tab> subscriber_tabs_;
  Tally tally_;
};

// --- Phases, figures and the floor ---------------------------------------------

struct Snapshot {
  Clock::time_point at;
  std::uint64_t sent = 0;
  std::uint64_t sent_video = 0;
  double media_cpu = -1;
  double server_cpu = -1;
  double self_cpu = 0;
};

double Per(double amount, double seconds) {
  return seconds > 0 ? amount / seconds : 0;
}

// The floor for one forwarded packet of RTP size `size` at fan-out `fanout`, from
// egovbox-sfu-floor's JSON: one send and one protect per forwarded copy; one
// receive and one unprotect per received packet, shared by its copies.
std::optional<double> FloorNs(const json& floor, const std::string& profile, std::size_t size, double fanout) {
  const std::string key = std::to_string(size);
  if (!floor.contains("sizes") || !floor["sizes"].contains(key)) return std::nullopt;
  const json& entry = floor["sizes"][key];
  if (!entry.contains(profile)) return std::nullopt;
  const double send = entry["send_ns"].get<double>();
  const double receive = entry["recv_ns"].get<double>();
  const double protect = entry[profile]["protect_ns"].get<double>();
  const double unprotect = entry[profile]["unprotect_ns"].get<double>();
  return send + protect + (receive + unprotect) / fanout;
}

void LoadGenerator::Measure() {
  std::vector<ClientPeer*> peers;
  for (auto& publisher : publishers_) peers.push_back(&publisher->peer());
  for (auto& subscriber : subscribers_) peers.push_back(&subscriber->peer());
  const int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  for (std::size_t i = 0; i < peers.size(); ++i) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = i;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, peers[i]->fd(), &event);
  }

  // Publishers' frames spread over one frame interval, as real cameras are.
  const auto start = Clock::now();
  const auto frame_interval =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / options_.fps));
  for (std::size_t i = 0; i < publishers_.size(); ++i) {
    publishers_[i]->Start(start + frame_interval * static_cast<long>(i) / static_cast<long>(publishers_.size()));
    publishers_[i]->SetBitrate(options_.steps_kbps.front());
  }
  const auto snapshot = [&] {
    Snapshot taken;
    taken.at = Clock::now();
    for (const auto& publisher : publishers_) {
      taken.sent += publisher->sent();
      taken.sent_video += publisher->sent_video();
    }
    taken.media_cpu = ThreadCpuSeconds(options_.server_pid, options_.media_tid);
    taken.server_cpu = ThreadCpuSeconds(options_.server_pid, 0);
    taken.self_cpu = SelfCpuSeconds();
    return taken;
  };

  const auto seconds = [](double value) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(value));
  };
  // Phase -1 is the warm-up at the first step's rate; phases 0.. are the steps.
  int phase = -1;
  auto phase_end = start + seconds(options_.warmup_seconds);
  Snapshot begin = snapshot();
  json steps = json::array();
  auto next_signaling = start;
  auto next_consent = start + kConsentInterval;
  std::array<epoll_event, 64> events{};

  for (;;) {
    auto now = Clock::now();
    if (now >= phase_end) {
      const Snapshot end = snapshot();
      if (phase >= 0) {
        const double elapsed = std::chrono::duration<double>(end.at - begin.at).count();
        const double received = static_cast<double>(tally_.received);
        const double media_cpu = begin.media_cpu >= 0 ? end.media_cpu - begin.media_cpu : -1;
        json step = {
            {"video_kbps", options_.steps_kbps[static_cast<std::size_t>(phase)]},
            {"seconds", elapsed},
            {"sent_pps", Per(static_cast<double>(end.sent - begin.sent), elapsed)},
            {"offered_forward_pps",
             Per(static_cast<double>(end.sent - begin.sent) * static_cast<double>(subscribers_.size()), elapsed)},
            {"forwarded_pps", Per(received, elapsed)},
            {"verified", tally_.verified},
            {"video_fraction", received > 0 ? static_cast<double>(tally_.received_video) / received : 0},
            {"lost", tally_.lost},
            {"reordered", tally_.reordered},
            {"duplicated", tally_.duplicated},
            {"delay_p50_us", tally_.DelayPercentileUs(0.5)},
            {"delay_p99_us", tally_.DelayPercentileUs(0.99)},
            {"media_cpu_utilisation", media_cpu >= 0 ? media_cpu / elapsed : -1},
            {"media_cpu_s_per_1000", media_cpu >= 0 && received > 0 ? media_cpu / received * 1000 : -1},
            {"server_cpu_utilisation", begin.server_cpu >= 0 ? (end.server_cpu - begin.server_cpu) / elapsed : -1},
            {"loadgen_cpu_utilisation", (end.self_cpu - begin.self_cpu) / elapsed},
        };
        std::printf(
            "step %2d: video %5d kbit/s x %d publishers -> offered %8.0f fwd/s, forwarded %8.0f pkt/s, lost %llu, "
            "reordered %llu, dup %llu, delay p50 %.0f us p99 %.0f us, media thread %3.0f%% CPU, loadgen %3.0f%%\n",
            phase + 1, step["video_kbps"].get<int>(), options_.publishers, step["offered_forward_pps"].get<double>(),
            step["forwarded_pps"].get<double>(), static_cast<unsigned long long>(tally_.lost),
            static_cast<unsigned long long>(tally_.reordered), static_cast<unsigned long long>(tally_.duplicated),
            step["delay_p50_us"].get<double>(), step["delay_p99_us"].get<double>(),
            100 * step["media_cpu_utilisation"].get<double>(), 100 * step["loadgen_cpu_utilisation"].get<double>());
        std::fflush(stdout);
        steps.push_back(step);
      }
      ++phase;
      if (phase >= static_cast<int>(options_.steps_kbps.size())) break;
      for (auto& publisher : publishers_) publisher->SetBitrate(options_.steps_kbps[static_cast<std::size_t>(phase)]);
      tally_.Reset();
      begin = snapshot();
      phase_end = begin.at + seconds(options_.step_seconds);
    }

    auto next_due = phase_end;
    for (auto& publisher : publishers_) next_due = std::min(next_due, publisher->SendDue(now));
    if (now >= next_signaling) {
      ServiceSignaling();
      next_signaling = now + kSignalingPollInterval;
    }
    if (now >= next_consent) {
      for (ClientPeer* peer : peers) {
        peer->SendCheck();
        while (peer->TakeStun()) {
        }
      }
      next_consent = now + kConsentInterval;
    }
    now = Clock::now();
    const auto wait = std::chrono::duration_cast<milliseconds>(next_due - now).count();
    const int ready = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()),
                                 static_cast<int>(std::clamp<long>(wait, 0, 5)));
    for (int i = 0; i < ready; ++i) {
      const std::size_t index = events[static_cast<std::size_t>(i)].data.u64;
      if (index >= publishers_.size()) subscribers_[index - publishers_.size()]->set_now(MonotonicNs());
      peers[index]->Drain();
    }
  }
  close(epoll_fd);
  Summarise(steps);
}

void LoadGenerator::Summarise(const json& steps) {
  // Saturation: the first step that loses packets, forwards less than offered, or
  // keeps the media thread busy all the time.
  std::size_t saturated = steps.size();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const json& step = steps[i];
    const bool lossy = step["lost"].get<std::uint64_t>() > 0;
    const bool behind = step["forwarded_pps"].get<double>() < 0.97 * step["offered_forward_pps"].get<double>();
    const bool busy = step["media_cpu_utilisation"].get<double>() >= 0.97;
    if (lossy || behind || busy) {
      saturated = i;
      break;
    }
  }
  std::size_t peak = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i]["forwarded_pps"].get<double>() > steps[peak]["forwarded_pps"].get<double>()) peak = i;
  }
  json result = {{"srtp_profile", profile_},
                 {"publishers", options_.publishers},
                 {"subscribers", options_.subscribers},
                 {"fanout", options_.subscribers},
                 {"packet_size", options_.packet_size},
                 {"verify_one_in", options_.verify_one_in},
                 {"steps", steps},
                 {"saturated_step", saturated < steps.size() ? json(saturated + 1) : json(nullptr)},
                 {"peak_step", peak + 1}};
  const json& top = steps[peak];
  std::uint64_t lost_below = 0;
  for (std::size_t i = 0; i < saturated && i < steps.size(); ++i) lost_below += steps[i]["lost"].get<std::uint64_t>();
  result["lost_below_saturation"] = lost_below;
  result["forwarded_pps_at_saturation"] = top["forwarded_pps"];
  result["media_cpu_s_per_1000_at_saturation"] = top["media_cpu_s_per_1000"];

  std::printf("\nSFU forwarding, one media worker (SRTP %s, %d publishers x %d subscribers):\n", profile_.c_str(),
              options_.publishers, options_.subscribers);
  std::printf("  saturation: %s\n", saturated < steps.size() ? ("step " + std::to_string(saturated + 1)).c_str()
                                                             : "not reached (raise --steps-kbps)");
  std::printf("  forwarded packets/s at saturation (peak, step %zu): %.0f\n", peak + 1,
              top["forwarded_pps"].get<double>());
  std::printf("  CPU-seconds per 1,000 forwarded packets (media thread, step %zu): %.5f (%.2f us per packet)\n",
              peak + 1, top["media_cpu_s_per_1000"].get<double>(), top["media_cpu_s_per_1000"].get<double>() * 1000);
  std::printf("  forwarding delay at step %zu: p50 %.0f us, p99 %.0f us\n", peak + 1, top["delay_p50_us"].get<double>(),
              top["delay_p99_us"].get<double>());
  if (saturated > 0) {
    const json& below = steps[saturated - 1];
    std::printf("  below saturation (step %zu, %.0f pkt/s): delay p50 %.0f us, p99 %.0f us; %.5f CPU-s per 1,000\n",
                saturated, below["forwarded_pps"].get<double>(), below["delay_p50_us"].get<double>(),
                below["delay_p99_us"].get<double>(), below["media_cpu_s_per_1000"].get<double>());
  }
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i]["loadgen_cpu_utilisation"].get<double>() >= 0.95) {
      std::printf(
          "  note: the load generator used its whole core at step %zu; from there on it, not the SFU, may be "
          "the limit\n",
          i + 1);
      result["loadgen_bound_step"] = i + 1;
      break;
    }
  }
  std::printf("  lost below saturation: %llu; at the peak: lost %llu, reordered %llu, duplicated %llu\n",
              static_cast<unsigned long long>(lost_below),
              static_cast<unsigned long long>(top["lost"].get<std::uint64_t>()),
              static_cast<unsigned long long>(top["reordered"].get<std::uint64_t>()),
              static_cast<unsigned long long>(top["duplicated"].get<std::uint64_t>()));

  if (!options_.floor.empty()) {
    std::ifstream file(options_.floor);
    const json floor = json::parse(file, nullptr, false);
    const double fanout = static_cast<double>(options_.subscribers);
    const double video_fraction = top["video_fraction"].get<double>();
    constexpr std::size_t kAudioPacketSize = kRtpHeaderSize + 8 + kAudioPayloadSize;
    const auto video = FloorNs(floor, profile_, options_.packet_size, fanout);
    const auto audio = FloorNs(floor, profile_, kAudioPacketSize, fanout);
    if (video && audio) {
      const double floor_ns = video_fraction * *video + (1 - video_fraction) * *audio;
      const double cost_ns = top["media_cpu_s_per_1000"].get<double>() * 1e6;
      result["floor_ns_per_packet"] = floor_ns;
      result["cost_ns_per_packet"] = cost_ns;
      result["cost_over_floor"] = cost_ns / floor_ns;
      std::printf("  floor per forwarded packet (loopback sendmmsg/recvmmsg + OpenSSL %s, fan-out %d): %.0f ns\n",
                  profile_.c_str(), options_.subscribers, floor_ns);
      std::printf("  our cost per forwarded packet: %.0f ns = %.2f x the floor\n", cost_ns, cost_ns / floor_ns);
    } else {
      std::printf("  floor: %s has no figures for %s at %zu and %zu bytes\n", options_.floor.c_str(), profile_.c_str(),
                  options_.packet_size, kAudioPacketSize);
    }
  }
  std::printf("RESULT %s\n", result.dump().c_str());
}

}  // namespace
}  // namespace egovbox::bench

int main(int argc, char** argv) {
  const auto options = egovbox::bench::ParseOptions(argc, argv);
  if (!options) return 2;
  egovbox::bench::LoadGenerator(*options).Run();
  return 0;
}
