#include "documents/document_keyring.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <numeric>
#include <stdexcept>
#include <string>

#include "crypto/encoding.h"
#include "temporary_database.h"
#include "temporary_directory.h"

namespace egovbox::documents {
namespace {

std::string Hex(const KeyId& id) {
  return crypto::HexEncode(std::string(id.begin(), id.end()));
}

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteFile(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary) << bytes;
}

unsigned Mode(const std::filesystem::path& path) {
  struct stat status {};
  EXPECT_EQ(stat(path.c_str(), &status), 0) << path;
  return status.st_mode & 0777;
}

DocumentKey Filled(unsigned char value) {
  DocumentKey key{};
  key.fill(value);
  return key;
}

class DocumentKeyringTest : public ::testing::Test {
 protected:
  DocumentKeyringTest() { unit_test::InitializeLibrariesOnce(); }

  std::filesystem::path key_file() const { return directory_.path() / "keys" / "documents.key"; }
  std::filesystem::path retired_dir() const { return directory_.path() / "keys" / "documents-retired"; }

  unit_test::TemporaryDirectory directory_;
};

TEST_F(DocumentKeyringTest, IdIsTheStartOfBlake2bKeyedWithTheKey) {
  // Python: hashlib.blake2b(b"egovbox-documents-key-id", key=k, digest_size=32).hexdigest()[:16]
  EXPECT_EQ(Hex(DocumentKeyring::IdOf(Filled(0))), "27d43825fcfe7064");
  DocumentKey counting{};
  std::iota(counting.begin(), counting.end(), 0);
  EXPECT_EQ(Hex(DocumentKeyring::IdOf(counting)), "6c7ac849ea38f6c8");
}

TEST_F(DocumentKeyringTest, FindsTheCurrentAndRetiredKeysOnly) {
  const DocumentKeyring keyring(Filled(1), {Filled(2), Filled(3)});
  EXPECT_EQ(keyring.current_id(), DocumentKeyring::IdOf(Filled(1)));
  EXPECT_EQ(keyring.Find(DocumentKeyring::IdOf(Filled(1))), Filled(1));
  EXPECT_EQ(keyring.Find(DocumentKeyring::IdOf(Filled(2))), Filled(2));
  EXPECT_EQ(keyring.Find(DocumentKeyring::IdOf(Filled(3))), Filled(3));
  EXPECT_FALSE(keyring.Find(DocumentKeyring::IdOf(Filled(4))).has_value());
}

TEST_F(DocumentKeyringTest, LoadCreatesAPrivateKeyFileAndReadsItBack) {
  const DocumentKeyring created = DocumentKeyring::Load(key_file(), retired_dir());
  ASSERT_TRUE(std::filesystem::exists(key_file()));
  EXPECT_EQ(std::filesystem::file_size(key_file()), kDocumentKeyBytes);
  EXPECT_EQ(Mode(key_file()), 0600U);
  EXPECT_EQ(Mode(key_file().parent_path()), 0700U);
  const std::string bytes = ReadFile(key_file());
  EXPECT_EQ(std::string(created.current().begin(), created.current().end()), bytes);
  EXPECT_NE(created.current(), Filled(0));
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(key_file().parent_path()), {}), 1);

  const DocumentKeyring loaded = DocumentKeyring::Load(key_file(), retired_dir());
  EXPECT_EQ(loaded.current(), created.current());
}

TEST_F(DocumentKeyringTest, LoadRefusesAKeyFileOfTheWrongSize) {
  std::filesystem::create_directories(key_file().parent_path());
  for (const std::size_t size : {std::size_t{0}, std::size_t{31}, std::size_t{33}, std::size_t{64}}) {
    WriteFile(key_file(), std::string(size, 'k'));
    EXPECT_THROW(DocumentKeyring::Load(key_file(), retired_dir()), std::runtime_error) << size;
    // The bad file is refused, never replaced by a new key.
    EXPECT_EQ(std::filesystem::file_size(key_file()), size);
  }
}

TEST_F(DocumentKeyringTest, LoadRefusesARetiredKeyOfTheWrongSize) {
  DocumentKeyring::Load(key_file(), retired_dir());
  std::filesystem::create_directories(retired_dir());
  WriteFile(retired_dir() / "0011223344556677.key", std::string(16, 'k'));
  EXPECT_THROW(DocumentKeyring::Load(key_file(), retired_dir()), std::runtime_error);
}

TEST_F(DocumentKeyringTest, RotateRetiresTheOldKeyUnderItsId) {
  const DocumentKey old_key = DocumentKeyring::Load(key_file(), retired_dir()).current();
  const DocumentKeyring rotated = DocumentKeyring::Rotate(key_file(), retired_dir());

  EXPECT_NE(rotated.current(), old_key);
  EXPECT_EQ(ReadFile(key_file()), std::string(rotated.current().begin(), rotated.current().end()));
  EXPECT_EQ(Mode(key_file()), 0600U);
  const auto retired_file = retired_dir() / (Hex(DocumentKeyring::IdOf(old_key)) + ".key");
  ASSERT_TRUE(std::filesystem::exists(retired_file));
  EXPECT_EQ(ReadFile(retired_file), std::string(old_key.begin(), old_key.end()));
  EXPECT_EQ(Mode(retired_file), 0600U);
  EXPECT_EQ(Mode(retired_dir()), 0700U);
  EXPECT_EQ(rotated.Find(DocumentKeyring::IdOf(old_key)), old_key);

  const DocumentKeyring loaded = DocumentKeyring::Load(key_file(), retired_dir());
  EXPECT_EQ(loaded.current(), rotated.current());
  EXPECT_EQ(loaded.Find(DocumentKeyring::IdOf(old_key)), old_key);
}

TEST_F(DocumentKeyringTest, RotatingTwiceKeepsBothRetiredKeys) {
  const DocumentKey first = DocumentKeyring::Load(key_file(), retired_dir()).current();
  const DocumentKey second = DocumentKeyring::Rotate(key_file(), retired_dir()).current();
  const DocumentKeyring third = DocumentKeyring::Rotate(key_file(), retired_dir());
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(retired_dir()), {}), 2);
  EXPECT_EQ(third.Find(DocumentKeyring::IdOf(first)), first);
  EXPECT_EQ(third.Find(DocumentKeyring::IdOf(second)), second);
  EXPECT_NE(third.current(), first);
  EXPECT_NE(third.current(), second);
}

}  // namespace
}  // namespace egovbox::documents
