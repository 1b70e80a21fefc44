// How eGov box sends e-mail (configuration keys in docs/configuration.md).
#pragma once

#include <string>

namespace egovbox::notify {

struct MailSettings {
  // "" turns e-mail off (nothing is queued). "smtp://host:port" (plain, or with
  // STARTTLS when smtp_starttls) or "smtps://host:port" (TLS from the start).
  std::string smtp_url;
  std::string smtp_user;  // "" = no authentication
  std::string smtp_password;
  bool smtp_starttls = false;    // on smtp://: refuse to send unless STARTTLS succeeds
  bool smtp_verify_peer = true;  // check the server's certificate and name (TLS)
  std::string from_address;      // envelope sender and From:; required when smtp_url is set
  std::string from_name = "eGov box";

  bool enabled() const { return !smtp_url.empty(); }
};

}  // namespace egovbox::notify
