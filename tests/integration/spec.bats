#!/usr/bin/env bats
# hull spec [--bundle DIR] [--rootless]

load helpers

setup() {
	setup_bundle
	SPECDIR="$BATS_TEST_TMPDIR/specdir"
	mkdir -p "$SPECDIR"
}
teardown() { teardown_bundle; }

@test "spec [writes config.json in the current directory]" {
	cd "$SPECDIR"
	hull spec
	assert_success
	[ -f "$SPECDIR/config.json" ]
	run jq -e . "$SPECDIR/config.json"
	assert_success
}

@test "spec [default content is runc's]" {
	cd "$SPECDIR"
	hull spec
	assert_success
	local cfg="$SPECDIR/config.json"
	[ "$(jq -r .ociVersion "$cfg")" = "1.3.0" ]
	[ "$(jq -r .root.path "$cfg")" = "rootfs" ]
	[ "$(jq -r .root.readonly "$cfg")" = "true" ]
	[ "$(jq -r .process.terminal "$cfg")" = "true" ]
	[ "$(jq -c .process.args "$cfg")" = '["sh"]' ]
	[ "$(jq -r .process.cwd "$cfg")" = "/" ]
	[ "$(jq -r .process.noNewPrivileges "$cfg")" = "true" ]
	[ "$(jq -c '[.linux.namespaces[].type] | sort' "$cfg")" = '["cgroup","ipc","mount","network","pid","uts"]' ] ||
		[ "$(jq -c '[.linux.namespaces[].type] | sort' "$cfg")" = '["ipc","mount","network","pid","uts"]' ]
	[ "$(jq -r '.mounts[] | select(.destination == "/proc") | .type' "$cfg")" = "proc" ]
	[ "$(jq -r '.mounts[] | select(.destination == "/dev/pts") | .type' "$cfg")" = "devpts" ]
	jq -e '.linux.maskedPaths | index("/proc/kcore")' "$cfg" >/dev/null
	jq -e '.linux.readonlyPaths | index("/proc/sys")' "$cfg" >/dev/null
	jq -e '.process.rlimits[] | select(.type == "RLIMIT_NOFILE" and .hard == 1024 and .soft == 1024)' "$cfg" >/dev/null
	[ "$(jq -c '.process.capabilities.bounding | sort' "$cfg")" = '["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]' ]
}

@test "spec [refuses to overwrite an existing config.json]" {
	cd "$SPECDIR"
	echo '{"keep":"me"}' >config.json
	hull spec
	assert_failure
	assert_output --partial "config.json"
	assert_output --partial "exists"
	[ "$(jq -r .keep config.json)" = me ]
}

@test "spec [--bundle DIR]" {
	hull spec --bundle "$SPECDIR"
	assert_success
	[ -f "$SPECDIR/config.json" ]
}

@test "spec [-b DIR]" {
	hull spec -b "$SPECDIR"
	assert_success
	[ -f "$SPECDIR/config.json" ]
}

@test "spec [--bundle to a missing directory fails]" {
	hull spec --bundle "$SPECDIR/nonexistent"
	assert_failure
	[ ! -e "$SPECDIR/nonexistent/config.json" ]
}

@test "spec [--rootless]" {
	hull spec --rootless --bundle "$SPECDIR"
	assert_success
	local cfg="$SPECDIR/config.json"
	jq -e '.linux.namespaces | map(.type) | index("user")' "$cfg" >/dev/null
	jq -e '.linux.namespaces | map(.type) | index("network") | not' "$cfg" >/dev/null
	[ "$(jq -r '.linux.uidMappings[0].hostID' "$cfg")" = "$(id -u)" ]
	[ "$(jq -r '.linux.uidMappings[0].containerID' "$cfg")" = 0 ]
	[ "$(jq -r '.linux.uidMappings[0].size' "$cfg")" = 1 ]
	[ "$(jq -r '.linux.gidMappings[0].hostID' "$cfg")" = "$(id -g)" ]
	# no cgroup resources and sysfs bind-mounted (rbind) instead of mounted
	jq -e '.linux.resources == null' "$cfg" >/dev/null
	[ "$(jq -r '.mounts[] | select(.destination == "/sys") | .type' "$cfg")" = "none" ]
}

@test "spec [the default config runs]" {
	# The unmodified `hull spec` config (apart from a non-interactive process) starts a container.
	cd "$SPECDIR"
	hull spec
	assert_success
	cp -a "$ROOTFS" "$SPECDIR/rootfs"
	update_config '.process.terminal = false | .process.args = ["sh", "-c", "echo hello from $(hostname)"]' "$SPECDIR"
	hull run --bundle "$SPECDIR" spec-default-run
	assert_success
	assert_output "hello from $(jq -r .hostname "$SPECDIR/config.json")"
}
