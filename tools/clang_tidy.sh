#!/usr/bin/env bash
# clang-tidy (the checks in .clang-tidy) over akgate's sources.
#
#   bash tools/clang_tidy.sh                 the .cc files changed in the last commit
#                                            and in the work tree (what CI checks)
#   bash tools/clang_tidy.sh --since REV     the .cc files changed since REV
#   bash tools/clang_tidy.sh --all           every .cc file (a few minutes on 2 cores)
#   bash tools/clang_tidy.sh FILE...         these files
#
# A header is checked through the .cc files that include it; a changed header
# brings in the .cc files of its own directory. Uses build/compile_commands.json
# (install/build.sh makes it). Clang 14 with Boost 1.74 needs BOOST_ASIO_HAS_CO_AWAIT
# and BOOST_ASIO_HAS_STD_COROUTINE to see Asio's coroutines (the gateway).
# Exits non-zero when any check fires (WarningsAsErrors in .clang-tidy).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build_dir="${AKGATE_BUILD_DIR:-$root/build}"
tidy="$(command -v clang-tidy-14 || command -v clang-tidy || true)"
[[ -n "$tidy" ]] || { echo "tools/clang_tidy.sh: clang-tidy not found; run: bash install/deps.sh lint" >&2; exit 2; }
[[ -f "$build_dir/compile_commands.json" ]] ||
  { echo "tools/clang_tidy.sh: no $build_dir/compile_commands.json; run: bash install/build.sh" >&2; exit 2; }

source_dirs='^(cli|config|doctor|engine|gate|gateway|git|hook|installer|notify|outbox|policy|report|verify)/'
changed_since() {  # REV: changed files since REV plus the work tree's changes
  { git diff --name-only "$1" -- ; git diff --name-only HEAD -- ; git ls-files --others --exclude-standard; } |
    sort -u | grep -E "$source_dirs" | grep -E '\.(cc|h)$' || true
}

files=()
case "${1:-}" in
  --all) mapfile -t files < <(git ls-files | grep -E "$source_dirs" | grep -E '\.cc$') ;;
  --since) mapfile -t files < <(changed_since "${2:?--since needs a revision}") ;;
  "") base=HEAD~1; git rev-parse -q --verify HEAD~1 >/dev/null || base=HEAD
      mapfile -t files < <(changed_since "$base") ;;
  -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) files=("$@") ;;
esac

# Headers -> the .cc files of their directory.
units=()
for f in "${files[@]}"; do
  [[ -f "$f" ]] || continue
  if [[ "$f" == *.h ]]; then
    for cc in "$(dirname "$f")"/*.cc; do [[ -f "$cc" ]] && units+=("$cc"); done
  else
    units+=("$f")
  fi
done
mapfile -t units < <(printf '%s\n' "${units[@]}" | sort -u | grep . || true)
# Only files the build compiles (the compile database knows them).
known=()
for u in "${units[@]}"; do
  grep -qF "\"$root/$u\"" "$build_dir/compile_commands.json" && known+=("$u")
done
if [[ ${#known[@]} -eq 0 ]]; then
  echo "tools/clang_tidy.sh: no changed source file to check"
  exit 0
fi

echo "tools/clang_tidy.sh: checking ${#known[@]} file(s) with $(basename "$tidy")"
printf '%s\n' "${known[@]}" |
  xargs -P "$(nproc)" -n 4 "$tidy" -p "$build_dir" --quiet \
    --extra-arg=-Wno-unknown-warning-option \
    --extra-arg=-DBOOST_ASIO_HAS_CO_AWAIT --extra-arg=-DBOOST_ASIO_HAS_STD_COROUTINE
echo "tools/clang_tidy.sh: clean"
