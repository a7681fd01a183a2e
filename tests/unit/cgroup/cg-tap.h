/* SPDX-License-Identifier: Apache-2.0 */
/* A tiny TAP producer for the cgroup unit tests, plus a fixture: a temporary directory holding empty
 * files named like cgroup files, and a trace of every cg_write() in order. */
#pragma once
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cgroup-internal.h"

static int tap_n, tap_failed;

static inline void
tap_ok (int cond, const char *fmt, ...)
{
  va_list ap;
  printf ("%s %d - ", cond ? "ok" : "not ok", ++tap_n);
  va_start (ap, fmt);
  vprintf (fmt, ap);
  va_end (ap);
  printf ("\n");
  if (!cond)
    tap_failed++;
}

#define EQ_U64(a, b)                                                                                         \
  do                                                                                                         \
    {                                                                                                        \
      unsigned long long _a = (a), _b = (b);                                                                 \
      tap_ok (_a == _b, "%s == %s (%llu vs %llu)", #a, #b, _a, _b);                                          \
    }                                                                                                        \
  while (0)
#define EQ_STR(a, b)                                                                                         \
  do                                                                                                         \
    {                                                                                                        \
      const char *_a = (a), *_b = (b);                                                                       \
      tap_ok (_a && _b && strcmp (_a, _b) == 0, "%s: \"%s\" == \"%s\"", #a, _a ? _a : "(null)", _b);         \
    }                                                                                                        \
  while (0)

static inline int
tap_done (void)
{
  printf ("1..%d\n", tap_n);
  return tap_failed ? 1 : 0;
}

/* ---- fixture ---- */
static char fx_dir[64];
static int fx_fd = -1;
static char fx_trace[8192];

static inline void
fx_trace_fn (const char *file, const char *value)
{
  size_t l = strlen (fx_trace);
  snprintf (fx_trace + l, sizeof fx_trace - l, "%s=%s\n", file, value);
}

/* A fresh directory holding the given empty files (NULL-terminated list). */
static inline int
fx_setup (const char *const *files)
{
  if (fx_fd >= 0)
    {
      char cmd[128];
      close (fx_fd);
      snprintf (cmd, sizeof cmd, "rm -rf '%s'", fx_dir);
      if (system (cmd) != 0)
        abort ();
    }
  snprintf (fx_dir, sizeof fx_dir, "/tmp/hull-cgtest-XXXXXX");
  if (!mkdtemp (fx_dir))
    abort ();
  fx_fd = open (fx_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  for (; files && *files; files++)
    {
      int fd = openat (fx_fd, *files, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0)
        abort ();
      close (fd);
    }
  fx_trace[0] = '\0';
  cg_write_trace = fx_trace_fn;
  return fx_fd;
}

/* Put content into a fixture file (for files the code reads). */
static inline void
fx_put (const char *file, const char *content)
{
  int fd = openat (fx_fd, file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0 || write (fd, content, strlen (content)) < 0)
    abort ();
  close (fd);
}

static inline void
fx_cleanup (void)
{
  char cmd[128];
  if (fx_fd < 0)
    return;
  close (fx_fd);
  fx_fd = -1;
  snprintf (cmd, sizeof cmd, "rm -rf '%s'", fx_dir);
  if (system (cmd) != 0)
    fprintf (stderr, "cannot remove %s\n", fx_dir);
}

/* Resources with every field unset. */
static inline void
res_init (struct hull_resources *r)
{
  memset (r, 0, sizeof *r);
  r->memory.limit = r->memory.reservation = r->memory.swap = r->memory.kernel = r->memory.kernel_tcp = HULL_UNSET_I64;
  r->memory.swappiness = HULL_UNSET;
  r->cpu.shares = r->cpu.burst = r->cpu.period = r->cpu.realtime_period = HULL_UNSET;
  r->cpu.quota = r->cpu.realtime_runtime = HULL_UNSET_I64;
  r->pids_limit = HULL_UNSET_I64;
}
