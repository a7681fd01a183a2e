#!/bin/bash
# tests/suites/stress.sh — `tests/run.sh stress` (not in the default run: it takes minutes).
#
# 1. HULL_STRESS_N (default 1000) foreground `hull run /bin/true` in a row,
# 2. as many `hull exec ID /bin/true` in a row into one running container,
# each bounded by a timeout (a hang fails), then checks that nothing leaked: processes carrying our
# state root, the caller's fds, the container init's fds, host mounts, cgroup directories named
# after our containers, state directories.  Prints "N passed, N failed".
set -uo pipefail
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
HULL=${HULL_BINARY:-$SRC/build/src/hull}
ROOTFS_CACHE=${HULL_ROOTFS_CACHE:-$SRC/tests/.cache/rootfs}
N=${HULL_STRESS_N:-1000}
STEP_TIMEOUT=${HULL_STRESS_TIMEOUT:-30}

PASSED=0 FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $*"; }
check() { # check DESCRIPTION BEFORE AFTER
	if [ "$2" = "$3" ]; then ok "$1 ($2)"; else not_ok "$1: $2 before, $3 after"; fi
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit $?
}

[ -x "$HULL" ] || { not_ok "no hull binary at $HULL"; finish; }
[ -x "$ROOTFS_CACHE/bin/busybox" ] || { not_ok "no rootfs fixture at $ROOTFS_CACHE (run through tests/run.sh)"; finish; }

TMP=$(mktemp -d /tmp/hull-stress.XXXXXX)
ROOT="$TMP/state"
BUNDLE="$TMP/bundle"
PREFIX="stress-$$"
EXEC_ID="$PREFIX-exec"
cleanup() {
	local id
	for id in $(ls -A "$ROOT" 2>/dev/null); do
		"$HULL" --root "$ROOT" delete --force "$id" </dev/null >/dev/null 2>&1
	done
	# the rootfs copy holds no mounts once every container is gone
	if ! awk -v d="$TMP" 'index($5, d) == 1 { found = 1 } END { exit !found }' /proc/self/mountinfo; then
		rm -rf --one-file-system "$TMP"
	fi
}
trap cleanup EXIT

mkdir -p "$BUNDLE" "$ROOT"
cp -a "$ROOTFS_CACHE" "$BUNDLE/rootfs"
(cd "$BUNDLE" && "$HULL" spec </dev/null) || { not_ok "hull spec"; finish; }
jq '.process.terminal = false | .process.args = ["/bin/true"]' "$BUNDLE/config.json" >"$BUNDLE/c.json" &&
	mv "$BUNDLE/c.json" "$BUNDLE/config.json"

count_procs() { # processes whose command line names our state root
	local p n=0
	for p in /proc/[0-9]*; do
		grep -qF -- "$ROOT" "$p/cmdline" 2>/dev/null && n=$((n + 1))
	done
	echo "$n"
}
count_cgroups() { find /sys/fs/cgroup -maxdepth 6 -type d -name "$PREFIX*" 2>/dev/null | wc -l; }
# host mounts at or below our directory (the rest of the host's table changes with whatever else runs)
count_mounts() { awk -v d="$TMP" 'index($5, d) == 1' /proc/self/mountinfo | wc -l; }
count_fds() { ls /proc/$$/fd | wc -l; }

procs0=$(count_procs) cgroups0=$(count_cgroups) mounts0=$(count_mounts) fds0=$(count_fds)

# ---- 1. run ----------------------------------------------------------------------------------
start=$SECONDS fails=0 first=
for ((i = 0; i < N; i++)); do
	out=$(cd "$BUNDLE" && timeout -k 5 "$STEP_TIMEOUT" "$HULL" --root "$ROOT" run "$PREFIX-run-$i" </dev/null 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ]; then
		fails=$((fails + 1))
		[ -z "$first" ] && first="run $i: status $rc: $out"
		"$HULL" --root "$ROOT" delete --force "$PREFIX-run-$i" </dev/null >/dev/null 2>&1
	fi
done
if [ "$fails" -eq 0 ]; then
	ok "$N x run /bin/true ($((SECONDS - start))s)"
else
	not_ok "$N x run /bin/true: $fails failed; first: $first"
fi
check "no state left after run" 0 "$(ls -A "$ROOT" | wc -l)"
check "no process left after run" "$procs0" "$(count_procs)"
check "no cgroup left after run" "$cgroups0" "$(count_cgroups)"
check "no mount left after run" "$mounts0" "$(count_mounts)"

# ---- 2. exec ---------------------------------------------------------------------------------
jq '.process.args = ["sleep", "3600"]' "$BUNDLE/config.json" >"$BUNDLE/c.json" && mv "$BUNDLE/c.json" "$BUNDLE/config.json"
if (cd "$BUNDLE" && timeout -k 5 "$STEP_TIMEOUT" "$HULL" --root "$ROOT" run -d "$EXEC_ID" </dev/null >/dev/null 2>&1); then
	init=$("$HULL" --root "$ROOT" state "$EXEC_ID" </dev/null | jq -r .pid)
	initfds0=$(ls "/proc/$init/fd" | wc -l)
	procs1=$(count_procs)
	start=$SECONDS fails=0 first=
	for ((i = 0; i < N; i++)); do
		out=$(timeout -k 5 "$STEP_TIMEOUT" "$HULL" --root "$ROOT" exec "$EXEC_ID" /bin/true </dev/null 2>&1)
		rc=$?
		if [ "$rc" -ne 0 ]; then
			fails=$((fails + 1))
			[ -z "$first" ] && first="exec $i: status $rc: $out"
		fi
	done
	if [ "$fails" -eq 0 ]; then
		ok "$N x exec /bin/true ($((SECONDS - start))s)"
	else
		not_ok "$N x exec /bin/true: $fails failed; first: $first"
	fi
	check "no process left in the container after exec" 1 \
		"$("$HULL" --root "$ROOT" ps --format json "$EXEC_ID" </dev/null | jq length)"
	check "no hull process left after exec" "$procs1" "$(count_procs)"
	check "the container init's fds unchanged" "$initfds0" "$(ls "/proc/$init/fd" | wc -l)"
	check "no mount left after exec" "$mounts0" "$(count_mounts)"
	"$HULL" --root "$ROOT" delete --force "$EXEC_ID" </dev/null >/dev/null 2>&1 ||
		not_ok "delete $EXEC_ID"
else
	not_ok "run -d $EXEC_ID"
fi

check "no process left at the end" "$procs0" "$(count_procs)"
check "no cgroup left at the end" "$cgroups0" "$(count_cgroups)"
check "no mount left at the end" "$mounts0" "$(count_mounts)"
check "the caller's fds unchanged" "$fds0" "$(count_fds)"
finish
