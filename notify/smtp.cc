// Boost.Asio: the plain TCP stream first, then the same socket under TLS
// after STARTTLS. Each reply is read whole (multi-line "250-" replies up to
// the "250 " line).
#include "notify/smtp.h"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <ctime>

#include "notify/signing.h"
#include "notify/webhook.h"

namespace akgate {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

namespace {

template <typename Start>
beast::error_code Step(net::io_context& ioc, Start&& start) {
  beast::error_code result = net::error::would_block;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

class Session {
 public:
  Session(net::io_context& ioc, ssl::context& ctx) : ioc_(ioc), stream_(ioc, ctx) {}
  beast::ssl_stream<beast::tcp_stream>& stream() { return stream_; }

  // Reads one reply; its code, and the whole text in *text.
  Status Reply(int* code, std::string* text) {
    text->clear();
    for (;;) {
      beast::error_code ec =
          tls_ ? Step(ioc_, [&](auto h) { net::async_read_until(stream_, net::dynamic_buffer(buf_), "\r\n", h); })
               : Step(ioc_, [&](auto h) {
                   net::async_read_until(beast::get_lowest_layer(stream_), net::dynamic_buffer(buf_), "\r\n", h);
                 });
      if (ec) return Failed("reading the server's reply", ec);
      size_t end = buf_.find("\r\n");
      std::string line = buf_.substr(0, end);
      buf_.erase(0, end + 2);
      *text += line + "\n";
      if (line.size() < 3 || text->size() > 64 * 1024) return Status::Unavailable("email: a malformed reply");
      if (line.size() == 3 || line[3] == ' ') {
        if (line[0] < '0' || line[0] > '9' || line[1] < '0' || line[1] > '9' || line[2] < '0' || line[2] > '9')
          return Status::Unavailable("email: a malformed reply");
        *code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
        return Status::Ok();
      }
    }
  }

  Status Send(const std::string& data) {
    beast::error_code ec =
        tls_ ? Step(ioc_, [&](auto h) { net::async_write(stream_, net::buffer(data), h); })
             : Step(ioc_, [&](auto h) { net::async_write(beast::get_lowest_layer(stream_), net::buffer(data), h); });
    return ec ? Failed("sending", ec) : Status::Ok();
  }

  // Sends a command and expects a reply code in [want, want + 99].
  Status Command(const std::string& line, int want, const char* what) {
    if (!line.empty()) AKGATE_RETURN_IF_ERROR(Send(line + "\r\n"));
    int code = 0;
    std::string text;
    AKGATE_RETURN_IF_ERROR(Reply(&code, &text));
    if (code < want || code > want + 99) {
      if (text.size() > 200) text.resize(200);
      while (!text.empty() && text.back() == '\n') text.pop_back();
      return Status::Unavailable(std::string("email: ") + what + ": the server answered " + text);
    }
    last_ = text;
    return Status::Ok();
  }

  Status StartTls(const std::string& host) {
    if (!SSL_set_tlsext_host_name(stream_.native_handle(), host.c_str()))
      return Status::Unavailable("email: cannot set the TLS server name " + host);
    stream_.set_verify_callback(ssl::host_name_verification(host));
    beast::error_code ec = Step(ioc_, [&](auto h) { stream_.async_handshake(ssl::stream_base::client, h); });
    if (ec) return Failed("TLS handshake with " + host, ec);
    tls_ = true;
    return Status::Ok();
  }

  const std::string& last() const { return last_; }

 private:
  static Status Failed(const std::string& what, const beast::error_code& ec) {
    if (ec == beast::error::timeout || ec == net::error::operation_aborted)
      return Status::DeadlineExceeded("email: " + what + ": timed out");
    return Status::Unavailable("email: " + what + ": " + ec.message());
  }
  net::io_context& ioc_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  std::string buf_, last_;
  bool tls_ = false;
};

// "<addr>" for MAIL FROM / RCPT TO; addresses with CR, LF, < or > refused.
bool SafeAddress(const std::string& a) {
  return !a.empty() && a.find_first_of("\r\n<> ") == std::string::npos && a.find('@') != std::string::npos;
}

}  // namespace

Status SendMail(const SmtpRequest& r) {
  if (r.url.rfind("smtp://", 0) != 0) return Status::InvalidArgument("email: the URL must be smtp://host[:port]");
  if (!SafeAddress(r.from)) return Status::InvalidArgument("email: the sender address is not an address");
  for (const std::string& to : r.to)
    if (!SafeAddress(to)) return Status::InvalidArgument("email: a recipient address is not an address");
  WebhookUrl u;
  AKGATE_RETURN_IF_ERROR(ParseWebhookUrl("http://" + r.url.substr(7), &u));
  if (u.port == "80" && r.url.find(":80") == std::string::npos) u.port = "587";
  try {
    net::io_context ioc;
    tcp::resolver resolver(ioc);
    beast::error_code ec;
    auto endpoints = resolver.resolve(u.host, u.port, ec);
    if (ec) return Status::Unavailable("email: cannot resolve " + u.host + ": " + ec.message());
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_default_verify_paths(ec);
    if (!r.ca_file.empty()) {
      ctx.load_verify_file(r.ca_file, ec);
      if (ec) return Status::IoError("email: cannot read the CA file " + r.ca_file + ": " + ec.message());
    }
    ctx.set_verify_mode(ssl::verify_peer);
    Session s(ioc, ctx);
    beast::get_lowest_layer(s.stream()).expires_at(r.deadline);
    ec = Step(ioc, [&](auto h) { beast::get_lowest_layer(s.stream()).async_connect(endpoints, h); });
    if (ec) return Status::Unavailable("email: cannot connect to " + u.host + ":" + u.port + ": " + ec.message());
    AKGATE_RETURN_IF_ERROR(s.Command("", 200, "greeting"));
    AKGATE_RETURN_IF_ERROR(s.Command("EHLO akgate", 200, "EHLO"));
    if (s.last().find("STARTTLS") == std::string::npos)
      return Status::Unavailable("email: the server does not offer STARTTLS; akgate does not send in the clear");
    AKGATE_RETURN_IF_ERROR(s.Command("STARTTLS", 200, "STARTTLS"));
    AKGATE_RETURN_IF_ERROR(s.StartTls(u.host));
    AKGATE_RETURN_IF_ERROR(s.Command("EHLO akgate", 200, "EHLO after STARTTLS"));
    if (!r.username.empty()) {
      std::string plain = std::string(1, '\0') + r.username + std::string(1, '\0') + r.password;
      AKGATE_RETURN_IF_ERROR(s.Command("AUTH PLAIN " + Base64(plain), 200, "AUTH PLAIN"));
    }
    AKGATE_RETURN_IF_ERROR(s.Command("MAIL FROM:<" + r.from + ">", 200, "MAIL FROM"));
    for (const std::string& to : r.to) AKGATE_RETURN_IF_ERROR(s.Command("RCPT TO:<" + to + ">", 200, "RCPT TO"));
    AKGATE_RETURN_IF_ERROR(s.Command("DATA", 300, "DATA"));
    // Dot-stuffing: a line that starts with "." gets another.
    std::string data;
    size_t start = 0;
    while (start < r.message.size()) {
      size_t end = r.message.find("\r\n", start);
      std::string line = r.message.substr(start, end == std::string::npos ? std::string::npos : end - start);
      data += (line.rfind('.', 0) == 0 ? "." : "") + line + "\r\n";
      if (end == std::string::npos) break;
      start = end + 2;
    }
    AKGATE_RETURN_IF_ERROR(s.Command(data + ".", 200, "the message"));
    (void)s.Command("QUIT", 200, "QUIT");  // the message is in; a rude goodbye is not a failure
  } catch (const std::exception& e) {
    return Status::Unavailable(std::string("email: ") + e.what());
  }
  return Status::Ok();
}

std::string EmailMessage(const std::string& from, const std::vector<std::string>& to, const std::string& subject,
                         const std::string& text, const std::string& delivery_id) {
  std::string joined;
  for (const std::string& t : to) joined += (joined.empty() ? "" : ", ") + t;
  char date[64];
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  // Headers may not carry raw UTF-8 or line breaks: the subject is an
  // RFC 2047 encoded word; the body is base64 in lines of 76.
  std::string body = Base64(text);
  std::string wrapped;
  for (size_t i = 0; i < body.size(); i += 76) wrapped += body.substr(i, 76) + "\r\n";
  return "From: " + from + "\r\nTo: " + joined + "\r\nSubject: =?UTF-8?B?" + Base64(subject) + "?=\r\nDate: " + date +
         "\r\nMessage-ID: <" + delivery_id +
         "@akgate>\r\nMIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
         wrapped;
}

}  // namespace akgate
