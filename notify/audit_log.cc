#include "notify/audit_log.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

namespace akgate {

AuditLog::~AuditLog() {
  if (logger_) logger_->flush();
}

Status AuditLog::Open(const std::string& path, std::unique_ptr<AuditLog>* out) {
  std::unique_ptr<AuditLog> log(new AuditLog());
  log->path_ = path;
  try {
    auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, false);
    // Not registered globally: several logs may be open in one process.
    log->logger_ = std::make_shared<spdlog::logger>("akgate-audit", std::move(sink));
    log->logger_->set_pattern("%v");
    log->logger_->set_level(spdlog::level::info);
    log->logger_->flush_on(spdlog::level::info);
    // spdlog's default handler prints to stderr, which is the pusher's
    // terminal: keep the error for Write to return instead.
    AuditLog* self = log.get();
    // It runs inside logger_->info(), on the thread that holds mu_.
    log->logger_->set_error_handler([self](const std::string& msg) { self->error_ = msg; });
  } catch (const std::exception& e) {
    return Status::IoError("cannot open the audit log " + path + ": " + e.what());
  }
  *out = std::move(log);
  return Status::Ok();
}

Status AuditLog::Write(const nlohmann::json& record) {
  try {
    // Invalid UTF-8 (a path or an author name) is replaced, never an error.
    std::string line = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::lock_guard<std::mutex> lock(mu_);
    error_.clear();
    logger_->info(line);
    if (!error_.empty()) return Status::IoError("cannot write the audit log " + path_ + ": " + error_);
  } catch (const std::exception& e) {
    return Status::IoError("cannot write the audit log " + path_ + ": " + e.what());
  }
  return Status::Ok();
}

}  // namespace akgate
