// `egovbox serve`: the whole product in one process.
#pragma once

#include "app/config.h"

namespace egovbox::app {

// Returns the process exit code.
int Serve(const Config& config);

}  // namespace egovbox::app
