/* SPDX-License-Identifier: Apache-2.0 */
/* hull-payload: a small static program copied into the test rootfs at /bin/hull-payload.
 * It reports what the container process sees where busybox is not precise enough.
 *
 *   hull-payload fds          one line per open fd: "FD TARGET"
 *   hull-payload caps         CapInh/CapPrm/CapEff/CapBnd/CapAmb lines from /proc/self/status
 *   hull-payload sleep N      sleep N seconds (fractions allowed)
 *   hull-payload exit N       exit with status N
 *   hull-payload signals [N]  print the name of each signal received; exit N (default 0) after SIGTERM
 *   hull-payload umask        print the umask in octal (4 digits)
 *   hull-payload rlimits      one line per resource: "NAME SOFT HARD" (-1 = unlimited)
 *   hull-payload pid          print getpid() and getppid()
 *   hull-payload kill-self S  raise signal S (number) with its default action
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int cmd_fds (void)
{
  DIR *d = opendir ("/proc/self/fd");
  if (d == NULL)
    {
      perror ("opendir /proc/self/fd");
      return 1;
    }
  int self = dirfd (d);
  struct dirent *de;
  while ((de = readdir (d)) != NULL)
    {
      if (de->d_name[0] == '.')
        continue;
      int fd = atoi (de->d_name);
      if (fd == self)
        continue;
      char path[64], target[4096];
      snprintf (path, sizeof path, "/proc/self/fd/%d", fd);
      ssize_t n = readlink (path, target, sizeof target - 1);
      if (n < 0)
        n = 0;
      target[n] = '\0';
      printf ("%d %s\n", fd, target);
    }
  closedir (d);
  return 0;
}

static int cmd_caps (void)
{
  FILE *f = fopen ("/proc/self/status", "re");
  if (f == NULL)
    {
      perror ("open /proc/self/status");
      return 1;
    }
  char line[512];
  while (fgets (line, sizeof line, f))
    if (strncmp (line, "Cap", 3) == 0)
      fputs (line, stdout);
  fclose (f);
  return 0;
}

static int cmd_sleep (const char *arg)
{
  double s = arg ? strtod (arg, NULL) : 1.0;
  struct timespec ts = { .tv_sec = (time_t) s, .tv_nsec = (long) ((s - (double) (time_t) s) * 1e9) };
  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
  return 0;
}

static volatile sig_atomic_t got_term;

static void on_signal (int sig)
{
  /* write(2) is async-signal-safe; sigabbrev_np is a table lookup. */
  const char *name = sigabbrev_np (sig);
  char buf[32];
  int n = snprintf (buf, sizeof buf, "SIG%s\n", name ? name : "UNKNOWN");
  if (write (STDOUT_FILENO, buf, (size_t) n) < 0)
    _exit (2);
  if (sig == SIGTERM)
    got_term = 1;
}

static int cmd_signals (const char *arg)
{
  struct sigaction sa = { .sa_handler = on_signal };
  sigemptyset (&sa.sa_mask);
  for (int s = 1; s < NSIG; s++)
    if (s != SIGKILL && s != SIGSTOP)
      sigaction (s, &sa, NULL);
  setvbuf (stdout, NULL, _IONBF, 0);
  printf ("ready\n");
  while (!got_term)
    pause ();
  return arg ? atoi (arg) : 0;
}

static int cmd_umask (void)
{
  mode_t m = umask (0);
  umask (m);
  printf ("%04o\n", (unsigned) m);
  return 0;
}

static int cmd_rlimits (void)
{
  static const struct
  {
    const char *name;
    int res;
  } table[] = {
    { "RLIMIT_AS", RLIMIT_AS },           { "RLIMIT_CORE", RLIMIT_CORE },
    { "RLIMIT_CPU", RLIMIT_CPU },         { "RLIMIT_DATA", RLIMIT_DATA },
    { "RLIMIT_FSIZE", RLIMIT_FSIZE },     { "RLIMIT_LOCKS", RLIMIT_LOCKS },
    { "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
    { "RLIMIT_NICE", RLIMIT_NICE },       { "RLIMIT_NOFILE", RLIMIT_NOFILE },
    { "RLIMIT_NPROC", RLIMIT_NPROC },     { "RLIMIT_RSS", RLIMIT_RSS },
    { "RLIMIT_RTPRIO", RLIMIT_RTPRIO },   { "RLIMIT_RTTIME", RLIMIT_RTTIME },
    { "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    {
      struct rlimit rl;
      if (getrlimit (table[i].res, &rl) < 0)
        continue;
      printf ("%s %lld %lld\n", table[i].name, rl.rlim_cur == RLIM_INFINITY ? -1LL : (long long) rl.rlim_cur,
              rl.rlim_max == RLIM_INFINITY ? -1LL : (long long) rl.rlim_max);
    }
  return 0;
}

int main (int argc, char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "usage: hull-payload fds|caps|sleep N|exit N|signals [N]|umask|rlimits|pid|kill-self S\n");
      return 64;
    }
  const char *cmd = argv[1], *arg = argc > 2 ? argv[2] : NULL;
  if (strcmp (cmd, "fds") == 0)
    return cmd_fds ();
  if (strcmp (cmd, "caps") == 0)
    return cmd_caps ();
  if (strcmp (cmd, "sleep") == 0)
    return cmd_sleep (arg);
  if (strcmp (cmd, "exit") == 0)
    return arg ? atoi (arg) : 0;
  if (strcmp (cmd, "signals") == 0)
    return cmd_signals (arg);
  if (strcmp (cmd, "umask") == 0)
    return cmd_umask ();
  if (strcmp (cmd, "rlimits") == 0)
    return cmd_rlimits ();
  if (strcmp (cmd, "pid") == 0)
    {
      printf ("%d %d\n", (int) getpid (), (int) getppid ());
      return 0;
    }
  if (strcmp (cmd, "kill-self") == 0)
    {
      int s = arg ? atoi (arg) : SIGKILL;
      signal (s, SIG_DFL);
      raise (s);
      return 125;
    }
  fprintf (stderr, "hull-payload: unknown command `%s`\n", cmd);
  return 64;
}
