traps/flask_settings.py
# Flask and Django settings keys are not cloud AccessKeys
SECRET_KEY = 'eE171InileeqI0Dk4Gqso0jR3vn61s'
SECRET_KEY_FALLBACKS = ['django-insecure-9b!x@w2#k$7e^p(q)r_+t=u&v*y0z1a3c5d-f8g%h']
