#include "notify/smtp_client.h"

#include <curl/curl.h>
#include <fmt/format.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>

namespace egovbox::notify {
namespace {

constexpr long kConnectTimeoutSeconds = 10;
constexpr long kTotalTimeoutSeconds = 60;
// libcurl waits for each SMTP reply (the one to the end of the data among them) up
// to this long, apart from the total; its default would be 120 s.
constexpr long kReplyTimeoutSeconds = 60;

void InitializeCurlOnce() {
  static std::once_flag once;
  static CURLcode result = CURLE_OK;
  std::call_once(once, [] { result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (result != CURLE_OK) throw std::runtime_error(fmt::format("curl_global_init: {}", curl_easy_strerror(result)));
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

struct EasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

template <typename T>
void Set(CURL* curl, CURLoption option, T value) {
  const CURLcode code = curl_easy_setopt(curl, option, value);
  if (code != CURLE_OK) throw std::runtime_error(fmt::format("curl_easy_setopt: {}", curl_easy_strerror(code)));
}

}  // namespace

struct SmtpClient::Handle {
  std::unique_ptr<CURL, EasyDeleter> curl;
  std::unique_ptr<curl_slist, ListDeleter> recipients;
  std::string_view rest;  // what is still to upload of the message
  char error[CURL_ERROR_SIZE] = {};

  // The sockets libcurl has open (several while it tries IPv6 and IPv4 at once),
  // so that Abort can shut them down from another thread.
  std::mutex mutex;
  std::set<curl_socket_t> sockets;  // GUARDED_BY(mutex)
  bool aborted = false;             // GUARDED_BY(mutex)

  static size_t Read(char* buffer, size_t size, size_t count, void* user) {
    auto& handle = *static_cast<Handle*>(user);
    const size_t n = std::min(size * count, handle.rest.size());
    handle.rest.copy(buffer, n);
    handle.rest.remove_prefix(n);
    return n;
  }

  static curl_socket_t Open(void* user, curlsocktype, curl_sockaddr* address) {
    auto& handle = *static_cast<Handle*>(user);
    std::lock_guard lock(handle.mutex);
    if (handle.aborted) return CURL_SOCKET_BAD;
    const curl_socket_t socket = ::socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
    if (socket != CURL_SOCKET_BAD) handle.sockets.insert(socket);
    return socket;
  }

  static int Close(void* user, curl_socket_t socket) {
    auto& handle = *static_cast<Handle*>(user);
    std::lock_guard lock(handle.mutex);
    handle.sockets.erase(socket);
    return ::close(socket);
  }

  bool Aborted() {
    std::lock_guard lock(mutex);
    return aborted;
  }

  // The easy handle goes first: its cleanup closes the socket through Close, which
  // needs the mutex.
  ~Handle() { curl.reset(); }
};

SmtpClient::SmtpClient(MailSettings settings) : settings_(std::move(settings)), handle_(std::make_unique<Handle>()) {
  const bool smtps = StartsWith(settings_.smtp_url, "smtps://");
  if (!smtps && !StartsWith(settings_.smtp_url, "smtp://")) {
    throw std::invalid_argument("smtp_url must start with smtp:// or smtps://");
  }
  InitializeCurlOnce();
  handle_->curl.reset(curl_easy_init());
  if (!handle_->curl) throw std::runtime_error("curl_easy_init failed");
  CURL* curl = handle_->curl.get();
  Set(curl, CURLOPT_URL, settings_.smtp_url.c_str());
  // Nothing but SMTP, whatever the URL says.
  Set(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  Set(curl, CURLOPT_NOSIGNAL, 1L);
  Set(curl, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
  Set(curl, CURLOPT_TIMEOUT, kTotalTimeoutSeconds);
  Set(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, kReplyTimeoutSeconds);
  Set(curl, CURLOPT_ERRORBUFFER, handle_->error);
  Set(curl, CURLOPT_MAIL_FROM, fmt::format("<{}>", settings_.from_address).c_str());
  if (smtps || settings_.smtp_starttls) {
    // Never fall back to plain text: a server that cannot do TLS gets nothing.
    Set(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    Set(curl, CURLOPT_SSLVERSION, static_cast<long>(CURL_SSLVERSION_TLSv1_2));
  }
  Set(curl, CURLOPT_SSL_VERIFYPEER, settings_.smtp_verify_peer ? 1L : 0L);
  Set(curl, CURLOPT_SSL_VERIFYHOST, settings_.smtp_verify_peer ? 2L : 0L);
  if (!settings_.smtp_user.empty()) {
    Set(curl, CURLOPT_USERNAME, settings_.smtp_user.c_str());
    Set(curl, CURLOPT_PASSWORD, settings_.smtp_password.c_str());
  }
  Set(curl, CURLOPT_UPLOAD, 1L);
  Set(curl, CURLOPT_READFUNCTION, &Handle::Read);
  Set(curl, CURLOPT_READDATA, handle_.get());
  Set(curl, CURLOPT_OPENSOCKETFUNCTION, &Handle::Open);
  Set(curl, CURLOPT_OPENSOCKETDATA, handle_.get());
  Set(curl, CURLOPT_CLOSESOCKETFUNCTION, &Handle::Close);
  Set(curl, CURLOPT_CLOSESOCKETDATA, handle_.get());
}

SmtpClient::~SmtpClient() = default;

void SmtpClient::Abort() {
  std::lock_guard lock(handle_->mutex);
  handle_->aborted = true;
  // Wakes libcurl from whatever it waits for; it then fails the transfer and closes.
  for (const curl_socket_t socket : handle_->sockets) ::shutdown(socket, SHUT_RDWR);
}

SmtpOutcome SmtpClient::Send(const std::string& recipient, std::string_view message) {
  if (handle_->Aborted()) return {false, true, "aborted"};
  CURL* curl = handle_->curl.get();
  const std::string rcpt = fmt::format("<{}>", recipient);
  handle_->recipients.reset(curl_slist_append(nullptr, rcpt.c_str()));
  if (!handle_->recipients) return {false, false, "out of memory"};
  handle_->rest = message;
  handle_->error[0] = '\0';
  Set(curl, CURLOPT_MAIL_RCPT, handle_->recipients.get());
  Set(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));

  const CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) return {true, false, {}};
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  std::string error = curl_easy_strerror(code);
  if (handle_->error[0] != '\0') error += fmt::format(": {}", handle_->error);
  if (reply != 0) error += fmt::format(" (last SMTP reply {})", reply);
  return {false, handle_->Aborted(), std::move(error)};
}

}  // namespace egovbox::notify
