#!/usr/bin/env bats
# Rootless containers and cgroup v2 delegation: a user who owns a delegated subtree gets its limits
# applied inside it; without delegation the container runs without a cgroup.  Runs only in the
# cgroup v2 test VM (tests/vm), where the root filesystem is a throwaway overlay, so the test user
# it adds never reaches a real machine.

load helpers

DELEG_USER=hull-deleg

setup() {
	requires root cgroups_unified
	[ "${HULL_VM:-}" = 1 ] || skip "runs in the cgroup v2 VM only (it adds a user)"
	command -v setpriv >/dev/null || skip "needs setpriv"
	id "$DELEG_USER" >/dev/null 2>&1 || useradd --no-create-home --home-dir /nonexistent --shell /bin/sh --user-group "$DELEG_USER"
	U=$(id -u "$DELEG_USER")
	G=$(id -g "$DELEG_USER")
	PARENT=/sys/fs/cgroup${HULL_TEST_CGROUP_PARENT:-/test}
	DELEG="$PARENT/deleg_$$"
	# everything the user needs lives in a directory it owns
	# (bats' own temporary directories are private to root)
	WORK=$(mktemp -d /tmp/hull-deleg.XXXXXX)
	chmod 755 "$WORK"
	mkdir -p "$WORK/bundle" "$WORK/state" "$WORK/run"
	cp -a "$HULL_ROOTFS_CACHE" "$WORK/bundle/rootfs"
	chown -R "$U:$G" "$WORK"
	as_user sh -c 'cd bundle && "$HULL" spec --rootless'
	jq '.process.terminal = false | .process.args = ["sleep", "3600"] | .root.readonly = false' \
		"$WORK/bundle/config.json" >"$WORK/c.json" && mv "$WORK/c.json" "$WORK/bundle/config.json"
	chown "$U:$G" "$WORK/bundle/config.json"
}

teardown() {
	[ -n "${WORK:-}" ] || return 0
	as_user "$HULL" --root "$WORK/state" delete --force test_deleg >/dev/null 2>&1 || true
	local d
	for d in "$DELEG/ctr" "$DELEG/shell" "$DELEG" "$PARENT/nodeleg_$$"; do
		[ -d "$d" ] || continue
		while read -r p; do kill -9 "$p" 2>/dev/null || true; done <"$d/cgroup.procs"
		rmdir "$d" 2>/dev/null || sleep 0.2
		rmdir "$d" 2>/dev/null || true
	done
	userdel "$DELEG_USER" 2>/dev/null || true
	rm -rf --one-file-system "$WORK"
}

# as_user CMD…: run as the test user, from $WORK, with its own XDG_RUNTIME_DIR.  Output goes through
# a file: a detached container must not hold bats' capture pipe open.
as_user() {
	local rc=0
	(cd "$WORK" && HULL="$HULL" XDG_RUNTIME_DIR="$WORK/run" \
		setpriv --reuid="$U" --regid="$G" --clear-groups --inh-caps=-all "$@") >"$WORK/out" 2>&1 </dev/null 3>&- || rc=$?
	cat "$WORK/out"
	return $rc
}

# delegate DIR: what systemd's Delegate=yes hands a user: the directory and its control files.
delegate() {
	mkdir -p "$1/shell"
	chown "$U:$G" "$1" "$1/cgroup.procs" "$1/cgroup.subtree_control" "$1/cgroup.threads" \
		"$1/shell" "$1/shell/cgroup.procs" "$1/shell/cgroup.threads"
}

@test "cgroups rootless [a delegated subtree gets the limits]" {
	delegate "$DELEG"
	jq --arg p "${DELEG#/sys/fs/cgroup}/ctr" '.linux.cgroupsPath = $p
		| .linux.resources = {memory: {limit: 67108864}, pids: {limit: 42}}' \
		"$WORK/bundle/config.json" >"$WORK/c.json" && mv "$WORK/c.json" "$WORK/bundle/config.json"
	chown "$U:$G" "$WORK/bundle/config.json"
	# the user's shell starts inside its delegated subtree (as a login under systemd would)
	run sh -c "echo \$\$ >'$DELEG/shell/cgroup.procs' && cd '$WORK' && exec env HULL='$HULL' XDG_RUNTIME_DIR='$WORK/run' \
		setpriv --reuid=$U --regid=$G --clear-groups --inh-caps=-all '$HULL' --root '$WORK/state' run -d -b bundle test_deleg \
		>'$WORK/out' 2>&1 </dev/null 3>&-; rc=\$?; cat '$WORK/out'; exit \$rc"
	echo "$output" >&2
	assert_success
	[ -d "$DELEG/ctr" ]
	[ "$(cat "$DELEG/ctr/memory.max")" = 67108864 ]
	[ "$(cat "$DELEG/ctr/pids.max")" = 42 ]
	pid=$(as_user "$HULL" --root "$WORK/state" state test_deleg | jq .pid)
	grep -qx "$pid" "$DELEG/ctr/cgroup.procs"
	# the container sees its own cgroup and the limit
	run as_user "$HULL" --root "$WORK/state" exec test_deleg cat /sys/fs/cgroup/pids.max
	[ "$output" = 42 ] || [ "$(grep '^0::' "/proc/$pid/cgroup")" = "0::${DELEG#/sys/fs/cgroup}/ctr" ]
	run as_user "$HULL" --root "$WORK/state" delete --force test_deleg
	assert_success
	[ ! -d "$DELEG/ctr" ]
}

@test "cgroups rootless [without delegation the container runs without a cgroup]" {
	local nodeleg="$PARENT/nodeleg_$$"
	jq --arg p "${nodeleg#/sys/fs/cgroup}" '.linux.cgroupsPath = $p | .linux.resources = {pids: {limit: 42}}' \
		"$WORK/bundle/config.json" >"$WORK/c.json" && mv "$WORK/c.json" "$WORK/bundle/config.json"
	chown "$U:$G" "$WORK/bundle/config.json"
	run as_user "$HULL" --root "$WORK/state" run -d -b bundle test_deleg
	echo "$output" >&2
	assert_success
	[ ! -d "$nodeleg" ]
	run as_user "$HULL" --root "$WORK/state" state test_deleg
	assert_success
	[ "$(jq -r .status <<<"$output")" = running ]
	run as_user "$HULL" --root "$WORK/state" delete --force test_deleg
	assert_success
}
