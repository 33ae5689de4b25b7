#!/usr/bin/env python3
"""Clients for the gateway's load and fault runs (tests/gateway/faults_test.sh,
bench/gateway_faults.sh): many real `git push`, `git fetch` and `git clone` at
once, and the clients git would never be: one that trickles its push body, one
that vanishes half-way through it, one killed mid-push.

    load_client.py prepare --repo DIR --clean N --secret N [--file-kb K]
                           [--big N --big-kb K] [--edit-pre N] [--edit-new N]
        adds commits on top of DIR's main, each on a ref of its own
        (refs/heads/<kind>-<i>): clean (a file of K KiB of random text),
        secret (a new file with a fake Alibaba Cloud AccessKey pair of its
        own), big (a clean binary file of --big-kb KiB of random bytes), editpre (an edit of
        config.py, whose secret main already has: pre-existing), editnew (a new
        key pair added to README.md, a file main has); prints nothing
    load_client.py run --ops FILE --jobs J --timeout S --upstream-repo BARE
        runs the operations of FILE (JSON, one a line) J at a time, each within
        S seconds, then checks every one against the upstream repository BARE;
        prints one JSON summary line (see Summary below) and, with --results,
        writes one JSON line per operation there.

Operations (FILE, one JSON object a line):
    {"kind": "push", "repo": DIR, "url": URL, "commit": SHA, "ref": REF, "secret": bool}
    {"kind": "fetch", "repo": BARE_CLONE, "url": URL, "want": SHA}
    {"kind": "clone", "dir": NEW_DIR, "url": URL, "want": SHA}
    {"kind": "slow-push", "port": P, "path": PATH, "auth": "user:pass", "repo": DIR,
     "commit": SHA, "ref": REF, "secret": bool, "chunk": N, "delay_ms": D}
    {"kind": "vanish-push", ... as slow-push ..., "fraction": F, "how": "close"|"reset"|"stall"}
        sends the headers (the full Content-Length) and F of the body, then
        closes (FIN), resets (RST), or goes silent and waits for the gateway to
        close (its idle timeout)
    {"kind": "killed-push", ... as push ..., "after_s": T}   git push, SIGKILLed after T s

Summary (one JSON line): ops, pushes, landed (ref holds the commit upstream),
refused (an error with akgate's [remote rejected], ref absent; refused_clean:
of clean pushes), errors (any other failure, ref absent; fetches included),
failed_clean (clean pushes whose client saw a failure, landed or not),
landed_after_error, secrets_landed, lost_clean (clean, reported done, not
upstream), wrong_ref (a ref upstream holding another commit), fetches,
fetches_ok, timeouts (no answer within --timeout), p50_s, p95_s, max_s.

A push is "landed" when the upstream ref holds its commit; a secret push has
"landed" as soon as its ref exists or its secret's blob is in the upstream's
object store (even unreferenced). Nothing here prints a secret.
"""
import argparse
import base64
import concurrent.futures
import json
import os
import random
import signal
import socket
import string
import struct
import subprocess
import sys
import time

ZERO = "0" * 40


def git(*args, cwd=None, input=None, check=True):
    r = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True)
    if check and r.returncode != 0:
        raise RuntimeError("git %s failed: %s" % (" ".join(args[:3]), r.stderr.decode(errors="replace")[-500:]))
    return r.stdout.decode().strip()


def rand(n, alphabet=string.ascii_letters + string.digits):
    return "".join(random.choice(alphabet) for _ in range(n))


# --- prepare ---------------------------------------------------------------------------
def fake_key_pair():
    return 'client = AcsClient("LTAI5t%s", "%s", "cn-hangzhou")\n' % (rand(18), rand(30))


def prepare(a):
    base = git("-C", a.repo, "rev-parse", "main")
    readme = git("-C", a.repo, "show", "main:README.md") + "\n"
    config = git("-C", a.repo, "show", "main:config.py") + "\n" if a.edit_pre else ""
    stream = []
    mark = 0
    kinds = (("clean", a.clean), ("secret", a.secret), ("big", a.big), ("editpre", a.edit_pre),
             ("editnew", a.edit_new))
    for kind, count in kinds:
        for i in range(count):
            mark += 1
            if kind == "clean":
                # Random text: the pack is about as large as the file, so a
                # fault "after N bytes" lands in the middle of the body.
                body = base64.b64encode(os.urandom(a.file_kb * 768)).decode() + "\n"
                path = "load/%s-%d.txt" % (kind, i)
            elif kind == "big":
                # Random bytes: as large in the pack, and quick to inspect
                # (binary content is not scanned).
                body = os.urandom(a.big_kb * 1024)
                path = "load/%s-%d.bin" % (kind, i)
            elif kind == "secret":
                body = 'from aliyunsdkcore.client import AcsClient\n\n' + fake_key_pair()
                path = "load/secret-%d.py" % i
            elif kind == "editpre":
                # The file's secret is already upstream: an edit elsewhere in it.
                body = config + "TIMEOUT_%d = %d\n" % (i, i)
                path = "config.py"
            else:
                # A new secret in a file the upstream has (without it).
                body = readme + fake_key_pair()
                path = "README.md"
            data = body if isinstance(body, bytes) else body.encode()
            stream.append(b"commit refs/heads/%s-%d\n" % (kind.encode(), i))
            stream.append(b"committer Load <load@example.com> %d +0000\n" % (1700000000 + mark))
            msg = ("%s push %d\n" % (kind, i)).encode()
            stream.append(b"data %d\n%s" % (len(msg), msg))
            stream.append(b"from %s\n" % base.encode())
            stream.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data))
    r = subprocess.run(["git", "-C", a.repo, "fast-import", "--quiet"], input=b"".join(stream), capture_output=True)
    if r.returncode != 0:
        sys.exit("prepare: git fast-import failed: " + r.stderr.decode(errors="replace")[-500:])


# --- raw receive-pack requests ------------------------------------------------------------
def push_body(repo, commit, ref):
    """A receive-pack request body creating REF at COMMIT, with a
    self-contained pack of what main lacks (as git sends it to a gateway that
    advertised no-thin)."""
    pack = subprocess.run(["git", "-C", repo, "pack-objects", "--stdout", "--revs", "-q"],
                          input=("%s\n^main\n" % commit).encode(), capture_output=True, check=True).stdout
    line = ("%s %s %s\0report-status side-band-64k\n" % (ZERO, commit, ref)).encode()
    return b"%04x" % (len(line) + 4) + line + b"0000" + pack


def raw_headers(op, length):
    auth = base64.b64encode(op["auth"].encode()).decode()
    return ("POST %s HTTP/1.1\r\nHost: gw\r\nAuthorization: Basic %s\r\n"
            "Content-Type: application/x-git-receive-pack-request\r\n"
            "Content-Length: %d\r\nConnection: close\r\n\r\n" % (op["path"], auth, length)).encode()


def read_all(s, timeout):
    """What the peer sends until it closes; None when it did not close
    within `timeout` seconds."""
    s.settimeout(timeout)
    got = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            got += d
    except socket.timeout:
        return None
    except OSError:
        pass
    return got


def slow_push(op, timeout):
    body = push_body(op["repo"], op["commit"], op["ref"])
    s = socket.create_connection(("127.0.0.1", op["port"]), timeout=timeout)
    try:
        s.sendall(raw_headers(op, len(body)))
        for i in range(0, len(body), op["chunk"]):
            s.sendall(body[i:i + op["chunk"]])
            time.sleep(op["delay_ms"] / 1000.0)
        got = read_all(s, timeout)
    finally:
        s.close()
    if got is None:
        return "timeout", "no answer within %d s" % timeout
    status = got.split(b"\r\n", 1)[0].decode(errors="replace")
    ok = b" 200 " in got.split(b"\r\n", 1)[0] and b"unpack ok" in got and \
        ("ok %s" % op["ref"]).encode() in got
    return (0 if ok else 1), status + " " + got[-200:].replace(b"\0", b"").decode(errors="replace")


def vanish_push(op, timeout):
    body = push_body(op["repo"], op["commit"], op["ref"])
    s = socket.create_connection(("127.0.0.1", op["port"]), timeout=timeout)
    s.sendall(raw_headers(op, len(body)))
    s.sendall(body[:int(len(body) * op["fraction"])])
    how = op.get("how", "close")
    if how == "stall":
        # Silent: the gateway must close the connection by itself.
        started = time.time()
        got = read_all(s, timeout)
        s.close()
        if got is None:
            return "timeout", "stalled client: the gateway kept the connection %d s" % timeout
        return 1, "stalled client: the gateway answered %d bytes and closed after %.1f s" % (
            len(got), time.time() - started)
    if how == "reset":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    return 1, "vanished (%s) after %d of %d bytes" % (how, int(len(body) * op["fraction"]), len(body))


# --- one operation -------------------------------------------------------------------------
def run_op(op, timeout):
    started = time.time()
    kind = op["kind"]
    rc, tail = 0, ""
    try:
        if kind in ("push", "killed-push"):
            cmd = ["git", "-C", op["repo"], "push", "--porcelain", op["url"], "%s:%s" % (op["commit"], op["ref"])]
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
            try:
                out, _ = p.communicate(timeout=op.get("after_s", timeout))
                rc = p.returncode
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                out, _ = p.communicate()
                rc = "killed" if kind == "killed-push" else "timeout"
            tail = out.decode(errors="replace")
        elif kind == "fetch":
            r = subprocess.run(["git", "-C", op["repo"], "fetch", "-q", op["url"],
                                "+refs/heads/main:refs/remotes/gw/main"], capture_output=True, timeout=timeout)
            rc = r.returncode
            if rc == 0 and git("-C", op["repo"], "rev-parse", "refs/remotes/gw/main") != op["want"]:
                rc = "wrong"
            tail = r.stderr.decode(errors="replace")
        elif kind == "clone":
            r = subprocess.run(["git", "clone", "-q", "--bare", op["url"], op["dir"]], capture_output=True,
                               timeout=timeout)
            rc = r.returncode
            if rc == 0 and git("-C", op["dir"], "rev-parse", "main") != op["want"]:
                rc = "wrong"
            tail = r.stderr.decode(errors="replace")
        elif kind == "slow-push":
            rc, tail = slow_push(op, timeout)
        elif kind == "vanish-push":
            rc, tail = vanish_push(op, timeout)
    except subprocess.TimeoutExpired:
        rc, tail = "timeout", "no answer within %d s" % timeout
    except Exception as e:  # a client error is a result, not a crash of the run
        rc, tail = "error", "%s: %s" % (type(e).__name__, e)
    r = dict(op)
    r["rc"] = rc
    r["seconds"] = round(time.time() - started, 3)
    lines = [l for l in tail.strip().splitlines() if l.strip()]
    r["tail"] = " | ".join(lines[-3:])[-400:]
    return r


def percentile(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def run(a):
    ops = [json.loads(l) for l in open(a.ops) if l.strip()]
    with concurrent.futures.ThreadPoolExecutor(max_workers=a.jobs) as pool:
        results = list(pool.map(lambda op: run_op(op, a.timeout), ops))
    upstream = a.upstream_repo
    summary = {"ops": len(results), "pushes": 0, "landed": 0, "refused": 0, "errors": 0, "secrets_landed": 0,
               "lost_clean": 0, "refused_clean": 0, "failed_clean": 0, "wrong_ref": 0, "landed_after_error": 0, "fetches": 0, "fetches_ok": 0,
               "timeouts": 0}
    for r in results:
        if r["rc"] == "timeout":
            summary["timeouts"] += 1
        if r["kind"] in ("fetch", "clone"):
            summary["fetches"] += 1
            summary["fetches_ok"] += r["rc"] == 0
            if r["rc"] != 0:
                summary["errors"] += 1
            continue
        summary["pushes"] += 1
        if r["rc"] != 0 and not r["secret"]:
            summary["failed_clean"] += 1
        ref = git("--git-dir", upstream, "rev-parse", "--verify", "-q", r["ref"], check=False)
        r["upstream_ref"] = ref
        if r["secret"]:
            path = git("-C", r["repo"], "show", "--name-only", "--format=", r["commit"])
            blob = git("-C", r["repo"], "rev-parse", "%s:%s" % (r["commit"], path))
            present = subprocess.run(["git", "--git-dir", upstream, "cat-file", "-e", blob],
                                     capture_output=True).returncode == 0
            r["secret_landed"] = bool(ref) or present
            summary["secrets_landed"] += r["secret_landed"]
        if ref and ref != r["commit"]:
            summary["wrong_ref"] += 1
        if ref == r["commit"]:
            summary["landed"] += 1
            if r["rc"] != 0:
                summary["landed_after_error"] += 1
        elif r["rc"] == 0:
            summary["lost_clean"] += not r["secret"]
        if r["rc"] != 0 and not ref:
            # Refused by the gateway with a report, or any other error.
            refused = "[remote rejected]" in r["tail"] or "\t[remote rejected]" in r["tail"] or \
                ("!\t" in r["tail"] and "akgate" in r["tail"])
            if refused:
                summary["refused"] += 1
                summary["refused_clean"] += not r["secret"]
            else:
                summary["errors"] += 1
    times = [r["seconds"] for r in results if r["kind"] in ("push", "fetch", "clone", "slow-push")]
    summary["p50_s"] = round(percentile(times, 50), 3)
    summary["p95_s"] = round(percentile(times, 95), 3)
    summary["max_s"] = round(max(times), 3) if times else 0.0
    if a.results:
        with open(a.results, "w") as f:
            for r in results:
                f.write(json.dumps(r) + "\n")
    print(json.dumps(summary))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--repo", required=True)
    p.add_argument("--clean", type=int, default=0)
    p.add_argument("--secret", type=int, default=0)
    p.add_argument("--file-kb", type=int, default=64)
    p.add_argument("--big", type=int, default=0)
    p.add_argument("--big-kb", type=int, default=4096)
    p.add_argument("--edit-pre", type=int, default=0)
    p.add_argument("--edit-new", type=int, default=0)
    r = sub.add_parser("run")
    r.add_argument("--ops", required=True)
    r.add_argument("--jobs", type=int, default=8)
    r.add_argument("--timeout", type=int, default=120)
    r.add_argument("--upstream-repo", required=True)
    r.add_argument("--results")
    a = ap.parse_args()
    if a.cmd == "prepare":
        prepare(a)
    else:
        run(a)


if __name__ == "__main__":
    main()
