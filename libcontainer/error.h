/* SPDX-License-Identifier: Apache-2.0 */
/* Errors: functions return >= 0 on success and -errno on failure, and fill a caller-owned
 * struct hull_error exactly once, at the point of failure.  The struct holds no pointers, so it
 * can cross a fork or the sync socket as plain bytes. */
#pragma once
#include <stdbool.h>
#include <stdarg.h>

#define HULL_ERR_MSG_MAX 1024

struct hull_error
{
  int errnum;       /* positive errno, 0 when no error is stored */
  bool no_strerror; /* the message is complete without ": strerror(errnum)" */
  char msg[HULL_ERR_MSG_MAX];
};

/* Store "fmt" and errnum; return -errnum (errnum 0 becomes EIO). */
int hull_err (struct hull_error *err, int errnum, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));
/* The same, printed without strerror. */
int hull_errx (struct hull_error *err, int errnum, const char *fmt, ...) __attribute__ ((format (printf, 3, 4)));
/* Prepend "<context>: " to the stored message; return the stored -errnum. */
int hull_err_prefix (struct hull_error *err, const char *fmt, ...) __attribute__ ((format (printf, 2, 3)));
/* The full text: "msg" or "msg: strerror". */
const char *hull_err_text (const struct hull_error *err, char *buf, unsigned size);
void hull_err_clear (struct hull_error *err);
