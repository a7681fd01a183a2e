/* SPDX-License-Identifier: Apache-2.0 */
/* The cgroup manager serialised for state.json, as a compact JSON object:
 *   {"mode":"hybrid","disabled":false,"rootless":false,
 *    "hierarchies":[{"controllers":"cpu,cpuacct","mount":"/sys/fs/cgroup/cpu,cpuacct","rel":"/a/b",
 *                    "path":"/sys/fs/cgroup/cpu,cpuacct/a/b","created":"/sys/fs/cgroup/cpu,cpuacct/a",
 *                    "unified":false}, …]}
 * "created" is the top-most directory this container created (null: none); destroy removes the leaf
 * and its parents up to and including it. */
#include <errno.h>
#include <string.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>
#include "../cleanup.h"
#include "../util.h"
#include "cgroup-internal.h"

static const char *const mode_names[] = {
  [HULL_CGROUP_NONE] = "none",
  [HULL_CGROUP_V1] = "v1",
  [HULL_CGROUP_HYBRID] = "hybrid",
  [HULL_CGROUP_V2] = "v2",
};

static void
gen_str (yajl_gen g, const char *s)
{
  if (s)
    yajl_gen_string (g, (const unsigned char *) s, strlen (s));
  else
    yajl_gen_null (g);
}

char *
cgroup_to_string (const struct hull_cgroup *cg)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  const unsigned char *buf;
  size_t len;
  char *out;
  yajl_gen_map_open (g);
  gen_str (g, "mode");
  gen_str (g, mode_names[cg->mode]);
  gen_str (g, "disabled");
  yajl_gen_bool (g, cg->disabled);
  gen_str (g, "rootless");
  yajl_gen_bool (g, cg->rootless);
  gen_str (g, "hierarchies");
  yajl_gen_array_open (g);
  for (size_t i = 0; i < cg->n; i++)
    {
      const struct cg_hier *h = &cg->h[i];
      yajl_gen_map_open (g);
      gen_str (g, "controllers");
      gen_str (g, h->controllers);
      gen_str (g, "mount");
      gen_str (g, h->mount);
      gen_str (g, "rel");
      gen_str (g, h->rel);
      gen_str (g, "path");
      gen_str (g, h->path);
      gen_str (g, "created");
      gen_str (g, h->created);
      gen_str (g, "unified");
      yajl_gen_bool (g, h->unified);
      yajl_gen_map_close (g);
    }
  yajl_gen_array_close (g);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  out = xstrndup ((const char *) buf, len);
  yajl_gen_free (g);
  return out;
}

static yajl_val
get (yajl_val obj, const char *key, yajl_type type)
{
  const char *path[] = { key, NULL };
  return yajl_tree_get (obj, path, type);
}

static char *
get_str (yajl_val obj, const char *key)
{
  yajl_val v = get (obj, key, yajl_t_string);
  return v ? xstrdup (YAJL_GET_STRING (v)) : NULL;
}

static void
yajl_tree_freep (yajl_val *v)
{
  if (*v)
    yajl_tree_free (*v);
}

int
cgroup_from_string (const char *s, struct hull_cgroup **ret, struct hull_error *err)
{
  char ebuf[256] = "";
  _cleanup_ (yajl_tree_freep) yajl_val root = yajl_tree_parse (s, ebuf, sizeof ebuf);
  struct hull_cgroup *cg;
  yajl_val mode, hs;
  if (!root || !YAJL_IS_OBJECT (root))
    return hull_errx (err, EINVAL, "parse cgroup state: %s", *ebuf ? ebuf : "not an object");
  mode = get (root, "mode", yajl_t_string);
  hs = get (root, "hierarchies", yajl_t_array);
  if (!mode || !hs)
    return hull_errx (err, EINVAL, "parse cgroup state: missing mode or hierarchies");
  const char *ms = YAJL_GET_STRING (mode);
  if (!ms)
    return hull_errx (err, EINVAL, "parse cgroup state: bad mode");
  cg = xzalloc (sizeof *cg);
  cg->mode = HULL_CGROUP_NONE;
  for (size_t i = 0; i < ELEMENTSOF (mode_names); i++)
    if (strcmp (mode_names[i], ms) == 0)
      cg->mode = (enum hull_cgroup_mode) i;
  cg->disabled = YAJL_IS_TRUE (get (root, "disabled", yajl_t_any));
  cg->rootless = YAJL_IS_TRUE (get (root, "rootless", yajl_t_any));
  for (size_t i = 0; i < YAJL_GET_ARRAY (hs)->len; i++)
    {
      yajl_val o = YAJL_GET_ARRAY (hs)->values[i];
      struct cg_hier h = { .fd = -1 };
      if (!YAJL_IS_OBJECT (o))
        continue;
      h.controllers = get_str (o, "controllers");
      h.mount = get_str (o, "mount");
      h.rel = get_str (o, "rel");
      h.path = get_str (o, "path");
      h.created = get_str (o, "created");
      h.unified = YAJL_IS_TRUE (get (o, "unified", yajl_t_any));
      if (!h.controllers || !h.mount || !h.rel || !h.path)
        {
          free (h.controllers);
          free (h.mount);
          free (h.rel);
          free (h.path);
          free (h.created);
          cgroup_free (cg);
          return hull_errx (err, EINVAL, "parse cgroup state: incomplete hierarchy entry");
        }
      cg->h = xrealloc (cg->h, (cg->n + 1) * sizeof *cg->h);
      cg->h[cg->n++] = h;
    }
  if (cg->mode == HULL_CGROUP_NONE)
    cg->disabled = true;
  *ret = cg;
  return 0;
}
