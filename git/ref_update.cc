#include "git/ref_update.h"

#include <cstdio>

namespace akgate {

namespace {

bool IsHex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// git's check_refname_format, the parts that matter for a name we only read:
// starts with refs/, no control bytes or spaces, no "..", no "//", no "@{".
bool PlausibleRefName(std::string_view r) {
  if (r.rfind("refs/", 0) != 0 || r.size() <= 5 || r.back() == '/' || r.back() == '.') return false;
  if (r.find("..") != std::string_view::npos || r.find("//") != std::string_view::npos ||
      r.find("@{") != std::string_view::npos)
    return false;
  for (unsigned char c : r)
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' || c == '[' ||
        c == '\\')
      return false;
  return true;
}

}  // namespace

bool IsZeroId(std::string_view hex) { return !hex.empty() && hex.find_first_not_of('0') == std::string_view::npos; }
bool RefUpdate::is_create() const { return IsZeroId(old_id); }
bool RefUpdate::is_delete() const { return IsZeroId(new_id); }

std::string Printable(std::string_view s, size_t max) {
  std::string out;
  for (size_t i = 0; i < s.size() && out.size() < max; ++i) {
    unsigned char c = s[i];
    if (c >= 0x20 && c != 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > max) out += "...";
  return out;
}

Status ParseRefUpdateLine(std::string_view line, size_t line_no, RefUpdate* out) {
  std::string where = "ref update line " + std::to_string(line_no);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos)
    return Status::InvalidArgument(where + ": expected \"<old-oid> <new-oid> <refname>\", got \"" + Printable(line) +
                                   "\"");
  std::string_view old_id = line.substr(0, sp1), new_id = line.substr(sp1 + 1, sp2 - sp1 - 1),
                   ref = line.substr(sp2 + 1);
  for (std::string_view id : {old_id, new_id}) {
    if (id.size() == 64 && IsHex(id))
      return Status::InvalidArgument(where +
                                     ": SHA-256 object ids are not supported (libgit2 1.5 reads SHA-1 repositories)");
    if (id.size() != 40 || !IsHex(id))
      return Status::InvalidArgument(where + ": \"" + Printable(id, 80) +
                                     "\" is not an object id (40 lowercase hex digits)");
  }
  if (!PlausibleRefName(ref))
    return Status::InvalidArgument(where + ": \"" + Printable(ref) + "\" is not a valid ref name");
  if (IsZeroId(old_id) && IsZeroId(new_id))
    return Status::InvalidArgument(where + ": both object ids are zero for " + Printable(ref));
  out->old_id.assign(old_id);
  out->new_id.assign(new_id);
  out->ref.assign(ref);
  return Status::Ok();
}

Status ParseRefUpdates(std::string_view input, std::vector<RefUpdate>* out, size_t max_refs) {
  size_t line_no = 0;
  while (!input.empty()) {
    size_t nl = input.find('\n');
    std::string_view line = input.substr(0, nl);
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
    ++line_no;
    if (line.empty() || line == "\r") continue;
    if (out->size() >= max_refs)
      return Status::ResourceExhausted("more than " + std::to_string(max_refs) + " ref updates in one push");
    RefUpdate u;
    AKGATE_RETURN_IF_ERROR(ParseRefUpdateLine(line, line_no, &u));
    out->push_back(std::move(u));
  }
  return Status::Ok();
}

}  // namespace akgate
