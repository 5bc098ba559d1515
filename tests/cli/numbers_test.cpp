#include "cli/numbers.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <string>

#include "hull/error.hpp"
#include "support/error_of.hpp"

namespace {

using namespace hull::cli;
using std::chrono::milliseconds;

using hull::test::error_of;

TEST(ParseInt, WholeDecimalInRange) {
  EXPECT_EQ(parse_int("42", "--n", 0, 100), 42);
  EXPECT_EQ(parse_int("-3", "--n", -5, 5), -3);
  EXPECT_EQ(parse_int("9223372036854775807", "--n", INT64_MIN, INT64_MAX), INT64_MAX);
}

TEST(ParseInt, JunkAndOverflowNameTheFlag) {
  for (const char* bad : {"9abc", "", " 9", "+9", "0x10", "1e3", "-", "9 "}) {
    EXPECT_EQ(error_of([&] { parse_int(bad, "--n", 0, 100); }),
              std::string("--n: invalid value \"") + bad + "\": not a decimal integer")
        << bad;
  }
  EXPECT_EQ(error_of([] { parse_int("101", "--n", 0, 100); }),
            "--n: invalid value \"101\": out of range (0 to 100)");
  EXPECT_NE(error_of([] { parse_int("99999999999999999999", "--n", 0, INT64_MAX); }), "");
  EXPECT_NE(error_of([] { parse_int("-3", "--preserve-fds", 0, 100); }), "");
}

TEST(ParseUint, RejectsSignsAndOverflow) {
  EXPECT_EQ(parse_uint("18446744073709551615", "--x"), UINT64_MAX);
  EXPECT_NE(error_of([] { parse_uint("-1", "--x"); }), "");
  EXPECT_NE(error_of([] { parse_uint("18446744073709551616", "--x"); }), "");
  EXPECT_NE(error_of([] { parse_uint("1001", "--x", 1000); }), "");
}

TEST(ParseSize, UnitsAsRunc) {
  EXPECT_EQ(parse_size("1024", "--memory"), 1024);
  EXPECT_EQ(parse_size("512m", "--memory"), 512LL << 20);
  EXPECT_EQ(parse_size("1G", "--memory"), 1LL << 30);
  EXPECT_EQ(parse_size("2kb", "--memory"), 2048);
  EXPECT_EQ(parse_size("2 KiB", "--memory"), 2048);
  EXPECT_EQ(parse_size("1.5GiB", "--memory"), 3LL << 29);
  EXPECT_EQ(parse_size("8191p", "--memory"), 8191LL << 50);
  EXPECT_EQ(parse_size("-1", "--memory"), -1);
}

TEST(ParseSize, OverflowIsAnErrorNotUnlimited) {
  EXPECT_EQ(error_of([] { parse_size("8192p", "--memory"); }),
            "--memory: invalid value \"8192p\": out of range (at most 2^63-1 bytes)");
  EXPECT_NE(error_of([] { parse_size("9223372036854775808", "--memory"); }), "");
  for (const char* bad : {"lots", "12q", "-5m", "nan", "inf", "1e3", "0x10", " 5", "5.", "-2"}) {
    EXPECT_NE(error_of([&] { parse_size(bad, "--memory"); }), "") << bad;
  }
}

TEST(ParseDuration, GoForms) {
  EXPECT_EQ(parse_duration("5s", "--interval"), milliseconds(5000));
  EXPECT_EQ(parse_duration("250ms", "--interval"), milliseconds(250));
  EXPECT_EQ(parse_duration("1m30s", "--interval"), milliseconds(90000));
  EXPECT_EQ(parse_duration("1.5h", "--interval"), milliseconds(5400000));
  EXPECT_EQ(parse_duration("2", "--interval"), milliseconds(2000));
  EXPECT_EQ(parse_duration("10us", "--interval"), milliseconds(1));
}

TEST(ParseDuration, NanZeroNegativeAndHugeAreErrors) {
  for (const char* bad : {"nan", "inf", "", "0s", "0", "-5s", "5x", "s", "1e3s", "5s3"}) {
    EXPECT_NE(error_of([&] { parse_duration(bad, "--interval"); }), "") << bad;
  }
  EXPECT_EQ(error_of([] { parse_duration("0s", "--interval"); }),
            "--interval: invalid value \"0s\": must be greater than zero");
  EXPECT_NE(error_of([] { parse_duration("9999999999h", "--interval"); }), "");
}

TEST(ParseSignal, NamesNumbersAndRealTime) {
  EXPECT_EQ(parse_signal("TERM"), SIGTERM);
  EXPECT_EQ(parse_signal("SIGKILL"), SIGKILL);
  EXPECT_EQ(parse_signal("sigusr1"), SIGUSR1);
  EXPECT_EQ(parse_signal("9"), SIGKILL);
  EXPECT_EQ(parse_signal("0"), 0);
  EXPECT_EQ(parse_signal("64"), 64);
  EXPECT_EQ(parse_signal("RTMIN"), SIGRTMIN);
  EXPECT_EQ(parse_signal("RTMIN+2"), SIGRTMIN + 2);
  EXPECT_EQ(parse_signal("SIGRTMAX-1"), SIGRTMAX - 1);
  EXPECT_EQ(parse_signal("RTMIN+" + std::to_string(SIGRTMAX - SIGRTMIN)), SIGRTMAX);
}

TEST(ParseSignal, JunkAndOutOfRangeAreErrors) {
  EXPECT_EQ(error_of([] { parse_signal("9abc"); }),
            "signal: invalid value \"9abc\": not a decimal integer");
  EXPECT_EQ(error_of([] { parse_signal("99999999999"); }),
            "signal: invalid value \"99999999999\": out of range (0 to 64)");
  EXPECT_NE(error_of([] { parse_signal("RTMIN+99"); }).find("outside the real-time range"),
            std::string::npos);
  for (const char* bad : {"NOPE", "", "-1", "65", " 9", "RTMIN+", "RTMIN+-1", "RTMAX+1", "RTMIN+1x",
                          "RTMAX-99999999999999", "SIG"}) {
    EXPECT_NE(error_of([&] { parse_signal(bad); }), "") << bad;
  }
}

}  // namespace
