// The parent/child protocol of create: small typed messages over a SOCK_SEQPACKET pair, so
// each message arrives whole and a dead peer shows as end-of-file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "linux/fd.hpp"

namespace hull::linux_ {

enum class Msg : uint32_t {
  kGo = 1,       // parent -> child: the child is in its cgroup, go on with setup
  kMapsWritten,  // parent -> child: uid/gid maps are in place
  kNeedMaps,     // child -> parent: the new user namespace exists, write its maps
  kInitPid,      // child -> parent: pid of the container init (as seen by the parent)
  kRunHooks,     // child -> parent: namespaces ready, run prestart/createRuntime hooks
  kHooksDone,    // parent -> child: hooks succeeded
  kReady,        // child -> parent: setup done, waiting on the exec fifo
  kStart,        // parent -> child (run): exec now, no fifo involved
  kError,        // either way: text of what failed
};

struct Message {
  Msg type{};
  std::string payload;
};

class SyncSocket {
 public:
  SyncSocket() = default;
  explicit SyncSocket(Fd fd) : fd_(std::move(fd)) {}
  static void pair(SyncSocket& a, SyncSocket& b);

  void send(Msg type, const std::string& payload = {}) const;
  // Throws on EOF or error; a kError message is returned like any other.
  Message receive() const;
  // Receives and requires `want`; a kError from the peer becomes a hull::Error with its text.
  Message expect(Msg want) const;
  // Waits for the peer's end to close (its execve: the socket is close-on-exec); a kError
  // sent instead becomes a hull::Error with its text.
  void expect_closed() const;
  // The next message, or nothing at end-of-file (every peer end closed).
  std::optional<Message> receive_or_eof() const;

  int fd() const { return fd_.get(); }
  void close() { fd_.reset(); }

 private:
  Fd fd_;
};

}  // namespace hull::linux_
