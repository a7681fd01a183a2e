#!/bin/bash
# default: no
# tests/suites/sanitize.sh: build hull with ASan + UBSan (meson -Dsanitize_all=true, in
# build-sanitize/ under the repository or HULL_SANITIZE_BUILD_DIR) and run the unit tests and the
# whole integration suite with that binary: `tests/run.sh sanitize`.  Slow (about twice the plain run).
#
# Leak checking: on for the unit tests (they free what they parse); off for the integration suite
# (detect_leaks=0).  hull forks setup processes that live in the container's namespaces and leave by
# execve or _exit: LeakSanitizer would run in a child that inherited the parent's whole heap, inside a
# new pid/mount namespace (its stop-the-world tracer and /proc reads fail there), and its report would
# land on the container's stderr.  The parser's leaks are covered by the fuzzer (tests/suites/fuzz.sh).
# Any ASan or UBSan report (halt_on_error: the command fails) is written to $T/san.<pid> when the
# process can still reach the host's /tmp, else to its stderr (then the test fails and bats shows it).
#
# Environment: BATS_FILTER, SANITIZE_FILES (bats files under tests/integration, default all).
# Output: the TAP stream, every sanitizer report, then "N passed, N failed, N skipped".
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
B=${HULL_SANITIZE_BUILD_DIR:-$SRC/build-sanitize}
case "$B" in /*) ;; *) B="$SRC/$B" ;; esac
bail() { echo "sanitize: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
if [ ! -f "$B/build.ninja" ]; then
	meson setup "$B" -Dsanitize_all=true >&2 || bail "meson setup $B failed"
fi
# (the static test payloads cannot link with the sanitizers: -k 0 builds the rest, and the rootfs
# fixture keeps the plain hull-payload)
ninja -C "$B" -k 0 >&2
ninja -C "$B" src/hull tests/helpers/recvtty tests/helpers/enosys >&2 || bail "building $B failed"
T=$(mktemp -d /tmp/hull-sanitize.XXXXXX) || bail "mktemp"
chmod 0755 "$T"
trap 'rm -rf "$T"' EXIT

p=0 f=0 s=0
# unit tests: every test binary of the unit suite, leaks on
if ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	meson test -C "$B" --no-rebuild --suite unit --print-errorlogs >"$T/unit.log" 2>&1; then
	p=$((p + 1))
	echo "ok - unit tests under ASan+UBSan with leak checking"
else
	f=$((f + 1))
	echo "not ok - unit tests under ASan+UBSan with leak checking"
	sed 's/^/# /' "$T/unit.log" | tail -n 80
fi

export HULL_BINARY="$B/src/hull" HULL_RECVTTY="$B/tests/helpers/recvtty" HULL_ENOSYS="$B/tests/helpers/enosys"
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:log_path=$T/san" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$T/san"
files=()
if [ -n "${SANITIZE_FILES:-}" ]; then
	for x in $SANITIZE_FILES; do files+=("$SRC/tests/integration/${x%.bats}.bats"); done
else
	files=("$SRC"/tests/integration/*.bats)
fi
args=(--tap)
[ -n "${BATS_FILTER:-}" ] && args+=(--filter "$BATS_FILTER")
rc=1
while IFS= read -r line; do
	case "$line" in
	"bats-exit-status "*) rc=${line#bats-exit-status }; continue ;;
	esac
	printf '%s\n' "$line"
	case "$line" in
	"not ok "*) f=$((f + 1)) ;;
	"ok "*"# skip"*) s=$((s + 1)) ;;
	"ok "*) p=$((p + 1)) ;;
	esac
done < <(bats "${args[@]}" "${files[@]}" 2>&1 3>&-; echo "bats-exit-status $?")
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
# every report written to a file counts as a failure, whether or not the test noticed
reports=$(find "$T" -maxdepth 1 -name 'san.*' -type f | sort)
if [ -n "$reports" ]; then
	echo "not ok - sanitizer reports from hull processes"
	for r in $reports; do
		echo "# ---- ${r##*/}"
		sed 's/^/# /' "$r"
	done
	f=$((f + 1))
fi
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
