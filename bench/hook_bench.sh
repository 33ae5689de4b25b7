#!/usr/bin/env bash
# Hook benchmark: what `akgate pre-receive` adds to a push, small and large,
# measured on this machine in one run.
#
#   bash bench/hook_bench.sh [--akgate PATH] [--out DIR] [--runs N] [--commits N]
#
#   --akgate PATH   the binary (default build/akgate; build: bash install/build.sh)
#   --out DIR       repositories and results (default /tmp/akgate-hook-bench; emptied)
#   --runs N        timed runs for the small push (default 30, or $AKGATE_HOOK_BENCH_RUNS)
#   --commits N     size of the large push, in commits (default 60000, or
#                   $AKGATE_HOOK_BENCH_SCALE); about 27 KB of new blob content
#                   per commit: 20000 is ~0.6 GB, 60000 ~1.6 GB (about 6 minutes
#                   for the whole benchmark on 2 cores)
#
# 1. Small push (1 commit: 2 files edited, 1 added), N times, median:
#    a. the hook alone: `akgate pre-receive` run directly, as git runs it
#       (inside the bare repository, the pushed objects unpacked loose into a
#       quarantine directory, GIT_QUARANTINE_PATH etc. set, the ref update on
#       stdin, a policy with an audit log), process start included; beside it
#       the same harness running /bin/true and `akgate --version`;
#    b. the whole `git push` (file://) into a repository without the hook and
#       into one with it (installed by `akgate install --repo`), alternating.
# 2. Large push: a history of N commits built by bench/hook_history.py from
#    the text under /usr/include and /usr/share (base snapshot, then edits,
#    additions, deletions and moves), pushed into an empty bare repository
#    without the hook, then into another with it (bypass allowed for the
#    benchmark's pusher, so a stray key-like string in system docs does not stop
#    the run). The hook runs under /usr/bin/time -v: wall and CPU time, peak
#    RSS. Reported: hook time / push time without the hook (wall and CPU).
#
# Needs git, python3, /usr/bin/time (install/deps.sh bench). Prints a markdown
# fragment for docs/benchmarks.md ("Hook") and keeps it in DIR/results.md.
set -euo pipefail

die() { echo "bench/hook_bench.sh: $*" >&2; exit 1; }
note() { echo "bench/hook_bench.sh: $*" >&2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
akgate="$root/build/akgate"
out="/tmp/akgate-hook-bench"
runs="${AKGATE_HOOK_BENCH_RUNS:-30}"
commits="${AKGATE_HOOK_BENCH_SCALE:-60000}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --akgate) akgate="${2:?--akgate needs a path}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --commits) commits="${2:?--commits needs a number}"; shift 2 ;;
    -h|--help) sed -n '2,32p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs takes a positive number"
[[ "$commits" =~ ^[1-9][0-9]*$ && "$commits" -ge 10 ]] || die "--commits takes a number >= 10"
[[ -x "$akgate" ]] || die "no akgate binary at $akgate; build it: bash install/build.sh"
akgate="$(cd "$(dirname "$akgate")" && pwd)/$(basename "$akgate")"
for tool in git python3 /usr/bin/time; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found; run: bash install/deps.sh bench"
done
case "$out" in /|/tmp|/usr|/home|"$HOME") die "refusing to empty $out" ;; esac
rm -rf "$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# Hermetic git: nothing from the user's or the system's config.
mkdir -p "$out/home"
export HOME="$out/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0 LC_ALL=C
unset GIT_DIR GIT_WORK_TREE AKGATE_POLICY
git config --global user.name "Bench Developer"
git config --global user.email "dev@example.com"
git config --global init.defaultBranch main
git config --global protocol.file.allow always

cat >"$out/policy.toml" <<EOF
[bypass]
who = ["*"]
[audit]
log = "$out/audit.log"
EOF

# --- the machine ---------------------------------------------------------------------------
cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | sed -n 1p)"
cores="$(nproc)"
mem="$(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GiB"}')"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
started="$(date -u +'%Y-%m-%d %H:%M UTC')"
version="$("$akgate" --version 2>/dev/null || echo akgate)"
note "$version, $(git --version), on $cpu ($cores cores, $mem), load $load, $started"

# Times commands N times; prints JSON {median, min, p90} in ms. Each line of
# the plan file (JSON) is {"name", "argv", "stdin", "cwd", "env"}.
timer() {
  python3 - "$@" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
plan = json.load(open(sys.argv[1]))
runs = int(sys.argv[2])
results = {}
cpu = {}
for _ in range(runs):
    for step in plan:  # interleaved, so drift hits every command alike
        env = dict(os.environ)
        env.update(step.get("env", {}))
        data = step.get("stdin", "").encode()
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        p = subprocess.run(step["argv"], input=data, env=env, cwd=step.get("cwd"),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ms = (time.perf_counter() - t) * 1000
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.setdefault(step["name"], []).append(
            (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
        if p.returncode != step.get("rc", 0):
            sys.exit("%s exited %d: %s" % (step["name"], p.returncode, p.stderr.decode(errors="replace")[-2000:]))
        results.setdefault(step["name"], []).append(ms)
        for cmd in step.get("after", []):
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def summary(xs, cs):
    xs = sorted(xs)
    return {"median": statistics.median(xs), "min": xs[0], "p90": xs[min(len(xs) - 1, int(len(xs) * 0.9))],
            "runs": len(xs), "cpu": statistics.median(cs)}
json.dump({k: summary(v, cpu[k]) for k, v in results.items()}, sys.stdout)
PY
}
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.1f" % eval(sys.argv[2]))' "$@"; }

# --- 1. small push ---------------------------------------------------------------------------
note "small push: $runs runs"
S="$out/small"
mkdir -p "$S"
git init -q --bare "$S/base.git"
python3 "$root/bench/hook_history.py" --commits 300 2>"$S/history.log" |
  git --git-dir="$S/base.git" fast-import --quiet
git clone -q --bare "$S/base.git" "$S/plain.git"
git clone -q --bare "$S/base.git" "$S/hooked.git"
"$akgate" install --repo "$S/hooked.git" --policy "$out/policy.toml" >"$S/install.log"
git clone -q "$S/base.git" "$S/work"
base="$(git -C "$S/work" rev-parse HEAD)"
# The small commits: each edits two files and adds one, with real text.
python3 - "$S/work" "$runs" <<'PY'
import os, random, subprocess, sys
work, n = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
files = subprocess.run(["git", "-C", work, "ls-files"], capture_output=True, text=True, check=True).stdout.split()
for i in range(n):
    for p in rng.sample(files, 2):
        path = os.path.join(work, p)
        with open(path, "ab") as f:
            f.write(b"\n/* change %d: keep the default timeout when the value is empty */\n" % i)
    new = "src/feature_%d.c" % i
    os.makedirs(os.path.join(work, "src"), exist_ok=True)
    with open(os.path.join(work, new), "w") as f:
        f.write("#include <stdio.h>\n\nint feature_%d(void) {\n  return printf(\"feature %d\\n\");\n}\n" % (i, i))
    subprocess.run(["git", "-C", work, "add", "-A"], check=True)
    subprocess.run(["git", "-C", work, "commit", "-q", "-m", "Small change %d" % i], check=True)
PY
first="$(git -C "$S/work" rev-list --reverse "$base..HEAD" | sed -n 1p)"  # not head: git may get SIGPIPE, and pipefail stops the script

# a. The hook alone: the first small commit's objects unpacked loose into a
#    quarantine directory of plain.git, as receive-pack leaves them.
Q="$S/plain.git/objects/tmp_objdir-incoming-bench"
mkdir -p "$Q"
git -C "$S/work" pack-objects --revs --stdout -q <<<"$first"$'\n'"^$base" >"$S/first.pack"
GIT_OBJECT_DIRECTORY="$Q" GIT_ALTERNATE_OBJECT_DIRECTORIES="$S/plain.git/objects" \
  git --git-dir="$S/plain.git" unpack-objects -q <"$S/first.pack"
loose="$(find "$Q" -type f | wc -l)"
python3 - "$S/plan-direct.json" "$akgate" "$out/policy.toml" "$S/plain.git" "$Q" "$base $first refs/heads/main" <<'PY'
import json, sys
path, akgate, policy, repo, q, line = sys.argv[1:]
env = {"GIT_DIR": ".", "GIT_QUARANTINE_PATH": q, "GIT_OBJECT_DIRECTORY": q,
       "GIT_ALTERNATE_OBJECT_DIRECTORIES": repo + "/objects", "GIT_PUSH_OPTION_COUNT": "0"}
json.dump([
    {"name": "true", "argv": ["/bin/true"]},
    {"name": "version", "argv": [akgate, "--version"]},
    {"name": "hook", "argv": [akgate, "pre-receive", "--policy", policy], "stdin": line + "\n", "cwd": repo, "env": env},
], open(path, "w"))
PY
timer "$S/plan-direct.json" "$runs" >"$S/direct.json"
rm -rf "$Q"

# b. Whole pushes, alternating between the two servers; each run pushes the
#    next small commit.
python3 - "$S/plan-push.json" "$S" "$base" <<'PY'
import json, subprocess, sys
path, s, base = sys.argv[1:]
commits = subprocess.run(["git", "-C", s + "/work", "rev-list", "--reverse", base + "..HEAD"],
                         capture_output=True, text=True, check=True).stdout.split()
# One plan step per server; the commit to push advances through a small state file.
json.dump([
    {"name": "push-plain", "argv": ["sh", "-c", 'c=$(sed -n "$(cat %s/n.plain)p" %s/commits); git -C %s/work push -q file://%s/plain.git "$c:refs/heads/main"' % (s, s, s, s)],
     "after": [["sh", "-c", "echo $(( $(cat %s/n.plain) + 1 )) > %s/n.plain" % (s, s)]]},
    {"name": "push-hooked", "argv": ["sh", "-c", 'c=$(sed -n "$(cat %s/n.hooked)p" %s/commits); git -C %s/work push -q file://%s/hooked.git "$c:refs/heads/main"' % (s, s, s, s)],
     "after": [["sh", "-c", "echo $(( $(cat %s/n.hooked) + 1 )) > %s/n.hooked" % (s, s)]]},
], open(path, "w"))
open(s + "/commits", "w").write("\n".join(commits) + "\n")
open(s + "/n.plain", "w").write("1\n")
open(s + "/n.hooked", "w").write("1\n")
PY
timer "$S/plan-push.json" "$runs" >"$S/push.json"
check_tip() { [[ "$(git --git-dir="$1" rev-parse main)" == "$(git -C "$S/work" rev-parse HEAD)" ]]; }
check_tip "$S/plain.git" && check_tip "$S/hooked.git" || die "small pushes did not all land"

hook_ms="$(field "$S/direct.json" 'd["hook"]["median"]')"
hook_min="$(field "$S/direct.json" 'd["hook"]["min"]')"
hook_p90="$(field "$S/direct.json" 'd["hook"]["p90"]')"
hook_cpu_ms="$(field "$S/direct.json" 'd["hook"]["cpu"]')"
version_cpu_ms="$(field "$S/direct.json" 'd["version"]["cpu"]')"
added_cpu_ms="$(field "$S/push.json" 'd["push-hooked"]["cpu"] - d["push-plain"]["cpu"]')"
true_ms="$(field "$S/direct.json" 'd["true"]["median"]')"
version_ms="$(field "$S/direct.json" 'd["version"]["median"]')"
plain_ms="$(field "$S/push.json" 'd["push-plain"]["median"]')"
hooked_ms="$(field "$S/push.json" 'd["push-hooked"]["median"]')"
added_ms="$(field "$S/push.json" 'd["push-hooked"]["median"] - d["push-plain"]["median"]')"
note "small: hook alone ${hook_ms} ms median (min $hook_min, p90 $hook_p90); push ${plain_ms} ms without, ${hooked_ms} ms with"

# --- 2. large push -----------------------------------------------------------------------------
note "large push: building a history of $commits commits from /usr/include and /usr/share"
L="$out/large"
mkdir -p "$L"
git init -q --bare "$L/src.git"
t0=$(date +%s.%N)
python3 "$root/bench/hook_history.py" --commits "$commits" 2>"$L/history.log" |
  git --git-dir="$L/src.git" fast-import --quiet
build_s="$(python3 -c "import time; print('%.0f' % (time.time() - $t0))")"
cat "$L/history.log" >&2
read -r blobs blob_bytes < <(git --git-dir="$L/src.git" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
  awk '$1 == "blob" { n++; b += $2 } END { print n, b }')
pack_bytes="$(du -sb "$L/src.git/objects/pack" | cut -f1)"

git init -q --bare "$L/plain.git"
git init -q --bare "$L/hooked.git"
git -C "$L/hooked.git" config receive.advertisePushOptions true
# The hook under /usr/bin/time -v, so its own wall time, CPU and peak RSS are known.
printf '#!/bin/sh\nexec /usr/bin/time -v -o %s %s pre-receive --policy %s\n' \
  "$L/hook.time" "$akgate" "$out/policy.toml" >"$L/hooked.git/hooks/pre-receive"
chmod +x "$L/hooked.git/hooks/pre-receive"

note "large push: without the hook"
/usr/bin/time -v -o "$L/push-plain.time" git --git-dir="$L/src.git" push -q "file://$L/plain.git" main 2>"$L/push-plain.err"
note "large push: with the hook"
/usr/bin/time -v -o "$L/push-hooked.time" git --git-dir="$L/src.git" push -q -o akgate.bypass=benchmark \
  "file://$L/hooked.git" main 2>"$L/push-hooked.err" || die "the push with the hook failed: $(tail -n 20 "$L/push-hooked.err")"
[[ "$(git --git-dir="$L/hooked.git" rev-parse main)" == "$(git --git-dir="$L/src.git" rev-parse main)" ]] ||
  die "the large push with the hook did not land"

# /usr/bin/time -v: seconds of wall time, user+sys CPU, peak RSS in MB.
tv() {
  python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", t).group(1)
parts = [float(x) for x in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
user = float(re.search(r"User time \(seconds\): ([0-9.]+)", t).group(1))
sys_ = float(re.search(r"System time \(seconds\): ([0-9.]+)", t).group(1))
rss = int(re.search(r"Maximum resident set size \(kbytes\): ([0-9]+)", t).group(1)) / 1024
print("%.2f %.2f %.0f" % (secs, user + sys_, rss))
PY
}
read -r plain_wall plain_cpu plain_rss < <(tv "$L/push-plain.time")
read -r hooked_wall hooked_cpu hooked_rss < <(tv "$L/push-hooked.time")
read -r hook_wall hook_cpu hook_rss < <(tv "$L/hook.time")
summary_line="$(sed -n 's/^remote: \(akgate: push .*\)$/\1/p' "$L/push-hooked.err" | sed 's/ *$//' | sed -n 1p)"
ratio_wall="$(python3 -c "print('%.2f' % ($hook_wall / $plain_wall))")"
ratio_cpu="$(python3 -c "print('%.2f' % ($hook_cpu / $plain_cpu))")"
mb() { python3 -c "print('%.0f' % ($1 / 1e6))"; }
finished="$(date -u +'%Y-%m-%d %H:%M UTC')"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ------------------------------------------------------------------------------------
{
cat <<EOF
Measured with \`bash bench/hook_bench.sh --commits $commits --runs $runs\` on
$started: $version, $(git --version), $cpu, $cores cores, $mem RAM, Debian
$(cat /etc/debian_version 2>/dev/null || echo '?'). Load average $load at the start, $load_end at the end
(the machine is shared; wall times include waiting for a core, CPU times do not).

### Small push (1 commit: 2 files edited, 1 added; $runs runs, median)

| what | wall, median | min | p90 | CPU, median |
|---|---|---|---|---|
| \`akgate pre-receive\` alone, as git runs it ($loose loose objects in quarantine) | **$hook_ms ms** | $hook_min ms | $hook_p90 ms | $hook_cpu_ms ms |
| \`/bin/true\` through the same harness (process start) | $true_ms ms | | | |
| \`akgate --version\` (akgate's own start: loading the binary) | $version_ms ms | | | $version_cpu_ms ms |
| \`git push\` (file://) into a repository without the hook | $plain_ms ms | | | |
| \`git push\` into a repository with the hook (\`akgate install --repo\`) | $hooked_ms ms | | | |
| added to the push by the hook | **$added_ms ms** | | | $added_cpu_ms ms |

Target: under 20 ms.

### Large push (a $commits-commit history into an empty repository)

History built by \`bench/hook_history.py\` in ${build_s} s: $commits commits, $blobs blobs,
$(mb "$blob_bytes") MB of blob content ($(mb "$pack_bytes") MB packed), from the text under /usr/include and
/usr/share (base snapshot, then edits, additions, deletions and moves). The hook
said: \`$summary_line\`.

| what | wall | CPU (user+sys) | peak RSS |
|---|---|---|---|
| \`git push\` without the hook (client and server) | $plain_wall s | $plain_cpu s | $plain_rss MB |
| \`git push\` with the hook | $hooked_wall s | $hooked_cpu s | $hooked_rss MB |
| the hook (\`akgate pre-receive\`) | $hook_wall s | $hook_cpu s | **$hook_rss MB** |
| **hook / push without the hook** | **$ratio_wall** | **$ratio_cpu** | |

Targets: hook / push at most 0.5 (goal 0.25); peak memory under 1 GB.
EOF
} | tee "$out/results.md"
note "finished $finished; results in $out/results.md"
