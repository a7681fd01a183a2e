/* SPDX-License-Identifier: Apache-2.0 */
/* hull start <container-id> */
#include "cli.h"

static const struct cli_option options[] = {
  { NULL },
};

static const struct cli_command_info info = {
  .name = "start",
  .summary = "start the user process of a created container",
  .args_usage = "<container-id>",
  .description = "Lets the init process of a container in the \"created\" state execute process.args, runs the\n"
                 "startContainer and poststart hooks, and returns; the container is then \"running\".\n\n"
                 "EXAMPLE:\n"
                 "       # hull create web && hull start web",
  .options = options,
};

int
cmd_start (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  struct cli_parser p;
  const char *arg;
  int c, r;

  cli_parser_init (&p, &info, argc, argv);
  while ((c = cli_next (&p, &arg, err)) > 0)
    if (c == 'h')
      return cli_help (&info);
  if (c < 0)
    return c;
  if ((r = cli_check_args (&info, argc - p.optind, 1, 1, err)) < 0 || (r = cli_id (argv[p.optind], err)) < 0)
    return r;
  r = hull_container_start (&g->ctx, argv[p.optind], err);
  return r < 0 ? r : 0;
}
