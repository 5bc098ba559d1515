#include "image/mounts.hpp"

#include <sys/stat.h>

#include <cctype>
#include <set>

#include "hull/error.hpp"
#include "image/fd.hpp"
#include "linux/dir_names.hpp"

namespace hull::image {
namespace {

// Undoes the kernel's seq_escape: a backslash and three octal digits stand for one byte.
std::string unoctal(std::string_view s) {
  auto oct = [&](size_t k) { return k < s.size() && s[k] >= '0' && s[k] <= '7'; };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && oct(i + 1) && oct(i + 2) && oct(i + 3)) {
      out +=
          static_cast<char>(((s[i + 1] - '0') << 6) | ((s[i + 2] - '0') << 3) | (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Splits a lowerdir value at the colons overlayfs splits at; a backslash escapes the next byte.
void split_layers(const std::string& value, std::vector<std::string>& out) {
  std::string cur;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) {
      cur += value[++i];
    } else if (value[i] == ':') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += value[i];
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
}

}  // namespace

std::vector<std::string> overlay_dirs(std::string_view mountinfo) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < mountinfo.size()) {
    size_t eol = mountinfo.find('\n', pos);
    if (eol == std::string_view::npos) eol = mountinfo.size();
    std::string_view line = mountinfo.substr(pos, eol - pos);
    pos = eol + 1;
    // "... - FSTYPE SOURCE SUPEROPTIONS": the separator ends the optional fields.
    size_t sep = line.find(" - ");
    if (sep == std::string_view::npos) continue;
    std::string_view rest = line.substr(sep + 3);
    size_t a = rest.find(' ');
    if (a == std::string_view::npos || rest.substr(0, a) != "overlay") continue;
    size_t b = rest.find(' ', a + 1);
    if (b == std::string_view::npos) continue;
    std::string_view opts = rest.substr(b + 1);
    size_t i = 0;
    while (i <= opts.size()) {
      size_t j = opts.find(',', i);
      if (j == std::string_view::npos) j = opts.size();
      std::string_view opt = opts.substr(i, j - i);
      i = j + 1;
      size_t eq = opt.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view key = opt.substr(0, eq);
      std::string value = unoctal(opt.substr(eq + 1));
      if (key == "lowerdir" || key == "lowerdir+" || key == "datadir+") {
        split_layers(value, out);
      } else if ((key == "upperdir" || key == "workdir") && !value.empty()) {
        out.push_back(std::move(value));
      }
    }
  }
  return out;
}

std::vector<std::string> overlay_dirs_in_use() {
  std::vector<std::string> out;
  std::set<ino_t> seen;
  auto read_ns = [&](const std::string& proc) {
    struct stat st;
    if (::stat((proc + "/ns/mnt").c_str(), &st) != 0 || !seen.insert(st.st_ino).second) return;
    std::string text;
    try {
      text = read_file(proc + "/mountinfo");
    } catch (const Error&) {
      return;  // the process ended meanwhile
    }
    auto dirs = overlay_dirs(text);
    out.insert(out.end(), dirs.begin(), dirs.end());
  };
  read_ns("/proc/self");
  std::vector<std::string> pids;
  for (linux_::DirNames d("/proc"); d.next();)
    if (std::isdigit(static_cast<unsigned char>(d.name()[0]))) pids.emplace_back(d.name());
  for (const auto& pid : pids) read_ns("/proc/" + pid);
  return out;
}

}  // namespace hull::image
