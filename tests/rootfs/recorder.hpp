// A Kernel for rootfs tests: in front of a FaultKernel with nothing behind it (every call
// "succeeds" without effect, a plan fails the Nth of a kind), it writes one line per call
// rootfs makes, with the arguments a FaultKernel record leaves out (mount source, type,
// flags). The fake descriptors are named by the path they were opened from, so a mount on
// "/proc/self/fd/7" reads as a mount on "/dev/pts".
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "linux/fault_kernel.hpp"
#include "linux/kernel.hpp"

namespace hull::test {

// "bind|rec|ro" for MS_* flags; "-" for none.
std::string mount_flags(unsigned long flags);

class Recorder final : public linux_::Kernel {
 public:
  explicit Recorder(std::string_view plan = "") : fault_(nullptr, linux_::parse_fault_plan(plan)) {}

#define HULL_RECORD_CALL(result, name, kind, params, args, what)   \
  result name params override {                                    \
    result result_ = fault_.name args;                             \
    note(#name, static_cast<long>(result_), std::make_tuple args); \
    return result_;                                                \
  }
  HULL_SYSCALLS(HULL_RECORD_CALL)
#undef HULL_RECORD_CALL

  // One line per call of interest, in order: "mount proc on /proc type proc flags -".
  const std::vector<std::string>& log() const {
    return log_;
  }
  // The lines that start with prefix ("mount ").
  std::vector<std::string> lines(std::string_view prefix) const;
  const linux_::FaultKernel& fault() const {
    return fault_;
  }

 private:
  // A path for what fd or "/proc/self/fd/N" names, else the text itself.
  std::string name_of(int dirfd, const char* path) const;
  std::string name_of(const char* path) const {
    return name_of(-100, path);
  }
  void add(std::string line, long result);

  template <typename Tuple>
  void note(std::string_view call, long result, const Tuple& args) {
    using Path2 = std::tuple<const char*, const char*>;
    using Path1 = std::tuple<const char*>;
    using Open = std::tuple<int, const char*, int, unsigned>;
    using Open2 = std::tuple<int, const char*, open_how*, size_t>;
    using Mount = std::tuple<const char*, const char*, const char*, unsigned long, const void*>;
    using Mknod = std::tuple<int, const char*, unsigned, dev_t>;
    using Symlink = std::tuple<const char*, int, const char*>;
    using Chown = std::tuple<int, const char*, uid_t, gid_t, int>;
    using Setattr = std::tuple<int, const char*, unsigned, mount_attr*, size_t>;
    using Fd1 = std::tuple<int>;
    using Umount = std::tuple<const char*, int>;
    if constexpr (std::is_same_v<Tuple, Open> || std::is_same_v<Tuple, Open2>) {
      // openat2 is rootfs's in-root lookup: its path is one inside the container.
      std::string rel = std::get<1>(args);
      std::string path = std::is_same_v<Tuple, Open2>
                             ? (rel == "." ? "/" : "/" + rel)
                             : name_of(std::get<0>(args), std::get<1>(args));
      if (result >= 0) fd_paths_[static_cast<int>(result)] = path;
      add("open " + path, result);
    } else if constexpr (std::is_same_v<Tuple, Mount>) {
      auto text = [](const char* s) { return std::string(s != nullptr && *s ? s : "-"); };
      const char* data = static_cast<const char*>(std::get<4>(args));
      add("mount " + (std::get<0>(args) ? name_of(std::get<0>(args)) : "-") + " on " +
              name_of(std::get<1>(args)) + " type " + text(std::get<2>(args)) + " flags " +
              mount_flags(std::get<3>(args)) + " data " + text(data),
          result);
    } else if constexpr (std::is_same_v<Tuple, Umount>) {
      add("umount " + name_of(std::get<0>(args)), result);
    } else if constexpr (std::is_same_v<Tuple, Mknod>) {
      add("mknod " + name_of(std::get<0>(args), std::get<1>(args)), result);
    } else if constexpr (std::is_same_v<Tuple, Symlink>) {
      add("symlink " + name_of(std::get<1>(args), std::get<2>(args)) + " -> " + std::get<0>(args),
          result);
    } else if constexpr (std::is_same_v<Tuple, Chown>) {
      add("chown " + name_of(std::get<0>(args), std::get<1>(args)) + " " +
              std::to_string(std::get<2>(args)) + ":" + std::to_string(std::get<3>(args)),
          result);
    } else if constexpr (std::is_same_v<Tuple, Setattr>) {
      add("mount_setattr " + name_of(std::get<0>(args), std::get<1>(args)), result);
    } else if constexpr (std::is_same_v<Tuple, Path2>) {
      add(std::string(call) + " " + std::get<0>(args) + " " + std::get<1>(args), result);
    } else if constexpr (std::is_same_v<Tuple, Path1>) {
      add(std::string(call) + " " + name_of(std::get<0>(args)), result);
    } else if constexpr (std::is_same_v<Tuple, Fd1>) {
      if (call == "fchdir") add("fchdir " + name_of(std::get<0>(args), ""), result);
    }
  }

  linux_::FaultKernel fault_;
  std::map<int, std::string> fd_paths_;
  std::vector<std::string> log_;
};

}  // namespace hull::test
