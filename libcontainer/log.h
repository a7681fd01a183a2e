/* SPDX-License-Identifier: Apache-2.0 */
/* Logging: text or runc-compatible JSON lines ({"level":"error","msg":"…","time":"RFC3339"}) to the
 * --log file (default stderr).  The library never prints errors itself; the CLI logs the final
 * error once.  Warnings end in ", ignoring" when they are ignored. */
#pragma once
#include <stdbool.h>

enum hull_log_level
{
  HULL_LOG_ERROR,
  HULL_LOG_WARNING,
  HULL_LOG_INFO,
  HULL_LOG_DEBUG,
};

enum hull_log_format
{
  HULL_LOG_TEXT,
  HULL_LOG_JSON,
};

/* path NULL: stderr.  Returns -errno if the log file cannot be opened. */
int hull_log_init (const char *path, enum hull_log_format format, bool debug);
bool hull_log_is_stderr (void);
bool hull_log_debug_enabled (void);
void hull_log (enum hull_log_level level, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* The fd of the log file (-1 when logging to stderr). */
int hull_log_fd (void);
/* Used in a forked child to stop logging through the parent's stdio buffers. */
void hull_log_set_fd (int fd);

#define hull_warn(...) hull_log (HULL_LOG_WARNING, __VA_ARGS__)
#define hull_debug(...)                                                                                      \
  do                                                                                                         \
    {                                                                                                        \
      if (hull_log_debug_enabled ())                                                                         \
        hull_log (HULL_LOG_DEBUG, __VA_ARGS__);                                                              \
    }                                                                                                        \
  while (0)
