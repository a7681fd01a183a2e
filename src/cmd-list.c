/* SPDX-License-Identifier: Apache-2.0 */
/* hull list [--format table|json] [--quiet] */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const struct cli_option options[] = {
  { "format", 'f', CLI_VALUE, 'f', "table|json", "output format (default: table)" },
  { "quiet", 'q', CLI_FLAG, 'q', NULL, "print only the container ids, one per line" },
  { NULL },
};

static const struct cli_command_info info = {
  .name = "list",
  .summary = "list the containers under the state root",
  .args_usage = NULL,
  .description = "Lists every container whose state lives under the state root (the global --root).  The table\n"
                 "has the columns ID, PID, STATUS, BUNDLE, CREATED (RFC 3339, nanoseconds) and OWNER; the json\n"
                 "format prints an array of the objects 'hull state' prints, or null when there is none.\n\n"
                 "EXAMPLE:\n"
                 "       # hull list\n"
                 "       # hull --root /run/containerd/runc/default list -f json",
  .options = options,
};

#define N_COLUMNS 6

static void
print_table (const struct hull_list_entry *l, size_t n)
{
  static const char *const header[N_COLUMNS] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };
  size_t width[N_COLUMNS];
  char pid[32];

  /* Go's tabwriter as runc sets it up: minimum cell width 12, padding 3; the last column is not padded. */
  for (size_t c = 0; c < N_COLUMNS; c++)
    width[c] = strlen (header[c]);
  for (size_t i = 0; i < n; i++)
    {
      const char *cells[N_COLUMNS] = { l[i].id, pid, l[i].status, l[i].bundle, l[i].created, l[i].owner };
      snprintf (pid, sizeof pid, "%d", (int) l[i].pid);
      for (size_t c = 0; c < N_COLUMNS; c++)
        if (cells[c] && strlen (cells[c]) > width[c])
          width[c] = strlen (cells[c]);
    }
  for (size_t c = 0; c < N_COLUMNS; c++)
    width[c] = width[c] + 3 < 12 ? 12 : width[c] + 3;
  for (size_t i = 0; i <= n; i++)
    {
      const char *const *cells = header;
      const char *row[N_COLUMNS];
      if (i > 0)
        {
          const struct hull_list_entry *e = &l[i - 1];
          snprintf (pid, sizeof pid, "%d", (int) e->pid);
          row[0] = e->id, row[1] = pid, row[2] = e->status, row[3] = e->bundle, row[4] = e->created;
          row[5] = e->owner;
          cells = row;
        }
      for (size_t c = 0; c < N_COLUMNS - 1; c++)
        printf ("%-*s", (int) width[c], cells[c] ? cells[c] : "");
      printf ("%s\n", cells[N_COLUMNS - 1] ? cells[N_COLUMNS - 1] : "");
    }
}

int
cmd_list (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  enum cli_format format = CLI_FORMAT_TABLE;
  struct hull_list_entry *l = NULL;
  struct cli_parser p;
  const char *arg;
  bool quiet = false;
  size_t n = 0;
  int c, r;

  cli_parser_init (&p, &info, argc, argv);
  while ((c = cli_next (&p, &arg, err)) > 0)
    switch (c)
      {
      case 'h':
        return cli_help (&info);
      case 'f':
        if ((r = cli_parse_format (arg, &format, err)) < 0)
          return r;
        break;
      case 'q':
        quiet = p.flag;
        break;
      default:
        break;
      }
  if (c < 0)
    return c;
  if ((r = cli_check_args (&info, argc - p.optind, 0, 0, err)) < 0)
    return r;
  r = hull_container_list (&g->ctx, &l, &n, err);
  if (r < 0)
    return r;
  if (quiet)
    for (size_t i = 0; i < n; i++)
      printf ("%s\n", l[i].id);
  else if (format == CLI_FORMAT_TABLE)
    print_table (l, n);
  else if (n == 0)
    printf ("null\n"); /* runc encodes its empty (nil) list as null */
  else
    {
      for (size_t i = 0; i < n; i++)
        printf ("%c%s", i ? ',' : '[', l[i].json);
      printf ("]\n");
    }
  hull_list_free (l, n);
  return 0;
}
