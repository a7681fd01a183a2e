#!/bin/bash
# tests/suites/fallback.sh: rerun the integration suite with hull under tests/helpers/enosys, so that
# openat2, clone3, mount_setattr, open_tree, move_mount, the fsopen family, close_range, pidfd_open and
# memfd_create fail (crun's no_openat2 idea, security.md §5 test 31 and the "Proof" of issue 4): once
# with ENOSYS (an old kernel) and once with EPERM (what seccomp-restricted engines return).  Every
# fallback path must work, or fail closed.  Not a default suite (it runs the whole suite twice):
# `tests/run.sh fallback`.
#
# With both open_tree and memfd_create denied, hull's CVE-2019-5736 protection (re-executing itself
# through a read-only clone of its mount, else through a sealed memfd) has one way left: a binary on
# a read-only mount (README).  So the suite runs a copy of hull bind-mounted read-only; that a
# writable binary is refused there (fail closed) is security.bats "[31: ...]".
#
# security.bats: only its tests 1-17 (the P0 cases of §5), against a -Dtest_hooks=true build (built
# here in build-test-hooks/, as tests/suites/security.sh does) so that the race tests run with their
# pause points; its helpers copy and ldd the real binary (HULL_REAL_BINARY) and run their copies of
# hull under the same enosys (HULL_FALLBACK_ERRNO, HULL_FALLBACK_SYSCALLS).
#
# Environment: HULL_BINARY (default <repo>/build/src/hull), HULL_ENOSYS (default: enosys next to
#   hull's build dir), FALLBACK_ERRNO (a list, default "ENOSYS EPERM"), FALLBACK_SYSCALLS (comma
#   list for enosys -s), FALLBACK_FILES (bats files under tests/integration, default all but
#   security; "none": only the security.bats pass), FALLBACK_SECURITY (1, the default: also security.bats 1-17 as above; 0: not),
#   HULL_HOOKS_BUILD_DIR, BATS_FILTER.
# Output: the TAP stream of each pass, then "N passed, N failed, N skipped" over all of them.
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
hull=${HULL_BINARY:-$SRC/build/src/hull}
case "$hull" in /*) ;; *) hull="$PWD/$hull" ;; esac
enosys=${HULL_ENOSYS:-$(dirname "$(dirname "$hull")")/tests/helpers/enosys}
if [ ! -x "$hull" ] || [ ! -x "$enosys" ]; then
	echo "fallback: need $hull and $enosys (build with ninja; tests/run.sh fallback does)" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
T=$(mktemp -d /tmp/hull-fallback.XXXXXX) || exit 1
chmod 0755 "$T"
cleanup() {
	local m
	for m in "$T"/exe/*; do
		mountpoint -q "$m" && umount "$m"
	done
	rm -rf --one-file-system "$T"
}
trap cleanup EXIT
# ro_copy BINARY NAME: a copy of BINARY at $T/exe/NAME on a read-only bind mount of itself
ro_copy() {
	mkdir -p "$T/exe"
	cp "$1" "$T/exe/$2" && mount --bind "$T/exe/$2" "$T/exe/$2" &&
		mount -o remount,bind,ro "$T/exe/$2" "$T/exe/$2"
}
if ! ro_copy "$hull" hull; then
	echo "fallback: cannot make a read-only copy of $hull" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
# the wrapper sits in a directory of the same shape as a build dir (src/hull, tests/helpers/...), so
# the bats helpers find recvtty and hull-payload next to it
mkdir -p "$T/build/src" "$T/build/tests"
ln -s "$(dirname "$(dirname "$hull")")/tests/helpers" "$T/build/tests/helpers"
sc=()
[ -n "${FALLBACK_SYSCALLS:-}" ] && sc=(-s "$FALLBACK_SYSCALLS")
export HULL_BINARY="$T/build/src/hull"
export HULL_PAYLOAD=${HULL_PAYLOAD:-$(dirname "$(dirname "$hull")")/tests/helpers/hull-payload}
export HULL_RECVTTY=${HULL_RECVTTY:-$(dirname "$(dirname "$hull")")/tests/helpers/recvtty}
export HULL_ENOSYS="$enosys"
[ -n "${FALLBACK_SYSCALLS:-}" ] && export HULL_FALLBACK_SYSCALLS="$FALLBACK_SYSCALLS"

# write_wrapper ERRNO BINARY: $HULL_BINARY execs BINARY under enosys
write_wrapper() {
	{
		echo '#!/bin/sh'
		printf 'exec %q -e %q' "$enosys" "$1"
		[ ${#sc[@]} -gt 0 ] && printf ' -s %q' "$FALLBACK_SYSCALLS"
		printf ' -- %q "$@"\n' "$2"
	} >"$T/build/src/hull"
	chmod 0755 "$T/build/src/hull"
}

# run_pass LABEL FILTER FILE...: one bats run, counted into p/f/s
run_pass() {
	local label=$1 filter=$2 rc=1 pf=$f line
	shift 2
	local a=(--tap)
	[ -n "$filter" ] && a+=(--filter "$filter")
	echo "# hull under: $(tail -1 "$HULL_BINARY")"
	while IFS= read -r line; do
		case "$line" in
		"bats-exit-status "*) rc=${line#bats-exit-status }; continue ;;
		esac
		case "$line" in
		"not ok "*) f=$((f + 1)) line="not ok ($label) ${line#not ok }" ;;
		"ok "*"# skip"*) s=$((s + 1)) line="ok ($label) ${line#ok }" ;;
		"ok "*) p=$((p + 1)) line="ok ($label) ${line#ok }" ;;
		esac
		printf '%s\n' "$line"
	done < <(bats "${a[@]}" "$@" 2>&1 3>&-; echo "bats-exit-status $?")
	[ "$rc" -ne 0 ] && [ "$f" -eq "$pf" ] && f=$((f + 1))
}

files=()
if [ "${FALLBACK_FILES:-}" = none ]; then
	:
elif [ -n "${FALLBACK_FILES:-}" ]; then
	for x in $FALLBACK_FILES; do files+=("$SRC/tests/integration/${x%.bats}.bats"); done
else
	for x in "$SRC"/tests/integration/*.bats; do
		[ "${x##*/}" = security.bats ] || files+=("$x")
	done
fi
p=0 f=0 s=0
hooks=
if [ "${FALLBACK_SECURITY:-1}" = 1 ]; then
	B=${HULL_HOOKS_BUILD_DIR:-$SRC/build-test-hooks}
	case "$B" in /*) ;; *) B="$SRC/$B" ;; esac
	if { [ -f "$B/build.ninja" ] || meson setup "$B" -Dtest_hooks=true >&2; } &&
		ninja -C "$B" src/hull >&2 && ro_copy "$B/src/hull" hull-test-hooks; then
		hooks="$T/exe/hull-test-hooks"
	else
		echo "not ok - fallback: building the -Dtest_hooks=true hull in $B failed"
		f=1
	fi
fi

for errno in ${FALLBACK_ERRNO:-ENOSYS EPERM}; do
	export HULL_FALLBACK_ERRNO=$errno HULL_REAL_BINARY="$T/exe/hull"
	write_wrapper "$errno" "$T/exe/hull"
	[ ${#files[@]} -gt 0 ] && run_pass "$errno" "${BATS_FILTER:-}" "${files[@]}"
	if [ -n "$hooks" ]; then
		# the P0 tests of security.md §5 (1-17) with the pause points
		HULL_REAL_BINARY=$hooks
		write_wrapper "$errno" "$hooks"
		run_pass "$errno" "${BATS_FILTER:-^security \[([1-9]|1[0-7]):}" "$SRC/tests/integration/security.bats"
	fi
done
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
