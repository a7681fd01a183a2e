#!/usr/bin/env bats
# cgroups: linux.resources applied and enforced, pause/resume, kill --all, delete cleanup.
# The same file runs on the host (cgroup v1 / hybrid) and inside the cgroup-v2 VM (tests/vm).
# Every test reads the value back from the container's cgroup files and, where it can be measured,
# checks the effect.

load helpers

setup() {
	requires root
	setup_bundle
	# The cgroup filesystem mount inside the container is tested elsewhere (mounts.bats); this file
	# is about the host-side cgroup.
	update_config '.mounts |= map(select(.type != "cgroup"))'
	# /dev/null and /dev/zero are in runc's default allow list, which the runtime appends to the
	# config's rules; make them explicit so these tests do not depend on that.
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
		{"allow": true, "type": "c", "major": 1, "minor": 5, "access": "rwm"}]'
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		CG_V2=1
		# v2: a populated cgroup cannot enable controllers for its children, so containers go to an
		# absolute path below the test parent (the VM's init sets it up, see tests/vm/init2).
		update_config ".linux.cgroupsPath = \"${HULL_TEST_CGROUP_PARENT:-/test}/test_cg\""
	else
		CG_V2=
		requires cgroups_v1
	fi
}
teardown() { teardown_bundle; }

# cg_dir CONTROLLER: the container's cgroup directory for CONTROLLER (v1) or the cgroup2 one.
cg_dir() {
	local pid line
	pid=$(hull_state_field test_cg pid)
	[ -n "$pid" ] && [ "$pid" != null ] || fail "no pid for test_cg"
	if [ -n "$CG_V2" ]; then
		line=$(grep '^0::' "/proc/$pid/cgroup")
		echo "/sys/fs/cgroup${line#0::}"
	else
		line=$(grep -E "^[0-9]+:([^:]*,)?$1(,[^:]*)?:" "/proc/$pid/cgroup")
		echo "/sys/fs/cgroup/$1${line#*:*:}"
	fi
}

# cg_read CONTROLLER FILE
cg_read() {
	cat "$(cg_dir "$1")/$2"
}

run_detached() {
	hull run -d --bundle "$BUNDLE" test_cg
	assert_success
	wait_for_container test_cg running
}

@test "cgroups [container is placed in its own cgroup, removed on delete]" {
	run_detached
	local dir
	dir=$(cg_dir memory)
	[ -d "$dir" ]
	[ "$(basename "$dir")" = test_cg ]
	# the init process is listed in the leaf
	grep -qx "$(hull_state_field test_cg pid)" "$dir/cgroup.procs"
	hull delete --force test_cg
	assert_success
	[ ! -d "$dir" ] || fail "cgroup $dir left after delete"
}

@test "cgroups [memory limit is written and enforced (OOM kill)]" {
	local lim=$((32 * 1024 * 1024))
	update_config ".linux.resources.memory = {\"limit\": $lim, \"swap\": $lim}"
	run_detached
	if [ -n "$CG_V2" ]; then
		[ "$(cg_read memory memory.max)" = $lim ]
		[ "$(cg_read memory memory.swap.max)" = 0 ]
	else
		[ "$(cg_read memory memory.limit_in_bytes)" = $lim ]
		if [ -f "$(cg_dir memory)/memory.memsw.limit_in_bytes" ]; then
			[ "$(cg_read memory memory.memsw.limit_in_bytes)" = $lim ]
		fi
	fi
	hull delete --force test_cg
	assert_success
	# effect: a process that grows past the limit is killed by the kernel's OOM killer
	set_args sh -c 'tail /dev/zero'
	hull run test_cg
	[ "$status" -eq 137 ] || fail "expected an OOM kill (137), got $status"
}

@test "cgroups [pids limit is written and stops forks]" {
	update_config '.linux.resources.pids = {"limit": 8}'
	# the forking loop runs in a subshell: busybox sh gives up when fork fails
	set_args sh -c '(i=0; while [ $i -lt 20 ]; do sleep 100 & i=$((i+1)); done) 2>/tmp/err; exec sleep 3600'
	run_detached
	[ "$(cg_read pids pids.max)" = 8 ]
	local n i
	for i in $(seq 50); do
		n=$(cat "$(cg_dir pids)/pids.current")
		[ -s "$ROOTFS/tmp/err" ] && break
		sleep 0.1
	done
	n=$(cat "$(cg_dir pids)/pids.current")
	[ "$n" -le 8 ] || fail "pids.current $n above the limit"
	grep -qi "fork\|resource" "$ROOTFS/tmp/err" || fail "no fork failure reported: $(cat "$ROOTFS/tmp/err")"
	hull delete --force test_cg
	assert_success
}

@test "cgroups [cpu shares, quota and period]" {
	update_config '.linux.resources.cpu = {"shares": 512, "quota": 50000, "period": 100000}'
	run_detached
	if [ -n "$CG_V2" ]; then
		# quadratic shares→weight conversion (runc >= 1.3.2): 512 → 59
		[ "$(cg_read cpu cpu.weight)" = 59 ]
		[ "$(cg_read cpu cpu.max)" = "50000 100000" ]
	else
		[ "$(cg_read cpu cpu.shares)" = 512 ]
		[ "$(cg_read cpu cpu.cfs_quota_us)" = 50000 ]
		[ "$(cg_read cpu cpu.cfs_period_us)" = 100000 ]
	fi
	hull delete --force test_cg
	assert_success
}

@test "cgroups [cpuset restricts the cpus of pid 1]" {
	update_config '.linux.resources.cpu = {"cpus": "0", "mems": "0"}'
	run_detached
	[ "$(cg_read cpuset cpuset.cpus)" = 0 ]
	[ "$(cg_read cpuset cpuset.mems)" = 0 ]
	local pid
	pid=$(hull_state_field test_cg pid)
	grep -q '^Cpus_allowed_list:[[:space:]]*0$' "/proc/$pid/status" || fail "$(grep Cpus_allowed_list "/proc/$pid/status")"
	if command -v taskset >/dev/null; then
		run taskset -p "$pid"
		assert_output --regexp 'mask: 1$'
	fi
	hull delete --force test_cg
	assert_success
}

@test "cgroups [pause freezes every process, resume thaws]" {
	run_detached
	hull pause test_cg
	assert_success
	[ "$(hull_state_field test_cg status)" = paused ]
	if [ -n "$CG_V2" ]; then
		grep -qx 'frozen 1' "$(cg_dir memory)/cgroup.events"
	else
		[ "$(cg_read freezer freezer.state)" = FROZEN ]
	fi
	local pid
	pid=$(hull_state_field test_cg pid)
	# a frozen task shows as D (v1 freezer) or S with the cgroup frozen (v2)
	grep -E '^State:[[:space:]]+[DS]' "/proc/$pid/status"
	hull resume test_cg
	assert_success
	[ "$(hull_state_field test_cg status)" = running ]
	if [ -n "$CG_V2" ]; then
		grep -qx 'frozen 0' "$(cg_dir memory)/cgroup.events"
	else
		[ "$(cg_read freezer freezer.state)" = THAWED ]
	fi
	hull delete --force test_cg
	assert_success
}

@test "cgroups [paused container can be deleted with --force]" {
	run_detached
	local dir
	dir=$(cg_dir memory)
	hull pause test_cg
	assert_success
	hull delete --force test_cg
	assert_success
	[ ! -d "$dir" ]
}

@test "cgroups [device rules: last match wins, default deny]" {
	# c 1:12 has no driver: an allowed open fails with ENXIO, a denied one with EPERM.
	update_config '.linux.devices = [{"path": "/dev/hull-a", "type": "c", "major": 1, "minor": 12},
		{"path": "/dev/hull-b", "type": "c", "major": 1, "minor": 12}]'
	# allowed rwm, then writes denied by a later rule
	update_config '.linux.resources.devices += [{"allow": true, "type": "c", "major": 1, "minor": 12, "access": "rwm"},
		{"allow": false, "type": "c", "major": 1, "minor": 12, "access": "w"}]'
	set_args sh -c 'cat /dev/hull-a; (echo x >/dev/hull-b); echo x >/dev/null && echo null-ok; true'
	hull run test_cg
	assert_success
	assert_line --regexp 'hull-a.*No such device or address'
	assert_line --regexp 'hull-b: Operation not permitted'
	assert_output --partial null-ok
}

@test "cgroups [update changes limits of a running container]" {
	update_config '.linux.resources.pids = {"limit": 100}'
	run_detached
	[ "$(cg_read pids pids.max)" = 100 ]
	hull update --pids-limit 50 test_cg
	assert_success
	[ "$(cg_read pids pids.max)" = 50 ]
	hull update -r - test_cg <<<'{"pids": {"limit": -1}}' || true
	hull delete --force test_cg
	assert_success
}

@test "cgroups [kill --all signals every process]" {
	set_args sh -c 'sleep 1000 & sleep 1000 & sleep 3600'
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	run_detached
	local dir
	dir=$(cg_dir pids)
	for _ in $(seq 30); do [ "$(wc -l <"$dir/cgroup.procs")" -ge 3 ] && break; sleep 0.1; done
	[ "$(wc -l <"$dir/cgroup.procs")" -ge 3 ]
	hull kill --all test_cg KILL
	assert_success
	for _ in $(seq 50); do [ -z "$(cat "$dir/cgroup.procs")" ] && break; sleep 0.1; done
	[ -z "$(cat "$dir/cgroup.procs")" ] || fail "processes left: $(cat "$dir/cgroup.procs")"
	wait_for_container test_cg stopped
	hull delete test_cg
	assert_success
}

@test "cgroups [events --stats prints runc's stats object]" {
	update_config '.linux.resources.pids = {"limit": 20}'
	run_detached
	hull events --stats test_cg
	assert_success
	[ "$(jq -r .type <<<"$output")" = stats ]
	[ "$(jq -r .id <<<"$output")" = test_cg ]
	[ "$(jq -r .data.pids.limit <<<"$output")" = 20 ]
	[ "$(jq -r .data.pids.current <<<"$output")" -ge 1 ]
	hull delete --force test_cg
	assert_success
}

@test "cgroups [unified keys are refused when unusable]" {
	update_config '.linux.resources.unified = {"../memory.max": "1"}'
	hull run test_cg
	assert_failure
	if [ -n "$CG_V2" ]; then
		assert_output --partial "invalid key"
	fi
}

@test "cgroups [cgroupsPath with .. is refused]" {
	update_config '.linux.cgroupsPath = "/a/../b"'
	hull run test_cg
	assert_failure
	assert_output --partial '..'
}
