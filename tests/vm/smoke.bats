#!/usr/bin/env bats
# Proves that the VM started by tests/vm/run.sh is a pure cgroup v2 machine with every controller
# usable, and that memory limits are really enforced.  Skipped outside that VM (HULL_VM unset).

CG=/sys/fs/cgroup

setup() {
	[ "${HULL_VM:-}" = 1 ] || skip "only meaningful inside tests/vm/run.sh"
	SMOKE=$CG${HULL_TEST_CGROUP_PARENT:-/test}/smoke-$$-$BATS_TEST_NUMBER
}

teardown() {
	[ -n "${SMOKE:-}" ] && [ -d "$SMOKE" ] || return 0
	# move anything left back to the runner, then remove the cgroup
	local p
	for p in $(cat "$SMOKE/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
	for _ in $(seq 50); do [ -z "$(cat "$SMOKE/cgroup.procs")" ] && break; sleep 0.1; done
	rmdir "$SMOKE"
}

@test "cgroup2 is mounted at /sys/fs/cgroup and no v1 hierarchy exists" {
	run stat -f -c %T $CG
	[ "$status" -eq 0 ]
	[ "$output" = cgroup2fs ]
	# no cgroup v1 hierarchy mounted, and the kernel refuses to mount one (cgroup_no_v1=all)
	[ -z "$(awk '$3 == "cgroup"' /proc/self/mounts)" ]
	local d
	d=$(mktemp -d)
	run mount -t cgroup -o memory cgroup "$d"
	umount "$d" 2>/dev/null || true
	rmdir "$d"
	[ "$status" -ne 0 ]
	grep -q ' /sys/fs/cgroup cgroup2 .*nsdelegate' /proc/self/mounts
}

@test "all controllers are available and enabled in the root and in the test parent" {
	local c avail root parent
	avail=" $(<$CG/cgroup.controllers) "
	root=" $(<$CG/cgroup.subtree_control) "
	parent=" $(<"$CG$HULL_TEST_CGROUP_PARENT/cgroup.subtree_control") "
	echo "controllers:$avail root subtree_control:$root parent subtree_control:$parent"
	for c in cpuset cpu io memory hugetlb pids rdma misc; do
		[[ "$avail" == *" $c "* ]] || { echo "missing $c in cgroup.controllers"; false; }
		[[ "$root" == *" $c "* ]] || { echo "$c not in the root's subtree_control"; false; }
		[[ "$parent" == *" $c "* ]] || { echo "$c not in $HULL_TEST_CGROUP_PARENT's subtree_control"; false; }
	done
}

@test "/proc/self/cgroup is a single 0:: line in the non-root runner cgroup" {
	run cat /proc/self/cgroup
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "${lines[0]}" = "0::$HULL_TEST_CGROUP_PARENT/runner" ]
}

@test "hull binary, bats and jq are visible in the VM" {
	command -v bats jq bash
	[ -n "$HULL_BINARY" ]
	[ -x "$HULL_BINARY" ] || skip "hull is not built yet ($HULL_BINARY)"
	"$HULL_BINARY" --version
}

@test "memory.max really OOM-kills a process that exceeds it" {
	mkdir "$SMOKE"
	echo 16M >"$SMOKE/memory.max"
	echo 0 >"$SMOKE/memory.swap.max"
	[ "$(cat "$SMOKE/memory.max")" = 16777216 ]
	# the subshell moves itself into the cgroup, then `tail` must buffer 64 MiB without a newline
	run bash -c "echo \$\$ >'$SMOKE/cgroup.procs' && head -c 64M /dev/zero | tail >/dev/null"
	echo "status=$status output=$output"
	[ "$status" -ne 0 ]
	cat "$SMOKE/memory.events"
	local kills
	kills=$(awk '$1 == "oom_kill" { print $2 }' "$SMOKE/memory.events")
	[ "$kills" -gt 0 ]
}

@test "pids.max stops forks beyond the limit" {
	mkdir "$SMOKE"
	echo 3 >"$SMOKE/pids.max"
	run bash -c "echo \$\$ >'$SMOKE/cgroup.procs'; for i in 1 2 3 4 5 6; do sleep 1 & done; wait"
	echo "status=$status output=$output"
	[[ "$output" == *"Resource temporarily unavailable"* ]]
	grep -q '^max [1-9]' "$SMOKE/pids.events"
}

@test "the hostname is set and loopback is up" {
	[ "$(hostname)" = hull-vm ]
	ip -o link show lo | grep -q 'UP'
}
