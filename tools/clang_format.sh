#!/usr/bin/env bash
# Layout as .clang-format says, for every C++ file in the repository except
# the test and fuzz corpora.
#
#   bash tools/clang_format.sh          check: lists the files that differ, exits 1 if any
#   bash tools/clang_format.sh --fix    rewrites them in place
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fmt="$(command -v clang-format-14 || command -v clang-format || true)"
[[ -n "$fmt" ]] || { echo "tools/clang_format.sh: clang-format not found; run: bash install/deps.sh lint" >&2; exit 2; }

# Corpora are data: their line numbers are part of what the tests expect.
mapfile -t files < <(git ls-files '*.cc' '*.h' '*.cc.in' ':!:tests/corpus/**' ':!:fuzz/corpus/**')
case "${1:-}" in
  --fix) "$fmt" -i "${files[@]}"; echo "tools/clang_format.sh: formatted ${#files[@]} files" ;;
  "")
    bad=()
    for f in "${files[@]}"; do
      "$fmt" --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
    done
    if [[ ${#bad[@]} -gt 0 ]]; then
      printf 'tools/clang_format.sh: not formatted: %s\n' "${bad[@]}"
      echo "tools/clang_format.sh: run 'bash tools/clang_format.sh --fix'"
      exit 1
    fi
    echo "tools/clang_format.sh: ${#files[@]} files formatted as .clang-format says" ;;
  -h|--help) sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) echo "tools/clang_format.sh: unknown option '$1' (options: --fix)" >&2; exit 2 ;;
esac
