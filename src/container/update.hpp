// `update`: new resource limits for a running container, from runc's flags or a JSON document.
#pragma once

#include <string>

#include "cgroups/update.hpp"
#include "container/options.hpp"

namespace hull::container {

struct UpdateRequest {
  std::string id;
  // A linux.resources document: a file, "-" for stdin, or empty to use flags instead.
  std::string resources_file;
  cgroups::UpdateFlags flags;  // the flags given (the document, when set, wins)
};

void update_container(const Globals& g, const UpdateRequest& r);

}  // namespace hull::container
