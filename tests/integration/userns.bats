#!/usr/bin/env bats
# User namespaces for containers started by root: several id ranges, a rootfs owned by the mapped
# root, joining a user namespace by path, locked mount flags, id-mapped mounts, bad mappings.

load helpers

setup() {
	requires root userns
	setup_bundle
	# the mapped root must reach the bundle
	local d=$BUNDLE
	while [ "$d" != / ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
	chown -R 100000:100000 "$ROOTFS"
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000}, {"containerID": 1000, "hostID": 200000, "size": 64536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000}, {"containerID": 1000, "hostID": 200000, "size": 64536}]'
}
teardown() { teardown_bundle; }

# idmapped mounts need the parent to hand the trees to the init; tests run once `hull features`
# says so (or HULL_TEST_IDMAP=1 forces them)
requires_idmap() {
	[ "${HULL_TEST_IDMAP:-}" = 1 ] && return 0
	"$HULL" features 2>/dev/null | jq -e '.linux.mountExtensions.idmap.enabled == true' >/dev/null ||
		skip "hull features: idmap not enabled"
}

@test "userns [several uid and gid ranges are mapped]" {
	set_args sh -c 'cat /proc/self/uid_map /proc/self/gid_map'
	hull run test_userns
	assert_success
	assert_line --index 0 --regexp '^ +0 +100000 +1000$'
	assert_line --index 1 --regexp '^ +1000 +200000 +64536$'
	assert_line --index 2 --regexp '^ +0 +100000 +1000$'
	assert_line --index 3 --regexp '^ +1000 +200000 +64536$'
}

@test "userns [the rootfs owned by the mapped root; ids of both ranges map to the host]" {
	chown 200005:200005 "$ROOTFS/home/user"
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_args sh -c 'id -u; id -g; stat -c "%u:%g" / /home/user; touch /tmp/by-user; echo ok'
	hull run test_userns
	assert_success
	assert_output $'1000\n1000\n0:0\n1005:1005\nok'
	[ "$(stat -c %u:%g "$ROOTFS/tmp/by-user")" = 200000:200000 ]
}

@test "userns [root in the container is the mapped host uid]" {
	set_args sh -c 'id -u; touch /by-root'
	hull run test_userns
	assert_success
	assert_output 0
	[ "$(stat -c %u:%g "$ROOTFS/by-root")" = 100000:100000 ]
}

@test "userns [a host root-owned file appears as nobody]" {
	echo secret >"$BATS_TEST_TMPDIR/hostfile"
	chmod 644 "$BATS_TEST_TMPDIR/hostfile"
	update_config ".mounts += [{\"destination\": \"/hostfile\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/hostfile\", \"options\": [\"bind\"]}]"
	set_args sh -c 'stat -c "%u:%g" /hostfile; { echo x >>/hostfile; } 2>/dev/null; echo "write=$?"'
	hull run test_userns
	assert_success
	assert_output $'65534:65534\nwrite=1'
	[ "$(cat "$BATS_TEST_TMPDIR/hostfile")" = secret ]
}

@test "userns [a locked read-only mount cannot be made writable inside]" {
	mkdir -p "$BATS_TEST_TMPDIR/ro"
	mount -t tmpfs -o ro tmpfs "$BATS_TEST_TMPDIR/ro"
	update_config ".mounts += [{\"destination\": \"/locked\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/ro\", \"options\": [\"bind\"]}]
		| .process.capabilities.bounding += [\"CAP_SYS_ADMIN\"] | .process.capabilities.effective += [\"CAP_SYS_ADMIN\"]
		| .process.capabilities.permitted += [\"CAP_SYS_ADMIN\"]"
	set_args sh -c 'mount -o remount,bind,rw /locked 2>&1; echo "remount=$?"; touch /locked/x 2>/dev/null; echo "touch=$?"; mount -t tmpfs tmpfs /mnt && echo "other mounts work"'
	hull run test_userns
	umount "$BATS_TEST_TMPDIR/ro"
	assert_success
	refute_line "remount=0"
	assert_line "touch=1"
	assert_line "other mounts work"
}

@test "userns [join an existing user namespace by path]" {
	# the init's other new namespaces are created inside the joined user namespace
	set_args sleep 3600
	hull run -d test_userns_a
	assert_success
	local pid
	pid=$(hull_state_field test_userns_a pid)
	[ -n "$pid" ] && [ "$pid" -gt 0 ]

	local b="$BATS_TEST_TMPDIR/bundle-b"
	mkdir -p "$b"
	cp -a "$BUNDLE/config.json" "$b/"
	update_config ".root.path = \"$ROOTFS\" | del(.linux.uidMappings, .linux.gidMappings)
		| .linux.namespaces = [.linux.namespaces[] | if .type == \"user\" then .path = \"/proc/$pid/ns/user\" else . end]
		| .process.args = [\"sh\", \"-c\", \"cat /proc/self/uid_map; readlink /proc/self/ns/user\"]" "$b"
	hull run -b "$b" test_userns_b
	assert_success
	assert_line --index 0 --regexp '^ +0 +100000 +1000$'
	assert_line --index 2 "$(readlink /proc/$pid/ns/user)"
	hull delete --force test_userns_a
	assert_success
}

@test "userns [mappings without a user namespace are refused]" {
	update_config '.linux.namespaces = [.linux.namespaces[] | select(.type != "user")]'
	hull run test_userns
	assert_failure
	assert_output --partial "uidMappings"
	assert_output --partial "user namespace"
	assert_single_error_line
	assert_nothing_left
}

@test "userns [overlapping ranges are refused]" {
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000}, {"containerID": 500, "hostID": 300000, "size": 10}]'
	hull run test_userns
	assert_failure
	assert_output --partial "uidMappings"
	assert_output --partial "overlap"
	assert_single_error_line
	assert_nothing_left
}

@test "userns [idmap: a mount with the container's mapping; files created through it keep the on-disk id]" {
	requires_idmap
	mkdir -p "$BATS_TEST_TMPDIR/shared"
	echo host >"$BATS_TEST_TMPDIR/shared/by-host"
	chmod 0777 "$BATS_TEST_TMPDIR/shared"
	update_config ".mounts += [{\"destination\": \"/idm\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/shared\", \"options\": [\"bind\", \"idmap\"]},
		{\"destination\": \"/plain\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/shared\", \"options\": [\"bind\"]}]"
	set_args sh -c 'stat -c "%u:%g" /idm/by-host /plain/by-host; touch /idm/by-container; grep " /idm " /proc/self/mountinfo'
	hull run test_userns
	assert_success
	assert_line --index 0 "0:0"
	assert_line --index 1 "65534:65534"
	assert_line --index 2 --partial "idmapped"
	# created by the container's root (host 100000) through the mount: on disk it is root's
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/shared/by-container")" = 0:0 ]
}

@test "userns [idmap: the mount's own uidMappings/gidMappings]" {
	requires_idmap
	mkdir -p "$BATS_TEST_TMPDIR/shared"
	echo x >"$BATS_TEST_TMPDIR/shared/owned-1000"
	# (the kernel refuses writes to an inode whose owner the mount does not map: the directory too)
	chown -R 1000:1000 "$BATS_TEST_TMPDIR/shared"
	# on-disk 1000 is host 100000 through the mount, which is the container's root
	update_config ".mounts += [{\"destination\": \"/idm\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/shared\", \"options\": [\"rbind\", \"ridmap\"],
		\"uidMappings\": [{\"containerID\": 1000, \"hostID\": 100000, \"size\": 10}],
		\"gidMappings\": [{\"containerID\": 1000, \"hostID\": 100000, \"size\": 10}]}]"
	set_args sh -c 'stat -c "%u:%g" /idm/owned-1000; touch /idm/new'
	hull run test_userns
	assert_success
	assert_output "0:0"
	[ "$(stat -c %u:%g "$BATS_TEST_TMPDIR/shared/new")" = 1000:1000 ]
}

@test "userns [idmap: a source that cannot be id-mapped is a clear error, nothing left]" {
	requires_idmap
	update_config '.mounts += [{"destination": "/idm", "type": "bind", "source": "/proc/self", "options": ["bind", "idmap"]}]'
	hull run test_userns
	assert_failure
	assert_output --partial "id-mapped mount"
	assert_output --partial "/idm"
	assert_single_error_line
	assert_nothing_left
}
