// Image references on the command line: oci:DIR[:TAG], oci-archive:FILE[:TAG],
// docker-archive:FILE.
#pragma once

#include <string>

namespace hull::image {

struct Ref {
  enum class Kind { kOciLayout, kOciArchive, kDockerArchive };
  Kind kind = Kind::kOciLayout;
  std::string path;
  std::string tag;   // empty: the only image in the layout
  std::string text;  // as given, for messages and annotations
};

// Parses a reference; a string without a transport prefix is an OCI layout directory.
Ref parse_ref(const std::string& text);

}  // namespace hull::image
