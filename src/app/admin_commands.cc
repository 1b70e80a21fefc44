#include "app/admin_commands.h"

#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/data_dir_lock.h"
#include "app/services.h"
#include "crypto/encoding.h"
#include "http/dispatcher.h"
#include "http/problem_catalog.h"
#include "identity/personal_code.h"
#include "integrations/oidc_keys.h"
#include "store/migrator.h"
#include "store/sqlite/sqlite_database.h"

namespace egovbox::app {
namespace {

using nlohmann::json;

struct AdminOptions {
  bool json = false;
  std::string name, email, department, position, file, code, query;
  std::vector<std::string> roles;
};

http::Language CliLanguage() {
  const char* lang = std::getenv("LANG");
  return lang != nullptr && std::string_view(lang).substr(0, 2) == "bg" ? http::Language::kBulgarian
                                                                        : http::Language::kEnglish;
}

// Prints the problem (as JSON or as a sentence) and returns the exit code.
int Report(const http::Problem& problem, const AdminOptions& options) {
  http::Response response = http::Response::FromProblem(problem);
  http::Dispatcher::RenderProblem(response, CliLanguage());
  const json body = json::parse(response.body);
  if (options.json) {
    std::cout << body.dump() << std::endl;
  } else {
    std::cerr << body["title"].get<std::string>() << ": " << body["detail"].get<std::string>() << "\n";
    if (body.contains("rejected")) {
      for (const auto& row : body["rejected"])
        std::cerr << "  line " << row["line"] << ": " << row["reasons"].dump() << "\n";
    }
    if (body.contains("reasons")) std::cerr << "  " << body["reasons"].dump() << "\n";
  }
  return 1;
}

void Emit(const json& value, const AdminOptions& options, const std::string& text) {
  if (options.json) {
    std::cout << value.dump() << std::endl;
  } else {
    std::cout << text << std::endl;
  }
}

json CreatedJson(const identity::CreatedEmployee& created) {
  return {{"id", created.employee.id},       {"code", identity::FormatPersonalCode(created.employee.code)},
          {"name", created.employee.name},   {"email", created.employee.email},
          {"roles", created.employee.roles}, {"one_time_password", created.one_time_password}};
}

const identity::Actor kCommandLine{std::nullopt, "", "cli"};

int AddEmployee(Services& services, const AdminOptions& options) {
  auto created = services.employees().Create(
      kCommandLine, {options.name, options.email, options.department, options.position, options.roles});
  if (!created) return Report(created.problem(), options);
  Emit(CreatedJson(*created), options,
       fmt::format("Created {} ({})\n  personal code:     {}\n  one-time password: {}", created->employee.name,
                   fmt::join(created->employee.roles, ", "), identity::FormatPersonalCode(created->employee.code),
                   created->one_time_password));
  return 0;
}

int ImportEmployees(Services& services, const AdminOptions& options) {
  std::ifstream in(options.file, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << options.file << "\n";
    return 1;
  }
  std::stringstream content;
  content << in.rdbuf();
  auto created = services.employees().Import(kCommandLine, content.str());
  if (!created) return Report(created.problem(), options);
  json items = json::array();
  std::string text = fmt::format("Imported {} employees (code, one-time password, name):\n", created->size());
  for (const auto& entry : *created) {
    items.push_back(CreatedJson(entry));
    text += fmt::format("  {}  {}  {}\n", identity::FormatPersonalCode(entry.employee.code), entry.one_time_password,
                        entry.employee.name);
  }
  Emit({{"created", created->size()}, {"items", items}}, options, text);
  return 0;
}

int ChangeEmployee(Services& services, const AdminOptions& options, const std::string& action) {
  auto employee = services.employees().Find(options.code);
  if (!employee) return Report(employee.problem(), options);
  json out = {{"id", employee->id}, {"code", identity::FormatPersonalCode(employee->code)}};
  std::string text;
  if (action == "suspend" || action == "reactivate") {
    auto status = action == "suspend" ? services.employees().Suspend(kCommandLine, employee->id)
                                      : services.employees().Reactivate(kCommandLine, employee->id);
    if (!status) return Report(status.problem(), options);
    out["status"] = action == "suspend" ? "suspended" : "active";
    text = fmt::format("{}: {}", employee->name, out["status"].get<std::string>());
  } else if (action == "reset-password") {
    auto password = services.employees().ResetPassword(kCommandLine, employee->id);
    if (!password) return Report(password.problem(), options);
    out["one_time_password"] = *password;
    text = fmt::format("{}: new one-time password {}", employee->name, *password);
  } else {
    auto status = services.employees().SetRoles(kCommandLine, employee->id, options.roles);
    if (!status) return Report(status.problem(), options);
    out["roles"] = options.roles;
    text = fmt::format("{}: roles {}", employee->name, fmt::join(options.roles, ", "));
  }
  Emit(out, options, text);
  return 0;
}

int ListEmployees(Services& services, const AdminOptions& options) {
  json items = json::array();
  std::string text;
  for (const auto& employee : services.employees().Search(options.query, std::nullopt)) {
    items.push_back(identity::DirectoryJson(employee));
    text += fmt::format("{}  {}  {}\n", identity::FormatPersonalCode(employee.code), employee.name, employee.position);
  }
  Emit({{"items", items}}, options, text);
  return 0;
}

int VerifyAudit(Services& services, const AdminOptions& options) {
  const auto report = services.audit().Verify();
  json out = {{"intact", report.intact},
              {"entries", report.entries},
              {"first_bad_entry", report.first_bad_seq ? json(*report.first_bad_seq) : json()},
              {"reason", report.reason}};
  Emit(out, options,
       report.intact ? fmt::format("audit log intact: {} entries", report.entries)
                     : fmt::format("audit log BROKEN at entry {}: {}", *report.first_bad_seq, report.reason));
  return report.intact ? 0 : 1;
}

bool HasRetiredKeys(const std::filesystem::path& retired_dir) {
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator(retired_dir, ignored)) {
    if (entry.path().extension() == ".key") return true;
  }
  return false;
}

std::string KeyIdText(const documents::KeyId& id) {
  return crypto::HexEncode(std::string_view(reinterpret_cast<const char*>(id.data()), id.size()));
}

// Retires the documents key, makes a new one, re-encrypts every stored file under
// it, and deletes the retired keys once no file needs them. Run again after an
// interruption, it resumes with the key it made (retired keys are still there).
int RotateDocumentsKey(const Config& config, const AdminOptions& options) {
  const auto lock = DataDirLock::TryAcquire(config.data_dir, DataDirLock::Mode::kExclusive);
  if (!lock) {
    std::cerr << "The server or another command is using " << config.data_dir.string()
              << ": stop it before rotating the key.\n";
    return 1;
  }
  const auto retired_dir = config.data_dir / "keys" / "documents-retired";
  // Retired keys left over mean an interrupted rotation: resume it with the new key,
  // unless the current key is itself among them (the run stopped before making it).
  const auto loaded = documents::DocumentKeyring::Load(config.documents_key_file, retired_dir);
  const bool resuming =
      HasRetiredKeys(retired_dir) && !std::filesystem::exists(retired_dir / (KeyIdText(loaded.current_id()) + ".key"));
  const auto keyring = resuming ? loaded : documents::DocumentKeyring::Rotate(config.documents_key_file, retired_dir);
  documents::BlobStore blobs(config.data_dir / "documents", keyring);
  std::size_t reencrypted = 0;
  std::size_t failed = 0;
  for (const auto& hash : blobs.List()) {
    try {
      if (blobs.Reencrypt(hash)) ++reencrypted;
    } catch (const documents::BlobError& e) {
      std::cerr << "cannot re-encrypt " << hash << ": " << e.what() << "\n";
      ++failed;
    }
  }
  if (failed == 0) {
    for (const auto& entry : std::filesystem::directory_iterator(retired_dir)) {
      if (entry.path().extension() == ".key") std::filesystem::remove(entry.path());
    }
  }
  const std::string key_id = KeyIdText(keyring.current_id());
  Emit({{"key_id", key_id}, {"resumed", resuming}, {"reencrypted", reencrypted}, {"failed", failed}}, options,
       failed == 0 ? fmt::format("documents key {}: {} files re-encrypted; retired keys deleted", key_id, reencrypted)
                   : fmt::format("documents key {}: {} files re-encrypted, {} failed; retired keys kept, run again",
                                 key_id, reencrypted, failed));
  return failed == 0 ? 0 : 1;
}

// Makes a new OIDC signing key; the old one stays published as the previous key.
// A running server picks the new key up at its next use of the keys.
int RotateOidcKey(const Config& config, const AdminOptions& options) {
  const auto rotation = integrations::OidcKeySet::Rotate(config.data_dir / "keys" / "oidc");
  json out = {{"kid", rotation.kid}, {"previous_kid", rotation.previous_kid ? json(*rotation.previous_kid) : json()}};
  Emit(out, options,
       rotation.previous_kid ? fmt::format("OIDC signing key {}; the previous key {} stays published", rotation.kid,
                                           *rotation.previous_kid)
                             : fmt::format("OIDC signing key {}", rotation.kid));
  return 0;
}

}  // namespace

void AddAdminCommands(CLI::App& cli, std::map<std::string, std::string>& config_flags, std::function<int()>& run) {
  auto options = std::make_shared<AdminOptions>();
  const auto common = [&config_flags, options](CLI::App* command) {
    command->add_option_function<std::string>(
        "--data-dir", [&config_flags](const std::string& value) { config_flags["data_dir"] = value; },
        "Data directory");
    command->add_option_function<std::string>(
        "--config", [&config_flags](const std::string& value) { config_flags["config"] = value; },
        "Configuration file (egovbox.toml)");
    command->add_flag("--json", options->json, "Print one JSON object");
  };
  // Runs `action` on services opened from the configured data directory.
  const auto with_services = [&config_flags, &run,
                              options](const std::function<int(Services&, const AdminOptions&)>& action) {
    return [&config_flags, &run, options, action] {
      run = [&config_flags, options, action] {
        const Config config = LoadConfig(config_flags);
        const auto lock = DataDirLock::TryAcquire(config.data_dir, DataDirLock::Mode::kShared);
        if (!lock) {
          std::cerr << "The documents key is being rotated in " << config.data_dir.string() << "; try again after.\n";
          return 1;
        }
        Services services(config, 2);
        return action(services, *options);
      };
    };
  };

  auto* migrate = cli.add_subcommand("migrate", "Apply database migrations and exit");
  common(migrate);
  migrate->callback([&config_flags, &run, options] {
    run = [&config_flags, options] {
      const Config config = LoadConfig(config_flags);
      std::filesystem::create_directories(config.data_dir);
      store::SqliteDatabase database(config.database_file(), 1);
      const auto report = store::Migrate(database);
      Emit({{"applied", report.applied}, {"already_applied", report.already_applied}}, *options,
           fmt::format("applied {} migrations ({} already applied)", report.applied.size(), report.already_applied));
      return 0;
    };
  });

  auto* admin = cli.add_subcommand("admin", "Administration: employees, audit, documents");
  admin->require_subcommand(1);
  auto* employee = admin->add_subcommand("employee", "Create, import, suspend, reset, set roles, list");
  employee->require_subcommand(1);

  auto* add = employee->add_subcommand("add", "Create an employee; prints the personal code and a one-time password");
  common(add);
  add->add_option("--name", options->name, "Full name (Cyrillic welcome)")->required();
  add->add_option("--email", options->email, "E-mail address")->required();
  add->add_option("--department", options->department, "Department name (created if new)");
  add->add_option("--position", options->position, "Position");
  add->add_option("--role", options->roles,
                  "Role (repeatable): employee, councillor, clerk, administrator, security_officer");
  add->callback(with_services(AddEmployee));

  auto* import = employee->add_subcommand("import", "Import employees from a UTF-8 CSV file: all rows or none");
  common(import);
  import->add_option("--file", options->file, "CSV with a header: name,email,department,position,roles")->required();
  import->callback(with_services(ImportEmployees));

  for (const std::string action : {"suspend", "reactivate", "reset-password", "set-roles"}) {
    auto* command = employee->add_subcommand(
        action, action == "set-roles" ? "Replace the roles of an employee" : action + " an employee");
    common(command);
    command->add_option("--code", options->code, "Personal code (or employee id)")->required();
    if (action == "set-roles") command->add_option("--role", options->roles, "Role (repeatable)")->required();
    command->callback(with_services(
        [action](Services& services, const AdminOptions& opts) { return ChangeEmployee(services, opts, action); }));
  }

  auto* list = employee->add_subcommand("list", "List active employees");
  common(list);
  list->add_option("--query", options->query, "Part of a name, position or code");
  list->callback(with_services(ListEmployees));

  auto* audit = admin->add_subcommand("audit", "The audit log");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "Check the hash chain; names the first changed or missing entry");
  common(verify);
  verify->callback(with_services(VerifyAudit));

  auto* documents = admin->add_subcommand("documents", "The document store");
  documents->require_subcommand(1);
  auto* rotate = documents->add_subcommand(
      "rotate-key", "Make a new documents key and re-encrypt every stored file under it (server stopped)");
  common(rotate);
  rotate->callback([&config_flags, &run, options] {
    run = [&config_flags, options] { return RotateDocumentsKey(LoadConfig(config_flags), *options); };
  });

  auto* oidc = admin->add_subcommand("oidc", "The OpenID Connect provider");
  oidc->require_subcommand(1);
  auto* rotate_oidc = oidc->add_subcommand(
      "rotate-key", "Make a new ID-token signing key; the current one stays published until the next rotation");
  common(rotate_oidc);
  rotate_oidc->callback([&config_flags, &run, options] {
    run = [&config_flags, options] { return RotateOidcKey(LoadConfig(config_flags), *options); };
  });
}

}  // namespace egovbox::app
