/* SPDX-License-Identifier: Apache-2.0 */
/* v1 devices controller: deny everything ("a" to devices.deny), then write each rule in config order
 * to devices.allow or devices.deny, so the last matching rule decides, as in the v2 eBPF filter. */
#include <stdio.h>
#include "cgroup-internal.h"

static void
num (char *buf, size_t size, int64_t v)
{
  if (v < 0)
    snprintf (buf, size, "*");
  else
    snprintf (buf, size, "%lld", (long long) v);
}

int
cg1_devices_apply (int dirfd, const struct hull_resources *r, struct hull_error *err)
{
  int rc;
  if (r->n_devices == 0)
    return 0;
  rc = cg_write (dirfd, "devices.deny", "a", err);
  if (rc < 0)
    return rc;
  for (size_t i = 0; i < r->n_devices; i++)
    {
      const struct hull_device_cgroup *d = &r->devices[i];
      const char *file = d->allow ? "devices.allow" : "devices.deny";
      const char *access = d->access && *d->access ? d->access : "rwm";
      char maj[24], min[24];
      char type = d->type ? d->type : 'a';
      if (type == 'a' && d->major < 0 && d->minor < 0 && cg_list_has ("rwm mrw", access, " "))
        rc = cg_write (dirfd, file, "a", err);
      else
        {
          num (maj, sizeof maj, d->major);
          num (min, sizeof min, d->minor);
          rc = cg_writef (dirfd, file, err, "%c %s:%s %s", type, maj, min, access);
        }
      if (rc < 0)
        return rc;
    }
  return 0;
}
