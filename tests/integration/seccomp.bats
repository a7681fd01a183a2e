#!/usr/bin/env bats
# linux.seccomp: actions, errnoRet, default actions, argument operators, flags, architectures, the
# -ENOSYS stub, exec, seccomp notify (listenerPath) and podman's default profile.

# shellcheck disable=SC2016 # backquotes in expected messages
load helpers

# the static prober/agent (tests/helpers/seccomp-agent.c), copied into the rootfs as /bin/seccomp-agent
AGENT=${HULL_SECCOMP_AGENT:-$(dirname "$(dirname "$HULL")")/tests/helpers/seccomp-agent}

setup() {
	setup_bundle
	[ -x "$AGENT" ] || skip "test requires the seccomp-agent test binary"
	cp "$AGENT" "$ROOTFS/bin/seccomp-agent"
	AGENT_PID=
}

teardown() {
	if [ -n "$AGENT_PID" ]; then
		kill "$AGENT_PID" 2>/dev/null
		wait "$AGENT_PID" 2>/dev/null
	fi
	teardown_bundle
}

# seccomp JSON: linux.seccomp = JSON
set_seccomp() {
	update_config ".linux.seccomp = $1"
}

# syscall numbers used with `seccomp-agent syscall NR ...` (x86_64)
requires_x86_64() {
	[ "$(uname -m)" = x86_64 ] || skip "test uses x86_64 syscall numbers"
}
NR_PERSONALITY=135
NR_GETPPID=110
NR_GETEUID=107
NR_VMSPLICE=278

# start_agent ANSWER: the notify agent on $BATS_TEST_TMPDIR/agent.sock, writing to $AGENT_DIR
start_agent() {
	AGENT_DIR="$BATS_TEST_TMPDIR/agent"
	AGENT_SOCK="$BATS_TEST_TMPDIR/agent.sock"
	mkdir -p "$AGENT_DIR"
	"$AGENT" listen "$AGENT_SOCK" "$AGENT_DIR" "$1" </dev/null >"$AGENT_DIR/log" 2>&1 3>&- &
	AGENT_PID=$!
	wait_for_file "$AGENT_DIR/ready"
}

@test "seccomp [default ALLOW, one syscall ERRNO: EPERM inside, mode 2]" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
	set_args sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /blocked; echo "rc=$?"'
	hull run test_sc
	assert_success
	assert_line --regexp '^Seccomp:[[:space:]]+2$'
	assert_line "mkdir: can't create directory '/blocked': Operation not permitted"
	assert_line "rc=1"
	[ ! -e "$ROOTFS/blocked" ]
}

@test "seccomp [errnoRet is the errno returned]" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
			{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 42}]}'
	set_args sh -c 'mkdir /blocked; seccomp-agent syscall '$NR_GETPPID
	requires_x86_64
	hull run test_sc
	assert_success
	assert_line "mkdir: can't create directory '/blocked': Permission denied"
	assert_line "errno 42"
}

@test "seccomp [defaultErrnoRet]" {
	requires_x86_64
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "SCMP_ACT_ERRNO"}]}'
	update_config '.linux.seccomp.defaultAction = "SCMP_ACT_ERRNO" | .linux.seccomp.defaultErrnoRet = 5 |
		.linux.seccomp.syscalls = [{"names": ["execve", "brk", "arch_prctl", "set_tid_address", "set_robust_list",
			"rseq", "prlimit64", "mprotect", "readlinkat", "readlink", "getrandom", "uname", "mmap", "munmap",
			"newfstatat", "fstat", "ioctl", "write", "exit_group", "exit", "capget", "capset", "prctl",
			"getppid"], "action": "SCMP_ACT_ALLOW"}]'
	set_args /bin/seccomp-agent syscall $NR_GETEUID
	hull run test_sc
	assert_success
	assert_output "errno 5"
}

@test "seccomp [defaultErrnoRet with a non-errno default action is refused]" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1}'
	hull run test_sc
	assert_failure
	assert_single_error_line
	assert_output --partial "linux.seccomp.defaultErrnoRet"
	assert_nothing_left
}

@test "seccomp [default ERRNO with an allow list: runs; -ENOSYS stub above the profile's highest syscall]" {
	requires_x86_64
	# just what the static agent needs; rseq (334) is the highest listed
	set_seccomp '{"defaultAction": "SCMP_ACT_ERRNO",
		"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
		"syscalls": [{"names": ["execve", "brk", "arch_prctl", "set_tid_address", "set_robust_list", "rseq",
			"prlimit64", "mprotect", "readlinkat", "readlink", "getrandom", "uname", "mmap", "munmap",
			"newfstatat", "fstat", "ioctl", "write", "exit_group", "exit", "capget", "capset", "prctl"],
			"action": "SCMP_ACT_ALLOW"}]}'
	set_args /bin/seccomp-agent syscall 999
	hull run test_sc
	assert_success
	assert_output "errno 38" # ENOSYS: newer than the profile
	set_args /bin/seccomp-agent syscall $NR_GETEUID
	hull run test_sc
	assert_success
	assert_output "errno 1" # EPERM: known to the profile's era, not allowed
	# defaultErrnoRet ENOSYS: no stub needed, everything not allowed is ENOSYS
	update_config '.linux.seccomp.defaultErrnoRet = 38'
	hull run test_sc
	assert_success
	assert_output "errno 38"
}

@test "seccomp [KILL, KILL_THREAD, KILL_PROCESS, TRAP: the process dies of SIGSYS (159)]" {
	requires_x86_64
	local action
	for action in SCMP_ACT_KILL SCMP_ACT_KILL_THREAD SCMP_ACT_KILL_PROCESS SCMP_ACT_TRAP; do
		set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["getppid"], "action": "'$action'"}]}'
		set_args /bin/seccomp-agent syscall $NR_GETPPID
		hull run test_sc
		[ "$status" -eq 159 ] || fail "$action: exit status $status, expected 159"
	done
}

@test "seccomp [LOG and TRACE actions: LOG allows, TRACE without a tracer is ENOSYS]" {
	requires_x86_64
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["getppid"], "action": "SCMP_ACT_LOG"},
		{"names": ["geteuid"], "action": "SCMP_ACT_TRACE", "errnoRet": 7}]}'
	set_args sh -c "seccomp-agent syscall $NR_GETPPID; seccomp-agent syscall $NR_GETEUID"
	hull run test_sc
	assert_success
	assert_line --index 0 --regexp '^ok [0-9]+$'
	assert_line --index 1 "errno 38"
}

@test "seccomp [args: every operator]" {
	requires_x86_64
	# op value valueTwo: blocked probe, allowed probe (personality(2) takes any value)
	local t op value value2 blocked allowed
	for t in "SCMP_CMP_EQ 5 0 5 6" "SCMP_CMP_NE 5 0 4 5" "SCMP_CMP_LT 5 0 4 5" "SCMP_CMP_LE 5 0 5 6" \
		"SCMP_CMP_GT 5 0 6 5" "SCMP_CMP_GE 5 0 5 4" "SCMP_CMP_MASKED_EQ 255 8 0x40008 0x40009"; do
		read -r op value value2 blocked allowed <<<"$t"
		set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"],
			"action": "SCMP_ACT_ERRNO", "errnoRet": 77,
			"args": [{"index": 0, "value": '"$value"', "valueTwo": '"$value2"', "op": "'"$op"'"}]}]}'
		set_args sh -c "seccomp-agent syscall $NR_PERSONALITY $blocked; seccomp-agent syscall $NR_PERSONALITY $allowed"
		hull run test_sc
		assert_success
		[ "${lines[0]}" = "errno 77" ] || fail "$op: $blocked not blocked: $output"
		[[ "${lines[1]}" == ok* ]] || fail "$op: $allowed blocked: $output"
	done
}

@test "seccomp [args: two conditions on one argument, two on different arguments]" {
	requires_x86_64
	# same index twice: each condition is a rule of its own (runc); different indexes: AND
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"],
		"action": "SCMP_ACT_ERRNO", "errnoRet": 77,
		"args": [{"index": 0, "value": 5, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 7, "op": "SCMP_CMP_EQ"}]},
		{"names": ["getpriority"], "action": "SCMP_ACT_ERRNO", "errnoRet": 78,
		"args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 0, "op": "SCMP_CMP_EQ"}]}]}'
	set_args sh -c "for v in 5 6 7; do seccomp-agent syscall $NR_PERSONALITY \$v; done
		seccomp-agent syscall 140 0 0; seccomp-agent syscall 140 0 1"
	hull run test_sc
	assert_success
	assert_line --index 0 "errno 77"
	assert_line --index 1 --regexp '^ok '
	assert_line --index 2 "errno 77"
	assert_line --index 3 "errno 78"
	assert_line --index 4 --regexp '^ok '
}

@test "seccomp [flags: LOG, SPEC_ALLOW, TSYNC, empty list accepted; unknown flag refused]" {
	local flags
	for flags in '["SECCOMP_FILTER_FLAG_LOG"]' '["SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"]' '[]'; do
		set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "flags": '"$flags"',
			"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
		set_args sh -c 'mkdir /blocked'
		hull run test_sc
		assert_failure 1
		assert_output --partial "Operation not permitted"
	done
	update_config '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_BOGUS"]'
	hull run test_sc
	assert_failure
	assert_single_error_line
	assert_output --partial 'linux.seccomp.flags[1]: unknown flag `SECCOMP_FILTER_FLAG_BOGUS`'
	assert_nothing_left
}

@test "seccomp [architectures: x86 and x32 added; an unknown one is refused naming the field]" {
	requires_x86_64
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_X86_64"],
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
	set_args sh -c 'mkdir /blocked'
	hull run test_sc
	assert_failure 1
	assert_output --partial "Operation not permitted"
	update_config '.linux.seccomp.architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"]'
	hull run test_sc
	assert_failure
	assert_single_error_line
	assert_output --partial 'linux.seccomp.architectures[1]: unknown architecture `SCMP_ARCH_VAX`'
	assert_nothing_left
}

@test "seccomp [an unknown syscall name is ignored with a debug message]" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["hull_no_such_syscall", "mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
	set_args sh -c 'mkdir /blocked; echo "rc=$?"'
	hull --debug run test_sc
	assert_success
	assert_output --partial 'unknown seccomp syscall `hull_no_such_syscall` ignored'
	assert_line "rc=1"
}

@test "seccomp [noNewPrivileges false: the filter is still loaded]" {
	update_config '.process.noNewPrivileges = false'
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
	set_args sh -c 'grep "^Seccomp:" /proc/self/status; grep "^NoNewPrivs:" /proc/self/status; mkdir /blocked'
	hull run test_sc
	assert_failure 1
	assert_line --regexp '^Seccomp:[[:space:]]+2$'
	assert_line --regexp '^NoNewPrivs:[[:space:]]+0$'
	assert_output --partial "Operation not permitted"
}

@test "seccomp [the filter applies to exec]" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}'
	set_args sleep 3600
	hull run -d test_sc
	assert_success
	hull exec test_sc sh -c 'grep "^Seccomp:" /proc/self/status; mkdir /blocked'
	assert_failure 1
	assert_line --regexp '^Seccomp:[[:space:]]+2$'
	assert_line "mkdir: can't create directory '/blocked': Permission denied"
	hull delete --force test_sc
	assert_success
}

# the container process state the agent received: ID STATUS INIT_IS_PROCESS (true: the process is
# the container init; false: an exec process, the state's pid stays the init's, as in runc)
assert_agent_state() {
	local st="$AGENT_DIR/state.json"
	[ -s "$st" ] || fail "the agent received no state"
	run jq -r '[.ociVersion, (.fds | join(",")), (.pid | tostring), .metadata, .state.id, .state.status,
		(.state.pid == .pid | tostring)] | join(" ")' "$st"
	assert_success
	assert_output --regexp "^1\.[0-9]+\.[0-9]+ seccompFd [0-9]+ agent-metadata $1 $2 ${3:-true}$"
}

@test "seccomp [notify: the agent gets the fd and the state, and answers with an errno]" {
	start_agent errno:13
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$AGENT_SOCK"'",
		"listenerMetadata": "agent-metadata",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}'
	set_args sh -c 'mkdir /notified; echo "rc=$?"'
	hull run test_sc
	assert_success
	assert_line "mkdir: can't create directory '/notified': Permission denied"
	assert_line "rc=1"
	assert_agent_state test_sc creating
	[ -s "$AGENT_DIR/notified" ] || fail "no notification reached the agent"
}

@test "seccomp [notify: CONTINUE lets the syscall run; noNewPrivileges false; TSYNC and WAIT_KILLABLE_RECV]" {
	start_agent continue
	update_config '.process.noNewPrivileges = false'
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$AGENT_SOCK"'",
		"listenerMetadata": "agent-metadata",
		"flags": ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}'
	set_args sh -c 'mkdir /notified && echo made'
	hull run test_sc
	assert_success
	assert_output "made"
	[ -d "$ROOTFS/notified" ]
	assert_agent_state test_sc creating
}

@test "seccomp [notify on exec: the agent gets the running container's state]" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$BATS_TEST_TMPDIR/agent.sock"'",
		"listenerMetadata": "agent-metadata",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}'
	start_agent continue
	set_args sleep 3600
	hull run -d test_sc
	assert_success
	kill "$AGENT_PID" 2>/dev/null
	wait "$AGENT_PID" 2>/dev/null || true
	rm -f "$AGENT_DIR/state.json"
	start_agent errno:1
	hull exec test_sc sh -c 'mkdir /notified'
	assert_failure 1
	assert_output --partial "Operation not permitted"
	assert_agent_state test_sc running false
	run jq -r .state.pid "$AGENT_DIR/state.json"
	assert_output "$(hull_state_field test_sc pid)"
	hull delete --force test_sc
	assert_success
}

@test "seccomp [notify: a listenerPath nobody listens on fails create cleanly]" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "'"$BATS_TEST_TMPDIR"'/nobody.sock",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_NOTIFY"}]}'
	hull create test_sc
	assert_failure
	assert_single_error_line
	assert_output --partial "seccomp agent"
	assert_output --partial "nobody.sock"
	assert_output --partial "No such file or directory"
	assert_nothing_left
}

@test "seccomp [notify on sendmsg is refused: the runtime passes the listener with it]" {
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": "/run/x.sock",
		"syscalls": [{"names": ["sendmsg"], "action": "SCMP_ACT_NOTIFY"}]}'
	hull create test_sc
	assert_failure
	assert_single_error_line
	assert_output --partial "linux.seccomp.syscalls[0].names[0]"
	assert_nothing_left
}

# podman's /usr/share/containers/seccomp.json (containers' format) → the OCI form podman generates:
# the archMap entry of the native arch and its sub-arches, includes/excludes resolved for podman's
# default capability set and the native arch, minKernel ignored (this kernel is newer).
podman_to_oci() { # NATIVE_SCMP_ARCH GO_ARCH CAPS_JSON
	jq --arg native "$1" --arg goarch "$2" --argjson caps "$3" '
		def has_cap($c): $caps | any(. == $c);
		{
			defaultAction,
			defaultErrnoRet,
			architectures: ([.archMap[]? | select(.architecture == $native) | [.architecture] + (.subArchitectures // [])] | first // []),
			syscalls: [.syscalls[]
				| select(((.excludes.arches // []) | any(. == $goarch)) | not)
				| select(((.excludes.caps // []) | any(has_cap(.))) | not)
				| select((.includes.arches // []) as $a | ($a | length) == 0 or ($a | any(. == $goarch)))
				| select((.includes.caps // []) | all(has_cap(.)))
				| {names, action}
				  + (if (.args // []) | length > 0 then {args} else {} end)
				  + (if .errnoRet != null then {errnoRet} else {} end)]
		}' /usr/share/containers/seccomp.json
}

@test "seccomp [podman's default profile: a container runs under it, a blocked syscall is EPERM]" {
	requires_x86_64
	[ -f /usr/share/containers/seccomp.json ] || skip "test requires /usr/share/containers/seccomp.json (golang-github-containers-common)"
	local caps='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_FSETID","CAP_KILL","CAP_NET_BIND_SERVICE",
		"CAP_SETFCAP","CAP_SETGID","CAP_SETPCAP","CAP_SETUID","CAP_SYS_CHROOT"]'
	podman_to_oci SCMP_ARCH_X86_64 amd64 "$caps" >"$BATS_TEST_TMPDIR/podman-seccomp.json"
	run jq -r '[.defaultAction, (.defaultErrnoRet | tostring), (.architectures | join(","))] | join(" ")' \
		"$BATS_TEST_TMPDIR/podman-seccomp.json"
	assert_output "SCMP_ACT_ERRNO 38 SCMP_ARCH_X86_64,SCMP_ARCH_X86,SCMP_ARCH_X32"
	update_config ".linux.seccomp = $(cat "$BATS_TEST_TMPDIR/podman-seccomp.json")"
	set_args sh -c 'echo ok; grep "^Seccomp:" /proc/self/status
		seccomp-agent syscall '$NR_VMSPLICE' -1 0 0 0
		seccomp-agent syscall '$NR_PERSONALITY' 0xffffffff
		seccomp-agent syscall '$NR_PERSONALITY' 0x1234'
	hull run test_sc
	assert_success
	assert_line --index 0 ok
	assert_line --regexp '^Seccomp:[[:space:]]+2$'
	assert_line --index 2 "errno 1"   # vmsplice: in the profile's ERRNO(1) list
	assert_line --index 3 --regexp '^ok ' # personality(0xffffffff): allowed by an argument rule
	assert_line --index 4 "errno 38"      # other personalities: the default ERRNO(38)
}

@test "seccomp [compiled programs are cached in the state root, keyed by the whole profile]" {
	local cache="$HULL_ROOT/seccomp:cache"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
	set_args sh -c 'mkdir /blocked; echo "rc=$?"'
	# a create that fails leaves no cache entry (nor anything else)
	update_config '.mounts += [{"destination": "/x", "type": "bind", "source": "/nonexistent-src", "options": ["bind"]}]'
	hull run test_cc
	assert_failure
	[ ! -e "$cache" ] || fail "a failed create wrote $(ls -A "$cache")"
	update_config 'del(.mounts[-1])'
	# first run compiles and stores; the file is ours, mode 0600, in a 0700 directory
	hull --debug run test_cc
	assert_success
	assert_line "rc=1"
	assert_output --partial "Operation not permitted"
	refute_output --partial "from the cache"
	[ "$(ls -A "$cache" | wc -l)" -eq 1 ] || fail "cache: $(ls -A "$cache")"
	local f
	f="$cache/$(ls -A "$cache")"
	[ "$(stat -c '%a %u' "$cache")" = "700 0" ]
	[ "$(stat -c '%a %u' "$f")" = "600 0" ]
	# second run takes it from the cache, and the filter still acts
	hull --debug run test_cc
	assert_success
	assert_output --partial "compiled program from the cache"
	assert_line "rc=1"
	[ ! -e "$ROOTFS/blocked" ]
	# another profile (rmdir instead of mkdir) is another entry: the cached one is not used for it
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["rmdir"], "action": "SCMP_ACT_ERRNO"}]}'
	hull --debug run test_cc
	assert_success
	refute_output --partial "from the cache"
	assert_line "rc=0"
	rmdir "$ROOTFS/blocked"
	[ "$(ls -A "$cache" | wc -l)" -eq 2 ]
	# an entry whose stored key differs (a hash collision, or tampering with the key) is a miss
	printf 'X' | dd of="$f" bs=1 seek=40 conv=notrunc status=none
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW",
		"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}'
	hull --debug run test_cc
	assert_success
	refute_output --partial "from the cache"
	assert_line "rc=1"
	# an entry others may write is not trusted
	chmod 0666 "$f"
	hull --debug run test_cc
	assert_success
	assert_output --partial "ignored"
	assert_line "rc=1"
	# (the run rewrote it, 0600 again)
	[ "$(stat -c '%a' "$f")" = 600 ]
	hull --debug run test_cc
	assert_output --partial "from the cache"
}

@test "seccomp [memfd_create refused (ENOSYS, EPERM): the filter is still built and applied]" {
	local enosys=${HULL_ENOSYS:-$(dirname "$(dirname "$HULL")")/tests/helpers/enosys} e
	[ -x "$enosys" ] || skip "tests/helpers/enosys is not built"
	set_seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}'
	set_args sh -c 'grep ^Seccomp: /proc/self/status; mkdir /tmp/x 2>&1; true'
	for e in ENOSYS EPERM; do
		# compile every time: a cached program would not go through the export
		rm -rf "${HULL_ROOT:?}/seccomp:cache"
		run timeout 60 "$enosys" -e "$e" -s memfd_create -- "$HULL" --root "$HULL_ROOT" run sec_memfd </dev/null 3>&-
		echo "$e: $output" >&2
		assert_success
		assert_line --regexp '^Seccomp:[[:space:]]+2$'
		assert_line --partial 'Permission denied'
		[ ! -d "$ROOTFS/tmp/x" ] || fail "$e: mkdir was not filtered"
		assert_nothing_left
	done
}
