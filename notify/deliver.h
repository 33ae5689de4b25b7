// One attempt to deliver one event to one target, in the target's format:
// an HTTP POST (webhook.h) or a command (command.h), bounded by `deadline`.
#pragma once

#include <chrono>
#include <string>

#include "engine/status.h"
#include "notify/target.h"
#include "outbox/outbox.h"

namespace akgate {

// `event_json`: the event (audit record + "event" + "event_id");
// `delivery_id`: the outbox row's id (the generic webhook's Idempotency-Key).
// A failure's message does not name the target (the caller does).
Status DeliverToTarget(const NotifyTarget& target, const std::string& event_json, const std::string& delivery_id,
                       const std::string& console_url, std::chrono::steady_clock::time_point deadline);

// The outbox's sender for kind "notify": the row's spec is
// {"target": TargetToJson(...), "console_url": "..."}, its payload the event.
constexpr const char* kNotifyKind = "notify";
Status SendNotifyItem(const OutboxItem& item, std::chrono::steady_clock::time_point deadline);

}  // namespace akgate
