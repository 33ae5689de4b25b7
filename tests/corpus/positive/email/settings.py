EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "email-smtp.eu-west-1.amazonaws.com"
EMAIL_PORT = 587
EMAIL_HOST_USER = "AKIATMBF4KJ54WH5O367"
EMAIL_HOST_PASSWORD = "Bl+d+gkNhruM/cVlDC/yEItFFULF2hpKQymjc7n+TTPR"
POSTMARK_SERVER_TOKEN = "135c4dff-325f-4470-a83d-acdb01e0c35f"
