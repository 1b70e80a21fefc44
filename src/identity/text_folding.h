// Case folding for the two scripts the product's names are written in, Latin and
// Cyrillic (SQLite's lower() folds ASCII only). Used for search and for checking
// that a password does not contain the person's name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace egovbox::identity {

std::string FoldCase(std::string_view utf8);
// The code points of the text; each invalid byte becomes U+FFFD.
std::u32string DecodeUtf8(std::string_view utf8);
// Number of code points; invalid bytes count one each.
std::size_t CodePointCount(std::string_view utf8);
// The words of a name: runs of letters (Latin, Cyrillic), folded.
std::vector<std::string> NameParts(std::string_view utf8);
// True when the text is valid UTF-8 (RFC 3629) without control characters (C0, DEL,
// C1) other than tab.
bool IsCleanText(std::string_view utf8);
// The 1-based line of the first byte that is not valid UTF-8; nullopt when all is valid.
std::optional<std::size_t> FirstInvalidUtf8Line(std::string_view text);

}  // namespace egovbox::identity
