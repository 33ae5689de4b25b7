// Cheap checks of an answer's shape before it is parsed. The JSON and XML
// parsers recurse once per level of nesting, so 256 KiB of "[[[[" or
// "<a><a><a>" from a hostile or broken endpoint would overflow the stack;
// an identity call's answer is a flat object of a dozen fields.
#pragma once

#include <string_view>

namespace akgate::verify {

// At most `max_depth` levels of [ and { (outside strings).
bool JsonNestingAtMost(std::string_view json, int max_depth);
// At most `max_tags` tags ('<' characters) in all.
bool XmlTagsAtMost(std::string_view xml, int max_tags);

}  // namespace akgate::verify
