#!/usr/bin/env bats
# config.json `mounts`: every option of the table, binds of files and directories, recursive r*
# options, propagation, tmpcopyup, overlay, relative destinations, config order, destinations kept
# inside the rootfs, and linux.rootfsPropagation — each checked from inside the container.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

# mountinfo_line MOUNTPOINT: the line of the mount at MOUNTPOINT in $output (last one wins)
mountinfo_line() {
	awk -v m="$1" '$5 == m { l = $0 } END { print l }' <<<"$output"
}
# per-mount options (field 6) of MOUNTPOINT
mount_opts_of() { mountinfo_line "$1" | awk '{ print $6 }'; }
# superblock options (the last field) of MOUNTPOINT
super_opts_of() { mountinfo_line "$1" | awk '{ print $NF }'; }

add_mount() { update_config ".mounts += [$1]"; }

has_opt() { # has_opt LIST OPT: OPT is one of the comma-separated LIST
	[[ ",$1," == *",$2,"* ]]
}

@test "mounts [per-mount flags: ro nosuid nodev noexec noatime nodiratime nosymfollow]" {
	add_mount '{"destination": "/m1", "type": "tmpfs", "source": "tmpfs",
		"options": ["ro", "nosuid", "nodev", "noexec", "noatime", "nodiratime", "nosymfollow"]}'
	add_mount '{"destination": "/m2", "type": "tmpfs", "source": "tmpfs", "options": ["rw", "strictatime"]}'
	add_mount '{"destination": "/m3", "type": "tmpfs", "source": "tmpfs", "options": ["relatime", "suid", "dev", "exec"]}'
	set_args cat /proc/self/mountinfo
	hull run test_mounts
	assert_success
	local o
	o=$(mount_opts_of /m1)
	for f in ro nosuid nodev noexec noatime nodiratime nosymfollow; do
		has_opt "$o" "$f" || fail "/m1: $f missing in $o"
	done
	o=$(mount_opts_of /m2)
	has_opt "$o" rw || fail "/m2: $o"
	! has_opt "$o" relatime || fail "/m2 strictatime: $o"
	! has_opt "$o" noatime || fail "/m2 strictatime: $o"
	o=$(mount_opts_of /m3)
	has_opt "$o" relatime || fail "/m3: $o"
	! has_opt "$o" nosuid && ! has_opt "$o" nodev && ! has_opt "$o" noexec || fail "/m3: $o"
}

@test "mounts [superblock flags: sync dirsync lazytime; async, loud, silent, defaults accepted]" {
	add_mount '{"destination": "/s1", "type": "tmpfs", "source": "tmpfs", "options": ["sync", "dirsync", "lazytime"]}'
	add_mount '{"destination": "/s2", "type": "tmpfs", "source": "tmpfs",
		"options": ["defaults", "async", "loud", "silent", "nolazytime", "noiversion", "atime", "diratime", "norelatime", "nostrictatime", "symfollow", "nomand"]}'
	set_args cat /proc/self/mountinfo
	hull run test_mounts
	assert_success
	local s
	s=$(super_opts_of /s1)
	has_opt "$s" sync || fail "/s1: $s"
	has_opt "$s" dirsync || fail "/s1: $s"
	has_opt "$s" lazytime || fail "/s1: $s"
	s=$(super_opts_of /s2)
	! has_opt "$s" sync || fail "/s2: $s"
	[[ "$(mountinfo_line /s2)" == *" - tmpfs "* ]]
}

@test "mounts [unknown options are filesystem data: a bad one fails with a clear error]" {
	add_mount '{"destination": "/bad", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "bogus-option"]}'
	hull run test_mounts
	assert_failure
	assert_output --partial "bogus-option"
	assert_output --partial "/bad"
	assert_single_error_line
	assert_nothing_left
}

@test "mounts [bind of a directory and of a file; the destination is created as the same kind]" {
	mkdir -p "$BATS_TEST_TMPDIR/dir"
	echo in-dir >"$BATS_TEST_TMPDIR/dir/f"
	echo a-file >"$BATS_TEST_TMPDIR/file"
	add_mount "{\"destination\": \"/new/dir\", \"type\": \"none\", \"source\": \"$BATS_TEST_TMPDIR/dir\", \"options\": [\"bind\"]}"
	add_mount "{\"destination\": \"/new/file\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/file\"}"
	set_args sh -c 'stat -c "%F" /new/dir /new/file; cat /new/dir/f /new/file'
	hull run test_mounts
	assert_success
	assert_line --index 0 directory
	assert_line --index 1 "regular file"
	assert_line --index 2 in-dir
	assert_line --index 3 a-file
	[ -d "$ROOTFS/new/dir" ] && [ -f "$ROOTFS/new/file" ]
}

@test "mounts [relative source is taken from the bundle]" {
	mkdir -p "$BUNDLE/data"
	echo bundle-data >"$BUNDLE/data/x"
	add_mount '{"destination": "/data", "type": "bind", "source": "data", "options": ["rbind"]}'
	set_args cat /data/x
	hull run test_mounts
	assert_success
	assert_output bundle-data
}

@test "mounts [bind is not recursive, rbind is]" {
	mkdir -p "$BATS_TEST_TMPDIR/tree/sub"
	mount -t tmpfs tmpfs "$BATS_TEST_TMPDIR/tree/sub"
	echo sub >"$BATS_TEST_TMPDIR/tree/sub/marker"
	add_mount "{\"destination\": \"/b\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/tree\", \"options\": [\"bind\"]}"
	add_mount "{\"destination\": \"/rb\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/tree\", \"options\": [\"rbind\"]}"
	set_args sh -c 'ls /b/sub; echo -; cat /rb/sub/marker'
	hull run test_mounts
	umount "$BATS_TEST_TMPDIR/tree/sub"
	assert_success
	assert_output $'-\nsub'
}

@test "mounts [read-only bind is read-only and cannot be remounted rw when the flag is locked]" {
	mkdir -p "$BATS_TEST_TMPDIR/src"
	add_mount "{\"destination\": \"/ro\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\", \"ro\", \"nosuid\"]}"
	set_args sh -c 'touch /ro/x 2>&1; echo "touch=$?"; grep " /ro " /proc/self/mountinfo'
	hull run test_mounts
	assert_success
	assert_line --partial "Read-only file system"
	assert_line "touch=1"
	[ ! -e "$BATS_TEST_TMPDIR/src/x" ]
	local o
	o=$(mount_opts_of /ro)
	has_opt "$o" ro && has_opt "$o" nosuid || fail "/ro: $o"
}

@test "mounts [remount keeps the source's flags (nodev/noexec of a nodev,noexec source)]" {
	mkdir -p "$BATS_TEST_TMPDIR/src"
	mount -t tmpfs -o nodev,noexec tmpfs "$BATS_TEST_TMPDIR/src"
	add_mount "{\"destination\": \"/keep\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\", \"ro\"]}"
	set_args sh -c 'grep " /keep " /proc/self/mountinfo'
	hull run test_mounts
	umount "$BATS_TEST_TMPDIR/src"
	assert_success
	local o
	o=$(mount_opts_of /keep)
	has_opt "$o" ro && has_opt "$o" nodev && has_opt "$o" noexec || fail "/keep: $o"
}

@test "mounts [recursive options: rro, rnosuid, rnodev, rnoexec, rnosymfollow, rnoatime reach submounts]" {
	mkdir -p "$BATS_TEST_TMPDIR/tree/sub"
	mount -t tmpfs tmpfs "$BATS_TEST_TMPDIR/tree/sub"
	add_mount "{\"destination\": \"/r\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/tree\",
		\"options\": [\"rbind\", \"rro\", \"rnosuid\", \"rnodev\", \"rnoexec\", \"rnosymfollow\", \"rnoatime\"]}"
	add_mount "{\"destination\": \"/plain\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/tree\", \"options\": [\"rbind\", \"ro\"]}"
	set_args sh -c 'touch /r/sub/x 2>/dev/null; echo "touch=$?"; cat /proc/self/mountinfo'
	hull run test_mounts
	umount "$BATS_TEST_TMPDIR/tree/sub"
	if fallback_denies mount_setattr; then
		# without mount_setattr hull cannot apply these: it refuses them (fail closed; `hull features`
		# no longer lists them either, see features.bats)
		assert_failure
		assert_output --partial "/r"
		refute_output --partial "touch="
		assert_nothing_left
		return
	fi
	assert_success
	assert_line "touch=1"
	local m o
	for m in /r /r/sub; do
		o=$(mount_opts_of $m)
		for f in ro nosuid nodev noexec nosymfollow noatime; do
			has_opt "$o" $f || fail "$m: $f missing in $o"
		done
	done
	# plain ro is not recursive
	has_opt "$(mount_opts_of /plain)" ro
	has_opt "$(mount_opts_of /plain/sub)" rw
}

@test "mounts [recursive clearing options: rrw rsuid rdev rexec rsymfollow ratime rrelatime rstrictatime rnodiratime rdiratime]" {
	# under tests/suites/fallback.sh mount_setattr is blocked: hull then refuses these options (see the
	# test above; `hull features` no longer lists them, see features.bats)
	! fallback_denies mount_setattr || skip "mount_setattr is blocked by the fallback wrapper"
	mkdir -p "$BATS_TEST_TMPDIR/tree/sub"
	mount -t tmpfs -o nosuid,nodev,noexec tmpfs "$BATS_TEST_TMPDIR/tree/sub"
	add_mount "{\"destination\": \"/c\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/tree\",
		\"options\": [\"rbind\", \"rrw\", \"rsuid\", \"rdev\", \"rexec\", \"rsymfollow\", \"rnodiratime\", \"rrelatime\"]}"
	add_mount "{\"destination\": \"/d\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/tree\",
		\"options\": [\"rbind\", \"rstrictatime\", \"rdiratime\", \"ratime\"]}"
	set_args cat /proc/self/mountinfo
	hull run test_mounts
	umount "$BATS_TEST_TMPDIR/tree/sub"
	assert_success
	local o
	o=$(mount_opts_of /c/sub)
	has_opt "$o" rw && has_opt "$o" nodiratime && has_opt "$o" relatime || fail "/c/sub: $o"
	! has_opt "$o" nosuid && ! has_opt "$o" nodev && ! has_opt "$o" noexec || fail "/c/sub: $o"
	o=$(mount_opts_of /d/sub)
	! has_opt "$o" relatime && ! has_opt "$o" noatime && ! has_opt "$o" nodiratime || fail "/d/sub: $o"
}

@test "mounts [propagation options: shared, slave, private, unbindable and their r* forms]" {
	mkdir -p "$BATS_TEST_TMPDIR/src"
	local p
	for p in shared rshared private rprivate unbindable runbindable; do
		add_mount "{\"destination\": \"/p-$p\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"$p\"]}"
	done
	# slave of a shared mount
	add_mount "{\"destination\": \"/p-slave\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"rbind\", \"rslave\"]}"
	set_args cat /proc/self/mountinfo
	hull run test_mounts
	assert_success
	[[ "$(mountinfo_line /p-shared)" == *" shared:"* ]] || fail "$(mountinfo_line /p-shared)"
	[[ "$(mountinfo_line /p-rshared)" == *" shared:"* ]]
	[[ "$(mountinfo_line /p-private)" != *" shared:"* && "$(mountinfo_line /p-private)" != *master:* ]]
	[[ "$(mountinfo_line /p-rprivate)" != *" shared:"* ]]
	[[ "$(mountinfo_line /p-unbindable)" == *" unbindable "* ]] || fail "$(mountinfo_line /p-unbindable)"
	[[ "$(mountinfo_line /p-runbindable)" == *" unbindable "* ]]
	# the slave mount appears after the shared ones: a slave of a private mount is private, of a
	# shared one a slave
	[[ "$(mountinfo_line /p-slave)" != *" shared:"* ]]
}

@test "mounts [tmpcopyup copies the directory's contents with modes, owners and symlinks]" {
	mkdir -p "$ROOTFS/opt/data/sub"
	echo content >"$ROOTFS/opt/data/file"
	chmod 0604 "$ROOTFS/opt/data/file"
	chown 1000:100 "$ROOTFS/opt/data/file"
	chmod 0711 "$ROOTFS/opt/data/sub"
	chown 1000:1000 "$ROOTFS/opt/data/sub"
	echo deep >"$ROOTFS/opt/data/sub/deep"
	ln -s ../file "$ROOTFS/opt/data/sub/link"
	add_mount '{"destination": "/opt/data", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "mode=755"]}'
	set_args sh -c 'stat -c "%n %a %u %g" /opt/data/file /opt/data/sub; readlink /opt/data/sub/link; cat /opt/data/sub/link /opt/data/sub/deep; echo new >/opt/data/new; grep " /opt/data " /proc/self/mountinfo'
	hull run test_mounts
	assert_success
	assert_line --index 0 "/opt/data/file 604 1000 100"
	assert_line --index 1 "/opt/data/sub 711 1000 1000"
	assert_line --index 2 "../file"
	assert_line --index 3 content
	assert_line --index 4 deep
	[[ "${lines[5]}" == *" - tmpfs "* ]]
	# the writes went to the tmpfs
	[ ! -e "$ROOTFS/opt/data/new" ]
}

@test "mounts [overlay with its data string]" {
	mkdir -p "$BUNDLE/lower" "$BUNDLE/upper" "$BUNDLE/work"
	echo lower >"$BUNDLE/lower/l"
	add_mount "{\"destination\": \"/ov\", \"type\": \"overlay\", \"source\": \"overlay\",
		\"options\": [\"lowerdir=$BUNDLE/lower\", \"upperdir=$BUNDLE/upper\", \"workdir=$BUNDLE/work\"]}"
	set_args sh -c 'cat /ov/l; echo up >/ov/u; grep " /ov " /proc/self/mountinfo'
	hull run test_mounts
	assert_success
	assert_line --index 0 lower
	[[ "${lines[1]}" == *" - overlay "* ]]
	[ "$(cat "$BUNDLE/upper/u")" = up ]
}

@test "mounts [relative destination is below /]" {
	add_mount '{"destination": "rel/dir", "type": "tmpfs", "source": "tmpfs"}'
	set_args sh -c 'grep " /rel/dir " /proc/self/mountinfo'
	hull run test_mounts
	assert_success
	[[ "$output" == *" - tmpfs "* ]]
	[ -d "$ROOTFS/rel/dir" ]
}

@test "mounts [mount order is the config order]" {
	mkdir -p "$BATS_TEST_TMPDIR/src"
	echo under >"$BATS_TEST_TMPDIR/src/f"
	add_mount "{\"destination\": \"/o/inner\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\"]}"
	add_mount '{"destination": "/o", "type": "tmpfs", "source": "tmpfs"}'
	add_mount '{"destination": "/p", "type": "tmpfs", "source": "tmpfs"}'
	add_mount "{\"destination\": \"/p/inner\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\"]}"
	set_args sh -c 'cat /o/inner/f 2>/dev/null || echo hidden; cat /p/inner/f'
	hull run test_mounts
	assert_success
	assert_output $'hidden\nunder'
}

@test "mounts [a destination symlink cannot leave the rootfs (absolute and ../ links)]" {
	ln -s /etc "$ROOTFS/abs"
	ln -s ../../../../../../../../etc "$ROOTFS/rel"
	add_mount '{"destination": "/abs/hull-escape-abs", "type": "tmpfs", "source": "tmpfs"}'
	add_mount '{"destination": "/rel/hull-escape-rel", "type": "tmpfs", "source": "tmpfs"}'
	set_args sh -c 'grep -c hull-escape /proc/self/mountinfo'
	hull run test_mounts
	assert_success
	assert_output 2
	# created inside the rootfs, never on the host
	[ ! -e /etc/hull-escape-abs ] && [ ! -e /etc/hull-escape-rel ]
	[ -d "$ROOTFS/etc/hull-escape-abs" ] && [ -d "$ROOTFS/etc/hull-escape-rel" ]
}

@test "mounts [a bind onto a symlinked destination stays inside the rootfs]" {
	mkdir -p "$BATS_TEST_TMPDIR/src" "$BATS_TEST_TMPDIR/outside"
	echo src >"$BATS_TEST_TMPDIR/src/marker"
	ln -s "../../../../../../..$BATS_TEST_TMPDIR/outside" "$ROOTFS/link"
	add_mount "{\"destination\": \"/link\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\"]}"
	set_args sh -c "cat /link/marker; grep -c ' $BATS_TEST_TMPDIR/outside ' /proc/self/mountinfo"
	hull run test_mounts
	assert_success
	assert_output $'src\n1'
	[ -d "$ROOTFS$BATS_TEST_TMPDIR/outside" ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/outside")" ]
}

@test "mounts [/proc as a symlink is refused]" {
	rmdir "$ROOTFS/proc"
	mkdir -p "$ROOTFS/fakeproc"
	ln -s /fakeproc "$ROOTFS/proc"
	hull run test_mounts
	assert_failure
	assert_output --partial "/proc"
	assert_output --partial "symlink"
	assert_single_error_line
	assert_nothing_left
	[ -z "$(ls -A "$ROOTFS/fakeproc")" ]
}

@test "mounts [/sys as a symlink is refused]" {
	rmdir "$ROOTFS/sys"
	ln -s /tmp "$ROOTFS/sys"
	hull run test_mounts
	assert_failure
	assert_output --partial "/sys"
	assert_output --partial "symlink"
	assert_single_error_line
	assert_nothing_left
}

# run a container on a shared copy of the bundle and print the mountinfo line of / inside
root_propagation() {
	local shared="$BATS_TEST_TMPDIR/shared"
	mkdir -p "$shared"
	mount -t tmpfs tmpfs "$shared"
	mount --make-shared "$shared"
	cp -a "$BUNDLE/." "$shared/"
	update_config ".linux.rootfsPropagation = \"$1\"" "$shared"
	update_config '.process.args = ["sh", "-c", "grep -E \"^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / \" /proc/self/mountinfo"]' "$shared"
	hull run -b "$shared" test_prop
	umount -l "$shared"
}

@test "mounts [rootfsPropagation shared]" {
	root_propagation shared
	assert_success
	assert_output --regexp ' shared:[0-9]+'
}

@test "mounts [rootfsPropagation slave]" {
	root_propagation slave
	assert_success
	assert_output --regexp ' master:[0-9]+'
	refute_output --regexp ' shared:[0-9]+'
}

@test "mounts [rootfsPropagation private]" {
	root_propagation private
	assert_success
	refute_output --regexp ' (shared|master):[0-9]+'
}

@test "mounts [rootfsPropagation unbindable]" {
	root_propagation unbindable
	assert_success
	assert_output --partial ' unbindable '
}
