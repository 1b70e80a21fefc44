// Fuzz target for app::ParseDuration, which reads the timeouts of egovbox.toml,
// EGOVBOX_* variables and command-line flags. Invariant: it either throws
// ConfigError (any other exception escapes and fails the run) or returns a
// duration that is not negative and not past its limit of about 30 000 years.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto duration = egovbox::app::ParseDuration("idle_timeout", text);
    if (duration.count() < 0 || duration.count() > 1'000'000'000'000'000) __builtin_trap();
  } catch (const egovbox::app::ConfigError&) {
    // A bad value, as expected.
  }
  return 0;
}
