// Versioned schema migrations: the files in src/store/migrations/, compiled into
// the binary, applied in name order, each in its own transaction together with
// the row that records it, so a crash leaves a migration either wholly applied or
// not at all. `egovbox migrate` and `egovbox serve` both call Migrate.
#pragma once

#include <string>
#include <vector>

#include "store/database.h"

namespace egovbox::store {

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call, in order
  std::size_t already_applied = 0;
};

// Applies every migration not yet recorded. Throws StoreError when one fails;
// the ones before it stay applied.
MigrationReport Migrate(Database& database);

}  // namespace egovbox::store
