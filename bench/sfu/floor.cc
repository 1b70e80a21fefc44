// egovbox-sfu-floor: what forwarding a packet costs at the least, on this machine,
// for `make bench-sfu` (bench/sfu/run.sh runs it pinned to the media worker's core).
//
// For each RTP size given (--sizes, bytes before SRTP), in one thread, by that
// thread's CPU time:
//   - a raw loopback sendmmsg and recvmmsg of datagrams of that size plus a 16-byte
//     tag, 32 per call, between two UDP sockets, with no processing at all;
//   - OpenSSL's EVP primitives for each DTLS-SRTP profile on that packet, with
//     contexts made once and re-keyed per packet only with the IV, as an SFU's
//     per-packet work would be: AES-128-GCM seal (header as AAD) and open, and
//     AES-128-CTR plus HMAC-SHA1 (80-bit tag, over header, payload and ROC) both ways,
//     the HMAC from the key's precomputed inner and outer SHA-1 states.
// Prints one JSON object on stdout:
//   {"sizes": {"1100": {"send_ns", "recv_ns", "SRTP_AEAD_AES_128_GCM": {"protect_ns",
//    "unprotect_ns"}, "SRTP_AES128_CM_SHA1_80": {...}}, ...}}
// and a line per figure on stderr. Loopback only.
// SHA1_Init & co: HMAC-SHA1 from precomputed inner and outer states, as
// src/media/srtp_session.cc computes it (a struct copy per packet, no allocation).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr std::size_t kBatch = 32;
constexpr std::size_t kTagRoom = 16;
constexpr std::size_t kHeaderSize = 20;  // RTP fixed header + one extension word, as the loadgen sends
constexpr std::size_t kHmacTagSize = 10;
constexpr std::size_t kGcmTagSize = 16;
constexpr int kKeySize = 16;
constexpr double kSecondsPerFigure = 0.25;
constexpr int kSocketBuffer = 4 << 20;

double ThreadCpuNs() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec);
}

// Runs `body` (which handles `per_call` packets) until kSecondsPerFigure of CPU has
// gone; returns nanoseconds per packet.
double NsPerPacket(std::size_t per_call, const std::function<void()>& body) {
  for (int i = 0; i < 100; ++i) body();  // warm caches and the cipher
  const double start = ThreadCpuNs();
  std::size_t packets = 0;
  double now = start;
  while (now - start < kSecondsPerFigure * 1e9) {
    for (int i = 0; i < 64; ++i) body();
    packets += 64 * per_call;
    now = ThreadCpuNs();
  }
  return (now - start) / static_cast<double>(packets);
}

int OpenSocket(sockaddr_in* bound) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &kSocketBuffer, sizeof kSocketBuffer);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &kSocketBuffer, sizeof kSocketBuffer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  *bound = address;
  return fd;
}

// sendmmsg and recvmmsg of `size`-byte datagrams, timed separately.
std::pair<double, double> LoopbackNs(std::size_t size) {
  sockaddr_in to{};
  sockaddr_in from{};
  const int receiver = OpenSocket(&to);
  const int sender = OpenSocket(&from);
  std::vector<std::uint8_t> storage(kBatch * 2048, 0x42);
  std::array<iovec, kBatch> send_vectors{};
  std::array<mmsghdr, kBatch> send_messages{};
  std::array<iovec, kBatch> receive_vectors{};
  std::array<mmsghdr, kBatch> receive_messages{};
  std::array<sockaddr_in, kBatch> sources{};
  for (std::size_t i = 0; i < kBatch; ++i) {
    send_vectors[i] = {storage.data() + i * 2048, size};
    send_messages[i].msg_hdr.msg_iov = &send_vectors[i];
    send_messages[i].msg_hdr.msg_iovlen = 1;
    send_messages[i].msg_hdr.msg_name = &to;
    send_messages[i].msg_hdr.msg_namelen = sizeof to;
  }
  std::vector<std::uint8_t> receive_storage(kBatch * 2048);
  double send_ns = 0;
  double receive_ns = 0;
  std::size_t sent = 0;
  std::size_t received = 0;
  for (int i = 0; i < 100; ++i) {  // warm up
    sendmmsg(sender, send_messages.data(), kBatch, 0);
    while (recvmmsg(receiver, receive_messages.data(), 0, MSG_DONTWAIT, nullptr) > 0) {
    }
  }
  const double start = ThreadCpuNs();
  while (send_ns + receive_ns < 2 * kSecondsPerFigure * 1e9 && ThreadCpuNs() - start < 4 * kSecondsPerFigure * 1e9) {
    const double before_send = ThreadCpuNs();
    const int count = sendmmsg(sender, send_messages.data(), kBatch, 0);
    const double after_send = ThreadCpuNs();
    for (std::size_t i = 0; i < kBatch; ++i) {
      receive_vectors[i] = {receive_storage.data() + i * 2048, 2048};
      receive_messages[i].msg_hdr = {};
      receive_messages[i].msg_hdr.msg_iov = &receive_vectors[i];
      receive_messages[i].msg_hdr.msg_iovlen = 1;
      receive_messages[i].msg_hdr.msg_name = &sources[i];
      receive_messages[i].msg_hdr.msg_namelen = sizeof sources[i];
    }
    const int got = recvmmsg(receiver, receive_messages.data(), kBatch, MSG_DONTWAIT, nullptr);
    const double after_receive = ThreadCpuNs();
    if (count > 0) {
      sent += static_cast<std::size_t>(count);
      send_ns += after_send - before_send;
    }
    if (got > 0) {
      received += static_cast<std::size_t>(got);
      receive_ns += after_receive - after_send;
    }
  }
  close(sender);
  close(receiver);
  return {sent > 0 ? send_ns / static_cast<double>(sent) : 0,
          received > 0 ? receive_ns / static_cast<double>(received) : 0};
}

struct Ciphers {
  Ciphers() {
    const std::array<std::uint8_t, kKeySize> key{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    std::array<std::uint8_t, 20> auth_key{};
    auth_key.fill(0x33);
    gcm_seal = EVP_CIPHER_CTX_new();
    gcm_open = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(gcm_seal, EVP_aes_128_gcm(), nullptr, key.data(), nullptr);
    EVP_DecryptInit_ex(gcm_open, EVP_aes_128_gcm(), nullptr, key.data(), nullptr);
    ctr = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(ctr, EVP_aes_128_ctr(), nullptr, key.data(), nullptr);
    std::array<std::uint8_t, 64> pad{};
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = (i < auth_key.size() ? auth_key[i] : 0) ^ 0x36;
    SHA1_Init(&inner);
    SHA1_Update(&inner, pad.data(), pad.size());
    for (std::size_t i = 0; i < pad.size(); ++i) pad[i] = (i < auth_key.size() ? auth_key[i] : 0) ^ 0x5C;
    SHA1_Init(&outer);
    SHA1_Update(&outer, pad.data(), pad.size());
  }
  ~Ciphers() {
    EVP_CIPHER_CTX_free(gcm_seal);
    EVP_CIPHER_CTX_free(gcm_open);
    EVP_CIPHER_CTX_free(ctr);
  }
  Ciphers(const Ciphers&) = delete;
  Ciphers& operator=(const Ciphers&) = delete;

  EVP_CIPHER_CTX* gcm_seal = nullptr;
  EVP_CIPHER_CTX* gcm_open = nullptr;
  EVP_CIPHER_CTX* ctr = nullptr;
  SHA_CTX inner{};
  SHA_CTX outer{};
};

// RFC 7714 §8.2 shape: the header authenticated, the payload encrypted, a 16-byte tag.
void GcmSeal(Ciphers& ciphers, std::uint8_t* packet, std::size_t size, const std::uint8_t* iv) {
  int written = 0;
  EVP_EncryptInit_ex(ciphers.gcm_seal, nullptr, nullptr, nullptr, iv);
  EVP_EncryptUpdate(ciphers.gcm_seal, nullptr, &written, packet, kHeaderSize);
  EVP_EncryptUpdate(ciphers.gcm_seal, packet + kHeaderSize, &written, packet + kHeaderSize,
                    static_cast<int>(size - kHeaderSize));
  EVP_EncryptFinal_ex(ciphers.gcm_seal, packet + size, &written);
  EVP_CIPHER_CTX_ctrl(ciphers.gcm_seal, EVP_CTRL_GCM_GET_TAG, kGcmTagSize, packet + size);
}

bool GcmOpen(Ciphers& ciphers, const std::uint8_t* packet, std::uint8_t* out, std::size_t size,
             const std::uint8_t* iv) {
  int written = 0;
  EVP_DecryptInit_ex(ciphers.gcm_open, nullptr, nullptr, nullptr, iv);
  EVP_DecryptUpdate(ciphers.gcm_open, nullptr, &written, packet, kHeaderSize);
  EVP_DecryptUpdate(ciphers.gcm_open, out + kHeaderSize, &written, packet + kHeaderSize,
                    static_cast<int>(size - kHeaderSize));
  EVP_CIPHER_CTX_ctrl(ciphers.gcm_open, EVP_CTRL_GCM_SET_TAG, kGcmTagSize,
                      const_cast<std::uint8_t*>(packet + size));  // OpenSSL reads the tag only
  return EVP_DecryptFinal_ex(ciphers.gcm_open, out + size, &written) == 1;
}

// RFC 3711 §4.1.1 and §4.2: AES-CM of the payload, HMAC-SHA1 over header, payload and ROC.
void CtrHmac(Ciphers& ciphers, std::uint8_t* packet, std::size_t size, const std::uint8_t* iv, bool encrypt_first) {
  int written = 0;
  std::array<std::uint8_t, 20> tag{};
  const std::array<std::uint8_t, 4> roc{};
  if (encrypt_first) {
    EVP_EncryptInit_ex(ciphers.ctr, nullptr, nullptr, nullptr, iv);
    EVP_EncryptUpdate(ciphers.ctr, packet + kHeaderSize, &written, packet + kHeaderSize,
                      static_cast<int>(size - kHeaderSize));
  }
  SHA_CTX context = ciphers.inner;
  SHA1_Update(&context, packet, size);
  SHA1_Update(&context, roc.data(), roc.size());
  SHA1_Final(tag.data(), &context);
  context = ciphers.outer;
  SHA1_Update(&context, tag.data(), tag.size());
  SHA1_Final(tag.data(), &context);
  if (encrypt_first) {
    std::memcpy(packet + size, tag.data(), kHmacTagSize);
  } else {
    volatile bool same = std::memcmp(packet + size, tag.data(), kHmacTagSize) == 0;
    static_cast<void>(same);
    EVP_EncryptInit_ex(ciphers.ctr, nullptr, nullptr, nullptr, iv);
    EVP_EncryptUpdate(ciphers.ctr, packet + kHeaderSize, &written, packet + kHeaderSize,
                      static_cast<int>(size - kHeaderSize));
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes = {1100, 100};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::string(argv[i]) == "--sizes") {
      sizes.clear();
      std::istringstream list(argv[i + 1]);
      for (std::string item; std::getline(list, item, ',');) sizes.push_back(std::stoul(item));
    }
  }
  Ciphers ciphers;
  nlohmann::json result = {{"sizes", nlohmann::json::object()}};
  for (const std::size_t size : sizes) {
    if (size <= kHeaderSize || size > 1400) continue;
    std::vector<std::uint8_t> packet(size + kTagRoom + kTagRoom, 0x5A);
    std::vector<std::uint8_t> sealed(size + kTagRoom + kTagRoom);
    std::vector<std::uint8_t> opened(size + kTagRoom + kTagRoom);
    std::array<std::uint8_t, 16> iv{};
    std::uint32_t counter = 0;
    auto next_iv = [&] {
      ++counter;
      std::memcpy(iv.data() + 8, &counter, sizeof counter);
      return iv.data();
    };
    const auto [send_ns, receive_ns] = LoopbackNs(size + kTagRoom);
    const double gcm_protect = NsPerPacket(1, [&] { GcmSeal(ciphers, packet.data(), size, next_iv()); });
    std::memcpy(sealed.data(), packet.data(), packet.size());
    iv.fill(0);
    GcmSeal(ciphers, sealed.data(), size, iv.data());
    const double gcm_unprotect = NsPerPacket(1, [&] {
      if (!GcmOpen(ciphers, sealed.data(), opened.data(), size, iv.data())) std::abort();
    });
    const double cm_protect = NsPerPacket(1, [&] { CtrHmac(ciphers, packet.data(), size, next_iv(), true); });
    const double cm_unprotect = NsPerPacket(1, [&] { CtrHmac(ciphers, packet.data(), size, next_iv(), false); });
    result["sizes"][std::to_string(size)] = {
        {"send_ns", send_ns},
        {"recv_ns", receive_ns},
        {"SRTP_AEAD_AES_128_GCM", {{"protect_ns", gcm_protect}, {"unprotect_ns", gcm_unprotect}}},
        {"SRTP_AES128_CM_SHA1_80", {{"protect_ns", cm_protect}, {"unprotect_ns", cm_unprotect}}}};
    std::fprintf(stderr,
                 "floor, %4zu-byte RTP: sendmmsg %.0f ns, recvmmsg %.0f ns per datagram; OpenSSL AES-128-GCM %.0f/%.0f "
                 "ns, AES-128-CTR+HMAC-SHA1 %.0f/%.0f ns (protect/unprotect)\n",
                 size, send_ns, receive_ns, gcm_protect, gcm_unprotect, cm_protect, cm_unprotect);
  }
  std::printf("%s\n", result.dump().c_str());
  return 0;
}
