#!/usr/bin/env bats
# podman 4.x + conmon driving hull: as the named runtime "hull" of containers.conf (listed in
# runtime_supports_json, so conmon passes --log-format=json --log) through `pm`, and given by path
# (`--runtime .../hull-path`, not in that list: no --log, errors come from conmon's stderr) through
# `pmr`.  Every container gets the cgroup parent /$HC_CG-pm.

load helpers

teardown() {
	HC_TIMEOUT=60 pm rm -af -t 0 >/dev/null 2>&1 3>&-
}

# ctr_pid NAME: host pid of the container's init.
ctr_pid() { pm inspect --format '{{.State.Pid}}' "$1" 2>/dev/null 3>&-; }
ctr_status() { pm inspect --format '{{.State.Status}}' "$1" 2>/dev/null 3>&-; }
ctr_exit() { pm inspect --format '{{.State.ExitCode}}' "$1" 2>/dev/null 3>&-; }
status_is() { [ "$(ctr_status "$1")" = "$2" ]; }
logs_have() { pm logs "$1" 2>&1 3>&- | grep -q -- "$2"; }

# start_sleeper NAME [RUN ARGS...]: a detached container that exits 0 on TERM.
start_sleeper() {
	local name=$1
	shift
	x pm run -d --name "$name" "${PMDEF[@]}" "$@" $IMG \
		sh -c 'trap "echo got-term; exit 0" TERM; trap "echo got-usr1" USR1; echo ready; while :; do sleep 0.1; done'
	assert_success
	wait_until 50 logs_have "$name" ready
}

@test "podman run: output and exit codes (named runtime and --runtime PATH)" {
	x pm run --rm "${PMDEF[@]}" $IMG echo hello-named
	assert_success
	assert_output hello-named
	x pmr run --rm "${PMDEF[@]}" $IMG echo hello-path
	assert_success
	assert_output hello-path
	x pm run --rm "${PMDEF[@]}" $IMG sh -c 'exit 3'
	assert_failure 3
	x pmr run --rm "${PMDEF[@]}" $IMG sh -c 'echo to-stderr >&2; exit 42'
	assert_failure 42
	assert_output to-stderr
	x_in "some input" pm run --rm -i "${PMDEF[@]}" $IMG cat
	assert_success
	assert_output "some input"
}

@test "podman run: a missing command exits 127 with hull's message (JSON log and stderr routes)" {
	local n
	n=$(log_lines)
	x pm run --rm "${PMDEF[@]}" $IMG /no/such/cmd
	assert_failure 127
	assert_output --partial "/no/such/cmd"
	invocations_since "$n" | grep -q -- '--log-format=json --log ' || fail "the named runtime got no --log-format=json"
	x pmr run --rm "${PMDEF[@]}" $IMG no-such-cmd
	assert_failure 127
	assert_output --partial "no-such-cmd"
	x pm run --rm "${PMDEF[@]}" $IMG /etc/passwd
	assert_failure 126
}

@test "podman run --rootfs with --runtime PATH" {
	local r
	r=$(rootfs_copy)
	x pmr run --rm "${PMDEF[@]}" --rootfs "$r" /bin/sh -c 'echo from-rootfs; cat /etc/hostname >/dev/null'
	assert_success
	assert_output from-rootfs
}

@test "podman run -d, logs, ps, inspect" {
	start_sleeper sl
	x pm ps --format '{{.Names}} {{.Status}}'
	assert_success
	assert_output --regexp '^sl Up'
	x pm logs sl
	assert_output ready
	local pid
	pid=$(ctr_pid sl)
	[ "$pid" -gt 1 ]
	# the container's init is hull's child no more: conmon reaps it
	[ "$(ps -o comm= -p "$(awk '/^PPid:/ {print $2}' /proc/$pid/status)")" = conmon ]
	grep -q "/$HC_CG-pm/libpod-" "/proc/$pid/cgroup"
}

@test "podman exec: exit code, stdin, -d, --user, --workdir, --env" {
	start_sleeper ex
	x pm exec ex sh -c 'echo out; exit 7'
	assert_failure 7
	assert_output out
	x_in "piped data" pm exec -i ex cat
	assert_success
	assert_output "piped data"
	x pm exec -d ex sh -c 'echo detached >/tmp/exec-d'
	assert_success
	wait_until 50 pm exec ex test -s /tmp/exec-d
	x pm exec ex cat /tmp/exec-d
	assert_output detached
	x pm exec --user 1000:100 ex sh -c 'echo $(id -u) $(id -g)'
	assert_output "1000 100"
	x pm exec --user user ex id -un
	assert_output user
	x pm exec --workdir /tmp ex pwd
	assert_output /tmp
	x pm exec --env FOO=bar --env X=y ex sh -c 'echo $FOO$X'
	assert_output bary
	x pmr exec ex /no/such/cmd
	assert_failure 127
	x pm exec ex /no/such/cmd
	assert_failure 127
}

@test "podman run -it and exec -it under a real pty" {
	# (Debian 12's `script -e` does not pass the status on: the command line prints it)
	tty_run "pm run --rm -it ${PMDEF[*]} $IMG sh -c '[ -t 0 ] && [ -t 1 ] && echo TTY-OK; tty; exit 5'; echo rc=\$?"
	assert_line rc=5
	assert_line TTY-OK
	assert_line --regexp '^/dev/pts/[0-9]+$'
	start_sleeper it
	tty_run "pm exec -it it sh -c '[ -t 0 ] && [ -t 1 ] && echo EXEC-TTY-OK; exit 6'; echo rc=\$?"
	assert_line rc=6
	assert_line EXEC-TTY-OK
	# window size set by the client reaches the container
	tty_run "stty cols 123 rows 45; pm exec -it it stty size"
	assert_line "45 123"
}

@test "podman stop: TERM, then KILL after the timeout" {
	start_sleeper st
	x pm stop -t 10 st
	assert_success
	[ "$(ctr_exit st)" = 0 ]
	wait_until 20 logs_have st got-term
	# init ignores TERM (pid 1 without a handler): KILL after -t 2
	x pm run -d --name st2 "${PMDEF[@]}" $IMG sleep 1000
	assert_success
	local t0=$SECONDS
	x pm stop -t 2 st2
	assert_success
	[ $((SECONDS - t0)) -ge 2 ]
	[ "$(ctr_exit st2)" = 137 ]
}

@test "podman kill -s USR1, kill" {
	start_sleeper k
	x pm kill -s USR1 k
	assert_success
	wait_until 25 logs_have k got-usr1
	status_is k running
	x pm kill k
	assert_success
	wait_until 25 status_is k exited
	[ "$(ctr_exit k)" = 137 ]
}

@test "podman pause / unpause (freezer on the host side)" {
	start_sleeper pz
	local pid fz
	pid=$(ctr_pid pz)
	fz=$(cgroup_dir freezer "$pid")
	x pm pause pz
	assert_success
	status_is pz paused
	[ "$(cat "$fz/freezer.state")" = FROZEN ]
	x pm unpause pz
	assert_success
	status_is pz running
	[ "$(cat "$fz/freezer.state")" = THAWED ]
	x pm exec pz echo alive
	assert_output alive
}

@test "podman restart" {
	start_sleeper rs
	local pid1 pid2
	pid1=$(ctr_pid rs)
	x pm restart -t 5 rs
	assert_success
	wait_until 25 status_is rs running
	pid2=$(ctr_pid rs)
	[ "$pid2" -gt 1 ] && [ "$pid2" != "$pid1" ]
	x pm exec rs echo again
	assert_output again
}

@test "podman run --memory --pids-limit, then update (host-side cgroup values)" {
	start_sleeper mem --memory 64m --pids-limit 42
	local pid
	pid=$(ctr_pid mem)
	[ "$(cat "$(cgroup_dir memory "$pid")/memory.limit_in_bytes")" = 67108864 ]
	[ "$(cat "$(cgroup_dir pids "$pid")/pids.max")" = 42 ]
	# podman 4.3's update has no --pids-limit
	x pm update --memory 128m --cpu-shares 512 mem
	assert_success
	[ "$(cat "$(cgroup_dir memory "$pid")/memory.limit_in_bytes")" = 134217728 ]
	[ "$(cat "$(cgroup_dir cpu "$pid")/cpu.shares")" = 512 ]
	[ "$(cat "$(cgroup_dir pids "$pid")/pids.max")" = 42 ]
	# the default pids limit podman sets
	start_sleeper mem2
	[ "$(cat "$(cgroup_dir pids "$(ctr_pid mem2)")/pids.max")" = 2048 ]
}

@test "podman run --user" {
	x pm run --rm --user 1000:1000 "${PMDEF[@]}" $IMG sh -c 'echo $(id -u):$(id -g) $HOME'
	assert_success
	assert_output "1000:1000 /home/user"
	x pm run --rm --user nobody "${PMDEF[@]}" $IMG id -u
	assert_output 65534
}

@test "podman run --cap-drop / --cap-add (CapEff of pid 1)" {
	local def all none
	x pm run --rm "${PMDEF[@]}" $IMG cat /proc/1/status
	assert_success
	def=$(capeff "$output")
	x pm run --rm --cap-drop all "${PMDEF[@]}" $IMG cat /proc/1/status
	none=$(capeff "$output")
	[ "$none" = 0000000000000000 ]
	x pm run --rm --cap-drop CHOWN "${PMDEF[@]}" $IMG cat /proc/1/status
	# CAP_CHOWN is bit 0
	[ $((16#$(capeff "$output") | 1)) -eq $((16#$def)) ]
	[ $((16#$(capeff "$output") & 1)) -eq 0 ]
	x pm run --rm --cap-add SYS_ADMIN "${PMDEF[@]}" $IMG cat /proc/1/status
	# CAP_SYS_ADMIN is bit 21
	[ $((16#$(capeff "$output") & (1 << 21))) -ne 0 ]
	x pm run --rm --cap-drop all --user 0 "${PMDEF[@]}" $IMG chown 1000 /etc/hostname
	assert_failure
}

@test "podman run --read-only" {
	x pm run --rm --read-only "${PMDEF[@]}" $IMG sh -c 'touch /x'
	assert_failure
	assert_output --partial "Read-only file system"
	x pm run --rm --read-only "${PMDEF[@]}" $IMG sh -c 'touch /tmp/x /run/x /var/tmp/x && echo tmpfs-ok'
	assert_success
	assert_output tmpfs-ok
}

@test "podman run with podman's default seccomp profile" {
	x pm run --rm --cgroup-parent "/$HC_CG-pm" $IMG grep Seccomp: /proc/1/status
	if [ "$status" -ne 0 ] && [[ "$output" == *"$SECCOMP_PENDING"* ]]; then
		skip "hull: $SECCOMP_PENDING"
	fi
	assert_success
	assert_output --regexp 'Seccomp:[[:space:]]+2'
	# the profile denies swapon with EPERM even with CAP_SYS_ADMIN; unconfined, the kernel gets to
	# look at the file (not a swap area: EINVAL)
	x pm run --rm --cgroup-parent "/$HC_CG-pm" --cap-add SYS_ADMIN $IMG swapon /etc/hostname
	assert_failure
	assert_output --partial "Operation not permitted"
	x pm run --rm "${PMDEF[@]}" --cap-add SYS_ADMIN $IMG swapon /etc/hostname
	assert_failure
	assert_output --partial "Invalid argument"
	x pm run --rm "${PMDEF[@]}" $IMG grep Seccomp: /proc/1/status
	assert_output --regexp 'Seccomp:[[:space:]]+0' 
}

@test "podman rm -f of a running container, podman info" {
	start_sleeper rmf
	x pm rm -f -t 0 rmf
	assert_success
	x pm ps -a --format '{{.Names}}'
	refute_output --partial rmf
	x pm info --format '{{.Host.OCIRuntime.Name}} {{.Host.OCIRuntime.Version}}'
	assert_success
	assert_output --partial "hull"
}

@test "podman stop of a --pid host container (kill --all)" {
	local n
	n=$(log_lines)
	x pm run -d --name ph --pid host "${PMDEF[@]}" $IMG sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	assert_success
	wait_until 25 status_is ph running
	x pm stop -t 5 ph
	assert_success
	[ "$(ctr_exit ph)" = 0 ]
	invocations_since "$n" | grep -q 'kill --all ' || fail "podman did not call kill --all"
}
