#!/usr/bin/env bats
# hull list [--format table|json] [-q]

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

two_containers() {
	hull create --bundle "$BUNDLE" test_list_a
	assert_success
	hull run -d --bundle "$BUNDLE" test_list_b
	assert_success
	wait_for_container test_list_b running
}

remove_two() {
	hull delete --force test_list_a
	assert_success
	hull delete --force test_list_b
	assert_success
}

@test "list [no containers]" {
	hull list
	assert_success
	assert_line --index 0 --regexp '^ID +PID +STATUS +BUNDLE +CREATED +OWNER$'
	[ "${#lines[@]}" -eq 1 ]
	hull list --format json
	assert_success
	[ "$(jq -r '(. // []) | length' <<<"$output")" = 0 ]
	hull list -q
	assert_success
	assert_output ""
}

@test "list [state root does not exist yet]" {
	rmdir "$HULL_ROOT"
	hull list
	assert_success
	assert_line --index 0 --regexp '^ID +PID +STATUS +BUNDLE +CREATED +OWNER$'
	[ "${#lines[@]}" -eq 1 ]
}

@test "list [table]" {
	two_containers
	hull list
	assert_success
	assert_line --index 0 --regexp '^ID +PID +STATUS +BUNDLE +CREATED +OWNER$'
	[ "${#lines[@]}" -eq 3 ]
	local pa pb
	pa=$(hull_state_field test_list_a pid)
	pb=$(hull_state_field test_list_b pid)
	assert_line --index 1 --regexp "^test_list_a +$pa +created +$BUNDLE +[0-9]{4}-[0-9]{2}-[0-9]{2}T[^ ]+ +[^ ]+$"
	assert_line --index 2 --regexp "^test_list_b +$pb +running +$BUNDLE +[0-9]{4}-[0-9]{2}-[0-9]{2}T[^ ]+ +[^ ]+$"
	remove_two
}

@test "list [--format json]" {
	two_containers
	hull list --format json
	assert_success
	[ "$(jq -r length <<<"$output")" = 2 ]
	[ "$(jq -r '.[] | select(.id == "test_list_a") | .status' <<<"$output")" = created ]
	[ "$(jq -r '.[] | select(.id == "test_list_b") | .status' <<<"$output")" = running ]
	[ "$(jq -r '.[] | select(.id == "test_list_b") | .bundle' <<<"$output")" = "$BUNDLE" ]
	[ "$(jq -r '.[] | select(.id == "test_list_b") | .pid' <<<"$output")" = "$(hull_state_field test_list_b pid)" ]
	jq -e '.[0] | has("ociVersion") and has("rootfs") and has("created") and has("owner")' <<<"$output" >/dev/null
	hull list -f json
	assert_success
	[ "$(jq -r length <<<"$output")" = 2 ]
	remove_two
}

@test "list [-q]" {
	two_containers
	hull list -q
	assert_success
	assert_output $'test_list_a\ntest_list_b'
	hull list --quiet
	assert_success
	assert_output $'test_list_a\ntest_list_b'
	remove_two
}

@test "list [stopped container]" {
	set_args true
	hull run --keep --bundle "$BUNDLE" test_list_s
	assert_success
	hull list
	assert_success
	assert_line --index 1 --regexp "^test_list_s +0 +stopped +$BUNDLE "
	hull delete test_list_s
	assert_success
}

@test "list [bad --format]" {
	hull list --format yaml
	assert_failure
	assert_output --partial "format"
}
