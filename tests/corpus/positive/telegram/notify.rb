require "net/http"

TELEGRAM_BOT_TOKEN = "0698713764:AANWJYI2sxBUfcwmeZP-3oM7-nxW9SrlcWU"
Net::HTTP.post_form(URI("https://api.telegram.org/bot#{TELEGRAM_BOT_TOKEN}/sendMessage"), chat_id: "-100123", text: "ok")
