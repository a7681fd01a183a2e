/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON layer: the only code that knows the JSON library (json.c and json-gen.c wrap it; no other
 * file includes its headers, so it can be swapped by rewriting those two files).
 *
 * Reading: load a file with a size cap, parse a buffer into a tree, and walk objects with
 * dispatch tables.  Every parser gets a `struct json_ctx` that names the JSON path, so errors read
 *   config.json: process.args: expected array of strings, got string
 * Unknown keys are ignored (debug log); a known key with the wrong type is an error.
 *
 * Writing: a thin generator (json_gen_*), for `state`, `features`, `spec`, `list`, `ps`, `events`,
 * state.json and the cgroup state. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../cleanup.h"
#include "../error.h"

/* An opaque tree node.  Nodes belong to the tree returned by json_parse(); free it with json_free().
 * (struct json_node is never defined: json.c maps it onto the library's node type.) */
typedef struct json_node *json_val;

enum json_type
{
  JSON_ANY = 0, /* in a json_field: no type check by the walker, the parser checks */
  JSON_STRING,
  JSON_NUMBER,
  JSON_OBJECT,
  JSON_ARRAY,
  JSON_BOOL,
  JSON_NULL,
};

/* The position of a value: a chain from the value up to the document.  The root carries the file
 * name ("config.json"); every other link is either an object key or an array index. */
struct json_ctx
{
  const struct json_ctx *parent;
  const char *file; /* root only */
  const char *key;  /* object member; NULL for an array element (then index) */
  size_t index;
};

#define JSON_CTX_ROOT(name) ((struct json_ctx){.file = (name)})
#define JSON_CTX_KEY(p, k) ((struct json_ctx){.parent = (p), .key = (k)})
#define JSON_CTX_INDEX(p, i) ((struct json_ctx){.parent = (p), .index = (i)})

/* Write the path of c ("process.rlimits[1].type") into buf. */
const char *json_ctx_path (const struct json_ctx *c, char *buf, size_t size);
/* Store "<file>: <path>: <message>" with EINVAL (printed without strerror); return -EINVAL. */
int json_error (const struct json_ctx *c, struct hull_error *err, const char *fmt, ...)
    __attribute__ ((format (printf, 3, 4)));
/* "<file>: <path>: expected <what>, got <type of v>" */
int json_type_error (json_val v, const char *what, const struct json_ctx *c, struct hull_error *err);

/* --- tree --- */

/* Read a whole file of at most max_size bytes (NUL-terminated).  `name` prefixes messages:
 * "config.json: file too large (N bytes, limit 16 MiB)". */
int json_read_file (const char *path, const char *name, size_t max_size, char **ret, size_t *ret_len,
                    struct hull_error *err);
/* Parse a NUL-terminated buffer; syntax errors read "<name>: parse error: …" on one line. */
int json_parse (const char *buf, const char *name, json_val *ret, struct hull_error *err);
void json_free (json_val v);
static inline void
json_freep (json_val *v)
{
  json_free (*v);
}

enum json_type json_type_of (json_val v);
const char *json_type_name (json_val v);    /* "string", "number", "object", "array", "boolean", "null" */
const char *json_string_value (json_val v); /* NULL unless a string */
const char *json_number_text (json_val v);  /* the number as written; NULL unless a number */
bool json_bool_value (json_val v);
size_t json_object_len (json_val v);
const char *json_object_key (json_val v, size_t i);
json_val json_object_value (json_val v, size_t i);
size_t json_array_len (json_val v);
json_val json_array_get (json_val v, size_t i);
/* The value of the first member named key, or NULL (also when v is not an object). */
json_val json_object_get (json_val v, const char *key);
/* True, with *ret, when v is a number written as an integer that fits int64_t ("12", "-3"; not
 * "1.5", "1e3" or an out-of-range integer). */
bool json_integer_value (json_val v, int64_t *ret);

/* --- dispatch --- */

/* A parser stores v into dst (which it may find already filled, when a key is repeated: the last
 * one wins, so free what is there first). */
typedef int (*json_parse_fn) (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err);

enum
{
  JSON_MANDATORY = 1 << 0, /* missing → "<path>: missing mandatory field" */
  JSON_NULLABLE = 1 << 1,  /* null → treated as absent (Go's encoding/json does the same) */
  JSON_HAS = 1 << 2,       /* after a successful parse, set the bool at has_offset */
};

struct json_field
{
  const char *name;
  enum json_type type; /* checked before calling parse unless JSON_ANY */
  json_parse_fn parse;
  size_t offset;
  unsigned flags;
  size_t has_offset; /* with JSON_HAS */
};

/* Walk the members of obj once, in order, against table (at most 64 entries); parse each known
 * member into base + field->offset. */
int json_dispatch (json_val obj, const struct json_field *table, size_t n_table, void *base,
                   const struct json_ctx *c, struct hull_error *err);
#define JSON_DISPATCH(obj, table, base, c, err)                                                              \
  json_dispatch ((obj), (table), ELEMENTSOF (table), (base), (c), (err))

/* Parse an array: allocate n * elem_size zeroed bytes, store them and the count in *ret and *ret_n at
 * once (so a destructor sees the partial array on failure), then call parse for each element. */
int json_parse_array (json_val v, size_t elem_size, json_parse_fn parse, void **ret, size_t *ret_n,
                      const struct json_ctx *c, struct hull_error *err);
/* A JSON object of strings into (struct hull_kv *, count), in document order (duplicates: last wins).
 * Whatever *ret held is freed first. */
struct hull_kv;
int json_parse_string_map (json_val v, struct hull_kv **ret, size_t *ret_n, const struct json_ctx *c,
                           struct hull_error *err);
void json_kv_free (struct hull_kv *kv, size_t n);

/* --- leaf parsers (dst types in parentheses) --- */
int json_parse_string (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err); /* char * */
int json_parse_strv (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err);   /* char ** */
int json_parse_bool (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err);   /* bool */
int json_parse_u16 (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err); /* uint16_t */
int json_parse_u32 (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err); /* uint32_t */
int json_parse_i32 (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err); /* int32_t */
int json_parse_int (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err); /* int */
int json_parse_i64 (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err); /* int64_t */
int json_parse_u64 (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err); /* uint64_t */
/* A file mode written as a JSON number in decimal (0644 is 420), at most 07777. (uint32_t) */
int json_parse_file_mode (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err);
/* A string that must start with '/'. (char *) */
int json_parse_abs_path (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err);
/* Checked integer in [min, max] (for callers with other ranges). */
int json_get_i64 (json_val v, int64_t min, int64_t max, int64_t *ret, const struct json_ctx *c,
                  struct hull_error *err);

/* --- writing --- */

struct json_gen;
/* pretty: indent with tabs like Go's json.MarshalIndent(v, "", "\t").  Note that the generator prints
 * an empty array or object over two lines when pretty. */
struct json_gen *json_gen_new (bool pretty);
/* Pretty with this indent per level (whitespace only, e.g. "  "); NULL: compact. */
struct json_gen *json_gen_new_indent (const char *indent);
void json_gen_free (struct json_gen *g);
static inline void
json_gen_freep (struct json_gen **g)
{
  if (*g)
    json_gen_free (*g);
}
void json_gen_map_open (struct json_gen *g);
void json_gen_map_close (struct json_gen *g);
void json_gen_array_open (struct json_gen *g);
void json_gen_array_close (struct json_gen *g);
void json_gen_string (struct json_gen *g, const char *s); /* also for keys; NULL emits null */
void json_gen_int (struct json_gen *g, int64_t v);
void json_gen_u64 (struct json_gen *g, uint64_t v);
/* A number emitted exactly as text (not checked: the caller passes a valid JSON number). */
void json_gen_number_text (struct json_gen *g, const char *text);
void json_gen_bool (struct json_gen *g, bool v);
void json_gen_null (struct json_gen *g);
/* A parsed value emitted again, recursively: members in document order, numbers as written. */
void json_gen_value (struct json_gen *g, json_val v);
/* key + value shorthands */
void json_gen_kv_string (struct json_gen *g, const char *key, const char *value);
void json_gen_kv_int (struct json_gen *g, const char *key, int64_t value);
void json_gen_kv_u64 (struct json_gen *g, const char *key, uint64_t value);
void json_gen_kv_bool (struct json_gen *g, const char *key, bool value);
/* key + array of strings (an empty or NULL vector emits an empty array) */
void json_gen_kv_strv (struct json_gen *g, const char *key, char *const *strv);
/* Take the text (NUL-terminated, caller frees).  Returns 0, or -EINVAL if the document is not
 * complete (unbalanced open/close) or a call was refused (a non-string key).  Free g afterwards. */
int json_gen_finish (struct json_gen *g, char **ret);
/* A copy of the text generated so far, complete or not, without checks (caller frees): for documents
 * whose shape is fixed by the code, and for a prefix that the caller completes itself. */
char *json_gen_text (struct json_gen *g);
