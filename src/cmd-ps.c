/* SPDX-License-Identifier: Apache-2.0 */
/* hull ps [--format table|json] <container-id> [ps options] */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "util.h"

extern char **environ;

static const struct cli_option options[] = {
  { "format", 'f', CLI_VALUE, 'f', "table|json", "output format (default: table)" },
  { NULL },
};

static const struct cli_command_info info = {
  .name = "ps",
  .summary = "show the processes running inside a container",
  .args_usage = "<container-id> [ps options]",
  .description = "The json format prints the host pids of the container's processes as a JSON array ([] when\n"
                 "there is none).  The table format runs the host's ps(1) with [ps options] (default: -ef)\n"
                 "and prints its header and the lines whose PID column holds one of those pids.  Options after\n"
                 "<container-id> are passed to ps.\n\n"
                 "EXAMPLE:\n"
                 "       # hull ps web\n"
                 "       # hull ps web -o pid,user,rss,args\n"
                 "       # hull ps --format json web",
  .options = options,
  .stop_at_operand = true,
};

/* Run ps(1) with args, returning its stdout and stderr together (as runc does). */
static int
run_ps (char **args, char **ret_out, struct hull_error *err)
{
  _cleanup_free_ char *out = NULL;
  posix_spawn_file_actions_t fa;
  size_t len = 0, cap = 0;
  int fds[2], status, r;
  pid_t pid;

  if (pipe2 (fds, O_CLOEXEC) < 0)
    return hull_err (err, errno, "pipe");
  posix_spawn_file_actions_init (&fa);
  posix_spawn_file_actions_adddup2 (&fa, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2 (&fa, fds[1], STDERR_FILENO);
  r = posix_spawnp (&pid, "ps", &fa, NULL, args, environ);
  posix_spawn_file_actions_destroy (&fa);
  close (fds[1]);
  if (r != 0)
    {
      close (fds[0]);
      return hull_err (err, r, "exec `ps`");
    }
  for (;;)
    {
      if (cap - len < 4096)
        out = xrealloc (out, cap = cap ? cap * 2 : 16384);
      ssize_t n = read (fds[0], out + len, cap - len - 1);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      len += (size_t) n;
    }
  out[len] = '\0';
  close (fds[0]);
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return hull_err (err, errno, "wait for `ps`");
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return hull_errx (err, EIO, "`ps` failed (status %d): %s", WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status), out);
  *ret_out = TAKE_PTR (out);
  return 0;
}

static int
print_table (const pid_t *pids, size_t n, char **ps_args, struct hull_error *err)
{
  _cleanup_free_ char *out = NULL;
  char *line, *save = NULL;
  int pid_col = -1, r;

  r = run_ps (ps_args, &out, err);
  if (r < 0)
    return r;
  line = strtok_r (out, "\n", &save);
  if (!line)
    return hull_errx (err, EIO, "couldn't find PID field in ps output");
  printf ("%s\n", line);
  {
    _cleanup_free_ char *hdr = xstrdup (line);
    char *s2 = NULL;
    int i = 0;
    for (char *f = strtok_r (hdr, " \t", &s2); f; f = strtok_r (NULL, " \t", &s2), i++)
      if (strcmp (f, "PID") == 0)
        {
          pid_col = i;
          break;
        }
  }
  if (pid_col < 0)
    return hull_errx (err, EIO, "couldn't find PID field in ps output");
  while ((line = strtok_r (NULL, "\n", &save)))
    {
      _cleanup_free_ char *copy = xstrdup (line);
      char *s2 = NULL, *f = strtok_r (copy, " \t", &s2);
      int64_t v;
      for (int i = 0; f && i < pid_col; i++)
        f = strtok_r (NULL, " \t", &s2);
      if (!f || parse_i64 (f, 10, &v) < 0)
        return hull_errx (err, EIO, "unable to parse pid \"%s\" in ps output", f ? f : "");
      for (size_t k = 0; k < n; k++)
        if (pids[k] == v)
          {
            printf ("%s\n", line);
            break;
          }
    }
  return 0;
}

int
cmd_ps (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  enum cli_format format = CLI_FORMAT_TABLE;
  _cleanup_free_ pid_t *pids = NULL;
  _cleanup_free_ char **ps_args = NULL;
  struct cli_parser p;
  const char *arg;
  size_t n = 0;
  int c, r, nargs;
  char ps_name[] = "ps", ps_default[] = "-ef";

  cli_parser_init (&p, &info, argc, argv);
  while ((c = cli_next (&p, &arg, err)) > 0)
    {
      if (c == 'h')
        return cli_help (&info);
      if (c == 'f' && (r = cli_parse_format (arg, &format, err)) < 0)
        return r;
    }
  if (c < 0)
    return c;
  nargs = argc - p.optind;
  if ((r = cli_check_args (&info, nargs, 1, -1, err)) < 0 || (r = cli_id (argv[p.optind], err)) < 0)
    return r;
  r = hull_container_pids (&g->ctx, argv[p.optind], &pids, &n, err);
  if (r < 0)
    return r;
  if (format == CLI_FORMAT_JSON)
    {
      printf ("[");
      for (size_t i = 0; i < n; i++)
        printf ("%s%d", i ? "," : "", (int) pids[i]);
      printf ("]\n");
      return 0;
    }
  ps_args = xzalloc (sizeof (char *) * (size_t) (nargs + 2));
  ps_args[0] = ps_name;
  if (nargs == 1)
    ps_args[1] = ps_default;
  else
    for (int i = 1; i < nargs; i++)
      ps_args[i] = argv[p.optind + i];
  return print_table (pids, n, ps_args, err);
}
