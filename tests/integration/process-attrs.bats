#!/usr/bin/env bats
# process.scheduler, process.ioPriority, process.execCPUAffinity, linux.memoryPolicy,
# linux.personality: each checked from inside the container (or on its pid from the host).

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

# The fields of /proc/self/stat the scheduler sets: nice (19), rt_priority (40), policy (41).
# The command name is "cut", without spaces, so plain field numbers are right.
STAT_FIELDS='cut -d " " -f 19,40,41 /proc/self/stat'

ncpus() { grep -c '^processor' /proc/cpuinfo; }

# Let the container's cpu cgroup run realtime tasks when the kernel accounts them per group
# (CONFIG_RT_GROUP_SCHED: a new group has cpu.rt_runtime_us = 0 and SCHED_FIFO gets EPERM); skip when
# the test's own cgroup has no budget to give (helpers.bash requires_rt_budget).
allow_realtime() {
	if [ -n "$(rt_budget)" ]; then
		requires_rt_budget 10000 1000000
		update_config '.linux.resources.cpu.realtimeRuntime = 10000 | .linux.resources.cpu.realtimePeriod = 1000000'
	fi
}

@test "process-attrs [scheduler SCHED_BATCH with nice]" {
	update_config '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 5}'
	set_args sh -c "$STAT_FIELDS; grep -E '^policy' /proc/self/sched"
	hull run test_attrs
	assert_success
	assert_line --index 0 "5 0 3"
	assert_line --index 1 --regexp '^policy +: +3$'
}

@test "process-attrs [scheduler SCHED_IDLE]" {
	update_config '.process.scheduler = {"policy": "SCHED_IDLE"}'
	set_args sh -c "$STAT_FIELDS"
	hull run test_attrs
	assert_success
	assert_output --regexp '^-?[0-9]+ 0 5$'
}

@test "process-attrs [scheduler SCHED_FIFO with priority]" {
	allow_realtime
	update_config '.process.scheduler = {"policy": "SCHED_FIFO", "priority": 10}'
	set_args sh -c "$STAT_FIELDS"
	hull run test_attrs
	assert_success
	assert_output --regexp '^-?[0-9]+ 10 1$'
}

@test "process-attrs [scheduler SCHED_RR with SCHED_FLAG_RESET_ON_FORK: children are back to SCHED_OTHER]" {
	allow_realtime
	update_config '.process.scheduler = {"policy": "SCHED_RR", "priority": 3, "flags": ["SCHED_FLAG_RESET_ON_FORK"]}'
	# the shell itself (pid 1) has the policy; the forked cut has not
	set_args sh -c "cut -d ' ' -f 40,41 /proc/1/stat; $STAT_FIELDS; true"
	hull run test_attrs
	assert_success
	assert_line --index 0 "3 2"
	assert_line --index 1 --regexp '^-?[0-9]+ 0 0$'
}

@test "process-attrs [scheduler SCHED_DEADLINE with runtime, deadline and period]" {
	update_config '.process.scheduler = {"policy": "SCHED_DEADLINE", "runtime": 10000000, "deadline": 100000000, "period": 100000000}'
	# a deadline task cannot fork: read its own sched file directly
	set_args cat /proc/self/sched
	hull run test_attrs
	assert_success
	assert_line --regexp '^policy +: +6$'
	assert_line --regexp '^dl\.runtime +: +[0-9]+$'
}

@test "process-attrs [scheduler refused by the kernel: clear error, nothing left]" {
	# SCHED_FIFO needs a priority of 1..99
	update_config '.process.scheduler = {"policy": "SCHED_FIFO", "priority": 0}'
	set_args true
	hull run test_attrs
	assert_failure
	assert_output --partial "error setting scheduler: Invalid argument"
	assert_single_error_line
	assert_nothing_left
}

@test "process-attrs [ioPriority class and priority, read back with ionice on the container's pid]" {
	command -v ionice >/dev/null || skip "test requires ionice(1)"
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_BE", "priority": 6}'
	hull create --bundle "$BUNDLE" test_attrs
	assert_success
	local pid
	pid=$(hull_state_field test_attrs pid)
	run ionice -p "$pid"
	assert_success
	assert_output "best-effort: prio 6"
	hull start test_attrs
	assert_success
	# the exec'd process keeps it
	run ionice -p "$pid"
	assert_output "best-effort: prio 6"
	hull delete --force test_attrs
	assert_success
}

@test "process-attrs [ioPriority IOPRIO_CLASS_IDLE]" {
	command -v ionice >/dev/null || skip "test requires ionice(1)"
	update_config '.process.ioPriority = {"class": "IOPRIO_CLASS_IDLE", "priority": 0}'
	hull run -d test_attrs
	assert_success
	run ionice -p "$(hull_state_field test_attrs pid)"
	assert_output "idle"
	hull delete --force test_attrs
	assert_success
}

@test "process-attrs [personality LINUX32: uname -m is i686]" {
	[ "$(uname -m)" = x86_64 ] || skip "test requires an x86_64 host"
	update_config '.linux.personality = {"domain": "LINUX32"}'
	set_args sh -c 'uname -m; cat /proc/self/personality'
	hull run test_attrs
	assert_success
	assert_line --index 0 i686
	assert_line --index 1 00000008
}

@test "process-attrs [personality LINUX with a flag]" {
	update_config '.linux.personality = {"domain": "LINUX", "flags": ["ADDR_NO_RANDOMIZE"]}'
	set_args sh -c 'uname -m; cat /proc/self/personality'
	hull run test_attrs
	assert_success
	assert_line --index 0 "$(uname -m)"
	assert_line --index 1 00040000
}

@test "process-attrs [personality with an unknown flag is refused]" {
	update_config '.linux.personality = {"domain": "LINUX", "flags": ["NO_SUCH_FLAG"]}'
	set_args true
	hull run test_attrs
	assert_failure
	assert_output --partial 'NO_SUCH_FLAG'
	assert_nothing_left
}

@test "process-attrs [execCPUAffinity: initial while the init waits, final after start]" {
	[ "$(ncpus)" -ge 2 ] || skip "test requires 2 CPUs"
	update_config '.process.execCPUAffinity = {"initial": "0", "final": "1"}'
	hull create --bundle "$BUNDLE" test_attrs
	assert_success
	local pid
	pid=$(hull_state_field test_attrs pid)
	run grep Cpus_allowed_list "/proc/$pid/status"
	assert_output --regexp $'^Cpus_allowed_list:\t0$'
	hull start test_attrs
	assert_success
	run grep Cpus_allowed_list "/proc/$pid/status"
	assert_output --regexp $'^Cpus_allowed_list:\t1$'
	hull delete --force test_attrs
	assert_success
}

@test "process-attrs [execCPUAffinity: initial only is what the process keeps]" {
	[ "$(ncpus)" -ge 2 ] || skip "test requires 2 CPUs"
	update_config '.process.execCPUAffinity = {"initial": "1"}'
	set_args grep Cpus_allowed_list /proc/self/status
	hull run test_attrs
	assert_success
	assert_output --regexp $'^Cpus_allowed_list:\t1$'
}

@test "process-attrs [execCPUAffinity unset: the caller's affinity is not inherited]" {
	[ "$(ncpus)" -ge 2 ] || skip "test requires 2 CPUs"
	command -v taskset >/dev/null || skip "test requires taskset(1)"
	local all
	all=$(grep Cpus_allowed_list /proc/self/status)
	set_args grep Cpus_allowed_list /proc/self/status
	run taskset -c 0 "$HULL" --root "$HULL_ROOT" run test_attrs </dev/null
	assert_success
	assert_output "$all"
}

@test "process-attrs [execCPUAffinity: an invalid list is refused, nothing left]" {
	update_config '.process.execCPUAffinity = {"initial": "0-x"}'
	set_args true
	hull run test_attrs
	assert_failure
	assert_output --partial 'process.execCPUAffinity.initial: invalid CPU list "0-x"'
	assert_single_error_line
	assert_nothing_left
}

@test "process-attrs [execCPUAffinity on exec]" {
	[ "$(ncpus)" -ge 2 ] || skip "test requires 2 CPUs"
	hull run -d test_attrs
	assert_success
	jq --arg cmd "grep Cpus_allowed_list /proc/self/status; $STAT_FIELDS" '.process | .args = ["sh", "-c", $cmd]
		| .execCPUAffinity = {"initial": "0", "final": "1"}
		| .scheduler = {"policy": "SCHED_BATCH", "nice": 7}' config.json >"$BATS_TEST_TMPDIR/process.json"
	hull exec --process "$BATS_TEST_TMPDIR/process.json" test_attrs
	assert_success
	assert_line --index 0 --regexp $'^Cpus_allowed_list:\t1$'
	assert_line --index 1 "7 0 3"
	hull delete --force test_attrs
	assert_success
}

@test "process-attrs [memoryPolicy MPOL_BIND: numa_maps shows bind:0]" {
	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "0"}'
	set_args cat /proc/self/numa_maps
	hull run test_attrs
	assert_success
	assert_line --regexp ' bind:0 '
	refute_line --regexp ' default '
}

@test "process-attrs [memoryPolicy MPOL_INTERLEAVE with MPOL_F_STATIC_NODES]" {
	update_config '.linux.memoryPolicy = {"mode": "MPOL_INTERLEAVE", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]}'
	set_args cat /proc/self/numa_maps
	hull run test_attrs
	assert_success
	assert_line --regexp ' interleave=static:0 '
}

@test "process-attrs [memoryPolicy MPOL_PREFERRED and MPOL_LOCAL]" {
	update_config '.linux.memoryPolicy = {"mode": "MPOL_PREFERRED", "nodes": "0"}'
	set_args cat /proc/self/numa_maps
	hull run test_attrs
	assert_success
	assert_line --regexp ' prefer:0 '

	update_config '.linux.memoryPolicy = {"mode": "MPOL_LOCAL"}'
	hull run test_attrs2
	assert_success
	assert_line --regexp ' local '
}

@test "process-attrs [memoryPolicy on a node that does not exist: clear error, nothing left]" {
	update_config '.linux.memoryPolicy = {"mode": "MPOL_BIND", "nodes": "7"}'
	set_args true
	hull run test_attrs
	assert_failure
	assert_output --partial 'set_mempolicy MPOL_BIND nodes "7": Invalid argument'
	assert_single_error_line
	assert_nothing_left
}
