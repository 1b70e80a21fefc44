#include "documents/blob_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <stdexcept>
#include <string>

#include "crypto/digest.h"
#include "crypto/encoding.h"
#include "temporary_database.h"
#include "temporary_directory.h"

namespace egovbox::documents {
namespace {

constexpr std::size_t kChunk = std::size_t{64} * 1024;
constexpr std::size_t kPrefix = 8 + 8 + 24;  // magic, key id, secretstream header
constexpr std::size_t kTag = 17;             // secretstream's tag and MAC per chunk
constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr std::string_view kAbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr std::string_view kMillionASha256 = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

DocumentKey Filled(unsigned char value) {
  DocumentKey key{};
  key.fill(value);
  return key;
}

// Bytes that do not repeat within a chunk, so a misplaced chunk shows.
std::string Content(std::size_t size) {
  std::string bytes(size, '\0');
  std::uint32_t state = 2463534242U;
  for (auto& byte : bytes) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    byte = static_cast<char>(state);
  }
  return bytes;
}

std::string ReadFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteFile(const std::filesystem::path& file, const std::string& bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

std::size_t CountFiles(const std::filesystem::path& directory) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory)) count += entry.is_regular_file();
  return count;
}

std::string ReadAll(BlobReader& reader, std::size_t buffer_size = 10000) {
  std::string all;
  std::string buffer(buffer_size, '\0');
  while (const std::size_t count = reader.Read(buffer)) all.append(buffer.data(), count);
  return all;
}

class BlobStoreTest : public ::testing::Test {
 protected:
  BlobStoreTest() { unit_test::InitializeLibrariesOnce(); }

  std::filesystem::path root() const { return directory_.path() / "documents"; }
  std::filesystem::path BlobFile(const std::string& sha256) const {
    return root() / "blobs" / sha256.substr(0, 2) / sha256;
  }

  // Writes `content` in pieces of `piece` bytes and commits it.
  static WrittenBlob Store(BlobStore& store, const std::string& content, std::size_t piece = 7000) {
    auto writer = store.Begin();
    for (std::size_t offset = 0; offset < content.size(); offset += piece) {
      writer->Write(std::span(content).subspan(offset, std::min(piece, content.size() - offset)));
    }
    EXPECT_EQ(writer->size(), content.size());
    WrittenBlob written = writer->Finish();
    store.Commit(*writer);
    return written;
  }

  unit_test::TemporaryDirectory directory_;
  BlobStore store_{root(), DocumentKeyring(Filled(0xa1), {})};
};

TEST_F(BlobStoreTest, CreatesPrivateBlobAndTemporaryDirectories) {
  for (const auto& directory : {root(), root() / "blobs", root() / "tmp"}) {
    struct stat status {};
    ASSERT_EQ(stat(directory.c_str(), &status), 0) << directory;
    EXPECT_EQ(status.st_mode & 0777, 0700U) << directory;
  }
}

TEST_F(BlobStoreTest, RoundTripsSizesAroundTheChunkSize) {
  for (const std::size_t size :
       {std::size_t{0}, std::size_t{1}, kChunk - 1, kChunk, kChunk + 1, std::size_t{3} * 1024 * 1024}) {
    SCOPED_TRACE(size);
    const std::string content = Content(size);
    const WrittenBlob written = Store(store_, content);
    EXPECT_EQ(written.sha256, crypto::Sha256Hex(content));
    EXPECT_EQ(written.size, size);
    ASSERT_TRUE(store_.Contains(written.sha256));
    // One chunk per started 64 KiB, at least one: the last is the FINAL one, never an empty extra.
    const std::size_t chunks = size == 0 ? 1 : (size + kChunk - 1) / kChunk;
    EXPECT_EQ(std::filesystem::file_size(BlobFile(written.sha256)), kPrefix + chunks * kTag + size);
    const auto reader = store_.Open(written.sha256);
    EXPECT_EQ(ReadAll(*reader), content);
    EXPECT_EQ(reader->Read(std::span<char>()), 0U);
  }
  EXPECT_EQ(CountFiles(root() / "tmp"), 0U);
}

TEST_F(BlobStoreTest, NamesBlobsByTheSha256OfThePlaintext) {
  EXPECT_EQ(Store(store_, "").sha256, kEmptySha256);
  EXPECT_EQ(Store(store_, "abc").sha256, kAbcSha256);
  EXPECT_EQ(Store(store_, std::string(1000000, 'a'), 4096).sha256, kMillionASha256);
  EXPECT_TRUE(std::filesystem::is_regular_file(BlobFile(std::string(kAbcSha256))));
  EXPECT_EQ(store_.List(), (std::vector<std::string>{std::string(kAbcSha256), std::string(kMillionASha256),
                                                     std::string(kEmptySha256)}));
}

TEST_F(BlobStoreTest, OneWriteOfManyChunksEqualsManySmallWrites) {
  const std::string content = Content(5 * kChunk + 123);
  const WrittenBlob whole = Store(store_, content, content.size());
  const WrittenBlob bytewise = Store(store_, content, 1);
  EXPECT_EQ(whole.sha256, bytewise.sha256);
  EXPECT_EQ(ReadAll(*store_.Open(whole.sha256), 1), content);
}

TEST_F(BlobStoreTest, FileStartsWithMagicAndKeyIdAndIsPrivate) {
  const WrittenBlob written = Store(store_, "abc");
  const std::string bytes = ReadFile(BlobFile(written.sha256));
  ASSERT_GE(bytes.size(), 16U);
  EXPECT_EQ(bytes.substr(0, 8), "EGOVBLB1");
  const KeyId id = DocumentKeyring::IdOf(Filled(0xa1));
  EXPECT_EQ(bytes.substr(8, 8), std::string(id.begin(), id.end()));
  struct stat status {};
  ASSERT_EQ(stat(BlobFile(written.sha256).c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600U);
}

TEST_F(BlobStoreTest, EqualContentIsStoredOnce) {
  const std::string content = Content(100000);
  const WrittenBlob first = Store(store_, content);
  const WrittenBlob second = Store(store_, content, 333);
  EXPECT_EQ(first.sha256, second.sha256);
  EXPECT_EQ(store_.List(), std::vector<std::string>{first.sha256});
  EXPECT_EQ(CountFiles(root() / "blobs"), 1U);
  EXPECT_EQ(CountFiles(root() / "tmp"), 0U);
}

TEST_F(BlobStoreTest, FileOnDiskHoldsNoPlaintext) {
  const std::string marker = "EGOVBOX-PLAINTEXT-MARKER";
  std::string content;
  while (content.size() < 3 * kChunk) content += marker;
  const WrittenBlob written = Store(store_, content);
  const std::string on_disk = ReadFile(BlobFile(written.sha256));
  EXPECT_EQ(on_disk.find(marker), std::string::npos);
  EXPECT_EQ(on_disk.find("PLAINTEXT"), std::string::npos);
}

TEST_F(BlobStoreTest, TruncatedBlobIsAnError) {
  const std::string content = Content(kChunk + 1);
  const WrittenBlob written = Store(store_, content);
  const std::string original = ReadFile(BlobFile(written.sha256));
  // Inside the header, just after it, inside the first chunk, exactly after the first
  // (full, not final) chunk, and one byte short of the end.
  for (const std::size_t length :
       {std::size_t{0}, std::size_t{20}, kPrefix, kPrefix + 100, kPrefix + kChunk + kTag, original.size() - 1}) {
    SCOPED_TRACE(length);
    WriteFile(BlobFile(written.sha256), original.substr(0, length));
    EXPECT_THROW(ReadAll(*store_.Open(written.sha256)), BlobError);
  }
}

TEST_F(BlobStoreTest, FlippedByteIsAnError) {
  const std::string content = Content(2 * kChunk + 5);
  const WrittenBlob written = Store(store_, content);
  const std::string original = ReadFile(BlobFile(written.sha256));
  // Magic, key id, stream header, first chunk, its MAC, the last chunk's last byte.
  for (const std::size_t index :
       {std::size_t{0}, std::size_t{9}, std::size_t{20}, kPrefix + 1, kPrefix + kChunk + 10, original.size() - 1}) {
    SCOPED_TRACE(index);
    std::string damaged = original;
    damaged[index] = static_cast<char>(damaged[index] ^ 0x01);
    WriteFile(BlobFile(written.sha256), damaged);
    EXPECT_THROW(ReadAll(*store_.Open(written.sha256)), BlobError);
  }
}

TEST_F(BlobStoreTest, BytesAfterTheFinalChunkAreAnError) {
  const WrittenBlob written = Store(store_, "abc");
  WriteFile(BlobFile(written.sha256), ReadFile(BlobFile(written.sha256)) + "x");
  EXPECT_THROW(ReadAll(*store_.Open(written.sha256)), BlobError);
}

TEST_F(BlobStoreTest, BlobFileUnderAnotherNameIsAnError) {
  const WrittenBlob abc = Store(store_, "abc");
  const WrittenBlob other = Store(store_, "something else");
  WriteFile(BlobFile(other.sha256), ReadFile(BlobFile(abc.sha256)));
  EXPECT_THROW(ReadAll(*store_.Open(other.sha256)), BlobError);
}

TEST_F(BlobStoreTest, SkipThenReadReturnsTheBytesAfterIt) {
  const std::string content = Content(3 * kChunk + 77);
  const WrittenBlob written = Store(store_, content);
  for (const std::size_t offset : {std::size_t{0}, std::size_t{1}, kChunk - 1, kChunk, kChunk + 1, 3 * kChunk}) {
    SCOPED_TRACE(offset);
    const auto reader = store_.Open(written.sha256);
    reader->Skip(offset);
    std::string part(1000, '\0');
    const std::size_t count = reader->Read(part);
    EXPECT_EQ(part.substr(0, count), content.substr(offset, 1000));
  }
  // Skip in steps, then the rest.
  const auto reader = store_.Open(written.sha256);
  reader->Skip(10);
  reader->Skip(kChunk);
  EXPECT_EQ(ReadAll(*reader), content.substr(kChunk + 10));
  // Skipping past the end stops there.
  const auto past = store_.Open(written.sha256);
  past->Skip(content.size() + 100);
  std::string byte(1, '\0');
  EXPECT_EQ(past->Read(byte), 0U);
}

TEST_F(BlobStoreTest, SkipChecksAuthenticationToo) {
  const std::string content = Content(2 * kChunk);
  const WrittenBlob written = Store(store_, content);
  std::string damaged = ReadFile(BlobFile(written.sha256));
  damaged[kPrefix + 5] = static_cast<char>(damaged[kPrefix + 5] ^ 0x80);
  WriteFile(BlobFile(written.sha256), damaged);
  EXPECT_THROW(store_.Open(written.sha256)->Skip(kChunk + 1), BlobError);
}

TEST_F(BlobStoreTest, BlobUnderAnUnknownKeyIsAnError) {
  const WrittenBlob written = Store(store_, "abc");
  const BlobStore other(root(), DocumentKeyring(Filled(0xb2), {Filled(0xc3)}));
  EXPECT_TRUE(other.Contains(written.sha256));
  EXPECT_THROW(other.Open(written.sha256), BlobError);
}

TEST_F(BlobStoreTest, MissingBlobAndMalformedNamesAreErrors) {
  EXPECT_THROW(store_.Open(std::string(kAbcSha256)), BlobError);
  for (const std::string& name :
       std::vector<std::string>{"", "../../keys/documents.key", std::string(64, 'A'), std::string(63, 'a'),
                                "ba/" + std::string(61, 'a'), std::string(65, 'a')}) {
    EXPECT_THROW(store_.Open(name), BlobError) << name;
    EXPECT_FALSE(store_.Contains(name)) << name;
    EXPECT_THROW(store_.Remove(name), BlobError) << name;
  }
}

TEST_F(BlobStoreTest, RemoveDeletesTheBlob) {
  const WrittenBlob abc = Store(store_, "abc");
  const WrittenBlob empty = Store(store_, "");
  store_.Remove(abc.sha256);
  EXPECT_FALSE(store_.Contains(abc.sha256));
  EXPECT_THROW(store_.Open(abc.sha256), BlobError);
  EXPECT_EQ(store_.List(), std::vector<std::string>{empty.sha256});
  EXPECT_NO_THROW(store_.Remove(abc.sha256));  // already gone
}

TEST_F(BlobStoreTest, ListIgnoresStrayFiles) {
  const WrittenBlob abc = Store(store_, "abc");
  WriteFile(root() / "blobs" / "README", "x");
  WriteFile(root() / "blobs" / "ba" / "not-a-blob", "x");
  WriteFile(root() / "blobs" / "ba" / std::string(kEmptySha256), "x");  // under the wrong prefix
  EXPECT_EQ(store_.List(), std::vector<std::string>{abc.sha256});
}

TEST_F(BlobStoreTest, DestroyedUncommittedWriterLeavesNoFile) {
  {
    auto writer = store_.Begin();
    writer->Write(std::string_view("never committed"));
    EXPECT_EQ(CountFiles(root() / "tmp"), 1U);
  }
  {
    auto writer = store_.Begin();
    writer->Write(std::string_view(Content(kChunk + 3)));
    writer->Finish();
  }
  EXPECT_EQ(CountFiles(root() / "tmp"), 0U);
  EXPECT_EQ(CountFiles(root() / "blobs"), 0U);
}

TEST_F(BlobStoreTest, CommitComesAfterFinishAndOnlyOnce) {
  auto writer = store_.Begin();
  writer->Write(std::string_view("abc"));
  EXPECT_THROW(store_.Commit(*writer), std::logic_error);
  writer->Finish();
  EXPECT_THROW(writer->Write(std::string_view("more")), std::logic_error);
  EXPECT_THROW(writer->Finish(), std::logic_error);
  store_.Commit(*writer);
  EXPECT_THROW(store_.Commit(*writer), std::logic_error);
  writer.reset();
  EXPECT_EQ(ReadAll(*store_.Open(std::string(kAbcSha256))), "abc");
}

TEST_F(BlobStoreTest, RemoveTemporaryFilesRemovesAbandonedUploadsOnly) {
  // An upload cut off by a crash: its file stays behind, unlocked. Simulated by a
  // copy of a live writer's file and a hand-made one.
  auto live = store_.Begin();
  live->Write(std::string_view(Content(kChunk + 10)));
  std::filesystem::path live_file;
  for (const auto& entry : std::filesystem::directory_iterator(root() / "tmp")) live_file = entry.path();
  ASSERT_EQ(live_file.extension(), ".part");
  std::filesystem::copy_file(live_file, root() / "tmp" / "abandoned.part");
  WriteFile(root() / "tmp" / "by-hand.part", "partial");

  EXPECT_EQ(store_.RemoveTemporaryFiles(), 2U);
  EXPECT_EQ(CountFiles(root() / "tmp"), 1U);
  EXPECT_TRUE(std::filesystem::exists(live_file));

  // The live upload goes on undisturbed.
  live->Write(std::string_view("end"));
  const WrittenBlob written = live->Finish();
  store_.Commit(*live);
  EXPECT_EQ(ReadAll(*store_.Open(written.sha256)), Content(kChunk + 10) + "end");
  EXPECT_EQ(store_.RemoveTemporaryFiles(), 0U);
}

TEST_F(BlobStoreTest, RotationKeepsBlobsReadableAndReencryptMovesThemToTheNewKey) {
  const auto key_file = directory_.path() / "keys" / "documents.key";
  const auto retired_dir = directory_.path() / "keys" / "documents-retired";
  const std::string content = Content(2 * kChunk + 9);
  std::string sha256;
  {
    BlobStore before(root(), DocumentKeyring::Load(key_file, retired_dir));
    sha256 = Store(before, content).sha256;
  }
  const DocumentKeyring rotated = DocumentKeyring::Rotate(key_file, retired_dir);
  BlobStore after(root(), DocumentKeyring::Load(key_file, retired_dir));
  EXPECT_EQ(ReadAll(*after.Open(sha256)), content);  // through the retired key

  const BlobStore only_new_key(root(), DocumentKeyring(rotated.current(), {}));
  EXPECT_THROW(only_new_key.Open(sha256), BlobError);

  EXPECT_TRUE(after.Reencrypt(sha256));
  EXPECT_FALSE(after.Reencrypt(sha256));  // already under the current key
  EXPECT_EQ(ReadAll(*only_new_key.Open(sha256)), content);
  const std::string on_disk = ReadFile(BlobFile(sha256));
  const KeyId new_id = rotated.current_id();
  EXPECT_EQ(on_disk.substr(8, 8), std::string(new_id.begin(), new_id.end()));
  EXPECT_EQ(after.List(), std::vector<std::string>{sha256});
  EXPECT_EQ(CountFiles(root() / "tmp"), 0U);
}

TEST_F(BlobStoreTest, ReencryptOfADamagedBlobFailsAndKeepsIt) {
  const std::string content = Content(kChunk + 9);
  const WrittenBlob written = Store(store_, content);
  std::string damaged = ReadFile(BlobFile(written.sha256));
  damaged[damaged.size() - 3] = static_cast<char>(damaged[damaged.size() - 3] ^ 0x01);
  WriteFile(BlobFile(written.sha256), damaged);

  BlobStore rotated(root(), DocumentKeyring(Filled(0xd4), {Filled(0xa1)}));
  EXPECT_THROW(rotated.Reencrypt(written.sha256), BlobError);
  EXPECT_EQ(ReadFile(BlobFile(written.sha256)), damaged);
  EXPECT_EQ(CountFiles(root() / "tmp"), 0U);
}

}  // namespace
}  // namespace egovbox::documents
