#!/bin/bash
# tests/run.sh [SUITE...]: install missing dependencies, build, and run the test suites.
#
# Suites:  unit         C unit tests (meson test --suite unit)
#          integration  bats over tests/integration/*.bats   (integration:NAME runs only NAME.bats)
#          NAME         tests/suites/NAME.sh, which ends its output with "N passed, N failed"
#                       and exits non-zero on failure
# No argument runs unit, integration and every tests/suites/*.sh containing a line "# default: yes".
# The last line printed is "N passed, N failed[, N skipped]"; the exit status is non-zero if anything
# failed.
#
# Environment: HULL_BUILD_DIR (default build), HULL_BINARY (default $HULL_BUILD_DIR/src/hull),
# HULL_SKIP_DEPS=1 (do not check/install packages), HULL_SKIP_BUILD=1 (use the existing build),
# BATS_FILTER (regex passed to bats --filter), HULL_CMD_TIMEOUT (seconds per hull command, 120).
set -uo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$SRC" || exit 1
BUILD_DIR=${HULL_BUILD_DIR:-build}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$SRC/$BUILD_DIR" ;; esac

PASSED=0 FAILED=0 SKIPPED=0
FAILED_SUITES=()

log() { printf '==> %s\n' "$*" >&2; }

finish() {
	local line="$PASSED passed, $FAILED failed"
	[ "$SKIPPED" -gt 0 ] && line+=", $SKIPPED skipped"
	[ ${#FAILED_SUITES[@]} -gt 0 ] && log "failures in: ${FAILED_SUITES[*]}"
	echo "$line"
	[ "$FAILED" -eq 0 ]
	exit $?
}

fail_setup() {
	log "$*"
	FAILED=$((FAILED + 1))
	FAILED_SUITES+=("setup")
	finish
}

# ---- 1. dependencies -------------------------------------------------------------------------
PACKAGES=(meson ninja-build pkg-config gcc libc6-dev libseccomp-dev libcap-dev libyajl-dev
	busybox-static bats bats-assert bats-support jq go-md2man iproute2 util-linux procps uidmap)

install_deps() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		log "missing packages: ${missing[*]} (run as root to install them)"
		return 1
	fi
	log "installing: ${missing[*]}"
	# Wait for another apt/dpkg run instead of failing on its lock.
	local apt=(apt-get -o DPkg::Lock::Timeout=600 -q)
	DEBIAN_FRONTEND=noninteractive "${apt[@]}" update &&
		DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${missing[@]}"
}

if [ "${HULL_SKIP_DEPS:-}" != 1 ]; then
	install_deps || fail_setup "installing dependencies failed"
fi

# ---- 2. build ----------------------------------------------------------------------------------
if [ "${HULL_SKIP_BUILD:-}" = 1 ]; then
	log "HULL_SKIP_BUILD=1: using the existing build in $BUILD_DIR"
else
	if [ ! -f "$BUILD_DIR/build.ninja" ]; then
		log "meson setup $BUILD_DIR"
		meson setup "$BUILD_DIR" >&2 || fail_setup "meson setup failed"
	fi
	log "ninja -C $BUILD_DIR"
	ninja -C "$BUILD_DIR" >&2 || fail_setup "build failed"
fi

export HULL_BINARY=${HULL_BINARY:-$BUILD_DIR/src/hull}
export HULL_PAYLOAD="$BUILD_DIR/tests/helpers/hull-payload"
export HULL_RECVTTY="$BUILD_DIR/tests/helpers/recvtty"
export HULL_SRC="$SRC"

# ---- 3. rootfs fixture -------------------------------------------------------------------------
export HULL_ROOTFS_CACHE="$SRC/tests/.cache/rootfs"
rootfs_stale() {
	[ -x "$HULL_ROOTFS_CACHE/bin/busybox" ] || return 0
	[ "$SRC/tests/lib/make-rootfs.sh" -nt "$HULL_ROOTFS_CACHE" ] && return 0
	[ -f "$HULL_PAYLOAD" ] && ! cmp -s "$HULL_PAYLOAD" "$HULL_ROOTFS_CACHE/bin/hull-payload" && return 0
	return 1
}
if rootfs_stale; then
	log "building rootfs fixture in $HULL_ROOTFS_CACHE"
	mkdir -p "$(dirname "$HULL_ROOTFS_CACHE")"
	"$SRC/tests/lib/make-rootfs.sh" "$HULL_ROOTFS_CACHE" "$HULL_PAYLOAD" || fail_setup "building the rootfs failed"
fi

# ---- 4. suites ---------------------------------------------------------------------------------
record() { # record SUITE PASSED FAILED SKIPPED RC
	local suite=$1 p=$2 f=$3 s=$4 rc=$5
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		log "$suite exited with status $rc without reporting a failed test; counting one failure"
		f=1
	fi
	PASSED=$((PASSED + p)) FAILED=$((FAILED + f)) SKIPPED=$((SKIPPED + s))
	[ "$f" -gt 0 ] && FAILED_SUITES+=("$suite")
	log "$suite: $p passed, $f failed, $s skipped"
}

run_unit() {
	local out rc
	out=$(mktemp)
	meson test -C "$BUILD_DIR" --suite unit --print-errorlogs 2>&1 | tee "$out" >&2
	rc=${PIPESTATUS[0]}
	local ok xfail fail upass timeout skip
	num() { sed -n "s/^$1:[[:space:]]*\([0-9][0-9]*\)[[:space:]]*\$/\1/p" "$out" | tail -1; }
	ok=$(num Ok) xfail=$(num 'Expected Fail') fail=$(num Fail) upass=$(num 'Unexpected Pass')
	timeout=$(num Timeout) skip=$(num Skipped)
	rm -f "$out"
	record unit $((${ok:-0} + ${xfail:-0})) $((${fail:-0} + ${upass:-0} + ${timeout:-0})) "${skip:-0}" "$rc"
}

run_integration() {
	local files=() name=${1:-}
	if [ -n "$name" ]; then
		files=("$SRC/tests/integration/$name.bats")
	else
		files=("$SRC"/tests/integration/*.bats)
	fi
	[ -e "${files[0]}" ] || { record "integration${name:+:$name}" 0 1 0 1; return; }
	local args=(--tap)
	[ -n "${BATS_FILTER:-}" ] && args+=(--filter "$BATS_FILTER")
	local p=0 f=0 s=0 line rc=1
	while IFS= read -r line; do
		case "$line" in
		"bats-exit-status "*) rc=${line#bats-exit-status }; continue ;;
		esac
		printf '%s\n' "$line" >&2
		case "$line" in
		"not ok "*) f=$((f + 1)) ;;
		"ok "*"# skip"*) s=$((s + 1)) ;;
		"ok "*) p=$((p + 1)) ;;
		esac
	done < <(bats "${args[@]}" "${files[@]}" 2>&1; echo "bats-exit-status $?")
	record "integration${name:+:$name}" "$p" "$f" "$s" "$rc"
}

run_script_suite() {
	local name=$1 script="$SRC/tests/suites/$1.sh"
	if [ ! -f "$script" ]; then
		log "unknown suite: $name (no $script)"
		record "$name" 0 1 0 1
		return
	fi
	local out rc last p=0 f=0 s=0
	out=$(mktemp)
	bash "$script" 2>&1 | tee "$out" >&2
	rc=${PIPESTATUS[0]}
	last=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$out" | tail -1)
	rm -f "$out"
	if [ -n "$last" ]; then
		p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$last")
		f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$last")
		[[ "$last" == *skipped ]] && s=$(sed -E 's/.*, ([0-9]+) skipped$/\1/' <<<"$last")
	else
		log "$name did not print a final \"N passed, N failed\" line"
		f=1
	fi
	record "$name" "$p" "$f" "$s" "$rc"
}

SUITES=("$@")
if [ ${#SUITES[@]} -eq 0 ]; then
	SUITES=(unit integration)
	for s in "$SRC"/tests/suites/*.sh; do
		[ -f "$s" ] && grep -qx '# default: yes' "$s" && SUITES+=("$(basename "$s" .sh)")
	done
fi

# shellcheck source=tests/lib/cgroup-sandbox.sh
source "$SRC/tests/lib/cgroup-sandbox.sh"
cgroup_sandbox_enter
sandbox_left=
leave_sandbox() {
	[ -n "$sandbox_left" ] && return
	sandbox_left=1
	if ! cgroup_sandbox_leave; then
		log "the test run left processes or cgroups behind (cleaned up now)"
		FAILED=$((FAILED + 1))
		FAILED_SUITES+=("cgroup-sandbox")
	fi
}
trap 'leave_sandbox; echo "interrupted" >&2; exit 130' INT TERM HUP

for suite in "${SUITES[@]}"; do
	log "suite $suite"
	case "$suite" in
	unit) run_unit ;;
	integration) run_integration ;;
	integration:*) run_integration "${suite#integration:}" ;;
	*) run_script_suite "$suite" ;;
	esac
done

leave_sandbox
finish
