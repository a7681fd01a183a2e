/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources.unified: raw "file": "value" pairs written into the container's cgroup2 directory
 * (misc.max, memory.oom.group, …).  A key must be a plain file name (no '/', not "." or ".."), and its
 * controller prefix must be enabled in the cgroup (cgroup.controllers); "cgroup.*" keys need none. */
#include <errno.h>
#include <string.h>
#include "../cleanup.h"
#include "../util.h"
#include "cgroup-internal.h"

int
cg2_unified_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  _cleanup_free_ char *ctrls = NULL;
  if (r->n_unified == 0)
    return 0;
  if (cg_read (dirfd, "cgroup.controllers", &ctrls) < 0)
    ctrls = xstrdup ("");
  for (size_t i = 0; i < r->n_unified; i++)
    {
      const char *key = r->unified[i].key, *dot;
      _cleanup_free_ char *prefix = NULL;
      int rc;
      if (!key || !*key || strchr (key, '/') || strstr (key, "..") || strcmp (key, ".") == 0)
        return hull_errx (err, EINVAL, "linux.resources.unified: invalid key `%s`", key ? key : "");
      dot = strchr (key, '.');
      if (!dot || dot == key)
        return hull_errx (err, EINVAL, "linux.resources.unified: invalid key `%s` (expected <controller>.<file>)", key);
      prefix = xstrndup (key, (size_t) (dot - key));
      if (strcmp (prefix, "cgroup") != 0 && !cg_list_has (ctrls, prefix, " "))
        return hull_errx (err, ENOTSUP, "linux.resources.unified: key `%s`: controller `%s` is not enabled in the cgroup",
                          key, prefix);
      rc = cg_write (dirfd, key, r->unified[i].value ? r->unified[i].value : "", err);
      if (rc == -ENOENT)
        return hull_errx (err, EINVAL, "linux.resources.unified: key `%s`: no such cgroup file", key);
      if (rc < 0)
        return rc;
    }
  return 0;
}
