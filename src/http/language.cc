#include "http/language.h"

#include <cctype>
#include <string>

namespace egovbox::http {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

double Weight(std::string_view parameters) {
  const auto q = parameters.find("q=");
  if (q == std::string_view::npos) return 1.0;
  try {
    return std::stod(std::string(parameters.substr(q + 2)));
  } catch (...) {
    return 0.0;
  }
}

}  // namespace

Language NegotiateLanguage(std::string_view accept_language) {
  Language best = Language::kBulgarian;
  double best_weight = 0.0;
  while (!accept_language.empty()) {
    const auto comma = accept_language.find(',');
    std::string_view item = Trim(accept_language.substr(0, comma));
    accept_language = comma == std::string_view::npos ? std::string_view{} : accept_language.substr(comma + 1);
    const auto semicolon = item.find(';');
    const std::string_view tag = Trim(item.substr(0, semicolon));
    const double weight = semicolon == std::string_view::npos ? 1.0 : Weight(item.substr(semicolon + 1));
    if (tag.size() < 2 || weight <= best_weight) continue;
    const std::string primary{static_cast<char>(std::tolower(static_cast<unsigned char>(tag[0]))),
                              static_cast<char>(std::tolower(static_cast<unsigned char>(tag[1])))};
    if (tag.size() > 2 && tag[2] != '-') continue;
    if (primary == "bg" || primary == "en") {
      best = primary == "bg" ? Language::kBulgarian : Language::kEnglish;
      best_weight = weight;
    }
  }
  return best;
}

std::string_view LanguageTag(Language language) {
  return language == Language::kBulgarian ? "bg" : "en";
}

}  // namespace egovbox::http
