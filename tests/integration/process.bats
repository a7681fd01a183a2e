#!/usr/bin/env bats
# process: args, env, cwd, user, umask, rlimits, oomScoreAdj, noNewPrivileges.

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

@test "process [args are passed exactly]" {
	set_args sh -c 'for a in "$@"; do echo "[$a]"; done' zero 'a b' '' 'c"d' '$HOME'
	hull run test_proc
	assert_success
	assert_output $'[a b]\n[]\n[c"d]\n[$HOME]'
}

@test "process [env is exactly the configured one, plus HOME]" {
	update_config '.process.env = ["A=1", "B=two words", "PATH=/bin:/usr/bin"]'
	set_args env
	hull run test_proc
	assert_success
	# runc adds HOME from /etc/passwd when the config does not set it
	run sort <<<"$output"
	assert_output $'A=1\nB=two words\nHOME=/root\nPATH=/bin:/usr/bin'
}

@test "process [HOME from the config is kept]" {
	update_config '.process.env = ["PATH=/bin", "HOME=/elsewhere"]'
	set_args sh -c 'echo $HOME'
	hull run test_proc
	assert_success
	assert_output /elsewhere
}

@test "process [cwd]" {
	update_config '.process.cwd = "/home/user"'
	set_args pwd
	hull run test_proc
	assert_success
	assert_output /home/user
}

@test "process [uid, gid and additionalGids]" {
	update_config '.process.user = {"uid": 1000, "gid": 1000, "additionalGids": [100, 200]}'
	set_args sh -c 'id; grep -E "^(Uid|Gid|Groups):" /proc/self/status'
	hull run test_proc
	assert_success
	assert_line --index 0 --regexp '^uid=1000\(user\) gid=1000\(user\) groups='
	assert_line --regexp '^Uid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000$'
	assert_line --regexp '^Gid:[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000[[:space:]]+1000$'
	assert_line --regexp '^Groups:[[:space:]]+100 200 ?$'
}

@test "process [no additionalGids means no supplementary groups]" {
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_args grep -E '^Groups:' /proc/self/status
	hull run test_proc
	assert_success
	assert_output --regexp '^Groups:[[:space:]]*$'
}

@test "process [umask]" {
	requires payload
	update_config '.process.user.umask = 63'
	set_args /bin/hull-payload umask
	hull run test_proc
	assert_success
	assert_output 0077
}

@test "process [default umask is 0022]" {
	requires payload
	set_args /bin/hull-payload umask
	hull run test_proc
	assert_success
	assert_output 0022
}

@test "process [rlimits]" {
	update_config '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 2048},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 0},
		{"type": "RLIMIT_NPROC", "soft": 333, "hard": 444}]'
	set_args cat /proc/self/limits
	hull run test_proc
	assert_success
	assert_line --regexp '^Max open files +512 +2048 +files'
	assert_line --regexp '^Max core file size +0 +0 +bytes'
	assert_line --regexp '^Max processes +333 +444 +processes'
}

@test "process [rlimits via the payload]" {
	requires payload
	update_config '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200}]'
	set_args /bin/hull-payload rlimits
	hull run test_proc
	assert_success
	assert_line "RLIMIT_NOFILE 100 200"
}

@test "process [unknown rlimit type]" {
	update_config '.process.rlimits = [{"type": "RLIMIT_NOSUCH", "soft": 1, "hard": 1}]'
	hull run test_proc
	assert_failure
	assert_output --partial "RLIMIT_NOSUCH"
	assert_single_error_line
	assert_nothing_left
}

@test "process [oomScoreAdj]" {
	update_config '.process.oomScoreAdj = 500'
	set_args cat /proc/self/oom_score_adj
	hull run test_proc
	assert_success
	assert_output 500
}

@test "process [noNewPrivileges true]" {
	update_config '.process.noNewPrivileges = true'
	set_args grep NoNewPrivs /proc/self/status
	hull run test_proc
	assert_success
	assert_output --regexp '^NoNewPrivs:[[:space:]]+1$'
}

@test "process [noNewPrivileges false]" {
	update_config '.process.noNewPrivileges = false'
	set_args grep NoNewPrivs /proc/self/status
	hull run test_proc
	assert_success
	assert_output --regexp '^NoNewPrivs:[[:space:]]+0$'
}

@test "process [hostname]" {
	update_config '.hostname = "proc-host"'
	set_args hostname
	hull run test_proc
	assert_success
	assert_output proc-host
}

@test "process [the user process is exec'd directly: no runtime process left]" {
	hull run -d test_proc
	assert_success
	local pid ppid
	pid=$(hull_state_field test_proc pid)
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 3600 " ]
	[ "$(readlink "/proc/$pid/exe")" != "$HULL" ]
	ppid=$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status")
	[ "$(readlink "/proc/$ppid/exe")" != "$HULL" ]
	# from inside: pid 1 is the user process itself
	[ "$(awk '/^NSpid:/ { print $NF }' "/proc/$pid/status")" = 1 ]
	hull delete --force test_proc
	assert_success
}

@test "process [relative args resolved through PATH]" {
	update_config '.process.env = ["PATH=/usr/bin:/bin"]'
	set_args busybox true
	hull run test_proc
	assert_success
}
