#!/usr/bin/env bats
# Signals and reaping: a foreground `hull run` forwards signals and exits with the container's status;
# `kill` never hits a reused pid; hull reaps orphans as a subreaper; nothing of hull stays after create.

load helpers

setup() {
	setup_bundle
	requires payload
	CTR="test_signals_$$"
}
teardown() { teardown_bundle; }

# run_bg ARGS...: a foreground `hull run` in the background; $HULL_PID, output in $OUT.
run_bg() {
	OUT="$BATS_TEST_TMPDIR/run.out"
	# a background job starts with SIGINT and SIGQUIT ignored: hull must forward them all the same
	"$HULL" --root "$HULL_ROOT" run "$@" "$CTR" >"$OUT" 2>&1 </dev/null 3>&- &
	HULL_PID=$!
	echo "$CTR" >>"$BATS_TEST_TMPDIR/.ids"
}

wait_for_line() {
	local i
	for ((i = 0; i < 100; i++)); do
		grep -qx "$1" "$OUT" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "'$1' never printed; output: $(cat "$OUT")"
}

# wait for the background hull; its status in $RC
wait_hull() {
	RC=0
	wait "$HULL_PID" || RC=$?
}

@test "signals [TERM, INT, HUP, USR1 sent to a foreground run arrive in the container]" {
	set_args /bin/hull-payload signals
	run_bg
	wait_for_line ready
	local s
	for s in USR1 HUP INT; do
		kill -"$s" "$HULL_PID"
		wait_for_line "SIG$s"
	done
	kill -TERM "$HULL_PID"
	wait_hull
	assert_equal "$RC" 0 # the payload exits 0 after SIGTERM
	wait_for_line SIGTERM
	assert_nothing_left
}

@test "signals [a forwarded signal that kills the process: exit status 128+N]" {
	# without a pid namespace the process is not an init, so default actions apply
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c 'echo ready; exec sleep 100'
	local s n
	for s in TERM INT HUP USR1; do
		rm -f "$BATS_TEST_TMPDIR/run.out"
		run_bg
		wait_for_line ready
		sleep 0.2
		kill -"$s" "$HULL_PID"
		n=$(kill -l "$s")
		wait_hull
	assert_equal "$RC" $((128 + n))
		assert_nothing_left
	done
}

@test "signals [exit status of a process killed by itself, and of a normal exit]" {
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args /bin/hull-payload kill-self 10
	hull run "$CTR"
	assert_equal "$status" 138
	set_args /bin/hull-payload exit 42
	hull run "$CTR"
	assert_equal "$status" 42
}

@test "signals [kill never signals a reused pid]" {
	set_args sleep 100
	hull run -d "$CTR"
	assert_success
	local pid state="$HULL_ROOT/$CTR/state.json"
	pid=$(hull_state_field "$CTR" pid)
	# pretend the pid now belongs to another process: same pid, another start time
	jq '.pid_start_time = 1' "$state" >"$state.tmp" && mv "$state.tmp" "$state"
	hull kill "$CTR" KILL
	assert_failure
	assert_output --partial "container not running"
	sleep 0.2
	[ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" || fail "hull signalled pid $pid"
	hull state "$CTR"
	assert_output --partial '"status": "stopped"'
	kill -9 "$pid"
	hull delete --force "$CTR"
}

@test "signals [orphans are reaped by hull as subreaper]" {
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	# the shell's child forks a grandchild and exits: the grandchild is orphaned
	# (the orphan lives 3 s: enough for the check below on a loaded machine)
	set_args sh -c '(sleep 3 & echo $! >/tmp/orphan); echo ready; sleep 5'
	run_bg
	wait_for_line ready
	local orphan
	wait_for_file "$ROOTFS/tmp/orphan"
	orphan=$(cat "$ROOTFS/tmp/orphan")
	sleep 0.3
	# reparented to hull (PR_SET_CHILD_SUBREAPER), not to the host's init
	assert_equal "$(awk '/^PPid/ { print $2 }' "/proc/$orphan/status")" "$HULL_PID"
	sleep 3.5
	# it exited and hull reaped it: no zombie
	[ ! -d "/proc/$orphan" ] || fail "orphan $orphan left: $(grep State "/proc/$orphan/status")"
	wait_hull
	assert_equal "$RC" 0
}

@test "signals [--no-subreaper: orphans go elsewhere]" {
	update_config '.linux.namespaces |= map(select(.type != "pid"))'
	set_args sh -c '(sleep 1 & echo $! >/tmp/orphan); echo ready; sleep 2'
	run_bg --no-subreaper
	wait_for_line ready
	wait_for_file "$ROOTFS/tmp/orphan"
	sleep 0.3
	local orphan
	orphan=$(cat "$ROOTFS/tmp/orphan")
	[ ! -d "/proc/$orphan" ] || [ "$(awk '/^PPid/ { print $2 }' "/proc/$orphan/status")" != "$HULL_PID" ] ||
		fail "hull adopted the orphan despite --no-subreaper"
	wait_hull
	assert_equal "$RC" 0
}

@test "signals [after create no hull process remains but the container init]" {
	hull create "$CTR"
	assert_success
	local pid p n=0 argv0
	pid=$(hull_state_field "$CTR" pid)
	for p in /proc/[0-9]*; do
		# every hull process of this test has our state root on its command line
		grep -q -- "$HULL_ROOT" "$p/cmdline" 2>/dev/null || continue
		argv0=$(tr '\0' '\n' <"$p/cmdline" 2>/dev/null | head -1)
		# (under tests/suites/fallback.sh $HULL is a wrapper that execs the real binary)
		[ "$argv0" = "$HULL" ] || [ "${argv0##*/}" = hull ] || continue
		n=$((n + 1))
		[ "${p#/proc/}" = "$pid" ] || fail "hull process ${p#/proc/} left after create: $(tr '\0' ' ' <"$p/cmdline")"
	done
	assert_equal "$n" 1
	# and the init is a child of the caller's reaper (here: reparented), not of a hull process
	hull delete --force "$CTR"
	assert_success
}

@test "signals [SIGWINCH and SIGURG are not forwarded without a terminal]" {
	set_args /bin/hull-payload signals
	run_bg
	wait_for_line ready
	kill -WINCH "$HULL_PID"
	kill -URG "$HULL_PID"
	kill -USR2 "$HULL_PID"
	wait_for_line SIGUSR2
	kill -TERM "$HULL_PID"
	wait_hull
	assert_equal "$RC" 0
	run cat "$OUT"
	refute_line SIGURG
	refute_line SIGWINCH
}

# wait_not_pending SIG...: wait until none of the signals is pending for the background hull (it
# blocks every signal and takes them with sigwaitinfo: once they are no longer pending, hull has
# handled them, forwarded or not)
wait_not_pending() {
	local mask=0 s i pnd shd
	for s in "$@"; do mask=$((mask | 1 << ($(kill -l "$s") - 1))); done
	for ((i = 0; i < 100; i++)); do
		pnd=$(awk '/^SigPnd:/ { print $2 }' "/proc/$HULL_PID/status")
		shd=$(awk '/^ShdPnd:/ { print $2 }' "/proc/$HULL_PID/status")
		[ -n "$pnd" ] && [ -n "$shd" ] || fail "hull ($HULL_PID) is gone"
		(((0x$pnd | 0x$shd) & mask)) || return 0
		sleep 0.1
	done
	fail "signals $* still pending for hull after 10 s (SigPnd $pnd, ShdPnd $shd)"
}

# send_chld_urg_then_marker: SIGCHLD and SIGURG to the background hull three times, each time until
# hull has taken them, then SIGPWR as a marker: a forwarded CHLD or URG would have been sent to the
# process before it, so once SIGPWR is printed anything forwarded earlier has arrived too
send_chld_urg_then_marker() {
	local i
	for ((i = 0; i < 3; i++)); do
		kill -CHLD "$HULL_PID"
		kill -URG "$HULL_PID"
		wait_not_pending CHLD URG
	done
	kill -PWR "$HULL_PID"
	wait_for_line SIGPWR
	sleep 0.3
}

@test "signals [SIGCHLD and SIGURG to a foreground run without a terminal do not reach the init]" {
	# security.md §3.6/§5 test 26: like runc, hull reaps on SIGCHLD and drops SIGURG; it forwards the
	# rest.  The payload is the container's init (own pid namespace), has no children and catches
	# every signal, printing its name: a SIGCHLD or SIGURG line could only come from hull.
	set_args /bin/hull-payload signals 7
	run_bg
	wait_for_line ready
	send_chld_urg_then_marker
	run cat "$OUT"
	refute_line SIGCHLD
	refute_line SIGURG
	# the container is still running, and TERM does arrive, with the exit status propagated
	[ -d "/proc/$HULL_PID" ] || fail "hull exited on SIGCHLD/SIGURG"
	hull state "$CTR"
	assert_output --partial '"status": "running"'
	kill -TERM "$HULL_PID"
	wait_hull
	assert_equal "$RC" 7 # the payload exits 7 after SIGTERM
	wait_for_line SIGTERM
	run cat "$OUT"
	refute_line SIGCHLD
	refute_line SIGURG
	assert_line SIGPWR
	assert_nothing_left
}

@test "signals [a foreground run does not hold the container's lock: state, ps, exec and kill work meanwhile]" {
	set_args /bin/hull-payload signals 7
	run_bg
	wait_for_line ready
	HULL_CMD_TIMEOUT=20 hull state "$CTR"
	assert_success
	assert_output --partial '"status": "running"'
	HULL_CMD_TIMEOUT=20 hull ps "$CTR"
	assert_success
	HULL_CMD_TIMEOUT=20 hull exec "$CTR" echo from-exec
	assert_success
	assert_output from-exec
	HULL_CMD_TIMEOUT=20 hull kill "$CTR" USR1
	assert_success
	wait_for_line SIGUSR1
	HULL_CMD_TIMEOUT=20 hull kill "$CTR" TERM
	assert_success
	wait_hull
	assert_equal "$RC" 7
	assert_nothing_left
}

@test "signals [delete --force of a foreground run's container: the run does not destroy a new container of that id]" {
	set_args /bin/hull-payload signals 7
	run_bg
	wait_for_line ready
	# hold the run still (SIGSTOP cannot be blocked) while its container is deleted and the id reused
	kill -STOP "$HULL_PID"
	HULL_CMD_TIMEOUT=20 hull delete --force "$CTR"
	assert_success
	set_args sleep 100
	HULL_CMD_TIMEOUT=20 hull run -d "$CTR"
	assert_success
	local pid
	pid=$(hull_state_field "$CTR" pid)
	kill -CONT "$HULL_PID"
	wait_hull
	assert_equal "$RC" 137 # the deleted container's init was killed
	# the new container is intact: its state, its init
	hull state "$CTR"
	assert_success
	assert_output --partial '"status": "running"'
	assert_equal "$(hull_state_field "$CTR" pid)" "$pid"
	hull delete --force "$CTR"
	assert_success
	assert_nothing_left
}

@test "signals [SIGCHLD and SIGURG to a foreground exec without a terminal do not reach the process]" {
	# the same forwarding loop serves `exec`: the exec'd payload catches every signal and prints it
	set_args sleep 3600
	hull run -d "$CTR"
	assert_success
	OUT="$BATS_TEST_TMPDIR/exec.out"
	"$HULL" --root "$HULL_ROOT" exec "$CTR" /bin/hull-payload signals 9 >"$OUT" 2>&1 </dev/null 3>&- &
	HULL_PID=$!
	wait_for_line ready
	send_chld_urg_then_marker
	kill -TERM "$HULL_PID"
	wait_hull
	assert_equal "$RC" 9
	wait_for_line SIGTERM
	run cat "$OUT"
	refute_line SIGCHLD
	refute_line SIGURG
	hull delete --force "$CTR"
	assert_success
}
