// Scans standard input with akgate's default rules and prints one line per
// finding: the rule, the line and the redacted secret (never the secret).
// Exit code: 0 none found, 1 found, 2 error.
#include <akgate/engine/rule_loader.h>
#include <akgate/engine/scanner.h>

#include <iostream>
#include <iterator>
#include <memory>
#include <string>

int main() {
  std::string data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  akgate::RuleSet rules;
  akgate::Status s = akgate::LoadDefaultRules(&rules);
  std::unique_ptr<akgate::Scanner> scanner;
  if (s.ok()) s = akgate::Scanner::Create(rules, &scanner);
  if (!s.ok()) {
    std::cerr << "count_findings: " << s.message() << "\n";
    return 2;
  }
  akgate::ScanScratch scratch(*scanner);
  akgate::FragmentResult result = scanner->Scan({"stdin", data}, scratch);
  for (const akgate::Finding& f : result.findings)
    std::cout << f.rule_id << " line " << f.location().line << " " << f.redacted() << "\n";
  return result.findings.empty() ? 0 : 1;
}
