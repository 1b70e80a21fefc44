#include "app/background_jobs.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace egovbox::app {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// When each job ran; lets a test wait for a number of runs without sleeping blindly.
class RunLog {
 public:
  void Record(const std::string& job) {
    {
      std::lock_guard lock(mutex_);
      runs_[job].push_back(Clock::now());
    }
    changed_.notify_all();
  }
  // Waits (at most a generous deadline) until `job` ran `count` times.
  bool WaitFor(const std::string& job, std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 10s, [&] { return runs_[job].size() >= count; });
  }
  std::vector<Clock::time_point> Runs(const std::string& job) {
    std::lock_guard lock(mutex_);
    return runs_[job];
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::vector<Clock::time_point>> runs_;
};

TEST(BackgroundJobsTest, EachJobRunsAtOnceThenAtItsOwnInterval) {
  RunLog log;
  BackgroundJobs jobs;
  jobs.Add("often", 20ms, [&] { log.Record("often"); });
  jobs.Add("hourly", 1h, [&] { log.Record("hourly"); });
  const auto started = Clock::now();
  jobs.Start();
  ASSERT_TRUE(log.WaitFor("often", 4));
  ASSERT_TRUE(log.WaitFor("hourly", 1));
  jobs.Stop();

  const auto often = log.Runs("often");
  EXPECT_EQ(log.Runs("hourly").size(), 1U);  // its second turn is an hour away
  // Never earlier than the interval after the end of the previous run.
  for (std::size_t i = 1; i < often.size(); ++i) EXPECT_GE(often[i] - often[i - 1], 20ms) << i;
  EXPECT_GE(often.back() - started, 3 * 20ms);
}

TEST(BackgroundJobsTest, ThrowingJobDoesNotStopTheOthersAndIsTriedAgain) {
  RunLog log;
  BackgroundJobs jobs;
  jobs.Add("failing", 5ms, [&] {
    log.Record("failing");
    throw std::runtime_error("store is busy");
  });
  jobs.Add("healthy", 5ms, [&] { log.Record("healthy"); });
  jobs.Start();
  EXPECT_TRUE(log.WaitFor("healthy", 5));
  EXPECT_TRUE(log.WaitFor("failing", 3));
  jobs.Stop();
}

TEST(BackgroundJobsTest, StopWakesTheSleepingThreadAndJoinsIt) {
  RunLog log;
  BackgroundJobs jobs;
  jobs.Add("hourly", 1h, [&] { log.Record("hourly"); });
  jobs.Start();
  ASSERT_TRUE(log.WaitFor("hourly", 1));
  const auto stopping = Clock::now();
  jobs.Stop();  // the thread sleeps until the next turn in an hour: Stop must not wait for it
  EXPECT_LT(Clock::now() - stopping, 5s);
  EXPECT_EQ(log.Runs("hourly").size(), 1U);
  jobs.Stop();  // twice is fine
}

TEST(BackgroundJobsTest, StopWaitsForARunningJobToFinish) {
  RunLog log;
  std::mutex gate;
  std::unique_lock closed(gate);
  BackgroundJobs jobs;
  jobs.Add("slow", 1h, [&] {
    log.Record("slow-started");
    std::lock_guard wait(gate);  // until the test opens the gate
    log.Record("slow-finished");
  });
  jobs.Start();
  ASSERT_TRUE(log.WaitFor("slow-started", 1));
  std::thread stopper([&] { jobs.Stop(); });
  closed.unlock();
  stopper.join();
  EXPECT_EQ(log.Runs("slow-finished").size(), 1U);
}

TEST(BackgroundJobsTest, NoFurtherJobStartsOnceStopIsAsked) {
  RunLog log;
  std::mutex gate;
  std::unique_lock closed(gate);
  BackgroundJobs jobs;
  jobs.Add("slow", 1h, [&] {
    log.Record("slow");
    std::lock_guard wait(gate);
  });
  jobs.Add("next", 1h, [&] { log.Record("next"); });  // due in the same turn, after "slow"
  jobs.Start();
  ASSERT_TRUE(log.WaitFor("slow", 1));
  std::thread stopper([&] { jobs.Stop(); });
  // Stop sets its flag at once and then waits in join; give the stopper thread time to get there.
  std::this_thread::sleep_for(100ms);
  closed.unlock();
  stopper.join();
  EXPECT_TRUE(log.Runs("next").empty());
}

TEST(BackgroundJobsTest, StopWithoutStartAndDestructionAreFine) {
  {
    BackgroundJobs jobs;
    jobs.Add("never", 1ms, [] { FAIL() << "not started"; });
    jobs.Stop();
  }
  RunLog log;
  {
    BackgroundJobs jobs;
    jobs.Add("often", 1ms, [&] { log.Record("often"); });
    jobs.Start();
    ASSERT_TRUE(log.WaitFor("often", 2));
  }  // the destructor stops and joins
  const auto runs = log.Runs("often").size();
  std::this_thread::sleep_for(20ms);  // twenty turns of the job, had the thread survived
  EXPECT_EQ(log.Runs("often").size(), runs);
}

}  // namespace
}  // namespace egovbox::app
