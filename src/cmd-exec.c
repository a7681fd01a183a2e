/* SPDX-License-Identifier: Apache-2.0 */
/* hull exec [options] <container-id> <command> [args...] */
#include <errno.h>
#include <string.h>
#include "cleanup.h"
#include "cli.h"
#include "util.h"

enum
{
  OPT_CWD = OPT_PRIVATE,
  OPT_NO_NEW_PRIVS,
  OPT_APPARMOR,
  OPT_PROCESS_LABEL,
  OPT_CGROUP,
  OPT_IGNORE_PAUSED,
};

static const struct cli_option options[] = {
  { "process", 'p', CLI_VALUE, 'p', "FILE", "JSON file with the process to run (config.json's process object)" },
  { "console-socket", 0, CLI_VALUE, OPT_CONSOLE_SOCKET, "PATH",
    "AF_UNIX socket that receives the master fd of the process's pty (with --tty and --detach)" },
  { "pidfd-socket", 0, CLI_VALUE, OPT_PIDFD_SOCKET, "PATH", "AF_UNIX socket that receives a pidfd of the process" },
  { "tty", 't', CLI_FLAG, 't', NULL, "give the process a pseudo-terminal (--tty=false: none)" },
  { "cwd", 0, CLI_VALUE, OPT_CWD, "DIR", "working directory of the process, inside the container" },
  { "env", 'e', CLI_VALUE, 'e', "KEY=VALUE", "set an environment variable (repeatable; overrides the config's)" },
  { "user", 'u', CLI_VALUE, 'u', "UID[:GID]", "numeric user (and group) id to run as" },
  { "additional-gids", 'g', CLI_VALUE, 'g', "GID", "an additional group id (repeatable)" },
  { "cap", 'c', CLI_VALUE, 'c', "CAP", "add a capability (e.g. CAP_NET_ADMIN) to every set (repeatable)" },
  { "no-new-privs", 0, CLI_FLAG, OPT_NO_NEW_PRIVS, NULL, "set no_new_privs for the process" },
  { "apparmor", 0, CLI_VALUE, OPT_APPARMOR, "PROFILE", "AppArmor profile for the process" },
  { "process-label", 0, CLI_VALUE, OPT_PROCESS_LABEL, "LABEL", "SELinux label for the process" },
  { "detach", 'd', CLI_FLAG, 'd', NULL, "do not wait for the process: exit 0 once it runs" },
  { "pid-file", 0, CLI_VALUE, OPT_PID_FILE, "FILE", "write the pid of the process to FILE" },
  { "preserve-fds", 0, CLI_VALUE, OPT_PRESERVE_FDS, "N", "pass N more fds (from 3) to the process (default: 0)" },
  { "cgroup", 0, CLI_VALUE, OPT_CGROUP, "[CTRL:]PATH",
    "run in this sub-cgroup of the container (per controller with CTRL:, repeatable)" },
  { "ignore-paused", 0, CLI_FLAG, OPT_IGNORE_PAUSED, NULL, "allow exec in a paused container" },
  { NULL },
};

static const struct cli_command_info info = {
  .name = "exec",
  .summary = "execute a new process inside a running container",
  .args_usage = "<container-id> <command> [command options]",
  .description = "Runs <command> (or the process in --process FILE) in the namespaces and cgroup of the\n"
                 "container, with its capabilities, rlimits, seccomp filter and LSM labels unless the\n"
                 "options above change them.  Options after <container-id> belong to <command>.  In the\n"
                 "foreground hull forwards signals and exits with the process's status (128+N when killed\n"
                 "by signal N); when hull itself fails it exits 255.\n\n"
                 "EXAMPLE:\n"
                 "       # hull exec web ps aux\n"
                 "       # hull exec -t -e TERM=xterm web /bin/sh\n"
                 "       # hull exec --detach --process /tmp/proc.json --pid-file /run/e1.pid web",
  .options = options,
  .stop_at_operand = true,
};

static int
parse_id (const char *what, const char *s, uint32_t *ret, struct hull_error *err)
{
  uint64_t v;
  if (parse_u64 (s, 10, &v) < 0 || v > UINT32_MAX - 1)
    return hull_errx (err, EINVAL, "invalid %s \"%s\": expected a number", what, s);
  *ret = (uint32_t) v;
  return 0;
}

static int
parse_user (const char *s, struct hull_exec_opts *o, struct hull_error *err)
{
  _cleanup_free_ char *copy = xstrdup (s);
  char *colon = strchr (copy, ':');
  int r;

  if (colon)
    {
      *colon = '\0';
      if ((r = parse_id ("gid", colon + 1, &o->gid, err)) < 0)
        return r;
      o->has_gid = true;
    }
  if ((r = parse_id ("uid", copy, &o->uid, err)) < 0)
    return r;
  o->has_user = true;
  return 0;
}

int
cmd_exec (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  struct hull_exec_opts o = { 0 };
  _cleanup_strv_ char **env = NULL, **caps = NULL, **cgroups = NULL;
  _cleanup_free_ uint32_t *gids = NULL;
  struct cli_parser p;
  const char *arg;
  int c = 0, r = 0, status = 0;

  cli_parser_init (&p, &info, argc, argv);
  while (r >= 0 && (c = cli_next (&p, &arg, err)) > 0)
    switch (c)
      {
      case 'h':
        return cli_help (&info);
      case 'p': o.process_path = arg; break;
      case OPT_CONSOLE_SOCKET: o.console_socket = arg; break;
      case OPT_PIDFD_SOCKET: o.pidfd_socket = arg; break;
      case 't': o.tty = p.flag, o.has_tty = true; break;
      case OPT_CWD: o.cwd = arg; break;
      case 'e': strv_append (&env, arg); break;
      case 'u': r = parse_user (arg, &o, err); break;
      case 'g':
        gids = xrealloc (gids, sizeof *gids * (o.n_additional_gids + 1));
        r = parse_id ("additional gid", arg, &gids[o.n_additional_gids++], err);
        break;
      case 'c': strv_append (&caps, arg); break;
      case OPT_NO_NEW_PRIVS: o.no_new_privs = p.flag; break;
      case OPT_APPARMOR: o.apparmor = arg; break;
      case OPT_PROCESS_LABEL: o.process_label = arg; break;
      case 'd': o.detach = p.flag; break;
      case OPT_PID_FILE: o.pid_file = arg; break;
      case OPT_PRESERVE_FDS: r = cli_parse_uint ("preserve-fds", arg, &o.preserve_fds, err); break;
      case OPT_CGROUP: strv_append (&cgroups, arg); break;
      case OPT_IGNORE_PAUSED: o.ignore_paused = p.flag; break;
      default: break;
      }
  if (r < 0)
    return r;
  if (c < 0)
    return c;
  if ((r = cli_check_args (&info, argc - p.optind, 1, -1, err)) < 0 || (r = cli_id (argv[p.optind], err)) < 0)
    return r;
  if (!o.process_path && argc - p.optind < 2)
    return hull_errx (err, EINVAL, "\"exec\" needs a command after <container-id>, or --process FILE");
  o.id = argv[p.optind];
  o.args = o.process_path ? NULL : argv + p.optind + 1;
  o.env = env, o.caps = caps, o.cgroups = cgroups, o.additional_gids = gids;
  cli_error_status = 255; /* runc's status when the exec itself fails */
  r = hull_container_exec (&g->ctx, &o, &status, err);
  if (r < 0)
    return r;
  return o.detach ? 0 : status;
}
