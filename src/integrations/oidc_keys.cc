#include "integrations/oidc_keys.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <stdexcept>

#include "crypto/digest.h"
#include "crypto/encoding.h"

namespace egovbox::integrations {
namespace {

constexpr const char* kCurrentFile = "current.pem";
constexpr const char* kPreviousFile = "previous.pem";
constexpr std::size_t kCoordinateBytes = 32;  // P-256
constexpr std::size_t kMaxPemBytes = 16 * std::size_t{1024};

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* pointer) const { Free(pointer); }
};
using KeyHandle = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using BioHandle = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using BignumHandle = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;

// A coordinate of the public point, left-padded to 32 bytes (RFC 7518 §6.2.1.2).
std::optional<std::string> Coordinate(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return std::nullopt;
  const BignumHandle number(raw);
  std::array<unsigned char, kCoordinateBytes> bytes{};
  if (BN_bn2binpad(number.get(), bytes.data(), static_cast<int>(bytes.size())) != static_cast<int>(bytes.size())) {
    return std::nullopt;
  }
  return crypto::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

bool IsP256(const EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "EC") != 1) return false;
  std::array<char, 64> group{};
  std::size_t length = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), &length) != 1) {
    return false;
  }
  const std::string_view name(group.data(), length);
  return name == "prime256v1" || name == "P-256";
}

std::optional<OidcSigningKey> FromKey(const EVP_PKEY* key, std::string pem) {
  if (!IsP256(key)) return std::nullopt;
  const auto x = Coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X);
  const auto y = Coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y);
  if (!x || !y) return std::nullopt;
  // RFC 7638 §3.2: the required members in lexicographic order, no white space.
  const std::string canonical = R"({"crv":"P-256","kty":"EC","x":")" + *x + R"(","y":")" + *y + R"("})";
  OidcSigningKey signing;
  signing.kid = crypto::Base64UrlEncode(crypto::Sha256(canonical));
  signing.private_key_pem = std::move(pem);
  signing.public_jwk = {{"kty", "EC"},        {"crv", "P-256"}, {"x", *x},       {"y", *y},
                        {"kid", signing.kid}, {"use", "sig"},   {"alg", "ES256"}};
  return signing;
}

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the OIDC key " + file.string());
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (text.size() > kMaxPemBytes) throw std::runtime_error("the OIDC key " + file.string() + " is too large");
  return text;
}

std::shared_ptr<const OidcSigningKey> LoadKeyFile(const std::filesystem::path& file) {
  auto key = ReadSigningKey(ReadFile(file));
  if (!key) throw std::runtime_error("the OIDC key " + file.string() + " is not a P-256 private key");
  return std::make_shared<const OidcSigningKey>(std::move(*key));
}

// Written with mode 0600 under a temporary name, synced, and renamed over `file`.
void WriteKeyFile(const std::filesystem::path& file, const std::string& pem) {
  const auto temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + temporary);
  const bool written = ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(temporary.c_str(), file.c_str()) != 0) {
    throw std::runtime_error("cannot write " + file.string());
  }
}

void EnsureDirectory(const std::filesystem::path& directory) {
  std::filesystem::create_directories(directory);
  chmod(directory.c_str(), 0700);
}

}  // namespace

std::optional<OidcSigningKey> ReadSigningKey(std::string_view pem) {
  if (pem.size() > kMaxPemBytes) return std::nullopt;
  const BioHandle bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return std::nullopt;
  const KeyHandle key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) return std::nullopt;
  return FromKey(key.get(), std::string(pem));
}

OidcSigningKey MakeSigningKey() {
  const KeyHandle key(EVP_EC_gen("P-256"));
  if (!key) throw std::runtime_error("cannot make a P-256 key");
  const BioHandle bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("cannot encode a P-256 key");
  }
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  auto signing = FromKey(key.get(), std::string(data, static_cast<std::size_t>(length)));
  if (!signing) throw std::runtime_error("cannot read back a new P-256 key");
  return std::move(*signing);
}

OidcKeySet::OidcKeySet(std::filesystem::path directory) : directory_(std::move(directory)) {
  EnsureDirectory(directory_);
  if (!std::filesystem::exists(directory_ / kCurrentFile)) {
    WriteKeyFile(directory_ / kCurrentFile, MakeSigningKey().private_key_pem);
  }
  const std::lock_guard lock(mutex_);
  RefreshLocked();
}

void OidcKeySet::RefreshLocked() {
  const auto stamp = [](const std::filesystem::path& file) -> std::optional<FileStamp> {
    struct stat status {};
    if (::stat(file.c_str(), &status) != 0) return std::nullopt;
    constexpr std::int64_t kNanosecondsPerSecond = 1'000'000'000;
    return FileStamp{status.st_ino,
                     static_cast<std::int64_t>(status.st_mtim.tv_sec) * kNanosecondsPerSecond + status.st_mtim.tv_nsec};
  };
  const auto current_file = directory_ / kCurrentFile;
  const auto previous_file = directory_ / kPreviousFile;
  const auto current_stamp = stamp(current_file);
  // A missing current key (mid-rotation, or removed) keeps the one in memory.
  if (current_stamp && (!loaded_.current || *current_stamp != loaded_.current_stamp)) {
    loaded_.current = LoadKeyFile(current_file);
    loaded_.current_stamp = *current_stamp;
  }
  const auto previous_stamp = stamp(previous_file);
  if (!previous_stamp) {
    loaded_.previous = nullptr;
    loaded_.previous_stamp = {};
  } else if (!loaded_.previous || *previous_stamp != loaded_.previous_stamp) {
    loaded_.previous = LoadKeyFile(previous_file);
    loaded_.previous_stamp = *previous_stamp;
  }
}

std::shared_ptr<const OidcSigningKey> OidcKeySet::Current() {
  const std::lock_guard lock(mutex_);
  RefreshLocked();
  return loaded_.current;
}

nlohmann::json OidcKeySet::Jwks() {
  const std::lock_guard lock(mutex_);
  RefreshLocked();
  nlohmann::json keys = nlohmann::json::array({loaded_.current->public_jwk});
  // Between the two renames of a rotation both files hold the same key: publish it once.
  if (loaded_.previous && loaded_.previous->kid != loaded_.current->kid) keys.push_back(loaded_.previous->public_jwk);
  return {{"keys", std::move(keys)}};
}

OidcKeyRotation OidcKeySet::Rotate(const std::filesystem::path& directory) {
  EnsureDirectory(directory);
  OidcKeyRotation rotation;
  const auto current_file = directory / kCurrentFile;
  const OidcSigningKey fresh = MakeSigningKey();
  if (std::filesystem::exists(current_file)) {
    const std::string old_pem = ReadFile(current_file);
    const auto old_key = ReadSigningKey(old_pem);
    if (!old_key) throw std::runtime_error("the OIDC key " + current_file.string() + " is not a P-256 private key");
    // The old key is published as previous before the new one signs anything.
    WriteKeyFile(directory / kPreviousFile, old_pem);
    rotation.previous_kid = old_key->kid;
  }
  WriteKeyFile(current_file, fresh.private_key_pem);
  rotation.kid = fresh.kid;
  return rotation;
}

}  // namespace egovbox::integrations
