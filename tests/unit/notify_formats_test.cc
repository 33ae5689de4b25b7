// The message formats and the chat robots' signatures, against the vendors'
// own published code; the notification targets' filters and their policy
// configuration.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "notify/formats.h"
#include "notify/message.h"
#include "notify/signing.h"
#include "notify/target.h"
#include "policy/policy.h"

using namespace akgate;
using nlohmann::json;

namespace {

// An event as RecordPush sends it: the audit record, "event", "event_id".
json EventOf(const std::string& event) {
  json e = json::parse(R"({
    "time": "2026-12-03T10:00:00.000Z", "via": "pre-receive", "repo": "/srv/git/app.git", "pusher": "alice",
    "refs": [{"ref": "refs/heads/main", "old": "1111111111111111111111111111111111111111",
              "new": "2222222222222222222222222222222222222222"}],
    "decision": "reject", "bypass_reason": "hotfix, key rotated", "event_id": "0123456789abcdef0123456789abcdef",
    "findings": [{"rule": "alibaba-accesskey-pair", "provider": "Alibaba Cloud", "path": "conf/prod.yml",
                  "line": 12, "commit": "3333333333333333333333333333333333333333", "fingerprint": "0011223344556677",
                  "redacted": ["LTAI…9Q", "abcd…Zz"], "disposition": "block"}]})");
  e["event"] = event;
  return e;
}

// Built whole (GCC 12 warns falsely, -Wrestrict, on assigning a short
// literal to a member string here).
NotifyTarget Target(TargetKind kind, std::string url, std::string secret = "") {
  return NotifyTarget{std::string(1, 't'), kind, std::move(url), std::move(secret), {}, 3, {}, {}};
}

}  // namespace

// Vectors from the vendors' published Python, run as published with the
// timestamp and secret below (the documentation's own code uses the clock):
//
// DingTalk, open.dingtalk.com "custom robot: 加签":
//   secret_enc = secret.encode('utf-8')
//   string_to_sign = '{}\n{}'.format(timestamp, secret)
//   hmac_code = hmac.new(secret_enc, string_to_sign.encode('utf-8'), digestmod=hashlib.sha256).digest()
//   sign = urllib.parse.quote_plus(base64.b64encode(hmac_code))
// Feishu, open.feishu.cn "自定义机器人使用指南: 签名校验" (gen_sign):
//   string_to_sign = '{}\n{}'.format(timestamp, secret)
//   hmac_code = hmac.new(string_to_sign.encode("utf-8"), digestmod=hashlib.sha256).digest()
//   return base64.b64encode(hmac_code).decode('utf-8')
TEST_CASE("signatures: DingTalk and Feishu as their published code computes them") {
  CHECK(DingTalkSign("this is secret", 1577262236757) == "hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D");
  CHECK(FeishuSign("demo", 1599360473) == "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=");
  CHECK(FeishuSign("this is secret", 1599360473) == "/eYKrXQBzTjUZJ3s6NX16VxGbTwmK7AEs8/FnvC1CSw=");
  // RFC 4231 test case 2 for the HMAC itself.
  std::string mac = HmacSha256("Jefe", "what do ya want for nothing?"), hex;
  for (unsigned char c : mac) hex += "0123456789abcdef"[c >> 4], hex += "0123456789abcdef"[c & 15];
  CHECK(hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(Base64("") == "");
  CHECK(Base64("f") == "Zg==");
  CHECK(UrlEncode("a+b/c= d") == "a%2Bb%2Fc%3D%20d");
}

TEST_CASE("message: says what happened, where, by whom, with the key redacted and the console link") {
  PushMessage m = MessageFromEvent(EventOf("bypass"), "https://console.example.com/");
  CHECK(m.headline == "akgate: push bypassed: 1 secret in /srv/git/app.git");
  REQUIRE(m.findings.size() == 1);
  CHECK(m.findings[0].redacted == "LTAI…9Q / abcd…Zz");
  CHECK(m.console_link == "https://console.example.com/leaks/0011223344556677");
  std::string text = MessageText(m, TextStyle::kMarkdown);
  for (const char* want : {"/srv/git/app.git", "alice", "refs/heads/main 111111111111..222222222222",
                           "hotfix, key rotated", "alibaba-accesskey-pair", "conf/prod.yml:12", "333333333333",
                           "[console](https://console.example.com/leaks/0011223344556677)"})
    CHECK_MESSAGE(text.find(want) != std::string::npos, want);
  CHECK(MessageFromEvent(EventOf("block"), "").headline == "akgate: push blocked: 1 secret in /srv/git/app.git");
  CHECK(MessageFromEvent(EventOf("allow"), "").console_link.empty());
}

TEST_CASE("formats: each robot's request") {
  PushMessage m = MessageFromEvent(EventOf("block"), "https://console.example.com");

  HttpPost d = DingTalkPost(
      Target(TargetKind::kDingTalk, "https://oapi.dingtalk.com/robot/send?access_token=x", "this is secret"), m,
      1577262236757);
  CHECK(d.url ==
        "https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1577262236757&sign="
        "hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D");
  json body = json::parse(d.body);
  CHECK(body["msgtype"] == "markdown");
  CHECK(body["markdown"]["title"] == m.headline);
  CHECK(body["markdown"]["text"].get<std::string>().find("LTAI…9Q") != std::string::npos);
  CHECK(d.body.find("this is secret") == std::string::npos);
  // Unsigned: the URL as given.
  CHECK(DingTalkPost(Target(TargetKind::kDingTalk, "https://r/send?access_token=x"), m, 1).url ==
        "https://r/send?access_token=x");

  HttpPost f = FeishuPost(Target(TargetKind::kFeishu, "https://open.feishu.cn/open-apis/bot/v2/hook/x", "demo"), m,
                          1599360473999);
  body = json::parse(f.body);
  CHECK(body["timestamp"] == "1599360473");  // seconds, as a string
  CHECK(body["sign"] == "l1N0gAcBjdwBvGm1xMjOF0XSyaLRpR7tuO5dHfhAYc8=");
  CHECK(body["msg_type"] == "text");
  CHECK(body["content"]["text"].get<std::string>().find("refs/heads/main") != std::string::npos);

  body = json::parse(
      WeComPost(Target(TargetKind::kWeCom, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"), m).body);
  CHECK(body["msgtype"] == "markdown");
  CHECK(body["markdown"]["content"].get<std::string>().find("alice") != std::string::npos);

  body = json::parse(SlackPost(Target(TargetKind::kSlack, "https://hooks.slack.com/services/x"), m).body);
  CHECK(body["text"] == m.headline);
  CHECK(body["blocks"][0]["text"]["type"] == "mrkdwn");
  CHECK(body["blocks"][1]["elements"][0]["url"] == "https://console.example.com/leaks/0011223344556677");

  body = json::parse(TeamsPost(Target(TargetKind::kTeams, "https://prod.westus.logic.azure.com/workflows/x"), m).body);
  CHECK(body["type"] == "message");
  json card = body["attachments"][0];
  CHECK(card["contentType"] == "application/vnd.microsoft.card.adaptive");
  CHECK(card["content"]["type"] == "AdaptiveCard");
  CHECK(card["content"]["body"][1]["type"] == "FactSet");
  CHECK(card["content"]["actions"][0]["type"] == "Action.OpenUrl");

  HttpPost w = JsonWebhookPost(Target(TargetKind::kWebhook, "https://h/x"), "{\"event\":\"block\"}", "e1.t");
  CHECK(w.body == "{\"event\":\"block\"}");
  REQUIRE(w.headers.size() == 1);
  CHECK(w.headers[0] == std::pair<std::string, std::string>("Idempotency-Key", "e1.t"));
}

TEST_CASE("formats: a robot's answer says whether it took the message") {
  CHECK(CheckAnswer(TargetKind::kDingTalk, R"({"errcode":0,"errmsg":"ok"})").ok());
  Status s = CheckAnswer(TargetKind::kDingTalk, R"({"errcode":310000,"errmsg":"sign not match"})");
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("310000") != std::string::npos);
  CHECK(CheckAnswer(TargetKind::kFeishu, R"({"code":0,"msg":"success"})").ok());
  CHECK(CheckAnswer(TargetKind::kFeishu, R"({"StatusCode":0})").ok());
  CHECK_FALSE(CheckAnswer(TargetKind::kFeishu, R"({"code":19021,"msg":"sign match fail"})").ok());
  CHECK_FALSE(CheckAnswer(TargetKind::kWeCom, "not json").ok());
  CHECK(CheckAnswer(TargetKind::kSlack, "ok").ok());
  CHECK(CheckAnswer(TargetKind::kWebhook, "").ok());
}

TEST_CASE("targets: filters by event, rule and repository") {
  NotifyTarget t = Target(TargetKind::kSlack, "https://x");
  CHECK(TargetWants(t, "block", EventOf("block")));
  t.filter.events = {"bypass", "allow"};
  CHECK_FALSE(TargetWants(t, "block", EventOf("block")));
  CHECK(TargetWants(t, "bypass", EventOf("bypass")));
  t.filter.rules = {"aws-*"};
  CHECK_FALSE(TargetWants(t, "bypass", EventOf("bypass")));
  t.filter.rules = {"alibaba-*"};
  CHECK(TargetWants(t, "bypass", EventOf("bypass")));
  t.filter.repositories = {"/srv/git/payments/*"};
  CHECK_FALSE(TargetWants(t, "bypass", EventOf("bypass")));
  t.filter.repositories = {"/srv/git/*"};
  CHECK(TargetWants(t, "bypass", EventOf("bypass")));
  NotifyTarget back;
  REQUIRE(TargetFromJson(TargetToJson(Target(TargetKind::kFeishu, "https://f", "s")), &back).ok());
  CHECK(back.kind == TargetKind::kFeishu);
  CHECK(back.secret == "s");
}

TEST_CASE("policy: [[notify.target]] tables, the old webhook and command as targets, errors naming the key") {
  Policy p;
  Status s = ParsePolicy(R"(
[notify]
webhook = "https://hooks.example.com/akgate"
console_url = "https://console.example.com"
[[notify.target]]
name = "ops-ding"
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=x"
secret = "SECxyz"
events = ["blocked", "bypass"]
[[notify.target]]
name = "audit-cmd"
kind = "command"
command = "logger -t akgate"
repositories = "/srv/git/*"
[outbox]
file = "/var/lib/akgate/o.db"
retry_base = 0.5
)",
                         "p.toml", "", &p);
  REQUIRE_MESSAGE(s.ok(), s.message());
  std::vector<NotifyTarget> all = NotifyTargetsOf(p);
  REQUIRE(all.size() == 3);
  CHECK(all[0].name == "webhook");
  CHECK(all[1].kind == TargetKind::kDingTalk);
  CHECK(all[1].filter.events == std::vector<std::string>{"block", "bypass"});
  CHECK(all[2].command == std::vector<std::string>{"/bin/sh", "-c", "logger -t akgate"});
  CHECK(all[2].filter.repositories == std::vector<std::string>{"/srv/git/*"});
  CHECK(p.console_url == "https://console.example.com");
  CHECK(p.outbox_file == "/var/lib/akgate/o.db");
  CHECK(p.outbox_retry_base == 0.5);

  struct Bad {
    const char* toml;
    const char* says;
  };
  for (Bad b :
       {Bad{"[[notify.target]]\nname = \"a\"\nkind = \"pager\"\nurl = \"https://x\"\n", "'kind' must be one of"},
        Bad{"[[notify.target]]\nname = \"a\"\nkind = \"slack\"\n", "'url' is required"},
        Bad{"[[notify.target]]\nname = \"a\"\nkind = \"slack\"\nurl = \"https://x\"\nsecret = \"s\"\n",
            "'secret' is only for kinds dingtalk and feishu"},
        Bad{"[[notify.target]]\nname = \"a\"\nkind = \"slack\"\nurl = \"ftp://x\"\n", "'url' must be an http"},
        Bad{"[[notify.target]]\nname = \"a\"\nkind = \"slack\"\nurl = \"https://x\"\nevents = [\"push\"]\n",
            "'events' must list"},
        Bad{"[[notify.target]]\nname = \"a\"\nkind = \"slack\"\nurl = \"https://x\"\nevnts = [\"block\"]\n",
            "unknown key 'evnts'"},
        Bad{"[[notify.target]]\nkind = \"slack\"\nurl = \"https://x\"\n", "'name' is required"},
        Bad{"[[notify.target]]\nname = \"a\"\nkind = \"slack\"\nurl = \"https://x\"\n[[notify.target]]\nname = "
            "\"a\"\nkind = \"teams\"\nurl = \"https://y\"\n",
            "\"a\" is used twice"},
        Bad{"[notify.target]\nname = \"a\"\n", "must be an array of tables"},
        Bad{"[outbox]\nfile = \"relative.db\"\n", "'file' must be an absolute path"},
        Bad{"[[notify.target]]\nname = \"m\"\nkind = \"email\"\nurl = \"smtp://h\"\nto = \"a@b\"\n",
            "'from' is required for kind \"email\""},
        Bad{"[[notify.target]]\nname = \"m\"\nkind = \"email\"\nurl = \"https://h\"\n", "must be smtp://"},
        Bad{"[[notify.target]]\nname = \"a\"\nkind = \"slack\"\nurl = \"https://x\"\nto = \"a@b\"\n",
            "'to' is only for kind \"email\""}}) {
    Policy q;
    Status e = ParsePolicy(b.toml, "bad.toml", "", &q);
    CHECK_FALSE(e.ok());
    CHECK_MESSAGE(e.message().find(b.says) != std::string::npos, e.message());
    CHECK_MESSAGE(e.message().find("bad.toml:") != std::string::npos, e.message());
  }
}
