#!/usr/bin/env bats
# hull --version / -v: runc's layout, which go-runc's parseVersion reads.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

@test "version [--version]" {
	hull --version
	assert_success
	assert_line --index 0 --regexp '^hull version [0-9]+\.[0-9]+\.[0-9]+'
	assert_line --regexp '^spec: 1\.3\.0$'
	assert_line --regexp '^libseccomp: [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "version [-v]" {
	hull -v
	assert_success
	assert_line --index 0 --regexp '^hull version '
	assert_line --regexp '^spec: '
}

@test "version [libseccomp matches the installed library]" {
	local want
	want=$(pkg-config --modversion libseccomp 2>/dev/null) || skip "pkg-config cannot tell the libseccomp version"
	hull --version
	assert_success
	assert_line "libseccomp: $want"
}
