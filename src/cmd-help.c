/* SPDX-License-Identifier: Apache-2.0 */
/* hull help [command] */
#include <errno.h>
#include <string.h>
#include "cli.h"

int
cmd_help (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  const struct hull_command *cmd;
  char help_flag[] = "--help";
  char *sub_argv[] = { NULL, help_flag, NULL };

  if (argc < 2 || (argc == 2 && (strcmp (argv[1], "help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "--help") == 0)))
    {
      hull_print_usage ();
      return 0;
    }
  if (argc > 2)
    return hull_errx (err, EINVAL, "\"help\" requires a maximum of 1 argument(s)");
  cmd = hull_command_find (argv[1]);
  if (!cmd)
    return hull_errx (err, EINVAL, "no help topic for \"%s\" (see 'hull help')", argv[1]);
  sub_argv[0] = argv[1];
  return cmd->fn (g, 2, sub_argv, err);
}
