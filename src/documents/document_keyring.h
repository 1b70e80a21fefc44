// The keys that encrypt documents at rest: the current one, which encrypts every
// new blob, and retired ones, kept only to read blobs not yet re-encrypted.
//
// Key files are 32 random bytes, mode 0600: <keys>/documents.key is the current
// key, <keys>/documents-retired/<id>.key the retired ones. A key's id is the
// first 8 bytes of the 32-byte BLAKE2b of "egovbox-documents-key-id" keyed with the key, written in front of
// every blob. Rotation (`egovbox admin documents rotate-key`) retires the current
// key, makes a new one, re-encrypts every blob, then deletes the retired key.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace egovbox::documents {

constexpr std::size_t kDocumentKeyBytes = 32;
constexpr std::size_t kKeyIdBytes = 8;
using DocumentKey = std::array<unsigned char, kDocumentKeyBytes>;
using KeyId = std::array<unsigned char, kKeyIdBytes>;

class DocumentKeyring {
 public:
  // Reads the current key from `current_key_file`, creating it (and its directory,
  // 0700) when it does not exist, and every retired key from `retired_dir`.
  // Throws std::runtime_error for a key file of the wrong size or unreadable.
  static DocumentKeyring Load(const std::filesystem::path& current_key_file, const std::filesystem::path& retired_dir);
  // For tests: a keyring from keys in memory.
  DocumentKeyring(DocumentKey current, std::vector<DocumentKey> retired);

  static KeyId IdOf(const DocumentKey& key);
  const DocumentKey& current() const { return current_; }
  KeyId current_id() const { return IdOf(current_); }
  // The key with this id, current or retired; nullopt when unknown.
  std::optional<DocumentKey> Find(const KeyId& id) const;

  // Copies the current key file into `retired_dir`, then replaces it with a new key
  // (so an interruption never loses a key).
  // Returns the new keyring.
  static DocumentKeyring Rotate(const std::filesystem::path& current_key_file,
                                const std::filesystem::path& retired_dir);

 private:
  DocumentKey current_;
  std::vector<DocumentKey> retired_;
};

}  // namespace egovbox::documents
