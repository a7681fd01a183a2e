#!/usr/bin/env bats
# Rootless podman with hull as the runtime, as the unprivileged test user $HC_USER (uid $HC_UID; its
# passwd/subuid/subgid entries exist only in the suite's private mount namespace).  On this host's
# cgroup v1 rootless podman runs without cgroups.

load helpers

# rl ARGS...: podman as the test user, with its own storage below $HC_T/rootless.
rl() {
	local R="$HC_T/rootless"
	timeout --foreground -k 10 "${HC_TIMEOUT:-120}" \
		setpriv --reuid="$HC_UID" --regid="$HC_UID" --clear-groups \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$R/home" USER="$HC_USER" LOGNAME="$HC_USER" \
		XDG_RUNTIME_DIR="$R/run" TMPDIR="$R/run" CONTAINERS_CONF="$CONTAINERS_CONF" \
		podman --root "$R/storage" --runroot "$R/run/containers" --tmpdir "$R/run/libpod" \
		--storage-driver vfs --cgroup-manager cgroupfs --events-backend file "$@"
}

setup_file() {
	[ -f "$HC_T/rootless/imported" ] && return 0
	rl import --change 'CMD=["/bin/sh"]' "$HC_ROOTFS_TAR" localhost/busybox:latest >&2 3>&- &&
		touch "$HC_T/rootless/imported"
}

teardown() {
	HC_TIMEOUT=60 rl rm -af -t 0 >/dev/null 2>&1 3>&-
}

@test "rootless podman: run, exit code, id mapping" {
	[ -f "$HC_T/rootless/imported" ] || fail "podman import as $HC_USER failed"
	x rl run --rm --security-opt seccomp=unconfined $IMG sh -c 'echo rootless-ok; id -u; exit 3'
	[ "$status" -eq 3 ] || fail "rootless podman with hull failed: $output"
	assert_failure 3
	assert_line rootless-ok
	assert_line 0
	# the process runs as the user on the host side
	x rl run -d --name rl1 --security-opt seccomp=unconfined $IMG sleep 1000
	assert_success
	local pid
	pid=$(rl inspect --format '{{.State.Pid}}' rl1 3>&-)
	[ "$(stat -c %u "/proc/$pid")" = "$HC_UID" ]
	grep -q "^ *0 *$HC_UID *1\$" "/proc/$pid/uid_map"
}

@test "rootless podman: exec, stop, and the default seccomp profile" {
	[ -f "$HC_T/rootless/imported" ] || fail "podman import as $HC_USER failed"
	x rl run -d --name rl2 $IMG sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	[ "$status" -eq 0 ] || fail "rootless podman with hull failed: $output"
	assert_success
	x rl exec rl2 sh -c 'grep Seccomp: /proc/self/status; exit 4'
	assert_failure 4
	assert_output --regexp 'Seccomp:[[:space:]]+2'
	x rl exec --user 1000 rl2 id -u
	assert_output 1000
	x rl stop -t 5 rl2
	assert_success
	[ "$(rl inspect --format '{{.State.ExitCode}}' rl2 3>&-)" = 0 ]
}
