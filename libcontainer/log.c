/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "log.h"

static int log_fd = -1; /* -1: stderr */
static enum hull_log_format log_format = HULL_LOG_TEXT;
static bool log_debug;

int
hull_log_init (const char *path, enum hull_log_format format, bool debug)
{
  log_format = format;
  log_debug = debug;
  if (path && *path && strcmp (path, "/dev/stderr") != 0)
    {
      int fd = open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
      if (fd < 0)
        return -errno;
      log_fd = fd;
    }
  return 0;
}

bool
hull_log_is_stderr (void)
{
  return log_fd < 0;
}

bool
hull_log_debug_enabled (void)
{
  return log_debug;
}

int
hull_log_fd (void)
{
  return log_fd;
}

void
hull_log_set_fd (int fd)
{
  log_fd = fd;
}

static const char *const level_names[] = { "error", "warning", "info", "debug" };

/* JSON string escaping of s into out (always NUL-terminated). */
static void
json_escape (const char *s, char *out, size_t size)
{
  size_t o = 0;
  for (; *s && o + 7 < size; s++)
    {
      unsigned char c = (unsigned char) *s;
      if (c == '"' || c == '\\')
        {
          out[o++] = '\\';
          out[o++] = (char) c;
        }
      else if (c == '\n')
        {
          out[o++] = '\\';
          out[o++] = 'n';
        }
      else if (c == '\t')
        {
          out[o++] = '\\';
          out[o++] = 't';
        }
      else if (c < 0x20)
        o += (size_t) snprintf (out + o, size - o, "\\u%04x", c);
      else
        out[o++] = (char) c;
    }
  out[o] = '\0';
}

void
hull_log (enum hull_log_level level, const char *fmt, ...)
{
  char msg[2048], line[4600];
  va_list ap;
  int saved = errno;
  int fd = log_fd >= 0 ? log_fd : STDERR_FILENO;
  int n;

  if (level == HULL_LOG_DEBUG && !log_debug)
    return;
  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);

  if (log_format == HULL_LOG_JSON)
    {
      char esc[4200], ts[64];
      struct timespec now;
      struct tm tm;
      clock_gettime (CLOCK_REALTIME, &now);
      gmtime_r (&now.tv_sec, &tm);
      snprintf (ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
      json_escape (msg, esc, sizeof esc);
      n = snprintf (line, sizeof line, "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n", level_names[level],
                    esc, ts);
    }
  else if (level == HULL_LOG_ERROR && log_fd < 0)
    n = snprintf (line, sizeof line, "hull: %s\n", msg);
  else
    n = snprintf (line, sizeof line, "hull: %s: %s\n", level_names[level], msg);
  if (n > (int) sizeof line - 1)
    n = (int) sizeof line - 1;
  if (n > 0 && write (fd, line, (size_t) n) < 0)
    { /* nowhere left to report it */
    }
  errno = saved;
}
