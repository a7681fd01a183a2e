#!/usr/bin/env bats
# /dev: linux.devices (char, block, fifo with numbers, fileMode, uid, gid), the default devices,
# /dev/console on a terminal, and the bind-mount fallback in a user namespace.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

# userns_bundle: the rootfs owned by the mapped root (100000), reachable by it, and the mappings.
userns_bundle() {
	local d=$BUNDLE
	while [ "$d" != / ]; do
		chmod o+x "$d"
		d=$(dirname "$d")
	done
	chown -R 100000:100000 "$ROOTFS"
	update_config '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
}

@test "devices [char, block and fifo with major/minor, fileMode, uid, gid]" {
	update_config '.linux.devices = [
		{"path": "/dev/mychar", "type": "c", "major": 1, "minor": 7, "fileMode": 416, "uid": 1000, "gid": 100},
		{"path": "/dev/myblk", "type": "b", "major": 7, "minor": 200, "fileMode": 384, "uid": 0, "gid": 6},
		{"path": "/dev/myfifo", "type": "p", "fileMode": 420, "uid": 1000, "gid": 1000},
		{"path": "/dev/sub/dir/unbuffered", "type": "u", "major": 1, "minor": 3}]'
	set_args sh -c 'for d in /dev/mychar /dev/myblk /dev/myfifo /dev/sub/dir/unbuffered; do stat -c "%n %F %t:%T %a %u:%g" $d; done; ls -ln /dev/mychar /dev/myblk'
	hull run test_devices
	assert_success
	assert_line --index 0 "/dev/mychar character special file 1:7 640 1000:100"
	assert_line --index 1 "/dev/myblk block special file 7:c8 600 0:6"
	assert_line --index 2 "/dev/myfifo fifo 0:0 644 1000:1000"
	assert_line --index 3 "/dev/sub/dir/unbuffered character special file 1:3 666 0:0"
	assert_line --regexp '^crw-r----- +1 1000 +100 +1, +7 .* /dev/mychar$'
	assert_line --regexp '^brw------- +1 0 +6 +7, +200 .* /dev/myblk$'
}

@test "devices [a configured device works: writes to a full device fail with ENOSPC]" {
	update_config '.linux.devices = [{"path": "/dev/myfull", "type": "c", "major": 1, "minor": 7, "fileMode": 438}]'
	set_args sh -c 'echo x >/dev/myfull'
	hull run test_devices
	assert_failure
	assert_output --partial "No space left on device"
}

@test "devices [default devices are always present with mode 0666]" {
	update_config '.linux.devices = []'
	set_args sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done; for l in ptmx fd stdin stdout stderr; do readlink /dev/$l; done'
	hull run test_devices
	assert_success
	assert_output "/dev/null character special file 1:3 666
/dev/zero character special file 1:5 666
/dev/full character special file 1:7 666
/dev/random character special file 1:8 666
/dev/urandom character special file 1:9 666
/dev/tty character special file 5:0 666
pts/ptmx
/proc/self/fd
/proc/self/fd/0
/proc/self/fd/1
/proc/self/fd/2"
}

@test "devices [a device path replaces what the rootfs had there]" {
	mkdir -p "$ROOTFS/dev"
	echo stale >"$ROOTFS/dev/mydev"
	update_config '.linux.devices = [{"path": "/dev/mydev", "type": "c", "major": 1, "minor": 5}]'
	set_args sh -c 'stat -c "%F %t:%T" /dev/mydev'
	hull run test_devices
	assert_success
	assert_output "character special file 1:5"
}

@test "devices [/dev/console is the container's pty when terminal is true]" {
	requires recvtty
	local sock="$BATS_TEST_TMPDIR/console.sock"
	"$HULL_RECVTTY" --ready "$BATS_TEST_TMPDIR/ready" "$sock" >"$BATS_TEST_TMPDIR/tty.out" 2>&1 3>&- &
	local rpid=$!
	local i
	for ((i = 0; i < 100; i++)); do [ -e "$BATS_TEST_TMPDIR/ready" ] && break; sleep 0.1; done
	update_config '.process.terminal = true'
	set_args sh -c 'stat -c "console %F %t" /dev/console; tty'
	hull run --console-socket "$sock" test_devices
	wait "$rpid" || true
	assert_success
	run cat "$BATS_TEST_TMPDIR/tty.out"
	# the pty slaves are char 136:N (0x88)
	assert_output --partial "console character special file 88"
	assert_output --partial "/dev/pts/"
}

@test "devices [in a user namespace devices are bind-mounted from the host]" {
	requires userns
	userns_bundle
	update_config '.linux.devices = [{"path": "/dev/full", "type": "c", "major": 1, "minor": 7}]'
	set_args sh -c 'stat -c "%n %t:%T" /dev/null /dev/full; grep -cE " /dev/(null|zero|full|random|urandom|tty) " /proc/self/mountinfo; echo x >/dev/null && echo null-ok'
	hull run test_devices
	assert_success
	assert_line --index 0 "/dev/null 1:3"
	assert_line --index 1 "/dev/full 1:7"
	assert_line --index 2 6
	assert_line null-ok
}

@test "devices [in a user namespace a device with no host node is a clear error]" {
	requires userns
	userns_bundle
	update_config '.linux.devices = [{"path": "/dev/hull-no-such-device", "type": "c", "major": 1, "minor": 7}]'
	hull run test_devices
	assert_failure
	assert_output --partial "/dev/hull-no-such-device"
	assert_single_error_line
	assert_nothing_left
}
