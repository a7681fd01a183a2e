/* SPDX-License-Identifier: Apache-2.0 */
/* hull features */
#include <errno.h>
#include <stdio.h>
#include "cleanup.h"
#include "cli.h"

static const struct cli_option options[] = {
  { NULL },
};

static const struct cli_command_info info = {
  .name = "features",
  .summary = "print the features this runtime supports as JSON",
  .args_usage = NULL,
  .description = "Prints the OCI features document (features.md of the runtime specification): the supported\n"
                 "ociVersion range, hooks, mount options, namespaces, capabilities, cgroup, seccomp, AppArmor,\n"
                 "SELinux, Intel RDT and idmap support, and hull's annotations.  containerd reads it to decide\n"
                 "what to enable.\n\n"
                 "EXAMPLE:\n"
                 "       # hull features | jq .linux.namespaces",
  .options = options,
};

int
cmd_features (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
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
  if ((r = cli_check_args (&info, argc - p.optind, 0, 0, err)) < 0)
    return r;
  json = hull_features_json ();
  if (!json)
    return hull_errx (err, EIO, "cannot build the features document");
  printf ("%s\n", json);
  return 0;
}
