// A room: its participants, what each publishes, and who receives what. Holds
// the signaling rules of docs/media.md: the publish offer answered, the
// subscribe offers sent (one outstanding at a time, so the two sides never
// offer at once), tracks announced, mute states. Every participant subscribes
// to every track of the others (Last-N may pause a camera's forwarding: last_n.h).
//
// Owned by one media worker and used on its thread only. Messages to tabs and
// the wiring of connections to the socket go through RoomHost.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "media/last_n.h"
#include "media/participant.h"
#include "media/sdp_negotiation.h"

namespace egovbox::media {

// What a room needs from the worker that runs it.
class RoomHost {
 public:
  virtual ~RoomHost() = default;
  virtual void Deliver(const Participant& to, nlohmann::json message) = 0;
  // The ICE credentials are the connection's; the rest (fingerprint, candidates) the worker's.
  virtual LocalTransport LocalTransportOf(const PeerConnection& connection) const = 0;
  virtual const DtlsCertificate& certificate() const = 0;
  // Routes STUN for the connection's local ufrag (and then its address) to it.
  virtual void Register(PeerConnection& connection, Participant& owner) = 0;
  // An ICE restart: the connection gets new local credentials and is routed by them.
  virtual void RenewIceCredentials(PeerConnection& connection) = 0;
  // Sends close_notify and forgets the connection's routes.
  virtual void Unregister(PeerConnection& connection) = 0;
  // After the browser's SDP set the connection's remote parameters: as DTLS client,
  // the handshake may start now if ICE has already selected an address.
  virtual void RemoteParametersSet(PeerConnection& connection) = 0;
  // Asks the track's publisher for a keyframe (throttled by the worker).
  virtual void RequestKeyframe(Participant& publisher, PublishedTrack& track) = 0;
  virtual std::uint32_t NewSsrc() = 0;
};

class Room {
 public:
  Room(std::string id, RoomHost& host);
  ~Room();
  Room(const Room&) = delete;
  Room& operator=(const Room&) = delete;

  const std::string& id() const { return id_; }
  bool empty() const { return participants_.empty(); }
  const std::vector<std::unique_ptr<Participant>>& participants() const { return participants_; }

  Participant& Join(const std::string& participant_id, nlohmann::json info);
  // media.publish, media.subscribe.answer, media.mute; anything else or anything
  // invalid is answered with media.error and changes nothing.
  void HandleMessage(Participant& participant, const nlohmann::json& message);
  // Removes the participant; `participant` is destroyed on return.
  void Leave(Participant& participant);
  // A host mutes the participant's tracks of `source`: their packets are dropped
  // from now on (PublishedTrack::held), everyone gets media.tracks with them muted,
  // and the participant gets media.muted.by.host. The hold is the participant's
  // (Participant::held_sources): a track it publishes later from that source starts
  // held, until its media.mute {muted: false} (or a publish of the track unmuted).
  // False when nothing is published from that source yet.
  bool HostMute(Participant& participant, TrackSource source);

  // After a subscriber's connection became ready: its video needs keyframes.
  void SubscriberReady(Participant& subscriber);

  // Active speaker and Last-N (room_speakers.cc, docs/media.md). `last_n` 0: no limit.
  void SetLastN(std::size_t last_n);
  // On the worker's timer: the speaker decision (media.speaker, media.speaking)
  // and, when the speaker changed, which cameras each subscriber receives.
  void DetectSpeakers(std::chrono::steady_clock::time_point now);

 private:
  void Publish(Participant& participant, const nlohmann::json& message);
  void SubscribeAnswer(Participant& participant, const nlohmann::json& message);
  void RestartSubscribeIce(Participant& participant);
  void Mute(Participant& participant, const nlohmann::json& message);
  // Simulcast (room_simulcast.cc): media.layout, the tiles' sizes by mid; the
  // layers of a track made or updated from its section; whether a renegotiated
  // section still sends the track's streams.
  void Layout(Participant& participant, const nlohmann::json& message);
  static void SetSimulcast(PublishedTrack& track, const PublishedSection& section);
  static bool SameStreams(const PublishedSection& section, const PublishedTrack& track);
  void Refuse(Participant& participant, std::string_view request, std::string_view code, std::string_view detail);

  void ApplyPublishedSections(Participant& participant, const std::vector<PublishedSection>& sections,
                              const nlohmann::json& sources);
  static void SetCodec(PublishedTrack& track, const PublishedSection& section);
  PublishedTrack& AddTrack(Participant& publisher, const PublishedSection& section, TrackSource source);
  void RemoveTrack(Participant& publisher, PublishedTrack& track);
  void Subscribe(Participant& subscriber, Participant& publisher, PublishedTrack& track);
  void SendSubscribeOffer(Participant& subscriber);
  void AnnounceTracks(const Participant& publisher);

  nlohmann::json Describe(const Participant& participant) const;
  static nlohmann::json DescribeTrack(const PublishedTrack& track);
  void DeliverToOthers(const Participant& except, const nlohmann::json& message);

  // room_speakers.cc
  void JoinSpeakers(Participant& joined);
  void LeaveSpeakers(const Participant& leaving);
  // Last-N: every subscriber's camera sections on or off stage, media.off_stage
  // to those whose set changed.
  void UpdateStage();

  std::string id_;
  RoomHost& host_;
  std::vector<std::unique_ptr<Participant>> participants_;
  SpeakerDetector speakers_;
  // The most recent dominant speaker first; those who never spoke after, as they came.
  std::vector<const Participant*> speaker_order_;
  std::size_t last_n_ = kDefaultLastN;
};

}  // namespace egovbox::media
