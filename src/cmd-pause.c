/* SPDX-License-Identifier: Apache-2.0 */
/* hull pause <container-id>, hull resume <container-id> */
#include "cli.h"

static const struct cli_option options[] = {
  { NULL },
};

static const struct cli_command_info pause_info = {
  .name = "pause",
  .summary = "freeze every process of a container",
  .args_usage = "<container-id>",
  .description = "Freezes all processes of a running container with the cgroup freezer; its status becomes\n"
                 "\"paused\" until 'hull resume'.\n\n"
                 "EXAMPLE:\n"
                 "       # hull pause web",
  .options = options,
};

static const struct cli_command_info resume_info = {
  .name = "resume",
  .summary = "thaw the processes of a paused container",
  .args_usage = "<container-id>",
  .description = "Thaws the processes that 'hull pause' froze; the status returns to \"running\".\n\n"
                 "EXAMPLE:\n"
                 "       # hull resume web",
  .options = options,
};

static int
pause_or_resume (const struct cli_command_info *info, const struct hull_global_opts *g, int argc, char **argv,
                 struct hull_error *err)
{
  struct cli_parser p;
  const char *arg;
  int c, r;

  cli_parser_init (&p, info, argc, argv);
  while ((c = cli_next (&p, &arg, err)) > 0)
    if (c == 'h')
      return cli_help (info);
  if (c < 0)
    return c;
  if ((r = cli_check_args (info, argc - p.optind, 1, 1, err)) < 0 || (r = cli_id (argv[p.optind], err)) < 0)
    return r;
  if (info == &pause_info)
    r = hull_container_pause (&g->ctx, argv[p.optind], err);
  else
    r = hull_container_resume (&g->ctx, argv[p.optind], err);
  return r < 0 ? r : 0;
}

int
cmd_pause (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  return pause_or_resume (&pause_info, g, argc, argv, err);
}

int
cmd_resume (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  return pause_or_resume (&resume_info, g, argc, argv, err);
}
