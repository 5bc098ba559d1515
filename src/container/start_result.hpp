// How the init tells whoever released it (`start`, `run`) whether the user's process started.
// The init holds the write end of a channel, close-on-exec; it writes one marker byte just
// before execve, and on any failure the error text (after the marker when execve itself
// failed). The reader reads to end-of-file: the channel closes when the init execs or dies.
#pragma once

#include <functional>
#include <string>

#include "linux/fd.hpp"
#include "state/store.hpp"

namespace hull::container {

struct StartChannel {
  linux_::Fd init_end;  // goes to the init (InitConfig::result_fd); the creator closes it
  linux_::Fd reader;    // run: read here; create: empty, `start` opens the state dir's fifo
};

// run: a pipe. create (dir given): a fifo in the container's state dir, held open by the
// init so that `start`, a later process, can read it.
StartChannel open_start_channel(const state::ContainerDir* dir);
// Opens the state dir's fifo for reading, before the init is released. Empty when there is
// none (a container created by a hull from before the fifo existed).
linux_::Fd open_start_result(const state::ContainerDir& dir);
// Removes the fifo once read.
void remove_start_result(const state::ContainerDir& dir);

// Init side. fd -1 (exec): the text is thrown as hull::Error for the child's entry to report.
void report_exec(int fd);
[[noreturn]] void report_failure(int fd, const std::string& text, int code = 1);

// Reader side: returns when the process was exec'd; throws hull::Error with the init's text
// when it failed. init_alive tells an init that could not even write its marker (killed,
// or write refused by a filter) from one that exec'd.
void await_start(int fd, const std::function<bool()>& init_alive);

}  // namespace hull::container
