# fish completion for hull(8), the OCI container runtime.
# Container ids come from `hull list -q` (with the --root given on the command line, if any).

set -l hull_commands create start run exec kill delete state list ps pause resume update events spec features help
set -l id_commands start run exec kill delete state ps pause resume update events

function __hull_ids
    set -l tokens (commandline -opc)
    set -l root
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case --root -root
                set root --root $tokens[(math $i + 1)]
            case '--root=*' '-root=*'
                set root --root (string replace -r '^-?-root=' '' -- $tokens[$i])
        end
    end
    hull $root list -q 2>/dev/null
end

# True when the command line has a command but no operand after it yet.
function __hull_needs_id
    set -l tokens (commandline -opc)
    set -l seen_cmd 0
    set -l skip 0
    for t in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $t
            case --root -root --log -log --log-format -log-format --rootless -rootless --cgroup-manager -cgroup-manager
                test $seen_cmd = 0; and set skip 1
            case --bundle -b --console-socket --pid-file --pidfd-socket --preserve-fds --process -p --cwd --env -e \
                --user -u --additional-gids -g --cap -c --apparmor --process-label --cgroup --format -f --resources -r \
                --interval --blkio-weight --cpu-period --cpu-quota --cpu-share --cpu-rt-period --cpu-rt-runtime \
                --cpuset-cpus --cpuset-mems --memory --memory-reservation --memory-swap --pids-limit --cpu-burst \
                --cpu-idle --l3-cache-schema --mem-bw-schema
                test $seen_cmd = 1; and set skip 1
            case '-*'
            case '*'
                if test $seen_cmd = 0
                    set seen_cmd 1
                else
                    return 1
                end
        end
    end
    test $seen_cmd = 1
end

complete -c hull -f

# global options
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -l root -r -a '(__fish_complete_directories)' -d 'directory holding the containers state'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -l log -r -F -d 'append log messages to FILE'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -l log-format -x -a 'text json' -d 'log format'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -l debug -d 'also log debug messages'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -l systemd-cgroup -d 'manage cgroups through systemd'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -l rootless -x -a 'true false auto' -d 'rootless mode'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -l cgroup-manager -x -a 'cgroupfs systemd disabled' -d 'cgroup manager (crun spelling)'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -s v -l version -d 'print the version'
complete -c hull -s h -l help -d 'show help'

# commands
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a create -d 'create a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a start -d 'start the user process of a created container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a run -d 'create and start a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a exec -d 'execute a new process inside a running container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a kill -d "send a signal to the container's init process"
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a delete -d 'delete a container and the resources it holds'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a state -d 'print the state of a container as JSON'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a list -d 'list the containers under the state root'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a ps -d 'show the processes running inside a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a pause -d 'freeze every process of a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a resume -d 'thaw the processes of a paused container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a update -d 'update the resource limits of a container'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a events -d 'print container events and statistics'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a spec -d 'write a default config.json'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a features -d 'print the supported features as JSON'
complete -c hull -n "not __fish_seen_subcommand_from $hull_commands" -a help -d 'show the help of a command'
complete -c hull -n "__fish_seen_subcommand_from help" -a "$hull_commands"

# container ids (not for create/run, whose id is new)
complete -c hull -n "__fish_seen_subcommand_from start exec kill delete state ps pause resume update events; and __hull_needs_id" -a '(__hull_ids)' -d 'container'

# create, run
for c in create run
    complete -c hull -n "__fish_seen_subcommand_from $c" -s b -l bundle -r -a '(__fish_complete_directories)' -d 'bundle directory holding config.json'
    complete -c hull -n "__fish_seen_subcommand_from $c" -l console-socket -r -F -d 'AF_UNIX socket that receives the pty master'
    complete -c hull -n "__fish_seen_subcommand_from $c" -l pid-file -r -F -d 'write the pid of init to FILE'
    complete -c hull -n "__fish_seen_subcommand_from $c" -l pidfd-socket -r -F -d 'AF_UNIX socket that receives a pidfd of init'
    complete -c hull -n "__fish_seen_subcommand_from $c" -l no-pivot -d 'use chroot instead of pivot_root'
    complete -c hull -n "__fish_seen_subcommand_from $c" -l no-new-keyring -d 'do not create a session keyring'
    complete -c hull -n "__fish_seen_subcommand_from $c" -l preserve-fds -x -d 'pass N more fds from 3 on'
end
complete -c hull -n "__fish_seen_subcommand_from run" -s d -l detach -d 'exit once the process runs'
complete -c hull -n "__fish_seen_subcommand_from run" -l keep -d 'do not delete the container after it exits'
complete -c hull -n "__fish_seen_subcommand_from run" -l no-subreaper -d 'do not become a child subreaper'

# exec
complete -c hull -n "__fish_seen_subcommand_from exec" -s p -l process -r -F -d 'JSON file with the process to run'
complete -c hull -n "__fish_seen_subcommand_from exec" -l console-socket -r -F -d 'AF_UNIX socket that receives the pty master'
complete -c hull -n "__fish_seen_subcommand_from exec" -l pidfd-socket -r -F -d 'AF_UNIX socket that receives a pidfd'
complete -c hull -n "__fish_seen_subcommand_from exec" -s t -l tty -d 'give the process a pseudo-terminal'
complete -c hull -n "__fish_seen_subcommand_from exec" -l cwd -x -d 'working directory inside the container'
complete -c hull -n "__fish_seen_subcommand_from exec" -s e -l env -x -d 'set an environment variable KEY=VALUE'
complete -c hull -n "__fish_seen_subcommand_from exec" -s u -l user -x -d 'numeric UID[:GID]'
complete -c hull -n "__fish_seen_subcommand_from exec" -s g -l additional-gids -x -d 'an additional group id'
complete -c hull -n "__fish_seen_subcommand_from exec" -s c -l cap -x -d 'add a capability'
complete -c hull -n "__fish_seen_subcommand_from exec" -l no-new-privs -d 'set no_new_privs'
complete -c hull -n "__fish_seen_subcommand_from exec" -l apparmor -x -d 'AppArmor profile'
complete -c hull -n "__fish_seen_subcommand_from exec" -l process-label -x -d 'SELinux label'
complete -c hull -n "__fish_seen_subcommand_from exec" -s d -l detach -d 'exit once the process runs'
complete -c hull -n "__fish_seen_subcommand_from exec" -l pid-file -r -F -d 'write the pid of the process to FILE'
complete -c hull -n "__fish_seen_subcommand_from exec" -l preserve-fds -x -d 'pass N more fds from 3 on'
complete -c hull -n "__fish_seen_subcommand_from exec" -l cgroup -x -d 'sub-cgroup [CTRL:]PATH to run in'
complete -c hull -n "__fish_seen_subcommand_from exec" -l ignore-paused -d 'allow exec in a paused container'

# kill, delete, list, ps
complete -c hull -n "__fish_seen_subcommand_from kill" -s a -l all -d 'signal every process in the cgroup'
set -l hull_signals HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS
complete -c hull -n "__fish_seen_subcommand_from kill; and not __hull_needs_id" -a (string join ' ' -- $hull_signals SIG$hull_signals) -d signal
complete -c hull -n "__fish_seen_subcommand_from delete" -s f -l force -d 'kill the container first if it runs'
complete -c hull -n "__fish_seen_subcommand_from list ps" -s f -l format -x -a 'table json' -d 'output format'
complete -c hull -n "__fish_seen_subcommand_from list" -s q -l quiet -d 'print only the container ids'

# update
complete -c hull -n "__fish_seen_subcommand_from update" -s r -l resources -r -F -d 'linux.resources JSON file, - for stdin'
for o in blkio-weight cpu-period cpu-quota cpu-share cpu-rt-period cpu-rt-runtime cpuset-cpus cpuset-mems memory memory-reservation memory-swap pids-limit cpu-burst cpu-idle l3-cache-schema mem-bw-schema
    complete -c hull -n "__fish_seen_subcommand_from update" -l $o -x
end

# events, spec
complete -c hull -n "__fish_seen_subcommand_from events" -l interval -x -d 'time between stats events (5s, 500ms)'
complete -c hull -n "__fish_seen_subcommand_from events" -l stats -d 'print the statistics once and exit'
complete -c hull -n "__fish_seen_subcommand_from spec" -s b -l bundle -r -a '(__fish_complete_directories)' -d 'directory to write config.json in'
complete -c hull -n "__fish_seen_subcommand_from spec" -l rootless -d 'configuration for a rootless container'
