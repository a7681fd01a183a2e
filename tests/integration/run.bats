#!/usr/bin/env bats
# hull run: create + start; foreground waits and exits with the container's status.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

@test "run [foreground output and exit status 0]" {
	set_args sh -c 'echo hello; echo world'
	hull run test_run
	assert_success
	assert_output $'hello\nworld'
	# without --keep the container is gone afterwards
	hull state test_run
	assert_failure
	assert_output --partial "container does not exist"
}

@test "run [foreground exit status]" {
	set_args sh -c 'exit 42'
	hull run test_run
	[ "$status" -eq 42 ]
}

@test "run [128+signal when killed]" {
	# Without a pid namespace the process is not a namespace init, so it can kill itself.
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c 'kill -KILL $$'
	hull run test_run
	[ "$status" -eq 137 ]
}

@test "run [128+SIGTERM]" {
	requires payload
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args /bin/hull-payload kill-self 15
	hull run test_run
	[ "$status" -eq 143 ]
}

@test "run [-d]" {
	set_args sh -c 'echo $$ >/tmp/pid; exec sleep 3600'
	hull run -d test_run
	assert_success
	wait_for_container test_run running
	wait_for_file "$ROOTFS/tmp/pid"
	[ "$(cat "$ROOTFS/tmp/pid")" = 1 ]
	hull kill test_run KILL
	assert_success
	wait_for_container test_run stopped
	hull delete test_run
	assert_success
}

@test "run [--detach --pid-file]" {
	hull run --detach --pid-file "$BATS_TEST_TMPDIR/pid" test_run
	assert_success
	local pid
	pid=$(hull_state_field test_run pid)
	[ "$(cat "$BATS_TEST_TMPDIR/pid")" = "$pid" ]
	[ "$(wc -c <"$BATS_TEST_TMPDIR/pid")" -eq "${#pid}" ]
	hull delete --force test_run
	assert_success
}

@test "run [--keep leaves a stopped container]" {
	set_args sh -c 'exit 3'
	hull run --keep test_run
	[ "$status" -eq 3 ]
	[ "$(hull_state_field test_run status)" = stopped ]
	[ "$(hull_state_field test_run pid)" = 0 ]
	hull delete test_run
	assert_success
}

@test "run [--preserve-fds passes exactly those fds]" {
	requires payload
	echo a >"$ROOTFS/fd-a"
	echo b >"$ROOTFS/fd-b"
	echo c >"$ROOTFS/fd-c"
	set_args /bin/hull-payload fds
	run timeout -k 5 "$HULL_CMD_TIMEOUT" bash -c 'exec "$1" --root "$2" run --preserve-fds 2 test_run 3<"$3/fd-a" 4<"$3/fd-b" 5<"$3/fd-c" </dev/null' \
		_ "$HULL" "$HULL_ROOT" "$ROOTFS"
	echo "$output" >&2
	assert_success
	local out=$output
	run awk '{ print $1 }' <<<"$out"
	assert_output $'0\n1\n2\n3\n4'
	# the targets are the files (their path may be shown as seen from the host)
	run echo "$out"
	assert_line --regexp '^3 (.*/)?fd-a$'
	assert_line --regexp '^4 (.*/)?fd-b$'
}

@test "run [only stdio without --preserve-fds]" {
	requires payload
	set_args /bin/hull-payload fds
	run timeout -k 5 "$HULL_CMD_TIMEOUT" bash -c 'exec "$1" --root "$2" run test_run 3</dev/null 4</dev/null 7</dev/null </dev/null' _ "$HULL" "$HULL_ROOT"
	echo "$output" >&2
	assert_success
	run awk '{ print $1 }' <<<"$output"
	assert_output $'0\n1\n2'
}

@test "run [LISTEN_FDS passes the fds and sets LISTEN_FDS, LISTEN_PID=1]" {
	requires payload
	echo a >"$ROOTFS/fd-a"
	echo b >"$ROOTFS/fd-b"
	set_args sh -c 'echo "LISTEN_FDS=$LISTEN_FDS LISTEN_PID=$LISTEN_PID"; exec /bin/hull-payload fds'
	# LISTEN_PID must name the runtime itself (sd_listen_fds semantics): exec keeps bash's pid.
	run timeout -k 5 "$HULL_CMD_TIMEOUT" bash -c 'export LISTEN_FDS=2 LISTEN_PID=$$; exec "$1" --root "$2" run test_run 3<"$3/fd-a" 4<"$3/fd-b" 5</dev/null </dev/null' \
		_ "$HULL" "$HULL_ROOT" "$ROOTFS"
	echo "$output" >&2
	assert_success
	assert_line --index 0 "LISTEN_FDS=2 LISTEN_PID=1"
	assert_line --regexp '^3 (.*/)?fd-a$'
	assert_line --regexp '^4 (.*/)?fd-b$'
	refute_line --regexp '^5 '
}

@test "run [stdin is passed through]" {
	set_args sh -c 'read line; echo "got $line"'
	run timeout -k 5 "$HULL_CMD_TIMEOUT" bash -c 'echo ping | "$1" --root "$2" run test_run 3>&-' _ "$HULL" "$HULL_ROOT"
	assert_success
	assert_output "got ping"
}
