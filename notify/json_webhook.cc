// The generic webhook: the event itself, with the delivery's id as an
// Idempotency-Key header, so a receiver can drop a retry it already has.
#include <nlohmann/json.hpp>

#include "notify/formats.h"

namespace akgate {

HttpPost JsonWebhookPost(const NotifyTarget& t, const std::string& event_json, const std::string& delivery_id) {
  HttpPost p;
  p.url = t.url;
  p.headers.emplace_back("Idempotency-Key", delivery_id);
  p.body = event_json;
  return p;
}

Status CheckAnswer(TargetKind kind, const std::string& body) {
  const char* key = nullptr;
  if (kind == TargetKind::kDingTalk || kind == TargetKind::kWeCom) key = "errcode";
  if (kind == TargetKind::kFeishu) key = "code";
  if (!key) return Status::Ok();
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return Status::Unavailable(std::string(TargetKindName(kind)) + ": the answer is not JSON");
  auto it = j.find(key);
  if (it == j.end() && kind == TargetKind::kFeishu) it = j.find("StatusCode");
  if (it != j.end() && it->is_number_integer() && it->get<int64_t>() == 0) return Status::Ok();
  std::string msg = j.value("errmsg", j.value("msg", std::string()));
  if (msg.size() > 200) msg.resize(200);
  return Status::Unavailable(std::string(TargetKindName(kind)) + " refused the message: " + key + " " +
                             (it == j.end() ? std::string("missing") : it->dump()) + (msg.empty() ? "" : " " + msg));
}

}  // namespace akgate
