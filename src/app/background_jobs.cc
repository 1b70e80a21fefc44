#include "app/background_jobs.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace egovbox::app {

BackgroundJobs::~BackgroundJobs() {
  Stop();
}

void BackgroundJobs::Add(std::string name, std::chrono::milliseconds interval, std::function<void()> job) {
  jobs_.push_back({std::move(name), interval, std::move(job), std::chrono::steady_clock::now()});
}

void BackgroundJobs::Start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
}

void BackgroundJobs::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void BackgroundJobs::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto next = std::chrono::steady_clock::now() + std::chrono::hours(1);
    for (auto& job : jobs_) {
      if (stopping_) return;  // asked to stop while the previous job ran: start no other
      if (job.next <= std::chrono::steady_clock::now()) {
        lock.unlock();
        try {
          job.run();
        } catch (const std::exception& error) {
          spdlog::error("background job {} failed: {}", job.name, error.what());
        }
        lock.lock();
        job.next = std::chrono::steady_clock::now() + job.interval;
      }
      next = std::min(next, job.next);
    }
    wake_.wait_until(lock, next, [this] { return stopping_; });
  }
}

}  // namespace egovbox::app
