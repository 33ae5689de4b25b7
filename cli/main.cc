// akgate: stops cloud AccessKey pairs and other secrets from leaking through git.
#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/doctor_command.h"
#include "cli/install_command.h"
#include "cli/outbox_command.h"
#include "cli/verify_command.h"
#include "hook/pre_receive_command.h"

namespace {

// `akgate help [COMMAND...]`: the help of the program or of one command,
// exactly as --help prints it.
int PrintHelp(const CLI::App& app, const std::vector<std::string>& topic) {
  const CLI::App* cmd = &app;
  std::string name = app.get_name();
  for (const std::string& word : topic) {
    const CLI::App* sub = nullptr;
    for (const CLI::App* s : cmd->get_subcommands([](const CLI::App*) { return true; }))
      if (s->get_name() == word) sub = s;
    if (!sub) {
      std::cerr << "akgate help: no command \"" << name << " " << word << "\"; `" << name << " --help` lists them\n";
      return akgate::kExitError;
    }
    cmd = sub;
    name += " " + word;
  }
  std::cout << cmd->get_formatter()->make_help(cmd, name, CLI::AppFormatMode::Normal);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Named here, not from argv[0], so usage lines say `akgate`, not a build path.
  CLI::App app{"akgate: find cloud AccessKey pairs and other secrets before they are pushed", "akgate"};
  app.set_version_flag("--version", std::string("akgate ") + AKGATE_VERSION);
  app.require_subcommand(1);

  akgate::ScanOptions scan;
  bool no_color = false, no_warnings = false;
  CLI::App* scan_cmd = app.add_subcommand("scan", "Scan files and directories (recursively; - reads stdin)");
  scan_cmd->add_option("paths", scan.paths,
                       "Files or directories to scan; - for standard input. With --history: repositories, or "
                       "directories holding them (default: the current directory)");
  scan_cmd->add_flag("--history", scan.history,
                     "Scan the history of git repositories: every blob of every branch and tag, each once");
  scan_cmd->add_flag("--all-refs", scan.all_refs,
                     "With --history: every ref (pull-request refs, notes, stash), not only branches and tags");
  scan_cmd->add_flag("--all-objects", scan.all_objects,
                     "With --history: also every object that no ref reaches (dropped branches, rewritten history)");
  bool no_progress = false;
  scan_cmd->add_flag("--no-progress", no_progress, "With --history: no progress line on the terminal");
  scan_cmd->add_option("-c,--config", scan.config, "Rule file (TOML, akgate or gitleaks v8 format)");
  scan_cmd->add_option("-f,--format", scan.format, "Output format: text, json or sarif")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  scan_cmd->add_option("-o,--output", scan.output, "Write the report to this file");
  scan_cmd->add_option("-j,--threads", scan.threads, "Worker threads (default: one per core)");
  scan_cmd->add_flag("--no-color", no_color, "Never colour the text report");
  scan_cmd->add_flag("--no-warnings", no_warnings, "Show only blocking findings in the text report");
  scan_cmd->add_option("--fingerprint-key", scan.fingerprint_key,
                       "Fingerprint key file (default: $AKGATE_FINGERPRINT_KEY, else "
                       "$XDG_CONFIG_HOME/akgate/fingerprint.key, created on first use)");
  scan_cmd->add_option("--lang", scan.language,
                       "Language of the text report: en or zh-CN (JSON and SARIF are always English)");
  akgate::AddDeveloperOptions(scan_cmd, &scan);  // --staged, ranges, --baseline: docs/developer.md
  akgate::BaselineCommand baseline(&app);

  CLI::App* rules_cmd = app.add_subcommand("rules", "Inspect and try rule files");
  rules_cmd->require_subcommand(1);
  std::string check_file;
  CLI::App* check = rules_cmd->add_subcommand("check", "Validate a rule file and print what it defines");
  check->add_option("file", check_file, "Rule file, or 'default' for the built-in rules")->required();
  std::string test_config, test_rule, test_text;
  CLI::App* test = rules_cmd->add_subcommand(
      "test",
      "Show what one rule (or pair) finds in TEXT (- reads stdin); without TEXT, try the rule's own examples and "
      "counter-examples; without RULE, every rule's (exit 1 naming each rule that fails)");
  test->add_option("rule", test_rule, "Rule or pair id (none: every rule's examples)");
  CLI::Option* text_option = test->add_option("text", test_text, "Text to scan, or - for standard input");
  test->add_option("-c,--config", test_config, "Rule file (default: the built-in rules)");

  akgate::PreReceiveOptions pre_receive;
  CLI::App* pre_receive_cmd =
      app.add_subcommand("pre-receive", "git pre-receive hook: reject pushes that introduce secrets (docs/hook.md)");
  pre_receive_cmd->add_option("--policy", pre_receive.policy,
                              "Server-wide policy file (default: $AKGATE_POLICY or /etc/akgate/policy.toml)");
  pre_receive_cmd->add_option("--fingerprint-key", pre_receive.fingerprint_key,
                              "Fingerprint key file (default: $AKGATE_FINGERPRINT_KEY, or fingerprint.key next to "
                              "the policy file)");
  akgate::InstallCommands install(&app);  // install, uninstall (docs: install/README.md)
  akgate::DoctorCommand doctor(&app);     // docs/doctor.md
  akgate::VerifyCommand verify(&app);     // docs/verify.md
  akgate::OutboxCommand outbox(&app);     // docs/notifications.md
  std::vector<std::string> help_topic;
  CLI::App* help_cmd = app.add_subcommand("help", "Show this help, or a command's (akgate help scan)");
  help_cmd->add_option("command", help_topic, "The command, and subcommand, to explain");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : akgate::kExitError;
  }
  try {
    if (*scan_cmd) {
      scan.color = !no_color;
      scan.show_warnings = !no_warnings;
      scan.progress = !no_progress;
      if ((scan.all_refs || scan.all_objects) && !scan.history) {
        std::cerr << "akgate: --all-refs and --all-objects go with --history\n";
        return akgate::kExitError;
      }
      return akgate::RunScan(scan);
    }
    if (*help_cmd) return PrintHelp(app, help_topic);
    if (*pre_receive_cmd) return akgate::RunPreReceive(pre_receive);
    if (install.selected()) return install.Run();
    if (baseline.selected()) return baseline.Run();
    if (doctor.selected()) return doctor.Run();
    if (verify.selected()) return verify.Run();
    if (outbox.selected()) return outbox.Run();
    if (*check) return akgate::RunRulesCheck(check_file);
    if (*test) {
      if (!*text_option) return akgate::RunRulesExamples(test_config, test_rule);
      if (test_text == "-")
        test_text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
      return akgate::RunRulesTest(test_config, test_rule, test_text);
    }
  } catch (const std::exception& e) {
    std::cerr << "akgate: internal error: " << e.what() << "\n";
    return akgate::kExitError;
  }
  return akgate::kExitError;
}
