#include "media/room.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>
#include <variant>

#include "crypto/random.h"
#include "media/rtp_packet.h"

namespace egovbox::media {

using nlohmann::json;

namespace {

// Never negotiated toward subscribers: an extension renamed to it is ignored.
constexpr std::uint8_t kIgnoredExtensionId = kRtpFallbackExtensionId;

std::uint8_t SubscriberPayloadType(const RtpCodec& codec) {
  if (codec.name == "opus") return kSubscribeOpusPayloadType;
  if (codec.name == "H264") return kSubscribeH264PayloadType;
  return kSubscribeVp8PayloadType;
}

std::uint8_t SubscriberExtensionId(std::string_view uri) {
  if (uri == kExtensionAudioLevel) return kSubscribeAudioLevelId;
  if (uri == kExtensionAbsSendTime) return kSubscribeAbsSendTimeId;
  return kIgnoredExtensionId;
}

const json* Field(const json& message, const char* name, json::value_t type) {
  const auto found = message.find(name);
  if (found == message.end() || found->type() != type) return nullptr;
  return &*found;
}

std::uint64_t RandomSessionId() {
  std::uint64_t id = 0;
  const std::string bytes = crypto::RandomBytes(sizeof id);
  std::memcpy(&id, bytes.data(), sizeof id);
  return id >> 2;  // RFC 8866 §5.2: a numeric string; keep it well inside 63 bits
}

// The browser's offer or answer names other ICE credentials than the ones the
// connection has: it restarted ICE (RFC 8445 §9).
bool IsIceRestart(const PeerConnection& connection, const std::string& remote_ufrag) {
  const std::string& known = connection.ice().remote_ufrag();
  return !known.empty() && !remote_ufrag.empty() && remote_ufrag != known;
}

}  // namespace

Room::Room(std::string id, RoomHost& host) : id_(std::move(id)), host_(host) {}

Room::~Room() {
  while (!participants_.empty()) Leave(*participants_.back());
}

Participant& Room::Join(const std::string& participant_id, json info) {
  auto owned = std::make_unique<Participant>();
  Participant& joined = *owned;
  joined.id = participant_id;
  joined.room_id = id_;
  joined.info = std::move(info);
  joined.sdp_session_id = RandomSessionId();

  json others = json::array();
  for (const auto& other : participants_) others.push_back(Describe(*other));
  participants_.push_back(std::move(owned));
  host_.Deliver(joined, {{"type", "media.joined"}, {"participant_id", joined.id}, {"participants", std::move(others)}});
  DeliverToOthers(joined, {{"type", "media.participant.joined"}, {"participant", Describe(joined)}});

  for (const auto& other : participants_) {
    if (other.get() == &joined) continue;
    for (const auto& track : other->tracks) Subscribe(joined, *other, *track);
  }
  SendSubscribeOffer(joined);
  JoinSpeakers(joined);
  return joined;
}

void Room::HandleMessage(Participant& participant, const json& message) {
  const json* type = Field(message, "type", json::value_t::string);
  const std::string request = type ? type->get<std::string>() : std::string();
  if (request == "media.publish") return Publish(participant, message);
  if (request == "media.subscribe.answer") return SubscribeAnswer(participant, message);
  if (request == "media.mute") return Mute(participant, message);
  if (request == "media.subscribe.restart") return RestartSubscribeIce(participant);
  if (request == "media.layout") return Layout(participant, message);
  Refuse(participant, request, "unknown-message", "This message is not part of media signaling.");
}

void Room::Leave(Participant& participant) {
  LeaveSpeakers(participant);
  const bool had_tracks = !participant.tracks.empty();
  while (!participant.tracks.empty()) RemoveTrack(participant, *participant.tracks.back());
  if (had_tracks) AnnounceTracks(participant);
  // Stop receiving: the tracks it subscribed to forget its sections.
  for (const auto& section : participant.sections) {
    if (section->track == nullptr) continue;
    auto& subscribers = section->track->subscribers;
    std::erase(subscribers, section.get());
  }
  if (participant.publish) host_.Unregister(*participant.publish);
  if (participant.subscribe) host_.Unregister(*participant.subscribe);
  const std::string id = participant.id;
  std::erase_if(participants_, [&](const auto& p) { return p.get() == &participant; });
  for (const auto& other : participants_) {
    host_.Deliver(*other, {{"type", "media.participant.left"}, {"participant_id", id}});
    // One offer for all the tracks that went (RemoveTrack only marks it needed).
    if (other->offer_needed) SendSubscribeOffer(*other);
  }
}

void Room::SubscriberReady(Participant& subscriber) {
  for (const auto& section : subscriber.sections) {
    if (section->track && section->negotiated && section->kind == MediaKind::kVideo) {
      host_.RequestKeyframe(*section->publisher, *section->track);
    }
  }
}

void Room::Refuse(Participant& participant, std::string_view request, std::string_view code, std::string_view detail) {
  host_.Deliver(participant, {{"type", "media.error"}, {"request", request}, {"code", code}, {"detail", detail}});
}

// ---------------------------------------------------------------------------
// Publishing

void Room::Publish(Participant& participant, const json& message) {
  const json* sdp = Field(message, "sdp", json::value_t::string);
  const json* tracks = Field(message, "tracks", json::value_t::array);
  if (sdp == nullptr || tracks == nullptr) {
    return Refuse(participant, "media.publish", "invalid-message", "media.publish needs sdp and tracks.");
  }
  // mid → source, checked before anything changes.
  json sources = json::object();
  for (const auto& entry : *tracks) {
    const json* mid = entry.is_object() ? Field(entry, "mid", json::value_t::string) : nullptr;
    const json* source = entry.is_object() ? Field(entry, "source", json::value_t::string) : nullptr;
    if (mid == nullptr || source == nullptr || !TrackSourceFromName(source->get<std::string>())) {
      return Refuse(participant, "media.publish", "invalid-message",
                    "Each track needs a mid and a source (microphone, camera or screen).");
    }
    const json* muted = Field(entry, "muted", json::value_t::boolean);
    sources[mid->get<std::string>()] = {{"source", *source}, {"muted", muted ? muted->get<bool>() : false}};
  }

  const bool first = participant.publish == nullptr;
  auto connection = first ? std::make_unique<PeerConnection>(host_.certificate()) : nullptr;
  PeerConnection& publish = first ? *connection : *participant.publish;
  auto outcome = AnswerPublishOffer(sdp->get<std::string>(), host_.LocalTransportOf(publish),
                                    participant.sdp_session_id, participant.publish_answers + 1);
  if (const auto* error = std::get_if<SdpError>(&outcome)) {
    return Refuse(participant, "media.publish", error->code, error->detail);
  }
  const auto& offered = std::get<PublishNegotiation>(outcome);
  std::array<bool, 3> source_taken{};  // one microphone, one camera, one screen per tab
  for (const auto& section : offered.sections) {
    if (!section.sending) continue;
    const auto source = sources.find(section.mid);
    const auto named =
        source == sources.end() ? std::nullopt : TrackSourceFromName((*source)["source"].get<std::string>());
    if (!named || KindOfSource(*named) != section.kind) {
      return Refuse(participant, "media.publish", "invalid-message",
                    "Every sending m-section needs its source in tracks, of the same kind.");
    }
    if (std::exchange(source_taken[static_cast<std::size_t>(*named)], true)) {
      return Refuse(participant, "media.publish", "invalid-message", "Each source may be sent once.");
    }
  }

  if (first) {
    participant.publish = std::move(connection);
    host_.Register(*participant.publish, participant);
  } else if (IsIceRestart(publish, offered.remote_ufrag)) {
    // RFC 8839 §4.4.1.1.1: an offer with new credentials restarts ICE, and the
    // answer must carry new ones too. The offer was checked above, so this answer
    // is made from the same SDP and cannot fail.
    host_.RenewIceCredentials(publish);
    outcome = AnswerPublishOffer(sdp->get<std::string>(), host_.LocalTransportOf(publish), participant.sdp_session_id,
                                 participant.publish_answers + 1);
    if (const auto* error = std::get_if<SdpError>(&outcome)) {
      return Refuse(participant, "media.publish", error->code, error->detail);
    }
  }
  auto& negotiation = std::get<PublishNegotiation>(outcome);
  ++participant.publish_answers;
  participant.publish->SetRemoteParameters(negotiation.remote_ufrag, negotiation.remote_pwd,
                                           negotiation.remote_fingerprint, negotiation.local_role);
  host_.RemoteParametersSet(*participant.publish);
  host_.Deliver(participant, {{"type", "media.publish.answer"}, {"sdp", std::move(negotiation.answer_sdp)}});
  ApplyPublishedSections(participant, negotiation.sections, sources);
}

void Room::ApplyPublishedSections(Participant& participant, const std::vector<PublishedSection>& sections,
                                  const json& sources) {
  bool changed = false;
  // Tracks whose m-section stopped sending (or changed its stream) go.
  for (std::size_t i = participant.tracks.size(); i-- > 0;) {
    PublishedTrack& track = *participant.tracks[i];
    const auto section =
        std::find_if(sections.begin(), sections.end(), [&](const auto& s) { return s.mid == track.mid; });
    const bool same = section != sections.end() && section->sending && SameStreams(*section, track);
    if (!same) {
      RemoveTrack(participant, track);
      changed = true;
    }
  }
  for (const auto& section : sections) {
    if (!section.sending || (section.ssrcs.empty() && section.rids.empty())) continue;
    const auto existing = std::find_if(participant.tracks.begin(), participant.tracks.end(),
                                       [&](const auto& t) { return t->mid == section.mid; });
    const auto& entry = sources.at(section.mid);
    const bool muted = entry.at("muted").get<bool>();
    if (existing != participant.tracks.end()) {
      if ((*existing)->muted != muted) changed = true;
      (*existing)->muted = muted;
      // Unmuted by the publisher: a host's hold ends.
      if (!muted) {
        (*existing)->held = false;
        participant.held_sources[static_cast<std::size_t>((*existing)->source)] = false;
      }
      SetCodec(**existing, section);  // a renegotiation may change payload types or extension ids
      continue;
    }
    PublishedTrack& track = AddTrack(participant, section, *TrackSourceFromName(entry.at("source").get<std::string>()));
    track.muted = muted || track.held;  // a host's hold outlasts the publish's own flag
    changed = true;
  }
  if (!changed) return;
  AnnounceTracks(participant);
  for (const auto& other : participants_) {
    if (other.get() != &participant) SendSubscribeOffer(*other);
  }
}

void Room::SetCodec(PublishedTrack& track, const PublishedSection& section) {
  track.payload_type = section.codec.payload_type;
  track.out_payload_type = SubscriberPayloadType(section.codec);
  track.clock_rate = section.codec.clock_rate;
  track.extension_ids.fill(kIgnoredExtensionId);
  track.extension_ids[0] = 0;
  track.audio_level_id = 0;
  for (const auto& extension : section.extensions) {
    track.extension_ids[extension.id] = SubscriberExtensionId(extension.uri);
    if (extension.uri == kExtensionAudioLevel) track.audio_level_id = extension.id;
  }
  // Loss and recovery (docs/media.md): video is kept for NACKs and its gaps NACKed.
  track.rtx_payload_type = section.codec.rtx_payload_type;
  track.rtx_ssrc = section.codec.rtx_payload_type != 0 ? section.rtx_ssrc : 0;
  track.nack =
      std::find(section.codec.rtcp_fb.begin(), section.codec.rtcp_fb.end(), "nack") != section.codec.rtcp_fb.end();
  if (section.kind == MediaKind::kVideo && !track.retransmissions) {
    track.retransmissions = std::make_unique<RetransmissionBuffer>();
    track.losses = std::make_unique<LossTracker>();
  }
  SetSimulcast(track, section);
}

PublishedTrack& Room::AddTrack(Participant& publisher, const PublishedSection& section, TrackSource source) {
  auto track = std::make_unique<PublishedTrack>();
  track->track_id = publisher.id + "-" + section.mid;
  track->mid = section.mid;
  track->kind = section.kind;
  track->source = source;
  track->ssrc = section.ssrcs.empty() ? 0 : section.ssrcs.front();  // 0: simulcast, its layers learn theirs
  // A source a host muted (before this track was published too) starts held.
  track->held = publisher.held_sources[static_cast<std::size_t>(source)];
  SetCodec(*track, section);
  PublishedTrack& added = *track;
  publisher.tracks.push_back(std::move(track));
  for (const auto& other : participants_) {
    if (other.get() != &publisher) Subscribe(*other, publisher, added);
  }
  return added;
}

// The caller announces the publisher's tracks and sends the subscribers' offers
// once, after all its changes: one offer per change, not one per removed track.
void Room::RemoveTrack(Participant& publisher, PublishedTrack& track) {
  for (SubscribeSection* section : track.subscribers) {
    section->track = nullptr;
    section->publisher = nullptr;
    section->negotiated = false;
    section->subscriber->offer_needed = true;
  }
  std::erase_if(publisher.tracks, [&](const auto& t) { return t.get() == &track; });
}

void Room::Mute(Participant& participant, const json& message) {
  const json* source_name = Field(message, "source", json::value_t::string);
  const json* muted = Field(message, "muted", json::value_t::boolean);
  const auto source = source_name ? TrackSourceFromName(source_name->get<std::string>()) : std::nullopt;
  if (!source || muted == nullptr) {
    return Refuse(participant, "media.mute", "invalid-message", "media.mute needs a source and muted.");
  }
  // The participant unmutes: a host's hold ends, published or not.
  if (!muted->get<bool>()) participant.held_sources[static_cast<std::size_t>(*source)] = false;
  bool found = false;
  for (const auto& track : participant.tracks) {
    if (track->source != *source) continue;
    track->muted = muted->get<bool>();
    if (!track->muted) track->held = false;  // the participant unmutes: a host's hold ends
    found = true;
  }
  if (!found) return Refuse(participant, "media.mute", "no-such-track", "Nothing is published from this source.");
  AnnounceTracks(participant);
}

bool Room::HostMute(Participant& participant, TrackSource source) {
  participant.held_sources[static_cast<std::size_t>(source)] = true;  // for a track published later too
  bool found = false;
  for (const auto& track : participant.tracks) {
    if (track->source != source) continue;
    track->muted = true;
    track->held = true;
    found = true;
  }
  host_.Deliver(participant, {{"type", "media.muted.by.host"}, {"source", TrackSourceName(source)}});
  if (found) AnnounceTracks(participant);
  return found;
}

void Room::AnnounceTracks(const Participant& publisher) {
  json tracks = json::array();
  for (const auto& track : publisher.tracks) tracks.push_back(DescribeTrack(*track));
  const json message = {{"type", "media.tracks"}, {"participant_id", publisher.id}, {"tracks", tracks}};
  for (const auto& other : participants_) host_.Deliver(*other, message);
  UpdateStage();  // a camera came, went, or was turned on or off
}

// ---------------------------------------------------------------------------
// Subscribing

void Room::Subscribe(Participant& subscriber, Participant& publisher, PublishedTrack& track) {
  // An inactive m-section of the same kind is reused; its mid stays.
  auto reusable = std::find_if(subscriber.sections.begin(), subscriber.sections.end(),
                               [&](const auto& s) { return s->track == nullptr && s->kind == track.kind; });
  SubscribeSection* section = nullptr;
  if (reusable != subscriber.sections.end()) {
    section = reusable->get();
  } else {
    auto added = std::make_unique<SubscribeSection>();
    added->mid = std::to_string(subscriber.sections.size());
    added->kind = track.kind;
    added->subscriber = &subscriber;
    section = added.get();
    subscriber.sections.push_back(std::move(added));
  }
  section->ssrc = host_.NewSsrc();
  section->rewriter = StreamRewriter(section->ssrc);
  section->rtx_ssrc = track.kind == MediaKind::kVideo ? host_.NewSsrc() : 0;
  section->rtx = false;
  section->resends = ResendThrottle();
  section->simulcast = SimulcastForwarding();
  section->track = &track;
  section->publisher = &publisher;
  section->negotiated = false;
  track.subscribers.push_back(section);
}

void Room::SendSubscribeOffer(Participant& subscriber) {
  if (subscriber.sections.empty()) return;
  if (subscriber.offer_outstanding) {
    subscriber.offer_needed = true;
    return;
  }
  if (!subscriber.subscribe) {
    subscriber.subscribe = std::make_unique<PeerConnection>(host_.certificate());
    host_.Register(*subscriber.subscribe, subscriber);
  }
  if (std::exchange(subscriber.subscribe_ice_restart, false)) host_.RenewIceCredentials(*subscriber.subscribe);
  std::vector<SubscribedSection> offered;
  json tracks = json::array();
  for (const auto& section : subscriber.sections) {
    SubscribedSection described;
    described.mid = section->mid;
    described.kind = section->kind;
    described.active = section->track != nullptr;
    described.ssrc = section->ssrc;
    described.rtx_ssrc = section->rtx_ssrc;
    if (section->track) {
      described.cname = section->publisher->id;
      described.stream_id = section->publisher->id;
      described.track_id = section->track->track_id;
      tracks.push_back({{"mid", section->mid},
                        {"participant_id", section->publisher->id},
                        {"track_id", section->track->track_id},
                        {"kind", MediaKindName(section->kind)},
                        {"source", TrackSourceName(section->track->source)}});
    }
    offered.push_back(std::move(described));
    section->offered_ssrc = section->track ? section->ssrc : 0;
  }
  subscriber.offered_sections = subscriber.sections.size();
  ++subscriber.offer_version;
  subscriber.offer_outstanding = true;
  subscriber.offer_needed = false;
  std::string sdp = BuildSubscribeOffer(host_.LocalTransportOf(*subscriber.subscribe), subscriber.sdp_session_id,
                                        subscriber.offer_version, offered);
  host_.Deliver(subscriber, {{"type", "media.subscribe.offer"},
                             {"version", subscriber.offer_version},
                             {"sdp", std::move(sdp)},
                             {"tracks", std::move(tracks)}});
}

// The tab lost its subscribe connection's path (docs/media.md, Reconnecting): the
// next offer, at once or after the outstanding one is answered, restarts ICE.
void Room::RestartSubscribeIce(Participant& participant) {
  if (!participant.subscribe) {
    return Refuse(participant, "media.subscribe.restart", "nothing-to-restart",
                  "There is no subscribe connection yet.");
  }
  participant.subscribe_ice_restart = true;
  SendSubscribeOffer(participant);
}

void Room::SubscribeAnswer(Participant& participant, const json& message) {
  const json* sdp = Field(message, "sdp", json::value_t::string);
  const json* version = message.contains("version") && message["version"].is_number_integer() && message["version"] >= 0
                            ? &message["version"]
                            : nullptr;
  if (sdp == nullptr || version == nullptr) {
    return Refuse(participant, "media.subscribe.answer", "invalid-message",
                  "media.subscribe.answer needs sdp and version.");
  }
  if (!participant.offer_outstanding || version->get<std::uint64_t>() != participant.offer_version) {
    return Refuse(participant, "media.subscribe.answer", "stale-answer", "This answer is not for the latest offer.");
  }
  // The answer is to the sections as they were offered: sections added since are
  // not in it, and a section whose track changed since waits for the next answer.
  std::vector<SubscribedSection> offered;
  for (std::size_t i = 0; i < participant.offered_sections; ++i) {
    const SubscribeSection& section = *participant.sections[i];
    SubscribedSection described;
    described.mid = section.mid;
    described.kind = section.kind;
    described.active = section.offered_ssrc != 0;
    described.ssrc = section.offered_ssrc;
    offered.push_back(std::move(described));
  }
  auto outcome = ReadSubscribeAnswer(sdp->get<std::string>(), offered);
  if (const auto* error = std::get_if<SdpError>(&outcome)) {
    return Refuse(participant, "media.subscribe.answer", error->code, error->detail);
  }
  const auto& negotiation = std::get<SubscribeNegotiation>(outcome);
  participant.subscribe->SetRemoteParameters(negotiation.remote_ufrag, negotiation.remote_pwd,
                                             negotiation.remote_fingerprint, negotiation.local_role);
  host_.RemoteParametersSet(*participant.subscribe);
  participant.offer_outstanding = false;
  for (const auto& section : participant.sections) {
    const bool accepted = std::find(negotiation.accepted_mids.begin(), negotiation.accepted_mids.end(), section->mid) !=
                          negotiation.accepted_mids.end();
    const bool current = section->track != nullptr && section->offered_ssrc == section->ssrc;
    const bool newly = accepted && current && !section->negotiated;
    section->negotiated = accepted && current;
    const std::pair<std::string, std::uint8_t> rtx{
        section->mid, section->track ? SubscribeRtxPayloadType(section->track->out_payload_type) : 0};
    section->rtx = section->negotiated &&
                   std::find(negotiation.rtx_payload_types.begin(), negotiation.rtx_payload_types.end(), rtx) !=
                       negotiation.rtx_payload_types.end();
    if (newly && section->kind == MediaKind::kVideo && participant.subscribe->media_ready()) {
      host_.RequestKeyframe(*section->publisher, *section->track);
    }
  }
  if (participant.offer_needed) SendSubscribeOffer(participant);
}

// ---------------------------------------------------------------------------
// Descriptions for the signaling

json Room::DescribeTrack(const PublishedTrack& track) {
  return {{"track_id", track.track_id},
          {"kind", MediaKindName(track.kind)},
          {"source", TrackSourceName(track.source)},
          {"muted", track.muted}};
}

json Room::Describe(const Participant& participant) const {
  json tracks = json::array();
  for (const auto& track : participant.tracks) tracks.push_back(DescribeTrack(*track));
  json described = participant.info.is_object() ? participant.info : json::object();
  described["participant_id"] = participant.id;
  described["tracks"] = std::move(tracks);
  return described;
}

void Room::DeliverToOthers(const Participant& except, const json& message) {
  for (const auto& other : participants_) {
    if (other.get() != &except) host_.Deliver(*other, message);
  }
}

}  // namespace egovbox::media
