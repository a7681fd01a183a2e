#!/bin/bash
# Helpers shared by every tests/integration/*.bats file.
#
# A test file starts with:
#     load helpers
#     setup()    { setup_bundle; }
#     teardown() { teardown_bundle; }
#
# and then uses `hull ARGS...` (a bats `run` of the hull binary with --root "$HULL_ROOT"),
# `update_config '<jq filter>'`, `set_args CMD ARGS...`, `requires FEATURE...`,
# `wait_for_container ID STATUS`.  teardown_bundle fails the test if a container, a mount under the
# test's directory or a cgroup named after one of its containers is left behind (and removes it).

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

HULL_SRC=${HULL_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
HULL=${HULL_BINARY:-$HULL_SRC/build/src/hull}
case "$HULL" in /*) ;; *) HULL="$PWD/$HULL" ;; esac
HULL_ROOTFS_CACHE=${HULL_ROOTFS_CACHE:-$HULL_SRC/tests/.cache/rootfs}
HULL_RECVTTY=${HULL_RECVTTY:-$(dirname "$(dirname "$(dirname "$HULL")")")/tests/helpers/recvtty}
HULL_PAYLOAD=${HULL_PAYLOAD:-$(dirname "$(dirname "$(dirname "$HULL")")")/tests/helpers/hull-payload}

# A hull command that does not finish in this many seconds is killed (status 124), so one hang
# cannot stall the whole suite.
HULL_CMD_TIMEOUT=${HULL_CMD_TIMEOUT:-120}

# Per-test state root and bundle (BATS_TEST_TMPDIR is unique per test and removed by bats).
HULL_ROOT="$BATS_TEST_TMPDIR/state"
BUNDLE="$BATS_TEST_TMPDIR/bundle"
ROOTFS="$BUNDLE/rootfs"

# The hull binary with our state root.  stdin is /dev/null; stdout and stderr go to a file of
# their own (not to bats' capture pipe) so that a detached container holding them open cannot
# make `run` wait for it, and fd 3 (bats' TAP stream) is closed.  The output is printed after hull
# exits.
__hull() {
	local out
	out=$(mktemp "$BATS_TEST_TMPDIR/hull-out.XXXXXX")
	timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$HULL_ROOT" "$@" </dev/null >"$out" 2>&1 3>&-
	local rc=$?
	cat "$out"
	return $rc
}

# Record ids of containers the test creates, for the teardown's cgroup check.
__hull_track_id() {
	local cmd a seen_cmd=
	for a in "$@"; do
		case "$a" in
		create | run) cmd=$a seen_cmd=1 ;;
		esac
	done
	[ -n "$seen_cmd" ] || return 0
	local id=${*: -1}
	[ -n "$id" ] && [ "$id" != "$cmd" ] && echo "$id" >>"$BATS_TEST_TMPDIR/.ids"
	return 0
}

# hull ARGS...: run hull via bats `run`; $status, $output and $lines are set.  The command, its
# status and output are always echoed; bats shows them only when the test fails.
hull() {
	__hull_track_id "$@"
	run __hull "$@"
	echo "hull $* (status=$status):" >&2
	echo "$output" >&2
}

# update_config '<jq filter>' [BUNDLE]: edit config.json in place.
update_config() {
	local cfg="${2:-$BUNDLE}/config.json" tmp
	tmp=$(mktemp "$BATS_TEST_TMPDIR/config.XXXXXX")
	jq "$1" "$cfg" >"$tmp" || { rm -f "$tmp"; fail "update_config: jq '$1' failed"; }
	mv "$tmp" "$cfg"
}

# set_args CMD ARGS...: process.args = [CMD, ARGS...].
set_args() {
	local json='[' sep='' a
	for a in "$@"; do
		json+="$sep$(jq -n --arg a "$a" '$a')"
		sep=,
	done
	update_config ".process.args = $json]"
}

# requires FEATURE...: skip the test unless every feature is available.
requires() {
	local f
	for f in "$@"; do
		case "$f" in
		root) [ "$(id -u)" = 0 ] || skip "test requires root" ;;
		rootless) [ "$(id -u)" != 0 ] || skip "test requires rootless" ;;
		cgroups_v1) [ -d /sys/fs/cgroup/pids ] && [ "$(stat -fc %T /sys/fs/cgroup/pids)" = cgroupfs ] ||
			skip "test requires cgroup v1" ;;
		cgroups_v2) { [ -f /sys/fs/cgroup/cgroup.controllers ] || [ -f /sys/fs/cgroup/unified/cgroup.controllers ]; } ||
			skip "test requires cgroup v2" ;;
		cgroups_unified) [ -f /sys/fs/cgroup/cgroup.controllers ] || skip "test requires a unified cgroup hierarchy" ;;
		cgroupns) [ -e /proc/self/ns/cgroup ] || skip "test requires cgroup namespaces" ;;
		timens) [ -e /proc/self/ns/time ] || skip "test requires time namespaces" ;;
		userns) [ -e /proc/self/ns/user ] || skip "test requires user namespaces" ;;
		payload) [ -x "$ROOTFS/bin/hull-payload" ] || skip "test requires the hull-payload test binary" ;;
		recvtty) [ -x "$HULL_RECVTTY" ] || skip "test requires the recvtty test binary" ;;
		unshare) command -v unshare >/dev/null || skip "test requires unshare(1)" ;;
		*) fail "requires: unknown feature '$f'" ;;
		esac
	done
}

# rt_budget: "RUNTIME PERIOD" of the realtime budget (cpu.rt_runtime_us, cpu.rt_period_us) of the cpu
# cgroup v1 this test runs in, below which hull makes the containers' cgroups; nothing when the kernel
# has no per-group realtime accounting (CONFIG_RT_GROUP_SCHED) or there is no cpu v1 hierarchy.
rt_budget() {
	local line dir m
	line=$(grep -E '^[0-9]+:([^:]*,)?cpu(,[^:]*)?:' /proc/self/cgroup) || return 0
	for m in /sys/fs/cgroup/cpu /sys/fs/cgroup/cpu,cpuacct /sys/fs/cgroup/cpuacct,cpu; do
		dir=$m${line#*:*:}
		if [ -f "$dir/cpu.rt_runtime_us" ]; then
			echo "$(cat "$dir/cpu.rt_runtime_us") $(cat "$dir/cpu.rt_period_us")"
			return 0
		fi
	done
}

# requires_rt_budget RUNTIME PERIOD: skip unless the test's cpu cgroup can give a container RUNTIME µs of
# realtime per PERIOD µs (with CONFIG_RT_GROUP_SCHED a group with no budget of its own gets EPERM for
# SCHED_FIFO/SCHED_RR, and a child's share must fit in its parent's).  tests/lib/cgroup-sandbox.sh
# gives the test run's sandbox a budget, but only what the host has left: another test run on the
# machine may hold all of it.
requires_rt_budget() {
	local b runtime period
	b=$(rt_budget)
	[ -n "$b" ] || return 0
	read -r runtime period <<<"$b"
	[ "$runtime" = -1 ] && return 0
	[ "$((runtime * $2))" -ge "$(($1 * period))" ] && [ "$runtime" -gt 0 ] ||
		skip "no realtime budget for the test: cpu.rt_runtime_us/cpu.rt_period_us of its cpu cgroup are $runtime/$period, it needs $1/$2 (another test run on the machine holds the host's budget)"
}

# fallback_denies SYSCALL: true when the test runs under tests/suites/fallback.sh and its enosys wrapper
# makes SYSCALL fail (HULL_FALLBACK_ERRNO; the list is HULL_FALLBACK_SYSCALLS or enosys' default)
fallback_denies() {
	[ -n "${HULL_FALLBACK_ERRNO:-}" ] || return 1
	local l=${HULL_FALLBACK_SYSCALLS:-openat2,clone3,mount_setattr,open_tree,move_mount,fsopen,fsconfig,fsmount,fspick,close_range,pidfd_open,memfd_create}
	[[ ",$l," == *",$1,"* ]]
}

# Make sure the cached rootfs exists (tests/run.sh builds it; direct `bats` runs may not have).
__ensure_rootfs() {
	[ -x "$HULL_ROOTFS_CACHE/bin/busybox" ] && return 0
	mkdir -p "$(dirname "$HULL_ROOTFS_CACHE")"
	"$HULL_SRC/tests/lib/make-rootfs.sh" "$HULL_ROOTFS_CACHE" "$HULL_PAYLOAD"
}

# setup_bundle: a fresh bundle in $BUNDLE: a copy of the rootfs fixture and the config written by
# `hull spec`, adjusted: terminal false, root writable, args `sleep 3600` (tests set their own).
setup_bundle() {
	__ensure_rootfs || fail "cannot build the rootfs fixture"
	mkdir -p "$BUNDLE" "$HULL_ROOT"
	touch "$BATS_TEST_TMPDIR/.start" # cgroups newer than this were made by this test
	cp -a "$HULL_ROOTFS_CACHE" "$ROOTFS"
	(cd "$BUNDLE" && "$HULL" spec </dev/null 3>&-) || fail "setup_bundle: \`$HULL spec\` failed"
	[ -f "$BUNDLE/config.json" ] || fail "setup_bundle: \`hull spec\` wrote no config.json"
	update_config '.process.terminal = false | .root.readonly = false | .process.args = ["sleep", "3600"]'
	cd "$BUNDLE" || fail "cd $BUNDLE"
}

# Mount points at or below DIR, deepest first.
__mounts_under() {
	local dir=$1
	awk -v d="$dir" '{ if ($5 == d || index($5, d "/") == 1) print $5 }' /proc/self/mountinfo | sort -r
}

# teardown_bundle: remove whatever the test left behind; fail if there was anything.
teardown_bundle() {
	cd / || true
	local problems=() id
	local ids=()
	# 1. containers left in the state root.
	if [ -d "$HULL_ROOT" ]; then
		for id in $(ls -A "$HULL_ROOT" 2>/dev/null); do
			[ -d "$HULL_ROOT/$id" ] || continue
			[ "$id" = "seccomp:cache" ] && continue # compiled seccomp programs, not a container
			ids+=("$id")
			problems+=("container $id left in $HULL_ROOT")
			timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$HULL_ROOT" delete --force "$id" </dev/null >/dev/null 2>&1 3>&- || true
			if [ -d "$HULL_ROOT/$id" ]; then
				# hull could not delete it: kill its init by pid and drop the state.
				local pid
				pid=$(jq -r '.init_process_pid // .pid // 0' "$HULL_ROOT/$id/state.json" 2>/dev/null)
				[ -n "$pid" ] && [ "$pid" -gt 1 ] 2>/dev/null && kill -9 "$pid" 2>/dev/null
				rm -rf --one-file-system "${HULL_ROOT:?}/$id"
			fi
		done
	fi
	# 2. hull processes of this test still running (e.g. a command killed by the timeout leaves its
	#    children): their command line names this test's directory.
	local p cmd
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$$" ] && continue
		{ cmd=$(tr '\0' ' ' <"$p/cmdline"); } 2>/dev/null || continue
		if [[ "$cmd" == *"$BATS_TEST_TMPDIR/"* ]]; then
			problems+=("process left: ${p#/proc/} $cmd")
			kill -9 "${p#/proc/}" 2>/dev/null
		fi
	done
	# 3. mounts under this test's directory.
	local m
	for m in $(__mounts_under "$BATS_TEST_TMPDIR"); do
		problems+=("mount left at $m")
		umount -l "$m" 2>/dev/null || true
	done
	# 4. cgroups named after this test's containers, created during this test (other runs on the
	#    machine may use the same names).
	if [ -f "$BATS_TEST_TMPDIR/.ids" ]; then
		while read -r id; do ids+=("$id"); done <"$BATS_TEST_TMPDIR/.ids"
	fi
	#    Only in this run's cgroup sandbox (tests/lib/cgroup-sandbox.sh) or outside any: another test
	#    run's containers live below its own hull-test-PID cgroups and may have the same names.
	local d own
	own=$(grep -o 'hull-test-[0-9]*' /proc/self/cgroup | sort -u)
	for id in $(printf '%s\n' "${ids[@]}" | sort -u); do
		[ ${#id} -ge 3 ] || continue
		while read -r d; do
			[ -n "$d" ] || continue
			local other
			other=$(grep -o 'hull-test-[0-9]*' <<<"$d" | grep -vxF "${own:-none}" | head -1)
			[ -z "$other" ] || continue
			problems+=("cgroup left: $d")
			local pid
			for pid in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null; done
			sleep 0.1
			find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
		done < <(find /sys/fs/cgroup -mindepth 1 -maxdepth 8 -type d \
			\( -name "$id" -o -name "*-$id.scope" -o -name "*:$id" \) -newer "$BATS_TEST_TMPDIR/.start" 2>/dev/null | sort -r)
	done
	if [ ${#problems[@]} -gt 0 ]; then
		printf 'teardown: %s\n' "${problems[@]}" >&2
		return 1
	fi
}

# hull_state_field ID FIELD: print one field of `hull state ID` (empty on failure).
hull_state_field() {
	timeout -k 5 "$HULL_CMD_TIMEOUT" "$HULL" --root "$HULL_ROOT" state "$1" </dev/null 2>/dev/null 3>&- | jq -r ".$2"
}

# wait_for_container ID STATUS [TRIES]: poll `hull state` every 0.1s until the status is STATUS.
wait_for_container() {
	local id=$1 want=$2 tries=${3:-100} st=
	local i
	for ((i = 0; i < tries; i++)); do
		st=$(hull_state_field "$id" status)
		[ "$st" = "$want" ] && return 0
		sleep 0.1
	done
	fail "container $id: status is '${st:-<none>}', expected '$want'"
}

# wait_for_file PATH [TRIES]: poll until PATH exists and is non-empty.
wait_for_file() {
	local i
	for ((i = 0; i < ${2:-100}; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	fail "timed out waiting for $1"
}

# assert_single_error_line: the failure printed exactly one line.
assert_single_error_line() {
	[ "$status" -ne 0 ] || fail "expected a non-zero exit status, got 0"
	[ "${#lines[@]}" -eq 1 ] || fail "expected exactly one error line, got ${#lines[@]}: $output"
}

# assert_nothing_left: no state dir, no mount under the bundle, no process from the bundle.
assert_nothing_left() {
	local n
	# (seccomp:cache, compiled seccomp programs, is written only after a container started)
	n=$(ls -A "$HULL_ROOT" 2>/dev/null | grep -vx 'seccomp:cache' | wc -l)
	[ "$n" -eq 0 ] || fail "state root not empty: $(ls -A "$HULL_ROOT")"
	[ -z "$(__mounts_under "$BATS_TEST_TMPDIR")" ] || fail "mounts left: $(__mounts_under "$BATS_TEST_TMPDIR")"
}
