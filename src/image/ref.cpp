#include "image/ref.hpp"

#include "hull/error.hpp"

namespace hull::image {
namespace {

// "DIR:TAG" → ("DIR", "TAG"); a colon before the last '/' belongs to the path.
void split_tag(const std::string& rest, Ref& ref) {
  auto colon = rest.find_last_of(':');
  auto slash = rest.find_last_of('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    ref.path = rest.substr(0, colon);
    ref.tag = rest.substr(colon + 1);
    if (ref.tag.empty()) throw Error("image reference " + ref.text + ": empty tag after ':'");
  } else {
    ref.path = rest;
  }
}

}  // namespace

Ref parse_ref(const std::string& text) {
  Ref ref;
  ref.text = text;
  auto take = [&](const char* prefix) {
    std::string p = prefix;
    if (text.compare(0, p.size(), p) != 0) return false;
    split_tag(text.substr(p.size()), ref);
    return true;
  };
  if (take("oci:")) {
    ref.kind = Ref::Kind::kOciLayout;
  } else if (take("oci-archive:")) {
    ref.kind = Ref::Kind::kOciArchive;
  } else if (text.compare(0, 15, "docker-archive:") == 0) {
    ref.kind = Ref::Kind::kDockerArchive;
    ref.path = text.substr(15);
  } else if (text.find("://") != std::string::npos || text.starts_with("docker:")) {
    throw Error("image reference " + text +
                ": unsupported transport (use oci:DIR[:TAG], oci-archive:FILE[:TAG] or "
                "docker-archive:FILE)");
  } else {
    split_tag(text, ref);
  }
  if (ref.path.empty()) throw Error("image reference " + text + ": no path");
  return ref;
}

}  // namespace hull::image
