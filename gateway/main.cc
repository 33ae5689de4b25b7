// akgate-gateway: a smart-HTTP proxy in front of hosted git remotes that
// forwards everything except pushes introducing secrets. See docs/gateway.md.
#include <signal.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "gateway/config.h"
#include "gateway/gate_adapter.h"
#include "gateway/server.h"
#include "gateway/users_file.h"

namespace {

// akgate-gateway add-user NAME: the token goes to stdout once; the file
// gets its hash.
int AddUserCommand(const std::string& config_path, std::string users_file, const std::string& name, bool replace) {
  using namespace akgate::gateway;
  if (users_file.empty()) {
    Config config;
    akgate::Status s = LoadConfig(config_path, &config, /*read_credentials=*/false);
    if (!s.ok()) {
      std::cerr << "akgate-gateway: " << s.message() << " (or give --users-file)\n";
      return 2;
    }
    users_file = config.identity.users_file;
    if (users_file.empty()) {
      std::cerr << "akgate-gateway: " << config_path
                << " sets no [identity] users_file (gateway-held mode); give --users-file\n";
      return 2;
    }
  }
  std::string token;
  akgate::Status s = AddUser(users_file, name, replace, &token);
  if (!s.ok()) {
    std::cerr << "akgate-gateway: " << s.message() << "\n";
    return 2;
  }
  std::cout << "akgate-gateway: " << (replace ? "set a new token for " : "added ") << name << " in " << users_file
            << " (its hash only; restart the gateway to apply)\n"
            << "Token for " << name << ", shown this once (it cannot be recovered, only replaced):\n"
            << token << "\n"
            << name << " signs in to the gateway with the user name " << name
            << " and this token as the password (git's credential helper can keep it).\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace akgate::gateway;
  CLI::App app{"akgate-gateway: a smart-HTTP git proxy that blocks pushes introducing secrets"};
  app.set_version_flag("--version", std::string("akgate-gateway ") + AKGATE_VERSION);
  std::string config_path = "/etc/akgate/gateway.toml";
  std::string ports_file;
  bool check_only = false;
  app.add_option("-c,--config", config_path, "Configuration file (TOML)");
  app.add_flag("--check", check_only, "Validate the configuration, rules and policy, then exit");
  app.add_option("--ports-file", ports_file, "Write the bound ports (one a line, in listener order) here");
  // Gateway-held mode: a developer's token, made here and shown once.
  std::string user_name, users_file;
  bool replace = false;
  CLI::App* add_user = app.add_subcommand(
      "add-user", "Add a developer to the users file (gateway-held mode) with a new token, printed once");
  add_user->add_option("name", user_name, "User name (what they sign in with)")->required();
  add_user->add_option("--users-file", users_file, "The users file (default: [identity] users_file of --config)");
  add_user->add_flag("--replace", replace, "Give a user already in the file a new token (the old one stops working)");
  add_user->fallthrough();  // --config after the subcommand too
  CLI11_PARSE(app, argc, argv);

  if (add_user->parsed()) return AddUserCommand(config_path, users_file, user_name, replace);

  Config config;
  akgate::Status s = LoadConfig(config_path, &config);
  if (!s.ok()) {
    std::cerr << "akgate-gateway: " << s.message() << "\n";
    return 2;
  }
  try {
    std::shared_ptr<spdlog::logger> logger;
    if (config.log_file.empty())
      logger = std::make_shared<spdlog::logger>("gateway", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    else
      logger = std::make_shared<spdlog::logger>(
          "gateway", std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.log_file, false));
    // key=value lines: easy for people and for log shippers.
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z level=%l %v");
    logger->set_level(spdlog::level::from_str(config.log_level));
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
  } catch (const spdlog::spdlog_ex& e) {
    std::cerr << "akgate-gateway: cannot open the log: " << e.what() << "\n";
    return 2;
  }

  GateAdapterOptions io;
  io.policy_file = config.policy_file;
  io.fingerprint_key_file = config.fingerprint_key_file;
  for (const Route& r : config.routes)
    if (!r.policy_file.empty()) io.route_policies[r.prefix] = r.policy_file;
  std::unique_ptr<GateAdapter> gate;
  s = CreateGateAdapter(io, &gate);
  if (!s.ok()) {
    std::cerr << "akgate-gateway: " << s.message() << "\n";
    return 2;
  }
  // Rights granted by name with no way to know names: refused at push time
  // (push_handler.cc); say so before anyone relies on them.
  std::vector<std::string> named = gate->NameBasedRights();
  if (!config.identity.any() && !config.identity.gateway_held() && !named.empty()) {
    std::string list;
    for (const std::string& n : named) list += (list.empty() ? "" : "; ") + n;
    std::string warning = "the policy grants rights by name (" + list +
                          ") but [identity] configures no source of verified names: those rights are refused "
                          "(the Basic user name proves nothing); see docs/gateway.md, Identity";
    if (check_only) std::cout << "akgate-gateway: warning: " << warning << "\n";
    spdlog::warn("identity_missing message=\"{}\"", warning);
  }
  if (check_only) {
    std::cout << "akgate-gateway: " << config_path << " is valid (" << config.listeners.size() << " listener(s), "
              << config.routes.size() << " route(s)";
    if (config.identity.gateway_held())
      std::cout << "; gateway-held: " << config.identity.users.size() << " user(s), a credential for every route";
    std::cout << ")\n";
    return 0;
  }
  signal(SIGPIPE, SIG_IGN);
  Server server(config, *gate);
  s = server.Start();
  if (!s.ok()) {
    spdlog::critical("startup_failed error=\"{}\"", s.message());
    std::cerr << "akgate-gateway: " << s.message() << "\n";
    return 2;
  }
  if (!ports_file.empty()) {
    std::ofstream f(ports_file + ".tmp");
    for (uint16_t p : server.ports()) f << p << "\n";
    f.close();
    std::rename((ports_file + ".tmp").c_str(), ports_file.c_str());
  }
  spdlog::info("started version={} routes={} threads={} scan_threads={} identity={} users={}", AKGATE_VERSION,
               config.routes.size(), config.threads, config.scan_threads,
               config.identity.gateway_held() ? "gateway-held" : "pass-through", config.identity.users.size());
  server.Wait();
  return 0;
}
