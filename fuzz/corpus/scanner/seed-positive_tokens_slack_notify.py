positive/tokens/slack_notify.py
from slack_sdk import WebClient

client = WebClient(token="xoxb-37628380127-8772864328609-238ydJwDHJI4gy44bdhFfVX4")
client.chat_postMessage(channel="#deploys", text="deploy finished")
