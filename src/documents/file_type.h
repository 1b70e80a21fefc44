// What a file is, told by libmagic from its first bytes: never from its name or
// the client's Content-Type. Thread-safe (one libmagic handle behind a mutex).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::documents {

// How many leading bytes DetectType looks at.
constexpr std::size_t kTypeSniffBytes = 256 * std::size_t{1024};

class FileTypeDetector {
 public:
  // Loads Debian's magic database. Throws std::runtime_error when it cannot.
  FileTypeDetector();
  ~FileTypeDetector();
  FileTypeDetector(const FileTypeDetector&) = delete;
  FileTypeDetector& operator=(const FileTypeDetector&) = delete;

  // A media type such as "application/pdf"; "application/octet-stream" when unknown;
  // "application/x-empty" for no bytes. Compressed content is not unpacked.
  std::string Detect(std::string_view leading_bytes) const;

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
  mutable std::mutex mutex_;
};

// True when `media_type` matches one of `allowed` ("application/pdf", "image/*", or "*/*").
bool TypeAllowed(std::string_view media_type, const std::vector<std::string>& allowed);
// Types shown in the page: PDF and raster images (never SVG, which can carry script).
bool Previewable(std::string_view media_type);

}  // namespace egovbox::documents
