#!/usr/bin/env bats
# hull exec [options] ID COMMAND... : every flag, its effect read inside the container; exit codes.

load helpers

setup() {
	setup_bundle
	# unique: other runs of this file may share the machine's cgroup hierarchies
	CTR="test_exec_$$"
}
teardown() { teardown_bundle; }

start_ctr() {
	hull run -d --bundle "$BUNDLE" "$CTR"
	assert_success
	wait_for_container "$CTR" running
}

stop_ctr() {
	hull delete --force "$CTR"
	assert_success
}

@test "exec [output and exit status of the process]" {
	start_ctr
	hull exec "$CTR" sh -c 'echo hello; echo oops >&2; exit 3'
	assert_equal "$status" 3
	assert_line hello
	assert_line oops
	hull exec "$CTR" true
	assert_success
	stop_ctr
}

@test "exec [killed by a signal: 128+N]" {
	requires payload
	start_ctr
	hull exec "$CTR" /bin/hull-payload kill-self 15
	assert_equal "$status" 143
	hull exec "$CTR" /bin/hull-payload kill-self 9
	assert_equal "$status" 137
	stop_ctr
}

@test "exec [no such container: 255]" {
	hull exec nosuch true
	assert_equal "$status" 255
	assert_output --partial "container does not exist"
}

@test "exec [stopped container: 255]" {
	set_args true
	hull create --bundle "$BUNDLE" "$CTR"
	assert_success
	hull start "$CTR"
	assert_success
	wait_for_container "$CTR" stopped
	hull exec "$CTR" true
	assert_equal "$status" 255
	assert_output --partial "cannot exec in a stopped container"
	hull delete "$CTR"
	assert_success
}

@test "exec [created container: the exec runs before start]" {
	hull create --bundle "$BUNDLE" "$CTR"
	assert_success
	hull exec "$CTR" echo in-created
	assert_success
	assert_output in-created
	hull delete --force "$CTR"
	assert_success
}

@test "exec [executable not found: 255 with runc's wording]" {
	start_ctr
	hull exec "$CTR" nosuchbinary
	assert_equal "$status" 255
	assert_output --partial 'exec: "nosuchbinary": executable file not found in $PATH'
	hull exec "$CTR" /no/such/file
	assert_equal "$status" 255
	assert_output --partial "no such file or directory"
	stop_ctr
}

@test "exec [paused container: refused unless --ignore-paused]" {
	start_ctr
	hull pause "$CTR"
	assert_success
	hull exec "$CTR" true
	assert_equal "$status" 255
	assert_output --partial "cannot exec in a paused container"
	# with --ignore-paused the process starts frozen and runs once the container is resumed
	"$HULL" --root "$HULL_ROOT" exec --ignore-paused "$CTR" echo resumed >"$BATS_TEST_TMPDIR/out" 2>&1 </dev/null 3>&- &
	local pid=$!
	sleep 0.5
	hull resume "$CTR"
	assert_success
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" resumed
	stop_ctr
}

@test "exec [--cwd]" {
	start_ctr
	hull exec --cwd /tmp "$CTR" pwd
	assert_success
	assert_output /tmp
	hull exec "$CTR" pwd
	assert_output /
	stop_ctr
}

@test "exec [-e adds to and overrides the config's env]" {
	update_config '.process.env += ["FROMCFG=cfg", "OVER=old"]'
	start_ctr
	hull exec -e OVER=new -e ADDED=yes --env SECOND=2 "$CTR" env
	assert_success
	assert_line FROMCFG=cfg
	assert_line OVER=new
	assert_line ADDED=yes
	assert_line SECOND=2
	refute_line OVER=old
	stop_ctr
}

@test "exec [-u UID:GID, -u UID keeps the config's gid, -g additional gids]" {
	update_config '.process.user.gid = 7'
	start_ctr
	hull exec -u 1000:1001 "$CTR" id
	assert_success
	assert_output --regexp '^uid=1000.* gid=1001'
	hull exec -u 1234 "$CTR" sh -c 'id -u; id -g'
	assert_success
	assert_equal "${lines[0]}" 1234
	assert_equal "${lines[1]}" 7
	hull exec -u 1000:1000 -g 10 --additional-gids 20 "$CTR" id -G
	assert_success
	assert_output "1000 10 20"
	stop_ctr
}

@test "exec [--cap adds to bounding, effective and permitted]" {
	requires payload
	start_ctr
	# CAP_SYS_ADMIN is bit 21: 0x200000
	hull exec "$CTR" /bin/hull-payload caps
	assert_success
	local eff
	eff=$(awk '/^CapEff/ { print $2 }' <<<"$output")
	[ $((0x$eff & 0x200000)) -eq 0 ] || fail "CAP_SYS_ADMIN already effective: $eff"
	hull exec --cap CAP_SYS_ADMIN -c CAP_NET_ADMIN "$CTR" /bin/hull-payload caps
	assert_success
	local f v
	for f in CapEff CapPrm CapBnd; do
		v=$(awk -v f="$f:" '$1 == f { print $2 }' <<<"$output")
		[ $((0x$v & 0x200000)) -ne 0 ] || fail "$f lacks CAP_SYS_ADMIN: $v"
		[ $((0x$v & 0x1000)) -ne 0 ] || fail "$f lacks CAP_NET_ADMIN: $v"
	done
	# no inheritable set in the config: no ambient (runc)
	v=$(awk '$1 == "CapAmb:" { print $2 }' <<<"$output")
	[ $((0x$v)) -eq 0 ] || fail "CapAmb: $v"
	stop_ctr
}

@test "exec [--no-new-privs]" {
	update_config '.process.noNewPrivileges = false'
	start_ctr
	hull exec "$CTR" grep NoNewPrivs /proc/self/status
	assert_output --regexp 'NoNewPrivs:[[:space:]]+0'
	hull exec --no-new-privs "$CTR" grep NoNewPrivs /proc/self/status
	assert_output --regexp 'NoNewPrivs:[[:space:]]+1'
	stop_ctr
}

@test "exec [--process FILE: the whole process from JSON]" {
	start_ctr
	cat >"$BATS_TEST_TMPDIR/process.json" <<-'EOF'
		{ "terminal": false, "user": { "uid": 1000, "gid": 1000, "additionalGids": [5] },
		  "args": ["sh", "-c", "id -u; id -G; pwd; echo $PJ; exit 4"],
		  "env": ["PATH=/bin:/usr/bin", "PJ=from-process-json"], "cwd": "/etc" }
	EOF
	hull exec --process "$BATS_TEST_TMPDIR/process.json" "$CTR"
	assert_equal "$status" 4
	assert_equal "${lines[0]}" 1000
	assert_equal "${lines[1]}" "1000 5"
	assert_equal "${lines[2]}" /etc
	assert_equal "${lines[3]}" from-process-json
	echo '{ "args": [] , "cwd": "/" }' >"$BATS_TEST_TMPDIR/bad.json"
	hull exec -p "$BATS_TEST_TMPDIR/bad.json" "$CTR"
	assert_equal "$status" 255
	assert_output --partial "args"
	stop_ctr
}

@test "exec [rlimits and umask of the config apply]" {
	requires payload
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654}] | .process.user.umask = 63'
	start_ctr
	hull exec "$CTR" /bin/hull-payload rlimits
	assert_success
	assert_line "RLIMIT_NOFILE 321 654"
	hull exec "$CTR" /bin/hull-payload umask
	assert_output 0077
	stop_ctr
}

@test "exec [joins every namespace of the container, incl. cgroup and time]" {
	requires timens
	update_config '.linux.namespaces |= (map(select(.type != "cgroup" and .type != "time")) + [{"type": "cgroup"}, {"type": "time"}])'
	start_ctr
	local ns a b
	for ns in pid net ipc uts mnt cgroup time; do
		a=$(readlink "/proc/$(hull_state_field "$CTR" pid)/ns/$ns")
		hull exec "$CTR" readlink "/proc/self/ns/$ns"
		assert_success
		b=$output
		[ "$a" = "$b" ] || fail "$ns: init has $a, exec'd process has $b"
		[ "$a" != "$(readlink "/proc/self/ns/$ns")" ] || fail "$ns: the container shares the host's"
	done
	stop_ctr
}

@test "exec [joins the container's cgroup]" {
	start_ctr
	local pid epid
	pid=$(hull_state_field "$CTR" pid)
	hull exec -d --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$CTR" sleep 100
	assert_success
	epid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	assert_equal "$(cat "/proc/$epid/cgroup")" "$(cat "/proc/$pid/cgroup")"
	stop_ctr
}

@test "exec [--cgroup PATH and CTRL:PATH join an existing sub-cgroup]" {
	requires cgroups_v1
	# the host view: the sub-cgroup of the container must exist first
	start_ctr
	local pid pids_dir
	pid=$(hull_state_field "$CTR" pid)
	pids_dir=/sys/fs/cgroup/pids$(awk -F: '$2 == "pids" { print $3 }' "/proc/$pid/cgroup")
	mkdir "$pids_dir/sub"
	hull exec --cgroup pids:sub "$CTR" sh -c 'grep ":pids:" /proc/self/cgroup'
	assert_success
	assert_output --regexp ':pids:.*/sub$'
	hull exec --cgroup pids:nosuch "$CTR" true
	assert_equal "$status" 255
	assert_output --partial "sub-cgroup"
	hull exec --cgroup :sub "$CTR" true
	assert_equal "$status" 255
	assert_output --partial "empty <controller> prefix"
	hull exec --cgroup pids:a --cgroup pids:b "$CTR" true
	assert_equal "$status" 255
	assert_output --partial "specified multiple times"
	hull exec --cgroup ../escape "$CTR" true
	assert_equal "$status" 255
	rmdir "$pids_dir/sub" 2>/dev/null || true
	stop_ctr
}

@test "exec [--detach and --pid-file: the process runs on after hull exits]" {
	start_ctr
	hull exec -d --pid-file "$BATS_TEST_TMPDIR/exec.pid" "$CTR" sleep 100
	assert_success
	local pid
	pid=$(cat "$BATS_TEST_TMPDIR/exec.pid")
	[[ "$pid" =~ ^[0-9]+$ ]] || fail "pid file: '$pid'"
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 100 " ] || fail "pid $pid is not the exec'd process"
	# no hull process left
	[ "$(readlink "/proc/$(awk '/^PPid/ { print $2 }' "/proc/$pid/status")/exe")" != "$(readlink -f "$HULL")" ] ||
		fail "the detached process's parent is a hull process"
	stop_ctr
}

@test "exec [--preserve-fds N passes fds 3..3+N-1]" {
	requires payload
	start_ctr
	echo a >"$BATS_TEST_TMPDIR/fd-a"
	run bash -c 'exec "$1" --root "$2" exec --preserve-fds 1 "$4" /bin/hull-payload fds 3<"$3" 4</dev/null </dev/null' \
		_ "$HULL" "$HULL_ROOT" "$BATS_TEST_TMPDIR/fd-a" "$CTR"
	assert_success
	assert_line --regexp "^3 .*/fd-a$"
	refute_line --regexp "^4 "
	stop_ctr
}

@test "exec [--pidfd-socket receives a pidfd of the process]" {
	requires recvtty
	start_ctr
	local sock="$BATS_TEST_TMPDIR/pidfd.sock"
	"$HULL_RECVTTY" --mode report --ready "$BATS_TEST_TMPDIR/ready" "$sock" >"$BATS_TEST_TMPDIR/recv" 2>&1 </dev/null 3>&- &
	local rpid=$!
	wait_for_file "$BATS_TEST_TMPDIR/ready" || true
	[ -e "$BATS_TEST_TMPDIR/ready" ] || fail "recvtty did not start"
	if [ -n "${HULL_FALLBACK_ERRNO:-}" ] && [[ ",${HULL_FALLBACK_SYSCALLS:-pidfd_open}," == *,pidfd_open,* ]]; then
		# tests/suites/fallback.sh denies pidfd_open: a clean error, and the process does not stay
		hull exec -d --pidfd-socket "$sock" "$CTR" sleep 10
		assert_failure
		if [ "$HULL_FALLBACK_ERRNO" = ENOSYS ]; then
			assert_output --partial "--pidfd-socket requires >= v5.3 kernel"
		else
			assert_output --partial "pidfd_open"
		fi
		kill "$rpid"
		wait "$rpid" || true
		hull exec "$CTR" ps -o args
		assert_success
		refute_line --regexp '^sleep 10 *$'
		stop_ctr
		return
	fi
	hull exec -d --pidfd-socket "$sock" "$CTR" sleep 10
	assert_success
	wait "$rpid"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/recv")" "received fd: pidfd"
	stop_ctr
}

@test "exec [concurrent: 50 in parallel, all correct, none leaked]" {
	start_ctr
	local i pids=() dir="$BATS_TEST_TMPDIR/par"
	mkdir "$dir"
	for ((i = 0; i < 50; i++)); do
		"$HULL" --root "$HULL_ROOT" exec "$CTR" sh -c "echo out-$i; exit $((i % 7))" >"$dir/$i" 2>&1 </dev/null 3>&- &
		pids+=($!)
	done
	for ((i = 0; i < 50; i++)); do
		local rc=0
		wait "${pids[$i]}" || rc=$?
		[ "$rc" -eq $((i % 7)) ] || fail "exec $i: status $rc, output: $(cat "$dir/$i")"
		[ "$(cat "$dir/$i")" = "out-$i" ] || fail "exec $i: output $(cat "$dir/$i")"
	done
	# only the init is left in the container
	hull ps --format json "$CTR"
	assert_success
	[ "$(jq length <<<"$output")" -eq 1 ] || fail "processes left: $output"
	stop_ctr
}

@test "exec [foreground: signals are forwarded to the process]" {
	requires payload
	start_ctr
	"$HULL" --root "$HULL_ROOT" exec "$CTR" /bin/hull-payload signals >"$BATS_TEST_TMPDIR/out" 2>&1 </dev/null 3>&- &
	local pid=$!
	wait_for_file "$BATS_TEST_TMPDIR/out"
	kill -USR1 "$pid"
	kill -HUP "$pid"
	sleep 0.3
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line ready
	assert_line SIGUSR1
	assert_line SIGHUP
	assert_line SIGTERM
	stop_ctr
}

@test "exec [-t with -d and no console socket is refused]" {
	start_ctr
	hull exec -t -d "$CTR" true
	assert_equal "$status" 255
	assert_output --partial "cannot allocate tty if runc will detach without setting console socket"
	stop_ctr
}

@test "exec [no command]" {
	start_ctr
	hull exec "$CTR"
	assert_failure
	stop_ctr
}
