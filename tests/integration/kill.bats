#!/usr/bin/env bats
# hull kill ID [SIGNAL]

load helpers

setup() {
	setup_bundle
	requires payload
	set_args sh -c 'exec /bin/hull-payload signals >/tmp/sig'
}
teardown() { teardown_bundle; }

start_signals() {
	hull run -d --bundle "$BUNDLE" test_kill
	assert_success
	wait_for_file "$ROOTFS/tmp/sig"  # "ready": handlers are installed
}

# wait until /tmp/sig inside the container has the line $1
wait_for_signal() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -qx "$1" "$ROOTFS/tmp/sig" && return 0
		sleep 0.1
	done
	fail "signal $1 not received; got: $(cat "$ROOTFS/tmp/sig")"
}

@test "kill [default is SIGTERM]" {
	start_signals
	hull kill test_kill
	assert_success
	wait_for_signal SIGTERM
	wait_for_container test_kill stopped
	hull delete test_kill
	assert_success
}

@test "kill [name with SIG prefix]" {
	start_signals
	hull kill test_kill SIGUSR1
	assert_success
	wait_for_signal SIGUSR1
	[ "$(hull_state_field test_kill status)" = running ]
	hull kill test_kill SIGTERM
	assert_success
	wait_for_container test_kill stopped
	hull delete test_kill
	assert_success
}

@test "kill [name without SIG prefix]" {
	start_signals
	hull kill test_kill USR2
	assert_success
	wait_for_signal SIGUSR2
	hull kill test_kill HUP
	assert_success
	wait_for_signal SIGHUP
	hull kill test_kill TERM
	assert_success
	wait_for_container test_kill stopped
	hull delete test_kill
	assert_success
}

@test "kill [signal number]" {
	start_signals
	hull kill test_kill 10
	assert_success
	wait_for_signal SIGUSR1
	hull kill test_kill 15
	assert_success
	wait_for_container test_kill stopped
	hull delete test_kill
	assert_success
}

@test "kill [KILL]" {
	set_args sleep 3600
	hull run -d --bundle "$BUNDLE" test_kill
	assert_success
	local pid
	pid=$(hull_state_field test_kill pid)
	hull kill test_kill KILL
	assert_success
	wait_for_container test_kill stopped
	[ ! -d "/proc/$pid" ] || [ "$(awk '/^State:/ { print $2 }' "/proc/$pid/status")" = Z ]
	hull delete test_kill
	assert_success
}

@test "kill [created container]" {
	set_args sleep 3600
	hull create --bundle "$BUNDLE" test_kill
	assert_success
	hull kill test_kill KILL
	assert_success
	wait_for_container test_kill stopped
	hull delete test_kill
	assert_success
}

@test "kill [--all]" {
	set_args sh -c 'sleep 3600 & sleep 3600 & exec sleep 3600'
	hull run -d --bundle "$BUNDLE" test_kill
	assert_success
	hull kill --all test_kill KILL
	assert_success
	wait_for_container test_kill stopped
	hull delete test_kill
	assert_success
}

@test "kill [--all on a stopped container succeeds]" {
	set_args true
	hull run -d --bundle "$BUNDLE" test_kill
	assert_success
	wait_for_container test_kill stopped
	hull kill --all test_kill 9
	assert_success
	hull kill -a test_kill KILL
	assert_success
	hull delete test_kill
	assert_success
}

@test "kill [container not running]" {
	set_args true
	hull run -d --bundle "$BUNDLE" test_kill
	assert_success
	wait_for_container test_kill stopped
	hull kill test_kill KILL
	assert_failure
	assert_output --partial "container not running"
	assert_single_error_line
	hull delete test_kill
	assert_success
}

@test "kill [unknown signal]" {
	start_signals
	hull kill test_kill NOSUCHSIG
	assert_failure
	assert_output --partial "NOSUCHSIG"
	assert_single_error_line
	hull kill test_kill 1000
	assert_failure
	# nothing was delivered and the container still runs
	[ "$(hull_state_field test_kill status)" = running ]
	[ "$(cat "$ROOTFS/tmp/sig")" = ready ]
	hull delete --force test_kill
	assert_success
}

@test "kill [container does not exist]" {
	hull kill nosuch KILL
	assert_failure
	assert_output --partial "container does not exist"
	assert_single_error_line
}
