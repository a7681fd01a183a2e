/* SPDX-License-Identifier: Apache-2.0 */
/* yajl 2.1 behind json.h: file loading, tree access, the dispatch walker and the leaf parsers (the
 * writer is json-gen.c).  Nothing outside these two files includes a yajl header. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>
/* json.h's opaque node is yajl's tree node (here only). */
#define json_node yajl_val_s
#include "json.h"
#include "spec.h"
#include "../cleanup.h"
#include "../log.h"
#include "../util.h"

/* Deeper documents are refused before yajl sees them: yajl_tree_free() recurses. */
#define JSON_MAX_DEPTH 512

/* --- paths and errors --- */

static size_t
path_append (const struct json_ctx *c, char *buf, size_t size, size_t pos)
{
  int n;
  if (!c || !c->parent)
    return pos; /* the root has no path component */
  pos = path_append (c->parent, buf, size, pos);
  if (pos >= size)
    return pos;
  if (c->key)
    n = snprintf (buf + pos, size - pos, "%s%s", pos > 0 ? "." : "", c->key);
  else
    n = snprintf (buf + pos, size - pos, "[%zu]", c->index);
  return n < 0 ? pos : pos + (size_t)n;
}

const char *
json_ctx_path (const struct json_ctx *c, char *buf, size_t size)
{
  if (size == 0)
    return buf;
  buf[0] = '\0';
  path_append (c, buf, size, 0);
  buf[size - 1] = '\0';
  return buf;
}

static const char *
ctx_file (const struct json_ctx *c)
{
  while (c && c->parent)
    c = c->parent;
  return c && c->file ? c->file : "config.json";
}

int
json_error (const struct json_ctx *c, struct hull_error *err, const char *fmt, ...)
{
  char path[512], msg[HULL_ERR_MSG_MAX];
  va_list ap;

  va_start (ap, fmt);
  vsnprintf (msg, sizeof msg, fmt, ap);
  va_end (ap);
  json_ctx_path (c, path, sizeof path);
  if (path[0])
    return hull_errx (err, EINVAL, "%s: %s: %s", ctx_file (c), path, msg);
  return hull_errx (err, EINVAL, "%s: %s", ctx_file (c), msg);
}

int
json_type_error (json_val v, const char *what, const struct json_ctx *c, struct hull_error *err)
{
  return json_error (c, err, "expected %s, got %s", what, json_type_name (v));
}

/* --- tree --- */

int
json_read_file (const char *path, const char *name, size_t max_size, char **ret, size_t *ret_len,
                struct hull_error *err)
{
  _cleanup_close_ int fd = -1;
  _cleanup_free_ char *buf = NULL;
  struct stat st;
  size_t len = 0, cap;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return hull_err (err, errno, "open `%s`", path);
  if (fstat (fd, &st) < 0)
    return hull_err (err, errno, "stat `%s`", path);
  if (S_ISDIR (st.st_mode))
    return hull_errx (err, EISDIR, "%s: is a directory", name);
  if (S_ISREG (st.st_mode) && (uint64_t)st.st_size > max_size)
    return hull_errx (err, EFBIG, "%s: file too large (%" PRIu64 " bytes, limit %zu MiB)", name,
                      (uint64_t)st.st_size, max_size >> 20);
  /* one read for a regular file; pipes grow the buffer */
  cap = S_ISREG (st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
  buf = xmalloc (cap + 1);
  for (;;)
    {
      ssize_t n;
      if (len == cap)
        {
          if (cap > max_size)
            return hull_errx (err, EFBIG, "%s: file too large (more than %zu bytes, limit %zu MiB)", name,
                              max_size, max_size >> 20);
          cap *= 2;
          buf = xrealloc (buf, cap + 1);
        }
      n = read (fd, buf + len, cap - len);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return hull_err (err, errno, "read `%s`", path);
        }
      if (n == 0)
        break;
      len += (size_t)n;
    }
  if (len > max_size)
    return hull_errx (err, EFBIG, "%s: file too large (%zu bytes, limit %zu MiB)", name, len, max_size >> 20);
  buf[len] = '\0';
  if (ret_len)
    *ret_len = len;
  *ret = TAKE_PTR (buf);
  return 0;
}

/* Fold yajl's multi-line message (message, snippet, caret line) into one line. */
static void
fold_message (char *s)
{
  char *w = s;
  bool space = false;
  for (char *r = s; *r; r++)
    {
      if (*r == '\n' || *r == '\r' || *r == ' ' || *r == '\t')
        {
          space = true;
          continue;
        }
      if (space && w != s)
        *w++ = ' ';
      space = false;
      *w++ = *r;
    }
  *w = '\0';
}

static int
check_depth (const char *buf, const char *name, struct hull_error *err)
{
  unsigned depth = 0;
  bool in_string = false;
  for (const char *p = buf; *p; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1])
            p++;
          else if (*p == '"')
            in_string = false;
          continue;
        }
      if (*p == '"')
        in_string = true;
      else if (*p == '[' || *p == '{')
        {
          if (++depth > JSON_MAX_DEPTH)
            return hull_errx (err, EINVAL, "%s: parse error: nesting deeper than %d levels", name,
                              JSON_MAX_DEPTH);
        }
      else if ((*p == ']' || *p == '}') && depth > 0)
        depth--;
    }
  return 0;
}

int
json_parse (const char *buf, const char *name, json_val *ret, struct hull_error *err)
{
  char errbuf[1024] = "";
  yajl_val v;
  int r;

  r = check_depth (buf, name, err);
  if (r < 0)
    return r;
  v = yajl_tree_parse (buf, errbuf, sizeof errbuf);
  if (!v)
    {
      fold_message (errbuf);
      return hull_errx (err, EINVAL, "%s: %s", name, errbuf[0] ? errbuf : "parse error");
    }
  *ret = v;
  return 0;
}

void
json_free (json_val v)
{
  if (v)
    yajl_tree_free (v);
}

enum json_type
json_type_of (json_val v)
{
  if (!v)
    return JSON_NULL;
  switch (v->type)
    {
    case yajl_t_string:
      return JSON_STRING;
    case yajl_t_number:
      return JSON_NUMBER;
    case yajl_t_object:
      return JSON_OBJECT;
    case yajl_t_array:
      return JSON_ARRAY;
    case yajl_t_true:
    case yajl_t_false:
      return JSON_BOOL;
    default:
      return JSON_NULL;
    }
}

const char *
json_type_name (json_val v)
{
  static const char *const names[] = {
      [JSON_ANY] = "value",   [JSON_STRING] = "string", [JSON_NUMBER] = "number", [JSON_OBJECT] = "object",
      [JSON_ARRAY] = "array", [JSON_BOOL] = "boolean",  [JSON_NULL] = "null",
  };
  return names[json_type_of (v)];
}

const char *
json_string_value (json_val v)
{
  return YAJL_IS_STRING (v) ? v->u.string : NULL;
}

const char *
json_number_text (json_val v)
{
  return YAJL_IS_NUMBER (v) ? v->u.number.r : NULL;
}

bool
json_bool_value (json_val v)
{
  return YAJL_IS_TRUE (v);
}

size_t
json_object_len (json_val v)
{
  return YAJL_IS_OBJECT (v) ? v->u.object.len : 0;
}

const char *
json_object_key (json_val v, size_t i)
{
  return v->u.object.keys[i];
}

json_val
json_object_value (json_val v, size_t i)
{
  return v->u.object.values[i];
}

size_t
json_array_len (json_val v)
{
  return YAJL_IS_ARRAY (v) ? v->u.array.len : 0;
}

json_val
json_array_get (json_val v, size_t i)
{
  return v->u.array.values[i];
}

json_val
json_object_get (json_val v, const char *key)
{
  for (size_t i = 0; i < json_object_len (v); i++)
    if (strcmp (v->u.object.keys[i], key) == 0)
      return v->u.object.values[i];
  return NULL;
}

bool
json_integer_value (json_val v, int64_t *ret)
{
  return YAJL_IS_INTEGER (v) && (*ret = YAJL_GET_INTEGER (v), true);
}

/* --- dispatch --- */

static const char *
expected_name (enum json_type t)
{
  switch (t)
    {
    case JSON_STRING:
      return "string";
    case JSON_NUMBER:
      return "integer";
    case JSON_OBJECT:
      return "object";
    case JSON_ARRAY:
      return "array";
    case JSON_BOOL:
      return "boolean";
    case JSON_NULL:
      return "null";
    case JSON_ANY:
      break;
    }
  return "value";
}

int
json_dispatch (json_val obj, const struct json_field *table, size_t n_table, void *base,
               const struct json_ctx *c, struct hull_error *err)
{
  uint64_t seen = 0;
  size_t n;

  if (!YAJL_IS_OBJECT (obj))
    return json_type_error (obj, "object", c, err);
  n = obj->u.object.len;
  for (size_t i = 0; i < n; i++)
    {
      const char *key = obj->u.object.keys[i];
      json_val v = obj->u.object.values[i];
      const struct json_field *f = NULL;
      struct json_ctx child = JSON_CTX_KEY (c, key);
      size_t j;
      int r;

      for (j = 0; j < n_table; j++)
        if (strcmp (table[j].name, key) == 0)
          {
            f = &table[j];
            break;
          }
      if (!f)
        {
          if (hull_log_debug_enabled ())
            {
              char path[512];
              hull_debug ("%s: %s: unknown field, ignoring", ctx_file (c),
                          json_ctx_path (&child, path, sizeof path));
            }
          continue;
        }
      if (YAJL_IS_NULL (v) && (f->flags & JSON_NULLABLE))
        continue;
      if (f->type != JSON_ANY && json_type_of (v) != f->type)
        return json_type_error (v, expected_name (f->type), &child, err);
      r = f->parse (v, (char *)base + f->offset, &child, err);
      if (r < 0)
        return r;
      if (f->flags & JSON_HAS)
        *(bool *)((char *)base + f->has_offset) = true;
      if (j < 64)
        seen |= UINT64_C (1) << j;
    }
  for (size_t j = 0; j < n_table && j < 64; j++)
    if ((table[j].flags & JSON_MANDATORY) && !(seen & (UINT64_C (1) << j)))
      {
        struct json_ctx child = JSON_CTX_KEY (c, table[j].name);
        return json_error (&child, err, "missing mandatory field");
      }
  return 0;
}

int
json_parse_array (json_val v, size_t elem_size, json_parse_fn parse, void **ret, size_t *ret_n,
                  const struct json_ctx *c, struct hull_error *err)
{
  size_t n;
  char *items;

  if (!YAJL_IS_ARRAY (v))
    return json_type_error (v, "array", c, err);
  n = v->u.array.len;
  items = n ? xzalloc (n * elem_size) : NULL;
  *ret = items;
  *ret_n = n;
  for (size_t i = 0; i < n; i++)
    {
      struct json_ctx child = JSON_CTX_INDEX (c, i);
      int r = parse (v->u.array.values[i], items + i * elem_size, &child, err);
      if (r < 0)
        return r;
    }
  return 0;
}

void
json_kv_free (struct hull_kv *kv, size_t n)
{
  for (size_t i = 0; kv && i < n; i++)
    {
      free (kv[i].key);
      free (kv[i].value);
    }
  free (kv);
}

int
json_parse_string_map (json_val v, struct hull_kv **ret, size_t *ret_n, const struct json_ctx *c,
                       struct hull_error *err)
{
  struct hull_kv *kv;
  size_t n, count = 0;

  if (!YAJL_IS_OBJECT (v))
    return json_type_error (v, "object of strings", c, err);
  json_kv_free (*ret, *ret_n);
  *ret = NULL;
  *ret_n = 0;
  n = v->u.object.len;
  if (n == 0)
    return 0;
  kv = xzalloc (n * sizeof *kv);
  *ret = kv;
  for (size_t i = 0; i < n; i++)
    {
      const char *key = v->u.object.keys[i];
      json_val val = v->u.object.values[i];
      size_t j;

      if (!YAJL_IS_STRING (val))
        {
          struct json_ctx child = JSON_CTX_KEY (c, key);
          return json_type_error (val, "string", &child, err);
        }
      for (j = 0; j < count; j++) /* a repeated key: the last one wins, in the first one's place */
        if (strcmp (kv[j].key, key) == 0)
          break;
      if (j == count)
        {
          kv[count].key = xstrdup (key);
          *ret_n = ++count;
        }
      free (kv[j].value);
      kv[j].value = xstrdup (val->u.string);
    }
  return 0;
}

/* --- leaf parsers --- */

int
json_parse_string (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  char **s = dst;
  if (!YAJL_IS_STRING (v))
    return json_type_error (v, "string", c, err);
  free (*s);
  *s = xstrdup (v->u.string);
  return 0;
}

int
json_parse_strv (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  char ***strv = dst;
  size_t n;
  char **out;

  if (!YAJL_IS_ARRAY (v))
    return json_type_error (v, "array of strings", c, err);
  n = v->u.array.len;
  for (size_t i = 0; i < n; i++)
    if (!YAJL_IS_STRING (v->u.array.values[i]))
      {
        struct json_ctx child = JSON_CTX_INDEX (c, i);
        return json_type_error (v->u.array.values[i], "string", &child, err);
      }
  out = xmalloc ((n + 1) * sizeof *out);
  for (size_t i = 0; i < n; i++)
    out[i] = xstrdup (v->u.array.values[i]->u.string);
  out[n] = NULL;
  strv_free (*strv);
  *strv = out;
  return 0;
}

int
json_parse_bool (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  if (!YAJL_IS_TRUE (v) && !YAJL_IS_FALSE (v))
    return json_type_error (v, "boolean", c, err);
  *(bool *)dst = YAJL_IS_TRUE (v);
  return 0;
}

/* yajl keeps the number as written; "1.5", "1e3" and "-0.0" are numbers but not integers. */
static bool
is_integer_text (const char *s)
{
  if (*s == '-')
    s++;
  if (!*s)
    return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return false;
  return true;
}

static int
get_u64 (json_val v, uint64_t max, uint64_t *ret, const struct json_ctx *c, struct hull_error *err)
{
  uint64_t x;

  if (!YAJL_IS_NUMBER (v))
    return json_type_error (v, "integer", c, err);
  if (!is_integer_text (v->u.number.r))
    return json_error (c, err, "expected integer, got %s", v->u.number.r);
  /* parse the text: yajl's own integer stops at INT64_MAX */
  if (parse_u64 (v->u.number.r, 10, &x) < 0 || x > max)
    return json_error (c, err, "%s is out of range (0 to %" PRIu64 ")", v->u.number.r, max);
  *ret = x;
  return 0;
}

int
json_get_i64 (json_val v, int64_t min, int64_t max, int64_t *ret, const struct json_ctx *c,
              struct hull_error *err)
{
  int64_t x;

  if (!YAJL_IS_NUMBER (v))
    return json_type_error (v, "integer", c, err);
  if (!is_integer_text (v->u.number.r))
    return json_error (c, err, "expected integer, got %s", v->u.number.r);
  if (parse_i64 (v->u.number.r, 10, &x) < 0 || x < min || x > max)
    return json_error (c, err, "%s is out of range (%" PRId64 " to %" PRId64 ")", v->u.number.r, min, max);
  *ret = x;
  return 0;
}

int
json_parse_u16 (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  uint64_t x;
  int r = get_u64 (v, UINT16_MAX, &x, c, err);
  if (r < 0)
    return r;
  *(uint16_t *)dst = (uint16_t)x;
  return 0;
}

int
json_parse_u32 (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  uint64_t x;
  int r = get_u64 (v, UINT32_MAX, &x, c, err);
  if (r < 0)
    return r;
  *(uint32_t *)dst = (uint32_t)x;
  return 0;
}

int
json_parse_u64 (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  return get_u64 (v, UINT64_MAX, dst, c, err);
}

int
json_parse_i32 (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  int64_t x;
  int r = json_get_i64 (v, INT32_MIN, INT32_MAX, &x, c, err);
  if (r < 0)
    return r;
  *(int32_t *)dst = (int32_t)x;
  return 0;
}

int
json_parse_int (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  int64_t x;
  int r = json_get_i64 (v, INT_MIN, INT_MAX, &x, c, err);
  if (r < 0)
    return r;
  *(int *)dst = (int)x;
  return 0;
}

int
json_parse_i64 (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  return json_get_i64 (v, INT64_MIN, INT64_MAX, dst, c, err);
}

int
json_parse_file_mode (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  uint64_t x;
  int r = get_u64 (v, 07777, &x, c, err);
  if (r < 0)
    return r;
  *(uint32_t *)dst = (uint32_t)x;
  return 0;
}

int
json_parse_abs_path (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  if (!YAJL_IS_STRING (v))
    return json_type_error (v, "string", c, err);
  if (v->u.string[0] != '/')
    return json_error (c, err, "must be an absolute path");
  return json_parse_string (v, dst, c, err);
}
