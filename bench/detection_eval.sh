#!/usr/bin/env bash
# Detection quality: recall and precision of akgate (and, with --peers, of
# git-secrets and secretlint) on the labelled corpus that
# bench/detection_corpus.py generates from the providers' documented formats.
# The corpus is written to a temporary directory and removed afterwards
# (--keep DIR keeps it there): its keys are fake but key-shaped, never commit
# them. Prints the tables of docs/benchmarks.md ("Detection quality"): per
# class (must block, must warn, must pass), per provider, every miss and every
# false finding (paths, settings and rule ids; never a secret).
#
#   bash bench/detection_eval.sh [--akgate PATH] [--seed N] [--keep DIR]
#                                [--peers] [--seeds N] [--time DIR]
#
#   --peers     also run git-secrets (Debian package git-secrets, with its AWS
#               patterns, `git secrets --register-aws`) and secretlint with
#               @secretlint/secretlint-rule-preset-recommend, if installed
#   --seeds N   also run akgate on N more corpora (seeds 1..N) and print the
#               totals (the other corpora differ in every random value)
#   --time DIR  time each tool over DIR (e.g. /usr/include) with
#               /usr/bin/time -v: wall, CPU (user+sys), peak RSS, files flagged
#
# Peers, installed by hand (not by install/deps.sh: secretlint comes from npm):
#   apt-get install -y git-secrets
#   npm install --prefix /tmp/secretlint secretlint @secretlint/secretlint-rule-preset-recommend
# ($PEER_TIME_LIMIT: seconds secretlint may take over --time DIR, default 1800;
# $SECRETLINT names another secretlint binary; default
# /tmp/secretlint/node_modules/.bin/secretlint.) gitleaks, TruffleHog, ggshield
# and detect-secrets are not packaged for Debian 12 and their npm wrappers
# download binaries at install time, so they are not run here.
set -euo pipefail

die() { echo "bench/detection_eval.sh: $*" >&2; exit 1; }
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
akgate="$root/build/akgate"
seed=20261203
keep=""
peers=0
time_dir=""
seeds=0
peer_limit="${PEER_TIME_LIMIT:-1800}"  # seconds a peer may take over --time DIR
secretlint="${SECRETLINT:-/tmp/secretlint/node_modules/.bin/secretlint}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --akgate) akgate="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --peers) peers=1; shift ;;
    --time) time_dir="$2"; shift 2 ;;
    --seeds) seeds="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1'" ;;
  esac
done
[[ -x "$akgate" ]] || die "no akgate at $akgate (build: bash install/build.sh)"
akgate="$(cd "$(dirname "$akgate")" && pwd)/$(basename "$akgate")"

work="$(mktemp -d /tmp/akgate-detection.XXXXXX)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
if [[ -n "$keep" ]]; then
  corpus="$keep"
  [[ ! -e "$corpus" ]] || [[ -z "$(ls -A "$corpus")" ]] || die "$corpus is not empty"
else
  corpus="$work/corpus"
fi
python3 "$root/bench/detection_corpus.py" --out "$corpus" --seed "$seed"
corpus="$(cd "$corpus" && pwd)"

have_git_secrets=0
have_secretlint=0
if [[ $peers == 1 ]]; then
  if git secrets --help >/dev/null 2>&1 || command -v git-secrets >/dev/null 2>&1; then have_git_secrets=1
  else echo "git-secrets not installed (apt-get install -y git-secrets): left out" >&2; fi
  if [[ -x "$secretlint" ]]; then have_secretlint=1
  else echo "secretlint not at $secretlint: left out" >&2; fi
fi
# git-secrets reads its patterns from git config: a private HOME with the AWS
# patterns registered globally, so no repository is needed (--no-index).
gs_home="$work/gs-home"
if [[ $have_git_secrets == 1 ]]; then
  mkdir -p "$gs_home"
  HOME="$gs_home" GIT_CONFIG_NOSYSTEM=1 git secrets --register-aws --global >/dev/null
fi
echo '{"rules":[{"id":"@secretlint/secretlint-rule-preset-recommend"}]}' >"$work/secretlintrc.json"

# --- each tool's findings as [{path, action, rule}] ----------------------------------------
run_akgate() {  # DIR OUT_JSON
  (cd "$1" && "$akgate" scan --format json -j 2 .) >"$work/ak.raw.json" || [[ $? == 1 ]] ||
    die "akgate scan failed"
  python3 - "$work/ak.raw.json" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
json.dump([{"path": f["path"], "action": f["action"], "rule": f["rule"]} for f in d["findings"]], open(sys.argv[2], "w"))
PY
}
run_git_secrets() {  # DIR OUT_JSON
  # one line per match, path:line:text; only the path is kept (the text is the secret)
  (cd "$1" || exit 1; find . -type f ! -name manifest.json -print0 |
     HOME="$gs_home" GIT_CONFIG_NOSYSTEM=1 xargs -0 git secrets --scan --no-index 2>&1 || true) |
    python3 -c '
import json, os, sys
out = []
for line in sys.stdin:
    p = line.split(":", 1)[0]
    if ":" in line and os.path.isfile(os.path.join(sys.argv[1], p)):
        out.append({"path": p, "action": "block", "rule": "git-secrets"})
json.dump(out, open(sys.argv[2], "w"))' "$1" "$2"
}
run_secretlint() {  # DIR OUT_JSON
  (cd "$1" || exit 1; "$secretlint" --secretlintrc "$work/secretlintrc.json" --format json "**/*" >"$work/sl.raw.json" 2>"$work/sl.err" || true)
  python3 - "$work/sl.raw.json" "$1" "$2" <<'PY'
import json, os, sys
d = json.load(open(sys.argv[1]))
out = []
for f in d:
    for m in f["messages"]:
        out.append({"path": os.path.relpath(f["filePath"], sys.argv[2]), "action": "block",
                    "rule": m["ruleId"].replace("@secretlint/secretlint-rule-", "")})
json.dump(out, open(sys.argv[3], "w"))
PY
}

tools=("akgate=$work/akgate.json")
run_akgate "$corpus" "$work/akgate.json"
if [[ $have_git_secrets == 1 ]]; then
  run_git_secrets "$corpus" "$work/git-secrets.json"
  tools+=("git-secrets=$work/git-secrets.json")
fi
if [[ $have_secretlint == 1 ]]; then
  run_secretlint "$corpus" "$work/secretlint.json"
  tools+=("secretlint=$work/secretlint.json")
fi

echo "## Detection quality: $("$akgate" --version) on $(date -u +'%Y-%m-%d %H:%M UTC'), seed $seed"
echo
python3 "$root/bench/detection_score.py" "$corpus" "${tools[@]}"
echo
echo "Providers with must-block cases:"
python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(", ".join(m["providers"]["block"]))' "$corpus/manifest.json"

# --- more seeds (akgate only) ----------------------------------------------------------------
if [[ $seeds -gt 0 ]]; then
  : >"$work/totals"
  for ((s = 1; s <= seeds; s++)); do
    python3 "$root/bench/detection_corpus.py" --out "$work/seed-$s" --seed "$s" 2>/dev/null
    run_akgate "$work/seed-$s" "$work/seed-$s.json"
    DETECTION_SCORE_TOTALS="$work/totals" python3 "$root/bench/detection_score.py" "$work/seed-$s" \
      "akgate=$work/seed-$s.json" >"$work/seed-$s.report"
    grep -E '^  (block|warn|pass) ' "$work/seed-$s.report" | sed "s/^/  seed $s: /" || true
    rm -rf "$work/seed-$s"
  done
  echo
  echo "### akgate over $seeds more corpora (seeds 1..$seeds)"
  echo
  awk '{ bn += $2; bb += $3; wn += $4; wf += $5; wb += $6; pn += $7; pb += $8; pr += $9; g += $10; nb += $11 }
       END { printf "| must-block recall | %.2f%% (%d/%d) |\n| must-warn recall | %.2f%% (%d/%d), %d over-blocked |\n| must-pass | %d blocked, %d reported of %d |\n| precision of blocking findings | %.2f%% (%d/%d) |\n",
             100 * bb / bn, bb, bn, 100 * wf / wn, wf, wn, wb, pb, pr, pn, 100 * g / nb, g, nb }' "$work/totals"
fi

# --- time over a real directory -------------------------------------------------------------
if [[ -n "$time_dir" ]]; then
  [[ -d "$time_dir" ]] || die "$time_dir is not a directory"
  tv() {  # TIME_FILE -> "wall cpu rss"
    python3 - "$1" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([0-9:.]+)", t).group(1)
secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
cpu = float(re.search(r"User time \(seconds\): ([0-9.]+)", t).group(1)) + float(re.search(r"System time \(seconds\): ([0-9.]+)", t).group(1))
rss = int(re.search(r"Maximum resident set size \(kbytes\): ([0-9]+)", t).group(1)) / 1024
print("%.2f %.2f %.0f" % (secs, cpu, rss))
PY
  }
  files="$(find "$time_dir" -type f | wc -l)"
  mb="$(du -sm "$time_dir" | cut -f1)"
  echo
  echo "### Time over $time_dir ($files files, $mb MB), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| tool | command | wall (s) | CPU user+sys (s) | peak RSS (MiB) | files flagged |"
  echo "|---|---|---:|---:|---:|---:|"
  /usr/bin/time -v -o "$work/t.ak" "$akgate" scan --format json -j 2 "$time_dir" >"$work/tak.json" || [[ $? == 1 ]] || true
  read -r w c r < <(tv "$work/t.ak")
  n="$(python3 -c 'import json,sys; print(len({f["path"] for f in json.load(open(sys.argv[1]))["findings"]}))' "$work/tak.json")"
  echo "| akgate | \`akgate scan -j 2 DIR\` | $w | $c | $r | $n |"
  if [[ $have_git_secrets == 1 ]]; then
    (cd "$time_dir" || exit 1; HOME="$gs_home" GIT_CONFIG_NOSYSTEM=1 /usr/bin/time -v -o "$work/t.gs" \
       sh -c 'find . -type f -print0 | xargs -0 git secrets --scan --no-index' >"$work/tgs.out" 2>&1 || true)
    read -r w c r < <(tv "$work/t.gs")
    n="$({ grep -o '^\./[^:]*:[0-9]*:' "$work/tgs.out" || true; } | cut -d: -f1 | sort -u | wc -l)"
    echo "| git-secrets (AWS patterns) | \`find DIR -type f \| xargs git secrets --scan --no-index\` | $w | $c | $r | $n |"
  fi
  if [[ $have_secretlint == 1 ]]; then
    sl_rc=0
    (cd "$time_dir" && /usr/bin/time -v -o "$work/t.sl" timeout "$peer_limit" "$secretlint" \
       --secretlintrc "$work/secretlintrc.json" --format json "**/*" >"$work/tsl.json" 2>"$work/tsl.err") || sl_rc=$?
    read -r w c r < <(tv "$work/t.sl")
    if [[ $sl_rc == 124 ]]; then
      n="did not finish in ${peer_limit} s (stopped)"
    else
      n="$(python3 -c 'import json,sys
try: print(sum(1 for f in json.load(open(sys.argv[1])) if f["messages"]))
except Exception as e: print("error: %s" % type(e).__name__)' "$work/tsl.json")"
    fi
    echo "| secretlint (recommended preset) | \`secretlint \"**/*\"\` in DIR | $w | $c | $r | $n |"
  fi
fi
