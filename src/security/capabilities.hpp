// The five capability sets of process.capabilities, applied with libcap.
#pragma once

#include <string>
#include <vector>

#include "spec/model.hpp"

namespace hull::security {

struct CapSets {
  std::vector<int> bounding, effective, inheritable, permitted, ambient;
};

// Resolves names to numbers. A name the kernel or this host's bounding set lacks is dropped
// with a warning (written to `warnings`), as runc does; an unknown name is an error.
CapSets resolve_capabilities(const spec::LinuxCapabilities& caps, const std::string& where,
                             std::vector<std::string>& warnings);

// Drops everything outside the bounding set. Must run before the uid change.
void apply_bounding(const CapSets& caps);
// Sets effective/permitted/inheritable, then raises the ambient ones. Runs after the uid
// change (with PR_SET_KEEPCAPS set before it).
void apply_capabilities(const CapSets& caps);
void set_keep_caps(bool keep);
void set_no_new_privileges();

}  // namespace hull::security
