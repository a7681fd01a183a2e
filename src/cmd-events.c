/* SPDX-License-Identifier: Apache-2.0 */
/* hull events [--interval D] [--stats] <container-id> */
#include <errno.h>
#include "cli.h"

static const struct cli_option options[] = {
  { "interval", 0, CLI_VALUE, 'i', "DURATION", "time between two stats events, Go syntax: 5s, 500ms, 1m30s (default: 5s)" },
  { "stats", 0, CLI_FLAG, 's', NULL, "print the resource usage statistics once and exit" },
  { NULL },
};

static const struct cli_command_info info = {
  .name = "events",
  .summary = "print container events and resource usage statistics",
  .args_usage = "<container-id>",
  .description = "Prints one JSON object per line, as runc does: {\"type\":\"stats\",\"id\":…,\"data\":{…}} every\n"
                 "--interval with the cpu, memory, pids, blkio and hugetlb counters of the container's cgroup,\n"
                 "and {\"type\":\"oom\",…} when the kernel's OOM killer acts in it.  It runs until the container\n"
                 "stops or hull is interrupted; --stats prints one stats object and exits.\n\n"
                 "EXAMPLE:\n"
                 "       # hull events --interval 1s web\n"
                 "       # hull events --stats web | jq .data.memory",
  .options = options,
};

int
cmd_events (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  struct hull_events_opts opts = { .interval_ms = 5000 };
  struct cli_parser p;
  const char *arg;
  uint64_t ns;
  int c, r;

  cli_parser_init (&p, &info, argc, argv);
  while ((c = cli_next (&p, &arg, err)) > 0)
    switch (c)
      {
      case 'h':
        return cli_help (&info);
      case 'i':
        if ((r = cli_parse_duration ("interval", arg, &ns, err)) < 0)
          return r;
        if (ns == 0)
          return hull_errx (err, EINVAL, "duration interval must be greater than 0");
        if (ns / 1000000 > UINT32_MAX)
          return hull_errx (err, EINVAL, "duration interval \"%s\" is too long", arg);
        opts.interval_ms = (unsigned) ((ns + 999999) / 1000000);
        break;
      case 's':
        opts.stats = p.flag;
        break;
      default:
        break;
      }
  if (c < 0)
    return c;
  if ((r = cli_check_args (&info, argc - p.optind, 1, 1, err)) < 0 || (r = cli_id (argv[p.optind], err)) < 0)
    return r;
  r = hull_container_events (&g->ctx, argv[p.optind], &opts, err);
  return r < 0 ? r : 0;
}
