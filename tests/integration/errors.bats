#!/usr/bin/env bats
# Bad input and wrong-state operations: one clear error line, a non-zero exit, nothing left behind.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

# the failed create left nothing: no state dir, no mount, no process of the bundle
assert_create_failed_cleanly() {
	assert_failure
	assert_single_error_line
	assert_nothing_left
}

@test "errors [malformed JSON]" {
	echo '{"ociVersion": "1.0.0", "process": ' >"$BUNDLE/config.json"
	hull create --bundle "$BUNDLE" test_err
	assert_create_failed_cleanly
	assert_output --partial "config.json"
	hull run --bundle "$BUNDLE" test_err
	assert_create_failed_cleanly
}

@test "errors [config.json missing]" {
	rm "$BUNDLE/config.json"
	hull create --bundle "$BUNDLE" test_err
	assert_create_failed_cleanly
	assert_output --partial "config.json"
}

@test "errors [wrong type names the JSON path]" {
	update_config '.process.args = "sh"'
	hull create --bundle "$BUNDLE" test_err
	assert_create_failed_cleanly
	assert_output --partial "process.args"
}

@test "errors [wrong type in a nested field]" {
	update_config '.process.user.uid = "root"'
	hull create --bundle "$BUNDLE" test_err
	assert_create_failed_cleanly
	assert_output --partial "process.user.uid"
}

@test "errors [empty process.args]" {
	update_config '.process.args = []'
	hull create --bundle "$BUNDLE" test_err
	assert_create_failed_cleanly
	assert_output --partial "args"
}

@test "errors [missing rootfs]" {
	update_config '.root.path = "nonexistent"'
	hull create --bundle "$BUNDLE" test_err
	assert_create_failed_cleanly
	assert_output --partial "nonexistent"
}

@test "errors [executable not found]" {
	set_args /no/such/binary
	hull run --bundle "$BUNDLE" test_err
	assert_failure
	# podman maps this wording to exit 127
	grep -qiE "no such file or directory|executable file not found" <<<"$output" ||
		fail "message lacks podman's 'no such file or directory' wording: $output"
	assert_single_error_line
	assert_nothing_left
}

@test "errors [hostname without a UTS namespace]" {
	update_config '.linux.namespaces |= map(select(.type != "uts")) | .hostname = "x"'
	hull create --bundle "$BUNDLE" test_err
	assert_create_failed_cleanly
	assert_output --partial "UTS"
}

@test "errors [uid mappings without a user namespace]" {
	update_config '.linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 1000}]'
	hull create --bundle "$BUNDLE" test_err
	assert_create_failed_cleanly
}

@test "errors [invalid id with a slash]" {
	hull create --bundle "$BUNDLE" a/b
	assert_create_failed_cleanly
	assert_output --regexp "[Ii]nvalid"
	[ ! -e "$HULL_ROOT/a" ]
}

@test "errors [invalid id ..]" {
	hull create --bundle "$BUNDLE" ..
	assert_create_failed_cleanly
	[ -z "$(ls -A "$BATS_TEST_TMPDIR" | grep -vE '^(bundle|state|hull-out\..*|config\..*|\.ids|\.start)$')" ]
}

@test "errors [empty id]" {
	hull create --bundle "$BUNDLE" ""
	assert_create_failed_cleanly
}

@test "errors [missing id]" {
	hull create --bundle "$BUNDLE"
	assert_failure
	assert_nothing_left
}

@test "errors [unknown flag]" {
	hull create --no-such-flag --bundle "$BUNDLE" test_err
	assert_failure
	assert_output --partial "no-such-flag"
	assert_nothing_left
}

@test "errors [unknown id]" {
	local cmd
	for cmd in start state delete; do
		hull "$cmd" nosuch
		assert_failure
		assert_output --partial "container does not exist"
		assert_single_error_line
	done
	hull kill nosuch
	assert_failure
	assert_output --partial "container does not exist"
}

@test "errors [create with an existing id]" {
	hull create --bundle "$BUNDLE" test_err
	assert_success
	local pid
	pid=$(hull_state_field test_err pid)
	hull create --bundle "$BUNDLE" test_err
	assert_failure
	assert_output --partial "container with id exists: test_err"
	assert_single_error_line
	# the first container is untouched
	[ "$(hull_state_field test_err status)" = created ]
	[ "$(hull_state_field test_err pid)" = "$pid" ]
	hull run -d --bundle "$BUNDLE" test_err
	assert_failure
	assert_output --partial "container with id exists: test_err"
	hull delete --force test_err
	assert_success
}

@test "errors [start an already running container]" {
	hull run -d --bundle "$BUNDLE" test_err
	assert_success
	hull start test_err
	assert_failure
	assert_output --partial "cannot start an already running container"
	assert_single_error_line
	[ "$(hull_state_field test_err status)" = running ]
	hull delete --force test_err
	assert_success
}

@test "errors [start a stopped container]" {
	set_args true
	hull run -d --bundle "$BUNDLE" test_err
	assert_success
	wait_for_container test_err stopped
	hull start test_err
	assert_failure
	assert_output --partial "cannot start a container that has stopped"
	assert_single_error_line
	hull delete test_err
	assert_success
}

@test "errors [kill a stopped container]" {
	set_args true
	hull run -d --bundle "$BUNDLE" test_err
	assert_success
	wait_for_container test_err stopped
	hull kill test_err
	assert_failure
	assert_output --partial "container not running"
	assert_single_error_line
	hull delete test_err
	assert_success
}

@test "errors [delete a running container]" {
	hull run -d --bundle "$BUNDLE" test_err
	assert_success
	hull delete test_err
	assert_failure
	assert_output --partial "cannot delete container test_err that is not stopped: running"
	assert_single_error_line
	hull delete --force test_err
	assert_success
}

@test "errors [exit status 1 for runtime errors]" {
	hull state nosuch
	[ "$status" -eq 1 ]
	hull delete nosuch
	[ "$status" -eq 1 ]
}
