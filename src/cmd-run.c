/* SPDX-License-Identifier: Apache-2.0 */
/* hull run [options] <container-id> */
#include "cli.h"

static const struct cli_option options[] = {
  CLI_CREATE_OPTIONS,
  { "detach", 'd', CLI_FLAG, 'd', NULL, "do not wait for the container: exit once its process runs" },
  { "keep", 0, CLI_FLAG, OPT_KEEP, NULL, "do not delete the container after it exits (foreground only)" },
  { "no-subreaper", 0, CLI_FLAG, OPT_NO_SUBREAPER, NULL,
    "do not make hull a child subreaper while it waits (orphans go to the caller's reaper)" },
  { NULL },
};

static const struct cli_command_info info = {
  .name = "run",
  .summary = "create and start a container",
  .args_usage = "<container-id>",
  .description = "Creates the container described by <bundle>/config.json and starts process.args in it.\n"
                 "In the foreground hull forwards signals to the process, proxies its terminal when\n"
                 "process.terminal is true and no --console-socket is given, deletes the container when it\n"
                 "exits (unless --keep) and exits with the process's status (128+N when killed by signal N).\n"
                 "With --detach hull exits 0 once the process runs; the container stays until 'hull delete'.\n\n"
                 "EXAMPLE:\n"
                 "       # cd /containers/web && hull run web\n"
                 "       # hull run -d --bundle /containers/web --pid-file /run/web.pid web",
  .options = options,
};

int
cmd_run (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  struct hull_create_opts opts = { 0 };
  struct cli_parser p;
  const char *arg;
  int c, r, status = 0;

  cli_parser_init (&p, &info, argc, argv);
  while ((c = cli_next (&p, &arg, err)) > 0)
    {
      if ((r = cli_create_option (&p, c, arg, &opts, err)) != 0)
        {
          if (r < 0)
            return r;
          continue;
        }
      switch (c)
        {
        case 'h':
          return cli_help (&info);
        case 'd':
          opts.detach = p.flag;
          break;
        case OPT_KEEP:
          opts.keep = p.flag;
          break;
        case OPT_NO_SUBREAPER:
          opts.no_subreaper = p.flag;
          break;
        default:
          break;
        }
    }
  if (c < 0)
    return c;
  if ((r = cli_check_args (&info, argc - p.optind, 1, 1, err)) < 0 || (r = cli_id (argv[p.optind], err)) < 0)
    return r;
  opts.id = argv[p.optind];
  r = hull_container_run (&g->ctx, &opts, &status, err);
  if (r < 0)
    return r;
  return opts.detach ? 0 : status;
}
