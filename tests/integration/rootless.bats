#!/usr/bin/env bats
# hull run by an unprivileged user (run by tests/suites/rootless.sh, which creates the user, its
# /etc/subuid range and the host fixtures HULL_RO_MOUNT and HULL_ROOT_FILE).  Skipped as root.

load helpers

setup() {
	requires rootless
	setup_bundle
	# the rootless default config, adjusted like setup_bundle's
	rm -f "$BUNDLE/config.json"
	(cd "$BUNDLE" && "$HULL" spec --rootless </dev/null 3>&-) || fail "hull spec --rootless failed"
	update_config '.process.terminal = false | .root.readonly = false | .process.args = ["sleep", "3600"]'
	MYUID=$(id -u) MYGID=$(id -g)
}
teardown() { teardown_bundle; }

add_caps() { # add_caps CAP...: to every capability set of the process
	local c
	for c in "$@"; do
		update_config ".process.capabilities.bounding += [\"$c\"] | .process.capabilities.effective += [\"$c\"]
			| .process.capabilities.permitted += [\"$c\"]"
	done
}

multi_range() { # uid/gid 0 = the caller, 1.. = the /etc/subuid range
	[ -n "${HULL_SUBID_START:-}" ] || skip "no /etc/subuid range given (run through tests/suites/rootless.sh)"
	update_config ".linux.uidMappings = [{\"containerID\": 0, \"hostID\": $MYUID, \"size\": 1},
			{\"containerID\": 1, \"hostID\": $HULL_SUBID_START, \"size\": $HULL_SUBID_SIZE}]
		| .linux.gidMappings = [{\"containerID\": 0, \"hostID\": $MYGID, \"size\": 1},
			{\"containerID\": 1, \"hostID\": $HULL_SUBID_START, \"size\": $HULL_SUBID_SIZE}]"
}

@test "rootless [spec --rootless runs: root inside, the caller's id outside]" {
	set_args sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; touch /by-root'
	hull run test_rootless
	assert_success
	assert_line --index 0 0
	assert_line --index 1 0
	assert_line --index 2 --regexp "^ +0 +$MYUID +1\$"
	assert_line --index 3 --regexp "^ +0 +$MYGID +1\$"
	[ "$(stat -c %u:%g "$ROOTFS/by-root")" = "$MYUID:$MYGID" ]
}

@test "rootless [the default state root is \$XDG_RUNTIME_DIR/hull]" {
	[ -n "${XDG_RUNTIME_DIR:-}" ] || skip "XDG_RUNTIME_DIR is not set"
	"$HULL" create test_rootless_xdg </dev/null >/dev/null 2>&1 3>&-
	local rc=$?
	[ -d "$XDG_RUNTIME_DIR/hull/test_rootless_xdg" ] || fail "no state in $XDG_RUNTIME_DIR/hull (create status $rc)"
	run "$HULL" delete --force test_rootless_xdg </dev/null 3>&-
	assert_success
	[ ! -e "$XDG_RUNTIME_DIR/hull/test_rootless_xdg" ]
}

@test "rootless [a host root-owned file appears as nobody and cannot be written]" {
	[ -n "${HULL_ROOT_FILE:-}" ] || skip "HULL_ROOT_FILE not given"
	update_config ".mounts += [{\"destination\": \"/rootfile\", \"type\": \"bind\", \"source\": \"$HULL_ROOT_FILE\", \"options\": [\"bind\", \"ro\"]}]"
	set_args sh -c 'stat -c "%u:%g" /rootfile; cat /rootfile; { echo x >>/rootfile; } 2>/dev/null; echo "write=$?"'
	hull run test_rootless
	assert_success
	assert_output $'65534:65534\nhost-root-secret\nwrite=1'
}

@test "rootless [a locked read-only mount cannot be made writable]" {
	[ -n "${HULL_RO_MOUNT:-}" ] || skip "HULL_RO_MOUNT not given"
	add_caps CAP_SYS_ADMIN
	update_config ".mounts += [{\"destination\": \"/locked\", \"type\": \"bind\", \"source\": \"$HULL_RO_MOUNT\", \"options\": [\"rbind\"]}]"
	set_args sh -c 'mount -o remount,bind,rw /locked 2>/dev/null; echo "remount=$?"; touch /locked/x 2>/dev/null; echo "touch=$?"; grep " /locked " /proc/self/mountinfo'
	hull run test_rootless
	assert_success
	assert_line "touch=1"
	refute_line "remount=0"
	assert_line --regexp ' /locked ro[, ]'
}

@test "rootless [the container cannot write host cgroup files]" {
	add_caps CAP_SYS_ADMIN CAP_DAC_OVERRIDE
	set_args sh -c 'n=0; for f in /sys/fs/cgroup/cgroup.procs /sys/fs/cgroup/*/cgroup.procs /sys/fs/cgroup/*/tasks /sys/fs/cgroup/*/release_agent; do [ -e "$f" ] || continue; n=$((n+1)); if { echo 1 >"$f"; } 2>/dev/null; then echo "WROTE $f"; fi; done; echo "tried=$n"; mount -o remount,rw /sys/fs/cgroup 2>/dev/null && echo REMOUNTED; true'
	hull run test_rootless
	assert_success
	refute_output --partial WROTE
	refute_output --partial REMOUNTED
	assert_line --regexp '^tried=[1-9]'
}

@test "rootless [devices are bind-mounted, /sys is a bind, masked paths are masked]" {
	set_args sh -c 'stat -c "%n %t:%T" /dev/null /dev/zero; cat /proc/self/mountinfo; echo "keys=$(wc -c </proc/keys)"; ls /proc/acpi | wc -l'
	hull run test_rootless
	assert_success
	assert_line --index 0 "/dev/null 1:3"
	assert_line --index 1 "/dev/zero 1:5"
	assert_line --regexp '^[0-9]+ [0-9]+ [^ ]+ /null /dev/null '
	assert_line --regexp '^[0-9]+ [0-9]+ [^ ]+ / /sys ro,.* - sysfs '
	assert_line "keys=0"
	assert_line --index $((${#lines[@]} - 1)) 0
}

@test "rootless [sysfs falls back to a bind mount when it cannot be mounted]" {
	update_config '(.mounts[] | select(.destination == "/sys")) |= {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]}'
	set_args sh -c 'grep -E " /sys " /proc/self/mountinfo; ls /sys/kernel >/dev/null && echo sys-ok'
	hull --debug run test_rootless
	assert_success
	assert_line --regexp ' /sys ro,nosuid,nodev,noexec'
	assert_line sys-ok
}

@test "rootless [create, state, list, exec, kill, delete]" {
	hull create test_rootless
	assert_success
	[ "$(hull_state_field test_rootless status)" = created ]
	hull start test_rootless
	assert_success
	wait_for_container test_rootless running
	hull list -q
	assert_output test_rootless
	hull exec test_rootless sh -c 'id -u; cat /proc/self/uid_map'
	assert_success
	assert_line --index 0 0
	assert_line --index 1 --regexp "^ +0 +$MYUID +1\$"
	hull kill test_rootless KILL
	assert_success
	wait_for_container test_rootless stopped
	hull delete test_rootless
	assert_success
	assert_nothing_left
}

@test "rootless [several ranges through newuidmap/newgidmap]" {
	multi_range
	set_args sh -c 'cat /proc/self/uid_map; touch /tmp/f && chown 1000:1000 /tmp/f && echo chowned'
	add_caps CAP_CHOWN
	hull run test_rootless
	assert_success
	assert_line --index 0 --regexp "^ +0 +$MYUID +1\$"
	assert_line --index 1 --regexp "^ +1 +$HULL_SUBID_START +$HULL_SUBID_SIZE\$"
	assert_line chowned
	[ "$(stat -c %u "$ROOTFS/tmp/f")" = $((HULL_SUBID_START + 999)) ]
}

@test "rootless [a range the user does not own in /etc/subuid is a clear error]" {
	multi_range
	update_config ".linux.uidMappings[1].hostID = $((HULL_SUBID_START + HULL_SUBID_SIZE + 100000))"
	hull run test_rootless
	assert_failure
	assert_output --partial newuidmap
	assert_output --partial /etc/subuid
	assert_single_error_line
	assert_nothing_left
}

@test "rootless [several ranges without newuidmap is a clear error]" {
	multi_range
	run env PATH=/nonexistent "$HULL" --root "$HULL_ROOT" run test_rootless </dev/null 3>&-
	assert_failure
	assert_output --partial "newuidmap not found"
	assert_single_error_line
	assert_nothing_left
}

@test "rootless [a foreign id mapped without newuidmap is a clear error]" {
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 0, "size": 1}]'
	hull run test_rootless
	assert_failure
	assert_output --partial "uid"
	assert_single_error_line
	assert_nothing_left
}

@test "rootless [overlapping ranges are refused]" {
	multi_range
	update_config '.linux.uidMappings[1].containerID = 0'
	hull run test_rootless
	assert_failure
	assert_output --partial overlap
	assert_single_error_line
	assert_nothing_left
}

@test "rootless [no user namespace is refused]" {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "user")] | del(.linux.uidMappings, .linux.gidMappings)'
	hull run test_rootless
	assert_failure
	assert_output --partial "user namespace"
	assert_single_error_line
	assert_nothing_left
}

@test "rootless [a terminal: foreground pty proxy]" {
	command -v script >/dev/null || skip "needs script(1)"
	update_config '.process.terminal = true'
	set_args sh -c 'tty; id -u'
	local out="$BATS_TEST_TMPDIR/tty.out"
	# script gives hull a real terminal; its stdin stays open until the container is done
	sleep 5 | script -qec "'$HULL' --root '$HULL_ROOT' run -b '$BUNDLE' test_rootless_tty" /dev/null >"$out" 2>&1 3>&- || true
	tr -d '\r' <"$out" >"$out.clean"
	cat "$out.clean" >&2
	grep -qE '^/dev/pts/[0-9]+$' "$out.clean"
	grep -qx 0 "$out.clean"
	[ ! -e "$HULL_ROOT/test_rootless_tty" ]
}

@test "rootless [a terminal through --console-socket]" {
	[ -x "${HULL_RECVTTY:-}" ] || skip "recvtty not available"
	update_config '.process.terminal = true'
	set_args sh -c 'tty; sleep 3600'
	local sock="$BATS_TEST_TMPDIR/console.sock" out="$BATS_TEST_TMPDIR/recv.out"
	"$HULL_RECVTTY" --mode report "$sock" >"$out" 2>&1 </dev/null 3>&- &
	local rpid=$!
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	hull run -d --console-socket "$sock" test_rootless_cs
	assert_success
	wait "$rpid" || true
	cat "$out" >&2
	grep -q "received fd" "$out"
	hull state test_rootless_cs
	assert_success
	[ "$(jq -r .status <<<"$output")" = running ]
	hull delete --force test_rootless_cs
	assert_success
}
