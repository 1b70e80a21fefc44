#include "http/server.h"

#include "http/asio.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <boost/beast/websocket/rfc6455.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <unordered_map>

#include "http/problem_catalog.h"
#include "http/response_head.h"
#include "http/security_headers.h"
#include "http/tls_websocket.h"

namespace egovbox::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastHeader = bhttp::request_header<>;
// The header is read first with no body type; then the parser becomes one that
// reads the body whole, or one that hands it to a streaming route piece by piece.
using HeaderParser = bhttp::request_parser<bhttp::empty_body>;
using WholeBodyParser = bhttp::request_parser<bhttp::string_body>;
using StreamingParser = bhttp::request_parser<bhttp::buffer_body>;
using Clock = std::chrono::steady_clock;

// Strong TLS 1.2 suites only; TLS 1.3 suites are OpenSSL's defaults, all strong.
constexpr const char* kTls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20";
constexpr std::size_t kFirstReadBytes = 4096;
constexpr std::size_t kCopiedBodyBytes = 8192;
constexpr std::size_t kStreamChunkBytes = 64 * 1024;
constexpr auto kStoppedCheckInterval = std::chrono::milliseconds(200);
constexpr auto kDrainTime = std::chrono::seconds(2);
constexpr std::uint64_t kMaxDrainedBytes = std::uint64_t{64} * 1024 * 1024;

Method ToMethod(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get: return Method::kGet;
    case bhttp::verb::head: return Method::kHead;
    case bhttp::verb::post: return Method::kPost;
    case bhttp::verb::put: return Method::kPut;
    case bhttp::verb::patch: return Method::kPatch;
    case bhttp::verb::delete_: return Method::kDelete;
    case bhttp::verb::options: return Method::kOptions;
    default: return Method::kOther;
  }
}

// Nullopt when the target cannot be decoded.
std::optional<Request> ToRequest(const BeastHeader& message, std::string body, const std::string& client_address) {
  Request request;
  request.method = ToMethod(message.method());
  request.method_name = std::string(message.method_string());
  request.target = std::string(message.target());
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [slot, inserted] = request.headers.try_emplace(std::move(name), std::string(field.value()));
    if (!inserted) slot->second += ", " + std::string(field.value());
  }
  request.language = NegotiateLanguage(request.Header("accept-language"));
  request.body = std::move(body);
  request.client_address = client_address;
  if (!ParseTarget(request.target, request.path, request.query)) return std::nullopt;
  return request;
}

Response ProblemResponse(int status, const std::string& slug, nlohmann::json params, Language language) {
  Response response = Response::FromProblem(MakeProblem(status, slug, std::move(params)));
  Dispatcher::RenderProblem(response, language);
  AddSecurityHeaders(response, true);
  return response;
}

// One accepted connection. `idle` says it waits for a request to begin, so that
// shutdown may close it; it is touched only on the connection's thread.
struct LiveConnection {
  LiveConnection(tcp::socket socket, ssl::context& tls)
      : executor(socket.get_executor()),
        stream(std::make_unique<TlsStream>(beast::tcp_stream(std::move(socket)), tls)) {}
  asio::any_io_executor executor;
  std::unique_ptr<TlsStream> stream;        // null once upgraded to a WebSocket
  std::shared_ptr<TlsWebSocket> websocket;  // set by the upgrade
  bool idle = true;
  // Answered before its request body was read: closed gently (see DrainAndClose).
  bool body_unread = false;
};

// Hands a streamed request body from the connection's I/O thread to the worker that
// runs the handler: each Read starts one parser read on the connection's executor
// and waits for it. The chunk buffer is owned here and shared with the read in
// flight, so a worker that gives up (the server stopping) leaves nothing dangling;
// the connection waits in Settle until no read is in flight before its parser goes.
class SocketBodyStream final : public BodyStream, public std::enable_shared_from_this<SocketBodyStream> {
 public:
  SocketBodyStream(TlsStream& stream, beast::flat_buffer& buffer, StreamingParser& parser,
                   std::chrono::milliseconds timeout, const std::atomic<bool>& server_stopped)
      : stream_(stream),
        buffer_(buffer),
        parser_(parser),
        timeout_(timeout),
        server_stopped_(server_stopped),
        declared_length_(parser.content_length() ? std::optional<std::uint64_t>(*parser.content_length())
                                                 : std::nullopt),
        read_finished_(stream.get_executor()),
        chunk_(kStreamChunkBytes) {}

  std::size_t Read(std::span<char> out) override;
  std::optional<std::uint64_t> declared_length() const override { return declared_length_; }

  // On the connection's executor: waits until no read is in flight.
  asio::awaitable<void> Settle();
  // On the connection's executor, once settled: the whole body was read.
  bool complete() const { return parser_.is_done() && !failure_; }

 private:
  void Deliver(std::size_t bytes, beast::error_code error);
  // The first parameter, unused, keeps this object alive while the read is in flight.
  asio::awaitable<void> ReadChunk(std::shared_ptr<SocketBodyStream> /*self*/, std::size_t wanted);

  TlsStream& stream_;
  beast::flat_buffer& buffer_;
  StreamingParser& parser_;
  std::chrono::milliseconds timeout_;
  const std::atomic<bool>& server_stopped_;
  std::optional<std::uint64_t> declared_length_;
  asio::steady_timer read_finished_;  // cancelled when a read ends, to wake Settle
  std::atomic<bool> in_flight_{false};

  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<char> chunk_;
  bool chunk_ready_ = false;                // GUARDED_BY(mutex_)
  std::size_t chunk_bytes_ = 0;             // GUARDED_BY(mutex_)
  beast::error_code chunk_error_;           // GUARDED_BY(mutex_)
  std::optional<BodyStreamError> failure_;  // set by the worker once a read failed
  bool ended_ = false;                      // the worker saw the end of the body
};

std::size_t SocketBodyStream::Read(std::span<char> out) {
  if (failure_) throw *failure_;
  if (ended_ || out.empty()) return 0;
  {
    std::lock_guard lock(mutex_);
    chunk_ready_ = false;
  }
  in_flight_ = true;
  asio::co_spawn(stream_.get_executor(), ReadChunk(shared_from_this(), std::min(out.size(), chunk_.size())),
                 [self = shared_from_this()](const std::exception_ptr& thrown) {
                   if (thrown) self->Deliver(0, asio::error::operation_aborted);
                 });
  std::unique_lock lock(mutex_);
  while (!chunk_ready_) {
    if (ready_.wait_for(lock, kStoppedCheckInterval) == std::cv_status::timeout && server_stopped_) {
      failure_.emplace(BodyStreamError::Kind::kBroken, "the server is stopping");
      throw *failure_;
    }
  }
  if (chunk_error_ == bhttp::error::body_limit) {
    failure_.emplace(BodyStreamError::Kind::kTooLarge, "the body is larger than the route allows");
  } else if (chunk_error_) {
    failure_.emplace(BodyStreamError::Kind::kBroken, chunk_error_.message());
  }
  if (failure_) throw *failure_;
  if (chunk_bytes_ == 0) ended_ = true;
  std::copy_n(chunk_.data(), chunk_bytes_, out.data());
  return chunk_bytes_;
}

asio::awaitable<void> SocketBodyStream::ReadChunk(std::shared_ptr<SocketBodyStream> /*self*/, std::size_t wanted) {
  beast::error_code error;
  std::size_t produced = 0;
  auto& body = parser_.get().body();
  // A read may parse only a chunk header; go on until body bytes come or the body ends.
  while (produced == 0 && !parser_.is_done() && !error) {
    body.data = chunk_.data();
    body.size = wanted;
    beast::get_lowest_layer(stream_).expires_after(timeout_);
    co_await bhttp::async_read_some(stream_, buffer_, parser_, asio::redirect_error(asio::use_awaitable, error));
    if (error == bhttp::error::need_buffer) error = {};
    produced = wanted - body.size;
  }
  body.data = nullptr;
  Deliver(produced, error);
}

// Hands a read's outcome to the waiting worker. No longer in flight before the
// worker wakes: it may start the next read at once.
void SocketBodyStream::Deliver(std::size_t bytes, beast::error_code error) {
  {
    std::lock_guard lock(mutex_);
    chunk_bytes_ = bytes;
    chunk_error_ = error;
    in_flight_ = false;
    chunk_ready_ = true;
  }
  ready_.notify_one();
  read_finished_.cancel();
}

asio::awaitable<void> SocketBodyStream::Settle() {
  while (in_flight_) {
    read_finished_.expires_after(kStoppedCheckInterval);
    beast::error_code ignored;
    co_await read_finished_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

void LogException(std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    spdlog::error("connection ended by an exception: {}", e.what());
  }
}

}  // namespace

struct Server::Impl {
  Impl(ServerOptions server_options, const Dispatcher& request_dispatcher, Metrics& server_metrics,
       WebSocketEndpoint* endpoint)
      : options(std::move(server_options)),
        dispatcher(request_dispatcher),
        metrics(server_metrics),
        websocket_endpoint(endpoint),
        contexts(MakeContexts(options.io_threads)),
        io(*contexts.front()),
        tls(ssl::context::tls_server),
        workers(static_cast<std::size_t>(options.worker_threads)),
        control(asio::make_strand(io)),
        shutdown_timer(control),
        signals(control, SIGINT, SIGTERM) {}

  void ConfigureTls();
  void Bind();
  void WaitForSignal();
  void BeginShutdown();
  void ConnectionFinished(LiveConnection* connection);
  asio::awaitable<void> Accept();
  asio::awaitable<void> Serve(std::shared_ptr<LiveConnection> connection, std::string client);
  asio::awaitable<void> DrainAndClose(beast::tcp_stream& transport);
  asio::awaitable<bool> ServeOneRequest(LiveConnection& connection, beast::flat_buffer& buffer,
                                        const std::string& client);
  asio::awaitable<bool> ServeStreamed(LiveConnection& connection, beast::flat_buffer& buffer, StreamingParser& parser,
                                      const std::string& client);
  asio::awaitable<Response> Dispatch(std::optional<Request>& request, std::string& route_label, bool may_answer_inline,
                                     Language language);
  asio::awaitable<bool> Finish(TlsStream& stream, const BeastHeader& header, std::optional<Request>& request,
                               Response& response, const std::string& route_label, bool keep_alive,
                               Clock::time_point started, const std::string& client);
  asio::awaitable<bool> Write(TlsStream& stream, Response& response, unsigned version, bool keep_alive, bool head);
  asio::awaitable<bool> WriteStreamedBody(TlsStream& stream, BodySource& source, std::uint64_t length);
  bool IsWebSocketUpgrade(const BeastHeader& message) const;
  asio::awaitable<void> Upgrade(LiveConnection& connection, const BeastHeader& message, const std::string& client,
                                beast::flat_buffer& buffer);

  // One io_context per I/O thread: a connection lives on one thread from accept to
  // close, so its completions never wake another thread. The first also runs the
  // acceptor and the shutdown steps.
  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int count);
  asio::io_context& NextContext();
  void StopContexts();
  void ReleaseContexts();
  void FinishRemaining();

  ServerOptions options;
  const Dispatcher& dispatcher;
  Metrics& metrics;
  WebSocketEndpoint* websocket_endpoint;
  std::vector<std::unique_ptr<asio::io_context>> contexts;
  asio::io_context& io;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> keep_running;  // used by control only
  std::atomic<std::size_t> next_context{0};
  ssl::context tls;
  asio::thread_pool workers;
  asio::strand<asio::io_context::executor_type> control;  // serialises shutdown steps
  asio::steady_timer shutdown_timer;
  asio::signal_set signals;
  std::optional<tcp::acceptor> acceptor;
  std::atomic<bool> stopping{false};
  std::atomic<bool> contexts_stopped{false};  // forced stop: a worker must not wait for I/O
  // Streamed bodies hold a worker while they arrive: at most half the workers may,
  // so slow uploads cannot starve every other request.
  std::atomic<int> streamed_bodies{0};
  std::atomic<std::size_t> open_connections{0};
  std::mutex live_mutex;
  std::unordered_map<LiveConnection*, std::weak_ptr<LiveConnection>> live;  // GUARDED_BY(live_mutex)
};

void Server::Impl::ConfigureTls() {
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use |
                  ssl::context::no_compression);
  SSL_CTX_set_cipher_list(tls.native_handle(), kTls12Ciphers);
  // Idle connections (most WebSockets) give their record buffers back.
  SSL_CTX_set_mode(tls.native_handle(), SSL_MODE_RELEASE_BUFFERS);
  tls.use_certificate_chain_file(options.certificate_file.string());
  tls.use_private_key_file(options.key_file.string(), ssl::context::pem);
}

void Server::Impl::Bind() {
  const std::string host = options.host == "localhost" ? "127.0.0.1" : options.host;
  const tcp::endpoint endpoint(asio::ip::make_address(host), options.port);
  acceptor.emplace(io);
  acceptor->open(endpoint.protocol());
  acceptor->set_option(asio::socket_base::reuse_address(true));
  if (endpoint.address().is_v6()) acceptor->set_option(asio::ip::v6_only(false));
  acceptor->bind(endpoint);
  acceptor->listen(asio::socket_base::max_listen_connections);
}

void Server::Impl::WaitForSignal() {
  signals.async_wait([this](const beast::error_code& error, int signal_number) {
    if (error) return;
    if (stopping) {
      spdlog::warn("second signal {}: stopping now", signal_number);
      StopContexts();
      return;
    }
    spdlog::info("signal {}: shutting down gracefully", signal_number);
    // Wait for a second signal first: BeginShutdown cancels that wait once no
    // connection is left, and a wait armed after it would keep io running forever.
    WaitForSignal();
    BeginShutdown();
  });
}

// Runs on the control strand.
void Server::Impl::BeginShutdown() {
  stopping = true;
  beast::error_code ignored;
  acceptor->close(ignored);
  std::vector<std::shared_ptr<LiveConnection>> connections;
  {
    std::lock_guard lock(live_mutex);
    for (auto& [pointer, weak] : live) {
      if (auto connection = weak.lock()) connections.push_back(std::move(connection));
    }
  }
  for (auto& connection : connections) {
    asio::post(connection->executor, [connection] {
      if (connection->websocket) {
        connection->websocket->Close();
      } else if (connection->idle && connection->stream) {
        beast::get_lowest_layer(*connection->stream).cancel();
      }
    });
  }
  shutdown_timer.expires_after(options.shutdown_grace);
  shutdown_timer.async_wait([this](const beast::error_code& error) {
    if (error) return;
    spdlog::warn("shutdown grace period over; closing {} connections", open_connections.load());
    StopContexts();
  });
  if (open_connections == 0) {
    shutdown_timer.cancel();
    signals.cancel();
    ReleaseContexts();
  }
}

void Server::Impl::ConnectionFinished(LiveConnection* connection) {
  {
    std::lock_guard lock(live_mutex);
    live.erase(connection);
  }
  metrics.ConnectionClosed();
  if (--open_connections == 0 && stopping) {
    asio::post(control, [this] {
      shutdown_timer.cancel();
      signals.cancel();
      ReleaseContexts();
    });
  }
}

asio::awaitable<void> Server::Impl::Accept() {
  for (;;) {
    beast::error_code error;
    tcp::socket socket =
        co_await acceptor->async_accept(NextContext(), asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      if (stopping || error == asio::error::operation_aborted) co_return;
      spdlog::warn("accept failed: {}", error.message());
      // Out of file descriptors: wait a little rather than spin.
      asio::steady_timer pause(io, std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    if (open_connections >= options.max_connections) {
      metrics.ConnectionRejected();
      socket.close(error);
      continue;
    }
    socket.set_option(tcp::no_delay(true), error);
    const auto remote = socket.remote_endpoint(error);
    std::string client = error ? std::string() : remote.address().to_string();
    auto connection = std::make_shared<LiveConnection>(std::move(socket), tls);
    ++open_connections;
    metrics.ConnectionOpened();
    {
      std::lock_guard lock(live_mutex);
      live.emplace(connection.get(), connection);
    }
    auto executor = connection->executor;
    asio::co_spawn(executor, Serve(std::move(connection), std::move(client)), LogException);
  }
}

asio::awaitable<void> Server::Impl::Serve(std::shared_ptr<LiveConnection> connection, std::string client) {
  struct Finish {
    Impl* impl;
    LiveConnection* connection;
    ~Finish() { impl->ConnectionFinished(connection); }
  } finish{this, connection.get()};

  auto& stream = *connection->stream;
  beast::error_code error;
  beast::get_lowest_layer(stream).expires_after(options.handshake_timeout);
  co_await stream.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, error));
  if (error) co_return;

  beast::flat_buffer buffer;
  while (co_await ServeOneRequest(*connection, buffer, client)) {
  }
  if (connection->websocket) {
    buffer = beast::flat_buffer();
    co_await connection->websocket->Run(*websocket_endpoint);
    co_return;
  }
  if (!connection->stream) co_return;  // handed over, then refused
  if (connection->body_unread) {
    co_await DrainAndClose(beast::get_lowest_layer(stream));
    co_return;
  }
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, error));
}

// The client may still be sending the body we refused. Closing with its bytes
// unread would make the kernel reset the connection, and a reset can destroy our
// answer before the client reads it (RFC 9112 §9.6). So: end our side after the
// answer, and read and drop what still comes for a short while.
asio::awaitable<void> Server::Impl::DrainAndClose(beast::tcp_stream& transport) {
  beast::error_code error;
  transport.socket().shutdown(tcp::socket::shutdown_send, error);
  if (error) co_return;
  std::vector<char> sink(kStreamChunkBytes);
  transport.expires_after(kDrainTime);
  for (std::uint64_t drained = 0; drained < kMaxDrainedBytes;) {
    drained += co_await transport.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, error));
    if (error) break;
  }
}

// Reads one request, answers it, and says whether the connection stays open.
asio::awaitable<bool> Server::Impl::ServeOneRequest(LiveConnection& connection, beast::flat_buffer& buffer,
                                                    const std::string& client) {
  auto& stream = *connection.stream;
  auto& transport = beast::get_lowest_layer(stream);
  beast::error_code error;

  connection.idle = true;
  if (stopping) co_return false;
  if (buffer.size() == 0) {
    transport.expires_after(options.idle_timeout);
    const std::size_t read = co_await stream.async_read_some(buffer.prepare(kFirstReadBytes),
                                                             asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return false;
    buffer.commit(read);
  }
  connection.idle = false;

  HeaderParser header_parser;
  header_parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
  // The limit depends on the route, known once the header is in. Not boost::none:
  // Beast 1.74 compares the Content-Length with the optional, and none loses.
  header_parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  transport.expires_after(options.header_timeout);
  co_await bhttp::async_read_header(stream, buffer, header_parser, asio::redirect_error(asio::use_awaitable, error));
  if (error == bhttp::error::header_limit) {
    Response response = ProblemResponse(431, "headers-too-large", {}, Language::kBulgarian);
    co_await Write(stream, response, 11, false, false);
    co_return false;
  }
  if (error) {
    if (error != beast::error::timeout && error != asio::error::eof && error != asio::ssl::error::stream_truncated) {
      Response response = ProblemResponse(400, "bad-request", {}, Language::kBulgarian);
      co_await Write(stream, response, 11, false, false);
    }
    co_return false;
  }

  const auto& header = header_parser.get();
  const unsigned version = header.version();
  const auto accept_language = header[bhttp::field::accept_language];
  const Language language = NegotiateLanguage(std::string_view(accept_language.data(), accept_language.size()));
  std::string path;
  std::map<std::string, std::string> query;
  const std::optional<std::uint64_t> streamed_limit =
      ParseTarget(std::string_view(header.target().data(), header.target().size()), path, query)
          ? dispatcher.StreamedBodyLimit(ToMethod(header.method()), path)
          : std::nullopt;
  const std::uint64_t body_limit = streamed_limit.value_or(options.max_body_bytes);
  if (header_parser.content_length() && *header_parser.content_length() > body_limit) {
    Response response = ProblemResponse(413, "payload-too-large", {{"limit", body_limit}}, language);
    co_await Write(stream, response, version, false, false);
    connection.body_unread = true;
    co_return false;
  }
  if (beast::iequals(header[bhttp::field::expect], "100-continue")) {
    bhttp::response<bhttp::empty_body> proceed{bhttp::status::continue_, version};
    co_await bhttp::async_write(stream, proceed, asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return false;
  }
  if (streamed_limit) {
    StreamingParser parser(std::move(header_parser));
    parser.body_limit(*streamed_limit);
    co_return co_await ServeStreamed(connection, buffer, parser, client);
  }

  WholeBodyParser parser(std::move(header_parser));
  parser.body_limit(options.max_body_bytes);
  // Most requests have no body: do not start (and cancel) a read and its timer for nothing.
  if (!parser.is_done()) {
    transport.expires_after(options.body_timeout);
    co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, error));
  }
  if (error == bhttp::error::body_limit) {
    Response response = ProblemResponse(413, "payload-too-large", {{"limit", options.max_body_bytes}}, language);
    co_await Write(stream, response, version, false, false);
    connection.body_unread = true;
    co_return false;
  }
  if (error) co_return false;

  const auto started = Clock::now();
  BeastRequest message = parser.release();
  if (IsWebSocketUpgrade(message)) {
    co_await Upgrade(connection, message, client, buffer);
    co_return false;
  }
  std::optional<Request> request = ToRequest(message, std::move(message.body()), client);
  std::string route_label = "unmatched";
  Response response = co_await Dispatch(request, route_label, true, language);
  const bool keep_alive = message.keep_alive() && !stopping;
  co_return co_await Finish(stream, message, request, response, route_label, keep_alive, started, client);
}

// A route that streams its body: the handler runs on a worker and reads the body
// through a SocketBodyStream while this coroutine waits. A body the handler left
// unread (a refusal) closes the connection.
asio::awaitable<bool> Server::Impl::ServeStreamed(LiveConnection& connection, beast::flat_buffer& buffer,
                                                  StreamingParser& parser, const std::string& client) {
  const auto started = Clock::now();
  const BeastHeader& message = parser.get();
  const auto accept_language = message[bhttp::field::accept_language];
  const Language language = NegotiateLanguage(std::string_view(accept_language.data(), accept_language.size()));
  struct Slot {
    std::atomic<int>& count;
    ~Slot() { --count; }
  } slot{streamed_bodies};
  if (++streamed_bodies > std::max(1, options.worker_threads / 2)) {
    Response busy = ProblemResponse(503, "uploads-busy", {}, language);
    busy.SetHeader("Retry-After", "5");
    co_await Write(*connection.stream, busy, message.version(), false, false);
    connection.body_unread = true;
    co_return false;
  }
  std::optional<Request> request = ToRequest(message, std::string(), client);
  auto body =
      std::make_shared<SocketBodyStream>(*connection.stream, buffer, parser, options.body_timeout, contexts_stopped);
  if (request) request->body_stream = body.get();
  std::string route_label = "unmatched";
  Response response = co_await Dispatch(request, route_label, false, language);
  co_await body->Settle();
  if (request) request->body_stream = nullptr;
  const bool keep_alive = parser.keep_alive() && !stopping && body->complete();
  connection.body_unread = !body->complete();
  co_return co_await Finish(*connection.stream, message, request, response, route_label, keep_alive, started, client);
}

// Routes the request: on this I/O thread when it can be answered without blocking
// (and `may_answer_inline`), otherwise on a worker.
asio::awaitable<Response> Server::Impl::Dispatch(std::optional<Request>& request, std::string& route_label,
                                                 bool may_answer_inline, Language language) {
  if (!request) co_return ProblemResponse(400, "bad-request", {}, language);
  if (may_answer_inline) {
    if (auto answered = dispatcher.HandleWithoutBlocking(*request, route_label)) co_return std::move(*answered);
  }
  co_return co_await asio::co_spawn(
      workers, [&]() -> asio::awaitable<Response> { co_return dispatcher.Handle(*request, route_label); },
      asio::use_awaitable);
}

// Writes the response, then records it in the metrics and the access log. Says
// whether the connection stays open.
asio::awaitable<bool> Server::Impl::Finish(TlsStream& stream, const BeastHeader& header,
                                           std::optional<Request>& request, Response& response,
                                           const std::string& route_label, bool keep_alive, Clock::time_point started,
                                           const std::string& client) {
  const int status = response.status;
  const std::uint64_t bytes = response.streamed_body ? response.streamed_length : response.body.size();
  const bool written =
      co_await Write(stream, response, header.version(), keep_alive, header.method() == bhttp::verb::head);

  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const std::string method(header.method_string());
  metrics.Record(method, route_label, status, seconds);
  if (auto access = spdlog::get("access")) {
    nlohmann::json line = {{"time", std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count()},
                           {"client", client},
                           {"method", method},
                           {"path", request ? request->path : std::string("-")},
                           {"route", route_label},
                           {"status", status},
                           {"bytes", bytes},
                           {"ms", seconds * 1000.0},
                           {"employee", request && request->principal ? request->principal->subject_id : ""}};
    access->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  co_return written&& keep_alive;
}

asio::awaitable<bool> Server::Impl::Write(TlsStream& stream, Response& response, unsigned version, bool keep_alive,
                                          bool head) {
  beast::error_code error;
  beast::get_lowest_layer(stream).expires_after(options.body_timeout);
  std::string out = SerializeResponseHead(response, version, keep_alive);
  if (response.streamed_body) {
    co_await asio::async_write(stream, asio::buffer(out), asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return false;
    if (head) co_return true;
    co_return co_await WriteStreamedBody(stream, *response.streamed_body, response.streamed_length);
  }
  const bool send_body = !head && !response.body.empty();
  // A small body goes out with the head, in one TLS record; a large one is not copied.
  const bool body_apart = send_body && response.body.size() > kCopiedBodyBytes;
  if (send_body && !body_apart) out += response.body;
  co_await asio::async_write(stream, asio::buffer(out), asio::redirect_error(asio::use_awaitable, error));
  if (!error && body_apart) {
    co_await asio::async_write(stream, asio::buffer(response.body), asio::redirect_error(asio::use_awaitable, error));
  }
  co_return !error;
}

// Reads each piece on a worker (it may decrypt and touch the disk) and writes it
// here. A source that fails or ends early ends the connection: the length is sent.
asio::awaitable<bool> Server::Impl::WriteStreamedBody(TlsStream& stream, BodySource& source, std::uint64_t length) {
  std::vector<char> chunk(kStreamChunkBytes);
  beast::error_code error;
  for (std::uint64_t remaining = length; remaining > 0;) {
    const std::size_t wanted = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), remaining));
    std::size_t produced = 0;
    try {
      produced = co_await asio::co_spawn(
          workers,
          [&]() -> asio::awaitable<std::size_t> { co_return source.Read(std::span<char>(chunk.data(), wanted)); },
          asio::use_awaitable);
    } catch (const std::exception& e) {
      spdlog::error("response body failed after {} of {} bytes: {}", length - remaining, length, e.what());
      co_return false;
    }
    if (produced == 0) {
      spdlog::error("response body ended after {} of {} bytes", length - remaining, length);
      co_return false;
    }
    remaining -= produced;
    beast::get_lowest_layer(stream).expires_after(options.body_timeout);
    co_await asio::async_write(stream, asio::buffer(chunk.data(), produced),
                               asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return false;
  }
  co_return true;
}

bool Server::Impl::IsWebSocketUpgrade(const BeastHeader& message) const {
  return websocket_endpoint != nullptr && beast::websocket::is_upgrade(message) &&
         message.target().substr(0, message.target().find('?')) == options.websocket_path;
}

// Authenticates the upgrade on a worker (it may read the store), answers 101 and
// hands the TLS session and the socket to a TlsWebSocket, which Serve then runs.
asio::awaitable<void> Server::Impl::Upgrade(LiveConnection& connection, const BeastHeader& message,
                                            const std::string& client, beast::flat_buffer& buffer) {
  const auto started = Clock::now();
  const std::string route_label = options.websocket_path;
  const auto record = [&](int status) {
    metrics.Record("GET", route_label, status, std::chrono::duration<double>(Clock::now() - started).count());
  };
  std::optional<Request> request = ToRequest(message, std::string(), client);
  if (!request) co_return;
  // Wrapped in optional: co_spawn needs a default-constructible result.
  std::optional<Result<Principal>> outcome = co_await asio::co_spawn(
      workers,
      [&]() -> asio::awaitable<std::optional<Result<Principal>>> {
        co_return dispatcher.AuthenticateUpgrade(*request);
      },
      asio::use_awaitable);
  Result<Principal> principal = std::move(*outcome);
  const auto key = message[bhttp::field::sec_websocket_key];
  if (principal && (message[bhttp::field::sec_websocket_version] != "13" || key.size() != 24)) {
    principal = MakeProblem(400, "bad-request");
  }
  if (!principal) {
    Response refusal = dispatcher.RenderedProblem(principal.problem(), request->language);
    co_await Write(*connection.stream, refusal, message.version(), false, false);
    record(refusal.status);
    co_return;
  }

  beast::error_code error;
  const std::string accepted = fmt::format(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: {}\r\nCache-Control: no-store\r\n\r\n",
      WebSocketAccept(std::string_view(key.data(), key.size())));
  co_await asio::async_write(*connection.stream, asio::buffer(accepted),
                             asio::redirect_error(asio::use_awaitable, error));
  if (error || stopping) co_return;
  record(101);

  // Nothing may be left inside Asio's TLS buffers: the client waits for the 101
  // before it sends a frame, so this holds unless a client breaks the protocol.
  SSL* ssl = connection.stream->native_handle();
  if (BIO_ctrl_pending(SSL_get_rbio(ssl)) != 0 || BIO_ctrl_pending(SSL_get_wbio(ssl)) != 0 || SSL_pending(ssl) != 0) {
    spdlog::warn("WebSocket of {} dropped: data sent before the upgrade was answered", principal->subject_id);
    co_return;
  }
  std::string already_read = beast::buffers_to_string(buffer.data());
  buffer = beast::flat_buffer();
  SSL_up_ref(ssl);
  tcp::socket socket = beast::get_lowest_layer(*connection.stream).release_socket();
  connection.stream.reset();  // frees Asio's TLS buffers
  socket.non_blocking(true, error);
  if (error || SSL_set_fd(ssl, static_cast<int>(socket.native_handle())) != 1) {
    SSL_free(ssl);
    co_return;
  }
  connection.idle = false;
  connection.websocket = std::make_shared<TlsWebSocket>(
      std::move(socket), ssl, std::move(*principal),
      TlsWebSocketOptions{options.websocket_idle_timeout, options.websocket_max_queued_bytes,
                          options.websocket_max_message_bytes},
      std::move(already_read));
}

std::vector<std::unique_ptr<asio::io_context>> Server::Impl::MakeContexts(int count) {
  std::vector<std::unique_ptr<asio::io_context>> made;
  for (int i = 0; i < std::max(1, count); ++i) made.push_back(std::make_unique<asio::io_context>(1));
  return made;
}

asio::io_context& Server::Impl::NextContext() {
  return *contexts[next_context.fetch_add(1, std::memory_order_relaxed) % contexts.size()];
}

void Server::Impl::StopContexts() {
  contexts_stopped = true;
  for (auto& context : contexts) context->stop();
}

// The other contexts may end once their connections are gone.
void Server::Impl::ReleaseContexts() {
  keep_running.clear();
}

// After a forced stop (grace period over, or a second signal) the contexts are stopped
// with connections still open. Close those and run the contexts until every coroutine
// has ended, while the members the coroutines use are alive: left to the contexts'
// destructors, the frames would end after `live` and `control` are gone (a crash).
void Server::Impl::FinishRemaining() {
  beast::error_code ignored;
  ReleaseContexts();
  signals.cancel();
  shutdown_timer.cancel();
  if (acceptor) acceptor->close(ignored);
  {
    std::lock_guard lock(live_mutex);
    for (auto& [pointer, weak] : live) {
      auto connection = weak.lock();
      if (!connection) continue;
      if (connection->websocket) {
        connection->websocket->Abort();
      } else if (connection->stream) {
        beast::get_lowest_layer(*connection->stream).socket().close(ignored);
      }
    }
  }
  // A coroutine on one context may post to another; stop when a whole pass ran nothing.
  for (std::size_t ran = 1; ran > 0;) {
    ran = 0;
    for (auto& context : contexts) {
      context->restart();
      ran += context->run();
    }
  }
}

Server::Server(ServerOptions options, const Dispatcher& dispatcher, Metrics& metrics,
               WebSocketEndpoint* websocket_endpoint)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher, metrics, websocket_endpoint)) {}

Server::~Server() = default;

void Server::Run(const std::function<void(std::uint16_t)>& on_listening) {
  impl_->ConfigureTls();
  impl_->Bind();
  impl_->WaitForSignal();
  asio::co_spawn(impl_->io, impl_->Accept(), LogException);
  on_listening(impl_->acceptor->local_endpoint().port());

  auto& contexts = impl_->contexts;
  for (std::size_t i = 1; i < contexts.size(); ++i) impl_->keep_running.push_back(asio::make_work_guard(*contexts[i]));
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < contexts.size(); ++i) threads.emplace_back([&contexts, i] { contexts[i]->run(); });
  impl_->io.run();
  for (auto& thread : threads) thread.join();
  impl_->workers.join();
  impl_->FinishRemaining();
  spdlog::info("server stopped");
}

}  // namespace egovbox::http
