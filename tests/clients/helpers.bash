#!/bin/bash
# shellcheck disable=SC2034 # variables set here (IMG, PMDEF, lines, ...) are used by the .bats files
# Helpers for tests/clients/*.bats.  These files run only under tests/suites/clients.sh, which sets
# up the private namespace and exports HC_* (temp dir, runtime wrappers, cgroup parent, ctr
# namespace), CONTAINERS_CONF and PATH with the `pm`, `pmr` (podman) and `c` (ctr) wrappers.

load /usr/lib/bats/bats-support/load.bash
load /usr/lib/bats/bats-assert/load.bash

if [ -z "${HC_T:-}" ]; then
	echo "tests/clients/*.bats run only through tests/suites/clients.sh" >&2
	exit 1
fi

IMG=localhost/busybox:latest
# podman run/create defaults: our cgroup parent, and no seccomp until hull has it (see seccomp test).
PMDEF=(--cgroup-parent "/$HC_CG-pm" --security-opt seccomp=unconfined)
SECCOMP_PENDING="linux.seccomp: not supported by this build yet"

# Run a command with stdin from /dev/null, its output in a file (not bats' pipe: a detached
# container or conmon holding the pipe must not make `run` wait), fd 3 closed.
__cmd() {
	local out rc
	out=$(mktemp "$BATS_TEST_TMPDIR/out.XXXXXX")
	"$@" </dev/null >"$out" 2>&1 3>&-
	rc=$?
	cat "$out"
	return $rc
}
# Same with DATA on stdin.
__cmd_in() {
	local data=$1 out rc
	shift
	out=$(mktemp "$BATS_TEST_TMPDIR/out.XXXXXX")
	printf '%s' "$data" | "$@" >"$out" 2>&1 3>&-
	rc=$?
	cat "$out"
	return $rc
}
# x CMD ARGS...: bats `run` of CMD; the command, status and output are logged for failures.
x() {
	run __cmd "$@"
	printf '$ %s\n[status %s]\n%s\n' "$*" "$status" "$output" >&2
}
x_in() { # x_in DATA CMD ARGS...
	local d=$1
	shift
	run __cmd_in "$d" "$@"
	printf '$ %s <<< %q\n[status %s]\n%s\n' "$*" "$d" "$status" "$output" >&2
}
# tty CMD: run CMD (a shell command line) under a real pty (script), stdin kept open.
tty_run() {
	local out rc=0 hold holder
	out=$(mktemp "$BATS_TEST_TMPDIR/out.XXXXXX")
	# stdin stays open (a pipe from sleep): with </dev/null, podman -it forwards EOF and the tty may
	# hang up before any output.  script waits for EOF on its stdin after the command ends (and
	# spins meanwhile), so the command line kills the holder when it is done.
	exec {hold}< <(exec sleep 60)
	holder=$!
	script -qec "$1; kill $holder 2>/dev/null" /dev/null <&"$hold" >"$out" 2>&1 3>&- || rc=$?
	exec {hold}<&-
	kill "$holder" 2>/dev/null || true
	status=$rc
	output=$(tr -d '\r' <"$out")
	mapfile -t lines <<<"$output"
	printf '$ script -qec %q\n[status %s]\n%s\n' "$1" "$status" "$output" >&2
}

# wait_until TRIES CMD...: retry CMD every 0.2 s.
wait_until() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	"$@"
}

# cgroup_dir CTRL PID: the host-side v1 cgroup directory of PID for controller CTRL.
cgroup_dir() {
	local ctrl=$1 pid=$2 path
	path=$(awk -F: -v c="$ctrl" '{n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3}' "/proc/$pid/cgroup")
	[ -n "$path" ] || return 1
	echo "/sys/fs/cgroup/$ctrl$path"
}

# CapEff of a status dump: "CapEff:\t0000..." → 0000...
capeff() { awk '/^CapEff:/ {print $2}' <<<"$1"; }

# invocations_since N: the runtime invocation log from line N on.
log_lines() { wc -l <"$HC_LOG"; }
invocations_since() { tail -n +"$(($1 + 1))" "$HC_LOG"; }

# A private copy of the busybox rootfs (clients may write into a --rootfs).
rootfs_copy() {
	local d="$BATS_TEST_TMPDIR/rootfs"
	cp -a "$HC_ROOTFS" "$d"
	chmod 0755 "$BATS_TEST_TMPDIR"
	echo "$d"
}
