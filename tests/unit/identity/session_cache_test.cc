#include "identity/session_cache.h"

#include <gtest/gtest.h>

#include <thread>

namespace egovbox::identity {
namespace {

SessionCache::Entry EntryFor(const std::string& subject) {
  SessionCache::Entry entry;
  entry.principal.subject_id = subject;
  entry.self_json = R"({"id":")" + subject + R"("})";
  entry.expires_at = 2'000'000'000;
  return entry;
}

TEST(SessionCacheTest, RemembersAnEntryLoadedInTheCurrentGeneration) {
  SessionCache cache;
  cache.Remember("hash-1", EntryFor("e1"), cache.generation());
  const auto found = cache.Find("hash-1");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->principal.subject_id, "e1");
  EXPECT_EQ(cache.Find("hash-2"), nullptr);
}

TEST(SessionCacheTest, ForgetDropsEveryEntry) {
  SessionCache cache;
  cache.Remember("hash-1", EntryFor("e1"), cache.generation());
  cache.Forget();
  EXPECT_EQ(cache.Find("hash-1"), nullptr);
}

TEST(SessionCacheTest, EntryLoadedBeforeAForgetIsNotTrustedEvenIfStoredAfterIt) {
  SessionCache cache;
  // A worker reads the store, then a change is committed and forgotten, then the
  // worker stores what it read: that is already out of date.
  const auto generation = cache.generation();
  cache.Forget();
  cache.Remember("hash-1", EntryFor("e1"), generation);
  EXPECT_EQ(cache.Find("hash-1"), nullptr);
}

TEST(SessionCacheTest, EntryIsTrustedOnlyForItsTimeToLive) {
  SessionCache cache(std::chrono::milliseconds(50));
  cache.Remember("hash-1", EntryFor("e1"), cache.generation());
  EXPECT_NE(cache.Find("hash-1"), nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  EXPECT_EQ(cache.Find("hash-1"), nullptr);
}

}  // namespace
}  // namespace egovbox::identity
