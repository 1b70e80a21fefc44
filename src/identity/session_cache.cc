#include "identity/session_cache.h"

#include <mutex>

namespace egovbox::identity {

void SessionCache::Remember(const std::string& token_hash, Entry entry, std::uint64_t loaded_in_generation) {
  std::unique_lock lock(mutex_);
  // Never more than a bounded number: past it, start afresh (entries are cheap to reload).
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_[token_hash] =
      Stored{std::make_shared<const Entry>(std::move(entry)), loaded_in_generation, std::chrono::steady_clock::now()};
}

std::shared_ptr<const SessionCache::Entry> SessionCache::Find(const std::string& token_hash) const {
  std::shared_lock lock(mutex_);
  const auto found = entries_.find(token_hash);
  if (found == entries_.end()) return nullptr;
  const Stored& stored = found->second;
  if (stored.generation != generation() || std::chrono::steady_clock::now() - stored.loaded > ttl_) {
    return nullptr;
  }
  return stored.entry;
}

void SessionCache::Forget() {
  generation_.fetch_add(1, std::memory_order_acq_rel);
  std::unique_lock lock(mutex_);
  entries_.clear();
}

}  // namespace egovbox::identity
