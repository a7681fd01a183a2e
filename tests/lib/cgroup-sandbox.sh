#!/bin/bash
# cgroup-sandbox.sh: sourced by tests/run.sh.
#
# The test run puts itself into a cgroup of its own, `hull-test-$$`, created BELOW the cgroup it
# was started in, in every mounted cgroup v1 hierarchy and in cgroup2.  Containers started by the
# tests get their default cgroups below hull's own cgroup, so they never land at a hierarchy root,
# and anything a test leaks is found (and killed, by pid) when the sandbox is torn down.
#
#   cgroup_sandbox_enter   create the cgroups and move this shell ($$) into them; first remove the
#                          sandboxes of earlier runs that were killed before they could remove
#                          their own (named after a pid that no longer runs, holding no process)
#   cgroup_sandbox_leave   move this shell back, kill leftovers by pid, remove the cgroups;
#                          returns 1 (after cleaning up) if anything was left behind
#
# Call both from the main shell, never from a subshell: $$ is what gets moved.

CGROUP_SANDBOX_NAME="hull-test-$$"
CGROUP_SANDBOX_DIRS=()    # the sandbox cgroup directories
CGROUP_SANDBOX_ORIG=()    # the cgroup directory we came from, same index

# Print "MOUNTPOINT CGROUP_PATH" for each hierarchy this process belongs to.
_cgroup_sandbox_hierarchies() {
	local hid ctrls path
	while IFS=: read -r hid ctrls path; do
		local want_type=cgroup
		[ "$hid" = 0 ] && want_type=cgroup2
		local line mnt root fstype superopts found=
		while read -r line; do
			# mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS
			local pre=${line%% - *} post=${line#* - }
			read -r _ _ _ root mnt _ <<<"$pre"
			read -r fstype _ superopts <<<"$post"
			[ "$fstype" = "$want_type" ] || continue
			if [ "$fstype" = cgroup ]; then
				local c ok=1
				IFS=, read -ra _cs <<<"$ctrls"
				for c in "${_cs[@]}"; do
					[[ ",$superopts," == *",$c,"* ]] || { ok=; break; }
				done
				[ -n "$ok" ] || continue
			fi
			mnt=$(printf '%b' "$mnt") # mountinfo escapes spaces as \040
			# The mount may expose only a subtree (ROOT); our path is relative to it.
			local rel=$path
			if [ "$root" != / ]; then
				case "$path" in
				"$root" | "$root"/*) rel=${path#"$root"} ;;
				*) continue ;;
				esac
			fi
			echo "$mnt ${rel:-/}"
			found=1
			break
		done </proc/self/mountinfo
		[ -n "$found" ] || echo "cgroup-sandbox: no mount found for cgroup hierarchy $hid:$ctrls" >&2
	done </proc/self/cgroup
}

# Remove, below $1, the sandboxes (hull-test-PID, hull-bench-PID) of runs that died without
# leaving theirs: the pid no longer runs and no process is in them.  A pid reused since is left be.
_cgroup_sandbox_remove_stale() {
	local d pid
	for d in "$1"/hull-test-[0-9]* "$1"/hull-bench-[0-9]*; do
		[ -d "$d" ] || continue
		pid=${d##*-}
		[ -d "/proc/$pid" ] && continue
		[ -z "$(find "$d" -name cgroup.procs -exec cat {} + 2>/dev/null)" ] || continue
		echo "cgroup-sandbox: removing the stale sandbox $d (its run $pid is gone)" >&2
		find "$d" -depth -type d -exec rmdir {} + 2>/dev/null
	done
}

cgroup_sandbox_enter() {
	local mnt rel
	while read -r mnt rel; do
		local orig="$mnt${rel%/}"
		[ "$rel" = / ] && orig=$mnt
		_cgroup_sandbox_remove_stale "$orig"
		local dir="$orig/$CGROUP_SANDBOX_NAME"
		if ! mkdir "$dir" 2>/dev/null; then
			echo "cgroup-sandbox: cannot create $dir, staying in $orig" >&2
			continue
		fi
		# cpuset v1: a new cgroup has empty cpus/mems and accepts no task until they are set.
		local f
		for f in cpuset.cpus cpuset.mems; do
			if [ -f "$dir/$f" ] && [ -z "$(cat "$dir/$f")" ]; then
				cat "$orig/$f" >"$dir/$f"
			fi
		done
		# cpu v1 with CONFIG_RT_GROUP_SCHED: a new group gets no realtime budget, so containers below it
		# could not ask for any; hand the sandbox a share of its parent's (300 ms per second, or what
		# the other groups below the parent, e.g. other test runs, have left of it)
		if [ -f "$dir/cpu.rt_runtime_us" ] && [ "$(cat "$dir/cpu.rt_runtime_us")" = 0 ]; then
			if ! echo 300000 >"$dir/cpu.rt_runtime_us" 2>/dev/null; then
				local free sib
				free=$(cat "$orig/cpu.rt_runtime_us" 2>/dev/null || echo 0)
				[ "$free" = -1 ] && free=$(cat /proc/sys/kernel/sched_rt_runtime_us 2>/dev/null || echo 0)
				for sib in "$orig"/*/cpu.rt_runtime_us; do
					[ -f "$sib" ] && free=$((free - $(cat "$sib")))
				done
				if [ "$free" -le 0 ] 2>/dev/null || ! echo "$free" >"$dir/cpu.rt_runtime_us" 2>/dev/null; then
					echo "cgroup-sandbox: no realtime budget for $dir (realtime tests will skip)" >&2
				fi
			fi
		fi
		CGROUP_SANDBOX_DIRS+=("$dir")
		CGROUP_SANDBOX_ORIG+=("$orig")
		if ! echo $$ >"$dir/cgroup.procs"; then
			echo "cgroup-sandbox: cannot move $$ into $dir" >&2
		fi
	done < <(_cgroup_sandbox_hierarchies)
}

# The pids (other than ours) in the sandbox cgroups and below, one per line.
_cgroup_sandbox_pids() {
	local top d
	for top in "$@"; do
		while read -r d; do
			cat "$d/cgroup.procs" 2>/dev/null
		done < <(find "$top" -type d 2>/dev/null)
	done | grep -vx "$$" | sort -un
}

# Kill (by pid) every process left in the sandbox, then remove its cgroups bottom-up.
# Returns 1 if anything had been left behind.
_cgroup_sandbox_clear() {
	local leaked=0 d pid i
	# Thaw first: a frozen task cannot die.
	while read -r d; do
		[ -f "$d/freezer.state" ] && echo THAWED >"$d/freezer.state" 2>/dev/null
		[ -f "$d/cgroup.freeze" ] && echo 0 >"$d/cgroup.freeze" 2>/dev/null
	done < <(find "$@" -type d 2>/dev/null)
	for i in $(seq 100); do
		local pids
		pids=$(_cgroup_sandbox_pids "$@")
		[ -z "$pids" ] && break
		if [ "$i" = 1 ]; then
			leaked=1
			echo "cgroup-sandbox: killing processes left in the sandbox: $(echo $pids)" >&2
			ps -o pid,ppid,args -p "$(echo $pids | tr ' ' ,)" >&2 2>/dev/null || true
		fi
		# shellcheck disable=SC2086
		kill -9 $pids 2>/dev/null
		sleep 0.1
	done
	# Remove bottom-up; a killed task may linger a moment (exiting, or a zombie being reaped).
	local top
	for top in "$@"; do
		while read -r d; do
			if [ "$d" != "$top" ]; then
				leaked=1
				echo "cgroup-sandbox: removing leftover cgroup $d" >&2
			fi
			for i in $(seq 100); do
				rmdir "$d" 2>/dev/null && break
				sleep 0.1
			done
			[ -d "$d" ] && { echo "cgroup-sandbox: cannot remove $d" >&2; leaked=1; }
		done < <(find "$top" -depth -type d 2>/dev/null)
	done
	return $leaked
}

cgroup_sandbox_leave() {
	local rc=0 i
	for i in "${!CGROUP_SANDBOX_DIRS[@]}"; do
		echo $$ >"${CGROUP_SANDBOX_ORIG[$i]}/cgroup.procs" 2>/dev/null ||
			echo "cgroup-sandbox: cannot move $$ back to ${CGROUP_SANDBOX_ORIG[$i]}" >&2
	done
	[ ${#CGROUP_SANDBOX_DIRS[@]} -gt 0 ] && { _cgroup_sandbox_clear "${CGROUP_SANDBOX_DIRS[@]}" || rc=1; }
	CGROUP_SANDBOX_DIRS=()
	CGROUP_SANDBOX_ORIG=()
	return $rc
}
