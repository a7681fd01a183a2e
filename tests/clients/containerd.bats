#!/usr/bin/env bats
# containerd 1.6 (containerd-shim-runc-v2) driving hull through ctr.  `ctr run --runc-binary PATH`
# sends the shim the runc options {BinaryName: PATH}, exactly what a CRI runtime entry's
# `options.BinaryName` does (the CRI plugin is off here; ctr 1.6's --runtime-config-path only works
# for non-runc shims).  RB uses the wrapper .../rt/hull-path, BN the wrapper .../named/hull.  The private containerd runs with its own root/state/sockets (CRI plugin off); the
# ctr namespace $HC_NS makes the cgroupsPath /$HC_NS/<id>.

load helpers

setup() {
	[ -z "${HC_NO_CONTAINERD:-}" ] || skip "the private containerd did not start (see the suite's log)"
	RB=(--runc-binary "$HC_RT")
	BN=(--runtime io.containerd.runc.v2 --runc-binary "$HC_NAMED")
	CIMG=localhost/busybox:latest
}

teardown() {
	local id
	for id in $(c tasks ls -q 2>/dev/null 3>&-); do
		HC_TIMEOUT=20 c tasks kill -a -s 9 "$id" >/dev/null 2>&1 3>&-
		HC_TIMEOUT=20 c tasks rm -f "$id" >/dev/null 2>&1 3>&-
	done
	for id in $(c containers ls -q 2>/dev/null 3>&-); do
		HC_TIMEOUT=20 c containers rm "$id" >/dev/null 2>&1 3>&-
	done
}

task_pid() { c tasks ls 2>/dev/null 3>&- | awk -v id="$1" '$1 == id {print $2}'; }
task_status() { c tasks ls 2>/dev/null 3>&- | awk -v id="$1" '$1 == id {print $3}'; }
status_is() { [ "$(task_status "$1")" = "$2" ]; }
# start_task ID [RUN ARGS...]: a detached task that exits 0 on TERM.
start_task() {
	local id=$1
	shift
	x c run -d "$@" $CIMG "$id" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	assert_success
	wait_until 25 status_is "$id" RUNNING
}

@test "ctr run --runc-binary: output and exit codes" {
	x c run --rm "${RB[@]}" $CIMG r1 echo hello-ctr
	assert_success
	assert_output hello-ctr
	x c run --rm "${RB[@]}" $CIMG r2 sh -c 'echo err >&2; exit 3'
	assert_failure 3
	assert_output err
	# (no stdin test with `ctr run`: ctr 1.6 does not pass stdin's EOF on reliably, with runc as
	# well; `tasks exec` below covers stdin)
}

@test "ctr run with the runc options BinaryName (the named wrapper)" {
	local n
	n=$(log_lines)
	x c run --rm "${BN[@]}" $CIMG b1 sh -c 'echo via-binaryname; exit 4'
	assert_failure 4
	assert_output via-binaryname
	invocations_since "$n" | grep -q '^hull	' || fail "the BinaryName wrapper was not called"
	invocations_since "$n" | grep -q -- '--log .*/log.json --log-format json create ' || fail "no create with --log"
}

@test "ctr run: a create error shows hull's message from log.json" {
	x c run --rm "${RB[@]}" $CIMG e1 /no/such/cmd
	assert_failure
	refute_output --partial "unable to retrieve OCI runtime error"
	assert_output --partial "/no/such/cmd"
	x c run --rm "${BN[@]}" --with-ns network:/nonexistent/netns $CIMG e2 true
	assert_failure
	refute_output --partial "unable to retrieve OCI runtime error"
	assert_output --partial "/nonexistent/netns"
}

@test "ctr run -d, tasks ls / kill / rm" {
	start_task d1 "${RB[@]}"
	x c tasks ls
	assert_output --regexp "d1[[:space:]]+[0-9]+[[:space:]]+RUNNING"
	local pid
	pid=$(task_pid d1)
	grep -q "/$HC_NS/d1\$" "/proc/$pid/cgroup"
	x c tasks kill d1
	assert_success
	wait_until 25 status_is d1 STOPPED
	x c tasks rm d1
	assert_success
	x c containers rm d1
	assert_success
	# SIGKILL: exit status 137 as ctr reports it
	start_task d2 "${RB[@]}"
	x c tasks kill -s SIGKILL d2
	assert_success
	wait_until 25 status_is d2 STOPPED
	x c tasks rm d2
	x c tasks ls
	refute_output --partial d2
	# kill of a stopped task: "process already finished", not a runtime failure
	start_task d3 "${BN[@]}"
	x c tasks kill -s 9 d3
	wait_until 25 status_is d3 STOPPED
	x c tasks kill -s 9 d3
	refute_output --partial "unknown error after kill"
}

@test "ctr tasks exec (exit code, stdin, -t) and tasks ps" {
	start_task x1 "${RB[@]}"
	x c tasks exec --exec-id e1 x1 sh -c 'echo in-exec; exit 7'
	assert_failure 7
	assert_output in-exec
	x_in "exec stdin" c tasks exec --exec-id e2 x1 cat
	assert_output "exec stdin"
	tty_run "c tasks exec -t --exec-id e3 x1 sh -c '[ -t 0 ] && [ -t 1 ] && echo CTR-TTY-OK; exit 8'; echo rc=\$?"
	assert_line CTR-TTY-OK
	assert_line rc=8
	x c tasks exec --exec-id e4 x1 /no/such/cmd
	assert_failure
	refute_output --partial "unable to retrieve OCI runtime error"
	assert_output --partial "/no/such/cmd"
	# tasks ps: host pids, the init among them
	c tasks exec -d --exec-id e5 x1 sleep 100 >/dev/null 2>&1 3>&- &
	wait_until 25 sh -c "ctr -a $HC_CTR_SOCK -n $HC_NS tasks ps x1 | grep -q ExecID:e5"
	x c tasks ps x1
	assert_success
	assert_line --regexp "^$(task_pid x1)[[:space:]]"
	assert_line --regexp "^[0-9]+[[:space:]].*ExecID:e5"
	HC_TIMEOUT=10 c tasks kill -a -s 9 x1 >/dev/null 2>&1 3>&-
	wait
}

@test "ctr run -t under a real pty" {
	tty_run "c run --rm -t ${RB[*]} $CIMG t1 sh -c '[ -t 0 ] && [ -t 1 ] && echo CTR-RUN-TTY; exit 9'; echo rc=\$?"
	assert_line CTR-RUN-TTY
	assert_line rc=9
}

@test "ctr tasks pause / resume (freezer on the host side)" {
	start_task p1 "${BN[@]}"
	local fz
	fz=$(cgroup_dir freezer "$(task_pid p1)")
	x c tasks pause p1
	assert_success
	status_is p1 PAUSED
	[ "$(cat "$fz/freezer.state")" = FROZEN ]
	x c tasks resume p1
	assert_success
	status_is p1 RUNNING
	[ "$(cat "$fz/freezer.state")" = THAWED ]
}

@test "ctr tasks kill --all" {
	start_task k1 "${RB[@]}"
	c tasks exec -d --exec-id e1 k1 sleep 100 >/dev/null 2>&1 3>&- &
	wait_until 25 sh -c "ctr -a $HC_CTR_SOCK -n $HC_NS tasks ps k1 | grep -q ExecID:e1"
	local pids
	pids=$(c tasks ps k1 | awk '/^[0-9]/ {print $1}')
	x c tasks kill --all -s 9 k1
	assert_success
	wait_until 25 status_is k1 STOPPED
	wait
	local p
	for p in $pids; do ! kill -0 "$p" 2>/dev/null; done
}

@test "ctr run --rootfs" {
	local r
	r=$(rootfs_copy)
	x c run --rm "${RB[@]}" --rootfs "$r" rf1 /bin/sh -c 'echo from-rootfs; exit 2'
	assert_failure 2
	assert_output from-rootfs
}

@test "ctr run --memory-limit (host-side memory cgroup)" {
	start_task m1 "${RB[@]}" --memory-limit 67108864
	[ "$(cat "$(cgroup_dir memory "$(task_pid m1)")/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "$(cgroup_dir cpu "$(task_pid m1)")/cpu.shares")" = 1024 ]
}

@test "ctr run --cap-drop / --cap-add (CapEff of pid 1)" {
	x c run --rm "${RB[@]}" $CIMG c1 cat /proc/1/status
	assert_success
	local def
	def=$(capeff "$output")
	[ "$def" = 00000000a80425fb ]
	x c run --rm "${RB[@]}" --cap-drop CAP_CHOWN --cap-drop CAP_NET_RAW $CIMG c2 cat /proc/1/status
	# CAP_CHOWN bit 0, CAP_NET_RAW bit 13
	[ "$(capeff "$output")" = "$(printf %016x $((16#$def & ~1 & ~(1 << 13))))" ]
	x c run --rm "${RB[@]}" --cap-add CAP_SYS_ADMIN $CIMG c3 cat /proc/1/status
	[ $((16#$(capeff "$output") & (1 << 21))) -ne 0 ]
	grep -q '^NoNewPrivs:[[:space:]]*1' <<<"$output"
}

@test "ctr run --read-only" {
	x c run --rm "${RB[@]}" --read-only $CIMG ro1 touch /x
	assert_failure
	assert_output --partial "Read-only file system"
	x c run --rm "${RB[@]}" --read-only $CIMG ro2 sh -c 'touch /dev/shm/x /run/x && echo tmpfs-ok'
	assert_success
	assert_output tmpfs-ok
}
