// A text file compiled into the binary (see cmake/embed_files.cmake).
#pragma once

#include <string_view>
#include <vector>

namespace egovbox::store {

struct EmbeddedFile {
  std::string_view name;
  std::string_view text;
};

}  // namespace egovbox::store
