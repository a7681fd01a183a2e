#!/usr/bin/env bats
# OCI hooks: every kind, in order, in its namespace, with the state on stdin, args, env and timeout;
# the failure semantics of each kind.

load helpers

setup() {
	setup_bundle
	HOOKLOG="$BATS_TEST_TMPDIR/hooks.log"
	# A hook that records its kind, the state it got, its mount namespace and its env.
	cat >"$BATS_TEST_TMPDIR/hook.sh" <<-EOF
		#!/bin/sh
		state=\$(cat)
		echo "\$1 status=\$(echo "\$state" | jq -r .status) id=\$(echo "\$state" | jq -r .id) pid=\$(echo "\$state" | jq -r .pid) mnt=\$(readlink /proc/self/ns/mnt) env=\$HOOK_ENV" >>"$HOOKLOG"
		exit \${HOOK_EXIT:-0}
	EOF
	chmod +x "$BATS_TEST_TMPDIR/hook.sh"
	# startContainer runs inside the container: its path resolves in the container's root and it
	# writes to a file the test reads from the rootfs.
	cat >"$ROOTFS/hook.sh" <<-'EOF'
		#!/bin/sh
		cat >/dev/null
		echo "$1 mnt=$(readlink /proc/self/ns/mnt) host=$(hostname)" >>/hooks-in.log
		exit ${HOOK_EXIT:-0}
	EOF
	chmod +x "$ROOTFS/hook.sh"
	HOSTMNT=$(readlink /proc/self/ns/mnt)
}
teardown() { teardown_bundle; }

# hook KIND [EXIT] → the JSON of one hook entry
hook() {
	local path="$BATS_TEST_TMPDIR/hook.sh"
	[ "$1" = startContainer ] && path=/hook.sh
	jq -n --arg p "$path" --arg k "$1" --arg e "${2:-0}" \
		'{path: $p, args: ["hook.sh", $k], env: ["HOOK_ENV=set-\($k)", "HOOK_EXIT=\($e)"]}'
}

all_hooks() {
	update_config ".hooks = {
		prestart: [$(hook prestart)], createRuntime: [$(hook createRuntime)],
		createContainer: [$(hook createContainer)], startContainer: [$(hook startContainer)],
		poststart: [$(hook poststart)], poststop: [$(hook poststop)] }"
}

@test "hooks [all six run in order with the state on stdin]" {
	all_hooks
	update_config '.hostname = "hooked"'
	set_args true
	hull run test_hooks
	assert_success
	run cut -d' ' -f1 "$HOOKLOG"
	assert_output $'prestart\ncreateRuntime\ncreateContainer\npoststart\npoststop'
	run grep -c "id=test_hooks" "$HOOKLOG"
	assert_output 5
	# the state's status: creating before start, running at poststart, stopped at poststop
	run grep -o '^[a-zA-Z]* status=[a-z]*' "$HOOKLOG"
	assert_line --index 0 "prestart status=creating"
	assert_line --index 3 "poststart status=running"
	assert_line --index 4 "poststop status=stopped"
	# env and args reach the hook
	grep -q "^createRuntime .* env=set-createRuntime" "$HOOKLOG"
	# startContainer ran inside the container (its own root and hostname)
	run cat "$ROOTFS/hooks-in.log"
	assert_output --regexp '^startContainer mnt=mnt:\[[0-9]+\] host=hooked$'
}

@test "hooks [namespaces: runtime hooks on the host, createContainer in the container's]" {
	all_hooks
	set_args true
	hull run test_hooks
	assert_success
	for k in prestart createRuntime poststart poststop; do
		grep "^$k " "$HOOKLOG" | grep -qF "mnt=$HOSTMNT "
	done
	run grep "^createContainer" "$HOOKLOG"
	assert_success
	refute_output --partial "mnt=$HOSTMNT "
	# createContainer and startContainer share the container's mount namespace
	cc=$(grep -o '^createContainer .* mnt=mnt:\[[0-9]*\]' "$HOOKLOG" | grep -o 'mnt:\[[0-9]*\]')
	[ -n "$cc" ]
	grep -qF "mnt=$cc" "$ROOTFS/hooks-in.log"
}

@test "hooks [pid in the state is the container's host pid]" {
	update_config ".hooks = { createRuntime: [$(hook createRuntime)], poststart: [$(hook poststart)] }"
	hull run -d test_hooks
	assert_success
	pid=$(hull_state_field test_hooks pid)
	grep -q "^createRuntime .* pid=$pid " "$HOOKLOG"
	grep -q "^poststart .* pid=$pid " "$HOOKLOG"
	hull delete --force test_hooks
	assert_success
}

@test "hooks [createRuntime failure aborts create and leaves nothing]" {
	update_config ".hooks = { createRuntime: [$(hook createRuntime 3)] }"
	hull create test_hooks
	assert_failure
	assert_output --partial "createRuntime hook"
	assert_output --partial "exit status 3"
	hull state test_hooks
	assert_failure
	assert_output --partial "container does not exist"
}

@test "hooks [createContainer failure aborts create]" {
	update_config ".hooks = { createContainer: [$(hook createContainer 4)] }"
	hull create test_hooks
	assert_failure
	assert_output --partial "createContainer hook"
	hull list -q
	assert_output ""
}

@test "hooks [prestart failure aborts create]" {
	update_config ".hooks = { prestart: [$(hook prestart 5)] }"
	hull run test_hooks
	assert_failure
	assert_output --partial "prestart hook"
	hull list -q
	assert_output ""
}

@test "hooks [poststart failure stops and deletes the container]" {
	update_config ".hooks = { poststart: [$(hook poststart 6)] }"
	hull create test_hooks
	assert_success
	pid=$(hull_state_field test_hooks pid)
	hull start test_hooks
	assert_failure
	assert_output --partial "poststart hook"
	hull state test_hooks
	assert_failure
	assert_output --partial "container does not exist"
	# gone, or a zombie waiting for whoever inherited it
	[ ! -e "/proc/$pid" ] || grep -q '^State:.*Z' "/proc/$pid/status"
}

@test "hooks [poststop failure is only logged]" {
	update_config ".hooks = { poststop: [$(hook poststop 7)] }"
	set_args true
	hull run test_hooks
	assert_success
	assert_output --partial "poststop hook"
	hull list -q
	assert_output ""
}

@test "hooks [timeout kills a hung hook]" {
	printf '#!/bin/sh\nsleep 60\n' >"$BATS_TEST_TMPDIR/slow.sh"
	chmod +x "$BATS_TEST_TMPDIR/slow.sh"
	update_config ".hooks = { createRuntime: [{path: \"$BATS_TEST_TMPDIR/slow.sh\", timeout: 1}] }"
	start=$SECONDS
	hull create test_hooks
	assert_failure
	assert_output --partial "timed out after 1 s"
	[ $((SECONDS - start)) -lt 30 ]
}

@test "hooks [a hook that closes stdin early does not kill hull]" {
	# a large state (annotations) so the write would block and hit EPIPE
	update_config '.annotations = ([range(0; 2000)] | map({key: "k\(.)", value: "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"}) | from_entries)'
	printf '#!/bin/sh\nexec 0<&-\nexit 0\n' >"$BATS_TEST_TMPDIR/close.sh"
	chmod +x "$BATS_TEST_TMPDIR/close.sh"
	update_config ".hooks = { createRuntime: [{path: \"$BATS_TEST_TMPDIR/close.sh\"}] }"
	set_args true
	hull run test_hooks
	assert_success
}
