// The whole command line as a library call, so that main.cpp is one line and a test binary can
// run the same CLI (e.g. over a fault-injecting kernel).
#pragma once

#include <string_view>

namespace hull::cli {

// Parses argv as `hull [global flags] COMMAND ...`, runs the command and returns the exit
// code. Errors are one `hull: ...` line on stderr (and a record in --log); usage errors are 1.
int run(int argc, char** argv);

// The command argv names (its name, not an alias) where the words before it are plain global
// flags, as the parse finds it; empty otherwise.
std::string_view command_of(int argc, char** argv);

// create, run and exec: they re-execute from the protected binary (linux/self_exe.hpp) first.
bool clones_container_processes(std::string_view command);

}  // namespace hull::cli
