// ps's output filtered to the container's pids, and the json form.
#include "container/ps.hpp"

#include <gtest/gtest.h>

#include "hull/error.hpp"

namespace {

using hull::container::filter_ps_table;
using hull::container::ps_json;

const char kPsEf[] =
    "UID          PID    PPID  C STIME TTY          TIME CMD\n"
    "root           1       0  0 09:00 ?        00:00:01 /sbin/init\n"
    "root         412       1  0 09:01 ?        00:00:00 sleep 1000\n"
    "root        4120     412  0 09:01 pts/0    00:00:00 sh -c echo 412\n";

TEST(PsTable, KeepsTheHeaderAndTheRowsOfThePids) {
  EXPECT_EQ(filter_ps_table(kPsEf, {412}),
            "UID          PID    PPID  C STIME TTY          TIME CMD\n"
            "root         412       1  0 09:01 ?        00:00:00 sleep 1000\n");
  EXPECT_EQ(filter_ps_table(kPsEf, {4120, 1}),
            "UID          PID    PPID  C STIME TTY          TIME CMD\n"
            "root           1       0  0 09:00 ?        00:00:01 /sbin/init\n"
            "root        4120     412  0 09:01 pts/0    00:00:00 sh -c echo 412\n");
  EXPECT_EQ(filter_ps_table(kPsEf, {}),
            "UID          PID    PPID  C STIME TTY          TIME CMD\n");
}

TEST(PsTable, FindsThePidColumnWhereverItIs) {
  EXPECT_EQ(filter_ps_table("  PID TTY\n    7 ?\n    8 ?\n", {8}), "  PID TTY\n    8 ?\n");
  // short rows (fewer fields than the PID column's index) are skipped
  EXPECT_EQ(filter_ps_table("A B PID\n1 2 3\nx\n", {3}), "A B PID\n1 2 3\n");
}

TEST(PsTable, NoPidColumnOrABadPidIsAnError) {
  try {
    filter_ps_table("USER COMMAND\nroot init\n", {1});
    FAIL() << "no PID column accepted";
  } catch (const hull::Error& e) {
    EXPECT_EQ(e.message(), "ps: couldn't find the PID field in ps output");
  }
  EXPECT_THROW(filter_ps_table("PID CMD\nabc sh\n", {1}), hull::Error);
  EXPECT_THROW(filter_ps_table("PID CMD\n0 sh\n", {1}), hull::Error);
}

TEST(PsJson, ThePidsAsAnArray) {
  EXPECT_EQ(ps_json({}), "[]\n");
  EXPECT_EQ(ps_json({1}), "[1]\n");
  EXPECT_EQ(ps_json({1, 22, 333}), "[1,22,333]\n");
}

}  // namespace
