/* SPDX-License-Identifier: Apache-2.0 */
/* hull delete [--force] <container-id> */
#include "cli.h"

static const struct cli_option options[] = {
  { "force", 'f', CLI_FLAG, 'f', NULL, "delete the container even if it is running or paused: kill it with SIGKILL first" },
  { NULL },
};

static const struct cli_command_info info = {
  .name = "delete",
  .summary = "delete a container and the resources it holds",
  .args_usage = "<container-id>",
  .description = "Deletes a stopped (or created) container: its cgroup, its state directory and whatever else\n"
                 "hull holds for it, then runs the poststop hooks.  A running or paused container is refused\n"
                 "unless --force is given.\n\n"
                 "EXAMPLE:\n"
                 "       # hull delete web\n"
                 "       # hull delete --force web",
  .options = options,
};

int
cmd_delete (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  struct cli_parser p;
  const char *arg;
  bool force = false;
  int c, r;

  cli_parser_init (&p, &info, argc, argv);
  while ((c = cli_next (&p, &arg, err)) > 0)
    {
      if (c == 'h')
        return cli_help (&info);
      if (c == 'f')
        force = p.flag;
    }
  if (c < 0)
    return c;
  if ((r = cli_check_args (&info, argc - p.optind, 1, 1, err)) < 0 || (r = cli_id (argv[p.optind], err)) < 0)
    return r;
  r = hull_container_delete (&g->ctx, argv[p.optind], force, err);
  return r < 0 ? r : 0;
}
