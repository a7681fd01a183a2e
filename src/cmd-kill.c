/* SPDX-License-Identifier: Apache-2.0 */
/* hull kill [--all] <container-id> [signal] */
#include <errno.h>
#include "cli.h"

static const struct cli_option options[] = {
  { "all", 'a', CLI_FLAG, 'a', NULL,
    "signal every process in the container's cgroup; succeeds on a stopped container too" },
  { NULL },
};

static const struct cli_command_info info = {
  .name = "kill",
  .summary = "send a signal (default: SIGTERM) to the container's init process",
  .args_usage = "<container-id> [signal]",
  .description = "[signal] is a number (9), a name (KILL), a name with the SIG prefix (SIGKILL, any case), or\n"
                 "RTMIN+N / RTMAX-N.  The default is SIGTERM.\n\n"
                 "EXAMPLE:\n"
                 "       # hull kill web KILL\n"
                 "       # hull kill --all web 9",
  .options = options,
};

int
cmd_kill (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  struct hull_kill_opts opts = { .signal = 15 };
  struct cli_parser p;
  const char *arg;
  int c, r, n;

  cli_parser_init (&p, &info, argc, argv);
  while ((c = cli_next (&p, &arg, err)) > 0)
    {
      if (c == 'h')
        return cli_help (&info);
      if (c == 'a')
        opts.all = p.flag;
    }
  if (c < 0)
    return c;
  n = argc - p.optind;
  if ((r = cli_check_args (&info, n, 1, 2, err)) < 0 || (r = cli_id (argv[p.optind], err)) < 0)
    return r;
  if (n == 2)
    {
      opts.signal = hull_signal_parse (argv[p.optind + 1]);
      if (opts.signal < 0)
        return hull_errx (err, EINVAL, "unknown signal \"%s\"", argv[p.optind + 1]);
    }
  r = hull_container_kill (&g->ctx, argv[p.optind], &opts, err);
  return r < 0 ? r : 0;
}
