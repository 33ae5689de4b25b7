traps/settings_from_env.py
import os

ACCESS_KEY_ID = os.getenv("ALIBABA_CLOUD_ACCESS_KEY_ID")
ACCESS_KEY_SECRET = os.getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")
access_key_secret = os.environ["OSSACCESSKEYSECRETPRODUCTION"]
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")
aws_secret_access_key = os.environ['AWS_SECRET_ACCESS_KEY']
