package notify

const hook = "https://open.feishu.cn/open-apis/bot/v2/hook/ea4de571-c6ac-47ac-bc04-43beeb7e45b5"

var client = lark.NewClient("cli_827dec90cd3f6c25", "8ihHPj04KWPZqU8Z1bctNJEo0DxJISPQ")
