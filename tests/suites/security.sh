#!/bin/bash
# default: no
# tests/suites/security.sh: the adversarial suite (tests/integration/security.bats, the tests of
# ../shared/design/security.md §5).  It is part of `tests/run.sh integration` anyway; this suite
# runs it alone: `tests/run.sh security`.  The race tests need a `-Dtest_hooks=true` build
# (HULL_BUILD_DIR pointing at one); without the pause points they are skipped.
# Output: the TAP stream, then "N passed, N failed, N skipped"; non-zero exit on failure.
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
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
