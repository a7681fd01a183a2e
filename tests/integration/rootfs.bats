#!/usr/bin/env bats
# The container's filesystem: pivot_root, --no-pivot, root.readonly, /dev, maskedPaths,
# readonlyPaths and the configured mounts as seen in /proc/self/mountinfo.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

# mountinfo_line MOUNTPOINT: the line of the mount at MOUNTPOINT in $output (last one wins)
mountinfo_line() {
	awk -v m="$1" '$5 == m { l = $0 } END { print l }' <<<"$output"
}

@test "rootfs [pivot_root: / is the bundle's rootfs]" {
	echo marker-content >"$ROOTFS/marker"
	set_args sh -c 'cat /marker; ls /; cat /proc/self/mountinfo'
	hull run test_rootfs
	assert_success
	assert_line --index 0 marker-content
	# the host's filesystem is out of reach
	refute_output --partial "$HULL_SRC"
	refute_line --regexp '^[0-9]+ [0-9]+ [^ ]+ [^ ]+ /work'
	local root
	root=$(mountinfo_line /)
	[ -n "$root" ]
}

@test "rootfs [--no-pivot]" {
	echo marker-content >"$ROOTFS/marker"
	set_args sh -c 'cat /marker; ls /bin/busybox'
	hull run --no-pivot test_rootfs
	assert_success
	assert_line --index 0 marker-content
	assert_line --index 1 /bin/busybox
}

@test "rootfs [root.readonly]" {
	update_config '.root.readonly = true'
	set_args sh -c 'touch /x; echo "touch=$?"; grep -E "^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / " /proc/self/mountinfo'
	hull run test_rootfs
	assert_success
	assert_line --partial "Read-only file system"
	assert_line "touch=1"
	[ ! -e "$ROOTFS/x" ]
	assert_line --regexp '^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / ro[, ]'
}

@test "rootfs [root writable when not readonly]" {
	set_args sh -c 'touch /x && echo ok'
	hull run test_rootfs
	assert_success
	assert_output ok
	[ -e "$ROOTFS/x" ]
}

@test "rootfs [/dev has the default devices]" {
	set_args sh -c 'for d in null zero full random urandom tty; do stat -c "%n %F %t:%T %a" /dev/$d; done'
	hull run test_rootfs
	assert_success
	assert_line --regexp '^/dev/null character special file 1:3 666$'
	assert_line --regexp '^/dev/zero character special file 1:5 666$'
	assert_line --regexp '^/dev/full character special file 1:7 666$'
	assert_line --regexp '^/dev/random character special file 1:8 666$'
	assert_line --regexp '^/dev/urandom character special file 1:9 666$'
	assert_line --regexp '^/dev/tty character special file 5:0 666$'
}

@test "rootfs [/dev symlinks, ptmx, pts and shm]" {
	set_args sh -c 'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done; cat /proc/self/mountinfo'
	hull run test_rootfs
	assert_success
	assert_line "fd -> /proc/self/fd"
	assert_line "stdin -> /proc/self/fd/0"
	assert_line "stdout -> /proc/self/fd/1"
	assert_line "stderr -> /proc/self/fd/2"
	assert_line "ptmx -> pts/ptmx"
	[[ "$(mountinfo_line /dev/pts)" == *" - devpts "* ]]
	[[ "$(mountinfo_line /dev/shm)" == *" - tmpfs "* ]]
	[[ "$(mountinfo_line /dev)" == *" - tmpfs "* ]]
}

@test "rootfs [/dev/null and /dev/zero work]" {
	set_args sh -c 'echo x >/dev/null && head -c 4 /dev/zero | od -An -tx1'
	hull run test_rootfs
	assert_success
	assert_output --regexp '^ *00 00 00 00$'
}

@test "rootfs [maskedPaths: a file reads empty, a directory is empty]" {
	update_config '.linux.maskedPaths += ["/etc/hostname", "/home"]'
	set_args sh -c 'echo "file=[$(cat /etc/hostname)]"; echo "dir=[$(ls -A /home)]"; [ -e /proc/keys ] && echo "keys=$(wc -c </proc/keys)"; echo "firmware=[$(ls -A /sys/firmware)]"'
	hull run test_rootfs
	assert_success
	assert_line "file=[]"
	assert_line "dir=[]"
	if [ -e /proc/keys ]; then assert_line "keys=0"; fi
	assert_line "firmware=[]"
	# masking does not touch the rootfs
	[ "$(cat "$ROOTFS/etc/hostname")" = rootfs ]
	[ -d "$ROOTFS/home/user" ]
}

@test "rootfs [maskedPaths: a masked file cannot be written]" {
	update_config '.linux.maskedPaths += ["/etc/hostname"]'
	set_args sh -c 'echo overwrite >/etc/hostname; cat /etc/hostname; echo end'
	hull run test_rootfs
	[ "$(cat "$ROOTFS/etc/hostname")" = rootfs ]
}

@test "rootfs [readonlyPaths are not writable]" {
	update_config '.linux.readonlyPaths += ["/mnt"]'
	set_args sh -c 'touch /mnt/x; echo "mnt=$?"; echo 1 >/proc/sys/kernel/ns_last_pid; echo "procsys=$?"; grep -E " /(mnt|proc/sys) " /proc/self/mountinfo'
	hull run test_rootfs
	assert_success
	assert_line "mnt=1"
	assert_line "procsys=1"
	assert_line --regexp ' /mnt ro[, ]'
	assert_line --regexp ' /proc/sys ro[, ]'
	[ ! -e "$ROOTFS/mnt/x" ]
}

@test "rootfs [mounts: proc, sysfs, devpts, mqueue with their options]" {
	set_args cat /proc/self/mountinfo
	hull run test_rootfs
	assert_success
	local l
	l=$(mountinfo_line /proc)
	[[ "$l" == *" - proc "* ]] || fail "/proc: $l"
	l=$(mountinfo_line /sys)
	[[ "$l" == *" - sysfs "* ]] || fail "/sys: $l"
	[[ "$(awk '{ print $6 }' <<<"$l")" == ro,* ]] || fail "/sys is not ro: $l"
	[[ "$(awk '{ print $6 }' <<<"$l")" == *nosuid*nodev*noexec* ]] || fail "/sys flags: $l"
	l=$(mountinfo_line /dev/pts)
	[[ "$l" == *" - devpts "* ]] || fail "/dev/pts: $l"
	[[ "$l" == *ptmxmode=666* && "$l" == *mode=620* && "$l" == *gid=5* ]] || fail "/dev/pts options: $l"
	l=$(mountinfo_line /dev/mqueue)
	[[ "$l" == *" - mqueue "* ]] || fail "/dev/mqueue: $l"
	l=$(mountinfo_line /dev/shm)
	[[ "$l" == *" - tmpfs "*size=65536k* ]] || fail "/dev/shm options: $l"
}

@test "rootfs [mounts: tmpfs with options]" {
	update_config '.mounts += [{"destination": "/tmp/t", "type": "tmpfs", "source": "tmpfs",
		"options": ["nosuid", "nodev", "noexec", "mode=1700", "size=1m"]}]'
	set_args sh -c 'stat -c "%a" /tmp/t; cat /proc/self/mountinfo'
	hull run test_rootfs
	assert_success
	assert_line --index 0 1700
	local l
	l=$(mountinfo_line /tmp/t)
	[[ "$l" == *" - tmpfs "* ]] || fail "/tmp/t: $l"
	[[ "$(awk '{ print $6 }' <<<"$l")" == *nosuid*nodev*noexec* ]] || fail "/tmp/t flags: $l"
	[[ "$l" == *size=1024k* ]] || fail "/tmp/t size: $l"
	# the mount point was created in the rootfs
	[ -d "$ROOTFS/tmp/t" ]
}

@test "rootfs [mounts: read-only bind]" {
	mkdir -p "$BATS_TEST_TMPDIR/src"
	echo from-host >"$BATS_TEST_TMPDIR/src/file"
	update_config ".mounts += [{\"destination\": \"/mnt/ro\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\",
		\"options\": [\"rbind\", \"ro\"]}]"
	set_args sh -c 'cat /mnt/ro/file; touch /mnt/ro/new 2>/dev/null; echo "touch=$?"; cat /proc/self/mountinfo'
	hull run test_rootfs
	assert_success
	assert_line --index 0 from-host
	assert_line "touch=1"
	[ ! -e "$BATS_TEST_TMPDIR/src/new" ]
	[[ "$(mountinfo_line /mnt/ro | awk '{ print $6 }')" == ro* ]]
}

@test "rootfs [mounts: read-write bind]" {
	mkdir -p "$BATS_TEST_TMPDIR/src"
	update_config ".mounts += [{\"destination\": \"/mnt/rw\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\",
		\"options\": [\"bind\", \"nosuid\"]}]"
	set_args sh -c 'echo from-container >/mnt/rw/file && grep " /mnt/rw " /proc/self/mountinfo'
	hull run test_rootfs
	assert_success
	[ "$(cat "$BATS_TEST_TMPDIR/src/file")" = from-container ]
	[[ "$(awk '{ print $6 }' <<<"$output")" == rw*nosuid* ]]
}

@test "rootfs [mounts: bind of a single file]" {
	echo file-content >"$BATS_TEST_TMPDIR/single"
	update_config ".mounts += [{\"destination\": \"/etc/single\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/single\",
		\"options\": [\"bind\", \"ro\"]}]"
	set_args cat /etc/single
	hull run test_rootfs
	assert_success
	assert_output file-content
}

@test "rootfs [mounts: bind source missing]" {
	update_config ".mounts += [{\"destination\": \"/mnt/x\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/nonexistent\",
		\"options\": [\"bind\"]}]"
	hull run test_rootfs
	assert_failure
	assert_output --partial "nonexistent"
	assert_single_error_line
	assert_nothing_left
}

@test "rootfs [rootfsPropagation: container mounts do not reach the host]" {
	update_config '.linux.rootfsPropagation = "private"'
	set_args sh -c 'grep -c . /proc/self/mountinfo'
	hull run test_rootfs
	assert_success
	[ -z "$(awk -v r="$BUNDLE" 'index($5, r) == 1' /proc/self/mountinfo)" ]
}
