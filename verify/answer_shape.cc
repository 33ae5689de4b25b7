#include "verify/answer_shape.h"

namespace akgate::verify {

bool JsonNestingAtMost(std::string_view json, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : json) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

bool XmlTagsAtMost(std::string_view xml, int max_tags) {
  int tags = 0;
  for (char c : xml)
    if (c == '<' && ++tags > max_tags) return false;
  return true;
}

}  // namespace akgate::verify
