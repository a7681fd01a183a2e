/* SPDX-License-Identifier: Apache-2.0 */
/* hull state <container-id> */
#include <stdio.h>
#include "cleanup.h"
#include "cli.h"

static const struct cli_option options[] = {
  { NULL },
};

static const struct cli_command_info info = {
  .name = "state",
  .summary = "print the state of a container as JSON",
  .args_usage = "<container-id>",
  .description = "Prints the container's state as the OCI runtime specification defines it (ociVersion, id,\n"
                 "status, pid, bundle, annotations) plus runc's extra fields (rootfs, created, owner).\n"
                 "status is one of created, running, paused or stopped; pid is 0 once stopped.\n\n"
                 "EXAMPLE:\n"
                 "       # hull state web | jq -r .status",
  .options = options,
};

int
cmd_state (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  _cleanup_free_ char *json = NULL;
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
  r = hull_container_state (&g->ctx, argv[p.optind], &json, err);
  if (r < 0)
    return r;
  printf ("%s\n", json);
  return 0;
}
