/* SPDX-License-Identifier: Apache-2.0 */
/* Option parsing shared by every command: getopt_long_only over a static table (so `--root X`,
 * `--root=X` and Go-style `-root X` all work, as with runc), help output, operand checks, and the small
 * value parsers (bool, duration, size). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cli_error_status = 1;

void
cli_parser_init (struct cli_parser *p, const struct cli_command_info *info, int argc, char **argv)
{
  size_t nl = 0, ns = 0;

  memset (p, 0, sizeof *p);
  p->info = info;
  p->argc = argc;
  p->argv = argv;
  if (info->stop_at_operand)
    p->shortopts[ns++] = '+';
  p->shortopts[ns++] = ':';
  p->shortopts[ns++] = 'h';
  for (const struct cli_option *o = info->options; o && o->name && nl < 2 * CLI_MAX_OPTIONS; o++)
    {
      int has_arg = o->arg == CLI_FLAG ? optional_argument : required_argument;
      p->longopts[nl++] = (struct option) { o->name, has_arg, NULL, o->id };
      if (o->short_name)
        {
          static char letters[128][2]; /* "--d" is accepted as an alias of "-d", as urfave/cli does */
          letters[o->short_name & 127][0] = (char) o->short_name;
          p->longopts[nl++] = (struct option) { letters[o->short_name & 127], has_arg, NULL, o->id };
          p->shortopts[ns++] = (char) o->short_name;
          if (o->arg == CLI_VALUE)
            p->shortopts[ns++] = ':';
        }
    }
  p->longopts[nl++] = (struct option) { "help", no_argument, NULL, 'h' };
  p->longopts[nl] = (struct option) { NULL, 0, NULL, 0 };
  p->shortopts[ns] = '\0';
  optind = 0; /* glibc: full re-initialisation */
  opterr = 0;
}

static const struct cli_option *
find_option (const struct cli_command_info *info, int id)
{
  for (const struct cli_option *o = info->options; o && o->name; o++)
    if (o->id == id)
      return o;
  return NULL;
}

int
cli_next (struct cli_parser *p, const char **ret_arg, struct hull_error *err)
{
  const char *bad;
  int c = getopt_long_only (p->argc, p->argv, p->shortopts, p->longopts, NULL);

  *ret_arg = NULL;
  switch (c)
    {
    case -1:
      p->optind = optind;
      return 0;
    case '?':
      bad = p->argv[optind - 1];
      if (optopt > 0 && optopt < 256 && (bad[0] != '-' || bad[1] == '-' || strlen (bad) == 2 || !strchr (bad, optopt)))
        return hull_errx (err, EINVAL, "%s: unknown option '-%c' (see 'hull %s --help')", p->info->name, optopt,
                          p->info->name);
      return hull_errx (err, EINVAL, "%s: unknown option '%s' (see 'hull %s --help')", p->info->name, bad,
                        p->info->name);
    case ':':
      return hull_errx (err, EINVAL, "%s: option '%s' requires an argument", p->info->name, p->argv[optind - 1]);
    case 'h':
      return 'h';
    default:
      break;
    }
  const struct cli_option *o = find_option (p->info, c);
  if (o && o->arg == CLI_FLAG)
    {
      p->flag = true;
      if (optarg)
        {
          int r = cli_parse_bool (o->name, optarg, &p->flag, err);
          if (r < 0)
            return r;
        }
      return c;
    }
  *ret_arg = optarg;
  return c;
}

int
cli_help (const struct cli_command_info *info)
{
  char left[CLI_MAX_OPTIONS + 1][96];
  size_t n = 0, width = strlen ("--help, -h");
  const struct cli_option *o;

  printf ("NAME:\n   hull %s - %s\n\nUSAGE:\n   hull %s%s%s%s\n", info->name, info->summary, info->name,
          info->options && info->options->name ? " [command options]" : "", info->args_usage ? " " : "",
          info->args_usage ? info->args_usage : "");
  if (info->description)
    printf ("\n%s\n", info->description);
  for (o = info->options; o && o->name && n < CLI_MAX_OPTIONS; o++)
    {
      if (o->hidden)
        continue;
      const char *mv = o->arg == CLI_VALUE ? (o->metavar ? o->metavar : "value") : NULL;
      int k = snprintf (left[n], sizeof left[n], "--%s%s%s", o->name, mv ? " " : "", mv ? mv : "");
      if (o->short_name)
        snprintf (left[n] + k, sizeof left[n] - (size_t) k, ", -%c%s%s", o->short_name, mv ? " " : "", mv ? mv : "");
      if (strlen (left[n]) > width)
        width = strlen (left[n]);
      n++;
    }
  printf ("\nOPTIONS:\n");
  n = 0;
  for (o = info->options; o && o->name && n < CLI_MAX_OPTIONS; o++)
    if (!o->hidden)
      printf ("   %-*s   %s\n", (int) width, left[n++], o->help);
  printf ("   %-*s   %s\n", (int) width, "--help, -h", "show help");
  return 0;
}

int
cli_check_args (const struct cli_command_info *info, int n, int min, int max, struct hull_error *err)
{
  if (min == max && n != min)
    return hull_errx (err, EINVAL, "\"%s\" requires exactly %d argument(s)", info->name, min);
  if (n < min)
    return hull_errx (err, EINVAL, "\"%s\" requires a minimum of %d argument(s)", info->name, min);
  if (max >= 0 && n > max)
    return hull_errx (err, EINVAL, "\"%s\" requires a maximum of %d argument(s)", info->name, max);
  return 0;
}

int
cli_id (const char *id, struct hull_error *err)
{
  if (!id || !*id)
    return hull_errx (err, EINVAL, "container id cannot be empty");
  return hull_id_validate (id, err);
}

int
cli_parse_format (const char *s, enum cli_format *ret, struct hull_error *err)
{
  if (strcmp (s, "table") == 0)
    *ret = CLI_FORMAT_TABLE;
  else if (strcmp (s, "json") == 0)
    *ret = CLI_FORMAT_JSON;
  else
    return hull_errx (err, EINVAL, "invalid format option \"%s\": select one of: table or json", s);
  return 0;
}

int
cli_parse_bool (const char *opt, const char *s, bool *ret, struct hull_error *err)
{
  static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" };
  static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False" };

  for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
    {
      if (strcmp (s, yes[i]) == 0)
        return *ret = true, 0;
      if (strcmp (s, no[i]) == 0)
        return *ret = false, 0;
    }
  return hull_errx (err, EINVAL, "invalid boolean value \"%s\" for --%s", s, opt);
}

int
cli_parse_uint (const char *opt, const char *s, int *ret, struct hull_error *err)
{
  char *end;
  long v;

  errno = 0;
  v = strtol (s, &end, 10);
  if (!*s || *end || errno || v < 0 || v > 1 << 20)
    return hull_errx (err, EINVAL, "invalid value \"%s\" for --%s: expected a non-negative integer", s, opt);
  *ret = (int) v;
  return 0;
}

/* [0-9]*(.[0-9]*)? with at least one digit; NULL when there is none. */
static const char *
scan_decimal (const char *p, double *ret)
{
  double v = 0, scale = 0.1;
  bool digits = false;

  for (; *p >= '0' && *p <= '9'; p++, digits = true)
    v = v * 10 + (*p - '0');
  if (*p == '.')
    for (p++; *p >= '0' && *p <= '9'; p++, digits = true, scale /= 10)
      v += (*p - '0') * scale;
  *ret = v;
  return digits ? p : NULL;
}

int
cli_parse_duration (const char *opt, const char *s, uint64_t *ret_ns, struct hull_error *err)
{
  static const struct
  {
    const char *unit;
    double ns;
  } units[] = {
    { "ns", 1 }, { "us", 1e3 }, { "\u00b5s", 1e3 }, { "\u03bcs", 1e3 }, { "ms", 1e6 },
    { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
  };
  const char *p = s;
  double total = 0;

  if (*p == '+')
    p++;
  if (strcmp (p, "0") == 0)
    return *ret_ns = 0, 0;
  if (!*p)
    goto bad;
  while (*p)
    {
      size_t best = 0, best_len = 0;
      double v;
      p = scan_decimal (p, &v);
      if (!p)
        goto bad;
      for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        {
          size_t l = strlen (units[i].unit);
          if (strncmp (p, units[i].unit, l) == 0 && l > best_len)
            best = i, best_len = l;
        }
      if (!best_len)
        goto bad;
      total += v * units[best].ns;
      p += best_len;
    }
  if (total > 9.2e18)
    goto bad;
  *ret_ns = (uint64_t) (total + 0.5);
  return 0;
bad:
  return hull_errx (err, EINVAL, "invalid value \"%s\" for --%s: invalid duration", s, opt);
}

int
cli_parse_size (const char *opt, const char *s, int64_t *ret, struct hull_error *err)
{
  const char *p = s;
  double v, mul = 1;

  if (!(*p >= '0' && *p <= '9') || !(p = scan_decimal (p, &v)) || p[-1] == '.')
    goto bad;
  if (*p == ' ')
    p++;
  if (*p && strchr ("kKmMgGtTpP", *p))
    {
      static const char order[] = "kmgtp";
      int e = (int) (strchr (order, *p | 0x20) - order) + 1;
      mul = (double) (1ULL << (10 * e));
      p++;
    }
  if (*p == 'i' || *p == 'I')
    p++;
  if (*p == 'b' || *p == 'B')
    p++;
  if (*p || v * mul > 9.2e18)
    goto bad;
  *ret = (int64_t) (v * mul);
  return 0;
bad:
  return hull_errx (err, EINVAL, "invalid value for --%s: invalid size: '%s'", opt, s);
}

int
cli_create_option (struct cli_parser *p, int c, const char *arg, struct hull_create_opts *o, struct hull_error *err)
{
  switch (c)
    {
    case 'b':
      o->bundle = arg;
      return 1;
    case OPT_CONSOLE_SOCKET:
      o->console_socket = arg;
      return 1;
    case OPT_PID_FILE:
      o->pid_file = arg;
      return 1;
    case OPT_PIDFD_SOCKET:
      o->pidfd_socket = arg;
      return 1;
    case OPT_NO_PIVOT:
      o->no_pivot = p->flag;
      return 1;
    case OPT_NO_NEW_KEYRING:
      o->no_new_keyring = p->flag;
      return 1;
    case OPT_PRESERVE_FDS:
      return cli_parse_uint ("preserve-fds", arg, &o->preserve_fds, err) < 0 ? -EINVAL : 1;
    default:
      return 0;
    }
}
