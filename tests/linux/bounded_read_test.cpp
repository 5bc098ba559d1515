// The size-limited reads every untrusted input goes through (linux/bounded_read.hpp).
#include "linux/bounded_read.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "hull/error.hpp"
#include "linux/fd.hpp"
#include "support/error_of.hpp"

namespace {

using hull::linux_::FileKind;
using hull::linux_::read_fd_bounded;
using hull::linux_::read_file_bounded;
using hull::linux_::try_read_file_bounded;

class BoundedRead : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hull-bounded-read.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& content) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }
  std::string dir_;
};

using hull::test::error_of;

TEST_F(BoundedRead, ReadsAFileUpToTheLimit) {
  std::string path = write("f", "0123456789");
  EXPECT_EQ(read_file_bounded(path, 10), "0123456789");
  EXPECT_EQ(read_file_bounded(write("empty", ""), 0), "");
}

TEST_F(BoundedRead, OneByteOverTheLimitIsRefusedNamingFileAndLimit) {
  std::string path = write("f", "0123456789");
  EXPECT_EQ(error_of([&] { read_file_bounded(path, 9); }),
            path + ": larger than 9 bytes, the limit for this input");
}

TEST_F(BoundedRead, LimitsPrintInTheirUnit) {
  EXPECT_EQ(hull::linux_::size_text(16u << 20), "16 MiB");
  EXPECT_EQ(hull::linux_::size_text(512u << 10), "512 KiB");
  EXPECT_EQ(hull::linux_::size_text(1), "1 byte");
  EXPECT_EQ(hull::linux_::size_text(1000), "1000 bytes");
}

TEST_F(BoundedRead, DevZeroIsNotARegularFile) {
  EXPECT_EQ(error_of([] { read_file_bounded("/dev/zero", 1 << 20); }),
            "/dev/zero: not a regular file");
}

TEST_F(BoundedRead, DevZeroAsAnyFileStopsAtTheLimit) {
  // The read ends at limit + 1 bytes, so an endless source fails at once.
  EXPECT_EQ(error_of([] { read_file_bounded("/dev/zero", 1 << 20, FileKind::kAny); }),
            "/dev/zero: larger than 1 MiB, the limit for this input");
}

TEST_F(BoundedRead, ADirectoryIsRefused) {
  EXPECT_EQ(error_of([&] { read_file_bounded(dir_, 100, FileKind::kAny); }),
            dir_ + ": is a directory, not a file");
}

TEST_F(BoundedRead, AMissingFileIsNulloptOrAnErrorNamingIt) {
  EXPECT_FALSE(try_read_file_bounded(dir_ + "/none", 100).has_value());
  EXPECT_EQ(error_of([&] { read_file_bounded(dir_ + "/none", 100); }),
            "opening " + dir_ + "/none: No such file or directory");
}

TEST_F(BoundedRead, AFifoIsRefusedWithoutWaitingForAWriter) {
  std::string path = dir_ + "/fifo";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  EXPECT_EQ(error_of([&] { read_file_bounded(path, 100); }), path + ": not a regular file");
}

TEST_F(BoundedRead, APipeIsReadToEndOfFileWithinTheLimit) {
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  hull::linux_::Fd r(p[0]), w(p[1]);
  ASSERT_EQ(::write(w.get(), "{\"a\":1}", 7), 7);
  w.reset();
  EXPECT_EQ(read_fd_bounded(r.get(), 7, "stdin"), "{\"a\":1}");
}

TEST_F(BoundedRead, APipeOverTheLimitNamesWhat) {
  int p[2];
  ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
  hull::linux_::Fd r(p[0]), w(p[1]);
  ASSERT_EQ(::write(w.get(), "12345", 5), 5);
  w.reset();
  EXPECT_EQ(error_of([&] { read_fd_bounded(r.get(), 4, "stdin"); }),
            "stdin: larger than 4 bytes, the limit for this input");
}

TEST_F(BoundedRead, AFileLargerThanTheReadBufferIsReadWhole) {
  std::string big(300000, 'x');
  EXPECT_EQ(read_file_bounded(write("big", big), big.size()), big);
}

}  // namespace
