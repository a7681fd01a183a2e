/* SPDX-License-Identifier: Apache-2.0 */
/* hull update [--resources FILE|-] [resource options] <container-id>
 *
 * The flags are merged over the --resources JSON (or an empty object) into one linux.resources JSON text,
 * which the library parses with the same code as config.json. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "cli.h"
#include "spec/json.h"
#include "util.h"

#define RESOURCES_MAX (4u << 20)

enum kind
{
  K_UINT,  /* unsigned decimal */
  K_INT,   /* signed decimal */
  K_SIZE,  /* bytes with an optional k/m/g/t/p suffix, or -1 */
  K_STR,
  K_OBSOLETE, /* accepted, warned about, ignored */
};

struct field
{
  const char *section, *key;
  enum kind kind;
};

/* Indexed by option id - OPT_PRIVATE; keep in the order of options[]. */
static const struct field fields[] = {
  { "blockIO", "weight", K_UINT },       { "cpu", "period", K_UINT },          { "cpu", "quota", K_INT },
  { "cpu", "shares", K_UINT },           { "cpu", "realtimePeriod", K_UINT },  { "cpu", "realtimeRuntime", K_INT },
  { "cpu", "cpus", K_STR },              { "cpu", "mems", K_STR },             { "memory", "limit", K_SIZE },
  { "memory", "reservation", K_SIZE },   { "memory", "swap", K_SIZE },         { "pids", "limit", K_INT },
  { "cpu", "burst", K_UINT },            { "cpu", "idle", K_INT },             { "intelRdt", "l3CacheSchema", K_STR },
  { "intelRdt", "memBwSchema", K_STR },  { NULL, NULL, K_OBSOLETE },           { NULL, NULL, K_OBSOLETE },
};
#define N_FIELDS ELEMENTSOF (fields)
#define F(i) (OPT_PRIVATE + (i))

static const struct cli_option options[] = {
  { "resources", 'r', CLI_VALUE, 'r', "FILE|-",
    "JSON file with a linux.resources object ('-': standard input); the options below override its values" },
  { "blkio-weight", 0, CLI_VALUE, F (0), "N", "block IO weight (blockIO.weight, 10-1000)" },
  { "cpu-period", 0, CLI_VALUE, F (1), "USEC", "CPU CFS period in microseconds (cpu.period)" },
  { "cpu-quota", 0, CLI_VALUE, F (2), "USEC", "CPU CFS quota in microseconds per period, -1: none (cpu.quota)" },
  { "cpu-share", 0, CLI_VALUE, F (3), "N", "CPU shares, a relative weight (cpu.shares)" },
  { "cpu-rt-period", 0, CLI_VALUE, F (4), "USEC", "realtime period in microseconds (cpu.realtimePeriod)" },
  { "cpu-rt-runtime", 0, CLI_VALUE, F (5), "USEC", "realtime runtime in microseconds per period (cpu.realtimeRuntime)" },
  { "cpuset-cpus", 0, CLI_VALUE, F (6), "LIST", "CPUs the container may use, e.g. 0-2,4 (cpu.cpus)" },
  { "cpuset-mems", 0, CLI_VALUE, F (7), "LIST", "memory nodes the container may use (cpu.mems)" },
  { "memory", 0, CLI_VALUE, F (8), "BYTES", "memory limit, e.g. 512m; -1: unlimited (memory.limit)" },
  { "memory-reservation", 0, CLI_VALUE, F (9), "BYTES", "memory soft limit (memory.reservation)" },
  { "memory-swap", 0, CLI_VALUE, F (10), "BYTES", "memory plus swap limit; -1: unlimited (memory.swap)" },
  { "pids-limit", 0, CLI_VALUE, F (11), "N", "maximum number of processes; 0 is a real limit, -1: none (pids.limit)" },
  { "cpu-burst", 0, CLI_VALUE, F (12), "USEC", "CPU CFS burst in microseconds (cpu.burst)" },
  { "cpu-idle", 0, CLI_VALUE, F (13), "0|1", "1: SCHED_IDLE for the cgroup (cpu.idle)" },
  { "l3-cache-schema", 0, CLI_VALUE, F (14), "SCHEMA", "Intel RDT/CAT L3 cache schema (intelRdt.l3CacheSchema)" },
  { "mem-bw-schema", 0, CLI_VALUE, F (15), "SCHEMA", "Intel RDT/MBA memory bandwidth schema (intelRdt.memBwSchema)" },
  { "kernel-memory", 0, CLI_VALUE, F (16), "BYTES", "obsolete, ignored", true },
  { "kernel-memory-tcp", 0, CLI_VALUE, F (17), "BYTES", "obsolete, ignored", true },
  { NULL },
};

static const struct cli_command_info info = {
  .name = "update",
  .summary = "update the resource limits of a container",
  .args_usage = "<container-id>",
  .description = "Changes the cgroup limits of a created, running or paused container.  --resources takes a\n"
                 "linux.resources object of config.json, for example\n"
                 "       {\"memory\": {\"limit\": 536870912}, \"cpu\": {\"shares\": 512}, \"pids\": {\"limit\": 100}}\n"
                 "Fields it leaves out keep their values.  Sizes take the suffixes k, m, g, t and p (powers\n"
                 "of 1024).  Setting memory to -1 without a swap value also makes swap unlimited.  The\n"
                 "l3-cache-schema and mem-bw-schema values are passed to the library as an \"intelRdt\"\n"
                 "member of that object.\n\n"
                 "EXAMPLE:\n"
                 "       # hull update --memory 1g --pids-limit 200 web\n"
                 "       # echo '{\"cpu\": {\"quota\": 50000, \"period\": 100000}}' | hull update -r - web",
  .options = options,
};

/* The overrides of one section; obj is the section's value in the --resources JSON (may be NULL). */
static void
gen_section (struct json_gen *g, const char *section, json_val obj, char *const *vals)
{
  json_gen_map_open (g);
  for (size_t i = 0; i < json_object_len (obj); i++)
    {
      bool overridden = false;
      for (size_t f = 0; f < N_FIELDS; f++)
        if (vals[f] && fields[f].section && strcmp (fields[f].section, section) == 0
            && strcmp (fields[f].key, json_object_key (obj, i)) == 0)
          overridden = true;
      if (!overridden)
        json_gen_string (g, json_object_key (obj, i)), json_gen_value (g, json_object_value (obj, i));
    }
  for (size_t f = 0; f < N_FIELDS; f++)
    if (vals[f] && fields[f].section && strcmp (fields[f].section, section) == 0)
      {
        json_gen_string (g, fields[f].key);
        if (fields[f].kind == K_STR)
          json_gen_string (g, vals[f]);
        else
          json_gen_number_text (g, vals[f]);
      }
  json_gen_map_close (g);
}

static bool
section_has_values (const char *section, char *const *vals)
{
  for (size_t f = 0; f < N_FIELDS; f++)
    if (vals[f] && fields[f].section && strcmp (fields[f].section, section) == 0)
      return true;
  return false;
}

static char *
merge (json_val base, char *const *vals)
{
  static const char *const sections[] = { "blockIO", "cpu", "memory", "pids", "intelRdt" };
  bool done[ELEMENTSOF (sections)] = { false };
  _cleanup_ (json_gen_freep) struct json_gen *g = json_gen_new_indent (NULL);

  json_gen_map_open (g);
  for (size_t i = 0; i < json_object_len (base); i++)
    {
      const char *k = json_object_key (base, i);
      size_t s;
      for (s = 0; s < ELEMENTSOF (sections); s++)
        if (strcmp (sections[s], k) == 0 && section_has_values (k, vals))
          break;
      json_gen_string (g, k);
      if (s < ELEMENTSOF (sections))
        gen_section (g, k, json_object_value (base, i), vals), done[s] = true;
      else
        json_gen_value (g, json_object_value (base, i));
    }
  for (size_t s = 0; s < ELEMENTSOF (sections); s++)
    if (!done[s] && section_has_values (sections[s], vals))
      json_gen_string (g, sections[s]), gen_section (g, sections[s], NULL, vals);
  json_gen_map_close (g);
  return json_gen_text (g);
}

static int
read_resources (const char *path, char **ret, struct hull_error *err)
{
  size_t len = 0;
  if (strcmp (path, "-") != 0)
    {
      int r = read_file_at (AT_FDCWD, path, RESOURCES_MAX, ret, &len);
      return r < 0 ? hull_err (err, -r, "read resources file `%s`", path) : 0;
    }
  char *buf = xmalloc (RESOURCES_MAX + 1);
  ssize_t n = read_all (STDIN_FILENO, buf, RESOURCES_MAX + 1);
  if (n < 0 || (size_t) n > RESOURCES_MAX)
    {
      free (buf);
      return n < 0 ? hull_err (err, (int) -n, "read resources from stdin") : hull_errx (err, EFBIG, "resources on stdin exceed %u bytes", RESOURCES_MAX);
    }
  buf[n] = '\0';
  *ret = buf;
  return 0;
}

static int
parse_value (size_t f, const char *name, const char *arg, char **ret, struct hull_error *err)
{
  int64_t i;
  uint64_t u;

  switch (fields[f].kind)
    {
    case K_UINT:
      if (parse_u64 (arg, 10, &u) < 0)
        return hull_errx (err, EINVAL, "invalid value for --%s: \"%s\" is not an unsigned integer", name, arg);
      break;
    case K_INT:
      if (parse_i64 (arg, 10, &i) < 0)
        return hull_errx (err, EINVAL, "invalid value for --%s: \"%s\" is not an integer", name, arg);
      break;
    case K_SIZE:
      if (strcmp (arg, "-1") != 0 && cli_parse_size (name, arg, &i, err) < 0)
        return -EINVAL;
      if (strcmp (arg, "-1") != 0)
        return *ret = xasprintf ("%lld", (long long) i), 0;
      break;
    case K_OBSOLETE:
      hull_warn ("--%s is obsolete, ignoring", name);
      return 0;
    case K_STR:
      break;
    }
  *ret = xstrdup (arg);
  return 0;
}

int
cmd_update (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err)
{
  char *vals[N_FIELDS] = { NULL };
  _cleanup_free_ char *input = NULL, *json = NULL;
  const char *resources = NULL, *arg;
  _cleanup_ (json_freep) json_val base = NULL;
  struct cli_parser p;
  int c = 0, r = 0;

  cli_parser_init (&p, &info, argc, argv);
  while (r >= 0 && (c = cli_next (&p, &arg, err)) > 0)
    {
      if (c == 'h')
        return cli_help (&info);
      if (c == 'r')
        resources = arg;
      else if (c >= OPT_PRIVATE && c < OPT_PRIVATE + (int) N_FIELDS)
        {
          size_t f = (size_t) (c - OPT_PRIVATE);
          free (vals[f]);
          vals[f] = NULL;
          r = parse_value (f, options[f + 1].name, arg, &vals[f], err);
        }
    }
  if (r >= 0 && c < 0)
    r = c;
  if (r >= 0 && (r = cli_check_args (&info, argc - p.optind, 1, 1, err)) >= 0)
    r = cli_id (argv[p.optind], err);
  if (r >= 0 && resources && (r = read_resources (resources, &input, err)) >= 0)
    {
      _cleanup_free_ char *name = xasprintf ("parse resources `%s`", resources);
      r = json_parse (input, name, &base, err);
      if (r >= 0 && json_type_of (base) != JSON_OBJECT)
        r = hull_errx (err, EINVAL, "parse resources `%s`: expected a JSON object", resources);
    }
  if (r >= 0)
    {
      /* runc: an unlimited memory limit without a swap value makes swap unlimited too. */
      json_val mem = json_object_get (base, "memory");
      const char *lim = json_number_text (json_object_get (mem, "limit"));
      bool unlimited = vals[8] ? strcmp (vals[8], "-1") == 0 : lim && strcmp (lim, "-1") == 0;
      if (unlimited && !vals[10] && !json_object_get (mem, "swap"))
        vals[10] = xstrdup ("-1");
      json = merge (base, vals);
      r = hull_container_update (&g->ctx, argv[p.optind], json, err);
    }
  for (size_t f = 0; f < N_FIELDS; f++)
    free (vals[f]);
  return r < 0 ? r : 0;
}
