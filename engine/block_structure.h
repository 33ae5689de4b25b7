// Which structural block each offset of a text is in: the JSON object, dict
// or class body (the innermost `{ ... }`), the YAML mapping or Python block
// (the lines indented under one parent line), or the INI/TOML section, .env
// or properties file (top-level lines between section headers). Pairing
// (pairing.cc) pairs an AccessKey ID with a secret of the same block however
// far apart they are: real configuration files keep them in one block, often
// many lines apart.
//
// Format-agnostic and approximate by design, one forward pass: braces count
// wherever they are (a brace inside a string may end a block early, which
// only loses a pairing the line window may still make), and indentation is
// measured in bytes of leading blanks. What it decides can only add pairings
// between candidates that are already findings of their own.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace akgate {

// `offsets` ascending. Returns one block id per offset: equal ids, same block.
// *work grows by the bytes read (linear in the text).
std::vector<uint64_t> BlockIds(std::string_view text, const std::vector<uint64_t>& offsets, uint64_t* work);

}  // namespace akgate
