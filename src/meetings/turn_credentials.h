// Time-limited TURN credentials for the page (coturn's "TURN REST API"
// convention, `use-auth-secret` in turnserver.conf): the username is
// "<expiry, Unix seconds>:<label>" and the password is
// base64(HMAC-SHA1(shared secret, username)). coturn recomputes the password
// from the username and the same secret and refuses a username whose expiry
// has passed, so nothing is stored and a leaked credential dies on its own.
//
// See docs/turn.md for the coturn side. Pure functions, safe from any thread.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::meetings {

struct TurnOptions {
  // "turns:turn.example.bg:443?transport=tcp", ...; empty: no TURN server.
  std::vector<std::string> urls;
  std::string secret;  // coturn's static-auth-secret
  std::chrono::seconds lifetime{std::chrono::hours(12)};

  bool enabled() const { return !urls.empty() && !secret.empty(); }
};

struct TurnCredentials {
  std::string username;
  std::string credential;
};

// Credentials valid until now + options.lifetime, for `label` (the participant;
// coturn logs it). A ':' in the label is replaced by '_' (coturn splits at the first).
TurnCredentials MakeTurnCredentials(const TurnOptions& options, std::string_view label,
                                    std::chrono::system_clock::time_point now);

// The value of media.joined's `ice_servers`, as RTCPeerConnection's iceServers
// takes it: [{"urls": [...], "username": ..., "credential": ...}]; [] when TURN
// is not configured.
nlohmann::json IceServers(const TurnOptions& options, std::string_view label,
                          std::chrono::system_clock::time_point now);

}  // namespace egovbox::meetings
