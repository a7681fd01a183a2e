/* SPDX-License-Identifier: Apache-2.0 */
/* Checked number parsers and the error helpers. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "error.h"
#include "tap.h"
#include "util.h"

static void
test_parse_u64 (void)
{
  uint64_t v = 7;
  ok (parse_u64 ("0", 10, &v) == 0 && v == 0, "u64 0");
  ok (parse_u64 ("18446744073709551615", 10, &v) == 0 && v == UINT64_MAX, "u64 max exactly");
  ok (parse_u64 ("18446744073709551616", 10, &v) == -ERANGE, "u64 max + 1 is ERANGE");
  ok (parse_u64 ("-1", 10, &v) == -EINVAL, "u64 rejects a minus sign (strtoull would wrap)");
  ok (parse_u64 ("+1", 10, &v) == -EINVAL, "u64 rejects a plus sign");
  ok (parse_u64 (" 1", 10, &v) == -EINVAL, "u64 rejects leading space");
  ok (parse_u64 ("1 ", 10, &v) == -EINVAL, "u64 rejects trailing space");
  ok (parse_u64 ("1.5", 10, &v) == -EINVAL, "u64 rejects a fraction");
  ok (parse_u64 ("", 10, &v) == -EINVAL, "u64 rejects empty");
  ok (parse_u64 (NULL, 10, &v) == -EINVAL, "u64 rejects NULL");
  ok (parse_u64 ("0755", 8, &v) == 0 && v == 0755, "u64 octal");
  ok (parse_u64 ("ff", 16, &v) == 0 && v == 255, "u64 hex");
  ok (parse_u64 ("12abc", 10, &v) == -EINVAL, "u64 rejects trailing garbage");
}

static void
test_parse_i64 (void)
{
  int64_t v = 7;
  int i = 0;
  ok (parse_i64 ("-9223372036854775808", 10, &v) == 0 && v == INT64_MIN, "i64 min exactly");
  ok (parse_i64 ("9223372036854775807", 10, &v) == 0 && v == INT64_MAX, "i64 max exactly");
  ok (parse_i64 ("9223372036854775808", 10, &v) == -ERANGE, "i64 max + 1 is ERANGE");
  ok (parse_i64 ("-9223372036854775809", 10, &v) == -ERANGE, "i64 min - 1 is ERANGE");
  ok (parse_i64 ("-1", 10, &v) == 0 && v == -1, "i64 -1");
  ok (parse_i64 ("", 10, &v) == -EINVAL, "i64 rejects empty");
  ok (parse_i64 ("1e3", 10, &v) == -EINVAL, "i64 rejects an exponent");
  ok (parse_i64 (" 5", 10, &v) == -EINVAL, "i64 rejects leading space");
  ok (parse_int ("2147483647", &i) == 0 && i == INT32_MAX, "int max");
  ok (parse_int ("2147483648", &i) < 0, "int max + 1 refused");
}

static void
test_errors (void)
{
  struct hull_error err = {0};
  char buf[HULL_ERR_MSG_MAX + 64];

  ok (hull_err (&err, ENOENT, "open `%s`", "config.json") == -ENOENT, "hull_err returns -errnum");
  ASSERT_STREQ (hull_err_text (&err, buf, sizeof buf), "open `config.json`: No such file or directory");
  ok (hull_err_prefix (&err, "load bundle `%s`", "/b") == -ENOENT,
      "hull_err_prefix returns the stored -errnum");
  ASSERT_STREQ (err.msg, "load bundle `/b`: open `config.json`");
  ASSERT_STREQ (hull_err_text (&err, buf, sizeof buf),
                "load bundle `/b`: open `config.json`: No such file or directory");

  ok (hull_errx (&err, EINVAL, "config.json: %s", "bad") == -EINVAL && err.no_strerror, "hull_errx");
  ASSERT_STREQ (hull_err_text (&err, buf, sizeof buf), "config.json: bad");
  hull_err_prefix (&err, "create");
  ASSERT_STREQ (hull_err_text (&err, buf, sizeof buf), "create: config.json: bad");
  ok (hull_err (&err, 0, "x") == -EIO, "errnum 0 becomes EIO");
  ok (hull_err (NULL, EPERM, "x") == -EPERM, "NULL error struct is allowed");
  hull_err_clear (&err);
  ok (err.errnum == 0 && err.msg[0] == '\0', "hull_err_clear");

  /* a long message is truncated, not overflowed */
  {
    char big[2000];
    memset (big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    hull_errx (&err, EINVAL, "%s", big);
    ok (strlen (err.msg) == HULL_ERR_MSG_MAX - 1, "message truncated to the buffer");
    hull_err_prefix (&err, "prefix");
    ok (strlen (err.msg) == HULL_ERR_MSG_MAX - 1 && str_has_prefix (err.msg, "prefix: aaa"),
        "prefix truncates too");
  }
}

int
main (void)
{
  test_parse_u64 ();
  test_parse_i64 ();
  test_errors ();
  return tap_done ();
}
