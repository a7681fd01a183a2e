#!/usr/bin/env bats
# hull state: JSON per the runtime-spec state schema plus runc's fields.

load helpers

setup() {
	setup_bundle
	update_config '.annotations = {"org.hull.test": "yes"}'
}
teardown() { teardown_bundle; }

@test "state [created: every field]" {
	hull create --bundle "$BUNDLE" test_state
	assert_success
	hull state test_state
	assert_success
	local json=$output
	jq -e . <<<"$json" >/dev/null
	[ "$(jq -r .ociVersion <<<"$json")" = 1.3.0 ] || [ "$(basename "$HULL")" != hull ]
	[ "$(jq -r .id <<<"$json")" = test_state ]
	[ "$(jq -r .status <<<"$json")" = created ]
	[ "$(jq -r '.pid | type' <<<"$json")" = number ]
	[ "$(jq -r .pid <<<"$json")" -gt 0 ]
	[ "$(jq -r .bundle <<<"$json")" = "$BUNDLE" ]
	[ "$(jq -r .rootfs <<<"$json")" = "$ROOTFS" ]
	jq -e 'has("owner")' <<<"$json" >/dev/null
	[ "$(jq -r '.annotations["org.hull.test"]' <<<"$json")" = yes ]
	# created: RFC 3339 in UTC, with fractional seconds
	jq -r .created <<<"$json" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'
	# ... and it is now-ish
	local created now
	created=$(date -d "$(jq -r .created <<<"$json")" +%s)
	now=$(date +%s)
	[ $((now - created)) -ge 0 ] && [ $((now - created)) -lt 60 ]
	# the pid is the container's init on the host
	[ -d "/proc/$(jq -r .pid <<<"$json")" ]
	hull delete --force test_state
	assert_success
}

@test "state [created → running → stopped]" {
	set_args sh -c 'read x </tmp/go; exit 0'
	mkfifo "$ROOTFS/tmp/go"
	hull create --bundle "$BUNDLE" test_state
	assert_success
	[ "$(hull_state_field test_state status)" = created ]
	hull start test_state
	assert_success
	[ "$(hull_state_field test_state status)" = running ]
	local pid
	pid=$(hull_state_field test_state pid)
	[ "$pid" -gt 0 ]
	echo go >"$ROOTFS/tmp/go"
	wait_for_container test_state stopped
	[ "$(hull_state_field test_state pid)" = 0 ]
	# state keeps working on a stopped container
	hull state test_state
	assert_success
	[ "$(jq -r .bundle <<<"$output")" = "$BUNDLE" ]
	hull delete test_state
	assert_success
	hull state test_state
	assert_failure
	assert_output --partial "container does not exist"
}

@test "state [container does not exist]" {
	hull state nosuch
	assert_failure
	assert_output --partial "container does not exist"
	assert_single_error_line
}

@test "state [missing id]" {
	hull state
	assert_failure
}
