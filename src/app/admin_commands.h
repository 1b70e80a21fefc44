// `egovbox admin ...` and `egovbox migrate`: work on a data directory directly,
// also while a server runs on it (SQLite serialises the writers). With --json
// each command prints exactly one JSON object on standard output; without it,
// text for a person. Errors go to standard error with exit code 1 (2 for usage).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <map>
#include <string>

namespace egovbox::app {

// Adds the `admin` and `migrate` subcommands to the CLI. `config_flags` is filled
// by the shared --data-dir/--config options; `run` receives the action to run
// after parsing.
void AddAdminCommands(CLI::App& cli, std::map<std::string, std::string>& config_flags, std::function<int()>& run);

}  // namespace egovbox::app
