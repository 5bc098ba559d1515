// The start result channel under a fault-injecting kernel: each failure says what failed.
#include "container/start_result.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "hull/error.hpp"
#include "linux/fault_kernel.hpp"

namespace hull::container {
namespace {

using linux_::FaultKernel;
using linux_::host_kernel;
using linux_::parse_fault_plan;
using linux_::ScopedKernel;

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.message();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(StartResultFaults, APipeThatCannotBeMadeSaysWhichPipe) {
  FaultKernel fk(&host_kernel(), parse_fault_plan("open:1:EMFILE"));
  ScopedKernel scope(fk);
  std::string msg = message_of([] { open_start_channel(nullptr); });
  EXPECT_EQ(msg, "creating the start result pipe: pipe: Too many open files");
}

TEST(StartResultFaults, TheInitsTextIsTheError) {
  StartChannel c = open_start_channel(nullptr);
  std::string text = "config.json: /process/args/0: exec /nope: No such file or directory";
  ASSERT_EQ(::write(c.init_end.get(), text.data(), text.size()), static_cast<ssize_t>(text.size()));
  c.init_end.reset();
  EXPECT_EQ(message_of([&] { await_start(c.reader.get(), [] { return false; }); }), text);
}

TEST(StartResultFaults, AReadThatFailsIsNotASuccess) {
  StartChannel c = open_start_channel(nullptr);
  c.init_end.reset();
  FaultKernel fk(&host_kernel(), parse_fault_plan("read:1"));
  ScopedKernel scope(fk);
  std::string msg = message_of([&] { await_start(c.reader.get(), [] { return true; }); });
  EXPECT_EQ(msg, "reading the container's start result: Input/output error");
}

TEST(StartResultFaults, AWaitThatFailsIsNotASuccess) {
  // Nothing written yet on a non-blocking reader: the poll is what fails.
  StartChannel c = open_start_channel(nullptr);
  ASSERT_EQ(::fcntl(c.reader.get(), F_SETFL, O_NONBLOCK), 0);
  FaultKernel fk(&host_kernel(), parse_fault_plan("wait:1"));
  ScopedKernel scope(fk);
  std::string msg = message_of([&] { await_start(c.reader.get(), [] { return true; }); });
  EXPECT_EQ(msg, "poll the container's start result: Input/output error");
}

TEST(StartResultFaults, WalksWithoutAKernel) {
  // FaultKernel(nullptr): every call succeeds without doing anything; the marker write
  // "succeeds" and nothing throws.
  FaultKernel fk(nullptr);
  ScopedKernel scope(fk);
  StartChannel c = open_start_channel(nullptr);
  EXPECT_TRUE(c.reader.valid());
  EXPECT_TRUE(c.init_end.valid());
  report_exec(c.init_end.get());
  ASSERT_EQ(fk.calls().size(), 2u);
  EXPECT_EQ(fk.calls()[0].what, "pipe");
  EXPECT_EQ(fk.calls()[1].kind, linux_::Sys::write);
}

}  // namespace
}  // namespace hull::container
