#!/usr/bin/env bats
# hull help / --help / unknown commands.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

@test "help [--help lists the commands]" {
	hull --help
	assert_success
	local c
	for c in create start run state list kill delete spec; do
		assert_output --regexp "(^|[[:space:]])$c([[:space:]]|,|$)"
	done
}

@test "help [-h]" {
	hull -h
	assert_success
	assert_output --partial "create"
}

@test "help [help command]" {
	hull help
	assert_success
	assert_output --partial "delete"
}

@test "help [per-command --help]" {
	local c
	for c in create start run state list kill delete spec; do
		hull "$c" --help
		assert_success
		assert_output --partial "$c"
	done
}

@test "help [no command prints usage]" {
	hull
	# runc prints its help and exits 0 without a command; any usage text is fine, but it must
	# not crash or act.
	assert_output --partial "create"
}

@test "help [unknown command]" {
	hull no-such-command
	assert_failure
	assert_output --partial "no-such-command"
}

@test "help [unknown global flag]" {
	hull --no-such-flag list
	assert_failure
	assert_output --partial "no-such-flag"
}
