// hull-fault: the hull command line over a FaultKernel (linux/fault_kernel.hpp), for the
// fault-injection suite (conformance/fault-injection.bats). HULL_FAULTS names the calls to
// fail ("mount:3,open:7:EACCES"), HULL_FAULT_LOG a file that receives one line per call.
// A test binary only: never installed, never the hull that ships.
//
// create, run and exec first re-execute themselves from a protected copy
// (linux/self_exe.hpp); counting starts in that copy, so that a plan's numbers mean the same
// calls whether or not the view of the binary existed already.
#include <unistd.h>

#include <string>

#include "cli/run.hpp"
#include "hull/error.hpp"
#include "linux/fault_kernel.hpp"
#include "linux/self_exe.hpp"

int main(int argc, char** argv) {
  if (!hull::cli::clones_container_processes(hull::cli::command_of(argc, argv)) ||
      hull::linux_::reexecuted_protected()) {
    try {
      hull::linux_::install_fault_kernel_from_env();
    } catch (const hull::Error& e) {
      std::string line = "hull-fault: " + e.message() + "\n";
      (void)!::write(2, line.data(), line.size());
      return 2;
    }
  }
  return hull::cli::run(argc, argv);
}
