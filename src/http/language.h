// The languages the product speaks. Bulgarian first.
#pragma once

#include <string_view>

namespace egovbox::http {

enum class Language { kBulgarian, kEnglish };

// Picks from an Accept-Language header: the first of "bg" or "en" it names, by
// weight; Bulgarian when it names neither.
Language NegotiateLanguage(std::string_view accept_language);
std::string_view LanguageTag(Language language);

}  // namespace egovbox::http
