// Stage 5: candidates -> findings.
//
// For each pair rule, every candidate of its first part is an anchor. Each
// further part is filled by the nearest free candidate of that part's rule
// within `window_lines` (nearest by lines, then one that follows the anchor,
// then nearest by bytes; a few per line and side), or by a value the
// part's near_regex finds within those lines. Assignment is greedy by
// distance over all anchors at once, so a value pairs with the closest ID,
// never with every ID (no cross product). A pair whose required parts are
// all present becomes one finding; its candidates are consumed. Candidates
// left over become findings of their own rule (pair-only near values never
// do).
#pragma once

#include <string_view>
#include <vector>

#include "engine/candidate.h"
#include "engine/compiled_rules.h"
#include "engine/finding.h"

namespace akgate {

// `candidates` must be sorted by start with lines assigned. Findings carry
// offsets and lines; columns are filled by the caller. *comparisons grows by
// the work done (an anchor weighed against a value, a near_regex value checked
// against the candidates): at most a constant per anchor and per value, so
// linear in the input however the candidates are laid out.
void PairCandidates(const CompiledRules& rules, std::string_view path, std::string_view data,
                    std::vector<Candidate>* candidates, std::vector<Finding>* out, uint64_t* comparisons);

}  // namespace akgate
