#!/usr/bin/env bats
# hull delete [--force] ID

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

@test "delete [stopped]" {
	set_args true
	hull run -d --bundle "$BUNDLE" test_delete
	assert_success
	wait_for_container test_delete stopped
	hull delete test_delete
	assert_success
	assert_output ""
	[ ! -e "$HULL_ROOT/test_delete" ]
	hull state test_delete
	assert_failure
	assert_output --partial "container does not exist"
}

@test "delete [created container is killed and removed]" {
	hull create --bundle "$BUNDLE" test_delete
	assert_success
	local pid
	pid=$(hull_state_field test_delete pid)
	hull delete test_delete
	assert_success
	[ ! -e "$HULL_ROOT/test_delete" ]
	local i
	for ((i = 0; i < 50; i++)); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
	[ ! -d "/proc/$pid" ]
}

@test "delete [running container is refused]" {
	hull run -d --bundle "$BUNDLE" test_delete
	assert_success
	hull delete test_delete
	assert_failure
	assert_output --partial "cannot delete container test_delete that is not stopped: running"
	assert_single_error_line
	[ "$(hull_state_field test_delete status)" = running ]
	hull delete --force test_delete
	assert_success
}

@test "delete --force [running container]" {
	hull run -d --bundle "$BUNDLE" test_delete
	assert_success
	local pid
	pid=$(hull_state_field test_delete pid)
	hull delete --force test_delete
	assert_success
	[ ! -e "$HULL_ROOT/test_delete" ]
	# the process is gone (delete waits for it)
	local i
	for ((i = 0; i < 50; i++)); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
	[ ! -d "/proc/$pid" ]
}

@test "delete -f [running container]" {
	hull run -d --bundle "$BUNDLE" test_delete
	assert_success
	hull delete -f test_delete
	assert_success
	[ ! -e "$HULL_ROOT/test_delete" ]
}

@test "delete [container does not exist]" {
	hull delete nosuch
	assert_failure
	assert_output --partial "container does not exist"
	assert_single_error_line
}

@test "delete --force [container does not exist succeeds]" {
	hull delete --force nosuch
	assert_success
}

@test "delete [removes the container's cgroup]" {
	requires cgroups_v1
	hull run -d --bundle "$BUNDLE" test_delete
	assert_success
	local pid cg
	pid=$(hull_state_field test_delete pid)
	cg=$(awk -F: '$2 == "pids" { print $3 }' "/proc/$pid/cgroup")
	[ -n "$cg" ] && [ "$cg" != / ]
	[ -d "/sys/fs/cgroup/pids$cg" ]
	hull delete --force test_delete
	assert_success
	local i
	for ((i = 0; i < 50; i++)); do [ -d "/sys/fs/cgroup/pids$cg" ] || break; sleep 0.1; done
	[ ! -d "/sys/fs/cgroup/pids$cg" ]
}
