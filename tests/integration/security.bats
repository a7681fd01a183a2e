#!/usr/bin/env bats
# Adversarial tests from ../shared/design/security.md §5: each names its §5 number and the CVE it
# guards against.  Setup → action → the effect is asserted (host canaries untouched, the container
# sees only its rootfs, the error is reported), not just the exit status.
#
# Race tests use the test-only pause points of a `-Dtest_hooks=true` build (HULL_TEST_PAUSE, see
# pause_at below); they are skipped when the binary has none (tests/run.sh security builds one).
#
# §5 tests implemented elsewhere (by file and test name):
#   16  the rootless half: cgroups-rootless.bats, rootless.bats, tests/clients/rootless.bats
#   17  cgroups.bats and errors.bats cover more cgroupsPath/unified errors; here only the traversals
#   21  also signals.bats "signals [kill never signals a reused pid]"
#   23  delete.bats "delete [running container is refused]", "delete --force [running container]",
#       "delete [container does not exist]", "delete --force [container does not exist succeeds]";
#       here [23] adds paused, created and a dead init with live children (no pid namespace)
#   24  run.bats "run [foreground exit status]", "run [128+signal when killed]"; exec.bats "exec
#       [executable not found: 255 with runc's wording]"; errors.bats "errors [start an already
#       running container]", "errors [start a stopped container]"; all of it again in [24] here
#   25  log.bats "log [--log-format json: the last error line holds the message]", "log [json error
#       from the container side]"; create.bats "create [waits in created until start]"; signals.bats
#       "signals [orphans are reaped by hull as subreaper]"; the containerd contract end to end:
#       tests/clients/containerd.bats (tests/run.sh clients)
#   26  signals.bats "signals [TERM, INT, HUP, USR1 sent to a foreground run arrive in the
#       container]", "signals [a forwarded signal that kills the process: exit status 128+N]",
#       "signals [SIGWINCH and SIGURG are not forwarded without a terminal]", "signals [SIGCHLD and
#       SIGURG to a foreground run without a terminal do not reach the init]"; tty.bats "tty
#       [foreground: initial size from the caller's terminal, resize on SIGWINCH]", "tty [foreground:
#       raw mode while it runs, restored after]"; 1000 x run true: tests/suites/stress.sh
#   27  run.bats "run [--preserve-fds passes exactly those fds]", "run [only stdio without
#       --preserve-fds]", "run [LISTEN_FDS passes the fds and sets LISTEN_FDS, LISTEN_PID=1]";
#       exec.bats "exec [--preserve-fds N passes fds 3..3+N-1]"; the error cases in [27] here
#   28  errors.bats (every test), the unit tests over tests/unit/data/spec/{valid,invalid}
#       (tests/unit/test-spec.c) and the fuzzer (tests/fuzz, tests/suites/fuzz.sh)
#   29  ASan/UBSan: tests/suites/sanitize.sh runs this file (and the rest) with a sanitizer build
#   30  errors.bats "errors [invalid id with a slash]", "errors [invalid id ..]", "errors [empty id]"
#   31  tests 1-17 of this file under enosys (ENOSYS, then EPERM; the -Dtest_hooks build): part of
#       tests/suites/fallback.sh, which also reruns the whole suite so; here ([31: ...]) the exe
#       protection's fallbacks, and fail-closed when open_tree and memfd_create both fail
#   32  seccomp.bats: "seccomp [default ERRNO with an allow list: runs; -ENOSYS stub above the
#       profile's highest syscall]", "seccomp [the filter applies to exec]", "seccomp [an unknown
#       syscall name is ignored with a debug message]", "seccomp [notify: a listenerPath nobody
#       listens on fails create cleanly]"

load helpers

setup() {
	setup_bundle
	CANARY="$BATS_TEST_TMPDIR/canary"
	mkdir -p "$CANARY"
	echo canary-content >"$CANARY/file"
	chmod 0640 "$CANARY/file"
}
teardown() { teardown_bundle; }

# canary_snapshot: listing, owners, modes and contents of $CANARY (compare before and after)
canary_snapshot() {
	(cd "$CANARY" && find . -printf '%p %y %u:%g %m %s\n' | sort && cat ./file)
}

# The hull executable itself (for grep, ldd and copies): under tests/suites/fallback.sh $HULL is a
# wrapper script running it under tests/helpers/enosys with HULL_FALLBACK_ERRNO.
HULL_EXE=${HULL_REAL_BINARY:-$HULL}
ENOSYS_BIN=${HULL_ENOSYS:-$(dirname "$(dirname "$HULL")")/tests/helpers/enosys}
ENOSYS_DEFAULT=openat2,clone3,mount_setattr,open_tree,move_mount,fsopen,fsconfig,fsmount,fspick,close_range,pidfd_open,memfd_create

# hull_copy_cmd COPY: the command that runs the hull copy COPY: under fallback.sh, a wrapper running it
# under the same enosys (written next to it as COPY-fallback); else COPY itself
hull_copy_cmd() {
	if [ -z "${HULL_FALLBACK_ERRNO:-}" ]; then
		echo "$1"
		return
	fi
	printf '#!/bin/sh\nexec %q -e %q -s %q -- %q "$@"\n' "$ENOSYS_BIN" "$HULL_FALLBACK_ERRNO" \
		"${HULL_FALLBACK_SYSCALLS:-$ENOSYS_DEFAULT}" "$1" >"$1-fallback"
	chmod 0755 "$1-fallback"
	echo "$1-fallback"
}

# seal_denied [SYSCALLS]: whether open_tree and memfd_create both fail under fallback.sh (or in the
# enosys list SYSCALLS): then a writable hull binary cannot be protected and must be refused
seal_denied() {
	local l
	if [ -n "${1:-}" ]; then
		l=$1
	else
		[ -n "${HULL_FALLBACK_ERRNO:-}" ] || return 1
		l=${HULL_FALLBACK_SYSCALLS:-$ENOSYS_DEFAULT}
	fi
	[[ ",$l," == *,open_tree,* && ",$l," == *,memfd_create,* ]]
}

# assert_refused_unsealed: the last `hull` command failed closed on a binary it cannot protect
assert_refused_unsealed() {
	assert_failure
	assert_output --partial "CVE-2019-5736"
	[ -z "$(ls -A "$HULL_ROOT" 2>/dev/null)" ] || fail "state left: $(ls -A "$HULL_ROOT")"
}

# no_dev_tmpfs: /dev comes from the image (the configuration several 2025-2026 CVEs need)
no_dev_tmpfs() {
	update_config 'del(.mounts[] | select(.destination == "/dev"))'
}

# host_mounts: the host's mount table without the per-test noise (compare before and after)
# (other test runs on the machine mount under /tmp and /run: only this test's part of those counts)
host_mounts() {
	awk -v t="$BATS_TEST_TMPDIR" '$5 !~ "^/(tmp|run|var/lib/containers|var/lib/containerd)/" || index($5, t) == 1 { print $5, $9 }' /proc/self/mountinfo | sort
}

# pause_at POINT [HOSTDIR HULLDIR]: make the next hull commands stop at test pause point POINT.  The
# hook protocol (libcontainer/util.h hull_test_pause, -Dtest_hooks=true): with HULL_TEST_PAUSE=POINT
# and HULL_TEST_PAUSE_DIR=DIR, hull opens DIR/POINT.reached for writing each time it gets there (a fifo
# here: hull blocks until the test reads it, so every pass is synchronous), then blocks reading one
# byte from the fifo DIR/POINT.resume.  HULLDIR is the directory as hull sees it at that point (a
# path inside the container for `exec-setup`, which runs after joining the mount namespace).
pause_at() {
	grep -qa 'HULL_TEST_PAUSE' "$HULL_EXE" || skip "needs a -Dtest_hooks=true build with the HULL_TEST_PAUSE point '$1'"
	PAUSE_DIR=${2:-$BATS_TEST_TMPDIR/pause}
	mkdir -p "$PAUSE_DIR"
	mkfifo "$PAUSE_DIR/$1.reached" "$PAUSE_DIR/$1.resume"
	export HULL_TEST_PAUSE=$1 HULL_TEST_PAUSE_DIR=${3:-$PAUSE_DIR}
}
has_pause_points() { grep -qa 'HULL_TEST_PAUSE' "$HULL_EXE"; }
# wait_pause POINT [SECONDS]: until hull reaches POINT (fails after SECONDS, default 30)
wait_pause() { timeout "${2:-30}" cat "$PAUSE_DIR/$1.reached" >/dev/null; }
# resume_pause POINT: let hull go on (fails if no hull reads within 30 s: it died at the point, e.g.
# killed by the command timeout, and an open of the fifo would block forever)
resume_pause() {
	timeout 30 bash -c 'echo go >"$1"' _ "$PAUSE_DIR/$1.resume" || fail "pause point $1: hull gone before it was resumed"
}
# pause_until_fd POINT TARGET: resume every pass at POINT until a hull process of this test holds an
# fd to TARGET (the pass for that mount or path); hull is left paused there
pause_until_fd() {
	local i c fd
	for i in $(seq 60); do
		wait_pause "$1" || fail "pause point $1 not reached with an fd to $2"
		# (one grep over every command line: a shell loop over /proc is too slow on a loaded machine,
		# and hull's command timeout runs meanwhile)
		for c in $(grep -lsF -- "$BATS_TEST_TMPDIR/" /proc/[0-9]*/cmdline); do
			for fd in "${c%/cmdline}"/fd/*; do
				[ "$(readlink "$fd" 2>/dev/null)" = "$2" ] && return 0
			done
		done
		resume_pause "$1"
	done
	fail "pause point $1: no pass with an fd to $2"
}
# drain_pauses POINT PID: resume every further pass at POINT until PID exits (run in the background)
drain_pauses() {
	while kill -0 "$2" 2>/dev/null; do
		wait_pause "$1" 1 && resume_pause "$1"
	done
	return 0
}

# leftover_procs: processes of this test still alive: a hull command line naming the test's directory,
# or a root that is the test's rootfs directory (a container process; readlink of a pivoted root
# says "/", so compare device and inode)
leftover_procs() {
	local p root
	root=$(stat -c %d:%i "$ROOTFS")
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$$" ] && continue
		if [ "$(stat -L -c %d:%i "$p/root" 2>/dev/null)" = "$root" ] ||
			tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q "^[^ ]*hull.* $BATS_TEST_TMPDIR/"; then
			echo "${p#/proc/} $(tr '\0' ' ' 2>/dev/null <"$p/cmdline")"
		fi
	done
	return 0
}

# assert_clean ID: after delete --force: no state, no process, no mount, no cgroup of ID
assert_clean() {
	[ ! -e "$HULL_ROOT/$1" ] || fail "state of $1 left: $(ls -A "$HULL_ROOT/$1")"
	local left i
	# (the processes may take a moment to die: allow 10 s)
	for i in $(seq 100); do
		left=$(leftover_procs)
		[ -z "$left" ] && break
		sleep 0.1
	done
	[ -z "$left" ] || fail "processes left: $left"
	[ -z "$(__mounts_under "$BATS_TEST_TMPDIR")" ] || fail "mounts left: $(__mounts_under "$BATS_TEST_TMPDIR")"
	left=$(find /sys/fs/cgroup -mindepth 1 -maxdepth 8 -type d \( -name "$1" -o -name "*:$1" \) -newer "$BATS_TEST_TMPDIR/.start" 2>/dev/null)
	[ -z "$left" ] || fail "cgroups left: $left"
}

# add_hull_libs: hull's dynamic loader and libraries into the rootfs at the same paths (an attacker
# ships them in the image so that hull can run inside the container)
add_hull_libs() {
	local lib
	for lib in $(ldd "$HULL_EXE" | grep -o '/[^ ]*'); do
		mkdir -p "$ROOTFS$(dirname "$lib")"
		cp -L "$lib" "$ROOTFS$lib"
	done
}

# ---------------------------------------------------------------------------------------------
# 1. CVE-2019-5736: the container cannot open hull's executable for writing
# exe_overwrite_attack [ENOSYS|EPERM [SYSCALLS]]: the CVE-2019-5736 scenario against a COPY of hull (so a
# failure can never damage the build), optionally with hull under tests/helpers/enosys.
exe_overwrite_attack() {
	local rt="$BATS_TEST_TMPDIR/rt"
	mkdir -p "$rt"
	cp "$HULL_EXE" "$rt/hull"
	local sum
	sum=$(sha256sum "$rt/hull" | cut -d' ' -f1)
	add_hull_libs
	local HULL
	HULL=$(hull_copy_cmd "$rt/hull")
	if [ -n "${1:-}" ]; then
		printf '#!/bin/sh\nexec %q -e %s -s %q -- %q "$@"\n' "$ENOSYS_BIN" "$1" \
			"${2:-openat2,clone3,mount_setattr,open_tree,move_mount,fsopen,fsconfig,fsmount,fspick,close_range}" \
			"$HULL" >"$rt/hull-enosys"
		chmod 0755 "$rt/hull-enosys"
		HULL="$rt/hull-enosys"
	fi
	if seal_denied || seal_denied "${2:-}"; then
		# nothing can protect this writable copy: hull refuses to run (fail closed)
		set_args true
		hull run -d sec1
		assert_refused_unsealed
		[ "$(sha256sum "$rt/hull" | cut -d' ' -f1)" = "$sum" ] || fail "THE HULL BINARY WAS MODIFIED"
		return 0
	fi

	mkfifo "$ROOTFS/f"
	printf '#!/proc/self/exe --log=/f\n' >"$ROOTFS/evil"
	chmod 0755 "$ROOTFS/evil"
	# the attacker (container init): find the victim (hull re-executed through the #! line, blocked
	# opening the log fifo), hold its exe, release it, wait for it to exit, reopen for write
	cat >"$ROOTFS/attack" <<-'EOF'
		#!/bin/sh
		for i in $(seq 300); do
			for p in /proc/[0-9]*; do
				tr '\0' ' ' <$p/cmdline 2>/dev/null | grep -q -- '--log=/f' && pid=${p#/proc/} && break 2
			done
			sleep 0.1
		done
		[ -n "$pid" ] || { echo "no victim" >/result; exit 1; }
		exec 3</proc/$pid/exe || { echo "open exe failed" >/result; exit 1; }
		readlink /proc/$pid/exe >/exe-link
		cat /f >/dev/null
		while [ -d /proc/$pid ]; do sleep 0.05; done
		{ echo x >/proc/self/fd/3; } 2>/result.trunc; echo "trunc=$?" >/result
		{ echo x >>/proc/self/fd/3; } 2>/result.append; echo "append=$?" >>/result
		echo done >>/result
	EOF
	chmod 0755 "$ROOTFS/attack"
	set_args /attack
	hull run -d sec1
	assert_success
	hull exec sec1 /evil
	wait_for_file "$ROOTFS/result" 200
	sleep 0.2
	cat "$ROOTFS/result" "$ROOTFS"/result.* "$ROOTFS/exe-link" >&2 || true
	grep -qx done "$ROOTFS/result" || fail "the attacker did not finish: $(cat "$ROOTFS/result")"
	grep -qx trunc=1 "$ROOTFS/result"
	grep -qx append=1 "$ROOTFS/result"
	[ "$(sha256sum "$rt/hull" | cut -d' ' -f1)" = "$sum" ] || fail "THE HULL BINARY WAS MODIFIED"
	hull delete --force sec1
}

@test "security [1: CVE-2019-5736 /proc/self/exe of a hull exec cannot be written]" {
	exe_overwrite_attack
	seal_denied || grep -q "Read-only file system" "$ROOTFS/result.trunc"
}

@test "security [1: CVE-2019-5736 the container init re-executing hull cannot write it]" {
	local rt="$BATS_TEST_TMPDIR/rt"
	mkdir -p "$rt"
	cp "$HULL_EXE" "$rt/hull"
	local sum
	sum=$(sha256sum "$rt/hull" | cut -d' ' -f1)
	local HULL
	HULL=$(hull_copy_cmd "$rt/hull")
	add_hull_libs
	# process.args = /proc/self/exe: the init execs hull itself (the setup process's exe)
	set_args /proc/self/exe --log=/dev/null state x
	hull run sec1b
	if seal_denied; then
		assert_refused_unsealed
		[ "$(sha256sum "$rt/hull" | cut -d' ' -f1)" = "$sum" ]
		return 0
	fi
	# whatever hull-in-the-container did, the host binary is unchanged
	[ "$(sha256sum "$rt/hull" | cut -d' ' -f1)" = "$sum" ]
	# and its exe was never writable: try through a running exec
	set_args sh -c 'sleep 3600'
	hull run -d sec1c
	assert_success
	hull exec sec1c sh -c 'for p in /proc/[0-9]*; do { echo x >>$p/exe; } 2>/dev/null && echo "WROTE $p"; done; echo end'
	assert_success
	refute_output --partial WROTE
	[ "$(sha256sum "$rt/hull" | cut -d' ' -f1)" = "$sum" ]
	hull delete --force sec1c
	hull delete --force sec1b
}

# ---------------------------------------------------------------------------------------------
# 2. CVE-2024-21626: process.cwd through a leaked fd never reaches the host
@test "security [2: CVE-2024-21626 process.cwd=/proc/self/fd/N]" {
	echo rootfs-marker >"$ROOTFS/rootfs-marker"
	local n
	for n in 3 4 5 6 7 8 9 10 15 20; do
		update_config ".process.cwd = \"/proc/self/fd/$n\""
		set_args sh -c 'pwd -P; ls /proc/self/fd | tr "\n" " "; echo; ls -a . | tr "\n" " "'
		hull run "sec2-$n"
		if [ "$status" -eq 0 ]; then
			# it ran: the cwd is inside the rootfs, and only stdio is open
			[[ "${lines[0]}" == /* ]] || fail "fd $n: cwd outside the root: ${lines[0]}"
			[[ "${lines[0]}" != *unreachable* ]] || fail "fd $n: cwd outside the root: ${lines[0]}"
			[ "${lines[1]}" = "0 1 2 3 " ] || [ "${lines[1]}" = "0 1 2 " ] || fail "fd $n: fds ${lines[1]}"
		fi
		[ ! -d "$HULL_ROOT/sec2-$n" ] || hull delete --force "sec2-$n"
	done
}

@test "security [2: CVE-2024-21626 exec --cwd through a leaked fd or a symlink to one]" {
	ln -s /proc/self/fd/7 "$ROOTFS/leak"
	hull run -d sec2x
	assert_success
	local cwd
	for cwd in /proc/self/fd/3 /proc/self/fd/5 /proc/self/fd/7 /leak; do
		hull exec --cwd "$cwd" sec2x sh -c 'pwd -P; ls /proc/self/fd | tr "\n" " "'
		if [ "$status" -eq 0 ]; then
			[[ "${lines[0]}" == /* && "${lines[0]}" != *unreachable* ]] || fail "cwd $cwd: ${lines[0]}"
		else
			[ "$status" -eq 255 ] || fail "exec --cwd $cwd failed with $status (expected 255)"
		fi
	done
	hull delete --force sec2x
}

# ---------------------------------------------------------------------------------------------
# 3. fd hygiene: the caller's non-CLOEXEC fds never reach the container
@test "security [3: fds left open by the caller do not reach the container (run, exec)]" {
	requires payload
	# host / as a directory fd and a host file, non-CLOEXEC, at 5..9 and 100
	exec 5</ 6<"$CANARY/file" 7</ 8<"$CANARY" 9</etc/passwd 100</
	set_args /bin/hull-payload fds
	hull run sec3
	assert_success
	# only stdio
	[ "${#lines[@]}" -eq 3 ] || fail "fds in the container: $output"
	refute_output --partial "$CANARY"
	set_args sleep 3600
	hull run -d sec3b
	assert_success
	hull exec sec3b /bin/hull-payload fds
	assert_success
	[ "${#lines[@]}" -eq 3 ] || fail "fds in the exec'd process: $output"
	hull delete --force sec3b
	exec 5<&- 6<&- 7<&- 8<&- 9<&- 100<&-
}

@test "security [3: the created init holds only stdio and the exec fifo]" {
	exec 5</ 6<"$CANARY/file"
	hull create sec3c
	assert_success
	local pid
	pid=$(hull_state_field sec3c pid)
	local fd target bad=()
	for fd in /proc/"$pid"/fd/*; do
		target=$(readlink "$fd")
		case "${fd##*/}:$target" in
		0:* | 1:* | 2:*) ;;
		*:*exec.fifo*) ;;
		*) bad+=("${fd##*/}=$target") ;;
		esac
	done
	exec 5<&- 6<&-
	[ ${#bad[@]} -eq 0 ] || fail "unexpected fds in the created init: ${bad[*]}"
	hull delete --force sec3c
}

# ---------------------------------------------------------------------------------------------
# 4, 5. /proc and /sys may not be symlinks (CVE-2019-19921, CVE-2023-27561, CVE-2023-28642)
@test "security [4: rootfs /proc is a symlink]" {
	local target before
	before=$(host_mounts)
	for target in /bad-proc / /etc; do
		rm -rf "$ROOTFS/proc"
		mkdir -p "$ROOTFS/bad-proc"
		ln -sfn "$target" "$ROOTFS/proc"
		hull create sec4
		[ "$status" -ne 0 ] || fail "/proc -> $target was accepted"
		assert_output --partial "/proc"
		assert_nothing_left
		[ "$(host_mounts)" = "$before" ]
		# nothing was mounted onto the link's target inside the rootfs either
		[ -z "$(ls -A "$ROOTFS/bad-proc")" ]
	done
}

@test "security [5: rootfs /sys is a symlink]" {
	local target before
	before=$(host_mounts)
	for target in /bad-sys / /etc; do
		rm -rf "$ROOTFS/sys"
		mkdir -p "$ROOTFS/bad-sys"
		ln -sfn "$target" "$ROOTFS/sys"
		hull create sec5
		[ "$status" -ne 0 ] || fail "/sys -> $target was accepted"
		assert_output --partial "/sys"
		assert_nothing_left
		[ "$(host_mounts)" = "$before" ]
	done
}

# ---------------------------------------------------------------------------------------------
# 6. CVE-2025-31133: masking never uses a spoofed /dev/null
@test "security [6: CVE-2025-31133 spoofed /dev/null (file, symlink, wrong device) and maskedPaths]" {
	no_dev_tmpfs
	# a masked file that exists on this kernel (/proc/kcore needs CONFIG_PROC_KCORE)
	local m
	for m in /proc/kcore /proc/timer_list /proc/kallsyms /proc/keys; do [ -e "$m" ] && break; done
	update_config ".linux.maskedPaths = [\"$m\", \"/proc/sysrq-trigger\"]"
	local core before kind
	core=$(cat /proc/sys/kernel/core_pattern)
	before=$(canary_snapshot)
	for kind in file symlink-core symlink-host char-1-5; do
		rm -f "$ROOTFS/dev/null"
		case $kind in
		file) echo not-a-device >"$ROOTFS/dev/null" ;;
		symlink-core) ln -s /proc/sys/kernel/core_pattern "$ROOTFS/dev/null" ;;
		symlink-host) ln -s "$CANARY/file" "$ROOTFS/dev/null" ;;
		char-1-5) mknod "$ROOTFS/dev/null" c 1 5 ;;
		esac
		set_args sh -c "stat -c '%F %t:%T' $m; wc -c <$m; stat -c '%F %t:%T' /proc/sysrq-trigger"
		hull run "sec6-$kind"
		if [ "$status" -eq 0 ]; then
			# masked with a genuine 1:3
			assert_line --index 0 "character special file 1:3"
			assert_line --index 1 0
			assert_line --index 2 "character special file 1:3"
		fi
		[ "$(cat /proc/sys/kernel/core_pattern)" = "$core" ] || fail "$kind: host core_pattern changed"
		[ "$(canary_snapshot)" = "$before" ] || fail "$kind: host canary changed"
		[ ! -d "$HULL_ROOT/sec6-$kind" ] || hull delete --force "sec6-$kind"
	done
}

# ---------------------------------------------------------------------------------------------
# 7. CVE-2025-52565: /dev/console in a hostile rootfs
@test "security [7: CVE-2025-52565 /dev/console and /dev/pts/0 symlinks]" {
	requires recvtty
	no_dev_tmpfs
	update_config 'del(.mounts[] | select(.destination == "/dev/pts"))'
	echo marker >"$ROOTFS/etc/marker"
	mkdir -p "$ROOTFS/dev/pts"
	ln -s /etc/marker "$ROOTFS/dev/console"
	ln -s "$CANARY/file" "$ROOTFS/dev/pts/0"
	ln -s "$CANARY/file" "$ROOTFS/dev/pts/1"
	local before rbefore
	before=$(canary_snapshot)
	rbefore=$(stat -c '%u:%g %a %s' "$ROOTFS/etc/marker")
	update_config '.process.terminal = true'
	set_args sh -c 'stat -c "%F %t" /dev/console; cat /etc/marker'
	local sock="$BATS_TEST_TMPDIR/console.sock" out="$BATS_TEST_TMPDIR/console.out"
	"$HULL_RECVTTY" --mode null "$sock" >"$out" 2>&1 3>&- &
	local rpid=$!
	for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	hull run -d --console-socket "$sock" sec7
	if [ "$status" -eq 0 ]; then
		hull exec sec7 sh -c 'stat -c "%F %t" /dev/console; cat /etc/marker'
		assert_success
		# the console is a pty (major 136 = 0x88), not the marker
		assert_line --index 0 "character special file 88"
		assert_line --index 1 marker
		hull delete --force sec7
	fi
	kill "$rpid" 2>/dev/null || true
	wait "$rpid" 2>/dev/null || true
	[ "$(canary_snapshot)" = "$before" ]
	[ "$(stat -c '%u:%g %a %s' "$ROOTFS/etc/marker")" = "$rbefore" ]
	[ "$(cat "$ROOTFS/etc/marker")" = marker ]
}

# ---------------------------------------------------------------------------------------------
# 8. CVE-2026-41579 / CVE-2026-47766: /dev in the image is a symlink out of the rootfs
@test "security [8: CVE-2026-41579 rootfs /dev symlink (absolute, relative; run, create+start)]" {
	local outside="$BATS_TEST_TMPDIR/outside" variant link
	mkdir -p "$outside"
	update_config '.root.readonly = true'
	set_args true
	for variant in abs-run rel-run abs-create; do
		rm -rf "$outside" "$ROOTFS/dev"
		mkdir -p "$outside"
		echo marker >"$outside/ptmx"
		case $variant in
		abs-*) link=$outside ;;
		rel-*) link="../../../../../../../..$outside" ;;
		esac
		ln -s "$link" "$ROOTFS/dev"
		case $variant in
		*-run) hull run "sec8-$variant" ;;
		*-create)
			hull create "sec8-$variant"
			[ "$status" -ne 0 ] || hull start "sec8-$variant"
			;;
		esac
		[ ! -d "$HULL_ROOT/sec8-$variant" ] || hull delete --force "sec8-$variant"
		[ "$(ls -A "$outside")" = ptmx ] || fail "$variant: outside dir now holds: $(ls -A "$outside")"
		[ -f "$outside/ptmx" ] && [ ! -L "$outside/ptmx" ] && [ "$(cat "$outside/ptmx")" = marker ] ||
			fail "$variant: the marker was replaced"
	done
}

# ---------------------------------------------------------------------------------------------
# 9. crun CVE-2026-88265: stdio reopened through a symlinked /dev/null
@test "security [9: stdio is host /dev/null and rootfs /dev/null is a symlink to a host file]" {
	no_dev_tmpfs
	rm -f "$ROOTFS/dev/null"
	ln -s "$CANARY/file" "$ROOTFS/dev/null"
	local before
	before=$(canary_snapshot)
	update_config '.process.user = {"uid": 1000, "gid": 1000}'
	set_args sh -c 'echo hello >/dev/null; true'
	timeout 60 "$HULL" --root "$HULL_ROOT" run sec9 </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/err" 3>&- || true
	cat "$BATS_TEST_TMPDIR/err" >&2
	[ ! -d "$HULL_ROOT/sec9" ] || hull delete --force sec9
	[ "$(canary_snapshot)" = "$before" ] || fail "host canary changed: $(canary_snapshot)"
	[ "$(stat -c %u:%g /dev/null)" = 0:0 ]
}

# ---------------------------------------------------------------------------------------------
# 10. CVE-2021-30465 / CVE-2024-45310: the mount destination is swapped between check and use
# mount_race WHERE: a bind onto /a/data; at the mount-dest pause for it, the leaf (WHERE=leaf) or its
# parent (WHERE=parent) is replaced by a symlink to the host canary
mount_race() {
	pause_at mount-dest
	mkdir -p "$ROOTFS/a/data" "$BATS_TEST_TMPDIR/src"
	echo from-src >"$BATS_TEST_TMPDIR/src/f"
	update_config ".mounts += [{\"destination\": \"/a/data\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\"]},
		{\"destination\": \"/a/data/later\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}]"
	local before mbefore
	before=$(canary_snapshot)
	mbefore=$(host_mounts)
	set_args sh -c 'cat /a/data/f; ls /a/data'
	__hull run "sec10-$1" >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local hpid=$!
	pause_until_fd mount-dest "$ROOTFS/a/data"
	case $1 in
	leaf) rmdir "$ROOTFS/a/data" && ln -s "$CANARY" "$ROOTFS/a/data" ;;
	parent) mv "$ROOTFS/a" "$ROOTFS/a.old" && ln -s "$CANARY" "$ROOTFS/a" ;;
	esac
	resume_pause mount-dest
	drain_pauses mount-dest "$hpid"
	wait "$hpid" || true
	cat "$BATS_TEST_TMPDIR/out" >&2
	[ "$(canary_snapshot)" = "$before" ] || fail "the canary changed: $(canary_snapshot)"
	[ ! -e "$CANARY/f" ] && [ ! -e "$CANARY/later" ] && [ ! -e "$CANARY/data" ]
	[ -z "$(__mounts_under "$CANARY")" ] || fail "mounted on the host canary: $(__mounts_under "$CANARY")"
	[ "$(host_mounts)" = "$mbefore" ] || fail "host mount table changed: $(diff <(echo "$mbefore") <(host_mounts))"
	! grep -q canary-content "$BATS_TEST_TMPDIR/out" || fail "the container saw the host canary"
	[ ! -d "$HULL_ROOT/sec10-$1" ] || hull delete --force "sec10-$1"
}

@test "security [10: CVE-2021-30465 mount destination swapped for a symlink mid-setup (leaf)]" {
	mount_race leaf
}

@test "security [10: CVE-2024-45310 mount destination's parent swapped for a symlink mid-setup]" {
	mount_race parent
}

# ---------------------------------------------------------------------------------------------
# 11. CVE-2025-52881 / CVE-2019-16884: procfs redirection
@test "security [11: CVE-2019-16884 a tmpfs mounted over /proc is refused]" {
	set_args true
	update_config '.mounts += [{"destination": "/proc", "type": "tmpfs", "source": "tmpfs"}]'
	hull run sec11a
	[ "$status" -ne 0 ] || fail "a tmpfs over /proc was accepted"
	assert_output --partial "/proc"
	assert_nothing_left
}

# check_msgmax ID: run the container; if it starts, its IPC namespace really has kernel.msgmax=12345
# (read from the host through the namespace: the container's /proc/sys is over-mounted)
check_msgmax() {
	hull run -d "$1"
	if [ "$status" -eq 0 ]; then
		local pid
		pid=$(hull_state_field "$1" pid)
		[ "$(nsenter --target "$pid" --ipc cat /proc/sys/kernel/msgmax)" = 12345 ] ||
			fail "kernel.msgmax not applied (written to the over-mount?)"
		[ "$(cat /proc/sys/kernel/msgmax)" != 12345 ] || fail "the host's kernel.msgmax changed"
		hull delete --force "$1"
	else
		echo "refused: $output" >&2
		assert_nothing_left
	fi
}

@test "security [11: CVE-2025-52881 sysctls are applied to the real procfs or refused]" {
	update_config '.linux.sysctl = {"kernel.msgmax": "12345"}'
	update_config '.mounts += [{"destination": "/proc/sys/kernel", "type": "tmpfs", "source": "tmpfs"}]'
	check_msgmax sec11b
}

@test "security [11: CVE-2025-52881 a procfs file bound over /proc/sys/kernel/msgmax]" {
	update_config '.linux.sysctl = {"kernel.msgmax": "12345"}'
	update_config '.mounts += [{"destination": "/proc/sys/kernel/msgmax", "type": "bind", "source": "/proc/self/sched", "options": ["bind"]}]'
	check_msgmax sec11c
}

@test "security [11: LSM labels without an enabled LSM (AppArmor ignored, SELinux refused)]" {
	if [ -e /sys/kernel/security/apparmor ] || grep -q selinuxfs /proc/filesystems; then
		skip "this host has an LSM enabled"
	fi
	update_config '.process.apparmorProfile = "hull-test-profile"'
	set_args cat /proc/self/attr/current
	hull run sec11d
	# ignored, as runc does: the container runs
	[ "$status" -eq 0 ] || [[ "$output" == *"Invalid argument"* ]] || fail "apparmorProfile was not ignored: $output"
	[ ! -d "$HULL_ROOT/sec11d" ] || hull delete --force sec11d
	update_config 'del(.process.apparmorProfile) | .process.selinuxLabel = "system_u:system_r:container_t:s0"'
	set_args true
	hull run sec11e
	assert_failure
	assert_output --partial "SELinux is not enabled"
	assert_nothing_left
	update_config 'del(.process.selinuxLabel)'
	set_args sleep 3600
	hull run -d sec11f
	assert_success
	hull exec --apparmor hull-test-profile sec11f true
	assert_success
	hull exec --process-label system_u:system_r:container_t:s0 sec11f true
	assert_failure
	assert_output --partial "SELinux is not enabled"
	hull delete --force sec11f
}

# ---------------------------------------------------------------------------------------------
# 12. youki GHSA-3q8j: readonly/masked paths swapped between bind and remount
@test "security [12: readonlyPaths swapped between bind and read-only remount]" {
	pause_at readonly-path
	mkdir -p "$ROOTFS/ro" "$ROOTFS/rw"
	update_config '.linux.readonlyPaths = ["/ro"] | .linux.maskedPaths = ["/masked"]'
	mkdir -p "$ROOTFS/masked"
	echo secret >"$ROOTFS/masked/s"
	set_args sh -c 'touch /ro/x 2>&1; echo rc=$?; touch /rw/y 2>&1; echo rwrc=$?; ls -A /masked; touch /masked/z 2>&1; echo mrc=$?'
	__hull run sec12 >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local hpid=$!
	pause_until_fd readonly-path "$ROOTFS/ro"
	mv "$ROOTFS/ro" "$ROOTFS/ro.old"
	ln -s /rw "$ROOTFS/ro"
	resume_pause readonly-path
	drain_pauses readonly-path "$hpid"
	wait "$hpid" || true
	cat "$BATS_TEST_TMPDIR/out" >&2
	if grep -q '^rc=' "$BATS_TEST_TMPDIR/out"; then
		# it ran: the masked dir is empty and read-only
		! grep -q secret "$BATS_TEST_TMPDIR/out" || fail "masked dir readable"
		! grep -qx mrc=0 "$BATS_TEST_TMPDIR/out" || fail "masked dir writable"
	fi
	[ ! -e "$ROOTFS/rw/x" ] || fail "/ro was writable (through the swapped link)"
	[ ! -e "$ROOTFS/ro.old/x" ] || fail "/ro was writable"
	[ ! -d "$HULL_ROOT/sec12" ] || hull delete --force sec12
}

# ---------------------------------------------------------------------------------------------
# 13. CVE-2019-18837 class: symlinked mount destinations stay inside the rootfs
@test "security [13: mount destinations that are symlinks out of the rootfs]" {
	local hostdir="/opt/hull-sec13-$$" tmpname="hull-sec13-$$"
	[ ! -e "$hostdir" ] && [ ! -e "/tmp/$tmpname" ] || skip "leftover $hostdir or /tmp/$tmpname"
	mkdir -p "$BATS_TEST_TMPDIR/src"
	echo resolv-content >"$BATS_TEST_TMPDIR/resolv"
	echo data-content >"$BATS_TEST_TMPDIR/src/f"
	rm -f "$ROOTFS/etc/resolv.conf"
	ln -s "$hostdir/resolv.conf" "$ROOTFS/etc/resolv.conf"
	ln -s "../../../../../../../../tmp/$tmpname" "$ROOTFS/data"
	update_config ".mounts += [
		{\"destination\": \"/etc/resolv.conf\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/resolv\", \"options\": [\"bind\"]},
		{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"$BATS_TEST_TMPDIR/src\", \"options\": [\"bind\"]}]"
	set_args sh -c 'cat /etc/resolv.conf; cat /data/f'
	local before
	before=$(host_mounts)
	hull run sec13
	local ok_host=1
	[ ! -e "$hostdir" ] || { ok_host=0; rm -rf "$hostdir"; }
	[ ! -e "/tmp/$tmpname" ] || { ok_host=0; rmdir "/tmp/$tmpname" 2>/dev/null || rm -f "/tmp/$tmpname"; }
	[ "$ok_host" = 1 ] || fail "a directory or file was created on the host"
	[ "$(host_mounts)" = "$before" ]
	if [ "$status" -eq 0 ]; then
		assert_line --index 0 resolv-content
		assert_line --index 1 data-content
	fi
	[ ! -d "$HULL_ROOT/sec13" ] || hull delete --force sec13
}

# ---------------------------------------------------------------------------------------------
# 14. CVE-2016-9962: the setup process is not dumpable
@test "security [14: the waiting init (created) is not dumpable]" {
	update_config '.process.user = {"uid": 65534, "gid": 65534}'
	hull create sec14
	assert_success
	local pid
	pid=$(hull_state_field sec14 pid)
	[ "$pid" -gt 0 ]
	grep -q "^Uid:.*65534" "/proc/$pid/status"
	# a non-dumpable process's /proc files belong to root, and its own uid cannot read them
	[ "$(stat -c %u "/proc/$pid/environ")" = 0 ]
	run setpriv --reuid=65534 --regid=65534 --clear-groups cat "/proc/$pid/environ"
	assert_failure
	run setpriv --reuid=65534 --regid=65534 --clear-groups readlink "/proc/$pid/exe"
	assert_failure
	hull delete --force sec14
}

@test "security [14: a container process cannot ptrace or read the exec setup process]" {
	has_pause_points || skip "needs a -Dtest_hooks=true build with the HULL_TEST_PAUSE point 'exec-setup'"
	hull run -d sec14b
	assert_success
	# the exec setup process pauses after joining the container (its mount namespace): the pause
	# fifos live in the rootfs, /pause inside
	pause_at exec-setup "$ROOTFS/pause" /pause
	__hull exec sec14b true >"$BATS_TEST_TMPDIR/out" 2>&1 &
	local hpid=$!
	wait_pause exec-setup || fail "pause point exec-setup not reached"
	HULL_TEST_PAUSE= hull exec sec14b sh -c 'for p in /proc/[0-9]*; do grep -q "^Name:.*hull" $p/status 2>/dev/null || continue; echo "FOUND $p"
		cat $p/environ >/dev/null 2>&1 && echo "READ $p/environ"
		readlink $p/exe >/dev/null 2>&1 && echo "READ $p/exe"
		for f in $p/fd/*; do readlink $f >/dev/null 2>&1 && echo "READ $f"; done
		(exec 4<$p/mem) 2>/dev/null && echo "READ $p/mem"
	done; echo end'
	resume_pause exec-setup
	wait "$hpid" || true
	cat "$BATS_TEST_TMPDIR/out" >&2
	assert_success
	assert_line --partial FOUND
	refute_output --partial READ
	hull delete --force sec14b
}

# ---------------------------------------------------------------------------------------------
# 15. CVE-2022-29162: exec --cap and the inheritable set
@test "security [15: exec --cap adds nothing to inheritable or ambient]" {
	requires payload
	hull run -d sec15
	assert_success
	hull exec --cap CAP_SYS_ADMIN sec15 /bin/hull-payload caps
	assert_success
	assert_line --regexp '^CapInh:[[:space:]]+0+$'
	assert_line --regexp '^CapAmb:[[:space:]]+0+$'
	# CAP_SYS_ADMIN (bit 21) in the bounding set
	local bnd
	bnd=$(awk '/^CapBnd/ { print $2 }' <<<"$output")
	(((0x$bnd >> 21) & 1)) || fail "CapBnd $bnd lacks CAP_SYS_ADMIN"
	hull delete --force sec15
	# spec emits no (non-empty) inheritable set
	run "$HULL" spec --help
	local d="$BATS_TEST_TMPDIR/specdir"
	mkdir -p "$d"
	(cd "$d" && "$HULL" spec)
	[ "$(jq -r '.process.capabilities.inheritable // [] | length' "$d/config.json")" = 0 ]
	[ "$(jq -r '.process.capabilities.ambient // [] | length' "$d/config.json")" = 0 ]
}

@test "security [15: the inheritable and ambient sets follow the config exactly]" {
	requires payload
	update_config '.process.capabilities.inheritable = ["CAP_KILL"] | .process.capabilities.ambient = []'
	set_args /bin/hull-payload caps
	hull run sec15b
	assert_success
	# CAP_KILL = bit 5
	assert_line --regexp '^CapInh:[[:space:]]+0+20$'
	assert_line --regexp '^CapAmb:[[:space:]]+0+$'
}

# ---------------------------------------------------------------------------------------------
# 16. CVE-2023-25809: the container's cgroupfs is read-only
@test "security [16: /sys/fs/cgroup is read-only in the container]" {
	set_args sh -c 'grep " /sys/fs/cgroup" /proc/self/mountinfo; for f in $(find /sys/fs/cgroup -maxdepth 2 -name cgroup.procs); do { echo $$ >$f; } 2>/dev/null && echo "WROTE $f"; done; echo end'
	hull run sec16
	assert_success
	refute_output --partial WROTE
	local l
	for l in "${lines[@]}"; do
		[[ "$l" == end ]] && continue
		awk '{ print $6 }' <<<"$l" | grep -qE '(^|,)ro(,|$)' || fail "not read-only: $l"
	done
}

# ---------------------------------------------------------------------------------------------
# 17. GHSA-5g49 / CVE-2025-52881: traversal in cgroup and sysctl names
@test "security [17: unified keys with / or .. are refused]" {
	requires cgroups_v2
	local key
	for key in "../cgroup.procs" "cgroup.procs/.." "a/b" ".." "../../../sys/kernel"; do
		update_config ".linux.resources.unified = {\"$key\": \"1\"}"
		hull run "sec17-u"
		assert_failure
		assert_nothing_left
	done
}

@test "security [17: sysctl names with / or .. are refused]" {
	local key
	for key in "kernel/../../sysrq-trigger" "../sysrq-trigger" "kernel.core_pattern" "net/../../../sysrq-trigger" "kernel..msgmax" "/kernel.msgmax"; do
		update_config ".linux.sysctl = {\"$key\": \"1\"}"
		hull run sec17-s
		assert_failure
		assert_nothing_left
	done
}

@test "security [17: cgroupsPath and exec --cgroup with .. are refused]" {
	local p
	for p in "../../x" "/a/../../x" "a/../.." "hull-sec17/../../../x"; do
		update_config ".linux.cgroupsPath = \"$p\""
		hull run sec17-c
		assert_failure
		assert_nothing_left
	done
	update_config 'del(.linux.cgroupsPath)'
	hull run -d sec17-e
	assert_success
	for p in ../.. ../x pids:../.. /../..; do
		hull exec --cgroup "$p" sec17-e true
		assert_failure
	done
	hull delete --force sec17-e
}

# ---------------------------------------------------------------------------------------------
# 18. SIGKILL of `create` at any moment: delete --force cleans up everything, the id is reusable
# kill_create_after SECONDS: start `create sec18`, SIGKILL it after SECONDS; state.json, when it
# exists, is complete JSON (test 20); delete --force succeeds and leaves nothing
kill_create_after() {
	"$HULL" --root "$HULL_ROOT" create --pid-file "$BATS_TEST_TMPDIR/pid" sec18 </dev/null >/dev/null 2>&1 3>&- &
	local hp=$!
	sleep "$1"
	kill -9 "$hp" 2>/dev/null || true
	wait "$hp" 2>/dev/null || true
	check_state_file sec18
	hull delete --force sec18
	assert_success
	assert_clean sec18
}

# check_state_file ID: if ID's state.json exists it is complete (parses, has id and pid)
check_state_file() {
	local f="$HULL_ROOT/$1/state.json"
	[ -e "$f" ] || return 0
	jq -e '.id and (.pid // .init_process_pid)' "$f" >/dev/null || fail "partial state.json: $(cat "$f")"
}

@test "security [18: SIGKILL mid-create (timed and at each pause point) then delete --force]" {
	local i
	for i in 0 1 2 3 4 5 6 8 10 13 16 20 30 45; do
		kill_create_after "$(printf '0.%03d' $((i * 3)))"
	done
	if has_pause_points; then
		local point
		for point in mount-dest readonly-path; do
			pause_at "$point"
			"$HULL" --root "$HULL_ROOT" create sec18 </dev/null >/dev/null 2>&1 3>&- &
			local hp=$!
			wait_pause "$point" || fail "pause point $point not reached"
			kill -9 "$hp"
			wait "$hp" 2>/dev/null || true
			# the paused setup process dies with its parent (PDEATHSIG); unblock it if it did not
			timeout 2 sh -c "echo go >'$PAUSE_DIR/$point.resume'" 2>/dev/null || true
			hull delete --force sec18
			assert_success
			sleep 0.2
			assert_clean sec18
			rm -f "$PAUSE_DIR/$point.reached" "$PAUSE_DIR/$point.resume"
			unset HULL_TEST_PAUSE
		done
	fi
	# the id is reusable
	set_args true
	hull create sec18
	assert_success
	hull start sec18
	assert_success
	hull delete --force sec18
	assert_clean sec18
}

# ---------------------------------------------------------------------------------------------
# 19. concurrent lifecycle: one create wins, every state read is valid, nothing crashes
@test "security [19: 50 parallel creates of one id with a hammer of state/start/kill/delete]" {
	local d="$BATS_TEST_TMPDIR/c19" i
	mkdir -p "$d"
	# hc NAME ARGS...: one hull command in the background, output and status into $d
	hc() {
		local n=$1
		shift
		(
			timeout -k 5 120 "$HULL" --root "$HULL_ROOT" "$@" </dev/null >"$d/$n.out" 2>&1 3>&-
			echo $? >"$d/$n.rc"
		) &
	}
	for i in $(seq 50); do hc "create.$i" create sec19; done
	for i in $(seq 20); do hc "state1.$i" state sec19; done
	wait
	[ "$(grep -lx 0 "$d"/create.*.rc | wc -l)" -eq 1 ] || fail "creates that succeeded: $(grep -lx 0 "$d"/create.*.rc | wc -l)"
	for i in $(seq 10); do
		hc "start.$i" start sec19
		hc "state2.$i" state sec19
		hc "kill.$i" kill sec19 TERM
		hc "state3.$i" state sec19
	done
	for i in $(seq 3); do hc "delete.$i" delete sec19; done
	wait
	local f rc
	for f in "$d"/*.rc; do
		rc=$(cat "$f")
		[ "$rc" -lt 124 ] || fail "${f##*/}: status $rc: $(cat "${f%.rc}.out")"
		! grep -qiE 'segmentation|abort|sanitizer|assert' "${f%.rc}.out" || fail "${f##*/}: $(cat "${f%.rc}.out")"
	done
	for f in "$d"/state*.rc; do
		[ "$(cat "$f")" = 0 ] || continue
		jq -e '.id == "sec19" and (.status | test("^(creating|created|running|stopped|paused)$"))' "${f%.rc}.out" >/dev/null ||
			fail "invalid state output: $(cat "${f%.rc}.out")"
	done
	[ "$(grep -lx 0 "$d"/start.*.rc 2>/dev/null | wc -l)" -le 1 ] || fail "more than one start succeeded"
	# the final state is consistent: either deleted, or a valid state that delete --force removes
	if [ -d "$HULL_ROOT/sec19" ]; then
		hull state sec19
		assert_success
		hull delete --force sec19
		assert_success
	fi
	assert_clean sec19
}

# ---------------------------------------------------------------------------------------------
# 20. atomic state: the state file is never partial, the pid file is digits only
@test "security [20: state.json is whole at every moment of create; SIGKILL leaves no temp file]" {
	local stop="$BATS_TEST_TMPDIR/stop20" bad="$BATS_TEST_TMPDIR/bad20"
	# a reader polls the state file through every create below
	(
		end=$((SECONDS + 120))
		while [ ! -e "$stop" ] && [ "$SECONDS" -lt "$end" ]; do
			if cat "$HULL_ROOT/sec18/state.json" >"$BATS_TEST_TMPDIR/snap" 2>/dev/null; then
				jq -e . "$BATS_TEST_TMPDIR/snap" >/dev/null 2>&1 || cp "$BATS_TEST_TMPDIR/snap" "$bad"
			fi
		done
	) 3>&- &
	local rp=$! i
	for i in 2 5 8 11 15 20 30 45; do
		kill_create_after "$(printf '0.%03d' "$i")"
	done
	hull create --pid-file "$BATS_TEST_TMPDIR/pid" sec18
	assert_success
	touch "$stop"
	wait "$rp"
	[ ! -e "$bad" ] || fail "a partial state.json was read: $(cat "$bad")"
	# pid file: digits only, no newline
	grep -qxE '[0-9]+' "$BATS_TEST_TMPDIR/pid"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/pid")" = 0 ] || fail "the pid file ends with a newline"
	# state.json, exec.fifo and the cgroup record a create writes before state.json
	[ "$(ls -A "$HULL_ROOT/sec18" | grep -v -e '^state.json$' -e '^exec.fifo$' -e '^cgroup$')" = "" ] ||
		fail "temporary files in the state dir: $(ls -A "$HULL_ROOT/sec18")"
	hull delete --force sec18
	assert_clean sec18
}

# ---------------------------------------------------------------------------------------------
# 21. pid reuse: kill/exec/delete never touch a process that reused the init's pid
@test "security [21: a reused init pid is not signalled]" {
	requires unshare
	cat >"$BATS_TEST_TMPDIR/reuse.sh" <<-'EOF'
		set -u
		H=$1 R=$2 B=$3
		cd "$B"
		"$H" --root "$R" run -d sec21 </dev/null >/dev/null 2>&1 || { echo "run failed"; exit 1; }
		pid=$("$H" --root "$R" state sec21 | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
		kill -9 "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
		echo $((pid - 1)) >/proc/sys/kernel/ns_last_pid
		sleep 3600 &
		imp=$!
		[ "$imp" = "$pid" ] || { echo "could not reuse pid $pid (got $imp)"; kill $imp; exit 2; }
		echo "state=$("$H" --root "$R" state sec21 2>&1 | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p')"
		"$H" --root "$R" kill sec21 KILL 2>&1; echo "kill=$?"
		"$H" --root "$R" exec sec21 true 2>&1; echo "exec=$?"
		"$H" --root "$R" delete sec21 2>&1; echo "delete=$?"
		kill -0 "$imp" && echo impostor-alive
		kill "$imp"
	EOF
	run timeout 120 unshare --pid --fork --mount-proc bash "$BATS_TEST_TMPDIR/reuse.sh" "$HULL" "$HULL_ROOT" "$BUNDLE" 3>&-
	echo "$output" >&2
	[[ "$output" != *"could not reuse"* ]] || skip "pid reuse not reproducible here: $output"
	assert_line state=stopped
	assert_line --regexp 'kill=[1-9]'
	assert_output --partial "container not running"
	assert_line --regexp 'exec=[1-9]'
	assert_line impostor-alive
	[ ! -d "$HULL_ROOT/sec21" ] || hull delete --force sec21
}

# ---------------------------------------------------------------------------------------------
# 22. the init exited but its parent (a subreaper that does not reap yet) holds it as a zombie
@test "security [22: zombie init: state stopped, kill refused, kill --all ok, exec 255, delete works]" {
	command -v perl >/dev/null || skip "needs perl"
	set_args true
	cat >"$BATS_TEST_TMPDIR/zombie.pl" <<-'EOF'
		use strict;
		my ($h, $r, $d) = @ARGV;
		# prctl(PR_SET_CHILD_SUBREAPER, 1): the init becomes our child when create exits
		syscall(157, 36, 1, 0, 0, 0) == 0 or die "prctl: $!";
		sub hc { my ($n, $cmd) = @_; system("$h --root $r $cmd </dev/null >$d/$n.out 2>&1"); print "$n=", $? >> 8, "\n"; }
		hc("create", "create sec22");
		my $st = `$h --root $r state sec22`;
		my ($pid) = $st =~ /"pid":\s*(\d+)/;
		hc("start", "start sec22");
		for (1 .. 100) { open(my $f, "<", "/proc/$pid/stat") or last; my $s = <$f>; last if $s =~ /\) Z /; select(undef, undef, undef, 0.05); }
		my $z; open($z, "<", "/proc/$pid/stat") and <$z> =~ /\) Z / and print "zombie=1\n";
		hc("state", "state sec22");
		hc("kill", "kill sec22 KILL");
		hc("killall", "kill --all sec22 KILL");
		hc("exec", "exec sec22 true");
		hc("delete", "delete sec22");
		waitpid($pid, 0);
	EOF
	run timeout 60 perl "$BATS_TEST_TMPDIR/zombie.pl" "$HULL" "$HULL_ROOT" "$BATS_TEST_TMPDIR" 3>&-
	echo "$output" >&2
	cat "$BATS_TEST_TMPDIR"/{state,kill,killall,exec,delete}.out >&2 || true
	assert_line create=0
	assert_line start=0
	assert_line zombie=1
	assert_line state=0
	[ "$(jq -r .status "$BATS_TEST_TMPDIR/state.out")" = stopped ]
	[ "$(jq -r .pid "$BATS_TEST_TMPDIR/state.out")" = 0 ]
	assert_line --regexp '^kill=[1-9]'
	grep -q "container not running" "$BATS_TEST_TMPDIR/kill.out"
	assert_line killall=0
	assert_line exec=255
	grep -q "cannot exec in a stopped container" "$BATS_TEST_TMPDIR/exec.out"
	assert_line delete=0
	assert_clean sec22
}

# ---------------------------------------------------------------------------------------------
# 23. delete --force in every state (running, paused, created, init gone without a pid namespace)
# force_delete_in ID: delete --force ID within 10 s, and nothing of it is left
force_delete_in() {
	local t0=$SECONDS
	hull delete --force "$1"
	assert_success
	[ $((SECONDS - t0)) -le 10 ] || fail "delete --force took $((SECONDS - t0)) s"
	assert_clean "$1"
}

@test "security [23: delete --force on running, paused, created, and a dead init with live children]" {
	set_args sh -c 'sleep 3600 & sleep 3600 & wait'
	hull run -d sec23r
	assert_success
	hull delete sec23r
	assert_failure
	force_delete_in sec23r
	if [ -d /sys/fs/cgroup/freezer ] || [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		hull run -d sec23p
		assert_success
		hull pause sec23p
		assert_success
		force_delete_in sec23p
	fi
	hull create sec23c
	assert_success
	force_delete_in sec23c
	# no pid namespace: killing the init does not kill its children; delete --force must
	update_config 'del(.linux.namespaces[] | select(.type == "pid"))'
	hull run -d sec23n
	assert_success
	local pid
	pid=$(hull_state_field sec23n pid)
	sleep 0.3
	kill -9 "$pid"
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	[ -n "$(leftover_procs)" ] || fail "the init's children died with it: nothing left to test"
	force_delete_in sec23n
	hull delete --force sec23-does-not-exist
	assert_success
	hull delete sec23-does-not-exist
	assert_failure
	assert_output --partial "does not exist"
}

# ---------------------------------------------------------------------------------------------
# 24. exit codes
@test "security [24: exit codes of run, exec and start]" {
	set_args sh -c 'exit 42'
	hull run sec24a
	[ "$status" -eq 42 ]
	# (without a pid namespace: pid 1 of one ignores even a SIGKILL from inside)
	update_config 'del(.linux.namespaces[] | select(.type == "pid"))'
	set_args sh -c 'kill -9 $$'
	hull run sec24b
	[ "$status" -eq 137 ]
	update_config '.linux.namespaces += [{"type": "pid"}]'
	set_args sleep 3600
	hull run -d sec24c
	assert_success
	hull exec sec24c no-such-binary
	[ "$status" -eq 255 ]
	assert_single_error_line
	hull exec --pid-file /nonexistent/x sec24c true
	[ "$status" -eq 255 ]
	hull delete --force sec24c
	hull create sec24d
	assert_success
	hull start sec24d
	assert_success
	hull start sec24d
	assert_failure
	hull delete --force sec24d
	hull create sec24e
	assert_success
	local pid t0
	pid=$(hull_state_field sec24e pid)
	kill -9 "$pid"
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	t0=$(date +%s%N)
	hull start sec24e
	assert_failure
	[ $(( ($(date +%s%N) - t0) / 1000000 )) -lt 1000 ] || fail "start after the init died took more than 1 s"
	hull delete --force sec24e
}

# ---------------------------------------------------------------------------------------------
# 27. --preserve-fds with a closed fd, LISTEN_PID naming another process (the rest: run.bats)
@test "security [27: a closed preserved fd is an error; a foreign LISTEN_PID passes no fds]" {
	requires payload
	set_args /bin/hull-payload fds
	run timeout -k 5 60 bash -c 'exec 3<&- 4<&-; exec "$1" --root "$2" run --preserve-fds 2 sec27a 3</dev/null </dev/null' \
		_ "$HULL" "$HULL_ROOT"
	echo "$output" >&2
	# fd 4 is closed: refused (runc), or only the open fd 3 reaches the container; never another fd
	if [ "$status" -eq 0 ]; then
		[ "${#lines[@]}" -le 4 ] || fail "fds: $output"
	fi
	[ ! -d "$HULL_ROOT/sec27a" ] || hull delete --force sec27a
	set_args sh -c 'echo "LISTEN_FDS=${LISTEN_FDS:-} LISTEN_PID=${LISTEN_PID:-}"; exec /bin/hull-payload fds'
	run timeout -k 5 60 bash -c 'export LISTEN_FDS=2 LISTEN_PID=1; exec "$1" --root "$2" run sec27b 3</dev/null 4</dev/null </dev/null' \
		_ "$HULL" "$HULL_ROOT"
	echo "$output" >&2
	assert_success
	assert_line --index 0 "LISTEN_FDS= LISTEN_PID="
	[ "${#lines[@]}" -eq 4 ] || fail "fds passed with a foreign LISTEN_PID: $output"
}

# ---------------------------------------------------------------------------------------------
# 29. oversized inputs (CVE-2021-43784 class): a clean error or the exact value, never a crash
# assert_clean_refusal: non-zero, not a crash, one error line, nothing left
assert_clean_refusal() {
	[ "$status" -ne 0 ] && [ "$status" -lt 124 ] || fail "status $status"
	assert_single_error_line
	! grep -qiE 'sanitizer|segmentation|abort' <<<"$output"
	assert_nothing_left
}

@test "security [29: oversized hostname, annotation, mount path, argv, env]" {
	local big
	big=$(head -c 71680 /dev/zero | tr '\0' a)
	set_args true
	update_config ".hostname = \"$big\""
	hull run sec29a
	assert_clean_refusal
	update_config "del(.hostname) | .annotations = {\"big\": \"$big\"}"
	set_args sh -c 'echo ok'
	hull run sec29b
	assert_success
	assert_output ok
	update_config "del(.annotations) | .mounts += [{\"destination\": \"/$big\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}]"
	hull run sec29c
	assert_clean_refusal
	update_config 'del(.mounts[-1])'
	# 1 MiB of argv (8 x 131000 bytes; one argument may have at most 128 KiB) and 512 KiB of env
	# (through files: the JSON is too long for one jq argument)
	head -c 131000 /dev/zero | tr "\\0" b >"$BATS_TEST_TMPDIR/arg"
	jq --rawfile a "$BATS_TEST_TMPDIR/arg" '.process.args = ["sh", "-c", "n=0; for a; do n=$((n + ${#a})); done; echo \"$#:$n:${#E1}\"", "sh", $a, $a, $a, $a, $a, $a, $a, $a] |
		.process.env += [range(1; 5) | "E\(.)=\($a)"]' "$BUNDLE/config.json" >"$BATS_TEST_TMPDIR/config.json"
	mv "$BATS_TEST_TMPDIR/config.json" "$BUNDLE/config.json"
	hull run sec29d
	if [ "$status" -eq 0 ]; then
		assert_output "8:1048000:131000"
	else
		assert_clean_refusal
	fi
}

@test "security [29: 340 uid/gid map lines are applied exactly; 341 is a clean error]" {
	requires userns
	local n
	for n in 340 341; do
		update_config "(.linux.namespaces += [{\"type\": \"user\"}]) |
			.linux.uidMappings = ([range(0; $n)] | map({containerID: ., hostID: (200000 + . * 2), size: 1})) |
			.linux.gidMappings = ([range(0; $n)] | map({containerID: ., hostID: (200000 + . * 2), size: 1}))"
		chown -R 200000:200000 "$ROOTFS"
		set_args sh -c 'wc -l </proc/self/uid_map; wc -l </proc/self/gid_map; sed -n 340p /proc/self/uid_map'
		hull run "sec29-$n"
		if [ "$n" = 340 ] && [ "$status" -eq 0 ]; then
			assert_line --index 0 340
			assert_line --index 1 340
			assert_line --index 2 --regexp '^ *339 +200678 +1$'
		else
			assert_clean_refusal
		fi
		update_config 'del(.linux.namespaces[] | select(.type == "user"))'
	done
}

# ---------------------------------------------------------------------------------------------
# 30. container ids and exec --user parsing
@test "security [30: invalid ids are refused, .x accepted; exec -u parsing never gives silent root]" {
	set_args true
	local id long
	long=$(head -c 1024 /dev/zero | tr '\0' i)
	for id in . .. a/b ../x "" "$long"; do
		hull create "$id"
		[ "$status" -ne 0 ] || fail "id '$id' was accepted"
		[ -z "$(ls -A "$HULL_ROOT")" ] || fail "id '$id' left state: $(ls -A "$HULL_ROOT")"
	done
	hull create .x
	assert_success
	hull delete --force .x
	assert_success
	# a user named "1234" with uid 0 in the image (CVE-2016-3697): -u 1234 is uid 1234
	echo '1234:x:0:0:evil:/:/bin/sh' >>"$ROOTFS/etc/passwd"
	set_args sleep 3600
	hull run -d sec30
	assert_success
	hull exec -u 1234 sec30 sh -c 'echo $(id -u):$(id -g)'
	assert_success
	assert_output 1234:0
	hull exec -u 1 sec30 sh -c 'echo $(id -u):$(id -g)'
	assert_success
	assert_output 1:0
	hull exec -u 1:2 sec30 sh -c 'echo $(id -u):$(id -g)'
	assert_success
	assert_output 1:2
	local u
	for u in abc 1: :1 1:abc -1 4294967296 1:2:3; do
		hull exec -u "$u" sec30 sh -c 'echo $(id -u):$(id -g)'
		if [ "$status" -eq 0 ]; then
			[[ "$output" != 0:* ]] || fail "exec -u '$u' ran as root: $output"
		else
			[ "$status" -lt 128 ] || [ "$status" -eq 255 ] || fail "exec -u '$u': status $status"
		fi
	done
	hull delete --force sec30
}

# ---------------------------------------------------------------------------------------------
# 31. the fallbacks: with openat2/open_tree/mount_setattr/... failing, the P0 cases still hold

@test "security [31: under enosys (ENOSYS, EPERM) a /proc symlink is still refused]" {
	[ -x "$ENOSYS_BIN" ] || skip "tests/helpers/enosys is not built"
	local e
	rm -rf "$ROOTFS/proc"
	ln -s / "$ROOTFS/proc"
	for e in ENOSYS EPERM; do
		# every call of the default list but memfd_create: the (writable) binary is protected through a
		# sealed memfd, so the refusal must be the /proc check's
		run timeout 60 "$ENOSYS_BIN" -e "$e" -s "${ENOSYS_DEFAULT%,memfd_create}" "$HULL" --root "$HULL_ROOT" run sec31 </dev/null 3>&-
		echo "$e: $output" >&2
		[ "$status" -ne 0 ] || fail "$e: /proc -> / accepted"
		assert_output --partial "/proc"
		refute_output --partial "CVE-2019-5736"
		assert_nothing_left
	done
}

@test "security [31: open_tree and memfd_create denied: a writable hull is refused, a read-only one runs]" {
	[ -x "$ENOSYS_BIN" ] || skip "tests/helpers/enosys is not built"
	local rt="$BATS_TEST_TMPDIR/rt" e
	mkdir -p "$rt"
	cp "$HULL_EXE" "$rt/hull"
	set_args sh -c 'echo in-container; readlink /proc/1/exe'
	for e in ENOSYS EPERM; do
		# nothing can make this copy safe against CVE-2019-5736: fail closed, before anything is created
		run timeout 60 "$ENOSYS_BIN" -e "$e" -- "$rt/hull" --root "$HULL_ROOT" run sec31w </dev/null 3>&-
		echo "$e (writable): $output" >&2
		assert_failure
		assert_output --partial "re-execute hull from a sealed copy (CVE-2019-5736 protection)"
		assert_nothing_left
	done
	# on a read-only mount it needs no protection: it runs under the whole default list
	mount --bind "$rt/hull" "$rt/hull"
	mount -o remount,bind,ro "$rt/hull" "$rt/hull"
	local out=() rc=()
	for e in ENOSYS EPERM; do
		run timeout 60 "$ENOSYS_BIN" -e "$e" -- "$rt/hull" --root "$HULL_ROOT" run sec31r </dev/null 3>&-
		rc+=("$status") out+=("$output")
	done
	umount "$rt/hull"
	for e in 0 1; do
		echo "read-only $e: ${out[$e]}" >&2
		assert_equal "${rc[$e]}" 0
		[[ "${out[$e]}" == in-container* ]] || fail "no output from the container: ${out[$e]}"
	done
	assert_nothing_left
}

@test "security [31: under enosys (ENOSYS) the CVE-2019-5736 attack still fails]" {
	[ -x "$ENOSYS_BIN" ] || skip "tests/helpers/enosys is not built"
	exe_overwrite_attack ENOSYS
}

@test "security [31: under enosys (EPERM) the CVE-2019-5736 attack still fails]" {
	[ -x "$ENOSYS_BIN" ] || skip "tests/helpers/enosys is not built"
	exe_overwrite_attack EPERM
}

@test "security [31: the new mount API failing (sealed memfd fallback), the CVE-2019-5736 attack still fails]" {
	[ -x "$ENOSYS_BIN" ] || skip "tests/helpers/enosys is not built"
	local e
	for e in ENOSYS EPERM; do
		exe_overwrite_attack "$e" open_tree,mount_setattr,move_mount,fsopen,fsmount
		grep -q "memfd:" "$ROOTFS/exe-link" || fail "$e: the exe is not a memfd: $(cat "$ROOTFS/exe-link")"
		rm -f "$ROOTFS/f" "$ROOTFS"/result* "$ROOTFS/exe-link"
	done
}
