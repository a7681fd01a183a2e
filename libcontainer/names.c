/* SPDX-License-Identifier: Apache-2.0 */
/* Names users type: signals ("KILL", "sigkill", "SIGRTMIN+3", "9"), container ids, and the default state
 * root. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cleanup.h"
#include "hull.h"
#include "util.h"

static const struct
{
  const char *name; /* without "SIG" */
  int signal;
} signal_names[] = {
  { "HUP", SIGHUP },       { "INT", SIGINT },       { "QUIT", SIGQUIT },   { "ILL", SIGILL },
  { "TRAP", SIGTRAP },     { "ABRT", SIGABRT },     { "IOT", SIGIOT },     { "BUS", SIGBUS },
  { "FPE", SIGFPE },       { "KILL", SIGKILL },     { "USR1", SIGUSR1 },   { "SEGV", SIGSEGV },
  { "USR2", SIGUSR2 },     { "PIPE", SIGPIPE },     { "ALRM", SIGALRM },   { "TERM", SIGTERM },
  { "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },     { "CLD", SIGCHLD },    { "CONT", SIGCONT },
  { "STOP", SIGSTOP },     { "TSTP", SIGTSTP },     { "TTIN", SIGTTIN },   { "TTOU", SIGTTOU },
  { "URG", SIGURG },       { "XCPU", SIGXCPU },     { "XFSZ", SIGXFSZ },   { "VTALRM", SIGVTALRM },
  { "PROF", SIGPROF },     { "WINCH", SIGWINCH },   { "IO", SIGIO },       { "POLL", SIGPOLL },
  { "PWR", SIGPWR },       { "SYS", SIGSYS },
};

/* The kernel's numbering: glibc's SIGRTMIN reserves two signals for itself, but a container's process may
 * use all of them, so RTMIN is the kernel's 32 (as runc and the kill(1) of util-linux map it). */
#define KERNEL_SIGRTMIN 32
#define KERNEL_SIGRTMAX 64

static int
parse_small_int (const char *s, int max)
{
  int v = 0;

  if (!*s)
    return -EINVAL;
  for (; *s; s++)
    {
      if (*s < '0' || *s > '9')
        return -EINVAL;
      v = v * 10 + (*s - '0');
      if (v > max)
        return -EINVAL;
    }
  return v;
}

int
hull_signal_parse (const char *s)
{
  int n;

  if (!s || !*s)
    return -EINVAL;
  if (*s >= '0' && *s <= '9')
    return parse_small_int (s, KERNEL_SIGRTMAX);
  if (strncasecmp (s, "SIG", 3) == 0)
    s += 3;
  for (size_t i = 0; i < ELEMENTSOF (signal_names); i++)
    if (strcasecmp (s, signal_names[i].name) == 0)
      return signal_names[i].signal;
  if (strncasecmp (s, "RTMIN", 5) == 0 || strncasecmp (s, "RTMAX", 5) == 0)
    {
      bool is_min = strncasecmp (s, "RTMIN", 5) == 0;
      const char *rest = s + 5;
      if (!*rest)
        return is_min ? KERNEL_SIGRTMIN : KERNEL_SIGRTMAX;
      if (*rest != (is_min ? '+' : '-') || (n = parse_small_int (rest + 1, KERNEL_SIGRTMAX - KERNEL_SIGRTMIN)) < 0)
        return -EINVAL;
      return is_min ? KERNEL_SIGRTMIN + n : KERNEL_SIGRTMAX - n;
    }
  return -EINVAL;
}

int
hull_id_validate (const char *id, struct hull_error *err)
{
  size_t len = id ? strlen (id) : 0;

  if (len == 0)
    return hull_errx (err, EINVAL, "invalid id format: container id cannot be empty");
  if (len > 1024)
    return hull_errx (err, EINVAL, "invalid id format: container id is longer than 1024 characters");
  if (strcmp (id, ".") == 0 || strcmp (id, "..") == 0)
    return hull_errx (err, EINVAL, "invalid id format: %s", id);
  for (const char *p = id; *p; p++)
    {
      bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'
                || *p == '+' || *p == '-' || *p == '.';
      if (!ok)
        return hull_errx (err, EINVAL, "invalid id format: %s", id);
    }
  return 0;
}

/* True when we run in the initial user namespace (uid_map maps the whole range onto itself). */
static bool
in_initial_userns (void)
{
  _cleanup_fclose_ FILE *f = fopen ("/proc/self/uid_map", "re");
  unsigned long a, b, c;

  if (!f || fscanf (f, "%lu %lu %lu", &a, &b, &c) != 3)
    return true;
  return a == 0 && b == 0 && c == 4294967295UL;
}

char *
hull_default_root (void)
{
  const char *xdg = getenv ("XDG_RUNTIME_DIR");
  bool use_xdg = false;

  /* runc's rule: honour XDG_RUNTIME_DIR for non-root callers, and for "root" inside a user namespace
   * whose USER is not root (rootless podman and buildkit). */
  if (xdg && *xdg)
    {
      if (geteuid () != 0)
        use_xdg = true;
      else if (!in_initial_userns ())
        {
          const char *user = getenv ("USER");
          use_xdg = !user || strcmp (user, "root") != 0;
        }
    }
  return use_xdg ? xasprintf ("%s/hull", xdg) : xstrdup ("/run/hull");
}
