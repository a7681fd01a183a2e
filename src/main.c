/* SPDX-License-Identifier: Apache-2.0 */
/* hull: global options, the command table, dispatch, and the one place that prints the final error. */
#include <errno.h>
#include <getopt.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cleanup.h"
#include "cli.h"
#include "config.h"
#include "exe-seal.h"
#include "util.h"

const struct hull_command hull_commands[] = {
  { "create", cmd_create, "create a container" },
  { "start", cmd_start, "start the user process of a created container" },
  { "run", cmd_run, "create and start a container" },
  { "exec", cmd_exec, "execute a new process inside a running container" },
  { "kill", cmd_kill, "send a signal (default: SIGTERM) to the container's init process" },
  { "delete", cmd_delete, "delete a container and the resources it holds" },
  { "state", cmd_state, "print the state of a container as JSON" },
  { "list", cmd_list, "list the containers under the state root" },
  { "ps", cmd_ps, "show the processes running inside a container" },
  { "pause", cmd_pause, "freeze every process of a container" },
  { "resume", cmd_resume, "thaw the processes of a paused container" },
  { "update", cmd_update, "update the resource limits of a container" },
  { "events", cmd_events, "print container events and resource usage statistics" },
  { "spec", cmd_spec, "write a default config.json" },
  { "features", cmd_features, "print the features this runtime supports as JSON" },
  { "help", cmd_help, "show the list of commands or the help of one command" },
};
const unsigned hull_n_commands = ELEMENTSOF (hull_commands);

const struct hull_command *
hull_command_find (const char *name)
{
  for (size_t i = 0; i < ELEMENTSOF (hull_commands); i++)
    if (strcmp (hull_commands[i].name, name) == 0)
      return &hull_commands[i];
  return NULL;
}

enum
{
  OPT_ROOT = 256,
  OPT_LOG,
  OPT_LOG_FORMAT,
  OPT_DEBUG,
  OPT_SYSTEMD_CGROUP,
  OPT_ROOTLESS,
  OPT_CGROUP_MANAGER,
};

static const struct
{
  const char *left, *help;
} global_help[] = {
  { "--root DIR", "directory holding the containers' state (default: %s)" },
  { "--log FILE", "append log messages and the final error to FILE (default: stderr)" },
  { "--log-format FORMAT", "text or json (one {\"level\",\"msg\",\"time\"} object per line); default: text" },
  { "--debug", "also log debug messages" },
  { "--systemd-cgroup", "manage cgroups through systemd (cgroupsPath is slice:prefix:name)" },
  { "--rootless MODE", "true, false or auto (default: auto: rootless when not running as root)" },
  { "--cgroup-manager MANAGER", "crun's flag: systemd (= --systemd-cgroup), cgroupfs, or disabled (ignored)" },
  { "--version, -v", "print the version" },
  { "--help, -h", "show help" },
};

void
hull_print_usage (void)
{
  _cleanup_free_ char *root = hull_default_root ();

  printf ("NAME:\n   hull - Open Container Initiative runtime\n\n"
          "USAGE:\n   hull [global options] command [command options] [arguments...]\n\n"
          "hull runs containers that follow the OCI runtime specification %s: a bundle directory holds\n"
          "config.json and the root filesystem; the container id names the instance under the state root.\n\n"
          "VERSION:\n   %s\n\nCOMMANDS:\n",
          HULL_OCI_VERSION, HULL_VERSION);
  for (size_t i = 0; i < ELEMENTSOF (hull_commands); i++)
    printf ("   %-10s %s\n", hull_commands[i].name, hull_commands[i].summary);
  printf ("\nGLOBAL OPTIONS:\n");
  for (size_t i = 0; i < ELEMENTSOF (global_help); i++)
    {
      printf ("   %-26s ", global_help[i].left);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      printf (global_help[i].help, root);
#pragma GCC diagnostic pop
      putchar ('\n');
    }
  printf ("\nRun 'hull help COMMAND' or 'hull COMMAND --help' for the options of a command.\n");
}

static void
print_version (void)
{
  const struct scmp_version *v = seccomp_version ();

  printf ("hull version %s\n", HULL_VERSION);
  printf ("commit: %s\n", HULL_COMMIT);
  printf ("spec: %s\n", HULL_OCI_VERSION);
  if (v)
    printf ("libseccomp: %u.%u.%u\n", v->major, v->minor, v->micro);
}

static const struct option global_options[] = {
  { "root", required_argument, NULL, OPT_ROOT },
  { "log", required_argument, NULL, OPT_LOG },
  { "log-format", required_argument, NULL, OPT_LOG_FORMAT },
  { "debug", optional_argument, NULL, OPT_DEBUG },
  { "systemd-cgroup", optional_argument, NULL, OPT_SYSTEMD_CGROUP },
  { "rootless", required_argument, NULL, OPT_ROOTLESS },
  { "cgroup-manager", required_argument, NULL, OPT_CGROUP_MANAGER },
  { "version", no_argument, NULL, 'v' },
  { "help", no_argument, NULL, 'h' },
  { NULL, 0, NULL, 0 },
};

/* Returns 1 when the command should run, 0 to exit successfully (--version, --help), < 0 on error. */
static int
parse_global (int argc, char **argv, struct hull_global_opts *g, struct hull_error *err)
{
  int c;
  bool b;

  optind = 0;
  opterr = 0;
  while ((c = getopt_long_only (argc, argv, "+:vh", global_options, NULL)) != -1)
    switch (c)
      {
      case OPT_ROOT:
        g->ctx.root = optarg;
        break;
      case OPT_LOG:
        g->log_path = optarg;
        break;
      case OPT_LOG_FORMAT:
        if (strcmp (optarg, "text") == 0)
          g->log_format = HULL_LOG_TEXT;
        else if (strcmp (optarg, "json") == 0)
          g->log_format = HULL_LOG_JSON;
        else
          return hull_errx (err, EINVAL, "unknown log-format \"%s\"", optarg);
        break;
      case OPT_DEBUG:
      case OPT_SYSTEMD_CGROUP:
        b = true;
        if (optarg && cli_parse_bool (c == OPT_DEBUG ? "debug" : "systemd-cgroup", optarg, &b, err) < 0)
          return -EINVAL;
        *(c == OPT_DEBUG ? &g->ctx.debug : &g->ctx.systemd_cgroup) = b;
        break;
      case OPT_ROOTLESS:
        if (strcmp (optarg, "auto") == 0)
          g->ctx.rootless = -1;
        else if (cli_parse_bool ("rootless", optarg, &b, err) == 0)
          g->ctx.rootless = b;
        else
          return hull_errx (err, EINVAL, "invalid value \"%s\" for --rootless: expected true, false or auto", optarg);
        break;
      case OPT_CGROUP_MANAGER:
        if (strcmp (optarg, "systemd") != 0 && strcmp (optarg, "cgroupfs") != 0 && strcmp (optarg, "disabled") != 0)
          return hull_errx (err, EINVAL, "unknown cgroup manager \"%s\"", optarg);
        g->cgroup_manager = optarg;
        g->ctx.systemd_cgroup = strcmp (optarg, "systemd") == 0;
        break;
      case 'v':
        print_version ();
        return 0;
      case 'h':
        hull_print_usage ();
        return 0;
      case ':':
        return hull_errx (err, EINVAL, "option '%s' requires an argument", argv[optind - 1]);
      default:
        return hull_errx (err, EINVAL, "unknown global option '%s' (see 'hull --help')", argv[optind - 1]);
      }
  return 1;
}

static void
print_error (const struct hull_error *err)
{
  char text[HULL_ERR_MSG_MAX + 256];

  hull_err_text (err, text, sizeof text);
  hull_log (HULL_LOG_ERROR, "%s", text);
  if (!hull_log_is_stderr ())
    fprintf (stderr, "hull: %s\n", text);
}

int
main (int argc, char **argv)
{
  struct hull_global_opts g = { .ctx = { .rootless = -1 }, .log_format = HULL_LOG_TEXT };
  struct hull_error err = { 0 };
  _cleanup_free_ char *default_root = NULL;
  const struct hull_command *cmd;
  int r;

  r = parse_global (argc, argv, &g, &err);
  if (r <= 0)
    {
      if (r < 0)
        print_error (&err);
      return r < 0 ? 1 : 0;
    }
  r = hull_log_init (g.log_path, g.log_format, g.ctx.debug);
  if (r < 0)
    {
      fprintf (stderr, "hull: open log file `%s`: %s\n", g.log_path, strerror (-r));
      return 1;
    }
  if (g.cgroup_manager && strcmp (g.cgroup_manager, "disabled") == 0)
    hull_warn ("--cgroup-manager=disabled is not supported, ignoring");
  if (!g.ctx.root)
    g.ctx.root = default_root = hull_default_root ();

  if (optind >= argc)
    {
      hull_print_usage ();
      return 0;
    }
  cmd = hull_command_find (argv[optind]);
  if (!cmd)
    {
      hull_errx (&err, EINVAL, "unknown command \"%s\" (see 'hull --help')", argv[optind]);
      print_error (&err);
      return 1;
    }
  /* commands that put a hull process inside a container run from a read-only copy of the binary */
  if (!strcmp (cmd->name, "create") || !strcmp (cmd->name, "run") || !strcmp (cmd->name, "exec"))
    {
      r = exe_seal_ensure (argv, &err);
      if (r < 0)
        {
          print_error (&err);
          return 1;
        }
      /* before hull changes any disposition: which signals the caller left ignored */
      signals_snapshot ();
    }
  r = cmd->fn (&g, argc - optind, argv + optind, &err);
  fflush (stdout);
  if (r < 0)
    {
      print_error (&err);
      return cli_error_status;
    }
  return r;
}
