#include "documents/document_keyring.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "documents/posix_file.h"

namespace egovbox::documents {
namespace {

constexpr std::string_view kKeyIdContext = "egovbox-documents-key-id";
constexpr std::string_view kKeyFileSuffix = ".key";

[[noreturn]] void Fail(const std::string& what, const std::filesystem::path& file, std::error_code error) {
  throw std::runtime_error(what + " " + file.string() + ": " + error.message());
}

std::string HexId(const KeyId& id) {
  return crypto::HexEncode(std::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
}

DocumentKey ReadKeyFile(const std::filesystem::path& file) {
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) Fail("cannot open document key", file, {errno, std::generic_category()});
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) Fail("cannot stat document key", file, {errno, std::generic_category()});
  if (!S_ISREG(status.st_mode)) throw std::runtime_error("document key " + file.string() + " is not a regular file");
  if (status.st_size != static_cast<off_t>(kDocumentKeyBytes)) {
    throw std::runtime_error("document key " + file.string() + " is " + std::to_string(status.st_size) +
                             " bytes, not " + std::to_string(kDocumentKeyBytes));
  }
  DocumentKey key{};
  std::error_code error;
  const std::size_t got = ReadFull(fd.get(), key, error);
  if (error) Fail("cannot read document key", file, error);
  if (got != key.size()) throw std::runtime_error("document key " + file.string() + " changed while being read");
  return key;
}

DocumentKey NewKey() {
  DocumentKey key{};
  const std::string random = crypto::RandomBytes(key.size());
  std::copy(random.begin(), random.end(), key.begin());
  return key;
}

enum class Replace { kNo, kYes };

// Written to a temporary file in the same directory, fsynced, then put in place,
// so a crash never leaves a short key. With Replace::kNo an existing file wins
// (link(2) fails with EEXIST), so two processes starting at once agree on one key.
// Returns false when the file already existed and was left alone.
bool WriteKeyFile(const std::filesystem::path& file, const DocumentKey& key, Replace replace) {
  const auto directory = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  const auto temporary = directory / ("." + file.filename().string() + "." + crypto::RandomToken(8) + ".tmp");
  UniqueFd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (!fd.valid()) Fail("cannot create", temporary, {errno, std::generic_category()});
  std::error_code error = WriteAll(fd.get(), key);
  if (!error) error = SyncFile(fd.get());
  if (const auto closed = fd.Close(); !error) error = closed;
  bool placed = true;
  if (!error) {
    if (replace == Replace::kYes) {
      if (::rename(temporary.c_str(), file.c_str()) != 0) error = {errno, std::generic_category()};
    } else if (::link(temporary.c_str(), file.c_str()) != 0) {
      if (errno == EEXIST) {
        placed = false;
      } else {
        error = {errno, std::generic_category()};
      }
    }
  }
  ::unlink(temporary.c_str());  // after rename it is gone already; after link it is the second name
  if (error) Fail("cannot write document key", file, error);
  if (const auto synced = SyncDirectory(directory)) Fail("cannot sync", directory, synced);
  return placed;
}

void CreatePrivateDirectory(const std::filesystem::path& directory) {
  if (directory.empty()) return;
  std::error_code error;
  if (std::filesystem::create_directories(directory, error)) {
    ::chmod(directory.c_str(), 0700);
    if (directory.has_parent_path()) SyncDirectory(directory.parent_path());
  }
  if (error) Fail("cannot create", directory, error);
}

std::vector<DocumentKey> ReadRetiredKeys(const std::filesystem::path& retired_dir) {
  std::vector<DocumentKey> keys;
  std::error_code error;
  if (!std::filesystem::exists(retired_dir, error)) return keys;
  std::filesystem::directory_iterator entries(retired_dir, error);
  if (error) Fail("cannot list retired document keys in", retired_dir, error);
  std::vector<std::filesystem::path> files;
  for (const auto& entry : entries) {
    const auto& path = entry.path();
    if (path.extension() == kKeyFileSuffix && path.filename().string().front() != '.') files.push_back(path);
  }
  // In a stable order, so that Load gives the same keyring for the same directory.
  std::sort(files.begin(), files.end());
  for (const auto& file : files) keys.push_back(ReadKeyFile(file));
  return keys;
}

}  // namespace

DocumentKeyring::DocumentKeyring(DocumentKey current, std::vector<DocumentKey> retired)
    : current_(current), retired_(std::move(retired)) {
  // The current key may also lie in the retired directory (a rotation interrupted
  // after retiring it); keep it once.
  const KeyId current_id = IdOf(current_);
  std::erase_if(retired_, [&](const DocumentKey& key) { return IdOf(key) == current_id; });
}

DocumentKeyring DocumentKeyring::Load(const std::filesystem::path& current_key_file,
                                      const std::filesystem::path& retired_dir) {
  std::error_code error;
  if (!std::filesystem::exists(current_key_file, error)) {
    if (error) Fail("cannot look for document key", current_key_file, error);
    CreatePrivateDirectory(current_key_file.parent_path());
    WriteKeyFile(current_key_file, NewKey(), Replace::kNo);
  }
  return DocumentKeyring(ReadKeyFile(current_key_file), ReadRetiredKeys(retired_dir));
}

KeyId DocumentKeyring::IdOf(const DocumentKey& key) {
  // BLAKE2b with its default 32-byte output, keyed with the document key; the id is
  // the first 8 bytes. (BLAKE2b's output length is a parameter of the hash, so a
  // shorter output would give other bytes: keep crypto_generichash_BYTES.)
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(kKeyIdContext.data()),
                     kKeyIdContext.size(), key.data(), key.size());
  KeyId id{};
  std::copy_n(digest.begin(), id.size(), id.begin());
  return id;
}

std::optional<DocumentKey> DocumentKeyring::Find(const KeyId& id) const {
  if (IdOf(current_) == id) return current_;
  for (const auto& key : retired_) {
    if (IdOf(key) == id) return key;
  }
  return std::nullopt;
}

DocumentKeyring DocumentKeyring::Rotate(const std::filesystem::path& current_key_file,
                                        const std::filesystem::path& retired_dir) {
  const DocumentKey old_key = Load(current_key_file, retired_dir).current();
  // The old key is written to the retired directory before the new one replaces it,
  // so at every moment one of the two files holds it: an interrupted rotation loses nothing.
  CreatePrivateDirectory(retired_dir);
  WriteKeyFile(retired_dir / (HexId(IdOf(old_key)) + std::string(kKeyFileSuffix)), old_key, Replace::kYes);
  WriteKeyFile(current_key_file, NewKey(), Replace::kYes);
  return Load(current_key_file, retired_dir);
}

}  // namespace egovbox::documents
