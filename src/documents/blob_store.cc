#include "documents/blob_store.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <system_error>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "documents/posix_file.h"

namespace egovbox::documents {
namespace {

constexpr std::string_view kMagic = "EGOVBLB1";
constexpr std::size_t kChunkBytes = std::size_t{64} * 1024;
constexpr std::size_t kAuthBytes = crypto_secretstream_xchacha20poly1305_ABYTES;
constexpr std::size_t kSealedChunkBytes = kChunkBytes + kAuthBytes;
constexpr std::size_t kStreamHeaderBytes = crypto_secretstream_xchacha20poly1305_HEADERBYTES;
constexpr std::size_t kPrefixBytes = kMagic.size() + kKeyIdBytes + kStreamHeaderBytes;
constexpr unsigned char kTagMessage = crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
constexpr unsigned char kTagFinal = crypto_secretstream_xchacha20poly1305_TAG_FINAL;
static_assert(kDocumentKeyBytes == crypto_secretstream_xchacha20poly1305_KEYBYTES);

[[noreturn]] void Fail(const std::string& what, std::error_code error) {
  throw BlobError(what + ": " + error.message());
}

std::error_code LastError() {
  return {errno, std::generic_category()};
}

bool IsHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// 64 lower-case hex digits: anything else is refused before it comes near a path.
bool IsBlobName(std::string_view sha256) {
  return sha256.size() == 64 && IsHex(sha256);
}

std::string HexOf(std::span<const unsigned char> bytes) {
  return crypto::HexEncode(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::filesystem::path BlobsDirectory(const std::filesystem::path& root) {
  return root / "blobs";
}

std::filesystem::path TemporaryDirectory(const std::filesystem::path& root) {
  return root / "tmp";
}

std::filesystem::path BlobPath(const std::filesystem::path& root, std::string_view sha256) {
  return BlobsDirectory(root) / sha256.substr(0, 2) / sha256;
}

// mkdir with mode 0700; fsyncs the parent when it made the directory, so the new entry is durable.
void MakePrivateDirectory(const std::filesystem::path& directory) {
  if (::mkdir(directory.c_str(), 0700) == 0) {
    if (const auto error = SyncDirectory(directory.parent_path())) Fail("cannot sync " + directory.string(), error);
  } else if (errno != EEXIST) {
    Fail("cannot create " + directory.string(), LastError());
  }
}

// SHA-256 of a stream, fed as it passes.
class Sha256Stream {
 public:
  Sha256Stream() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("SHA-256 failed");
    }
  }
  void Update(const void* data, std::size_t size) {
    if (EVP_DigestUpdate(context_.get(), data, size) != 1) throw std::runtime_error("SHA-256 failed");
  }
  std::string FinishHex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1) throw std::runtime_error("SHA-256 failed");
    return HexOf(std::span(digest.data(), length));
  }

 private:
  struct Free {
    void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
  };
  std::unique_ptr<EVP_MD_CTX, Free> context_;
};

class StoredBlobWriter final : public BlobWriter {
 public:
  StoredBlobWriter(const BlobStore& store, const DocumentKeyring& keyring)
      : store_(&store),
        temporary_(TemporaryDirectory(store.root()) / (crypto::RandomToken(16) + ".part")),
        plain_(kChunkBytes),
        sealed_(kSealedChunkBytes) {
    fd_ = UniqueFd(::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd_.valid()) Fail("cannot create " + temporary_.string(), LastError());
    // Held until the writer is gone, so that RemoveTemporaryFiles passes over a live upload.
    if (::flock(fd_.get(), LOCK_EX | LOCK_NB) != 0) {
      const auto error = LastError();
      ::unlink(temporary_.c_str());
      Fail("cannot lock " + temporary_.string(), error);
    }
    std::array<unsigned char, kPrefixBytes> prefix{};
    std::copy(kMagic.begin(), kMagic.end(), prefix.begin());
    const KeyId key_id = keyring.current_id();
    std::copy(key_id.begin(), key_id.end(), prefix.begin() + kMagic.size());
    crypto_secretstream_xchacha20poly1305_init_push(&state_, prefix.data() + kMagic.size() + kKeyIdBytes,
                                                    keyring.current().data());
    prefix_ = prefix;
  }
  StoredBlobWriter(const StoredBlobWriter&) = delete;
  StoredBlobWriter& operator=(const StoredBlobWriter&) = delete;

  ~StoredBlobWriter() override {
    fd_.Close();
    if (!placed_) ::unlink(temporary_.c_str());
    sodium_memzero(&state_, sizeof state_);
    sodium_memzero(plain_.data(), plain_.size());
  }

  // Writes the prefix: separate from the constructor so that a failure here still
  // runs the destructor, which removes the file.
  void Start() { Append(prefix_); }

  void Write(std::span<const char> bytes) override {
    CheckWritable();
    hash_.Update(bytes.data(), bytes.size());
    size_ += bytes.size();
    while (!bytes.empty()) {
      // A full buffer is sealed only once more bytes arrive, so the last chunk,
      // sealed by Finish, is never empty unless the whole file is.
      if (filled_ == kChunkBytes) Seal(kTagMessage);
      const std::size_t count = std::min(kChunkBytes - filled_, bytes.size());
      std::memcpy(plain_.data() + filled_, bytes.data(), count);
      filled_ += count;
      bytes = bytes.subspan(count);
    }
  }

  std::uint64_t size() const override { return size_; }

  WrittenBlob Finish() override {
    CheckWritable();
    Seal(kTagFinal);
    if (const auto error = SyncFile(fd_.get())) Failed("cannot sync", error);
    if (const auto error = fd_.Close()) Failed("cannot close", error);
    sodium_memzero(&state_, sizeof state_);
    result_ = WrittenBlob{hash_.FinishHex(), size_};
    return *result_;
  }

  const BlobStore* store() const { return store_; }
  const std::filesystem::path& temporary() const { return temporary_; }
  const std::optional<WrittenBlob>& result() const { return result_; }
  bool placed() const { return placed_; }
  // The temporary file was renamed into place or removed: the destructor leaves it be.
  void MarkPlaced() { placed_ = true; }

 private:
  void CheckWritable() const {
    if (result_) throw std::logic_error("blob writer used after Finish");
    if (failed_) throw BlobError("blob writer used after a failed write to " + temporary_.string());
  }

  [[noreturn]] void Failed(const std::string& what, std::error_code error) {
    failed_ = true;
    Fail(what + " " + temporary_.string(), error);
  }

  void Append(std::span<const unsigned char> bytes) {
    if (const auto error = WriteAll(fd_.get(), bytes)) Failed("cannot write", error);
  }

  void Seal(unsigned char tag) {
    unsigned long long sealed_length = 0;
    crypto_secretstream_xchacha20poly1305_push(&state_, sealed_.data(), &sealed_length, plain_.data(), filled_, nullptr,
                                               0, tag);
    filled_ = 0;
    Append(std::span(sealed_.data(), static_cast<std::size_t>(sealed_length)));
  }

  const BlobStore* store_;
  std::filesystem::path temporary_;
  UniqueFd fd_;
  std::array<unsigned char, kPrefixBytes> prefix_{};
  crypto_secretstream_xchacha20poly1305_state state_{};
  std::vector<unsigned char> plain_;   // one chunk of plaintext waiting to be sealed
  std::size_t filled_ = 0;             // bytes of plain_ in use
  std::vector<unsigned char> sealed_;  // the chunk being written
  Sha256Stream hash_;
  std::uint64_t size_ = 0;
  std::optional<WrittenBlob> result_;
  bool failed_ = false;
  bool placed_ = false;
};

class StoredBlobReader final : public BlobReader {
 public:
  // `fd` is positioned after the prefix; `header` is the prefix's secretstream header.
  StoredBlobReader(UniqueFd fd, std::string sha256, const KeyId& key_id, const DocumentKey& key,
                   std::span<const unsigned char, kStreamHeaderBytes> header)
      : fd_(std::move(fd)),
        sha256_(std::move(sha256)),
        key_id_(key_id),
        plain_(kChunkBytes),
        sealed_(kSealedChunkBytes) {
    if (crypto_secretstream_xchacha20poly1305_init_pull(&state_, header.data(), key.data()) != 0) {
      throw BlobError("blob " + sha256_ + " has an invalid stream header");
    }
  }
  StoredBlobReader(const StoredBlobReader&) = delete;
  StoredBlobReader& operator=(const StoredBlobReader&) = delete;

  ~StoredBlobReader() override {
    sodium_memzero(&state_, sizeof state_);
    sodium_memzero(plain_.data(), plain_.size());
  }

  std::size_t Read(std::span<char> out) override {
    std::size_t total = 0;
    while (total < out.size()) {
      if (position_ == available_ && !Refill()) break;
      const std::size_t count = std::min(available_ - position_, out.size() - total);
      std::memcpy(out.data() + total, plain_.data() + position_, count);
      position_ += count;
      total += count;
    }
    return total;
  }

  // Stops at the end of the blob when `count` goes past it; Read then returns 0.
  void Skip(std::uint64_t count) override {
    while (count > 0) {
      if (position_ == available_ && !Refill()) return;
      const std::size_t step = static_cast<std::size_t>(std::min<std::uint64_t>(available_ - position_, count));
      position_ += step;
      count -= step;
    }
  }

  const KeyId& key_id() const { return key_id_; }

 private:
  [[noreturn]] void Failed(const std::string& what) {
    failed_ = true;
    throw BlobError("blob " + sha256_ + " " + what);
  }

  // Decrypts the next chunk into plain_; false at the end of the blob.
  bool Refill() {
    if (failed_) Failed("failed before");
    if (ended_) return false;
    std::error_code error;
    const std::size_t got = ReadFull(fd_.get(), sealed_, error);
    if (error) Failed("cannot be read: " + error.message());
    if (got < kAuthBytes) Failed("is truncated (no final chunk)");
    unsigned long long plain_length = 0;
    unsigned char tag = 0;
    if (crypto_secretstream_xchacha20poly1305_pull(&state_, plain_.data(), &plain_length, &tag, sealed_.data(), got,
                                                   nullptr, 0) != 0) {
      Failed("fails authentication (damaged or tampered with)");
    }
    hash_.Update(plain_.data(), plain_length);
    position_ = 0;
    available_ = static_cast<std::size_t>(plain_length);
    if (tag == kTagFinal) {
      ended_ = true;
      unsigned char extra = 0;
      if (ReadFull(fd_.get(), std::span(&extra, 1), error) != 0 || error) Failed("has bytes after its final chunk");
      fd_.Close();
      // The name is the plaintext's hash: a blob file moved under another name is caught here.
      if (hash_.FinishHex() != sha256_) Failed("does not match its name");
    } else if (tag != kTagMessage) {
      Failed("has a chunk with an unexpected tag");
    } else if (got < kSealedChunkBytes) {
      // Every chunk but the last is full: a short one without the final tag means the file was cut.
      Failed("is truncated (no final chunk)");
    }
    return true;
  }

  UniqueFd fd_;
  std::string sha256_;
  KeyId key_id_;
  crypto_secretstream_xchacha20poly1305_state state_{};
  std::vector<unsigned char> plain_;  // the current chunk's plaintext
  std::size_t position_ = 0;          // next byte of plain_ to hand out
  std::size_t available_ = 0;         // bytes of plain_ in use
  std::vector<unsigned char> sealed_;
  Sha256Stream hash_;
  bool ended_ = false;
  bool failed_ = false;
};

std::unique_ptr<StoredBlobReader> OpenStored(const std::filesystem::path& root, const DocumentKeyring& keyring,
                                             const std::string& sha256) {
  if (!IsBlobName(sha256)) throw BlobError("not a blob name (64 lower-case hex digits expected)");
  const auto path = BlobPath(root, sha256);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) throw BlobError("blob " + sha256 + " not found");
    Fail("cannot open " + path.string(), LastError());
  }
  std::array<unsigned char, kPrefixBytes> prefix{};
  std::error_code error;
  const std::size_t got = ReadFull(fd.get(), prefix, error);
  if (error) Fail("cannot read " + path.string(), error);
  if (got < prefix.size()) throw BlobError("blob " + sha256 + " is truncated (no header)");
  if (!std::equal(kMagic.begin(), kMagic.end(), prefix.begin())) throw BlobError("blob " + sha256 + " is no blob file");
  KeyId key_id{};
  std::copy_n(prefix.begin() + kMagic.size(), key_id.size(), key_id.begin());
  const auto key = keyring.Find(key_id);
  if (!key) throw BlobError("blob " + sha256 + " is encrypted under unknown key " + HexOf(key_id));
  return std::make_unique<StoredBlobReader>(std::move(fd), sha256, key_id, *key,
                                            std::span<const unsigned char, kStreamHeaderBytes>(
                                                prefix.data() + kMagic.size() + kKeyIdBytes, kStreamHeaderBytes));
}

std::unique_ptr<StoredBlobWriter> BeginStored(const BlobStore& store, const DocumentKeyring& keyring) {
  auto writer = std::make_unique<StoredBlobWriter>(store, keyring);
  writer->Start();
  return writer;
}

// Moves a finished writer's file to its blob's place and makes the rename durable.
void PlaceBlob(StoredBlobWriter& writer, const std::filesystem::path& target) {
  if (::rename(writer.temporary().c_str(), target.c_str()) != 0) {
    Fail("cannot move " + writer.temporary().string() + " to " + target.string(), LastError());
  }
  writer.MarkPlaced();
  if (const auto error = SyncDirectory(target.parent_path()))
    Fail("cannot sync " + target.parent_path().string(), error);
}

}  // namespace

BlobStore::BlobStore(std::filesystem::path root, DocumentKeyring keyring)
    : root_(std::move(root)), keyring_(std::move(keyring)) {
  std::error_code error;
  if (std::filesystem::create_directories(root_, error)) ::chmod(root_.c_str(), 0700);
  if (error) Fail("cannot create " + root_.string(), error);
  MakePrivateDirectory(BlobsDirectory(root_));
  MakePrivateDirectory(TemporaryDirectory(root_));
}

std::unique_ptr<BlobWriter> BlobStore::Begin() {
  return BeginStored(*this, keyring_);
}

void BlobStore::Commit(BlobWriter& writer) {
  auto* stored = dynamic_cast<StoredBlobWriter*>(&writer);
  if (stored == nullptr || stored->store() != this) throw std::invalid_argument("Commit of another store's writer");
  if (!stored->result()) throw std::logic_error("Commit before Finish");
  if (stored->placed()) throw std::logic_error("Commit of a writer already committed");
  const std::string& sha256 = stored->result()->sha256;
  const auto target = BlobPath(root_, sha256);
  MakePrivateDirectory(target.parent_path());
  if (::access(target.c_str(), F_OK) == 0) {
    ::unlink(stored->temporary().c_str());
    stored->MarkPlaced();
    return;
  }
  PlaceBlob(*stored, target);
}

std::unique_ptr<BlobReader> BlobStore::Open(const std::string& sha256) const {
  return OpenStored(root_, keyring_, sha256);
}

bool BlobStore::Contains(const std::string& sha256) const {
  return IsBlobName(sha256) && ::access(BlobPath(root_, sha256).c_str(), F_OK) == 0;
}

void BlobStore::Remove(const std::string& sha256) {
  if (!IsBlobName(sha256)) throw BlobError("not a blob name (64 lower-case hex digits expected)");
  const auto path = BlobPath(root_, sha256);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) Fail("cannot remove " + path.string(), LastError());
}

std::vector<std::string> BlobStore::List() const {
  std::vector<std::string> hashes;
  std::error_code error;
  for (std::filesystem::directory_iterator prefixes(BlobsDirectory(root_), error), end; !error && prefixes != end;
       prefixes.increment(error)) {
    const std::string prefix = prefixes->path().filename().string();
    std::error_code inner;
    if (prefix.size() != 2 || !IsHex(prefix) || !prefixes->is_directory(inner)) continue;
    for (std::filesystem::directory_iterator blobs(prefixes->path(), inner); !inner && blobs != end;
         blobs.increment(inner)) {
      const std::filesystem::path name = blobs->path().filename();
      if (IsBlobName(name.native()) && name.native().starts_with(prefix)) hashes.push_back(name.native());
    }
    if (inner) Fail("cannot list " + prefixes->path().string(), inner);
  }
  if (error) Fail("cannot list " + BlobsDirectory(root_).string(), error);
  std::sort(hashes.begin(), hashes.end());
  return hashes;
}

std::size_t BlobStore::RemoveTemporaryFiles() {
  std::size_t removed = 0;
  std::error_code error;
  const auto directory = TemporaryDirectory(root_);
  for (std::filesystem::directory_iterator entries(directory, error), end; !error && entries != end;
       entries.increment(error)) {
    const auto& path = entries->path();
    std::error_code status_error;
    if (entries->is_directory(status_error)) continue;
    // A live writer holds an exclusive lock on its file: leave it alone.
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (fd.valid() && ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) continue;
    if (::unlink(path.c_str()) == 0) ++removed;
  }
  if (error) Fail("cannot list " + directory.string(), error);
  return removed;
}

bool BlobStore::Reencrypt(const std::string& sha256) {
  auto reader = OpenStored(root_, keyring_, sha256);
  if (reader->key_id() == keyring_.current_id()) return false;
  auto writer = BeginStored(*this, keyring_);
  std::vector<char> buffer(kChunkBytes);
  // Reading to the end checks the final tag and the hash, so only an intact blob is re-encrypted.
  while (const std::size_t count = reader->Read(buffer)) writer->Write(std::span(buffer.data(), count));
  sodium_memzero(buffer.data(), buffer.size());
  const WrittenBlob written = writer->Finish();
  if (written.sha256 != sha256) throw BlobError("blob " + sha256 + " changed while being re-encrypted");
  const std::lock_guard lock(commit_mutex_);
  const auto target = BlobPath(root_, sha256);
  // Removed meanwhile (no version needs it any more): do not bring it back.
  if (::access(target.c_str(), F_OK) != 0) return false;
  PlaceBlob(*writer, target);
  return true;
}

}  // namespace egovbox::documents
