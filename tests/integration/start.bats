#!/usr/bin/env bats
# hull start

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

@test "start [created → running]" {
	set_args sh -c 'echo $$ >/tmp/pid; exec sleep 3600'
	hull create --bundle "$BUNDLE" test_start
	assert_success
	hull start test_start
	assert_success
	assert_output ""
	wait_for_file "$ROOTFS/tmp/pid"
	# pid 1 of its own pid namespace
	[ "$(cat "$ROOTFS/tmp/pid")" = 1 ]
	[ "$(hull_state_field test_start status)" = running ]
	hull delete --force test_start
	assert_success
}

@test "start [process exits → stopped]" {
	set_args true
	hull create --bundle "$BUNDLE" test_start
	assert_success
	hull start test_start
	assert_success
	wait_for_container test_start stopped
	[ "$(hull_state_field test_start pid)" = 0 ]
	hull delete test_start
	assert_success
}

@test "start [container does not exist]" {
	hull start nosuch
	assert_failure
	assert_output --partial "container does not exist"
	assert_single_error_line
}

@test "start [missing id]" {
	hull start
	assert_failure
}
