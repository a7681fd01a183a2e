/* SPDX-License-Identifier: Apache-2.0 */
/* hull spec [--bundle DIR] [--rootless] */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "spec.h"
#include "util.h"

static const struct cli_option options[] = {
  { "bundle", 'b', CLI_VALUE, 'b', "DIR", "directory to write config.json in (default: the current directory)" },
  { "rootless", 0, CLI_FLAG, 'r', NULL, "write a config for a rootless container: a user namespace that maps the caller's uid and gid" },
  { NULL },
};

static const struct cli_command_info info = {
  .name = "spec",
  .summary = "write a default config.json",
  .args_usage = NULL,
  .description = "Writes config.json, the same default configuration runc writes, into the bundle directory:\n"
                 "it runs \"sh\" on a terminal, with the directory rootfs/ next to it as the root filesystem.\n"
                 "An existing config.json is never overwritten.\n\n"
                 "EXAMPLE:\n"
                 "       # mkdir -p /containers/web/rootfs && cd /containers/web\n"
                 "       # tar -C rootfs -xf busybox.tar\n"
                 "       # hull spec && hull run web",
  .options = options,
};

int
cmd_spec (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  _cleanup_free_ char *json = NULL, *path = NULL;
  _cleanup_close_ int fd = -1;
  const char *bundle = NULL, *arg;
  bool rootless = false;
  struct cli_parser p;
  int c, r;

  cli_parser_init (&p, &info, argc, argv);
  while ((c = cli_next (&p, &arg, err)) > 0)
    switch (c)
      {
      case 'h':
        return cli_help (&info);
      case 'b':
        bundle = arg;
        break;
      case 'r':
        rootless = p.flag;
        break;
      default:
        break;
      }
  if (c < 0)
    return c;
  if ((r = cli_check_args (&info, argc - p.optind, 0, 0, err)) < 0)
    return r;
  path = bundle ? xasprintf ("%s/config.json", bundle) : xstrdup ("config.json");
  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (fd < 0 && errno == EEXIST)
    return hull_errx (err, EEXIST, "File config.json exists. Remove it first");
  if (fd < 0)
    return hull_err (err, errno, "create `%s`", path);
  json = spec_default_json (rootless);
  if (!json)
    {
      unlink (path);
      return hull_errx (err, EIO, "cannot build the default configuration");
    }
  if ((r = write_all (fd, json, strlen (json))) < 0)
    {
      r = hull_err (err, -r, "write `%s`", path);
      unlink (path);
      return r;
    }
  return 0;
}
