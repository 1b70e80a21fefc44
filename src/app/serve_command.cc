#include "app/serve_command.h"

#include <fmt/format.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <set>

#include "app/background_jobs.h"
#include "app/data_dir_lock.h"
#include "app/demo_data.h"
#include "app/operations_routes.h"
#include "app/services.h"
#include "crypto/self_signed_certificate.h"
#include "documents/documents_routes.h"
#include "http/dispatcher.h"
#include "http/server.h"
#include "http/static_files.h"
#include "identity/identity_routes.h"
#include "integrations/integrations_routes.h"
#include "integrations/oidc_routes.h"
#include "media/sfu.h"
#include "meetings/host_controls.h"
#include "meetings/meetings_routes.h"
#include "notify/notify_routes.h"

namespace egovbox::app {
namespace {

void SetUpAccessLog(const std::string& target) {
  if (target == "off") return;
  auto logger = target == "stdout" ? spdlog::stdout_logger_mt("access") : spdlog::basic_logger_mt("access", target);
  logger->set_pattern("%v");
  logger->flush_on(spdlog::level::info);
}

void EnsureCertificate(const Config& config) {
  if (std::filesystem::exists(config.tls_certificate) && std::filesystem::exists(config.tls_key)) return;
  std::filesystem::create_directories(config.tls_certificate.parent_path());
  char hostname[256] = {};
  gethostname(hostname, sizeof hostname - 1);
  std::vector<std::string> names = {"localhost"};
  if (hostname[0] != '\0' && std::string(hostname) != "localhost") names.emplace_back(hostname);
  crypto::WriteSelfSignedCertificate(config.tls_certificate, config.tls_key, names, {"127.0.0.1", "::1"});
  spdlog::info("generated a self-signed certificate in {}", config.tls_certificate.parent_path().string());
}

void PrintWelcome(const Config& config, std::uint16_t port, const std::optional<std::vector<DemoAccount>>& demo) {
  const std::string host =
      config.listen_host == "0.0.0.0" || config.listen_host == "::" ? "localhost" : config.listen_host;
  std::cout << "\neGov box is serving https://" << host << ":" << port << "\n";
  const auto credentials = config.data_dir / "demo-credentials.txt";
  if (demo) {
    std::cout << "Demo organisation created. Sign in with a personal code and its one-time password\n"
                 "(you will be asked to choose your own password; administrators then set up\n"
                 "two-step verification with an authenticator app):\n\n";
    std::set<std::string> shown;  // one account of each role is enough here
    for (const auto& account : *demo) {
      if (!shown.insert(account.role_label).second) continue;
      std::cout << fmt::format("  {:<17} {:<10} {:<20} {}\n", account.role_label, account.code,
                               account.one_time_password, account.name);
    }
    std::cout << "\nAll demo accounts: " << credentials.string() << "\n";
  } else if (std::filesystem::exists(credentials)) {
    std::cout << "Demo accounts (one-time passwords, valid until first sign-in): " << credentials.string() << "\n";
  }
  std::cout << "The certificate is self-signed: the browser will ask you to accept it once.\n"
            << "Stop with Ctrl+C.\n"
            << std::endl;
}

media::SfuOptions MediaOptions(const Config& config) {
  media::SfuOptions options;
  options.bind_address = config.listen_host;
  options.first_port = config.media_port;
  options.first_tcp_port = config.media_tcp_port;
  options.workers = static_cast<std::size_t>(config.media_workers);
  options.announced_addresses = config.media_addresses;
  options.max_video_bitrate = config.media_max_video_bitrate;
  options.last_n = config.media_last_n;
  return options;
}

}  // namespace

int Serve(const Config& config) {
  SetUpAccessLog(config.access_log);
  const auto lock = DataDirLock::TryAcquire(config.data_dir, DataDirLock::Mode::kShared);
  if (!lock) {
    spdlog::error("the documents key is being rotated in {}; start the server after it", config.data_dir.string());
    return 1;
  }
  const auto alone = DataDirLock::TryAcquire(config.data_dir, DataDirLock::Mode::kExclusive, ".serve.lock");
  if (!alone) {
    spdlog::error("another server is running on {}", config.data_dir.string());
    return 1;
  }
  Services services(config, static_cast<std::size_t>(config.worker_threads) + 2);
  EnsureCertificate(config);
  std::optional<std::vector<DemoAccount>> demo;
  if (config.demo)
    demo =
        SeedDemoData(services.employees(), services.database(), services.rooms(), services.meetings(), config.data_dir);

  if (const std::size_t cleaned = services.documents().CleanStore(); cleaned > 0) {
    spdlog::info("documents: removed {} unfinished uploads and unused files", cleaned);
  }

  meetings::MeetingMedia meeting_media(services.hub(), services.meetings(), services.database());
  std::string media_error;
  const auto sfu = media::Sfu::Start(MediaOptions(config), meeting_media, &media_error);
  if (!sfu) {
    spdlog::error("media: {}", media_error);
    return 1;
  }
  meeting_media.SetTurn({config.turn_urls, config.turn_secret, config.turn_credential_lifetime});
  meeting_media.Start(*sfu);

  http::Metrics metrics;
  http::Router router;
  AddOperationsRoutes(router, services.database(), metrics, [&sfu] { return sfu->RenderMetrics(); });
  identity::AddIdentityRoutes(router, services.sessions(), services.accounts(), services.employees());
  meetings::AddMeetingsRoutes(router, {services.meetings(), services.rooms(), services.calls(), services.hub(),
                                       services.database(), meeting_media});
  meetings::AddMeetingChatRoutes(router, services.chat());
  meetings::HostControls host_controls(services.database(), services.audit(), services.meetings(), meeting_media);
  meetings::AddHostControlRoutes(router, host_controls);
  notify::AddNotifyRoutes(router, services.notifications());
  documents::AddDocumentsRoutes(router, services.documents());
  integrations::AddOidcRoutes(router, services.oidc(), services.sessions());
  // Last: it lets API tokens call some of the routes added above (Route::scopes).
  integrations::AddIntegrationsRoutes(router, services.integrations());
  meetings::LoadPresenceChoices(services.database(), services.hub());
  const http::StaticFiles static_files(config.web_root);
  if (static_files.file_count() <= 1) spdlog::warn("web app not found in {}; run make build", config.web_root.string());
  const http::Dispatcher dispatcher(router, services.sessions(), static_files, &services.api_tokens(),
                                    &services.frame_sources());

  http::ServerOptions options;
  options.host = config.listen_host;
  options.port = config.listen_port;
  options.certificate_file = config.tls_certificate;
  options.key_file = config.tls_key;
  options.max_connections = config.max_connections;
  options.max_header_bytes = config.max_header_bytes;
  options.max_body_bytes = config.max_body_bytes;
  options.handshake_timeout = config.handshake_timeout;
  options.idle_timeout = config.idle_timeout;
  options.header_timeout = config.header_timeout;
  options.body_timeout = config.body_timeout;
  options.shutdown_grace = config.shutdown_grace;
  options.websocket_idle_timeout = config.websocket_idle_timeout;
  options.websocket_max_queued_bytes = config.websocket_max_queued_bytes;
  options.io_threads = config.io_threads;
  options.worker_threads = config.worker_threads;

  BackgroundJobs jobs;
  jobs.Add("calls", std::chrono::seconds(1), [&services] { services.calls().ExpireUnanswered(); });
  jobs.Add("reminders", config.reminder_interval, [&services] { services.reminders().RunDue(); });
  // A WebSocket outlives no sign-out, revocation or suspension by more than this.
  jobs.Add("websocket-sessions", std::chrono::seconds(10), [&services] {
    auto& hub = services.hub();
    const auto checked = hub.SessionIds();
    hub.CloseEndedSessions(checked, services.sessions().StillValid(checked));
  });
  jobs.Add("document-scans", config.clamd_retry_interval, [&services] { services.documents().RetryPendingScans(); });
  jobs.Add("document-purge", std::chrono::hours(1), [&services] { services.documents().PurgeDeleted(); });
  jobs.Add("oidc-purge", std::chrono::hours(1), [&services] { services.oidc().PurgeExpired(); });
  services.outbox().Start();

  http::Server server(options, dispatcher, metrics, &services.hub());
  server.Run([&](std::uint16_t port) {
    if (config.public_url.empty()) {
      services.messenger().SetPublicUrl(fmt::format("https://localhost:{}", port));
      services.oidc().SetIssuer(fmt::format("https://localhost:{}", port));  // the OIDC issuer
    }
    jobs.Start();  // after the URL is set: the reminders' e-mails carry it
    spdlog::info("listening on {}:{} (data: {})", config.listen_host, port, config.data_dir.string());
    PrintWelcome(config, port, demo);
  });
  jobs.Stop();           // before the server's I/O contexts go: a job may still post to a socket
  meeting_media.Stop();  // before the engine goes: its store thread may still call it
  return 0;
}

}  // namespace egovbox::app
