/* SPDX-License-Identifier: Apache-2.0 */
/* v1 devices controller: deny everything ("a" to devices.deny), then write each rule in config order
 * to devices.allow or devices.deny, so the last matching rule decides, as in the v2 eBPF filter. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../cleanup.h"
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
  /* one fd per file, one write per rule; a rule identical to the one just written (the leading
   * deny-all of most configs repeats ours) changes nothing and is skipped */
  static const char *const files[] = { "devices.deny", "devices.allow" };
  _cleanup_close_ int deny_fd = -1, allow_fd = -1;
  int *fds[2] = { &deny_fd, &allow_fd };
  char last[128] = "", rule[128];
  int last_file = -1;
  if (r->n_devices == 0)
    return 0;
  for (size_t i = 0; i <= r->n_devices; i++)
    {
      int f, rc;
      if (i == 0)
        {
          f = 0;
          snprintf (rule, sizeof rule, "a");
        }
      else
        {
          const struct hull_device_cgroup *d = &r->devices[i - 1];
          const char *access = d->access && *d->access ? d->access : "rwm";
          char maj[24], min[24];
          char type = d->type ? d->type : 'a';
          f = d->allow ? 1 : 0;
          if (type == 'a' && d->major < 0 && d->minor < 0 && cg_list_has ("rwm mrw", access, " "))
            snprintf (rule, sizeof rule, "a");
          else
            {
              num (maj, sizeof maj, d->major);
              num (min, sizeof min, d->minor);
              snprintf (rule, sizeof rule, "%c %s:%s %s", type, maj, min, access);
            }
        }
      if (f == last_file && strcmp (rule, last) == 0)
        continue;
      if (*fds[f] < 0 && (*fds[f] = cg_open_write (dirfd, files[f])) < 0)
        return hull_err (err, errno, "write \"%s\" to %s", rule, files[f]);
      rc = cg_write_fd (*fds[f], files[f], rule, err);
      if (rc < 0)
        return rc;
      last_file = f;
      snprintf (last, sizeof last, "%s", rule);
    }
  return 0;
}
