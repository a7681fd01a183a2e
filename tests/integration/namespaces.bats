#!/usr/bin/env bats
# linux.namespaces: new ones of each type, and joining an existing one by path.

load helpers

setup() { setup_bundle; }
teardown() {
	if [ -f "$BATS_TEST_TMPDIR/holder.pid" ]; then
		kill -9 "$(cat "$BATS_TEST_TMPDIR/holder.pid")" 2>/dev/null
		rm -f "$BATS_TEST_TMPDIR/holder.pid"
	fi
	teardown_bundle
}

# The mapped root (an unprivileged host uid) must be able to reach the rootfs: bats' temporary
# directories are 0700.
make_bundle_reachable() {
	local d=$BUNDLE
	while [ "$d" != / ] && [ "$d" != /tmp ]; do
		chmod a+x "$d"
		d=$(dirname "$d")
	done
}

add_ns() { update_config ".linux.namespaces |= (map(select(.type != \"$1\")) + [{\"type\": \"$1\"}])"; }

@test "namespaces [pid: the process is pid 1 and sees only its own processes]" {
	set_args sh -c 'echo "self=$$"; ls /proc | grep -E "^[0-9]+$" | sort -n | tr "\n" " "; echo; tr "\0" " " </proc/1/cmdline; echo'
	hull run test_ns
	assert_success
	assert_line --index 0 "self=1"
	# pid 1 (sh), plus ls/grep/sort/tr of the pipeline: nothing from the host
	local n
	n=$(wc -w <<<"${lines[1]}")
	[ "$n" -le 6 ]
	[[ "${lines[1]}" == "1 "* ]]
	assert_line --index 2 --partial "sh -c"
}

@test "namespaces [pid: ps shows the container's processes only]" {
	set_args sh -c 'ps -o pid,comm; echo done'
	hull run test_ns
	assert_success
	assert_line --regexp '^ +1 +sh$'
	# header, sh, ps, done
	[ "${#lines[@]}" -eq 4 ]
}

@test "namespaces [every configured namespace is new]" {
	add_ns cgroup
	set_args sh -c 'for t in pid net ipc uts mnt cgroup; do echo "$t $(readlink /proc/self/ns/$t)"; done'
	hull run test_ns
	assert_success
	local t
	for t in pid net ipc uts mnt cgroup; do
		local inside
		inside=$(awk -v t="$t" '$1 == t { print $2 }' <<<"$output")
		[ -n "$inside" ]
		[ "$inside" != "$(readlink "/proc/self/ns/$t")" ] || fail "$t namespace is the host's: $inside"
	done
}

@test "namespaces [uts: hostname and domainname]" {
	update_config '.hostname = "hull-test-host" | .domainname = "hull.example"'
	set_args sh -c 'hostname; cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname'
	hull run test_ns
	assert_success
	assert_output $'hull-test-host\nhull-test-host\nhull.example'
	# the host's are unchanged
	[ "$(hostname)" != hull-test-host ]
}

@test "namespaces [ipc: a SysV segment of the host is not visible]" {
	set_args sh -c 'cat /proc/sysvipc/shm | wc -l'
	hull run test_ns
	assert_success
	# only the header line
	assert_output 1
}

@test "namespaces [net: only lo, and it is up]" {
	set_args sh -c 'ls /sys/class/net; cat /sys/class/net/lo/flags; ip -o link show lo'
	hull run test_ns
	assert_success
	assert_line --index 0 lo
	[ "${lines[1]}" = 0x9 ] # IFF_UP | IFF_LOOPBACK
	assert_line --index 2 --partial "UP"
	[ "${#lines[@]}" -eq 3 ]
}

@test "namespaces [net: loopback has its address]" {
	set_args ip -o addr show lo
	hull run test_ns
	assert_success
	assert_output --partial "inet 127.0.0.1/8"
}

@test "namespaces [mount: container mounts are invisible on the host]" {
	set_args sh -c 'grep -c . /proc/self/mountinfo'
	hull run -d test_ns
	assert_success
	local pid
	pid=$(hull_state_field test_ns pid)
	[ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ]
	[ -z "$(awk -v r="$ROOTFS" 'index($5, r) == 1' /proc/self/mountinfo)" ]
	hull delete --force test_ns
	assert_success
}

@test "namespaces [cgroup: the container's cgroup is its root]" {
	requires cgroupns
	add_ns cgroup
	set_args cat /proc/self/cgroup
	hull run test_ns
	assert_success
	local l
	for l in "${lines[@]}"; do
		[[ "$l" == *:/ ]] || fail "cgroup path is not / inside a cgroup namespace: $l"
	done
}

@test "namespaces [time: timeOffsets]" {
	requires timens
	add_ns time
	update_config '.linux.timeOffsets = {"monotonic": {"secs": 86400, "nanosecs": 0}, "boottime": {"secs": 172800, "nanosecs": 500}}'
	set_args sh -c 'cat /proc/self/timens_offsets; cut -d. -f1 /proc/uptime'
	hull run test_ns
	assert_success
	assert_line --regexp '^monotonic +86400 +0$'
	assert_line --regexp '^boottime +172800 +500$'
	local host_uptime inside
	host_uptime=$(cut -d. -f1 /proc/uptime)
	inside=${lines[2]}
	[ "$inside" -ge $((host_uptime + 172800 - 5)) ]
}

@test "namespaces [time offsets without a time namespace are refused]" {
	update_config '.linux.timeOffsets = {"monotonic": {"secs": 1, "nanosecs": 0}}'
	hull create --bundle "$BUNDLE" test_ns
	assert_failure
	assert_single_error_line
	assert_nothing_left
}

@test "namespaces [user: uid and gid mappings]" {
	requires userns
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]
		| .mounts |= map(select(.type != "cgroup"))'
	chown -R 100000:200000 "$ROOTFS"
	make_bundle_reachable
	set_args sh -c 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g'
	hull run test_ns
	assert_success
	assert_line --index 0 --regexp '^ +0 +100000 +65536$'
	assert_line --index 1 --regexp '^ +0 +200000 +65536$'
	assert_line --index 2 0
	assert_line --index 3 0
}

@test "namespaces [user: the process runs as the mapped host uid]" {
	requires userns
	add_ns user
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .mounts |= map(select(.type != "cgroup"))'
	chown -R 100000:100000 "$ROOTFS"
	make_bundle_reachable
	hull run -d test_ns
	assert_success
	local pid
	pid=$(hull_state_field test_ns pid)
	[ "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" = 100000 ]
	[ "$(readlink "/proc/$pid/ns/user")" != "$(readlink /proc/self/ns/user)" ]
	hull delete --force test_ns
	assert_success
}

@test "namespaces [join an existing namespace by path]" {
	requires unshare
	# a holder process with its own uts and net namespaces, killed by pid in teardown
	unshare --uts --net sh -c 'hostname joined-host; exec sleep 3600' </dev/null >/dev/null 2>&1 3>&- &
	local holder=$!
	echo "$holder" >"$BATS_TEST_TMPDIR/holder.pid"
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(readlink "/proc/$holder/ns/uts")" != "$(readlink /proc/self/ns/uts)" ] &&
			[ "$(cat "/proc/$holder/comm")" = sleep ] && break
		sleep 0.1
	done
	update_config "del(.hostname) | .linux.namespaces |= map(
		if .type == \"uts\" then .path = \"/proc/$holder/ns/uts\"
		elif .type == \"network\" then .path = \"/proc/$holder/ns/net\" else . end)"
	set_args sh -c 'hostname; readlink /proc/self/ns/uts; readlink /proc/self/ns/net'
	hull run test_ns
	assert_success
	assert_line --index 0 joined-host
	assert_line --index 1 "$(readlink "/proc/$holder/ns/uts")"
	assert_line --index 2 "$(readlink "/proc/$holder/ns/net")"
	kill -9 "$holder"
	wait "$holder" 2>/dev/null || true
	rm -f "$BATS_TEST_TMPDIR/holder.pid"
}

@test "namespaces [joining a namespace path that does not exist]" {
	update_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/nonexistent" else . end)'
	hull create --bundle "$BUNDLE" test_ns
	assert_failure
	assert_single_error_line
	assert_nothing_left
}
