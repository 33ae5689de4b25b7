// `akgate doctor`: the configuration check of a git server and a gateway
// (doctor/doctor.h does the work; docs/doctor.md lists every check).
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace akgate {

class DoctorCommand {
 public:
  explicit DoctorCommand(CLI::App* app);
  bool selected() const;
  int Run();

 private:
  CLI::App* cmd_ = nullptr;
  std::vector<std::string> roots_, repos_;
  std::string policy_, gateway_config_, gitlab_global_, akgate_, format_ = "text";
};

}  // namespace akgate
