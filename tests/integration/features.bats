#!/usr/bin/env bats
# `hull features` says exactly what hull implements: every listed item is checked against behaviour
# (containerd enables recursive read-only mounts and user namespaces from this output).

load helpers

setup() { setup_bundle; }
teardown() { teardown_bundle; }

@test "features [valid JSON with the spec's fields]" {
	hull features
	assert_success
	jq -e '.ociVersionMin == "1.0.0" and .ociVersionMax == "1.3.0"' <<<"$output"
	[ "$(jq -c .hooks <<<"$output")" = '["prestart","createRuntime","createContainer","startContainer","poststart","poststop"]' ]
	[ "$(jq -c '.linux.namespaces | sort' <<<"$output")" = '["cgroup","ipc","mount","network","pid","time","user","uts"]' ]
	jq -e '.linux.cgroup.v1 and .linux.cgroup.v2 and (.linux.cgroup.systemd | not)' <<<"$output"
	jq -e '.potentiallyUnsafeConfigAnnotations | type == "array"' <<<"$output"
	jq -e '.linux.capabilities | index("CAP_SYS_ADMIN") and index("CAP_CHOWN")' <<<"$output"
}

@test "features [every listed namespace can be created]" {
	hull features
	local ns
	for ns in $(jq -r '.linux.namespaces[]' <<<"$output"); do
		case $ns in
		user) update_config '.linux.namespaces |= (map(select(.type != "user")) + [{"type": "user"}])
			| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
			| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]' ;;
		*) update_config ".linux.namespaces |= (map(select(.type != \"$ns\")) + [{\"type\": \"$ns\"}])" ;;
		esac
	done
	# the mapped root (host uid 100000) must be able to reach the rootfs through bats' private dirs
	local d=$BUNDLE
	while [ "$d" != / ] && [ "$d" != /tmp ]; do chmod o+x "$d"; d=$(dirname "$d"); done
	set_args sh -c 'for n in cgroup ipc mnt net pid time user uts; do readlink /proc/self/ns/$n; done'
	hull run test_features
	assert_success
	local n
	for n in cgroup ipc mnt net pid time user uts; do
		[ "$(grep "^$n:" <<<"$output")" != "$(readlink /proc/self/ns/$n)" ] || fail "namespace $n is the host's"
	done
}

@test "features [every listed mount option is accepted]" {
	hull features
	local opts
	opts=$(jq -r '.mountOptions[]' <<<"$output")
	[ -n "$opts" ]
	jq -e '.mountOptions | index("tmpcopyup") and index("nosymfollow")' <<<"$output"
	# the recursive forms are listed when mount_setattr works (not under tests/suites/fallback.sh's
	# seccomp wrapper); containerd enables read-only mounts from "rro"
	if fallback_denies mount_setattr; then
		jq -e '.mountOptions | index("rro") | not' <<<"$output"
	else
		jq -e '.mountOptions | index("rro")' <<<"$output"
	fi
	mkdir -p "$BATS_TEST_TMPDIR/src"
	local o mounts='[]'
	for o in $opts; do
		case $o in
		idmap | ridmap) continue ;; # need mappings: userns.bats
		remount) continue ;;         # remounts an existing mount: mounts.bats
		mand) continue ;;            # refused by kernels without mandatory locking, as with runc
		esac
		mounts=$(jq -c --arg o "$o" --arg s "$BATS_TEST_TMPDIR/src" \
			'. + [{destination: ("/opt/" + $o), type: "bind", source: $s, options: ["rbind", $o]}]' <<<"$mounts")
	done
	update_config ".mounts += $mounts"
	set_args sh -c 'grep -c " /opt/" /proc/self/mountinfo'
	hull run test_features
	assert_success
	# one mount per listed option (rbind of a single directory: no submounts)
	[ "$output" -eq "$(jq length <<<"$mounts")" ]
}

@test "features [every listed seccomp action and operator loads]" {
	hull features
	local f=$output a rules='[]'
	jq -e '.linux.seccomp.enabled' <<<"$f"
	for a in $(jq -r '.linux.seccomp.actions[]' <<<"$f"); do
		[ "$a" = SCMP_ACT_NOTIFY ] && continue # needs a listener: seccomp.bats
		[ "$a" = SCMP_ACT_ALLOW ] && continue  # the default here
		rules=$(jq -c --arg a "$a" '. + [{names: ["getpgid"], action: $a}]' <<<"$rules")
		# one rule per action would conflict on the same syscall: give each its own (unused) syscall
	done
	local i=0 names=(getpgid getsid acct syslog vhangup) r='[]' act
	for act in $(jq -r '.[].action' <<<"$rules"); do
		r=$(jq -c --arg a "$act" --arg n "${names[$i]}" '. + [{names: [$n], action: $a}]' <<<"$r")
		i=$(((i + 1) % ${#names[@]}))
		if [ "$i" -eq 0 ]; then
			update_config ".linux.seccomp = {defaultAction: \"SCMP_ACT_ALLOW\", syscalls: $r}"
			set_args true
			hull run test_features
			assert_success
			r='[]'
		fi
	done
	local ops
	ops=$(jq -c '[.linux.seccomp.operators[] | {names: ["personality"], action: "SCMP_ACT_ERRNO", args: [{index: 0, value: 4294967295, valueTwo: 4294967295, op: .}]}]' <<<"$f")
	update_config ".linux.seccomp = {defaultAction: \"SCMP_ACT_ALLOW\", syscalls: $ops}"
	set_args true
	hull run test_features
	assert_success
}

@test "features [annotations and what the host has]" {
	hull features
	jq -e '.annotations["org.opencontainers.runc.checkpoint.enabled"] == "false"' <<<"$output"
	# no LSM on a host without one
	if [ ! -e /sys/kernel/security/apparmor ] && ! grep -q selinuxfs /proc/filesystems; then
		jq -e '(.linux.apparmor.enabled | not) and (.linux.selinux.enabled | not)' <<<"$output"
	fi
	jq -e '.linux.netDevices.enabled and (.linux.memoryPolicy.modes | index("MPOL_BIND"))' <<<"$output"
}
