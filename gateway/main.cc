// akgate-gateway: a smart-HTTP proxy in front of hosted git remotes that
// forwards everything except pushes introducing secrets. See docs/gateway.md.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>

#include "gateway/config.h"
#include "gateway/push_inspector.h"
#include "gateway/server.h"

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
  CLI11_PARSE(app, argc, argv);

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

  InspectorOptions io;
  io.policy_file = config.policy_file;
  for (const Route& r : config.routes)
    if (!r.policy_file.empty()) io.route_policies[r.prefix] = r.policy_file;
  std::unique_ptr<PushInspector> inspector;
  s = CreatePushInspector(io, &inspector);
  if (!s.ok()) {
    std::cerr << "akgate-gateway: " << s.message() << "\n";
    return 2;
  }
  // Rights granted by name with no way to know names: refused at push time
  // (push_handler.cc); say so before anyone relies on them.
  std::vector<std::string> named = inspector->NameBasedRights();
  if (!config.identity.any() && !named.empty()) {
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
              << config.routes.size() << " route(s))\n";
    return 0;
  }
  signal(SIGPIPE, SIG_IGN);
  Server server(config, *inspector);
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
  spdlog::info("started version={} routes={} threads={} scan_threads={}", AKGATE_VERSION, config.routes.size(),
               config.threads, config.scan_threads);
  server.Wait();
  return 0;
}
