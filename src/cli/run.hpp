// The whole command line as a library call, so that main.cpp is one line and a test binary can
// run the same CLI (e.g. over a fault-injecting kernel).
#pragma once

namespace hull::cli {

// Parses argv as `hull [global flags] COMMAND ...`, runs the command and returns the exit
// code. Errors are one `hull: ...` line on stderr (and a record in --log); usage errors are 1.
int run(int argc, char** argv);

}  // namespace hull::cli
