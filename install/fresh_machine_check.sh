#!/usr/bin/env bash
# Runs the README's quick start on a fresh Debian 12 root: debootstrap builds a
# clean bookworm from Debian's mirror, this repository is cloned into it, and
# the README's two commands run inside it (chroot, as root) exactly as written:
#
#   bash install/demo.sh
#   bash tests/run.sh
#
# CI runs on a machine that already has every package, so it cannot see what a
# fresh machine lacks; run this whenever install steps change (not part of CI:
# it downloads a Debian system, and takes tens of minutes on 2 cores).
#
#   sudo bash install/fresh_machine_check.sh [--dir DIR] [--mirror URL] [--keep]
#
#   --dir DIR     work directory (default /var/tmp/akgate-fresh). The debootstrap
#                 result is kept there as base.tar and reused by later runs;
#                 delete it to start from the mirror again.
#   --mirror URL  Debian mirror (default http://deb.debian.org/debian)
#   --keep        keep the run's root afterwards (DIR/root) to look around
#
# What is cloned is the repository's committed HEAD (what a fresh clone
# holds), not uncommitted changes. Needs root (debootstrap, chroot, mounts)
# and debootstrap (apt-get install debootstrap). The chroot shares the host's
# network (the tests' servers listen on loopback ports they pick); services
# that packages would start at install time are held back with policy-rc.d,
# as in any chroot, so nothing binds the host's port 80 or 22.
#
# Prints each command's exit code, minutes and closing line, and exits 0 only
# when both commands exited 0.
set -euo pipefail

die() { echo "install/fresh_machine_check.sh: $*" >&2; exit 2; }

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=/var/tmp/akgate-fresh
mirror=http://deb.debian.org/debian
keep=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) work="${2:?--dir needs a directory}"; shift 2 ;;
    --mirror) mirror="${2:?--mirror needs a URL}"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,29p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (options: --dir DIR, --mirror URL, --keep)" ;;
  esac
done

[[ "$(id -u)" -eq 0 ]] || die "needs root (debootstrap, chroot, mounts); run it with sudo"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap not found; run: apt-get install debootstrap"
git -C "$repo" rev-parse HEAD >/dev/null 2>&1 || die "$repo is not a git clone"

mkdir -p "$work"
base="$work/base.tar"
root="$work/root"
logs="$work/logs"
minutes() { awk -v s="$1" -v e="$(date +%s)" 'BEGIN { printf "%.1f", (e - s) / 60 }'; }

# --- a clean Debian 12 root ----------------------------------------------------
if [[ ! -f "$base" ]]; then
  echo "==> debootstrap bookworm from $mirror (kept as $base)"
  start=$(date +%s)
  rm -rf "$work/base"
  debootstrap --arch="$(dpkg --print-architecture)" bookworm "$work/base" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    die "debootstrap failed; see $work/debootstrap.log"
  # The suites a Debian 12 installer configures, not only the release itself.
  cat >"$work/base/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  tar -C "$work/base" -cf "$base.tmp" . && mv "$base.tmp" "$base"
  rm -rf "$work/base"
  echo "    $(minutes "$start") min"
fi

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
  done
  if [[ "$keep" -eq 0 ]]; then rm -rf "$root"; else echo "kept: $root"; fi
}
trap cleanup EXIT
mount_in() {   # mount_in TARGET MOUNT-ARGS...
  local target="$root$1"; shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")
}

echo "==> a fresh root from $base"
rm -rf "$root"
mkdir -p "$root" "$logs"
tar -C "$root" -xf "$base"
cp /etc/resolv.conf "$root/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount_in /proc -t proc proc
mount_in /sys -t sysfs sysfs
mount_in /dev --bind /dev
mount_in /dev/pts --bind /dev/pts
mount_in /dev/shm -t tmpfs tmpfs
mount_in /run -t tmpfs tmpfs
mount_in /tmp -t tmpfs tmpfs

echo "==> git clone $repo (HEAD $(git -C "$repo" rev-parse --short HEAD)) into /root/akgate"
git clone -q --no-hardlinks "$repo" "$root/root/akgate"

# --- the README's two commands, each in a clean login environment ----------------
status=0
for cmd in "bash install/demo.sh" "bash tests/run.sh"; do
  name="${cmd##* }"; name="${name//\//_}"
  echo
  echo "==> in the fresh root, /root/akgate: $cmd   (log: $logs/$name.log)"
  start=$(date +%s)
  rc=0
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "cd /root/akgate && $cmd" 2>&1 | tee "$logs/$name.log" || rc=$?
  echo "<== $cmd: exit $rc, $(minutes "$start") min; last line: $(tail -n 1 "$logs/$name.log")"
  summary+=("$cmd: exit $rc, $(minutes "$start") min")
  [[ "$rc" -eq 0 ]] || status=1
done

echo
printf '%s\n' "${summary[@]}"
exit "$status"
