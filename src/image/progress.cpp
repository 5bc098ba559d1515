#include "image/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace hull::image {

Progress::Progress(std::string label, uint64_t total, bool enabled)
    : label_(std::move(label)), total_(total), enabled_(enabled && total > 0) {}

Progress::~Progress() {
  if (enabled_ && done_ > 0) draw(true);
}

bool Progress::wanted() {
  return ::isatty(2) == 1 && std::getenv("OCI_IMAGE_NO_PROGRESS") == nullptr;
}

void Progress::advance(uint64_t n) {
  done_ += n;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(false);
}

void Progress::draw(bool last) {
  constexpr int kWidth = 30;
  uint64_t done = done_ > total_ ? total_ : done_.load();
  int filled = static_cast<int>(done * kWidth / total_);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), ' ');
  std::fprintf(stderr, "\r%s [%s] %.1f/%.1f MB%s", label_.c_str(), bar.c_str(), done / 1e6,
               total_ / 1e6, last ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace hull::image
