#include "app/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <thread>

#include "temporary_directory.h"

namespace egovbox::app {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

// Runs each test in an empty directory (no ./egovbox.toml) with no EGOVBOX_*
// variable set, and puts both back afterwards.
class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<std::string> names = {"EGOVBOX_CONFIG"};
    for (const auto& setting : Settings()) {
      std::string name = "EGOVBOX_" + setting.key;
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      names.push_back(name);
    }
    for (const auto& name : names) {
      if (const char* value = std::getenv(name.c_str())) saved_environment_[name] = value;
      unsetenv(name.c_str());
    }
    previous_directory_ = std::filesystem::current_path();
    std::filesystem::current_path(directory_.path());
  }

  void TearDown() override {
    std::filesystem::current_path(previous_directory_);
    for (const auto& name : set_by_test_) unsetenv(name.c_str());
    for (const auto& [name, value] : saved_environment_) setenv(name.c_str(), value.c_str(), 1);
  }

  void SetEnvironment(const std::string& name, const std::string& value) {
    setenv(name.c_str(), value.c_str(), 1);
    set_by_test_.push_back(name);
  }

  std::filesystem::path WriteFile(const std::string& name, const std::string& content) {
    const auto file = directory_.path() / name;
    std::ofstream(file) << content;
    return file;
  }

  // The message of the ConfigError that loading with these flags throws.
  static std::string ErrorOf(const std::map<std::string, std::string>& flags) {
    try {
      LoadConfig(flags);
    } catch (const ConfigError& error) {
      return error.what();
    }
    return "(no ConfigError)";
  }

  unit_test::TemporaryDirectory directory_;
  std::filesystem::path previous_directory_;
  std::map<std::string, std::string> saved_environment_;
  std::vector<std::string> set_by_test_;
};

TEST_F(ConfigTest, DefaultsWithoutFileEnvironmentOrFlags) {
  const Config config = LoadConfig({});
  EXPECT_TRUE(config.config_file.empty());
  EXPECT_EQ(config.data_dir.string(), "./data");
  EXPECT_EQ(config.database_file().string(), "./data/egovbox.db");
  EXPECT_EQ(config.listen_host, "0.0.0.0");
  EXPECT_EQ(config.listen_port, 8443);
  EXPECT_EQ(config.media_port, 8443);  // 0 means the HTTPS port
  EXPECT_TRUE(config.demo);
  EXPECT_EQ(config.tls_certificate.string(), "./data/tls/certificate.pem");
  EXPECT_EQ(config.tls_key.string(), "./data/tls/key.pem");
  EXPECT_EQ(config.session_idle_timeout_seconds, 3600);
  EXPECT_EQ(config.session_absolute_timeout_seconds, 12 * 3600);
  EXPECT_EQ(config.max_connections, 2000U);
  EXPECT_EQ(config.max_header_bytes, 16384U);
  EXPECT_EQ(config.max_body_bytes, 1048576U);
  EXPECT_EQ(config.handshake_timeout, milliseconds(10000));
  EXPECT_EQ(config.idle_timeout, milliseconds(60000));
  EXPECT_EQ(config.header_timeout, milliseconds(10000));
  EXPECT_EQ(config.body_timeout, milliseconds(30000));
  EXPECT_EQ(config.shutdown_grace, milliseconds(10000));
  const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  EXPECT_EQ(config.io_threads, cores);
  EXPECT_EQ(config.worker_threads, 4 * cores);
  EXPECT_EQ(config.log_level, "info");
  EXPECT_EQ(config.access_log, "stdout");
}

TEST_F(ConfigTest, EverySettingHasAUniqueKeyAndADescription) {
  std::set<std::string> keys;
  for (const auto& setting : Settings()) {
    EXPECT_TRUE(keys.insert(setting.key).second) << setting.key;
    EXPECT_FALSE(setting.description.empty()) << setting.key;
  }
}

TEST_F(ConfigTest, ReadsTheFileNamedByTheConfigFlag) {
  const auto file = WriteFile("site.toml",
                              "listen = \"127.0.0.1:9443\"\n"
                              "max_connections = 100\n"
                              "demo = false\n"
                              "session_idle_timeout = \"15m\"\n"
                              "data_dir = \"/var/lib/egovbox\"\n");
  const Config config = LoadConfig({{"config", file.string()}});
  EXPECT_EQ(config.config_file.string(), file.string());
  EXPECT_EQ(config.listen_host, "127.0.0.1");
  EXPECT_EQ(config.listen_port, 9443);
  EXPECT_EQ(config.max_connections, 100U);
  EXPECT_FALSE(config.demo);
  EXPECT_EQ(config.session_idle_timeout_seconds, 900);
  EXPECT_EQ(config.tls_key.string(), "/var/lib/egovbox/tls/key.pem");
}

TEST_F(ConfigTest, ReadsEgovboxTomlInTheWorkingDirectoryOrTheFileInEgovboxConfig) {
  WriteFile("egovbox.toml", "max_connections = 111\n");
  EXPECT_EQ(LoadConfig({}).max_connections, 111U);
  EXPECT_EQ(LoadConfig({}).config_file.string(), "egovbox.toml");

  const auto other = WriteFile("other.toml", "max_connections = 222\n");
  SetEnvironment("EGOVBOX_CONFIG", other.string());
  EXPECT_EQ(LoadConfig({}).max_connections, 222U);
}

TEST_F(ConfigTest, EnvironmentOverridesTheFile) {
  const auto file = WriteFile("site.toml", "max_connections = 100\nlog_level = \"debug\"\n");
  SetEnvironment("EGOVBOX_MAX_CONNECTIONS", "200");
  const Config config = LoadConfig({{"config", file.string()}});
  EXPECT_EQ(config.max_connections, 200U);
  EXPECT_EQ(config.log_level, "debug");  // not overridden: the file's value stays
}

TEST_F(ConfigTest, FlagsOverrideTheEnvironment) {
  const auto file = WriteFile("site.toml", "max_connections = 100\n");
  SetEnvironment("EGOVBOX_MAX_CONNECTIONS", "200");
  SetEnvironment("EGOVBOX_LOG_LEVEL", "warn");
  const Config config = LoadConfig({{"config", file.string()}, {"max_connections", "300"}});
  EXPECT_EQ(config.max_connections, 300U);
  EXPECT_EQ(config.log_level, "warn");
}

TEST_F(ConfigTest, ParsesDurations) {
  EXPECT_EQ(ParseDuration("k", "500ms"), milliseconds(500));
  EXPECT_EQ(ParseDuration("k", "30s"), milliseconds(30'000));
  EXPECT_EQ(ParseDuration("k", "15m"), milliseconds(15 * 60'000));
  EXPECT_EQ(ParseDuration("k", "2h"), milliseconds(2 * 3'600'000));
  EXPECT_EQ(ParseDuration("k", "90"), milliseconds(90'000));  // seconds when no unit
  EXPECT_EQ(ParseDuration("k", "1.5s"), milliseconds(1'500));
  EXPECT_EQ(ParseDuration("k", "0"), milliseconds(0));
}

TEST_F(ConfigTest, RefusesWhatIsNotADuration) {
  for (const char* text :
       {"", "soon", "s", "ms", "5x", "5sec", "5 s", "-5s", "5s5", "nan", "inf", "infs", "1e30h", "0x10s"}) {
    EXPECT_THROW(ParseDuration("idle_timeout", text), ConfigError) << text;
  }
  try {
    ParseDuration("idle_timeout", "soon");
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), HasSubstr("idle_timeout"));
    EXPECT_THAT(error.what(), HasSubstr("\"soon\""));
  }
}

// Found by fuzz/config_duration_fuzzer: std::stod threw std::out_of_range past a
// double's range, so the error named neither the key nor the value.
TEST_F(ConfigTest, DurationOutOfADoublesRangeIsAConfigError) {
  EXPECT_THROW(ParseDuration("idle_timeout", std::string(400, '9') + "s"), ConfigError);
  EXPECT_EQ(ParseDuration("idle_timeout", "0." + std::string(400, '0') + "1s"), milliseconds(0));
}

TEST_F(ConfigTest, BadIntegerNamesTheKeyAndWhereItCameFrom) {
  SetEnvironment("EGOVBOX_MAX_CONNECTIONS", "lots");
  const std::string from_environment = ErrorOf({});
  EXPECT_THAT(from_environment, HasSubstr("max_connections"));
  EXPECT_THAT(from_environment, HasSubstr("EGOVBOX_MAX_CONNECTIONS"));
  EXPECT_THAT(from_environment, HasSubstr("\"lots\""));

  const std::string from_flag = ErrorOf({{"max_connections", "12abc"}});
  EXPECT_THAT(from_flag, HasSubstr("max_connections (--max_connections)"));

  unsetenv("EGOVBOX_MAX_CONNECTIONS");
  const auto file = WriteFile("site.toml", "max_header_bytes = 10\n");
  const std::string from_file = ErrorOf({{"config", file.string()}});
  EXPECT_THAT(from_file, HasSubstr("max_header_bytes"));
  EXPECT_THAT(from_file, HasSubstr(file.string()));
  EXPECT_THAT(from_file, HasSubstr("from 1024 to"));
}

TEST_F(ConfigTest, RefusesNumbersOutOfRange) {
  EXPECT_THAT(ErrorOf({{"max_connections", "0"}}), HasSubstr("max_connections"));
  EXPECT_THAT(ErrorOf({{"io_threads", "-1"}}), HasSubstr("io_threads"));
  EXPECT_THAT(ErrorOf({{"media_port", "65536"}}), HasSubstr("media_port"));
  EXPECT_THAT(ErrorOf({{"max_connections", "99999999999999999999999"}}), HasSubstr("max_connections"));
}

TEST_F(ConfigTest, BadDurationNamesTheKeyAndWhereItCameFrom) {
  SetEnvironment("EGOVBOX_IDLE_TIMEOUT", "soon");
  const std::string error = ErrorOf({});
  EXPECT_THAT(error, HasSubstr("idle_timeout"));
  EXPECT_THAT(error, HasSubstr("EGOVBOX_IDLE_TIMEOUT"));
}

TEST_F(ConfigTest, SessionTimeoutsAreAtLeastASecond) {
  EXPECT_THAT(ErrorOf({{"session_idle_timeout", "500ms"}}), HasSubstr("at least one second"));
  EXPECT_EQ(LoadConfig({{"session_absolute_timeout", "1s"}}).session_absolute_timeout_seconds, 1);
}

TEST_F(ConfigTest, ListenTakesIpv6AddressesInBrackets) {
  const Config any = LoadConfig({{"listen", "[::]:8443"}});
  EXPECT_EQ(any.listen_host, "::");
  EXPECT_EQ(any.listen_port, 8443);
  const Config loopback = LoadConfig({{"listen", "[::1]:0"}});
  EXPECT_EQ(loopback.listen_host, "::1");
  EXPECT_EQ(loopback.listen_port, 0);
  EXPECT_EQ(loopback.media_port, 0);
  const Config named = LoadConfig({{"listen", "egov.example.bg:443"}, {"media_port", "40000"}});
  EXPECT_EQ(named.listen_host, "egov.example.bg");
  EXPECT_EQ(named.listen_port, 443);
  EXPECT_EQ(named.media_port, 40000);
}

TEST_F(ConfigTest, IceTcpTakesTheMediaPortUnlessTheHttpsServerHasIt) {
  // Default: UDP media on the HTTPS port number, so ICE-TCP goes after the UDP ports.
  const Config shared = LoadConfig({{"media_workers", "2"}});
  EXPECT_EQ(shared.media_port, 8443);
  EXPECT_EQ(shared.media_tcp_port, 8445);
  // A media port of its own: ICE-TCP on the same numbers (0).
  EXPECT_EQ(LoadConfig({{"media_port", "40000"}}).media_tcp_port, 0);
  // The second worker's UDP port is the HTTPS port's number: after them as well.
  EXPECT_EQ(LoadConfig({{"listen", "0.0.0.0:8444"}, {"media_port", "8443"}, {"media_workers", "2"}}).media_tcp_port,
            8445);
  EXPECT_EQ(LoadConfig({{"listen", "127.0.0.1:0"}}).media_tcp_port, 0);
  EXPECT_EQ(LoadConfig({{"media_tcp_port", "3478"}}).media_tcp_port, 3478);
  EXPECT_THAT(ErrorOf({{"media_tcp_port", "65536"}}), HasSubstr("media_tcp_port"));
  EXPECT_THAT(ErrorOf({{"listen", "0.0.0.0:65535"}}), HasSubstr("media_tcp_port"));
}

TEST_F(ConfigTest, TurnUrlsAndSecretGoTogether) {
  const Config none = LoadConfig({});
  EXPECT_TRUE(none.turn_urls.empty());
  EXPECT_EQ(none.turn_credential_lifetime, std::chrono::hours(12));
  const Config turn = LoadConfig({{"turn_urls", "turns:turn.example.bg:443?transport=tcp, turn:turn.example.bg:3478"},
                                  {"turn_secret", "north"},
                                  {"turn_credential_lifetime", "2h"}});
  EXPECT_EQ(turn.turn_urls,
            (std::vector<std::string>{"turns:turn.example.bg:443?transport=tcp", "turn:turn.example.bg:3478"}));
  EXPECT_EQ(turn.turn_secret, "north");
  EXPECT_EQ(turn.turn_credential_lifetime, std::chrono::hours(2));
  EXPECT_THAT(ErrorOf({{"turn_urls", "turns:turn.example.bg:443"}}), HasSubstr("turn_secret"));
  EXPECT_THAT(ErrorOf({{"turn_secret", "north"}}), HasSubstr("turn_urls"));
  EXPECT_THAT(ErrorOf({{"turn_credential_lifetime", "10s"}}), HasSubstr("turn_credential_lifetime"));
}

TEST_F(ConfigTest, RefusesAListenAddressWithoutAValidPort) {
  for (const char* listen : {"8443", "localhost", "localhost:", "localhost:70000", "localhost:-1", "localhost:80x",
                             "localhost:x80", "[::1]", "[::1]8443", "[::1:8443", "::1:8443"}) {
    EXPECT_THAT(ErrorOf({{"listen", listen}}), HasSubstr("listen (--listen)")) << listen;
  }
}

TEST_F(ConfigTest, TlsCertificateAndKeyGoTogether) {
  EXPECT_THAT(ErrorOf({{"tls_certificate", "/etc/egovbox/cert.pem"}}), HasSubstr("tls_key"));
  EXPECT_THAT(ErrorOf({{"tls_key", "/etc/egovbox/key.pem"}}), HasSubstr("tls_certificate"));
  const Config config = LoadConfig({{"tls_certificate", "/etc/egovbox/cert.pem"}, {"tls_key", "/etc/egovbox/key.pem"}});
  EXPECT_EQ(config.tls_certificate.string(), "/etc/egovbox/cert.pem");
  EXPECT_EQ(config.tls_key.string(), "/etc/egovbox/key.pem");
}

TEST_F(ConfigTest, RefusesUnknownSettings) {
  EXPECT_THAT(ErrorOf({{"max_conections", "5"}}), HasSubstr("unknown setting \"max_conections\""));
  const auto file = WriteFile("site.toml", "lisen = \"0.0.0.0:1\"\n");
  EXPECT_THAT(ErrorOf({{"config", file.string()}}), HasSubstr("lisen"));
}

TEST_F(ConfigTest, RefusesABrokenFileNamingIt) {
  const auto broken = WriteFile("broken.toml", "listen = \n");
  EXPECT_THAT(ErrorOf({{"config", broken.string()}}), HasSubstr(broken.string()));
  const auto array = WriteFile("array.toml", "listen = [1, 2]\n");
  EXPECT_THAT(ErrorOf({{"config", array.string()}}), HasSubstr("listen"));
}

TEST_F(ConfigTest, BooleansAndLevelsAreChecked) {
  EXPECT_FALSE(LoadConfig({{"demo", "no"}}).demo);
  EXPECT_TRUE(LoadConfig({{"demo", "1"}}).demo);
  EXPECT_THAT(ErrorOf({{"demo", "maybe"}}), HasSubstr("demo (--demo)"));
  EXPECT_THAT(ErrorOf({{"log_level", "verbose"}}), HasSubstr("log_level"));
}

TEST_F(ConfigTest, DocumentSettingsHaveSafeDefaultsAndAreChecked) {
  const Config defaults = LoadConfig({{"data_dir", "/srv/egov"}});
  EXPECT_EQ(defaults.documents_max_bytes, std::uint64_t{200} * 1024 * 1024);
  EXPECT_EQ(defaults.documents_key_file.string(), "/srv/egov/keys/documents.key");
  EXPECT_TRUE(defaults.clamd_address.empty());
  EXPECT_THAT(defaults.documents_allowed_types, testing::Contains("application/pdf"));
  EXPECT_THAT(defaults.documents_allowed_types, testing::Not(testing::Contains("text/html")));

  const Config listed = LoadConfig({{"documents_allowed_types", " application/pdf , image/* ,, "}});
  EXPECT_THAT(listed.documents_allowed_types, testing::ElementsAre("application/pdf", "image/*"));
  EXPECT_THAT(ErrorOf({{"documents_allowed_types", " , "}}), HasSubstr("documents_allowed_types"));
  EXPECT_THAT(ErrorOf({{"documents_max_bytes", "0"}}), HasSubstr("documents_max_bytes"));
}

}  // namespace
}  // namespace egovbox::app
