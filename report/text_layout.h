// Laying text out in a terminal's columns: what git shows behind "remote: "
// and what `akgate scan` prints. Widths are display columns, not bytes: a
// CJK character (Chinese, Japanese, Korean; fullwidth punctuation) takes
// two columns, any other character one. Nothing here splits a UTF-8
// sequence, so a shortened line is still valid UTF-8.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace akgate {

// Columns `s` takes in a terminal. A byte that does not start a valid UTF-8
// sequence counts as one column (it is shown as one replacement character).
size_t DisplayWidth(std::string_view s);

// `s` safe to show in a terminal: control characters (C0, DEL, C1), which a
// hostile path, ref or commit subject could use to move the cursor or
// rewrite the screen, each become "?"; invalid UTF-8 bytes become U+FFFD.
std::string Displayable(std::string_view s);

// Shortens `s` to at most `max` columns, keeping the end (a path's file
// name): "..." then the tail. Unchanged when it fits or `max` < 8.
std::string Ellipsize(const std::string& s, size_t max);

// Cuts `s` to at most `max` columns, keeping the start: the head then "...".
std::string Truncate(const std::string& s, size_t max);

// Wraps `text` into lines of at most `width` columns, each starting with
// `indent`. Breaks at spaces, and between CJK characters (which have no
// spaces between them), never before closing punctuation such as "，" or
// "）" nor after opening punctuation such as "（". A word longer than a line
// is shortened with Ellipsize.
void Wrap(const std::string& text, const std::string& indent, size_t width, std::vector<std::string>* out);

}  // namespace akgate
