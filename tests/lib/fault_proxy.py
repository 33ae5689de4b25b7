#!/usr/bin/env python3
"""A TCP proxy that injects the faults a real network has, for the gateway's
load and fault tests (tests/gateway/faults_test.sh, bench/gateway_faults.sh).

It sits between akgate-gateway and the real upstream (nginx), on 127.0.0.1:

    gateway ──> fault_proxy.py --listen PORT --upstream 127.0.0.1:NGINX ──> nginx

    python3 tests/lib/fault_proxy.py --listen PORT --upstream HOST:PORT \
        --control FILE --log FILE

The fault is read from the control FILE (one line of key=value words) each time
a connection is accepted, so a test switches modes by rewriting the file:

    mode=pass                       relay untouched (also: empty or missing file)
    mode=stall  where=request  after=N   relay N bytes of the request upstream, then
                                    read nothing more from the gateway and send it
                                    nothing (the upstream connection is dropped:
                                    the upstream never sees the whole request)
    mode=stall  where=response after=N   relay the whole request and N bytes of the
                                    response, then send nothing more (the rest of
                                    the upstream's answer is read and dropped)
    mode=reset  where=... after=N   after N bytes in that direction: RST both sides
                                    (SO_LINGER 0)
    mode=close  where=... after=N   after N bytes in that direction: close both
                                    sides normally (FIN mid-body)
    mode=slow   where=... chunk=N delay_ms=D [limit=B]   trickle that direction, N
                                    bytes every D ms (only its first B bytes, then
                                    at full speed, with limit=B)
    match=REGEX                     only connections whose request line matches
                                    REGEX get the fault (e.g. match=^POST.*/git-receive-pack:
                                    the forwarded push, not the credential check);
                                    the others are relayed untouched
    hold_s=S                        a stall holds the gateway's connection at most
                                    S seconds (default 120), then closes it

`where` defaults to response, `after` to 0. The log gets one line per
connection when it ends: its request line, the fault, whether the fault was
applied (the threshold was reached), the bytes relayed each way, how long the
upstream took to its first byte and the connection lasted.
"""
import argparse
import os
import re
import select
import socket
import struct
import sys
import threading
import time


def read_rule(path):
    rule = {"mode": "pass", "where": "response", "after": 0, "match": "", "chunk": 1024,
            "delay_ms": 50, "hold_s": 120, "limit": 0}
    try:
        text = open(path).read()
    except OSError:
        return rule
    for word in text.split():
        key, _, value = word.partition("=")
        if key in ("after", "chunk", "delay_ms", "hold_s", "limit"):
            rule[key] = int(value)
        elif key in rule:
            rule[key] = value
    return rule


def reset(sock):
    """Closes with an RST instead of a FIN (SHUT_RD first wakes a thread
    blocked reading it, and sends the peer nothing)."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


def close(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class Connection:
    def __init__(self, number, client, upstream_addr, rule, log):
        self.number = number
        self.client = client
        self.upstream_addr = upstream_addr
        self.rule = rule
        self.log = log
        self.up = None
        self.line = ""
        self.active = False
        self.applied = False
        self.bytes = {"request": 0, "response": 0}
        self.done = threading.Event()   # a fault ended the connection
        self.started = time.time()
        self.first_response = None      # when the upstream's first byte came

    def run(self):
        try:
            head = b""
            while b"\r\n" not in head and len(head) < 65536:
                data = self.client.recv(65536)
                if not data:
                    break
                head += data
            self.line = head.split(b"\r\n", 1)[0].decode("latin-1")
            r = self.rule
            self.active = r["mode"] != "pass" and re.search(r["match"], self.line) is not None
            try:
                self.up = socket.create_connection(self.upstream_addr, timeout=10)
                self.up.settimeout(None)
            except OSError:
                close(self.client)
                return
            t = threading.Thread(target=self.pump, args=(self.up, self.client, "response", b""), daemon=True)
            t.start()
            self.pump(self.client, self.up, "request", head)
            t.join()
        finally:
            for s in (self.client, self.up):
                if s is not None:
                    try:
                        s.close()
                    except OSError:
                        pass
            self.write_log()

    def write_log(self):
        r = self.rule
        fault = "pass"
        if self.active:
            fault = "%s where=%s after=%d" % (r["mode"], r["where"], r["after"])
            if r["mode"] == "slow":
                fault = "slow where=%s chunk=%d delay_ms=%d" % (r["where"], r["chunk"], r["delay_ms"])
        with self.log_lock:
            with open(self.log, "a") as f:
                first = "-" if self.first_response is None else "%.0f" % (
                    (self.first_response - self.started) * 1000)
                f.write('conn=%d line="%s" fault=%s applied=%d request_bytes=%d response_bytes=%d '
                        'first_response_ms=%s ms=%.0f\n'
                        % (self.number, self.line, fault, int(self.applied), self.bytes["request"],
                           self.bytes["response"], first, (time.time() - self.started) * 1000))

    def send(self, dst, data, direction):
        dst.sendall(data)
        self.bytes[direction] += len(data)

    def pump(self, src, dst, direction, first):
        r = self.rule
        faulty = self.active and r["where"] == direction
        data = first
        try:
            while not self.done.is_set():
                if not data:
                    data = src.recv(65536)
                    if data and direction == "response" and self.first_response is None:
                        self.first_response = time.time()
                if not data:
                    if not self.done.is_set():
                        try:
                            dst.shutdown(socket.SHUT_WR)
                        except OSError:
                            pass
                    return
                if faulty and r["mode"] == "slow":
                    if r["limit"] and self.bytes[direction] >= r["limit"]:
                        self.send(dst, data, direction)
                    else:
                        for i in range(0, len(data), r["chunk"]):
                            self.send(dst, data[i:i + r["chunk"]], direction)
                            self.applied = True
                            time.sleep(r["delay_ms"] / 1000.0)
                elif faulty and self.bytes[direction] + len(data) >= r["after"]:
                    keep = r["after"] - self.bytes[direction]
                    if keep > 0:
                        self.send(dst, data[:keep], direction)
                    self.fault(direction, src)
                    return
                else:
                    self.send(dst, data, direction)
                data = b""
        except OSError:
            if self.done.is_set():
                return  # a fault is in charge of both sides
            # One side went away: so does the other.
            self.done.set()
            close(self.client)
            close(self.up)

    def fault(self, direction, src):
        r = self.rule
        self.applied = True
        mode = r["mode"]
        if mode == "reset":
            self.done.set()
            reset(self.client)
            reset(self.up)
        elif mode == "close":
            self.done.set()
            close(self.client)
            close(self.up)
        elif mode == "stall":
            if direction == "request":
                # The upstream never sees the rest; the gateway sees silence.
                self.done.set()
                close(self.up)
            else:
                # Keep reading the upstream's answer so it finishes its work.
                threading.Thread(target=self.swallow, args=(src,), daemon=True).start()
            self.hold()

    def swallow(self, sock):
        try:
            while sock.recv(65536):
                pass
        except OSError:
            pass

    def hold(self):
        """Neither reads nor writes the gateway's side until it closes it or
        hold_s runs out."""
        p = select.poll()
        p.register(self.client, select.POLLRDHUP | select.POLLHUP | select.POLLERR)
        end = time.time() + self.rule["hold_s"]
        while time.time() < end:
            if p.poll(200):
                break
        self.done.set()
        close(self.client)
        close(self.up)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--listen", type=int, required=True, help="port on 127.0.0.1 (0: any; see --ports-file)")
    ap.add_argument("--upstream", required=True, help="HOST:PORT of the real upstream")
    ap.add_argument("--control", required=True, help="file holding the fault (read per connection)")
    ap.add_argument("--log", required=True, help="one line per connection")
    ap.add_argument("--ports-file", help="write the port listened on here")
    a = ap.parse_args()
    host, _, port = a.upstream.rpartition(":")
    upstream = (host, int(port))
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # A fixed, modest receive buffer (inherited by accepted connections): a
    # slow upstream is then felt by the gateway, not absorbed by megabytes of
    # autotuned loopback buffer in the proxy.
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 128 * 1024)
    srv.bind(("127.0.0.1", a.listen))
    srv.listen(512)
    if a.ports_file:
        with open(a.ports_file + ".tmp", "w") as f:
            f.write("%d\n" % srv.getsockname()[1])
        os.rename(a.ports_file + ".tmp", a.ports_file)
    Connection.log_lock = threading.Lock()
    number = 0
    while True:
        client, _ = srv.accept()
        number += 1
        c = Connection(number, client, upstream, read_rule(a.control), a.log)
        threading.Thread(target=c.run, daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
