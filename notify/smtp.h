// Email notifications: one message over SMTP, always upgraded with STARTTLS
// (the peer's certificate verified against the system CAs or a given CA
// file, the host name checked), with AUTH PLAIN when a user is given.
// Every step shares one deadline; a failure is a Status for the log.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/status.h"

namespace akgate {

struct SmtpRequest {
  std::string url;  // smtp://host[:port] (port 587 unless given)
  std::string ca_file;
  std::string username, password;  // AUTH PLAIN when username is set
  std::string from;
  std::vector<std::string> to;
  std::string message;  // RFC 5322 (headers, blank line, body), CRLF line ends
  std::chrono::steady_clock::time_point deadline;
};

// Ok when the server accepted the message (250 after DATA).
Status SendMail(const SmtpRequest& request);

// The message for a push event: From, To, Subject (the headline), Date,
// Message-ID (the delivery id), a base64 UTF-8 text body.
std::string EmailMessage(const std::string& from, const std::vector<std::string>& to, const std::string& subject,
                         const std::string& text, const std::string& delivery_id);

}  // namespace akgate
