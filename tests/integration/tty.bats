#!/usr/bin/env bats
# Terminals: the console-socket protocol (run -d, exec -d -t) and the foreground pty proxy
# (hull run / hull exec -t with no console socket), driven under a real pty by script(1).

load helpers

setup() {
	setup_bundle
	CTR="test_tty_$$"
	command -v script >/dev/null || skip "test requires script(1)"
}
teardown() {
	[ -n "${RECV_PID:-}" ] && kill "$RECV_PID" 2>/dev/null
	teardown_bundle
}

# start_recvtty MODE: a console socket receiver in the background; $SOCK, output in $RECV_OUT.
start_recvtty() {
	requires recvtty
	SOCK="$BATS_TEST_TMPDIR/console.sock"
	RECV_OUT="$BATS_TEST_TMPDIR/recv.out"
	"$HULL_RECVTTY" --mode "$1" --ready "$BATS_TEST_TMPDIR/recv.ready" "$SOCK" >"$RECV_OUT" 2>&1 </dev/null 3>&- &
	RECV_PID=$!
	local i
	for ((i = 0; i < 50; i++)); do
		[ -e "$BATS_TEST_TMPDIR/recv.ready" ] && return 0
		sleep 0.1
	done
	fail "recvtty did not start: $(cat "$RECV_OUT")"
}

wait_recvtty() {
	local rc=0
	wait "$RECV_PID" || rc=$?
	RECV_PID=
	[ "$rc" -eq 0 ] || fail "recvtty failed ($rc): $(cat "$RECV_OUT")"
}

# in_pty SECONDS SCRIPT [INPUT...]: run SCRIPT (a bash script text, with $HULL, $HULL_ROOT, $CTR
# exported) under a pty made by script(1); each INPUT is "DELAY BYTES" written to the pty after
# DELAY seconds; the pty stays open SECONDS in total.  $status and $output as bats' run.
in_pty() {
	local secs=$1 body=$2
	shift 2
	printf '%s\n' "$body" >"$BATS_TEST_TMPDIR/driver.sh"
	export HULL HULL_ROOT CTR BATS_TEST_TMPDIR
	run bash -c '
		secs=$1; shift
		feed() { for i in "$@"; do sleep "${i%% *}"; printf "${i#* }"; done; sleep "$secs"; }
		feed "$@" | timeout -k 5 $((secs + 20)) script -qec "bash $BATS_TEST_TMPDIR/driver.sh" /dev/null
	' _ "$secs" "$@" 3>&-
}

@test "tty [run -d with --console-socket: the master is sent, the process has the pty]" {
	start_recvtty copy
	update_config '.process.terminal = true'
	set_args sh -c 'echo hello-from-tty; tty; stty size'
	update_config '.process.consoleSize = {"height": 33, "width": 77}'
	hull run -d --console-socket "$SOCK" "$CTR"
	assert_success
	wait_recvtty
	run cat "$RECV_OUT"
	assert_line --partial hello-from-tty
	assert_line --partial /dev/pts/0
	assert_line --partial "33 77"
	wait_for_container "$CTR" stopped
	hull delete "$CTR"
	assert_success
}

@test "tty [console socket: one fd and a short non-empty payload]" {
	start_recvtty report
	update_config '.process.terminal = true'
	hull run -d --console-socket "$SOCK" "$CTR"
	assert_success
	wait_recvtty
	run cat "$RECV_OUT"
	assert_output --regexp '^received fd: .+'
	[ "${#output}" -lt 200 ] || fail "payload too long: $output"
	hull delete --force "$CTR"
	assert_success
}

@test "tty [exec -d -t with --console-socket]" {
	hull run -d "$CTR"
	assert_success
	start_recvtty copy
	hull exec -d -t --console-socket "$SOCK" "$CTR" sh -c 'echo exec-on-tty; tty'
	assert_success
	wait_recvtty
	run cat "$RECV_OUT"
	assert_line --partial exec-on-tty
	assert_line --regexp '^/dev/pts/[0-9]+'
	hull delete --force "$CTR"
	assert_success
}

@test "tty [run -d with a terminal and no console socket is refused]" {
	update_config '.process.terminal = true'
	hull run -d "$CTR"
	assert_failure
	assert_output --partial "cannot allocate tty if runc will detach without setting console socket"
	assert_nothing_left
}

@test "tty [a console socket without a terminal is refused]" {
	start_recvtty report
	hull run -d --console-socket "$SOCK" "$CTR"
	assert_failure
	assert_output --partial "cannot use console socket if runc will not detach or allocate tty"
	hull exec -d --console-socket "$SOCK" "$CTR" true
	assert_failure
	kill "$RECV_PID" 2>/dev/null
	RECV_PID=
	assert_nothing_left
}

@test "tty [foreground run: the process's status, its output through the proxy]" {
	update_config '.process.terminal = true'
	set_args sh -c 'tty; echo out-from-run; exit 9'
	in_pty 1 '"$HULL" --root "$HULL_ROOT" run "$CTR"; echo "status=$?"'
	assert_success
	assert_output --partial /dev/pts/0
	assert_output --partial out-from-run
	assert_output --partial status=9
	assert_nothing_left
}

@test "tty [foreground: raw mode while it runs, restored after]" {
	hull run -d "$CTR"
	assert_success
	in_pty 3 '
		stty -a </dev/tty >"$BATS_TEST_TMPDIR/before"
		(sleep 1; stty -a </dev/tty >"$BATS_TEST_TMPDIR/during") &
		"$HULL" --root "$HULL_ROOT" exec -t "$CTR" sleep 2
		echo "status=$?"
		stty -a </dev/tty >"$BATS_TEST_TMPDIR/after"'
	assert_success
	assert_output --partial status=0
	run cat "$BATS_TEST_TMPDIR/during"
	assert_output --regexp '(^|[[:space:]])-icanon([[:space:]]|$)'
	assert_output --regexp '(^|[[:space:]])-echo([[:space:]]|$)'
	assert_output --regexp '(^|[[:space:]])-isig([[:space:]]|$)'
	run cat "$BATS_TEST_TMPDIR/before"
	assert_output --regexp '(^|[[:space:]])icanon([[:space:]]|$)'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/before")" "$(cat "$BATS_TEST_TMPDIR/after")"
	hull delete --force "$CTR"
}

@test "tty [foreground: restored when the process fails to start]" {
	hull run -d "$CTR"
	assert_success
	in_pty 1 '
		stty -a </dev/tty >"$BATS_TEST_TMPDIR/before"
		"$HULL" --root "$HULL_ROOT" exec -t "$CTR" /no/such/binary
		echo "status=$?"
		stty -a </dev/tty >"$BATS_TEST_TMPDIR/after"'
	assert_output --partial status=255
	assert_equal "$(cat "$BATS_TEST_TMPDIR/before")" "$(cat "$BATS_TEST_TMPDIR/after")"
	hull delete --force "$CTR"
}

@test "tty [foreground: initial size from the caller's terminal, resize on SIGWINCH]" {
	hull run -d "$CTR"
	assert_success
	in_pty 4 '
		stty rows 30 cols 90 </dev/tty
		(sleep 1; stty rows 50 cols 120 </dev/tty) &
		"$HULL" --root "$HULL_ROOT" exec -t "$CTR" sh -c "stty size; trap \"stty size; exit 0\" WINCH; sleep 3; echo no-winch"
		echo "status=$?"'
	assert_success
	assert_output --partial "30 90"
	assert_output --partial "50 120"
	refute_output --partial no-winch
	hull delete --force "$CTR"
}

@test "tty [foreground: Ctrl-C interrupts the container process]" {
	hull run -d "$CTR"
	assert_success
	in_pty 2 '"$HULL" --root "$HULL_ROOT" exec -t "$CTR" sleep 100; echo "status=$?"' '1.5 \003'
	assert_success
	assert_output --partial status=130
	hull delete --force "$CTR"
}

@test "tty [foreground: input reaches the process, output comes back]" {
	hull run -d "$CTR"
	assert_success
	in_pty 2 '"$HULL" --root "$HULL_ROOT" exec -t "$CTR" sh; echo "status=$?"' \
		'1 echo typed-$((6*7))\r' '0.5 exit 5\r'
	assert_success
	assert_output --partial typed-42
	assert_output --partial status=5
	hull delete --force "$CTR"
}

@test "tty [foreground without a terminal on stdin: EOF leaves the pty open]" {
	hull run -d "$CTR"
	assert_success
	# stdin is /dev/null: hull stops reading it, the process runs to its end
	hull exec -t "$CTR" sh -c 'sleep 1; echo still-here; exit 3'
	assert_equal "$status" 3
	assert_output --partial still-here
	hull delete --force "$CTR"
}
