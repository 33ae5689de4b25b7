#include "gateway/request_target.h"

#include <cctype>
#include <vector>

namespace akgate::gateway {

namespace {

constexpr std::string_view kReceivePack = "git-receive-pack";
constexpr std::string_view kUploadPack = "git-upload-pack";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

// A segment some server could take for a git service endpoint.
bool IsServiceName(std::string_view segment) { return IEquals(segment, kReceivePack) || IEquals(segment, kUploadPack); }

// Every byte of a decoded path or parameter: what a second decoding or a
// normalising server would read differently is refused.
Status CheckDecodedBytes(std::string_view decoded, const char* what) {
  for (unsigned char c : decoded) {
    if (c == '%')
      return Status::InvalidArgument(std::string(what) +
                                     " still holds '%' after decoding (double encoding is not accepted)");
    if (c < 0x20 || c == 0x7f) return Status::InvalidArgument(std::string(what) + " holds a control character");
    if (c == '\\') return Status::InvalidArgument(std::string(what) + " holds a backslash");
  }
  return Status::Ok();
}

Status CheckPath(const std::string& path) {
  if (path.empty() || path[0] != '/') return Status::InvalidArgument("the request path must start with '/'");
  if (Status s = CheckDecodedBytes(path, "the request path"); !s.ok()) return s;
  if (path.find("//") != std::string::npos)
    return Status::InvalidArgument("the request path holds an empty segment (\"//\")");
  if (path.find(';') != std::string::npos)
    return Status::InvalidArgument("the request path holds ';' (path parameters)");
  std::vector<std::string_view> segments;
  for (size_t pos = 1; pos <= path.size();) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    segments.push_back(std::string_view(path).substr(pos, end - pos));
    pos = end + 1;
  }
  for (size_t i = 0; i < segments.size(); ++i) {
    std::string_view seg = segments[i];
    if (seg == "." || seg == "..")
      return Status::InvalidArgument("the request path holds a dot segment (\"" + std::string(seg) + "\")");
    bool last = i + 1 == segments.size();
    bool service = IsServiceName(seg);
    bool refs = IEquals(seg, "refs") && i > 0 && IEquals(segments[i - 1], "info");
    if ((service || refs) && !last)
      return Status::InvalidArgument("the request path goes on after the git service name \"" + std::string(seg) +
                                     "\" (a trailing slash or more segments)");
    if ((service && seg != kReceivePack && seg != kUploadPack) ||
        (refs && (seg != "refs" || segments[i - 1] != "info")))
      return Status::InvalidArgument("the git service name \"" + std::string(seg) + "\" must be lower case");
  }
  return Status::Ok();
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

Status PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  std::string d;
  d.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size())
        return Status::InvalidArgument("malformed percent-escape at the end of \"" + std::string(in.substr(i)) + "\"");
      int h = HexValue(in[i + 1]), l = HexValue(in[i + 2]);
      if (h < 0 || l < 0)
        return Status::InvalidArgument("malformed percent-escape \"" + std::string(in.substr(i, 3)) + "\"");
      char decoded = static_cast<char>(h * 16 + l);
      if (decoded == '/') return Status::InvalidArgument("an encoded '/' (%2F) is not accepted");
      d += decoded;
      i += 2;
    } else if (c == '+' && plus_is_space) {
      d += ' ';
    } else {
      d += c;
    }
  }
  *out = std::move(d);
  return Status::Ok();
}

std::string PercentEncode(std::string_view decoded, bool keep_slash) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(decoded.size());
  for (unsigned char c : decoded) {
    bool keep = std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '!' || c == '$' || c == '\'' ||
                c == '(' || c == ')' || c == '*' || c == ',' || c == ':' || c == '@' || (c == '/' && keep_slash);
    if (keep && c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Status ParseRequestTarget(std::string_view target, RequestTarget* out) {
  RequestTarget t;
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  if (Status s = PercentDecode(raw_path, false, &t.path); !s.ok())
    return Status::InvalidArgument("the request path: " + s.message());
  if (Status s = CheckPath(t.path); !s.ok()) return s;

  if (q != std::string_view::npos) {
    std::string_view query = target.substr(q + 1);
    bool seen_service = false;
    for (size_t pos = 0; pos <= query.size();) {
      size_t end = query.find('&', pos);
      if (end == std::string_view::npos) end = query.size();
      std::string_view param = query.substr(pos, end - pos);
      pos = end + 1;
      if (param.empty()) continue;
      size_t eq = param.find('=');
      std::string name, value;
      if (Status s = PercentDecode(param.substr(0, eq), true, &name); !s.ok())
        return Status::InvalidArgument("the query: " + s.message());
      if (eq != std::string_view::npos) {
        if (Status s = PercentDecode(param.substr(eq + 1), true, &value); !s.ok())
          return Status::InvalidArgument("the query: " + s.message());
      }
      if (Status s = CheckDecodedBytes(name + value, "the query"); !s.ok()) return s;
      if (IEquals(name, "service")) {
        if (name != "service")
          return Status::InvalidArgument("the query parameter \"" + name + "\" must be lower case");
        if (seen_service) return Status::InvalidArgument("the query gives service= more than once");
        seen_service = true;
        if (IsServiceName(value) && value != kReceivePack && value != kUploadPack)
          return Status::InvalidArgument("the git service name \"" + value + "\" must be lower case");
        t.service = value;
      }
      // '/' stays as it is (RFC 3986 allows it in a query): as %2F it would
      // be refused by PercentDecode, so by a gateway behind this one.
      if (!t.query.empty()) t.query += '&';
      t.query += PercentEncode(name, true);
      if (eq != std::string_view::npos) t.query += "=" + PercentEncode(value, true);
    }
  }

  if (EndsWith(t.path, "/git-receive-pack"))
    t.kind = RequestTarget::Kind::kReceivePack;
  else if (EndsWith(t.path, "/info/refs") && t.service == kReceivePack)
    t.kind = RequestTarget::Kind::kReceivePackAdvertisement;
  *out = std::move(t);
  return Status::Ok();
}

}  // namespace akgate::gateway
