#!/usr/bin/env bash
# Under memory pressure the hook still ends, and never lets a secret through:
# `akgate pre-receive` runs on a real repository whose new commit holds an
# AccessKey pair, with a preloaded allocator (tests/tools/failing_alloc.cc,
# built next to akgate) failing the Nth allocation, for a spread of N over
# the whole run; then with every allocation failing from N on. Each run must
# exit within its bound and with a non-zero code (a rejection, or at worst a
# crash; never 0). Last, memory pressure as it comes (every block over 8 MiB
# fails) on a push with a 24 MiB file. The hook used to print its rejection
# after std::bad_alloc and then hang in libgit2's object database free, and
# git push hung with it (the build before this test: the last check, and one
# of the sweep's runs, hung).
#
#   AKGATE=build/akgate bash tests/hook/alloc_failure_test.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

preload="$(dirname "$AKGATE")/akgate-failing-alloc.so"
if [[ ! -f "$preload" ]]; then
  skip "allocation failures" "the failing allocator was not built next to $AKGATE (target akgate_failing_alloc)"
  finish
  exit $?
fi

# A server repository holding a new, unreferenced commit with a pair, packed:
# what pre-receive sees for a push of it to main (without a quarantine).
server="$(new_server server.git)"
work="$(new_clone "$server" work)"
commit_file "$work" README "hello" "Initial commit"
without_hook "$server" git -C "$work" push -q origin main
commit_file "$work" app.ini "$(alibaba_pair)" "Add config"
without_hook "$server" git -C "$work" push -q origin main:refs/heads/staging
old="$(git -C "$server" rev-parse main)"
new="$(git -C "$server" rev-parse staging)"
git -C "$server" repack -q -a -d  # packed, as a larger push arrives: akgate's pack reader reads it
git -C "$server" update-ref -d refs/heads/staging
printf '%s %s refs/heads/main\n' "$old" "$new" >"$TEST_TMP/stdin"
export AKGATE_CACHE_DIR="$TEST_TMP/cache"

hook_run() {  # hook_run [VAR=VALUE...]: the hook under the preloaded allocator, 20 s at most
  rc=0
  # (the braces keep bash's "Aborted" notes for crashed runs out of the log)
  { (cd "$server" && timeout -k 5 20 env GIT_DIR=. LD_PRELOAD="$preload" AKGATE_ALLOC_COUNT_FILE="$TEST_TMP/count" "$@" \
    "$AKGATE" pre-receive) <"$TEST_TMP/stdin" >"$TEST_TMP/.out" 2>"$TEST_TMP/.err" || rc=$?; } 2>/dev/null
  err="$(cat "$TEST_TMP/.err")"
}

hook_run  # once to fill the compiled-rules cache, as on a server; then counted
hook_run
check "without failures the hook rejects the pair" test "$rc" -eq 1
check "... and says so" grep -q "push REJECTED" <<<"$err"
total="$(cat "$TEST_TMP/count" 2>/dev/null || echo 0)"
check "the allocator counted the run's allocations ($total)" test "$total" -gt 100

# N: the first 40 allocations (start-up), then 100 points spread evenly over
# the run, then 30 points from which every allocation fails.
points=()
for ((n = 1; n <= 40; n++)); do points+=("$n once"); done
for ((i = 1; i <= 100; i++)); do points+=("$((40 + i * (total - 40) / 100)) once"); done
for ((i = 0; i < 30; i++)); do points+=("$((1 + i * total / 30)) after"); done

hung=() accepted=() rejected=0 crashed=0
for p in "${points[@]}"; do
  read -r n mode <<<"$p"
  after=0
  [[ "$mode" == after ]] && after=1
  hook_run AKGATE_FAIL_ALLOC_AT="$n" AKGATE_FAIL_ALLOC_AFTER="$after"
  case "$rc" in
    0) accepted+=("$n/$mode") ;;
    124|137) hung+=("$n/$mode") ;;
    1) rejected=$((rejected + 1)) ;;
    *) crashed=$((crashed + 1)) ;;
  esac
done
echo "    ${#points[@]} runs over $total allocations: $rejected rejected (exit 1), $crashed ended otherwise (non-zero)," \
  "${#hung[@]} hung, ${#accepted[@]} accepted"
check "no run hangs under a failed allocation (${hung[*]:-none})" test "${#hung[@]}" -eq 0
check "no run accepts the pair under a failed allocation (${accepted[*]:-none})" test "${#accepted[@]}" -eq 0
check "most runs still reject with their report" test "$rejected" -gt $(( ${#points[@]} / 2 ))

# Memory pressure as it comes: the large blocks run out first. A 24 MiB file
# with a pair, in a pack, and every allocation over 8 MiB failing: the pack
# reader's buffer for the file fails inside libgit2's read (the old hang).
commit_file "$work" data/big.txt "$(alibaba_pair; head -c 25165824 /dev/zero | tr '\0' 'x' | fold -w 100)" "Add data"
without_hook "$server" git -C "$work" push -q origin HEAD:refs/heads/staging
new="$(git -C "$server" rev-parse staging)"
git -C "$server" repack -q -a -d
git -C "$server" update-ref -d refs/heads/staging
printf '%s %s refs/heads/main\n' "$old" "$new" >"$TEST_TMP/stdin"
hook_run
check "the 24 MiB file is rejected with enough memory" test "$rc" -eq 1
started=$SECONDS
hook_run AKGATE_FAIL_ALLOC_ABOVE=8388608
check "with no block over 8 MiB to be had, the hook ends (exit $rc, $((SECONDS - started)) s)" \
  test "$rc" -ne 124 -a "$rc" -ne 137
check "... and rejects, saying the push could not be checked" test "$rc" -eq 1
check "... as its report says" grep -q "push REJECTED" <<<"$err"

finish
