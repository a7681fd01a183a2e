/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "error.h"

static int
store (struct hull_error *err, int errnum, bool no_strerror, const char *fmt, va_list ap)
{
  if (errnum <= 0)
    errnum = errnum < 0 ? -errnum : EIO;
  if (err)
    {
      err->errnum = errnum;
      err->no_strerror = no_strerror;
      vsnprintf (err->msg, sizeof err->msg, fmt, ap);
    }
  return -errnum;
}

int
hull_err (struct hull_error *err, int errnum, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int r = store (err, errnum, false, fmt, ap);
  va_end (ap);
  return r;
}

int
hull_errx (struct hull_error *err, int errnum, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  int r = store (err, errnum, true, fmt, ap);
  va_end (ap);
  return r;
}

int
hull_err_prefix (struct hull_error *err, const char *fmt, ...)
{
  char prefix[HULL_ERR_MSG_MAX], old[HULL_ERR_MSG_MAX];
  va_list ap;

  if (!err)
    return -EIO;
  va_start (ap, fmt);
  vsnprintf (prefix, sizeof prefix, fmt, ap);
  va_end (ap);
  memcpy (old, err->msg, sizeof old);
  snprintf (err->msg, sizeof err->msg, "%s: %s", prefix, old);
  return -(err->errnum ? err->errnum : EIO);
}

const char *
hull_err_text (const struct hull_error *err, char *buf, unsigned size)
{
  if (err->no_strerror || err->errnum == 0)
    snprintf (buf, size, "%s", err->msg);
  else
    snprintf (buf, size, "%s: %s", err->msg, strerror (err->errnum));
  return buf;
}

void
hull_err_clear (struct hull_error *err)
{
  err->errnum = 0;
  err->no_strerror = false;
  err->msg[0] = '\0';
}
