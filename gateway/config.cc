#include "gateway/config.h"

#include "config/toml_reader.h"
#include "gateway/held_credentials.h"

namespace akgate::gateway {

Status ParseUpstreamUrl(const std::string& url, UpstreamUrl* out) {
  UpstreamUrl u;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return Status::InvalidArgument("upstream \"" + url + "\" must start with http:// or https://");
  }
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.base_path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (u.base_path.back() != '/') u.base_path += '/';
  if (authority.empty() || authority.find('@') != std::string::npos)
    return Status::InvalidArgument("upstream \"" + url + "\" needs a host and must not carry credentials");
  if (u.base_path.find_first_of("?#") != std::string::npos)
    return Status::InvalidArgument("upstream \"" + url + "\" must not have a query or fragment");
  u.host_header = authority;
  size_t colon = authority.rfind(':');
  if (authority[0] == '[') {  // [v6]:port
    size_t close = authority.find(']');
    if (close == std::string::npos) return Status::InvalidArgument("upstream \"" + url + "\": bad IPv6 address");
    u.host = authority.substr(1, close - 1);
    colon = authority.find(':', close);
  } else {
    u.host = authority.substr(0, colon);
  }
  if (colon != std::string::npos) {
    u.port = authority.substr(colon + 1);
    if (u.port.empty() || u.port.find_first_not_of("0123456789") != std::string::npos || u.port.size() > 5)
      return Status::InvalidArgument("upstream \"" + url + "\": bad port");
  } else {
    u.port = u.tls ? "443" : "80";
  }
  *out = std::move(u);
  return Status::Ok();
}

const Route* Config::FindRoute(const std::string& path) const {
  const Route* best = nullptr;
  for (const Route& r : routes) {
    if (path.compare(0, r.prefix.size(), r.prefix) == 0 && (!best || r.prefix.size() > best->prefix.size())) best = &r;
  }
  return best;
}

namespace {

void ReadServer(TomlReader& top, Config* c) {
  const toml::table* s = top.Table("server");
  if (!s) return;
  TomlReader r = top.Child(*s, "server");
  r.IntAs("threads", 1, 256, &c->threads);
  r.IntAs("scan_threads", 1, 256, &c->scan_threads);
  r.Str("temp_dir", &c->temp_dir);
  r.Tables("listen", false, [&](const toml::table& t, const std::string& where) {
    TomlReader lr = r.Child(t, where);
    Listener li;
    lr.Str("address", &li.address);
    lr.IntAs("port", 0, 65535, &li.port);
    lr.Str("tls_cert", &li.tls_cert);
    lr.Str("tls_key", &li.tls_key);
    lr.Str("client_ca", &li.client_ca);
    lr.FailUnknown();
    if (!li.client_ca.empty() && !li.tls())
      lr.Error(nullptr, "client_ca needs tls_cert and tls_key (client certificates come with HTTPS)");
    if (li.tls_cert.empty() != li.tls_key.empty())
      lr.Error(nullptr, "tls_cert and tls_key go together (both for HTTPS, neither for HTTP)");
    r.SetError(lr.status());
    c->listeners.push_back(li);
  });
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadLimits(TomlReader& top, Config* c) {
  const toml::table* l = top.Table("limits");
  if (!l) return;
  TomlReader r = top.Child(*l, "limits");
  r.IntAs("max_header_bytes", 1024, 1 << 20, &c->max_header_bytes);
  r.IntAs("max_push_bytes", 1024, INT64_MAX, &c->max_push_bytes);
  r.IntAs("max_decompression_ratio", 1, 1100, &c->max_decompression_ratio);
  r.IntAs("max_advertisement_bytes", 1024, INT64_MAX, &c->max_advertisement_bytes);
  r.IntAs("max_concurrent_pushes", 1, 100000, &c->max_concurrent_pushes);
  r.IntAs("idle_timeout_s", 1, 86400, &c->idle_timeout_s);
  r.IntAs("request_timeout_s", 1, 7 * 86400, &c->request_timeout_s);
  r.IntAs("shutdown_grace_s", 0, 7 * 86400, &c->shutdown_grace_s);
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadUpstream(TomlReader& top, Config* c) {
  const toml::table* u = top.Table("upstream");
  if (!u) return;
  TomlReader r = top.Child(*u, "upstream");
  r.Str("ca_file", &c->ca_file);
  r.IntAs("connect_timeout_s", 1, 3600, &c->connect_timeout_s);
  r.IntAs("timeout_s", 1, 86400, &c->upstream_timeout_s);
  r.Bool("fetch_previous", &c->fetch_previous);
  r.FailUnknown();
  top.SetError(r.status());
}

void ReadRoutes(TomlReader& top, Config* c) {
  top.Tables("route", false, [&](const toml::table& t, const std::string& where) {
    TomlReader r = top.Child(t, where);
    Route route;
    r.Str("prefix", &route.prefix);
    r.Str("upstream", &route.upstream);
    r.Str("ca_file", &route.ca_file);
    r.Str("policy", &route.policy_file);
    r.Str("upstream_credential_file", &route.upstream_credential_file);
    r.FailUnknown();
    if (route.prefix.empty() || route.prefix[0] != '/')
      r.Fail(nullptr, "prefix", "must start with '/' (got \"" + route.prefix + "\")");
    else if (route.prefix.back() != '/')
      route.prefix += '/';
    if (route.upstream.empty())
      r.Error(nullptr, "'upstream' is required for prefix " + route.prefix);
    else if (Status s = ParseUpstreamUrl(route.upstream, &route.url); !s.ok())
      r.Error(r.Get("upstream"), s.message());
    for (const Route& other : c->routes)
      if (other.prefix == route.prefix) r.Error(nullptr, "prefix " + route.prefix + " is configured twice");
    top.SetError(r.status());
    c->routes.push_back(std::move(route));
  });
}

void ReadIdentity(TomlReader& top, Config* c) {
  const toml::table* id = top.Table("identity");
  if (!id) return;
  TomlReader r = top.Child(*id, "identity");
  std::string mode;
  if (r.OneOf("mode", {"pass-through", "gateway-held"}, &mode) && mode == "gateway-held")
    c->identity.mode = IdentityConfig::Mode::kGatewayHeld;
  r.Str("users_file", &c->identity.users_file);
  r.Str("header", &c->identity.header);
  r.Bool("client_certificate", &c->identity.client_certificate);
  std::vector<std::string> proxies;
  if (r.StrList("trusted_proxies", &proxies)) {
    for (const std::string& p : proxies) {
      Cidr cidr;
      if (Status s = ParseCidr(p, &cidr); !s.ok()) {
        r.Fail(nullptr, "trusted_proxies", "holds a bad address: " + s.message());
        break;
      }
      c->identity.trusted_proxies.push_back(std::move(cidr));
    }
  }
  r.FailUnknown();
  if (!c->identity.header.empty() && c->identity.trusted_proxies.empty())
    r.Error(nullptr,
            "'header' needs 'trusted_proxies': the addresses of the proxies that set it (from "
            "anywhere else anyone could)");
  if (c->identity.header.empty() && !c->identity.trusted_proxies.empty())
    r.Error(nullptr, "'trusted_proxies' without 'header': name the header the proxies set");
  if (c->identity.client_certificate) {
    bool any_ca = false;
    for (const Listener& li : c->listeners) any_ca = any_ca || !li.client_ca.empty();
    if (!any_ca) r.Error(nullptr, "'client_certificate' needs a listener with client_ca (the CA that issues them)");
  }
  top.SetError(r.status());
}

// Gateway-held: every route holds a credential, and the developers sign in
// with tokens from the users file. Pass-through: neither exists.
void CheckIdentityMode(TomlReader& top, const Config& c) {
  if (c.identity.gateway_held()) {
    if (c.identity.users_file.empty())
      top.Error(nullptr,
                "identity.users_file is required with mode = \"gateway-held\" (create it with "
                "akgate-gateway add-user)");
    for (const Route& r : c.routes)
      if (r.upstream_credential_file.empty())
        top.Error(nullptr, "route " + r.prefix +
                               ": upstream_credential_file is required with [identity] mode = "
                               "\"gateway-held\" (the gateway pushes with it, not with the developers' credentials)");
  } else {
    if (!c.identity.users_file.empty())
      top.Error(nullptr,
                "identity.users_file needs mode = \"gateway-held\" (in pass-through mode the "
                "upstream judges the developers' own credentials)");
    for (const Route& r : c.routes)
      if (!r.upstream_credential_file.empty())
        top.Error(nullptr, "route " + r.prefix +
                               ": upstream_credential_file needs [identity] mode = "
                               "\"gateway-held\" (in pass-through mode the developers' credentials go upstream)");
  }
}

void ReadInspectAndLog(TomlReader& top, Config* c) {
  if (const toml::table* i = top.Table("inspect")) {
    TomlReader r = top.Child(*i, "inspect");
    r.Str("policy", &c->policy_file);
    r.Str("fingerprint_key", &c->fingerprint_key_file);
    r.FailUnknown();
    top.SetError(r.status());
  }
  if (const toml::table* l = top.Table("log")) {
    TomlReader r = top.Child(*l, "log");
    r.OneOf("level", {"trace", "debug", "info", "warn", "error", "critical", "off"}, &c->log_level);
    r.Str("file", &c->log_file);
    r.FailUnknown();
    top.SetError(r.status());
  }
}

}  // namespace

Status ParseConfig(const std::string& text, const std::string& origin, Config* out) {
  toml::table root;
  AKGATE_RETURN_IF_ERROR(TomlReader::Parse(text, origin, &root));
  Config c;
  TomlReader top(root, origin);
  ReadServer(top, &c);
  ReadLimits(top, &c);
  ReadUpstream(top, &c);
  ReadRoutes(top, &c);
  ReadIdentity(top, &c);
  ReadInspectAndLog(top, &c);
  top.FailUnknown();
  AKGATE_RETURN_IF_ERROR(top.status());
  if (c.listeners.empty()) top.Error(nullptr, "no [[server.listen]] listener configured");
  if (c.routes.empty()) top.Error(nullptr, "no [[route]] configured: every request would get 404");
  CheckIdentityMode(top, c);
  AKGATE_RETURN_IF_ERROR(top.status());
  *out = std::move(c);
  return Status::Ok();
}

Status LoadConfig(const std::string& path, Config* out, bool read_credentials) {
  std::string text;
  AKGATE_RETURN_IF_ERROR(ReadConfigFile(path, "the configuration " + path, &text));
  Config c;
  AKGATE_RETURN_IF_ERROR(ParseConfig(text, path, &c));
  if (read_credentials && c.identity.gateway_held()) AKGATE_RETURN_IF_ERROR(LoadHeldCredentials(&c));
  *out = std::move(c);
  return Status::Ok();
}

}  // namespace akgate::gateway
