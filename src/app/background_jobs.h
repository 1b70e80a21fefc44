// Work that runs on a clock rather than on a request: unanswered calls become
// missed, due reminders go out. One thread; each job runs at its own interval; a
// failing job is logged and tried again at its next turn. All state lives in the
// store, so a restart picks up where the last run left off.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace egovbox::app {

class BackgroundJobs {
 public:
  ~BackgroundJobs();  // Stop()

  // Before Start.
  void Add(std::string name, std::chrono::milliseconds interval, std::function<void()> job);
  void Start();
  void Stop();

 private:
  struct Job {
    std::string name;
    std::chrono::milliseconds interval;
    std::function<void()> run;
    std::chrono::steady_clock::time_point next;
  };
  void Run();

  std::vector<Job> jobs_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace egovbox::app
