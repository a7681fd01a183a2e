#!/usr/bin/env bats
# linux.netDevices: host interfaces moved into the container's network namespace, renamed when asked,
# with their permanent global addresses, and up.  Each test makes its own veth pair and removes
# whatever is left of it.

load helpers

setup() {
	requires root
	command -v ip >/dev/null || skip "test requires ip(8)"
	setup_bundle
	# short unique names (IFNAMSIZ is 16)
	VETH="hv${BATS_TEST_NUMBER}x$$"
	PEER="hp${BATS_TEST_NUMBER}x$$"
	VETH=${VETH:0:15}
	PEER=${PEER:0:15}
	echo "$VETH $PEER" >"$BATS_TEST_TMPDIR/links"
}

teardown() {
	local l
	if [ -f "$BATS_TEST_TMPDIR/holder.pid" ]; then
		kill -9 "$(cat "$BATS_TEST_TMPDIR/holder.pid")" 2>/dev/null || true
	fi
	if [ -f "$BATS_TEST_TMPDIR/links" ]; then
		for l in $(cat "$BATS_TEST_TMPDIR/links"); do
			ip link del "$l" 2>/dev/null || true
		done
	fi
	teardown_bundle
}

make_veth() {
	ip link add "$VETH" type veth peer name "$PEER" || fail "ip link add"
	ip addr add 10.213.7.1/24 dev "$VETH" || fail "ip addr add"
	ip -6 addr add fd00:213:7::1/64 dev "$VETH" nodad || fail "ip -6 addr add"
	ip link set "$VETH" up || fail "ip link set up"
}

# wait_link_gone NAME: the kernel destroys a namespace's devices asynchronously.
wait_link_gone() {
	local i
	for ((i = 0; i < 50; i++)); do
		ip link show "$1" >/dev/null 2>&1 || return 0
		sleep 0.1
	done
	fail "link $1 still exists on the host"
}

@test "netdev [moved, renamed, with its addresses, and up]" {
	make_veth
	update_config ".linux.netDevices = {\"$VETH\": {\"name\": \"ctr0\"}}"
	set_args sh -c 'ip -o link show ctr0; ip -o addr show dev ctr0'
	hull run test_netdev
	assert_success
	assert_line --index 0 --regexp '^[0-9]+: ctr0@[^:]*: <[^>]*\bUP\b'
	assert_line --regexp 'inet 10\.213\.7\.1/24 .*scope global ctr0'
	assert_line --regexp 'inet6 fd00:213:7::1/64 scope global'
	# gone from the host while the container ran; the namespace took the pair with it
	run ip link show "$VETH"
	assert_failure
	wait_link_gone "$PEER"
}

@test "netdev [the host name is kept without a name]" {
	make_veth
	update_config ".linux.netDevices = {\"$VETH\": {}}"
	hull run -d test_netdev
	assert_success
	run ip link show "$VETH"
	assert_failure
	hull exec test_netdev ip -o addr show dev "$VETH"
	assert_success
	assert_output --partial "inet 10.213.7.1/24"
	hull delete --force test_netdev
	assert_success
	wait_link_gone "$PEER"
}

@test "netdev [a name template is resolved by the kernel]" {
	make_veth
	update_config ".linux.netDevices = {\"$VETH\": {\"name\": \"eth%d\"}}"
	set_args sh -c 'ip -o link show eth0'
	hull run test_netdev
	assert_success
	assert_output --regexp '^[0-9]+: eth0@'
	wait_link_gone "$PEER"
}

@test "netdev [only permanent global addresses are carried]" {
	make_veth
	# a host-scoped address stays behind (dropped with the move)
	ip addr add 10.213.8.1/24 dev "$VETH" scope host || fail "ip addr add"
	update_config ".linux.netDevices = {\"$VETH\": {\"name\": \"ctr0\"}}"
	set_args ip -o addr show dev ctr0
	hull run test_netdev
	assert_success
	assert_output --partial "10.213.7.1/24"
	refute_output --partial "10.213.8.1"
	wait_link_gone "$PEER"
}

@test "netdev [a device that does not exist: error names it, nothing left]" {
	update_config '.linux.netDevices = {"nosuchdev0": {}}'
	set_args true
	hull run test_netdev
	assert_failure
	assert_output 'hull: linux.netDevices "nosuchdev0": find the device: No such device'
	assert_nothing_left
}

@test "netdev [a name taken in the container: error, the device stays on the host]" {
	make_veth
	update_config ".linux.netDevices = {\"$VETH\": {\"name\": \"lo\"}}"
	set_args true
	hull run test_netdev
	assert_failure
	assert_output "hull: linux.netDevices \"$VETH\": a device named \`lo\` already exists in the container's network namespace"
	assert_single_error_line
	assert_nothing_left
	run ip -o addr show dev "$VETH"
	assert_success
	assert_output --partial "10.213.7.1/24"
}

@test "netdev [moving devices needs a network namespace]" {
	update_config '.linux.namespaces |= map(select(.type != "network"))'
	update_config '.linux.netDevices = {"eth0": {}}'
	set_args true
	hull run test_netdev
	assert_failure
	assert_output --partial "linux.netDevices: moving network devices requires a network namespace"
	assert_nothing_left
}

@test "netdev [into a network namespace joined by path]" {
	command -v unshare >/dev/null || skip "test requires unshare(1)"
	make_veth
	# a namespace held by a sleeping process
	unshare --net sleep 3600 &
	local holder=$!
	echo "$holder" >"$BATS_TEST_TMPDIR/holder.pid"
	sleep 0.2
	update_config ".linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$holder/ns/net\" else . end)"
	update_config ".linux.netDevices = {\"$VETH\": {\"name\": \"joined0\"}}"
	set_args ip -o addr show dev joined0
	hull run test_netdev
	local rc=$status out=$output
	run nsenter --net="/proc/$holder/ns/net" ip -o link show joined0
	local rc2=$status
	kill -9 "$holder"
	wait "$holder" 2>/dev/null || true
	[ "$rc" -eq 0 ] || fail "hull run failed: $out"
	[[ "$out" == *"10.213.7.1/24"* ]] || fail "address not carried: $out"
	[ "$rc2" -eq 0 ] || fail "joined0 is not in the joined namespace"
	wait_link_gone "$PEER"
}
