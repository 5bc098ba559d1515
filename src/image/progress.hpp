// A one-line progress display on stderr for long extractions, shown only on a terminal.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace hull::image {

class Progress {
 public:
  // label: what is being done ("unpacking 3 layers"); enabled is false off a terminal.
  Progress(std::string label, uint64_t total, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // Thread-safe: layers extracted in parallel share one display.
  void advance(uint64_t n);

  // True when stderr is a terminal and OCI_IMAGE_NO_PROGRESS is unset.
  static bool wanted();

 private:
  void draw(bool last);

  std::string label_;
  uint64_t total_;
  bool enabled_;
  std::atomic<uint64_t> done_{0};
  std::mutex mu_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace hull::image
