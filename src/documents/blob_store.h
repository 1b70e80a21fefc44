// Encrypted, content-addressed file store under <data>/documents.
//
// A blob is the bytes of one uploaded file, encrypted with libsodium's
// secretstream (XChaCha20-Poly1305) in 64 KiB chunks and named by the SHA-256
// of its plaintext: blobs/<2 hex>/<64 hex>. Equal files are stored once.
// On disk a blob is: "EGOVBLB1" (8 bytes), the id of the key (8 bytes), the
// secretstream header, then the chunks; the last chunk carries the FINAL tag,
// so a truncated blob fails to decrypt instead of reading short.
//
// An upload is written to tmp/<random>.part while it arrives, its hash computed
// as it goes; Commit fsyncs it and renames it into place (or drops it when the
// blob is already there). Start-up removes whatever tmp/ still holds. Nothing
// here knows of documents or the database: the caller records a blob after
// Commit and holds CommitLock() across Commit and that record, and across the
// check and the Remove of a blob no version refers to any more.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "documents/document_keyring.h"

namespace egovbox::documents {

class BlobError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WrittenBlob {
  std::string sha256;  // lower-case hex of the plaintext
  std::uint64_t size = 0;
};

// One upload on its way to disk. Not thread-safe. The destructor removes the
// temporary file unless the blob was committed.
class BlobWriter {
 public:
  virtual ~BlobWriter() = default;
  // Encrypts and appends. Throws BlobError on a disk failure.
  virtual void Write(std::span<const char> bytes) = 0;
  virtual std::uint64_t size() const = 0;
  // Writes the final chunk, fsyncs, and returns the hash. Write may not be called after.
  virtual WrittenBlob Finish() = 0;
};

// Reads a blob's plaintext from the start. Throws BlobError when the blob is
// missing, was encrypted under an unknown key, or fails authentication.
class BlobReader {
 public:
  virtual ~BlobReader() = default;
  // Up to `out.size()` bytes; 0 at the end.
  virtual std::size_t Read(std::span<char> out) = 0;
  // Discards `count` bytes (decrypting them: secretstream cannot seek).
  virtual void Skip(std::uint64_t count) = 0;
};

class BlobStore {
 public:
  // Creates <root>/blobs and <root>/tmp (0700) when missing.
  BlobStore(std::filesystem::path root, DocumentKeyring keyring);

  std::unique_ptr<BlobWriter> Begin();
  // After Finish: moves the temporary file to its place (fsyncing the directory),
  // or removes it when a blob with that hash is there already.
  void Commit(BlobWriter& writer);
  std::unique_ptr<BlobReader> Open(const std::string& sha256) const;
  bool Contains(const std::string& sha256) const;
  void Remove(const std::string& sha256);
  // The hashes of every stored blob (for the collection of unreferenced ones).
  std::vector<std::string> List() const;
  // Temporary files of uploads that never finished; returns how many were removed.
  std::size_t RemoveTemporaryFiles();
  // Re-encrypts a blob under the current key when it is under another; returns
  // whether it did. Safe to interrupt: the old file stays until the new one is in place.
  // Takes CommitLock() for the final rename (a blob removed meanwhile is not brought
  // back): do not call it while holding that lock.
  bool Reencrypt(const std::string& sha256);

  std::mutex& CommitLock() { return commit_mutex_; }
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
  DocumentKeyring keyring_;
  std::mutex commit_mutex_;
};

}  // namespace egovbox::documents
