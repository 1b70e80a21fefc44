#include "app/config.h"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace egovbox::app {
namespace {

std::string EnvironmentName(const std::string& key) {
  std::string name = "EGOVBOX_" + key;
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
  return name;
}

std::string TomlValueText(const toml::node& node) {
  if (const auto* text = node.as_string()) return text->get();
  if (const auto* integer = node.as_integer()) return std::to_string(integer->get());
  if (const auto* boolean = node.as_boolean()) return boolean->get() ? "true" : "false";
  if (const auto* real = node.as_floating_point()) return std::to_string(real->get());
  throw ConfigError("unsupported value type");
}

class Layers {
 public:
  explicit Layers(const std::map<std::string, std::string>& flags) {
    for (const auto& setting : Settings()) values_[setting.key] = {setting.default_value, "default"};
    ReadFile(flags);
    for (const auto& setting : Settings()) {
      if (const char* value = std::getenv(EnvironmentName(setting.key).c_str())) {
        values_[setting.key] = {value, EnvironmentName(setting.key)};
      }
    }
    for (const auto& [key, value] : flags) {
      if (key != "config") Set(key, value, "--" + key);
    }
  }

  const std::string& Text(const std::string& key) const { return values_.at(key).first; }
  const std::string& Source(const std::string& key) const { return values_.at(key).second; }
  const std::filesystem::path& file() const { return file_; }

  std::int64_t Integer(const std::string& key, std::int64_t min, std::int64_t max) const {
    try {
      std::size_t used = 0;
      const std::int64_t value = std::stoll(Text(key), &used);
      if (used == Text(key).size() && value >= min && value <= max) return value;
    } catch (const std::exception&) {
    }
    throw ConfigError(key + " (" + Source(key) + "): \"" + Text(key) + "\" is not a whole number from " +
                      std::to_string(min) + " to " + std::to_string(max));
  }

  bool Boolean(const std::string& key) const {
    const std::string& text = Text(key);
    if (text == "true" || text == "1" || text == "yes") return true;
    if (text == "false" || text == "0" || text == "no") return false;
    throw ConfigError(key + " (" + Source(key) + "): \"" + text + "\" is not true or false");
  }

  std::chrono::milliseconds Duration(const std::string& key) const {
    try {
      return ParseDuration(key, Text(key));
    } catch (const ConfigError& error) {
      throw ConfigError(std::string(error.what()) + " (" + Source(key) + ")");
    }
  }

 private:
  void Set(const std::string& key, const std::string& value, const std::string& source) {
    if (!values_.count(key)) throw ConfigError("unknown setting \"" + key + "\" in " + source);
    values_[key] = {value, source};
  }

  void ReadFile(const std::map<std::string, std::string>& flags) {
    std::filesystem::path file;
    if (const auto flag = flags.find("config"); flag != flags.end()) {
      file = flag->second;
    } else if (const char* variable = std::getenv("EGOVBOX_CONFIG")) {
      file = variable;
    } else if (std::filesystem::exists("egovbox.toml")) {
      file = "egovbox.toml";
    } else {
      return;
    }
    toml::table table;
    try {
      table = toml::parse_file(file.string());
    } catch (const toml::parse_error& error) {
      throw ConfigError(file.string() + ": " + std::string(error.description()));
    }
    file_ = file;
    for (const auto& [key, node] : table) {
      try {
        Set(std::string(key.str()), TomlValueText(node), file.string());
      } catch (const ConfigError& error) {
        throw ConfigError(file.string() + ": " + std::string(key.str()) + ": " + error.what());
      }
    }
  }

  std::map<std::string, std::pair<std::string, std::string>> values_;  // key -> (value, source)
  std::filesystem::path file_;
};

std::filesystem::path FindWebRoot() {
  if (std::filesystem::exists("web/dist/index.html")) return std::filesystem::absolute("web/dist");
  std::error_code error;
  const auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    // build/<preset>/egovbox in a checkout; <prefix>/bin/egovbox when installed.
    for (const auto& candidate :
         {executable.parent_path() / "../../web/dist", executable.parent_path() / "../share/egovbox/web"}) {
      if (std::filesystem::exists(candidate / "index.html")) return std::filesystem::weakly_canonical(candidate);
    }
  }
  return "web/dist";
}

}  // namespace

// PDF, images, office documents (Microsoft and OpenDocument), plain text and CSV, and ZIP.
constexpr const char* kDefaultDocumentTypes =
    "application/pdf,image/png,image/jpeg,image/gif,image/webp,text/plain,text/csv,application/msword,"
    "application/vnd.ms-excel,application/vnd.ms-powerpoint,"
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,"
    "application/vnd.openxmlformats-officedocument.presentationml.presentation,"
    "application/vnd.oasis.opendocument.text,application/vnd.oasis.opendocument.spreadsheet,"
    "application/vnd.oasis.opendocument.presentation,application/zip";

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string item = text.substr(start, comma - start);
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) items.push_back(std::move(item));
    start = comma + 1;
  }
  return items;
}

const std::vector<SettingInfo>& Settings() {
  static const std::vector<SettingInfo> kSettings = {
      {"data_dir", "./data", "Directory for the database, TLS files and uploads; created on first start."},
      {"listen", "0.0.0.0:8443", "HTTPS address and port. Port 0 picks a free one (tests)."},
      {"media_port", "0", "UDP port of the first media worker; 0 means the same number as the HTTPS port."},
      {"media_workers", "0",
       "Media workers (threads, each with its own UDP port, media_port upward); 0: one per core."},
      {"media_tcp_port", "0",
       "TCP port of the first media worker's ICE-TCP listener, for browsers whose UDP is blocked (the next "
       "workers upward); 0: the media port numbers, or, when those include the HTTPS port, the numbers after the "
       "last media UDP port."},
      {"media_addresses", "",
       "Comma-separated IP addresses offered to browsers for media; empty: the listen address, or for 0.0.0.0 "
       "every address of this machine's interfaces."},
      {"media_max_video_bitrate", "1500000", "Bits per second each camera or screen may send (told by REMB)."},
      {"media_last_n", "9",
       "In a meeting with more cameras, each participant receives those of this many most recent speakers; 0: all."},
      {"turn_urls", "",
       "Comma-separated TURN URLs handed to browsers (e.g. turns:turn.example.bg:443?transport=tcp); empty: "
       "none. See docs/turn.md."},
      {"turn_secret", "", "coturn's static-auth-secret: time-limited TURN credentials are made from it."},
      {"turn_credential_lifetime", "12h", "How long the TURN credentials a browser gets stay valid."},
      {"demo", "true", "Create the demo organisation when the database has no employees (false in production)."},
      {"tls_certificate", "", "PEM certificate chain; empty: a self-signed one in <data_dir>/tls/."},
      {"tls_key", "", "PEM private key of tls_certificate."},
      {"web_root", "", "Directory of the built web app; empty: web/dist beside the binary's checkout."},
      {"session_idle_timeout", "1h", "A session ends after this long without a request."},
      {"session_absolute_timeout", "12h", "A session ends this long after sign-in in any case."},
      {"max_connections", "2000", "Open connections at most; more are closed at once."},
      {"max_header_bytes", "16384", "Largest request header (431 beyond it)."},
      {"max_body_bytes", "1048576", "Largest request body (413 beyond it)."},
      {"handshake_timeout", "10s", "Time for the TLS handshake."},
      {"idle_timeout", "60s", "Time a kept-alive connection may wait for its next request."},
      {"header_timeout", "10s", "Time for a whole request header to arrive once it has begun (slow-loris guard)."},
      {"body_timeout", "30s", "Time for a request body to arrive, and for a response to be written."},
      {"shutdown_grace", "10s", "On SIGTERM: how long requests in flight may take before the server stops anyway."},
      {"io_threads", "0", "Threads that move bytes; 0: one per core."},
      {"worker_threads", "0", "Threads that run requests (store, password hashing); 0: four per core."},
      {"public_url", "",
       "The address people use to reach the server, for links in e-mails and calendar feeds;"
       " empty: https://localhost:<port>."},
      {"smtp_url", "", "SMTP server for e-mail: smtp://host:port or smtps://host:port; empty: no e-mail."},
      {"smtp_user", "", "SMTP user name; empty: no authentication."},
      {"smtp_password", "", "SMTP password."},
      {"smtp_starttls", "false", "On smtp://, send only over STARTTLS."},
      {"smtp_verify_peer", "true", "Check the SMTP server's TLS certificate and name."},
      {"mail_from", "", "Sender address of e-mails; required with smtp_url."},
      {"mail_from_name", "eGov box", "Sender name of e-mails."},
      {"capability_ttl", "2m", "How long a media capability (the pass into a meeting's media) is valid."},
      {"call_ring_time", "30s", "How long a one-to-one call rings before it is missed."},
      {"oidc_code_ttl", "60s", "How long an OpenID Connect authorization code may wait to be exchanged."},
      {"reminder_interval", "5s", "How often due reminders are looked for."},
      {"ws_idle_timeout", "60s", "A silent WebSocket is pinged at half this time and closed after it."},
      {"ws_max_queued_bytes", "262144", "Bytes waiting to go to one WebSocket at most; a slower client is dropped."},
      {"documents_max_bytes", "209715200", "Largest file a document version may have (413 beyond it)."},
      {"documents_quota_bytes", "5368709120", "Bytes of document versions one person may upload in all."},
      {"documents_allowed_types", kDefaultDocumentTypes,
       "Comma-separated media types accepted as documents, told from the content; \"image/*\" and \"*/*\" work."},
      {"documents_key_file", "",
       "Key that encrypts documents at rest; empty: <data_dir>/keys/documents.key, made on first start."},
      {"clamd_address", "",
       "ClamAV daemon that scans every upload: a Unix socket path or tcp://host:port; empty: no scanning."},
      {"clamd_timeout", "60s", "How long one scan may take before clamd counts as unavailable."},
      {"clamd_retry_interval", "30s", "How often uploads waiting for an unavailable clamd are scanned again."},
      {"log_level", "info", "trace, debug, info, warn, error or off (to standard error)."},
      {"access_log", "stdout", "One JSON line per request: stdout, off, or a file path."},
  };
  return kSettings;
}

std::chrono::milliseconds ParseDuration(const std::string& key, const std::string& text) {
  // Digits with an optional fraction, then the unit. Only that: std::stod alone would
  // also take a sign, an exponent, hex, "inf" and "nan", and a huge value would not fit.
  const std::size_t used = text.find_first_not_of("0123456789.");
  const std::string number = text.substr(0, used);
  const std::string unit = used == std::string::npos ? std::string() : text.substr(used);
  double factor = 0;
  if (unit.empty() || unit == "s") factor = 1000;
  if (unit == "ms") factor = 1;
  if (unit == "m") factor = 60'000;
  if (unit == "h") factor = 3'600'000;
  double amount = -1;
  if (!number.empty() && number.find_first_of("0123456789") != std::string::npos &&
      std::count(number.begin(), number.end(), '.') <= 1) {
    // strtod, not std::stod: stod throws std::out_of_range for a number past a double's
    // range or one so small it underflows, where strtod returns HUGE_VAL (refused
    // below) or a value near 0.
    amount = std::strtod(number.c_str(), nullptr);
  }
  constexpr double kLongestMilliseconds = 1e15;  // about 30 000 years
  if (factor == 0 || amount < 0 || amount * factor > kLongestMilliseconds) {
    throw ConfigError(key + ": \"" + text + "\" is not a duration (e.g. 500ms, 30s, 15m, 2h)");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(amount * factor));
}

Config LoadConfig(const std::map<std::string, std::string>& flags) {
  const Layers layers(flags);
  Config config;
  config.config_file = layers.file();
  config.data_dir = layers.Text("data_dir");

  const std::string& listen = layers.Text("listen");
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw ConfigError("listen (" + layers.Source("listen") + "): expected HOST:PORT");
  config.listen_host = listen.substr(0, colon);
  // An IPv6 address goes in brackets ("[::1]:8443"); a host with a colon outside them
  // would leave it unclear where the address ends and the port begins.
  if (config.listen_host.size() >= 2 && config.listen_host.front() == '[' && config.listen_host.back() == ']') {
    config.listen_host = config.listen_host.substr(1, config.listen_host.size() - 2);
  } else if (config.listen_host.find_first_of("[]:") != std::string::npos) {
    throw ConfigError("listen (" + layers.Source("listen") + "): \"" + listen +
                      "\": write an IPv6 address in brackets, e.g. [::]:8443");
  }
  const std::string port_text = listen.substr(colon + 1);
  if (port_text.empty() || port_text.size() > 5 || port_text.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port_text) > 65535) {
    throw ConfigError("listen (" + layers.Source("listen") + "): \"" + listen + "\" has no valid port");
  }
  config.listen_port = static_cast<std::uint16_t>(std::stoi(port_text));
  const auto media_port = layers.Integer("media_port", 0, 65535);
  config.media_port = media_port == 0 ? config.listen_port : static_cast<std::uint16_t>(media_port);
  config.demo = layers.Boolean("demo");

  config.tls_certificate = layers.Text("tls_certificate");
  config.tls_key = layers.Text("tls_key");
  if (config.tls_certificate.empty() != config.tls_key.empty()) {
    throw ConfigError("tls_certificate and tls_key go together: set both or neither");
  }
  if (config.tls_certificate.empty()) {
    config.tls_certificate = config.data_dir / "tls" / "certificate.pem";
    config.tls_key = config.data_dir / "tls" / "key.pem";
  }
  config.web_root = layers.Text("web_root").empty() ? FindWebRoot() : std::filesystem::path(layers.Text("web_root"));

  config.session_idle_timeout_seconds = layers.Duration("session_idle_timeout").count() / 1000;
  config.session_absolute_timeout_seconds = layers.Duration("session_absolute_timeout").count() / 1000;
  if (config.session_idle_timeout_seconds < 1 || config.session_absolute_timeout_seconds < 1) {
    throw ConfigError("session timeouts must be at least one second");
  }
  config.max_connections = static_cast<std::size_t>(layers.Integer("max_connections", 1, 1'000'000));
  config.max_header_bytes = static_cast<std::size_t>(layers.Integer("max_header_bytes", 1024, 1 << 20));
  config.max_body_bytes = static_cast<std::size_t>(layers.Integer("max_body_bytes", 1024, 1LL << 40));
  config.handshake_timeout = layers.Duration("handshake_timeout");
  config.idle_timeout = layers.Duration("idle_timeout");
  config.header_timeout = layers.Duration("header_timeout");
  config.body_timeout = layers.Duration("body_timeout");
  config.shutdown_grace = layers.Duration("shutdown_grace");

  const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  config.io_threads = static_cast<int>(layers.Integer("io_threads", 0, 256));
  if (config.io_threads == 0) config.io_threads = cores;
  config.worker_threads = static_cast<int>(layers.Integer("worker_threads", 0, 1024));
  if (config.worker_threads == 0) config.worker_threads = 4 * cores;
  config.media_workers = static_cast<int>(layers.Integer("media_workers", 0, 64));
  if (config.media_workers == 0) config.media_workers = cores;
  // ICE-TCP cannot share a TCP port with the HTTPS server: when the UDP media
  // ports include the HTTPS port's number, it takes the numbers after them.
  const auto media_tcp_port = layers.Integer("media_tcp_port", 0, 65535);
  const bool https_among_media_ports = config.media_port != 0 && config.listen_port >= config.media_port &&
                                       config.listen_port < std::int64_t{config.media_port} + config.media_workers;
  if (media_tcp_port != 0) {
    config.media_tcp_port = static_cast<std::uint16_t>(media_tcp_port);
  } else if (https_among_media_ports) {
    const auto after = std::int64_t{config.media_port} + config.media_workers;
    if (after + config.media_workers - 1 > 65535) {
      throw ConfigError("media_tcp_port: the ports after media_port do not fit below 65536; set media_tcp_port");
    }
    config.media_tcp_port = static_cast<std::uint16_t>(after);
  }
  config.media_addresses = SplitList(layers.Text("media_addresses"));
  config.media_max_video_bitrate =
      static_cast<std::uint32_t>(layers.Integer("media_max_video_bitrate", 100'000, 50'000'000));
  config.media_last_n = static_cast<std::size_t>(layers.Integer("media_last_n", 0, 100));
  config.turn_urls = SplitList(layers.Text("turn_urls"));
  config.turn_secret = layers.Text("turn_secret");
  if (config.turn_urls.empty() != config.turn_secret.empty()) {
    throw ConfigError("turn_urls and turn_secret go together: set both or neither");
  }
  config.turn_credential_lifetime =
      std::chrono::duration_cast<std::chrono::seconds>(layers.Duration("turn_credential_lifetime"));
  if (config.turn_credential_lifetime < std::chrono::minutes(1)) {
    throw ConfigError("turn_credential_lifetime must be at least a minute");
  }

  config.public_url = layers.Text("public_url");
  while (!config.public_url.empty() && config.public_url.back() == '/') config.public_url.pop_back();
  config.mail.smtp_url = layers.Text("smtp_url");
  config.mail.smtp_user = layers.Text("smtp_user");
  config.mail.smtp_password = layers.Text("smtp_password");
  config.mail.smtp_starttls = layers.Boolean("smtp_starttls");
  config.mail.smtp_verify_peer = layers.Boolean("smtp_verify_peer");
  config.mail.from_address = layers.Text("mail_from");
  config.mail.from_name = layers.Text("mail_from_name");
  if (!config.mail.smtp_url.empty() && config.mail.from_address.empty()) {
    throw ConfigError("mail_from is required when smtp_url is set");
  }
  config.capability_ttl_seconds = std::max<std::int64_t>(1, layers.Duration("capability_ttl").count() / 1000);
  config.call_ring_seconds = std::max<std::int64_t>(1, layers.Duration("call_ring_time").count() / 1000);
  config.oidc_code_ttl_seconds = std::max<std::int64_t>(1, layers.Duration("oidc_code_ttl").count() / 1000);
  config.reminder_interval = std::max(std::chrono::milliseconds(100), layers.Duration("reminder_interval"));
  config.websocket_idle_timeout = std::max(std::chrono::milliseconds(1000), layers.Duration("ws_idle_timeout"));
  config.websocket_max_queued_bytes = static_cast<std::size_t>(layers.Integer("ws_max_queued_bytes", 4096, 1LL << 30));

  config.documents_max_bytes = static_cast<std::uint64_t>(layers.Integer("documents_max_bytes", 1, 1LL << 40));
  config.documents_quota_bytes = static_cast<std::uint64_t>(layers.Integer("documents_quota_bytes", 0, 1LL << 50));
  config.documents_allowed_types = SplitList(layers.Text("documents_allowed_types"));
  if (config.documents_allowed_types.empty()) throw ConfigError("documents_allowed_types must name at least one type");
  config.documents_key_file = layers.Text("documents_key_file").empty()
                                  ? config.data_dir / "keys" / "documents.key"
                                  : std::filesystem::path(layers.Text("documents_key_file"));
  config.clamd_address = layers.Text("clamd_address");
  config.clamd_timeout = std::max(std::chrono::milliseconds(100), layers.Duration("clamd_timeout"));
  config.clamd_retry_interval = std::max(std::chrono::milliseconds(100), layers.Duration("clamd_retry_interval"));

  config.log_level = layers.Text("log_level");
  static const std::vector<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
  if (std::find(kLevels.begin(), kLevels.end(), config.log_level) == kLevels.end()) {
    throw ConfigError("log_level (" + layers.Source("log_level") + "): \"" + config.log_level + "\" is not a level");
  }
  config.access_log = layers.Text("access_log");
  return config;
}

}  // namespace egovbox::app
