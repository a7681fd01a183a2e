#!/bin/bash
# tests/vm/run.sh [BATS_FILE...] — run bats files inside a cgroup-v2-only VM.
#
# Boots Debian's own kernel (downloaded with `apt-get download`, unpacked with `dpkg -x`, never
# installed) under qemu TCG with `cgroup_no_v1=all`.  The host's root filesystem is shared read-only
# over 9p and becomes the lower layer of an overlay whose upper layer is a tmpfs, so the VM sees the
# host's bash, bats, jq, the repo (same path) and the built hull binary without copying anything.
# bats' TAP output comes back on a second serial port (ttyS1 -> a file); the kernel/init console
# (ttyS0) is streamed to stderr.  Exit status: 0 only if bats ran every planned test and none failed.
#
# See tests/vm/README.md.  Environment knobs:
#   HULL_BINARY        hull binary (default: <repo>/build/src/hull); passed into the VM
#   HULL_VM_TIMEOUT    seconds before qemu is killed (default 900)
#   HULL_VM_MEM, HULL_VM_SMP, HULL_VM_CPU   guest memory, cpus, cpu model (2G, 2, qemu64: faster
#                      under TCG than "max")
#   HULL_VM_MODULES    extra kernel modules to load (names, with dependencies), e.g. "veth bridge"
#   HULL_VM_CMDLINE_EXTRA  appended to the guest kernel command line
#   HULL_VM_BATS_ARGS  extra bats options inside the VM (default --timing); BATS_FILTER is honoured
#   HULL_VM_CACHE      cache directory (default <repo>/tests/.cache/vm)
#   HULL_VM_QUIET=1    do not stream the VM console (it is still printed on failure)
#   HULL_VM_SHELL=1    debugging: instead of bats, start an interactive shell on the console
# Every variable named HULL_* or BATS_* in the caller's environment is exported inside the VM.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
# a clone under /tmp, /var/tmp or /run (where CI may put it) is hidden by the VM's own tmpfs
# mounts there: it is shared on its own and mounted back at the same path (tests/vm/init2)
case $REPO in /tmp/* | /var/tmp/* | /run/*) REPO_SHARE=1 ;; *) REPO_SHARE= ;; esac
CACHE=${HULL_VM_CACHE:-$REPO/tests/.cache/vm}
TIMEOUT=${HULL_VM_TIMEOUT:-900}
MEM=${HULL_VM_MEM:-2G}
SMP=${HULL_VM_SMP:-2}
CPU=${HULL_VM_CPU:-qemu64}
export HULL_BINARY=${HULL_BINARY:-$REPO/build/src/hull}
[ -e "$HULL_BINARY" ] && HULL_BINARY=$(realpath "$HULL_BINARY")
export HULL_SRC=${HULL_SRC:-$REPO}

log() { printf 'vm: %s\n' "$*" >&2; }
die() { printf 'vm: error: %s\n' "$*" >&2; exit 2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

T0=$(now)

# ---------------------------------------------------------------- arguments
[ $# -gt 0 ] || set -- "$REPO/tests/vm/smoke.bats"
FILES=()
for f in "$@"; do
	[ -e "$f" ] || die "no such bats file: $f"
	f=$(realpath "$f")
	case $f in "$REPO"/*) ;; # the repository is always visible (shared on its own when under /tmp)
	/tmp/* | /var/tmp/* | /run/* | /dev/* | /proc/* | /sys/*)
		die "$f: the VM mounts fresh filesystems on /tmp, /var/tmp, /run, /dev, /proc and /sys, so" \
			"it cannot see this file; put it elsewhere (e.g. under tests/.cache/)" ;;
	esac
	FILES+=("$f")
done
[ "$(id -u)" = 0 ] || die "must run as root (installs packages, reads the whole host root for 9p)"

# ---------------------------------------------------------------- host packages
apt_updated=
need_pkg() { # need_pkg COMMAND-OR-PATH PACKAGE
	if [ -e "$1" ] || command -v "$1" >/dev/null 2>&1; then return 0; fi
	log "installing $2"
	if [ -z "$apt_updated" ]; then apt-get update -qq >&2 || true; apt_updated=1; fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >&2 \
		|| die "apt-get install $2 failed"
}
need_pkg qemu-system-x86_64 qemu-system-x86
need_pkg /bin/busybox busybox-static
need_pkg bats bats
need_pkg jq jq
# the initramfs needs a *static* busybox; Debian's `busybox` package is dynamic
if ! grep -q 'not a dynamic' <<<"$(LC_ALL=C ldd /bin/busybox 2>&1)"; then
	need_pkg /nonexistent-force busybox-static
fi

# ---------------------------------------------------------------- kernel package (cached)
mkdir -p "$CACHE"
KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
if [ -z "$KPKG" ]; then
	apt-get update -qq >&2 || true
	KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
fi
[ -n "$KPKG" ] || die "cannot resolve linux-image-amd64 with apt-cache depends"
KVER=${KPKG#linux-image-}
KDIR=$CACHE/$KPKG
exec 9>"$CACHE/.lock"
flock 9 # concurrent runs: one fetches, the others wait
if [ ! -e "$KDIR/.done" ]; then
	log "fetching $KPKG"
	# drop kernels cached for an older linux-image-amd64
	rm -rf "$CACHE"/linux-image-* "$CACHE"/dl && mkdir -p "$CACHE/dl"
	( cd "$CACHE/dl" && chmod 777 . && apt-get download "$KPKG" >&2 ) || {
		apt-get update -qq >&2 || true
		( cd "$CACHE/dl" && apt-get download "$KPKG" >&2 ) || die "apt-get download $KPKG failed"
	}
	dpkg -x "$CACHE"/dl/"$KPKG"_*.deb "$KDIR.tmp"
	rm -rf "$CACHE/dl"
	mv "$KDIR.tmp" "$KDIR"
	touch "$KDIR/.done"
fi
VMLINUZ=$KDIR/boot/vmlinuz-$KVER
MODDIR=$KDIR/lib/modules/$KVER
if [ ! -f "$VMLINUZ" ] || [ ! -d "$MODDIR" ]; then die "unexpected layout in $KDIR"; fi
exec 9>&-

# ---------------------------------------------------------------- initramfs
WORK=$(mktemp -d /tmp/hull-vm.XXXXXX)
QEMU_PID=
TAIL_PID=
TAPTAIL_PID=
cleanup() {
	local rc=$?
	if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill -TERM "$QEMU_PID" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$QEMU_PID" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$QEMU_PID" 2>/dev/null || true
		wait "$QEMU_PID" 2>/dev/null || true
	fi
	local p
	for p in "$TAIL_PID" "$TAPTAIL_PID"; do
		if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
			kill "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM HUP

IRD=$WORK/initramfs
mkdir -p "$IRD"/{bin,dev,proc,sys,modules,newroot,rw}
cp /bin/busybox "$IRD/bin/busybox"

# resolve module dependencies from each .ko's modinfo "depends=" (no modules.dep in the package,
# and kmod may not be installed on the host); load order = dependencies first
declare -A MODFILE=() SEEN=()
while IFS= read -r -d '' ko; do
	b=${ko##*/}; b=${b%.ko*}; MODFILE[${b//-/_}]=$ko
done < <(find "$MODDIR/kernel" -name '*.ko*' -print0)
ORDER=()
add_mod() {
	local m=${1//-/_} ko deps d
	[ -n "${SEEN[$m]:-}" ] && return 0
	SEEN[$m]=1
	ko=${MODFILE[$m]:-}
	if [ -z "$ko" ]; then
		grep -q "/$m.ko" "$MODDIR/modules.builtin" 2>/dev/null && return 0
		die "module $m not found in $KPKG"
	fi
	case $ko in
	*.ko) cp "$ko" "$IRD/modules/$m.ko" ;;
	*.ko.xz) xz -dc "$ko" >"$IRD/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$ko" >"$IRD/modules/$m.ko" ;;
	*.ko.gz) gzip -dc "$ko" >"$IRD/modules/$m.ko" ;;
	*) die "unknown module format: $ko" ;;
	esac
	deps=$(tr '\0' '\n' <"$IRD/modules/$m.ko" | sed -n 's/^depends=//p' | head -n1)
	for d in ${deps//,/ }; do add_mod "$d"; done
	ORDER+=("$m")
}
for m in virtio_pci 9pnet_virtio 9p overlay ${HULL_VM_MODULES:-}; do add_mod "$m"; done
printf '%s\n' "${ORDER[@]}" >"$IRD/modules/order"

# environment for the tests inside the VM
{
	printf 'export HULL_VM=1\n'
	printf 'export HULL_VM_REPO=%q\n' "$REPO"
	printf 'HULL_VM_REPO_SHARE=%q\n' "$REPO_SHARE"
	printf 'export HULL_VM_KERNEL=%q\n' "$KPKG"
	while IFS='=' read -r -d '' k v; do
		case $k in HULL_*|BATS_*) printf 'export %s=%q\n' "$k" "$v" ;; esac
	done < <(env -0)
	printf 'set --'; printf ' %q' "${FILES[@]}"; printf '\n'
	[ "${HULL_VM_SHELL:-}" = 1 ] && printf 'HULL_VM_SHELL=1\n'
} >"$IRD/env"
cp "$REPO/tests/vm/init" "$IRD/init"
cp "$REPO/tests/vm/init2" "$IRD/init2"
chmod 0755 "$IRD/init" "$IRD/init2"
( cd "$IRD" && find . | busybox cpio -o -H newc 2>/dev/null ) | gzip -1 >"$WORK/initramfs.gz"

T_PREP=$(now)
log "kernel $KPKG, initramfs $(du -k "$WORK/initramfs.gz" | cut -f1) KiB, modules: ${ORDER[*]} (prep $(elapsed "$T0" "$T_PREP") s)"

# ---------------------------------------------------------------- boot
: >"$WORK/console.log"
: >"$WORK/tap.out"
CMDLINE="console=ttyS0 cgroup_no_v1=all panic=-1 oops=panic quiet loglevel=3 rdinit=/init"
# mitigations=off: without it every syscall switches page tables (PTI), which flushes qemu's
# software TLB under TCG; fork/exec gets ~4x faster with it
CMDLINE+=" mitigations=off nokaslr tsc=reliable no_timer_check ${HULL_VM_CMDLINE_EXTRA:-}"
# shellcheck disable=SC2054 # the commas are qemu's
QEMU=(qemu-system-x86_64 -accel tcg -cpu "$CPU" -m "$MEM" -smp "$SMP"
	-nographic -nodefaults -no-reboot -monitor none
	-kernel "$VMLINUZ" -initrd "$WORK/initramfs.gz" -append "$CMDLINE"
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
	-device virtio-rng-pci)
[ -n "$REPO_SHARE" ] && QEMU+=(-virtfs "local,path=$REPO,mount_tag=repo,security_model=none,multidevs=remap")
if [ "${HULL_VM_SHELL:-}" = 1 ]; then
	rc=0
	timeout --foreground "$TIMEOUT" "${QEMU[@]}" -serial mon:stdio -serial "file:$WORK/tap.out" || rc=$?
	exit "$rc"
fi
"${QEMU[@]}" -serial "file:$WORK/console.log" -serial "file:$WORK/tap.out" </dev/null >"$WORK/qemu.out" 2>&1 &
QEMU_PID=$!
if [ "${HULL_VM_QUIET:-}" != 1 ]; then
	tail -s 0.2 -n +1 -f --pid="$QEMU_PID" "$WORK/console.log" \
		> >(sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r$//; s/^/vm| /' >&2) 2>/dev/null &
	TAIL_PID=$!
fi
# the TAP stream, live, on stdout
tail -s 0.2 -n +1 -f --pid="$QEMU_PID" "$WORK/tap.out" > >(sed -u 's/\r$//; /^hull-vm: /d') 2>/dev/null &
TAPTAIL_PID=$!

T_BOOT=
timed_out=
deadline=$(( $(date +%s) + TIMEOUT ))
while kill -0 "$QEMU_PID" 2>/dev/null; do
	if [ -z "$T_BOOT" ] && grep -q 'hull-vm: ready' "$WORK/console.log" 2>/dev/null; then
		T_BOOT=$(now)
	fi
	if [ "$(date +%s)" -ge "$deadline" ]; then
		timed_out=1
		log "timeout after ${TIMEOUT}s, killing qemu (pid $QEMU_PID)"
		kill -KILL "$QEMU_PID" 2>/dev/null || true
		break
	fi
	sleep 0.2
done
qrc=0
wait "$QEMU_PID" || qrc=$?
QEMU_PID=
# tail --pid notices qemu's exit within 0.2 s and prints what is left
for p in "$TAIL_PID" "$TAPTAIL_PID"; do
	[ -n "$p" ] || continue
	for _ in $(seq 30); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	kill "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
done
TAIL_PID='' TAPTAIL_PID=
T_END=$(now)
[ -n "$T_BOOT" ] || { grep -q 'hull-vm: ready' "$WORK/console.log" && T_BOOT=$T_END; } || true

# ---------------------------------------------------------------- result
tr -d '\r' <"$WORK/tap.out" >"$WORK/tap"
plan=$(sed -n 's/^1\.\.\([0-9]\+\)$/\1/p' "$WORK/tap" | head -n1)
passed=$(grep -c '^ok ' "$WORK/tap" || true)
failed=$(grep -c '^not ok ' "$WORK/tap" || true)
skipped=$(grep -c '^ok .* # [Ss][Kk][Ii][Pp]' "$WORK/tap" || true)
passed=$((passed - skipped))
brc=$(sed -n 's/^hull-vm: bats exit \([0-9]\+\)$/\1/p' "$WORK/tap" | tail -n1)

ok=1
why=()
[ -n "$timed_out" ] && { ok=0; why+=("timed out after ${TIMEOUT}s"); }
[ -z "$brc" ] && { ok=0; why+=("no bats exit status from the VM (qemu rc $qrc)"); }
[ -n "$brc" ] && [ "$brc" != 0 ] && { ok=0; why+=("bats exited $brc"); }
[ -z "$plan" ] && { ok=0; why+=("no TAP plan"); }
[ -n "$plan" ] && [ $((passed + failed + skipped)) -ne "$plan" ] && { ok=0; why+=("plan 1..$plan but $((passed + failed + skipped)) results"); }
[ "$failed" -gt 0 ] && ok=0

if [ "$ok" != 1 ] && [ "${HULL_VM_QUIET:-}" = 1 ]; then
	log "VM console:"; sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g; s/\r$//; s/^/vm| /' "$WORK/console.log" >&2
fi
[ -s "$WORK/qemu.out" ] && sed 's/^/qemu: /' "$WORK/qemu.out" >&2

if [ -n "$T_BOOT" ]; then
	log "timings: prepare $(elapsed "$T0" "$T_PREP") s, boot to test start $(elapsed "$T_PREP" "$T_BOOT") s, tests $(elapsed "$T_BOOT" "$T_END") s, total $(elapsed "$T0" "$T_END") s"
else
	log "timings: prepare $(elapsed "$T0" "$T_PREP") s, the VM never became ready, total $(elapsed "$T0" "$T_END") s"
fi
for w in "${why[@]}"; do log "FAILED: $w"; done
# a missing result counts as a failure so that the summary line never says "0 failed" on a broken run
[ "$ok" = 1 ] || [ "$failed" -gt 0 ] || failed=$(( ${plan:-1} > passed + skipped ? ${plan:-1} - passed - skipped : 1 ))
echo "$passed passed, $failed failed, $skipped skipped"
[ "$ok" = 1 ]
