# bash completion for hull(8), the OCI container runtime.
# Container ids come from `hull list -q` (with the --root given on the command line, if any).

_hull_ids()
{
    local root=()
    [[ -n $1 ]] && root=(--root "$1")
    hull "${root[@]}" list -q 2>/dev/null
}

_hull()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    local commands="create start run exec kill delete state list ps pause resume update events spec features help"
    local global_flags="--root --log --log-format --debug --systemd-cgroup --rootless --cgroup-manager --version -v --help -h"
    local i cmd="" cmd_index=0 root=""

    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            --root=*|-root=*) root=${COMP_WORDS[i]#*=} ;;
            --root|-root) root=${COMP_WORDS[i+1]}; ((i++)) ;;
            --log|-log|--log-format|-log-format|--rootless|-rootless|--cgroup-manager|-cgroup-manager) ((i++)) ;;
            -*) ;;
            *) cmd=${COMP_WORDS[i]}; cmd_index=$i; break ;;
        esac
    done

    if [[ -z $cmd ]]; then
        case $prev in
            --root|-root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
            --log|-log) COMPREPLY=($(compgen -f -- "$cur")); return ;;
            --log-format|-log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
            --rootless|-rootless) COMPREPLY=($(compgen -W "true false auto" -- "$cur")); return ;;
            --cgroup-manager|-cgroup-manager) COMPREPLY=($(compgen -W "cgroupfs systemd disabled" -- "$cur")); return ;;
        esac
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$global_flags" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        fi
        return
    fi

    local flags="" value_flags="" nargs_max=1
    case $cmd in
        create|run)
            flags="--bundle -b --console-socket --pid-file --pidfd-socket --no-pivot --no-new-keyring --preserve-fds"
            value_flags="bundle b console-socket pid-file pidfd-socket preserve-fds"
            [[ $cmd == run ]] && flags+=" --detach -d --keep --no-subreaper" ;;
        exec)
            flags="--process -p --console-socket --pidfd-socket --tty -t --cwd --env -e --user -u --additional-gids -g
                   --cap -c --no-new-privs --apparmor --process-label --detach -d --pid-file --preserve-fds --cgroup
                   --ignore-paused"
            value_flags="process p console-socket pidfd-socket cwd env e user u additional-gids g cap c apparmor process-label pid-file preserve-fds cgroup" ;;
        kill) flags="--all -a"; nargs_max=2 ;;
        delete) flags="--force -f" ;;
        list) flags="--format -f --quiet -q"; value_flags="format f"; nargs_max=0 ;;
        ps) flags="--format -f"; value_flags="format f" ;;
        update)
            flags="--resources -r --blkio-weight --cpu-period --cpu-quota --cpu-share --cpu-rt-period --cpu-rt-runtime
                   --cpuset-cpus --cpuset-mems --memory --memory-reservation --memory-swap --pids-limit --cpu-burst
                   --cpu-idle --l3-cache-schema --mem-bw-schema"
            value_flags="resources r blkio-weight cpu-period cpu-quota cpu-share cpu-rt-period cpu-rt-runtime cpuset-cpus cpuset-mems memory memory-reservation memory-swap pids-limit cpu-burst cpu-idle l3-cache-schema mem-bw-schema" ;;
        events) flags="--interval --stats"; value_flags="interval" ;;
        spec) flags="--bundle -b --rootless"; value_flags="bundle b"; nargs_max=0 ;;
        features) nargs_max=0 ;;
        help) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
        start|state|pause|resume) ;;
        *) return ;;
    esac
    flags+=" --help -h"

    # The value of an option (-flag and --flag alike).
    local p=${prev#-}; p=${p#-}
    if [[ $prev == -* && " $value_flags " == *" $p "* ]]; then
        case $p in
            bundle|b) COMPREPLY=($(compgen -d -- "$cur")) ;;
            format|f) COMPREPLY=($(compgen -W "table json" -- "$cur")) ;;
            process|p|resources|r|pid-file|console-socket|pidfd-socket) COMPREPLY=($(compgen -f -- "$cur")) ;;
            cap|c) COMPREPLY=($(compgen -W "$(sed -n 's/^#define \(CAP_[A-Z_]*\).*/\1/p' /usr/include/linux/capability.h 2>/dev/null | grep -v CAP_LAST)" -- "$cur")) ;;
        esac
        return
    fi

    # Operands seen so far (ids, signals, commands for exec), skipping options and their values.
    local operands=0
    for ((i = cmd_index + 1; i < COMP_CWORD; i++)); do
        local w=${COMP_WORDS[i]} q
        if [[ $w == -* ]]; then
            q=${w#-}; q=${q#-}
            [[ $operands -eq 0 && $w != *=* && " $value_flags " == *" $q "* ]] && ((i++))
            [[ $operands -gt 0 && ( $cmd == exec || $cmd == ps ) ]] && ((operands++))
            continue
        fi
        ((operands++))
    done

    if [[ $cur == -* && ! ( $operands -gt 0 && ( $cmd == exec || $cmd == ps ) ) ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
        return
    fi
    if ((operands == 0 && nargs_max > 0)); then
        COMPREPLY=($(compgen -W "$(_hull_ids "$root")" -- "$cur"))
    elif [[ $cmd == kill && operands -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$(kill -l | tr -s ' \t' '\n' | sed -n 's/^SIG//p') $(kill -l | tr -s ' \t' '\n' | grep '^SIG')" -- "${cur}"))
    elif [[ $cmd == exec && operands -eq 1 ]]; then
        COMPREPLY=($(compgen -c -- "$cur"))
    elif [[ $cmd == exec ]]; then
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

complete -F _hull hull
