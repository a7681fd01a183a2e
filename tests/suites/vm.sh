#!/bin/bash
# default: yes
# tests/suites/vm.sh — the cgroup v2 proof: runs tests/integration/cgroups*.bats and tests/vm/smoke.bats
# inside a qemu VM booted with Debian's kernel and `cgroup_no_v1=all` (see tests/vm/README.md).
# Used by `tests/run.sh vm` (which builds hull and the rootfs fixture first and exports HULL_*);
# prints the TAP stream and ends with "N passed, N failed, N skipped"; non-zero exit on failure.
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

files=()
for f in "$SRC"/tests/integration/cgroups*.bats; do
	[ -e "$f" ] && files+=("$f")
done
files+=("$SRC/tests/vm/smoke.bats")

hull=${HULL_BINARY:-$SRC/build/src/hull}
[ -x "$hull" ] || echo "vm suite: warning: $hull is not built (run through tests/run.sh vm)" >&2

# one hung test fails alone (bats kills it) instead of running the whole VM into its timeout
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-300}
exec "$SRC/tests/vm/run.sh" "${files[@]}"
