#!/usr/bin/env bash
# The README's first command: installs the dependencies, builds akgate, sets
# up a demo server repository with the hook (`akgate install --repo`), pushes
# the bundled sample project, which holds two fake Alibaba Cloud AccessKey
# pairs (rejected, with the report), fixes it and pushes again (accepted);
# then scans the same project with `akgate scan`.
#
#   bash install/demo.sh
#
# Needs only what it installs (`install/deps.sh build`: the tests' packages
# are not needed). AKGATE_BUILD_DIR: build directory instead of build/.
#
# Everything the demo creates lives in a temporary directory, removed at the
# end. Exits 0 when the demo behaved as it should (push rejected, fixed push
# accepted, the scan found the pairs and exited 1, "blocked"); non-zero when
# installing, building or any step failed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash install/deps.sh build
bash install/build.sh
akgate="${AKGATE_BUILD_DIR:-$root/build}/akgate"
shown="$akgate"
[[ "$akgate" != "$root"/* ]] || shown="./${akgate#"$root"/}"   # as typed from here

sample="examples/sample-project"

# --- the hook: a push with a key is refused, the fixed push goes through --------
demo="$(mktemp -d "${TMPDIR:-/tmp}/akgate-demo.XXXXXX")"
trap 'rm -rf "$demo"' EXIT
(
  set -euo pipefail
  fail() { echo "install/demo.sh: $*" >&2; exit 1; }
  step() { echo; echo "==> $*"; echo; }
  # A throwaway git identity and config; nothing of yours is read or changed.
  export HOME="$demo/home" GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
  mkdir -p "$HOME"
  git config --global user.name "Demo Developer"
  git config --global user.email "dev@example.com"
  git config --global init.defaultBranch main
  git config --global advice.detachedHead false
  printf '[audit]\nlog = "%s/audit.log"\n' "$demo" >"$demo/policy.toml"

  step "a server repository with the hook: akgate install --repo server/app.git"
  git init -q --bare "$demo/server/app.git"
  "$akgate" install --repo "$demo/server/app.git" --policy "$demo/policy.toml" |
    sed "s|$demo/||g"

  git clone -q "$demo/server/app.git" "$demo/laptop/app" 2>/dev/null
  cp -R "$sample/." "$demo/laptop/app/"
  git -C "$demo/laptop/app" add -A
  git -C "$demo/laptop/app" commit -q -m "Add the order sync service"
  step "git push   (the sample project: two fake Alibaba Cloud AccessKey pairs)"
  if git -C "$demo/laptop/app" push origin main 2>&1; then fail "the push with two AccessKey pairs was accepted"; fi

  step "fix it as the report says: key from settings, .env out of git, amend; git push"
  (
    cd "$demo/laptop/app"
    sed -i 's|AcsClient("LTAI[^"]*", "[^"]*",|AcsClient(settings.ACCESS_KEY_ID, settings.ACCESS_KEY_SECRET,|' app/sync.py
    git rm -q --cached .env
    echo ".env" >>.gitignore
    git add -A
    git commit -q --amend -m "Add the order sync service"
    git push origin main 2>&1
  ) || fail "the fixed push was rejected"
  echo
  echo "The hook refused the push with the keys and accepted the fixed one; each decision"
  echo "is one JSON line in its audit log. On a real server: install/README.md."
)   # (not `|| ...`: that would turn off set -e inside)

echo
echo "==> $shown scan $sample"
echo
status=0
"$akgate" scan "$sample" || status=$?
echo

case "$status" in
  1)
    echo "akgate exited 1: at least one finding blocks (0 = nothing blocks, 2 = error):"
    echo "the same check as the hook's, on files before they are committed."
    echo "The keys in $sample are random fakes; every secret above is redacted."
    echo "Machine-readable reports: --format json, --format sarif."
    ;;
  0)
    echo "install/demo.sh: akgate exited 0, but $sample holds two AccessKey pairs that must block" >&2
    exit 1
    ;;
  *)
    echo "install/demo.sh: akgate failed with exit code $status (2 = error; see the message above)" >&2
    exit 1
    ;;
esac
