// Stage 1: is this fragment text worth scanning? Binary content, oversize
// fragments, minified bundles and allowlisted paths are skipped, and the
// caller always learns which and why.
#pragma once

#include <string_view>

#include "engine/finding.h"
#include "engine/rule.h"

namespace akgate {

// True when the first 8000 bytes hold a NUL (git's own binary heuristic).
bool LooksBinary(std::string_view data);

// Minified JavaScript/CSS/source maps: by name (*.min.js, *.min.css, *.map)
// or by shape (a .js/.css/.mjs file whose lines average over 1000 bytes).
bool LooksMinified(std::string_view path, std::string_view data);

// Everything but the path allowlist, which needs compiled regexes.
SkipReason ClassifyContent(std::string_view path, std::string_view data, const ContentLimits& limits);

}  // namespace akgate
