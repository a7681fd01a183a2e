/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON writer: a thin wrapper over yajl_gen (see json.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>
/* json.h's opaque node is yajl's tree node (here and in json.c only). */
#define json_node yajl_val_s
#include "json.h"
#include "../util.h"

struct json_gen
{
  yajl_gen g;
  char *indent; /* yajl keeps the pointer */
  int depth;
  bool failed; /* a yajl_gen call was refused (e.g. a non-string key) */
};

static void
gen_check (struct json_gen *g, yajl_gen_status st)
{
  if (st != yajl_gen_status_ok)
    g->failed = true;
}

struct json_gen *
json_gen_new_indent (const char *indent)
{
  struct json_gen *g = xzalloc (sizeof *g);
  g->g = yajl_gen_alloc (NULL);
  if (!g->g)
    abort ();
  if (indent)
    {
      g->indent = xstrdup (indent);
      yajl_gen_config (g->g, yajl_gen_beautify, 1);
      yajl_gen_config (g->g, yajl_gen_indent_string, g->indent);
    }
  return g;
}

struct json_gen *
json_gen_new (bool pretty)
{
  return json_gen_new_indent (pretty ? "\t" : NULL);
}

void
json_gen_free (struct json_gen *g)
{
  if (!g)
    return;
  yajl_gen_free (g->g);
  free (g->indent);
  free (g);
}

void
json_gen_map_open (struct json_gen *g)
{
  g->depth++;
  gen_check (g, yajl_gen_map_open (g->g));
}

void
json_gen_map_close (struct json_gen *g)
{
  g->depth--;
  gen_check (g, yajl_gen_map_close (g->g));
}

void
json_gen_array_open (struct json_gen *g)
{
  g->depth++;
  gen_check (g, yajl_gen_array_open (g->g));
}

void
json_gen_array_close (struct json_gen *g)
{
  g->depth--;
  gen_check (g, yajl_gen_array_close (g->g));
}

void
json_gen_string (struct json_gen *g, const char *s)
{
  if (!s)
    gen_check (g, yajl_gen_null (g->g));
  else
    gen_check (g, yajl_gen_string (g->g, (const unsigned char *)s, strlen (s)));
}

void
json_gen_int (struct json_gen *g, int64_t v)
{
  gen_check (g, yajl_gen_integer (g->g, (long long)v));
}

void
json_gen_u64 (struct json_gen *g, uint64_t v)
{
  char buf[32];
  int n = snprintf (buf, sizeof buf, "%" PRIu64, v);
  gen_check (g, yajl_gen_number (g->g, buf, (size_t)n));
}

void
json_gen_number_text (struct json_gen *g, const char *text)
{
  gen_check (g, yajl_gen_number (g->g, text, strlen (text)));
}

void
json_gen_bool (struct json_gen *g, bool v)
{
  gen_check (g, yajl_gen_bool (g->g, v));
}

void
json_gen_null (struct json_gen *g)
{
  gen_check (g, yajl_gen_null (g->g));
}

void
json_gen_value (struct json_gen *g, json_val v)
{
  switch (v ? v->type : yajl_t_null)
    {
    case yajl_t_string:
      json_gen_string (g, v->u.string);
      break;
    case yajl_t_number:
      json_gen_number_text (g, v->u.number.r);
      break;
    case yajl_t_true:
    case yajl_t_false:
      json_gen_bool (g, v->type == yajl_t_true);
      break;
    case yajl_t_object:
      json_gen_map_open (g);
      for (size_t i = 0; i < v->u.object.len; i++)
        {
          json_gen_string (g, v->u.object.keys[i]);
          json_gen_value (g, v->u.object.values[i]);
        }
      json_gen_map_close (g);
      break;
    case yajl_t_array:
      json_gen_array_open (g);
      for (size_t i = 0; i < v->u.array.len; i++)
        json_gen_value (g, v->u.array.values[i]);
      json_gen_array_close (g);
      break;
    default:
      json_gen_null (g);
      break;
    }
}

void
json_gen_kv_string (struct json_gen *g, const char *key, const char *value)
{
  json_gen_string (g, key);
  json_gen_string (g, value);
}

void
json_gen_kv_int (struct json_gen *g, const char *key, int64_t value)
{
  json_gen_string (g, key);
  json_gen_int (g, value);
}

void
json_gen_kv_u64 (struct json_gen *g, const char *key, uint64_t value)
{
  json_gen_string (g, key);
  json_gen_u64 (g, value);
}

void
json_gen_kv_bool (struct json_gen *g, const char *key, bool value)
{
  json_gen_string (g, key);
  json_gen_bool (g, value);
}

void
json_gen_kv_strv (struct json_gen *g, const char *key, char *const *strv)
{
  json_gen_string (g, key);
  json_gen_array_open (g);
  for (char *const *s = strv; s && *s; s++)
    json_gen_string (g, *s);
  json_gen_array_close (g);
}

int
json_gen_finish (struct json_gen *g, char **ret)
{
  const unsigned char *buf;
  size_t len;

  if (g->failed || g->depth != 0 || yajl_gen_get_buf (g->g, &buf, &len) != yajl_gen_status_ok)
    return -EINVAL;
  *ret = xstrndup ((const char *)buf, len);
  return 0;
}

char *
json_gen_text (struct json_gen *g)
{
  const unsigned char *buf = NULL;
  size_t len = 0;

  if (yajl_gen_get_buf (g->g, &buf, &len) != yajl_gen_status_ok || !buf)
    return xstrdup ("");
  return xstrndup ((const char *)buf, len);
}
