/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include "caps.h"
#include "cleanup.h"
#include "log.h"

static int
name_to_cap (const char *name, cap_value_t *ret, struct hull_error *err)
{
  if (cap_from_name (name, ret) < 0)
    return hull_errx (err, EINVAL, "unknown capability `%s`", name);
  return 0;
}

static int
in_list (char *const *list, cap_value_t cap, bool *ret, struct hull_error *err)
{
  *ret = false;
  for (size_t i = 0; list && list[i]; i++)
    {
      cap_value_t v;
      int r = name_to_cap (list[i], &v, err);
      if (r < 0)
        return r;
      if (v == cap)
        *ret = true;
    }
  return 0;
}

int
caps_apply_bounding (const struct hull_capabilities *caps, struct hull_error *err)
{
  /* no capabilities object: leave the bounding set alone; an object without `bounding` means an
   * empty one (runc), so `"capabilities": {}` drops everything */
  if (!caps)
    return 0;
  for (cap_value_t c = 0; c < (cap_value_t) cap_max_bits (); c++)
    {
      bool keep;
      int r = in_list (caps->bounding, c, &keep, err);
      if (r < 0)
        return r;
      if (!keep && prctl (PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
        return hull_err (err, errno, "drop capability %d from the bounding set", (int) c);
    }
  return 0;
}

static void
cap_t_freep (cap_t *c)
{
  if (*c)
    cap_free (*c);
}

int
caps_apply (const struct hull_capabilities *caps, struct hull_error *err)
{
  if (!caps)
    return 0; /* no capabilities object: leave the process's capabilities as they are */
  _cleanup_ (cap_t_freep) cap_t set = cap_init ();
  struct
  {
    char *const *list;
    cap_flag_t flag;
  } sets[] = {
    { caps->effective, CAP_EFFECTIVE },
    { caps->permitted, CAP_PERMITTED },
    { caps->inheritable, CAP_INHERITABLE },
  };
  for (size_t i = 0; i < ELEMENTSOF (sets); i++)
    for (size_t j = 0; sets[i].list && sets[i].list[j]; j++)
      {
        cap_value_t v;
        int r = name_to_cap (sets[i].list[j], &v, err);
        if (r < 0)
          return r;
        if (!CAP_IS_SUPPORTED (v))
          continue;
        cap_set_flag (set, sets[i].flag, 1, &v, CAP_SET);
      }
  if (cap_set_proc (set) < 0)
    return hull_err (err, errno, "apply capabilities");
  if (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
    return hull_err (err, errno, "clear ambient capabilities");
  for (size_t j = 0; caps->ambient && caps->ambient[j]; j++)
    {
      cap_value_t v;
      int r = name_to_cap (caps->ambient[j], &v, err);
      if (r < 0)
        return r;
      /* the kernel raises an ambient capability only if it is permitted and inheritable; like runc,
       * a config that lists it in ambient alone gets a warning, not a failure */
      if (CAP_IS_SUPPORTED (v) && prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, v, 0, 0) < 0)
        hull_debug ("raise ambient capability %s: %s, ignoring", caps->ambient[j], strerror (errno));
    }
  return 0;
}
