/* SPDX-License-Identifier: Apache-2.0 */
/* A tiny TAP producer for the C unit tests (meson `protocol : 'tap'`).
 *   ok (cond, "name %d", i);  ASSERT_EQ_INT (a, b);  ASSERT_STREQ (a, b);  tap_diag ("…");
 *   return tap_done ();       tap_skip_all ("reason") exits 77 with a TAP skip plan. */
#pragma once
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_count, tap_failed;

__attribute__ ((format (printf, 4, 5))) static inline bool
tap_ok (bool cond, const char *file, int line, const char *fmt, ...)
{
  va_list ap;
  printf ("%sok %d - ", cond ? "" : "not ", ++tap_count);
  va_start (ap, fmt);
  vprintf (fmt, ap);
  va_end (ap);
  printf ("\n");
  if (!cond)
    {
      tap_failed++;
      printf ("#   failed at %s:%d\n", file, line);
    }
  fflush (stdout);
  return cond;
}

#define ok(cond, ...) tap_ok (!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define tap_diag(...)                                                                                        \
  do                                                                                                         \
    {                                                                                                        \
      printf ("# ");                                                                                         \
      printf (__VA_ARGS__);                                                                                  \
      printf ("\n");                                                                                         \
    }                                                                                                        \
  while (0)

#define ASSERT_EQ_INT(a, b)                                                                                  \
  do                                                                                                         \
    {                                                                                                        \
      intmax_t _a = (intmax_t)(a), _b = (intmax_t)(b);                                                       \
      if (!ok (_a == _b, "%s == %s", #a, #b))                                                                \
        tap_diag ("  got %jd, expected %jd", _a, _b);                                                        \
    }                                                                                                        \
  while (0)

#define ASSERT_EQ_U64(a, b)                                                                                  \
  do                                                                                                         \
    {                                                                                                        \
      uint64_t _a = (uint64_t)(a), _b = (uint64_t)(b);                                                       \
      if (!ok (_a == _b, "%s == %s", #a, #b))                                                                \
        tap_diag ("  got %" PRIu64 ", expected %" PRIu64, _a, _b);                                           \
    }                                                                                                        \
  while (0)

#define ASSERT_STREQ(a, b)                                                                                   \
  do                                                                                                         \
    {                                                                                                        \
      const char *_a = (a), *_b = (b);                                                                       \
      if (!ok (_a && _b && strcmp (_a, _b) == 0, "%s == \"%s\"", #a, _b ? _b : "(null)"))                    \
        tap_diag ("  got \"%s\"", _a ? _a : "(null)");                                                       \
    }                                                                                                        \
  while (0)

static inline void
tap_skip_all (const char *reason)
{
  printf ("1..0 # SKIP %s\n", reason);
  exit (77);
}

static inline int
tap_done (void)
{
  printf ("1..%d\n", tap_count);
  return tap_failed ? 1 : 0;
}
