#!/usr/bin/env bats
# hull create: the container waits in "created" until start.

load helpers

setup() {
	setup_bundle
	set_args sh -c 'echo started >/tmp/started; exec sleep 3600'
}
teardown() { teardown_bundle; }

# Processes (other than PID) whose command line names this test's state root: hull invocations.
hull_processes_except() {
	local p cmd
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$1" ] && continue
		{ cmd=$(tr '\0' ' ' <"$p/cmdline"); } 2>/dev/null || continue
		[[ "$cmd" == *"$HULL_ROOT"* ]] && echo "${p#/proc/}: $cmd"
	done
	return 0
}

@test "create [waits in created until start]" {
	hull create --bundle "$BUNDLE" test_create
	assert_success
	[ "$(hull_state_field test_create status)" = created ]
	local pid
	pid=$(hull_state_field test_create pid)
	[ "$pid" -gt 0 ]
	[ -d "/proc/$pid" ]
	sleep 0.3
	# the user process has not run yet
	[ ! -e "$ROOTFS/tmp/started" ]

	hull start test_create
	assert_success
	wait_for_file "$ROOTFS/tmp/started"
	[ "$(hull_state_field test_create status)" = running ]
	# the init process is the user process (exec'd in place, same pid)
	[ "$(hull_state_field test_create pid)" = "$pid" ]
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 3600 " ]

	hull delete --force test_create
	assert_success
}

@test "create [--pid-file holds the pid, without a newline]" {
	hull create --bundle "$BUNDLE" --pid-file "$BATS_TEST_TMPDIR/pid" test_create
	assert_success
	local pid
	pid=$(hull_state_field test_create pid)
	run cat "$BATS_TEST_TMPDIR/pid"
	assert_output "$pid"
	# digits only, no trailing newline (go-runc parses the whole file with Atoi)
	[ "$(wc -c <"$BATS_TEST_TMPDIR/pid")" -eq "${#pid}" ]
	grep -qE '^[0-9]+$' "$BATS_TEST_TMPDIR/pid"
	hull delete --force test_create
	assert_success
}

@test "create [--pid-file relative to the current directory]" {
	cd "$BATS_TEST_TMPDIR"
	hull create --bundle "$BUNDLE" --pid-file rel.pid test_create
	assert_success
	[ "$(cat "$BATS_TEST_TMPDIR/rel.pid")" = "$(hull_state_field test_create pid)" ]
	hull delete --force test_create
	assert_success
}

@test "create [bundle defaults to the current directory]" {
	cd "$BUNDLE"
	hull create test_create
	assert_success
	[ "$(hull_state_field test_create bundle)" = "$BUNDLE" ]
	hull delete --force test_create
	assert_success
}

@test "create [-b bundle]" {
	cd /
	hull create -b "$BUNDLE" test_create
	assert_success
	[ "$(hull_state_field test_create bundle)" = "$BUNDLE" ]
	hull delete --force test_create
	assert_success
}

@test "create [no runtime process left behind]" {
	hull create --bundle "$BUNDLE" test_create
	assert_success
	local pid ppid
	pid=$(hull_state_field test_create pid)
	# after create only the container's init remains; its parent is not a hull process
	run hull_processes_except "$pid"
	assert_output ""
	ppid=$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status")
	[ "$(readlink "/proc/$ppid/exe")" != "$HULL" ]

	hull start test_create
	assert_success
	wait_for_file "$ROOTFS/tmp/started"
	# after start nothing of hull is left: the init exec'd the user process
	run hull_processes_except 0
	assert_output ""
	[ "$(readlink "/proc/$pid/exe")" != "$HULL" ]
	ppid=$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status")
	[ "$(readlink "/proc/$ppid/exe")" != "$HULL" ]

	hull delete --force test_create
	assert_success
}

@test "create [stdio is passed through to the container]" {
	set_args sh -c 'echo to-stdout; echo to-stderr >&2'
	# create returns; the container's output appears after start on the fds create was given
	run timeout -k 5 "$HULL_CMD_TIMEOUT" bash -c '"$1" --root "$2" create --bundle "$3" test_create >"$4/out" 2>"$4/err" </dev/null 3>&-' \
		_ "$HULL" "$HULL_ROOT" "$BUNDLE" "$BATS_TEST_TMPDIR"
	assert_success
	hull start test_create
	assert_success
	wait_for_container test_create stopped
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = to-stdout ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = to-stderr ]
	hull delete test_create
	assert_success
}
