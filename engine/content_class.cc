#include "engine/content_class.h"

#include <algorithm>
#include <cstring>

namespace akgate {

namespace {
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
}  // namespace

bool LooksBinary(std::string_view data) {
  size_t n = std::min<size_t>(data.size(), 8000);
  return n && std::memchr(data.data(), 0, n) != nullptr;
}

bool LooksMinified(std::string_view path, std::string_view data) {
  if (EndsWith(path, ".min.js") || EndsWith(path, ".min.css") || EndsWith(path, ".js.map") ||
      EndsWith(path, ".css.map"))
    return true;
  if (!(EndsWith(path, ".js") || EndsWith(path, ".mjs") || EndsWith(path, ".cjs") || EndsWith(path, ".css")))
    return false;
  if (data.size() < 4096) return false;
  size_t lines = 1 + static_cast<size_t>(std::count(data.begin(), data.end(), '\n'));
  return data.size() / lines > 1000;
}

SkipReason ClassifyContent(std::string_view path, std::string_view data, const ContentLimits& limits) {
  if (data.size() > limits.max_fragment_bytes) return SkipReason::kOversize;
  if (limits.skip_binary && LooksBinary(data)) return SkipReason::kBinary;
  if (limits.skip_minified && LooksMinified(path, data)) return SkipReason::kMinified;
  return SkipReason::kNone;
}

}  // namespace akgate
