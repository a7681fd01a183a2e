#!/usr/bin/env bats
# linux.sysctl: applied inside the container's namespaces, through its own procfs; only namespaced
# sysctls are accepted.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

@test "sysctl [net and ipc sysctls are set in the container, not on the host]" {
	local host_fwd host_shmmax
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	host_shmmax=$(cat /proc/sys/kernel/shmmax)
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.shmmax": "123456789", "net.ipv4.ip_default_ttl": "42"}'
	set_args cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_default_ttl
	hull run test_sysctl
	assert_success
	assert_output $'1\n123456789\n42'
	[ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host_fwd" ]
	[ "$(cat /proc/sys/kernel/shmmax)" = "$host_shmmax" ]
}

@test "sysctl [a UTS sysctl]" {
	update_config '.linux.sysctl = {"kernel.domainname": "example.org"}'
	set_args cat /proc/sys/kernel/domainname
	hull run test_sysctl
	assert_success
	assert_output example.org
}

@test "sysctl [written although /proc/sys is read-only (readonlyPaths), which stays read-only]" {
	update_config '.linux.readonlyPaths |= ((. // []) + ["/proc/sys"] | unique)'
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	set_args sh -c 'cat /proc/sys/net/ipv4/ip_forward; echo 0 >/proc/sys/net/ipv4/ip_forward; echo "rc=$?"'
	hull run test_sysctl
	assert_success
	assert_line --index 0 1
	assert_line --partial 'Read-only file system'
	refute_line rc=0
}

@test "sysctl [a mount inside /proc in the config is refused]" {
	update_config '.mounts += [{"destination": "/proc/sys/net", "type": "tmpfs", "source": "tmpfs", "options": ["size=64k"]}]'
	hull create --bundle "$BUNDLE" test_sysctl
	assert_failure
	assert_output --partial "/proc/sys/net cannot be mounted because it is inside /proc"
	assert_nothing_left
}

@test "sysctl [a tmpfs mounted over /proc/sys/net does not catch the write]" {
	# the config may not do it (see above), so a createContainer hook (container mount namespace,
	# before pivot_root and before the sysctls are written) mounts the tmpfs
	printf '#!/bin/sh\ncat >/dev/null\nmount -t tmpfs -o size=64k tmpfs "%s/proc/sys/net"\n' "$ROOTFS" >"$BATS_TEST_TMPDIR/overmount.sh"
	chmod +x "$BATS_TEST_TMPDIR/overmount.sh"
	update_config ".hooks.createContainer = [{\"path\": \"$BATS_TEST_TMPDIR/overmount.sh\"}]"
	update_config '.linux.readonlyPaths |= map(select(. != "/proc/sys"))'
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	hull create --bundle "$BUNDLE" test_sysctl
	assert_success
	local pid
	pid=$(hull_state_field test_sysctl pid)
	# the container's network namespace really has it (read from the host's procfs)
	run nsenter --net="/proc/$pid/ns/net" cat /proc/sys/net/ipv4/ip_forward
	assert_success
	assert_output 1
	# and nothing was written to the tmpfs
	run nsenter --mount="/proc/$pid/ns/mnt" ls -A /proc/sys/net
	assert_success
	assert_output ""
	hull delete --force test_sysctl
	assert_success
}

@test "sysctl [a non-namespaced sysctl is refused, nothing left]" {
	local before
	before=$(cat /proc/sys/kernel/core_pattern)
	update_config '.linux.sysctl = {"kernel.core_pattern": "|/bin/false"}'
	set_args true
	hull run test_sysctl
	assert_failure
	assert_output --partial 'sysctl "kernel.core_pattern" is not in a separate kernel namespace'
	assert_single_error_line
	assert_nothing_left
	[ "$(cat /proc/sys/kernel/core_pattern)" = "$before" ]
}

@test "sysctl [path spellings that leave /proc/sys are refused]" {
	local k
	for k in 'kernel/../../sysrq-trigger' '../sysrq-trigger' 'net..ipv4' '.net.ipv4.ip_forward'; do
		update_config ".linux.sysctl = {\"$k\": \"1\"}"
		set_args true
		hull run test_sysctl
		assert_failure
		assert_output --partial "invalid sysctl name"
		assert_nothing_left
	done
}

@test "sysctl [a net sysctl without a network namespace is refused]" {
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "1"}'
	set_args true
	hull run test_sysctl
	assert_failure
	assert_output --partial 'sysctl "net.ipv4.ip_forward" requires a network namespace'
	assert_nothing_left
}

@test "sysctl [an unknown sysctl names itself, nothing left]" {
	update_config '.linux.sysctl = {"net.ipv4.no_such_knob": "1"}'
	set_args true
	hull run test_sysctl
	assert_failure
	assert_output --partial 'sysctl "net.ipv4.no_such_knob": open `/proc/sys/net/ipv4/no_such_knob`: No such file or directory'
	assert_single_error_line
	assert_nothing_left
}

@test "sysctl [a value the kernel refuses: the error names the sysctl and the file]" {
	update_config '.linux.sysctl = {"net.ipv4.ip_forward": "not-a-number"}'
	set_args true
	hull run test_sysctl
	assert_failure
	assert_output 'hull: sysctl "net.ipv4.ip_forward": write /proc/sys/net/ipv4/ip_forward: Invalid argument'
	assert_nothing_left
}
