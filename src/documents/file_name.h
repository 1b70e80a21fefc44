// Original file names, as people gave them: kept for display and download only,
// never used as a path.
#pragma once

#include <string>
#include <string_view>

namespace egovbox::documents {

// The name made safe to show and to send in Content-Disposition: the last path
// component only (after '/' and '\'), invalid UTF-8 replaced (U+FFFD), control
// characters (C0, DEL, C1), the bidirectional controls (overrides, embeddings,
// isolates, marks) and U+2028/U+2029 removed, leading dots and spaces and
// trailing dots and spaces trimmed, at most 200 bytes (cut on a character boundary,
// the extension kept). "document" when nothing is left, "." and ".." included.
std::string SanitiseFileName(std::string_view name);

// Content-Disposition value for a download: an ASCII fallback (non-ASCII as '_',
// quotes, backslashes, ';', '%' and controls replaced by '_') plus RFC 6266/8187
// filename*=UTF-8''... : `attachment; filename="a.pdf"; filename*=UTF-8''a.pdf`.
std::string ContentDisposition(std::string_view disposition, const std::string& sanitised_name);

}  // namespace egovbox::documents
