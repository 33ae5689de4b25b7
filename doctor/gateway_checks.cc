// `akgate doctor`'s checks of akgate-gateway's configuration.
#include "doctor/gateway_checks.h"

#include <openssl/asn1.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdio>
#include <memory>

#include "doctor/policy_checks.h"
#include "gateway/config.h"
#include "installer/hook_installer.h"
#include "policy/policy.h"

namespace akgate::doctor {

namespace {

using gateway::Config;

bool Loopback(const std::string& address) {
  return address == "127.0.0.1" || address == "::1" || address == "localhost" || address.rfind("127.", 0) == 0;
}

// Names the policy grants rights to (bypass, allow), "*" aside.
std::vector<std::string> NamedRights(const Policy& p) {
  std::vector<std::string> named;
  for (const std::string& w : p.bypass_who)
    if (w != "*") named.push_back("bypass: " + w);
  for (const std::string& w : p.allow_who)
    if (w != "*") named.push_back("allow: " + w);
  return named;
}

void CheckIdentity(const Config& c, const std::string& config_path, Report* r, Group* g) {
  // The policies pushes are decided with: [inspect] policy, and each route's over it.
  PolicyFiles base;
  if (!c.policy_file.empty()) {
    base.server = c.policy_file;
    base.server_required = true;
  }
  Group& pg = r->Add("gateway policy " + base.server);
  Policy policy;
  CheckPolicy(base, nullptr, &pg, &policy, c.fingerprint_key_file);
  std::vector<std::string> named = NamedRights(policy);
  for (const gateway::Route& route : c.routes) {
    if (route.policy_file.empty()) continue;
    PolicyFiles files = base;
    files.repository = route.policy_file;
    files.repository_required = true;
    Group& rg = r->Add("gateway route " + route.prefix + " policy " + route.policy_file);
    Policy rp;
    CheckPolicy(files, nullptr, &rg, &rp, c.fingerprint_key_file);
    for (const std::string& n : NamedRights(rp)) named.push_back(route.prefix + " " + n);
  }
  const gateway::IdentityConfig& id = c.identity;
  if (named.empty()) {
    g->Add("gateway.identity", Severity::kOk, "the policy grants no right by name: nothing rests on who is pushing");
    return;
  }
  std::string list;
  for (const std::string& n : named) list += (list.empty() ? "" : "; ") + n;
  if (id.gateway_held() || id.any()) {
    std::string source = id.gateway_held() ? "the users file " + id.users_file : "";
    if (!id.header.empty()) {
      std::string proxies;
      for (const gateway::Cidr& cidr : id.trusted_proxies) proxies += (proxies.empty() ? "" : ", ") + cidr.text;
      source += (source.empty() ? "" : ", ") + std::string("header ") + id.header + " from " + proxies;
    }
    if (id.client_certificate) source += (source.empty() ? "" : ", ") + std::string("verified client certificates");
    g->Add("gateway.identity", Severity::kOk, "rights by name (" + list + ") rest on " + source);
    return;
  }
  g->Add("gateway.identity", Severity::kWarn,
         "the policy grants rights by name (" + list +
             ") but [identity] has no source of verified names: the gateway refuses them (a Basic user name proves "
             "nothing)",
         "[identity] header = \"X-Remote-User\" with trusted_proxies = [\"PROXY/32\"], or client_certificate = true, "
         "or mode = \"gateway-held\"   # in " +
             config_path);
}

}  // namespace

void CheckCertificate(const std::string& cert_file, std::time_t now, Group* g) {
  // A named FIFO or device would never end: only a regular file of sane size is read.
  struct stat st;
  if (stat(cert_file.c_str(), &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > (1 << 20))) {
    g->Add("gateway.tls", Severity::kError, cert_file + " is not a regular PEM file of at most 1 MiB",
           "ls -l " + ShellQuote(cert_file));
    return;
  }
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(cert_file.c_str(), "rb"), &std::fclose);
  if (!f) {
    g->Add("gateway.tls", Severity::kError, "cannot read the certificate " + cert_file + ": the listener cannot start",
           "ls -l " + ShellQuote(cert_file));
    return;
  }
  std::unique_ptr<X509, void (*)(X509*)> cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) {
    g->Add("gateway.tls", Severity::kError, cert_file + " holds no PEM certificate: the listener cannot start",
           "openssl x509 -in " + ShellQuote(cert_file) + " -noout -dates");
    return;
  }
  const ASN1_TIME* not_before = X509_get0_notBefore(cert.get());
  const ASN1_TIME* not_after = X509_get0_notAfter(cert.get());
  std::unique_ptr<ASN1_TIME, void (*)(ASN1_TIME*)> at(ASN1_TIME_set(nullptr, now), &ASN1_TIME_free);
  int days = 0, seconds = 0;
  const std::string renew = "renew " + cert_file + " (and its key), then restart akgate-gateway";
  if (!at || !ASN1_TIME_diff(&days, &seconds, at.get(), not_after)) {
    g->Add("gateway.tls", Severity::kError, "cannot read the validity of " + cert_file, renew);
    return;
  }
  if (days < 0 || (days == 0 && seconds < 0)) {
    g->Add("gateway.tls", Severity::kRisk,
           "the certificate " + cert_file + " expired " + std::to_string(-days) +
               " day(s) ago: clients refuse the gateway (or are told to skip verification)",
           renew);
    return;
  }
  int before_days = 0, before_seconds = 0;
  if (ASN1_TIME_diff(&before_days, &before_seconds, at.get(), not_before) &&
      (before_days > 0 || (before_days == 0 && before_seconds > 0))) {
    g->Add("gateway.tls", Severity::kRisk, "the certificate " + cert_file + " is not valid yet", renew);
    return;
  }
  if (days <= 30) {
    g->Add("gateway.tls", Severity::kWarn,
           "the certificate " + cert_file + " expires in " + std::to_string(days) + " day(s)", renew);
    return;
  }
  g->Add("gateway.tls", Severity::kOk,
         "the certificate " + cert_file + " is valid for " + std::to_string(days) + " more days");
}

void CheckGatewayConfig(const std::string& path, Report* r) {
  Group g{"gateway " + path, {}};
  Report policies;  // the gateway's policies, after its own group
  Config c;
  if (Status s = gateway::LoadConfig(path, &c, true); !s.ok()) {
    r->groups.push_back(g);
    r->groups.back().Add("gateway.config", Severity::kError, s.message() + " (the gateway does not start)",
                         "correct it, then: akgate-gateway --config " + ShellQuote(path) + " --check");
    return;
  }
  g.Add("gateway.config", Severity::kOk,
        "valid: " + std::to_string(c.listeners.size()) + " listener(s), " + std::to_string(c.routes.size()) +
            " route(s)");
  for (const gateway::Listener& li : c.listeners) {
    std::string where = li.address + ":" + std::to_string(li.port);
    if (li.tls()) {
      CheckCertificate(li.tls_cert, std::time(nullptr), &g);
    } else if (!Loopback(li.address)) {
      g.Add("gateway.listener", Severity::kWarn,
            "plain HTTP on " + where + ": credentials and pushed content cross the network in the clear",
            "tls_cert = \"...\" and tls_key = \"...\" under that [[server.listen]] in " + path +
                " (or listen on 127.0.0.1 behind a TLS proxy)");
    } else {
      g.Add("gateway.listener", Severity::kOk, "plain HTTP on " + where + " (loopback: behind a local TLS proxy)");
    }
  }
  for (const gateway::Route& route : c.routes) {
    if (!route.url.tls)
      g.Add(
          "gateway.route", Severity::kWarn,
          route.prefix + " -> " + route.upstream +
              ": the upstream is plain http://, pushers' credentials cross "
              "the network in the clear",
          "upstream = \"https://" + route.url.host_header + route.url.base_path + "\"   # in the [[route]] of " + path);
    else
      g.Add("gateway.route", Severity::kOk, route.prefix + " -> " + route.upstream);
  }
  if (c.identity.gateway_held())
    g.Add("gateway.held", Severity::kInfo,
          "gateway-held mode: the gateway is the only way in only if each upstream refuses pushes from anyone but "
          "the route's credential; akgate doctor cannot check that from here",
          "on each upstream, give write access to the account in the route's upstream_credential_file only "
          "(protected branches, no developer write rights), then try a direct git push: it must be refused");
  CheckIdentity(c, path, &policies, &g);
  r->groups.push_back(std::move(g));
  for (Group& pg : policies.groups) r->groups.push_back(std::move(pg));
}

}  // namespace akgate::doctor
