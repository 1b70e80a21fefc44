// A room: its participants, what each publishes, and who receives what. Holds
// the signaling rules of docs/media.md: the publish offer answered, the
// subscribe offers sent (one outstanding at a time, so the two sides never
// offer at once), tracks announced, mute states. Every participant subscribes
// to every track of the others.
//
// Owned by one media worker and used on its thread only. Messages to tabs and
// the wiring of connections to the socket go through RoomHost.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

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

  // After a subscriber's connection became ready: its video needs keyframes.
  void SubscriberReady(Participant& subscriber);

 private:
  void Publish(Participant& participant, const nlohmann::json& message);
  void SubscribeAnswer(Participant& participant, const nlohmann::json& message);
  void Mute(Participant& participant, const nlohmann::json& message);
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

  std::string id_;
  RoomHost& host_;
  std::vector<std::unique_ptr<Participant>> participants_;
};

}  // namespace egovbox::media
