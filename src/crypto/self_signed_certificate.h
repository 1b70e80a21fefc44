// A self-signed TLS certificate for first start, so that the server speaks HTTPS
// (browsers give camera and microphone only to a secure context) before an
// operator installs a real certificate.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace egovbox::crypto {

// Writes an ECDSA P-256 key (mode 0600) and a certificate valid for a year with
// the given DNS names and IP addresses as subjectAltName. Each file is written to
// a temporary name and renamed, so a crash never leaves half a key. Throws on failure.
void WriteSelfSignedCertificate(const std::filesystem::path& certificate_file, const std::filesystem::path& key_file,
                                const std::vector<std::string>& dns_names,
                                const std::vector<std::string>& ip_addresses);

}  // namespace egovbox::crypto
