// CPU/node lists and the per-process scheduling fields, applied in a child.
#include "process/scheduling.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/personality.h>

#include "hull/error.hpp"
#include "support/child.hpp"

namespace hull::process {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(IdList, RangesAndSingles) {
  EXPECT_THAT(parse_id_list("0-2,5", "w"), ElementsAre(0u, 1u, 2u, 5u));
  EXPECT_THAT(parse_id_list("7", "w"), ElementsAre(7u));
  EXPECT_TRUE(parse_id_list("", "w").empty());
}

TEST(IdList, MalformedListsNameTheField) {
  for (const char* bad : {"3-1", "a", "1,", "-1", "1--2"}) {
    try {
      parse_id_list(bad, "config.json: /x");
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_THAT(e.message(), HasSubstr("config.json: /x")) << bad;
    }
  }
}

TEST(Scheduling, UnknownNamesAreErrorsNamingTheMember) {
  spec::Scheduler s;
  s.policy = "SCHED_SOMETIMES";
  EXPECT_THROW(set_scheduler(s, "p/scheduler"), Error);
  spec::IOPriority io{"IOPRIO_CLASS_FAST", 0};
  try {
    set_io_priority(io, "p/ioPriority");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("p/ioPriority/class"));
  }
  spec::LinuxPersonality per{"LINUX", {"NO_SUCH_FLAG"}};
  try {
    set_personality(per, "c/personality");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("c/personality/flags/0"));
  }
}

TEST(Scheduling, AppliedInAChild) {
  int code = test::in_child([] {
    spec::Scheduler s;
    s.policy = "SCHED_BATCH";
    s.nice = 3;
    set_scheduler(s, "s");
    if (::sched_getscheduler(0) != SCHED_BATCH) return 1;
    spec::LinuxPersonality per{"LINUX32", {"ADDR_NO_RANDOMIZE"}};
    set_personality(per, "p");
    if (::personality(0xffffffff) !=
        (static_cast<int>(PER_LINUX32) | static_cast<int>(ADDR_NO_RANDOMIZE)))
      return 2;
    set_cpu_affinity("0", "a");
    cpu_set_t set;
    if (::sched_getaffinity(0, sizeof(set), &set) < 0 || CPU_COUNT(&set) != 1 ||
        !CPU_ISSET(0, &set))
      return 3;
    return 0;
  });
  EXPECT_EQ(code, 0);
}

}  // namespace
}  // namespace hull::process
