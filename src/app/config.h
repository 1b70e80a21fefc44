// Configuration: defaults < egovbox.toml < EGOVBOX_* environment < command-line
// flags. Every key, its default and its meaning are in docs/configuration.md and
// in Settings() below; keep the two the same.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "notify/mail_settings.h"

namespace egovbox::app {

struct SettingInfo {
  std::string key;            // "session_idle_timeout"; environment: EGOVBOX_SESSION_IDLE_TIMEOUT
  std::string default_value;  // as text
  std::string description;
};

const std::vector<SettingInfo>& Settings();

struct Config {
  std::filesystem::path config_file;  // the file read, if any
  std::filesystem::path data_dir;
  std::string listen_host;
  std::uint16_t listen_port = 8443;
  std::uint16_t media_port = 8443;
  int media_workers = 0;
  std::uint16_t media_tcp_port = 0;    // ICE-TCP of the first worker; 0: each worker's UDP port number
  std::vector<std::string> turn_urls;  // handed to browsers with time-limited credentials (docs/turn.md)
  std::string turn_secret;
  std::chrono::seconds turn_credential_lifetime{std::chrono::hours(12)};
  std::vector<std::string> media_addresses;  // offered to browsers; empty: chosen from the listen address
  std::uint32_t media_max_video_bitrate = 0;
  std::size_t media_last_n = 9;  // Last-N: cameras received per participant; 0: all
  bool demo = true;
  std::filesystem::path tls_certificate;
  std::filesystem::path tls_key;
  std::filesystem::path web_root;
  std::int64_t session_idle_timeout_seconds = 0;
  std::int64_t session_absolute_timeout_seconds = 0;
  std::size_t max_connections = 0;
  std::size_t max_header_bytes = 0;
  std::size_t max_body_bytes = 0;
  std::chrono::milliseconds handshake_timeout{};
  std::chrono::milliseconds idle_timeout{};
  std::chrono::milliseconds header_timeout{};
  std::chrono::milliseconds body_timeout{};
  std::chrono::milliseconds shutdown_grace{};
  int io_threads = 0;
  int worker_threads = 0;
  std::string public_url;  // "https://host:port" as people reach the server; empty: https://localhost:<bound port>
  notify::MailSettings mail;
  std::int64_t capability_ttl_seconds = 0;
  std::int64_t call_ring_seconds = 0;
  std::int64_t oidc_code_ttl_seconds = 0;
  std::chrono::milliseconds reminder_interval{};
  std::chrono::milliseconds websocket_idle_timeout{};
  std::size_t websocket_max_queued_bytes = 0;
  std::uint64_t documents_max_bytes = 0;
  std::uint64_t documents_quota_bytes = 0;
  std::vector<std::string> documents_allowed_types;
  std::filesystem::path documents_key_file;
  std::string clamd_address;  // empty: uploads are not scanned
  std::chrono::milliseconds clamd_timeout{};
  std::chrono::milliseconds clamd_retry_interval{};
  std::string log_level;
  std::string access_log;  // "stdout", "off" or a file path

  std::filesystem::path database_file() const { return data_dir / "egovbox.db"; }
};

// A bad value, named with its key and where it came from.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `flags` holds the values given on the command line, by key. The file is
// flags["config"], else EGOVBOX_CONFIG, else ./egovbox.toml when it exists.
Config LoadConfig(const std::map<std::string, std::string>& flags);

// "90", "90s", "500ms", "15m", "2h" -> milliseconds. Throws ConfigError.
std::chrono::milliseconds ParseDuration(const std::string& key, const std::string& text);

}  // namespace egovbox::app
