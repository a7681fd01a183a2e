#!/bin/bash
# default: yes
# tests/suites/security.sh: the adversarial suite (tests/integration/security.bats, the tests of
# ../shared/design/security.md §5) against a `-Dtest_hooks=true` build, so that the race tests (10, 12,
# 14, 18) run with their pause points: `tests/run.sh security`.  The hooks build lives in
# build-test-hooks/ under the repository (HULL_HOOKS_BUILD_DIR to change it) and is configured and
# rebuilt here; the pause points are compiled out of every other build.
# Output: the TAP stream, then "N passed, N failed, N skipped"; non-zero exit on failure.
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
B=${HULL_HOOKS_BUILD_DIR:-$SRC/build-test-hooks}
case "$B" in /*) ;; *) B="$SRC/$B" ;; esac
if [ ! -f "$B/build.ninja" ]; then
	meson setup "$B" -Dtest_hooks=true >&2 || { echo "security: meson setup $B failed"; echo "0 passed, 1 failed"; exit 1; }
fi
ninja -C "$B" src/hull tests/helpers/enosys tests/helpers/recvtty tests/helpers/hull-payload >&2 ||
	{ echo "security: building $B failed"; echo "0 passed, 1 failed"; exit 1; }
export HULL_BINARY="$B/src/hull"
export HULL_RECVTTY="$B/tests/helpers/recvtty" HULL_ENOSYS="$B/tests/helpers/enosys"
# hull-payload lives in the rootfs fixture (tests/run.sh builds it from its own build dir)
args=(--tap)
[ -n "${BATS_FILTER:-}" ] && args+=(--filter "$BATS_FILTER")
p=0 f=0 s=0 rc=1
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
done < <(bats "${args[@]}" "$SRC/tests/integration/security.bats" 2>&1 3>&-; echo "bats-exit-status $?")
[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ]
