#!/usr/bin/env bats
# --log FILE --log-format json: containerd and podman read the last error line.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

# every line of $1 is a JSON object with level, msg and an RFC 3339 time
assert_json_log() {
	local line n=0
	while IFS= read -r line; do
		n=$((n + 1))
		jq -e 'type == "object" and (.level | type == "string") and (.msg | type == "string") and (.time | type == "string")' \
			<<<"$line" >/dev/null || fail "log line $n is not a runc-style JSON object: $line"
		jq -r .time <<<"$line" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$' ||
			fail "log line $n: time is not RFC 3339: $line"
		jq -r .level <<<"$line" | grep -qE '^(debug|info|warning|error|fatal|panic)$' ||
			fail "log line $n: level is not lower case: $line"
	done <"$1"
	[ "$n" -gt 0 ] || fail "log $1 is empty"
}

@test "log [--log-format json: the last error line holds the message]" {
	hull --log "$BATS_TEST_TMPDIR/log.json" --log-format json state nosuch
	assert_failure
	# also printed on stderr (conmon and CRI-O read it)
	assert_output --partial "container does not exist"
	assert_json_log "$BATS_TEST_TMPDIR/log.json"
	run jq -rs 'map(select(.level == "error")) | last | .msg' "$BATS_TEST_TMPDIR/log.json"
	assert_output --partial "container does not exist"
}

@test "log [json error from the container side]" {
	update_config '.root.path = "nonexistent"'
	hull --log "$BATS_TEST_TMPDIR/log.json" --log-format json create --bundle "$BUNDLE" test_log
	assert_failure
	assert_json_log "$BATS_TEST_TMPDIR/log.json"
	run jq -rs 'map(select(.level == "error")) | last | .msg' "$BATS_TEST_TMPDIR/log.json"
	assert_output --partial "nonexistent"
	assert_nothing_left
}

@test "log [json log of a successful lifecycle is valid]" {
	hull --log "$BATS_TEST_TMPDIR/log.json" --log-format json --debug run -d --bundle "$BUNDLE" test_log
	assert_success
	hull --log "$BATS_TEST_TMPDIR/log.json" --log-format json delete --force test_log
	assert_success
	[ ! -s "$BATS_TEST_TMPDIR/log.json" ] || assert_json_log "$BATS_TEST_TMPDIR/log.json"
}

@test "log [the log file is appended to]" {
	echo '{"level":"info","msg":"earlier","time":"2020-01-01T00:00:00Z"}' >"$BATS_TEST_TMPDIR/log.json"
	hull --log "$BATS_TEST_TMPDIR/log.json" --log-format json state nosuch
	assert_failure
	[ "$(head -1 "$BATS_TEST_TMPDIR/log.json" | jq -r .msg)" = earlier ]
	assert_json_log "$BATS_TEST_TMPDIR/log.json"
}

@test "log [--log-format text]" {
	hull --log "$BATS_TEST_TMPDIR/log.txt" --log-format text state nosuch
	assert_failure
	grep -q "container does not exist" "$BATS_TEST_TMPDIR/log.txt"
}

@test "log [bad --log-format]" {
	hull --log-format xml list
	assert_failure
}
