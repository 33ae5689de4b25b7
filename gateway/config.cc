#include "gateway/config.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "gateway/held_credentials.h"

namespace akgate::gateway {

namespace {

template <class T>
Status ReadInt(const toml::table& t, const char* key, const std::string& where, T* out, int64_t min = 0,
               int64_t max = INT64_MAX) {
  const toml::node* n = t.get(key);
  if (!n) return Status::Ok();
  auto v = n->value<int64_t>();
  if (!n->is_integer() || !v || *v < min || *v > max)
    return Status::Error(where + key + " must be an integer between " + std::to_string(min) + " and " +
                         std::to_string(max));
  *out = static_cast<T>(*v);
  return Status::Ok();
}

Status ReadString(const toml::table& t, const char* key, const std::string& where, std::string* out) {
  const toml::node* n = t.get(key);
  if (!n) return Status::Ok();
  if (!n->is_string()) return Status::Error(where + key + " must be a string");
  *out = *n->value<std::string>();
  return Status::Ok();
}

Status ReadBool(const toml::table& t, const char* key, const std::string& where, bool* out) {
  const toml::node* n = t.get(key);
  if (!n) return Status::Ok();
  if (!n->is_boolean()) return Status::Error(where + key + " must be true or false");
  *out = *n->value<bool>();
  return Status::Ok();
}

Status CheckKeys(const toml::table& t, const std::string& where, std::initializer_list<const char*> known) {
  for (const auto& [k, v] : t) {
    bool ok = false;
    for (const char* name : known) ok = ok || k.str() == name;
    if (!ok) return Status::Error("unknown key " + where + std::string(k.str()));
  }
  return Status::Ok();
}

#define AKGATE_TRY(expr)          \
  do {                            \
    Status _s = (expr);           \
    if (!_s.ok()) return _s;      \
  } while (0)

}  // namespace

Status ParseUpstreamUrl(const std::string& url, UpstreamUrl* out) {
  UpstreamUrl u;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return Status::Error("upstream \"" + url + "\" must start with http:// or https://");
  }
  size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  u.base_path = slash == std::string::npos ? "/" : rest.substr(slash);
  if (u.base_path.back() != '/') u.base_path += '/';
  if (authority.empty() || authority.find('@') != std::string::npos)
    return Status::Error("upstream \"" + url + "\" needs a host and must not carry credentials");
  if (u.base_path.find_first_of("?#") != std::string::npos)
    return Status::Error("upstream \"" + url + "\" must not have a query or fragment");
  u.host_header = authority;
  size_t colon = authority.rfind(':');
  if (authority[0] == '[') {  // [v6]:port
    size_t close = authority.find(']');
    if (close == std::string::npos) return Status::Error("upstream \"" + url + "\": bad IPv6 address");
    u.host = authority.substr(1, close - 1);
    colon = authority.find(':', close);
  } else {
    u.host = authority.substr(0, colon);
  }
  if (colon != std::string::npos) {
    u.port = authority.substr(colon + 1);
    if (u.port.empty() || u.port.find_first_not_of("0123456789") != std::string::npos || u.port.size() > 5)
      return Status::Error("upstream \"" + url + "\": bad port");
  } else {
    u.port = u.tls ? "443" : "80";
  }
  *out = std::move(u);
  return Status::Ok();
}

const Route* Config::FindRoute(const std::string& path) const {
  const Route* best = nullptr;
  for (const Route& r : routes) {
    if (path.compare(0, r.prefix.size(), r.prefix) == 0 && (!best || r.prefix.size() > best->prefix.size()))
      best = &r;
  }
  return best;
}

Status ParseConfig(const std::string& text, const std::string& origin, Config* out) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << origin << ":" << e.source().begin.line << ": " << e.description();
    return Status::Error(msg.str());
  }
  Config c;
  std::string w = origin + ": ";
  AKGATE_TRY(CheckKeys(root, w, {"server", "limits", "upstream", "route", "identity", "inspect", "log"}));

  if (const toml::table* s = root["server"].as_table()) {
    AKGATE_TRY(CheckKeys(*s, w + "server.", {"threads", "scan_threads", "temp_dir", "listen"}));
    AKGATE_TRY(ReadInt(*s, "threads", w + "server.", &c.threads, 1, 256));
    AKGATE_TRY(ReadInt(*s, "scan_threads", w + "server.", &c.scan_threads, 1, 256));
    AKGATE_TRY(ReadString(*s, "temp_dir", w + "server.", &c.temp_dir));
    if (const toml::node* l = s->get("listen")) {
      const toml::array* arr = l->as_array();
      if (!arr) return Status::Error(w + "server.listen must be an array of tables ([[server.listen]])");
      for (const toml::node& item : *arr) {
        const toml::table* t = item.as_table();
        if (!t) return Status::Error(w + "server.listen entries must be tables");
        Listener li;
        std::string lw = w + "server.listen.";
        AKGATE_TRY(CheckKeys(*t, lw, {"address", "port", "tls_cert", "tls_key", "client_ca"}));
        AKGATE_TRY(ReadString(*t, "address", lw, &li.address));
        AKGATE_TRY(ReadInt(*t, "port", lw, &li.port, 0, 65535));
        AKGATE_TRY(ReadString(*t, "tls_cert", lw, &li.tls_cert));
        AKGATE_TRY(ReadString(*t, "tls_key", lw, &li.tls_key));
        AKGATE_TRY(ReadString(*t, "client_ca", lw, &li.client_ca));
        if (!li.client_ca.empty() && !li.tls())
          return Status::Error(lw + "client_ca needs tls_cert and tls_key (client certificates come with HTTPS)");
        if (li.tls_cert.empty() != li.tls_key.empty())
          return Status::Error(lw + "tls_cert and tls_key go together (both for HTTPS, neither for HTTP)");
        c.listeners.push_back(li);
      }
    }
  } else if (root.contains("server")) {
    return Status::Error(w + "[server] must be a table");
  }
  if (c.listeners.empty()) return Status::Error(w + "no [[server.listen]] listener configured");

  if (const toml::table* l = root["limits"].as_table()) {
    std::string lw = w + "limits.";
    AKGATE_TRY(CheckKeys(*l, lw,
                         {"max_header_bytes", "max_push_bytes", "max_decompression_ratio", "max_advertisement_bytes",
                          "max_concurrent_pushes", "idle_timeout_s", "request_timeout_s", "shutdown_grace_s"}));
    AKGATE_TRY(ReadInt(*l, "max_header_bytes", lw, &c.max_header_bytes, 1024, 1 << 20));
    AKGATE_TRY(ReadInt(*l, "max_push_bytes", lw, &c.max_push_bytes, 1024));
    AKGATE_TRY(ReadInt(*l, "max_decompression_ratio", lw, &c.max_decompression_ratio, 1, 1100));
    AKGATE_TRY(ReadInt(*l, "max_advertisement_bytes", lw, &c.max_advertisement_bytes, 1024));
    AKGATE_TRY(ReadInt(*l, "max_concurrent_pushes", lw, &c.max_concurrent_pushes, 1, 100000));
    AKGATE_TRY(ReadInt(*l, "idle_timeout_s", lw, &c.idle_timeout_s, 1, 86400));
    AKGATE_TRY(ReadInt(*l, "request_timeout_s", lw, &c.request_timeout_s, 1, 7 * 86400));
    AKGATE_TRY(ReadInt(*l, "shutdown_grace_s", lw, &c.shutdown_grace_s, 0, 7 * 86400));
  }

  if (const toml::table* u = root["upstream"].as_table()) {
    std::string uw = w + "upstream.";
    AKGATE_TRY(CheckKeys(*u, uw, {"ca_file", "connect_timeout_s", "timeout_s", "fetch_previous"}));
    AKGATE_TRY(ReadString(*u, "ca_file", uw, &c.ca_file));
    AKGATE_TRY(ReadInt(*u, "connect_timeout_s", uw, &c.connect_timeout_s, 1, 3600));
    AKGATE_TRY(ReadInt(*u, "timeout_s", uw, &c.upstream_timeout_s, 1, 86400));
    AKGATE_TRY(ReadBool(*u, "fetch_previous", uw, &c.fetch_previous));
  }

  if (const toml::node* r = root.get("route")) {
    const toml::array* arr = r->as_array();
    if (!arr) return Status::Error(w + "route must be an array of tables ([[route]])");
    for (const toml::node& item : *arr) {
      const toml::table* t = item.as_table();
      if (!t) return Status::Error(w + "[[route]] entries must be tables");
      Route route;
      std::string rw = w + "route.";
      AKGATE_TRY(CheckKeys(*t, rw, {"prefix", "upstream", "ca_file", "policy", "upstream_credential_file"}));
      AKGATE_TRY(ReadString(*t, "prefix", rw, &route.prefix));
      AKGATE_TRY(ReadString(*t, "upstream", rw, &route.upstream));
      AKGATE_TRY(ReadString(*t, "ca_file", rw, &route.ca_file));
      AKGATE_TRY(ReadString(*t, "policy", rw, &route.policy_file));
      AKGATE_TRY(ReadString(*t, "upstream_credential_file", rw, &route.upstream_credential_file));
      if (route.prefix.empty() || route.prefix[0] != '/')
        return Status::Error(rw + "prefix must start with '/' (got \"" + route.prefix + "\")");
      if (route.prefix.back() != '/') route.prefix += '/';
      if (route.upstream.empty()) return Status::Error(rw + "upstream is required for prefix " + route.prefix);
      Status s = ParseUpstreamUrl(route.upstream, &route.url);
      if (!s.ok()) return Status::Error(rw + s.message());
      for (const Route& other : c.routes)
        if (other.prefix == route.prefix) return Status::Error(rw + "prefix " + route.prefix + " is configured twice");
      c.routes.push_back(std::move(route));
    }
  }
  if (c.routes.empty()) return Status::Error(w + "no [[route]] configured: every request would get 404");

  if (const toml::table* id = root["identity"].as_table()) {
    std::string iw = w + "identity.";
    AKGATE_TRY(CheckKeys(*id, iw, {"mode", "users_file", "header", "trusted_proxies", "client_certificate"}));
    std::string mode = "pass-through";
    AKGATE_TRY(ReadString(*id, "mode", iw, &mode));
    if (mode == "gateway-held")
      c.identity.mode = IdentityConfig::Mode::kGatewayHeld;
    else if (mode != "pass-through")
      return Status::Error(iw + "mode must be \"pass-through\" or \"gateway-held\" (got \"" + mode + "\")");
    AKGATE_TRY(ReadString(*id, "users_file", iw, &c.identity.users_file));
    AKGATE_TRY(ReadString(*id, "header", iw, &c.identity.header));
    AKGATE_TRY(ReadBool(*id, "client_certificate", iw, &c.identity.client_certificate));
    if (const toml::node* tp = id->get("trusted_proxies")) {
      const toml::array* arr = tp->as_array();
      if (!arr) return Status::Error(iw + "trusted_proxies must be an array of addresses or CIDRs");
      for (const toml::node& item : *arr) {
        if (!item.is_string()) return Status::Error(iw + "trusted_proxies entries must be strings");
        Cidr cidr;
        Status s = ParseCidr(*item.value<std::string>(), &cidr);
        if (!s.ok()) return Status::Error(iw + "trusted_proxies: " + s.message());
        c.identity.trusted_proxies.push_back(std::move(cidr));
      }
    }
    if (!c.identity.header.empty() && c.identity.trusted_proxies.empty())
      return Status::Error(iw + "header needs trusted_proxies: the addresses of the proxies that set it (from "
                                "anywhere else anyone could)");
    if (c.identity.header.empty() && !c.identity.trusted_proxies.empty())
      return Status::Error(iw + "trusted_proxies without header: name the header the proxies set");
    if (c.identity.client_certificate) {
      bool any_ca = false;
      for (const Listener& li : c.listeners) any_ca = any_ca || !li.client_ca.empty();
      if (!any_ca)
        return Status::Error(iw + "client_certificate needs a listener with client_ca (the CA that issues them)");
    }
  } else if (root.contains("identity")) {
    return Status::Error(w + "[identity] must be a table");
  }
  // Gateway-held: every route holds a credential, and the developers sign in
  // with tokens from the users file. Pass-through: neither exists.
  if (c.identity.gateway_held()) {
    if (c.identity.users_file.empty())
      return Status::Error(w + "identity.users_file is required with mode = \"gateway-held\" (create it with "
                               "akgate-gateway add-user)");
    for (const Route& r : c.routes)
      if (r.upstream_credential_file.empty())
        return Status::Error(w + "route " + r.prefix + ": upstream_credential_file is required with [identity] mode = "
                                 "\"gateway-held\" (the gateway pushes with it, not with the developers' credentials)");
  } else {
    if (!c.identity.users_file.empty())
      return Status::Error(w + "identity.users_file needs mode = \"gateway-held\" (in pass-through mode the "
                               "upstream judges the developers' own credentials)");
    for (const Route& r : c.routes)
      if (!r.upstream_credential_file.empty())
        return Status::Error(w + "route " + r.prefix + ": upstream_credential_file needs [identity] mode = "
                                 "\"gateway-held\" (in pass-through mode the developers' credentials go upstream)");
  }

  if (const toml::table* i = root["inspect"].as_table()) {
    std::string iw = w + "inspect.";
    AKGATE_TRY(CheckKeys(*i, iw, {"policy"}));
    AKGATE_TRY(ReadString(*i, "policy", iw, &c.policy_file));
  }
  if (const toml::table* l = root["log"].as_table()) {
    std::string lw = w + "log.";
    AKGATE_TRY(CheckKeys(*l, lw, {"level", "file"}));
    AKGATE_TRY(ReadString(*l, "level", lw, &c.log_level));
    AKGATE_TRY(ReadString(*l, "file", lw, &c.log_file));
    static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    bool ok = false;
    for (const char* lv : kLevels) ok = ok || c.log_level == lv;
    if (!ok) return Status::Error(lw + "level must be trace, debug, info, warn, error, critical or off");
  }
  *out = std::move(c);
  return Status::Ok();
}

Status LoadConfig(const std::string& path, Config* out, bool read_credentials) {
  std::ifstream in(path);
  if (!in) return Status::Error("cannot read the configuration " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  Config c;
  AKGATE_TRY(ParseConfig(ss.str(), path, &c));
  if (read_credentials && c.identity.gateway_held()) AKGATE_TRY(LoadHeldCredentials(&c));
  *out = std::move(c);
  return Status::Ok();
}

}  // namespace akgate::gateway
