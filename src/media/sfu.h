// The SFU engine's face to the rest of the server: rooms of participants whose
// published tracks are forwarded to every other participant of the room.
//
// The engine knows nothing of employees or meetings. A room is named by an
// opaque id; a participant carries an opaque `info` object (meetings puts the
// employee's id and name there) that the engine passes on to the others. The
// caller decides who may join (meetings checks the media capability first).
//
// Threads: each media worker owns one UDP socket and the rooms hashed to it,
// and runs everything about them (ICE, DTLS, SRTP, forwarding, signaling) on its
// own thread. Every public method is thread-safe and never blocks on media: it
// queues a command for the worker. What the engine has to say goes out through
// SfuObserver, called on a worker thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "media/media_kind.h"

namespace egovbox::media {

struct SfuOptions {
  std::string bind_address = "0.0.0.0";  // an IP literal or a name (resolved, IPv4 first)
  std::uint16_t first_port = 8443;       // 0: any free port per worker (tests)
  // The ICE-TCP listener (RFC 6544 passive candidate) of the first worker, the
  // next workers' upward; 0: each worker's UDP port number.
  std::uint16_t first_tcp_port = 0;
  std::size_t workers = 1;
  // The addresses offered to browsers as host candidates. Empty: the bind address,
  // or, for a wildcard bind, every address of the machine's interfaces.
  std::vector<std::string> announced_addresses;
  // The bitrate the SFU tells each video publisher it may send (REMB), bits/s.
  std::uint32_t max_video_bitrate = 1'500'000;
  // Last-N: in a room with more cameras, each participant receives the cameras of
  // this many most recent speakers (docs/media.md); 0: every camera.
  std::size_t last_n = 9;
};

// Called on worker threads; must be thread-safe and must not block.
class SfuObserver {
 public:
  virtual ~SfuObserver() = default;
  // A signaling message for one participant's tab.
  virtual void Deliver(const std::string& participant_id, const nlohmann::json& message) = 0;
  virtual void ParticipantJoined(const std::string& room_id, const std::string& participant_id,
                                 const nlohmann::json& info) = 0;
  // `reason`: "left" (asked), "closed" (the room was closed), "timeout" (no media
  // consent for 30 s), "failed" (DTLS failed).
  virtual void ParticipantLeft(const std::string& room_id, const std::string& participant_id,
                               const nlohmann::json& info, std::string_view reason) = 0;
};

struct SfuCounts {
  std::size_t rooms = 0;
  std::size_t participants = 0;
  std::size_t transports = 0;  // peer connections
};

class MediaWorker;

class Sfu {
 public:
  // Opens the workers' sockets and starts their threads; nullptr and `error` when a
  // socket or a certificate cannot be made.
  static std::unique_ptr<Sfu> Start(const SfuOptions& options, SfuObserver& observer, std::string* error);
  ~Sfu();  // stops the workers; every participant is dropped without events
  Sfu(const Sfu&) = delete;
  Sfu& operator=(const Sfu&) = delete;

  // A fresh random participant id.
  static std::string NewParticipantId();
  // Admits a participant into the room (made on first use). The participant gets
  // "media.joined"; the others "media.participant.joined". The caller makes the id
  // (NewParticipantId) so it can route the answer, which may come before Join returns.
  void Join(const std::string& room_id, const std::string& participant_id, nlohmann::json info);
  // A signaling message from the participant's tab: media.publish,
  // media.subscribe.answer or media.mute. An invalid one is answered "media.error".
  void HandleMessage(const std::string& participant_id, nlohmann::json message);
  // The participant leaves; `reason` reaches SfuObserver::ParticipantLeft ("left",
  // or what the caller says: "removed" by a host, "ended" for everyone).
  void Leave(const std::string& participant_id, std::string reason = "left");
  // A host mutes the participant's microphone or camera (Room::HostMute): its
  // packets stop at once and the participant gets media.muted.by.host.
  void HostMute(const std::string& participant_id, TrackSource source);
  // Every participant of the room leaves (reason "closed").
  void CloseRoom(const std::string& room_id);

  // The UDP ports of the workers, in order.
  std::vector<std::uint16_t> ports() const;
  // The workers' counts as of their last loop (never waits).
  SfuCounts Counts() const;
  // Prometheus text for /metrics: rooms, participants, transports, packets.
  std::string RenderMetrics() const;

 private:
  Sfu();
  struct Internals;
  MediaWorker& WorkerOfRoom(const std::string& room_id) const;
  MediaWorker* WorkerOfParticipant(const std::string& participant_id) const;

  std::unique_ptr<Internals> internals_;  // outlives the workers: declared first
  std::vector<std::unique_ptr<MediaWorker>> workers_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, MediaWorker*> worker_of_participant_;  // GUARDED_BY(mutex_)
};

}  // namespace egovbox::media
