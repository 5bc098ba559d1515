// hull: an OCI runtime with runc's command line.
#include "cli/run.hpp"

int main(int argc, char** argv) {
  return hull::cli::run(argc, argv);
}
