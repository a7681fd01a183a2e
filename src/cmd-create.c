/* SPDX-License-Identifier: Apache-2.0 */
/* hull create [options] <container-id> */
#include "cli.h"

static const struct cli_option options[] = {
  CLI_CREATE_OPTIONS,
  { NULL },
};

static const struct cli_command_info info = {
  .name = "create",
  .summary = "create a container",
  .args_usage = "<container-id>",
  .description = "Sets up the container described by <bundle>/config.json: namespaces, cgroup, root filesystem\n"
                 "and the createRuntime/createContainer hooks.  Its init process then waits in the \"created\"\n"
                 "state until 'hull start <container-id>' lets it execute process.args.  <container-id> is your\n"
                 "name for the instance and must be unique under the state root (--root).\n\n"
                 "EXAMPLE:\n"
                 "       # hull create --bundle /containers/web --pid-file /run/web.pid web\n"
                 "       # hull start web",
  .options = options,
};

int
cmd_create (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  struct hull_create_opts opts = { 0 };
  struct cli_parser p;
  const char *arg;
  int c, r;

  cli_parser_init (&p, &info, argc, argv);
  while ((c = cli_next (&p, &arg, err)) > 0)
    {
      if (c == 'h')
        return cli_help (&info);
      if ((r = cli_create_option (&p, c, arg, &opts, err)) < 0)
        return r;
    }
  if (c < 0)
    return c;
  if ((r = cli_check_args (&info, argc - p.optind, 1, 1, err)) < 0 || (r = cli_id (argv[p.optind], err)) < 0)
    return r;
  opts.id = argv[p.optind];
  r = hull_container_create (&g->ctx, &opts, err);
  return r < 0 ? r : 0;
}
