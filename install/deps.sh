#!/usr/bin/env bash
# Installs akgate's Debian 12 dependencies with apt-get.
#
#   bash install/deps.sh [GROUP...]      GROUP: build test bench lint fuzz all (default: all)
#
# Idempotent: packages already installed are not touched, and when nothing is
# missing the script needs neither root nor the network. Otherwise it runs
# `apt-get update` once and installs what is missing, as root or through sudo.
#
# To add a group (the hook will bring openssh-server, the gateway nginx and
# fcgiwrap), add a `group_NAME` function below that prints its packages and
# name it in `all`.
set -euo pipefail

die() { echo "install/deps.sh: $*" >&2; exit 1; }

# --- groups: one package a line, with why ---------------------------------

group_build() {
  echo cmake ninja-build g++ pkg-config   # toolchain
  echo ccache                             # compiler cache shared by every build directory
  echo git                                # the hook reads pushes with git
  echo libre2-dev                         # rule regexes (confirm stage)
  hyperscan_package                       # literal prefilter: one Hyperscan pass over
                                          # every rule's literals is what gets the scan
                                          # to GB/s; RE2 then runs only near its hits
  echo libtomlplusplus-dev                # rules and config are TOML
  echo libgit2-dev                        # reading pushed objects
  echo libdeflate-dev                     # inflating pack objects: about twice zlib's
                                          # speed, and inflating is most of a large push's CPU
  echo libarchive-dev                     # compressed files and archives in a push (zip,
                                          # tar, gzip, 7z...) are opened and scanned
  echo libssl-dev                         # fingerprints (SHA-256)
  echo zlib1g-dev
  echo libboost-dev
  echo libspdlog-dev                      # logging
  echo libcli11-dev                       # command line
  echo libsqlite3-dev                     # the notification outbox (outbox/): durable, one file per host
  echo nlohmann-json3-dev                 # JSON and SARIF reports
  echo libsqlite3-dev                     # akgate verify: the answers of identity calls,
                                          # cached by fingerprint in one SQLite file
  echo libjemalloc-dev                    # the programs' allocator: reading a history
                                          # allocates a buffer per object; glibc's malloc
                                          # took 16% of the CPU, jemalloc cuts the whole
                                          # scan's CPU and peak memory by about 15%
}

group_test() {
  echo doctest-dev                        # unit tests
  echo python3                            # script tests validate JSON and SARIF
  echo nginx-light fcgiwrap               # gateway tests: git-http-backend upstream, load balancer
  echo apache2-utils                      # gateway tests: htpasswd (upstream basic auth)
  echo openssl curl                       # gateway tests: test CA, raw HTTP requests
  echo openssh-server openssh-client      # transport tests: pushes over ssh to a local sshd
                                          # (nginx-light, fcgiwrap: their smart-HTTP pushes)
  echo python3-botocore                   # verify tests: the fake AWS STS checks SigV4
                                          # with botocore's own signer, not akgate's
  echo git-lfs                            # hook tests: a real LFS push (objects land in the
                                          # server's lfs/objects before the hook runs)
  echo pre-commit                         # client hook tests: the pre-commit framework runs
                                          # .pre-commit-hooks.yaml (tests/cli/client_hooks_test.sh)
}

group_bench() {
  echo ripgrep                            # reference: rg with the same regexes
  echo hyperfine                          # timing whole commands
  echo time                               # /usr/bin/time -v: peak memory
  echo util-linux                         # taskset: pin to one core
  echo python3                            # corpus collection, rules.toml parsing
  echo git-secrets                        # peer in bench/detection_eval.sh --peers (secretlint
                                          # comes from npm: see that script's header)
}

group_lint() {
  echo clang-format-14                    # layout as .clang-format says (CI checks every file)
  echo clang-tidy-14                      # .clang-tidy's bug-finding checks (tools/clang_tidy.sh)
}

group_fuzz() {
  echo clang-14                           # libFuzzer targets (fuzz/, docs/fuzzing.md):
  echo libclang-rt-14-dev                 # -fsanitize=fuzzer,address,undefined runtimes
  echo llvm-14                            # llvm-symbolizer: crash stacks with file:line
}

group_all() { group_build; group_test; group_bench; group_lint; group_fuzz; }

# Debian ships Hyperscan for amd64 only; elsewhere its portable fork
# Vectorscan has the same API and pkg-config name (libhs).
hyperscan_package() {
  if [[ "$(dpkg --print-architecture)" == amd64 ]]; then
    echo libhyperscan-dev
  else
    echo libvectorscan-dev
  fi
}

# --- main ------------------------------------------------------------------

for tool in apt-get dpkg-query dpkg; do
  command -v "$tool" >/dev/null 2>&1 ||
    die "needs a Debian-based system ('$tool' not found)"
done

groups=("$@")
[[ ${#groups[@]} -gt 0 ]] || groups=(all)

wanted=()
for g in "${groups[@]}"; do
  declare -F "group_$g" >/dev/null || die "unknown group '$g' (groups: build test bench lint fuzz all)"
  # shellcheck disable=SC2207  # package names have no spaces
  wanted+=($("group_$g"))
done

installed() {
  [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

missing=()
declare -A seen=()
for p in "${wanted[@]}"; do
  [[ -z "${seen[$p]:-}" ]] || continue
  seen[$p]=1
  installed "$p" && continue
  # Either Hyperscan or Vectorscan satisfies the literal prefilter.
  if [[ "$p" == libhyperscan-dev || "$p" == libvectorscan-dev ]] &&
     { installed libhyperscan-dev || installed libvectorscan-dev; }; then
    continue
  fi
  missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install/deps.sh: all dependencies present (${groups[*]})"
  exit 0
fi

if [[ "$(id -u)" -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  die "missing packages (${missing[*]}) and not root; run as root or install sudo"
fi

echo "install/deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
  die "apt-get update failed"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
  --no-install-recommends "${missing[@]}" ||
  die "apt-get install failed for: ${missing[*]}"
echo "install/deps.sh: done"
