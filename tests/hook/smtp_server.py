# A fake SMTP submission server for tests/hook/notify_email_test.sh: offers
# STARTTLS and AUTH PLAIN, refuses mail before STARTTLS and without the
# right credentials, and appends each accepted message to LOG as JSON.
#
#   python3 smtp_server.py LOG PORT_FILE CERT KEY USER PASSWORD
import base64, json, socket, ssl, sys, threading

log_path, port_file, cert, key, user, password = sys.argv[1:7]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)


def serve(conn):
    f = conn.makefile("rb")
    tls, authed, mail_from, rcpt = False, False, None, []

    def say(line):
        conn.sendall((line + "\r\n").encode())

    say("220 fake.smtp ESMTP")
    while True:
        raw = f.readline()
        if not raw:
            return
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        cmd = line.split(" ", 1)[0].upper()
        if cmd == "EHLO":
            say("250-fake.smtp")
            say("250 AUTH PLAIN" if tls else "250 STARTTLS")
        elif cmd == "STARTTLS" and not tls:
            say("220 go ahead")
            try:
                conn = ctx.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError):
                return  # the client refused our certificate (the unknown-CA check)
            f = conn.makefile("rb")
            tls = True
        elif cmd == "AUTH":
            parts = base64.b64decode(line.split(" ")[2]).split(b"\0")
            authed = tls and parts[1:] == [user.encode(), password.encode()]
            say("235 ok" if authed else "535 bad credentials")
        elif cmd == "MAIL":
            if not tls:
                say("530 must issue STARTTLS first")
            elif not authed:
                say("530 authentication required")
            else:
                mail_from, rcpt = line[10:].strip("<>"), []
                say("250 ok")
        elif cmd == "RCPT":
            rcpt.append(line[8:].strip("<>"))
            say("250 ok")
        elif cmd == "DATA":
            say("354 end with .")
            lines = []
            while True:
                l = f.readline().decode("utf-8", "replace")
                if l in (".\r\n", ""):
                    break
                lines.append(l[1:] if l.startswith("..") else l)
            message = "".join(lines)
            head, _, body = message.partition("\r\n\r\n")
            headers = dict(h.split(": ", 1) for h in head.split("\r\n") if ": " in h)
            with open(log_path, "a") as out:
                out.write(json.dumps({"tls": tls, "from": mail_from, "rcpt": rcpt, "headers": headers,
                                      "text": base64.b64decode("".join(body.split())).decode("utf-8")}) + "\n")
            say("250 queued")
        elif cmd == "QUIT":
            say("221 bye")
            return
        else:
            say("502 unknown")


srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
with open(port_file, "w") as pf:
    pf.write(str(srv.getsockname()[1]))
while True:
    c, _ = srv.accept()
    threading.Thread(target=lambda c=c: (serve(c), c.close()), daemon=True).start()
