// Human texts for problem slugs, in Bulgarian and English. Each module registers
// the texts of its own problems at start (before the server serves), so the catalog
// is read-only while requests run and needs no lock.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "http/language.h"

namespace egovbox::http {

struct ProblemText {
  std::string title_bg, detail_bg, title_en, detail_en;
};

class ProblemCatalog {
 public:
  static ProblemCatalog& Instance();

  void Register(const std::string& slug, ProblemText text);
  bool Has(const std::string& slug) const { return texts_.count(slug) != 0; }

  std::string Title(const std::string& slug, Language language) const;
  // The detail with every {name} replaced by params["name"].
  std::string Detail(const std::string& slug, Language language, const nlohmann::json& params) const;

 private:
  ProblemCatalog();
  std::map<std::string, ProblemText> texts_;
};

}  // namespace egovbox::http
