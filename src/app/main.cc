// egovbox: serve, migrate, admin. See DESIGN.md "One binary, one port number".
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>

#include "app/admin_commands.h"
#include "app/config.h"
#include "app/serve_command.h"
#include "app/services.h"

namespace {

constexpr const char* kVersion = "0.1.0";

}  // namespace

int main(int argc, char** argv) {
  // Everything the server writes (database, keys, uploads) is for its own user only.
  umask(0077);
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::set_default_logger(spdlog::stderr_color_mt("egovbox"));

  CLI::App cli{"eGov box: a digital workspace for a city administration and its council"};
  cli.set_version_flag("--version", kVersion);
  cli.require_subcommand(1);

  std::map<std::string, std::string> flags;
  std::function<int()> run;

  auto* serve = cli.add_subcommand("serve", "Serve HTTPS: the API, the web app and (later) media");
  const auto flag = [&](const std::string& name, const std::string& key, const std::string& help) {
    serve->add_option_function<std::string>(
        name, [&flags, key](const std::string& value) { flags[key] = value; }, help);
  };
  flag("--config", "config", "Configuration file (egovbox.toml)");
  flag("--data-dir", "data_dir", "Data directory (default ./data)");
  flag("--listen", "listen", "HOST:PORT to serve HTTPS on (default 0.0.0.0:8443)");
  flag("--media-port", "media_port", "First UDP media port (default: the HTTPS port)");
  flag("--tls-certificate", "tls_certificate", "PEM certificate chain");
  flag("--tls-key", "tls_key", "PEM private key");
  flag("--web-root", "web_root", "Directory of the built web app");
  serve->add_flag_callback(
      "--no-demo", [&flags] { flags["demo"] = "false"; }, "Do not create demo data");
  serve->callback([&] {
    run = [&] {
      const auto config = egovbox::app::LoadConfig(flags);
      spdlog::set_level(spdlog::level::from_str(config.log_level));
      return egovbox::app::Serve(config);
    };
  });
  egovbox::app::AddAdminCommands(cli, flags, run);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return cli.exit(error);
  }
  try {
    egovbox::app::InitializeLibraries();
    return run();
  } catch (const egovbox::app::ConfigError& error) {
    std::cerr << "configuration error: " << error.what() << "\n";
    return 2;
  } catch (const std::exception& error) {
    std::cerr << "egovbox: " << error.what() << "\n";
    return 1;
  }
}
