#include <gtest/gtest.h>
#include <signal.h>

#include "container/lifecycle.hpp"
#include "hull/error.hpp"

namespace {

using hull::container::parse_signal;

TEST(Signals, NamesWithAndWithoutSigAndNumbers) {
  EXPECT_EQ(parse_signal("TERM"), SIGTERM);
  EXPECT_EQ(parse_signal("SIGKILL"), SIGKILL);
  EXPECT_EQ(parse_signal("sigusr1"), SIGUSR1);
  EXPECT_EQ(parse_signal("9"), SIGKILL);
  EXPECT_EQ(parse_signal(""), SIGTERM);
  EXPECT_EQ(parse_signal("RTMIN+2"), SIGRTMIN + 2);
}

TEST(Signals, UnknownOnesAreErrors) {
  EXPECT_THROW(parse_signal("NOPE"), hull::Error);
  EXPECT_THROW(parse_signal("0"), hull::Error);
  EXPECT_THROW(parse_signal("999"), hull::Error);
}

}  // namespace
