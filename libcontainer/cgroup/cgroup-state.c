/* SPDX-License-Identifier: Apache-2.0 */
/* The cgroup manager serialised for state.json, as a compact JSON object:
 *   {"mode":"hybrid","disabled":false,"rootless":false,
 *    "hierarchies":[{"controllers":"cpu,cpuacct","mount":"/sys/fs/cgroup/cpu,cpuacct","rel":"/a/b",
 *                    "path":"/sys/fs/cgroup/cpu,cpuacct/a/b","created":"/sys/fs/cgroup/cpu,cpuacct/a",
 *                    "unified":false}, …]}
 * "created" is the top-most directory this container created (null: none); destroy removes the leaf
 * and its parents up to and including it.
 *
 * Also here, because it works from those stored hierarchies: cgroup_enter_sub(), `exec --cgroup`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include "../cleanup.h"
#include "../spec/json.h"
#include "../util.h"
#include "cgroup-internal.h"

static const char *const mode_names[] = {
  [HULL_CGROUP_NONE] = "none",
  [HULL_CGROUP_V1] = "v1",
  [HULL_CGROUP_HYBRID] = "hybrid",
  [HULL_CGROUP_V2] = "v2",
};

char *
cgroup_to_string (const struct hull_cgroup *cg)
{
  _cleanup_ (json_gen_freep) struct json_gen *g = json_gen_new_indent (NULL);
  json_gen_map_open (g);
  json_gen_kv_string (g, "mode", mode_names[cg->mode]);
  json_gen_kv_bool (g, "disabled", cg->disabled);
  json_gen_kv_bool (g, "rootless", cg->rootless);
  json_gen_string (g, "hierarchies");
  json_gen_array_open (g);
  for (size_t i = 0; i < cg->n; i++)
    {
      const struct cg_hier *h = &cg->h[i];
      json_gen_map_open (g);
      json_gen_kv_string (g, "controllers", h->controllers);
      json_gen_kv_string (g, "mount", h->mount);
      json_gen_kv_string (g, "rel", h->rel);
      json_gen_kv_string (g, "path", h->path);
      json_gen_kv_string (g, "created", h->created);
      json_gen_kv_bool (g, "unified", h->unified);
      json_gen_map_close (g);
    }
  json_gen_array_close (g);
  json_gen_map_close (g);
  return json_gen_text (g);
}

static char *
get_str (json_val obj, const char *key)
{
  const char *s = json_string_value (json_object_get (obj, key));
  return s ? xstrdup (s) : NULL;
}

static bool
get_true (json_val obj, const char *key)
{
  json_val v = json_object_get (obj, key);
  return json_type_of (v) == JSON_BOOL && json_bool_value (v);
}

int
cgroup_from_string (const char *s, struct hull_cgroup **ret, struct hull_error *err)
{
  _cleanup_ (json_freep) json_val root = NULL;
  struct hull_cgroup *cg;
  json_val hs;
  const char *ms;
  int r;

  if ((r = json_parse (s, "parse cgroup state", &root, err)) < 0)
    return r;
  if (json_type_of (root) != JSON_OBJECT)
    return hull_errx (err, EINVAL, "parse cgroup state: not an object");
  ms = json_string_value (json_object_get (root, "mode"));
  hs = json_object_get (root, "hierarchies");
  if (!ms || json_type_of (hs) != JSON_ARRAY)
    return hull_errx (err, EINVAL, "parse cgroup state: missing mode or hierarchies");
  cg = xzalloc (sizeof *cg);
  cg->mode = HULL_CGROUP_NONE;
  for (size_t i = 0; i < ELEMENTSOF (mode_names); i++)
    if (strcmp (mode_names[i], ms) == 0)
      cg->mode = (enum hull_cgroup_mode) i;
  cg->disabled = get_true (root, "disabled");
  cg->rootless = get_true (root, "rootless");
  for (size_t i = 0; i < json_array_len (hs); i++)
    {
      json_val o = json_array_get (hs, i);
      struct cg_hier h = { .fd = -1 };
      if (json_type_of (o) != JSON_OBJECT)
        continue;
      h.controllers = get_str (o, "controllers");
      h.mount = get_str (o, "mount");
      h.rel = get_str (o, "rel");
      h.path = get_str (o, "path");
      h.created = get_str (o, "created");
      h.unified = get_true (o, "unified");
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

/* --- exec --cgroup [CTRL[,CTRL…]:]PATH, repeatable (runc) --- */

struct sub_cgroup
{
  char *ctrl; /* "" = every controller (and the unified hierarchy) */
  char *path;
};

static void
sub_cgroups_free (struct sub_cgroup *v, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free (v[i].ctrl), free (v[i].path);
  free (v);
}

static bool
path_escapes (const char *path)
{
  _cleanup_free_ char *copy = xstrdup (path);
  for (char *save = NULL, *c = strtok_r (copy, "/", &save); c; c = strtok_r (NULL, "/", &save))
    if (!strcmp (c, ".."))
      return true;
  return false;
}

static int
parse_sub_cgroups (char *const *args, struct sub_cgroup **ret, size_t *ret_n, struct hull_error *err)
{
  struct sub_cgroup *v = NULL;
  size_t n = 0;
  int r = 0;
  for (size_t i = 0; args && args[i] && r == 0; i++)
    {
      const char *a = args[i], *colon = strchr (a, ':');
      const char *path = colon ? colon + 1 : a;
      if (!*path || path_escapes (path))
        {
          r = hull_errx (err, EINVAL, "invalid --cgroup argument: %s (bad <path>)", a);
          break;
        }
      _cleanup_free_ char *ctrls = colon ? xstrndup (a, (size_t) (colon - a)) : xstrdup ("");
      char *save = NULL, *c = colon ? strtok_r (ctrls, ",", &save) : ctrls;
      if (colon && (!c || ctrls[0] == ',' || strstr (ctrls, ",,") || ctrls[strlen (ctrls) - 1] == ','))
        {
          r = hull_errx (err, EINVAL, "invalid --cgroup argument: %s (empty <controller> prefix)", a);
          break;
        }
      for (; c && r == 0; c = colon ? strtok_r (NULL, ",", &save) : NULL)
        {
          for (size_t j = 0; j < n; j++)
            if (!strcmp (v[j].ctrl, c))
              r = *c ? hull_errx (err, EINVAL, "invalid --cgroup argument(s): controller %s specified multiple times", c)
                     : hull_errx (err, EINVAL, "invalid --cgroup argument(s): multiple <path> specified: %s", a);
          if (r < 0)
            break;
          v = xrealloc (v, (n + 1) * sizeof *v);
          v[n].ctrl = xstrdup (c);
          v[n++].path = xstrdup (path);
        }
    }
  if (r < 0)
    {
      sub_cgroups_free (v, n);
      return r;
    }
  *ret = v;
  *ret_n = n;
  return 0;
}

int
cgroup_enter_sub (struct hull_cgroup *cg, pid_t pid, char *const *specs, struct hull_error *err)
{
  struct sub_cgroup *subs = NULL;
  _cleanup_free_ bool *used = NULL;
  size_t n = 0;
  char buf[16];
  int r;

  if (!specs || !specs[0])
    return cgroup_enter (cg, pid, err);
  if ((r = parse_sub_cgroups (specs, &subs, &n, err)) < 0)
    return r;
  used = xzalloc ((n + 1) * sizeof *used);
  for (size_t i = 0; i < n; i++)
    if (cg->mode == HULL_CGROUP_V2 && subs[i].ctrl[0])
      {
        r = hull_errx (err, EINVAL, "invalid --cgroup argument: %s:%s (cgroup v2 has no per-controller paths)",
                       subs[i].ctrl, subs[i].path);
        goto out;
      }
  snprintf (buf, sizeof buf, "%d", (int) pid);
  for (size_t i = 0; i < cg->n; i++)
    {
      const struct cg_hier *h = &cg->h[i];
      const char *sub = NULL;
      for (size_t k = 0; k < n && !sub; k++)
        if (subs[k].ctrl[0] && !h->unified && cg_list_has (h->controllers, subs[k].ctrl, ","))
          sub = subs[k].path, used[k] = true;
      for (size_t k = 0; k < n && !sub; k++)
        if (!subs[k].ctrl[0])
          sub = subs[k].path, used[k] = true;
      _cleanup_free_ char *dir = sub ? xasprintf ("%s/%s", h->path, sub) : xstrdup (h->path);
      _cleanup_free_ char *procs = xasprintf ("%s/cgroup.procs", dir);
      if ((r = write_file_at (AT_FDCWD, procs, buf, strlen (buf), 0)) < 0)
        {
          r = sub ? hull_err (err, -r, "join sub-cgroup `%s`", dir) : hull_err (err, -r, "enter cgroup `%s`", dir);
          goto out;
        }
    }
  for (size_t k = 0; k < n; k++)
    if (!used[k])
      {
        r = hull_errx (err, EINVAL, "invalid --cgroup argument: controller `%s` is not mounted", subs[k].ctrl);
        goto out;
      }
  r = 0;
out:
  sub_cgroups_free (subs, n);
  return r;
}
