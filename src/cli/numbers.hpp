// The one parser for numbers and signals that come from the command line. Every function
// takes the whole text (no leading blanks, no trailing junk), checks the range, and throws
// hull::Error naming `what` (the flag or argument) and the text when it does not fit.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

namespace hull::cli {

// A decimal integer in [min, max]: an optional '-' and digits only.
int64_t parse_int(std::string_view text, std::string_view what, int64_t min, int64_t max);

// A decimal integer in [0, max]: digits only.
uint64_t parse_uint(std::string_view text, std::string_view what, uint64_t max = UINT64_MAX);

// A byte count as runc's update takes it: "1024", "512m", "1.5GiB", "2 kb"; or -1 (unlimited).
// Units are powers of 1024 up to p; the result must fit an int64.
int64_t parse_size(std::string_view text, std::string_view what);

// A Go-style duration: "5s", "250ms", "1m30s", "1.5h"; a bare number is seconds. Must be
// greater than zero; anything under a millisecond rounds up to one.
std::chrono::milliseconds parse_duration(std::string_view text, std::string_view what);

// A signal: a number from 0 (no signal: a liveness check) to NSIG-1, a name with or without
// SIG in any case (TERM, sigkill), or RTMIN+n / RTMAX-n inside the real-time range.
int parse_signal(std::string_view text);

}  // namespace hull::cli
