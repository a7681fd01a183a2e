#!/usr/bin/env bats
# Concurrent operations on one container are safe: the state directory is locked (flock), every
# command sees a consistent state, and racing deletes leave nothing behind.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

@test "concurrency [parallel state, list, kill and delete --force on one container]" {
	hull run -d test_conc
	assert_success
	local pids=() i out="$BATS_TEST_TMPDIR/par"
	mkdir -p "$out"
	for i in $(seq 1 10); do
		"$HULL" --root "$HULL_ROOT" state test_conc >"$out/state.$i" 2>&1 </dev/null 3>&- &
		pids+=($!)
		"$HULL" --root "$HULL_ROOT" list -q >"$out/list.$i" 2>&1 </dev/null 3>&- &
		pids+=($!)
	done
	for i in $(seq 1 5); do
		"$HULL" --root "$HULL_ROOT" kill test_conc KILL >"$out/kill.$i" 2>&1 </dev/null 3>&- &
		pids+=($!)
		"$HULL" --root "$HULL_ROOT" delete --force test_conc >"$out/delete.$i" 2>&1 </dev/null 3>&- &
		pids+=($!)
	done
	local p
	for p in "${pids[@]}"; do wait "$p" || true; done
	# every state answer is a whole JSON document or "does not exist" — never a torn file
	for f in "$out"/state.*; do
		if ! jq -e .id "$f" >/dev/null 2>&1; then
			grep -q "container does not exist" "$f" || { cat "$f" >&2; false; }
		fi
	done
	# deletes succeed (--force on a gone container is fine); kills either worked or found it gone
	for f in "$out"/delete.*; do
		[ ! -s "$f" ] || { cat "$f" >&2; false; }
	done
	for f in "$out"/kill.*; do
		[ ! -s "$f" ] || grep -qE "container not running|container does not exist" "$f" || { cat "$f" >&2; false; }
	done
	hull list -q
	assert_output ""
	assert_nothing_left
}

@test "concurrency [two creates with the same id: exactly one wins]" {
	local a="$BATS_TEST_TMPDIR/a" b="$BATS_TEST_TMPDIR/b"
	"$HULL" --root "$HULL_ROOT" create test_conc >"$a" 2>&1 </dev/null 3>&- &
	local p1=$!
	"$HULL" --root "$HULL_ROOT" create test_conc >"$b" 2>&1 </dev/null 3>&- &
	local p2=$!
	local r1=0 r2=0
	wait $p1 || r1=$?
	wait $p2 || r2=$?
	# one succeeded, the other failed with runc's wording
	[ $((r1 == 0)) -ne $((r2 == 0)) ]
	cat "$a" "$b" | grep -q "container with id exists: test_conc"
	hull state test_conc
	assert_success
	[ "$(jq -r .status <<<"$output")" = created ]
	hull delete --force test_conc
	assert_success
	assert_nothing_left
}
