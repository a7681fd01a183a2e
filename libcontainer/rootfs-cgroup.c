/* SPDX-License-Identifier: Apache-2.0 */
/* A mount of type "cgroup": cgroup2 on a unified host; on v1 and hybrid hosts a tmpfs holding one
 * mount per v1 hierarchy (plus cgroup2 at unified/ on hybrid hosts).  With a cgroup namespace each
 * hierarchy is mounted afresh (the kernel shows the namespace root); without one the container's
 * own cgroup directory is bind-mounted, so the host's tree never shows. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cgroup/cgroup.h"
#include "cleanup.h"
#include "rootfs.h"
#include "util.h"

static bool
generic_option (const char *o)
{
  static const char *const generic[] = { "rw", "ro", "nosuid", "nodev", "noexec", "relatime", "noatime",
                                         "xattr", "clone_children", "noprefix", "cpuset_v2_mode" };
  for (size_t i = 0; i < ELEMENTSOF (generic); i++)
    if (!strcmp (o, generic[i]))
      return true;
  return str_has_prefix (o, "release_agent=");
}

static int
mount_one (struct rootfs_ctx *c, int parent_fd, const char *name, const char *fstype, const char *data,
           const char *host_dir, unsigned long flags, struct hull_error *err)
{
  char tp[32];
  _cleanup_free_ char *rel = xasprintf ("%s", name);
  _cleanup_close_ int t = -1;
  {
    char pp[32];
    snprintf (pp, sizeof pp, "/proc/self/fd/%d", parent_fd);
    _cleanup_close_ int dir = open (pp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0)
      return hull_err (err, errno, "open cgroup mount point");
    if (mkdirat (dir, name, 0755) < 0 && errno != EEXIST)
      return hull_err (err, errno, "mkdir cgroup/%s", name);
    t = openat (dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC | O_DIRECTORY);
    if (t < 0)
      return hull_err (err, errno, "open cgroup/%s", name);
  }
  snprintf (tp, sizeof tp, "/proc/self/fd/%d", t);
  if (c->cgroupns || !host_dir)
    {
      if (mount (fstype, tp, fstype, flags, data) < 0)
        return hull_err (err, errno, "mount %s (%s) on cgroup/%s", fstype, data ? data : "", name);
      return 0;
    }
  if (mount (host_dir, tp, NULL, MS_BIND | MS_REC, NULL) < 0)
    return hull_err (err, errno, "bind mount `%s` on cgroup/%s", host_dir, name);
  if (flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC))
    {
      _cleanup_close_ int m = openat (parent_fd, name, O_PATH | O_CLOEXEC);
      char mp[32];
      snprintf (mp, sizeof mp, "/proc/self/fd/%d", m);
      if (m < 0 || mount (NULL, mp, NULL, MS_BIND | MS_REMOUNT | (flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)), NULL) < 0)
        return hull_err (err, errno, "remount cgroup/%s", name);
    }
  return 0;
}

int
rootfs_mount_cgroup (struct rootfs_ctx *c, const char *dest, int target_fd, unsigned long flags,
                     struct hull_error *err)
{
  enum hull_cgroup_mode mode = cgroup_detect_mode ();
  char tp[32];
  int r;

  snprintf (tp, sizeof tp, "/proc/self/fd/%d", target_fd);
  if (mode == HULL_CGROUP_V2)
    {
      if (c->cgroupns || !c->cgroup_path)
        {
          if (mount ("cgroup2", tp, "cgroup2", flags, NULL) < 0)
            return hull_err (err, errno, "mount cgroup2 on the cgroup mount point");
          return 0;
        }
      _cleanup_free_ char *host = xasprintf ("/sys/fs/cgroup%s", c->cgroup_path);
      if (mount (host, tp, NULL, MS_BIND | MS_REC, NULL) < 0)
        return hull_err (err, errno, "bind mount `%s`", host);
      return 0;
    }

  if (mount ("tmpfs", tp, "tmpfs", flags & ~MS_RDONLY, "mode=755") < 0)
    return hull_err (err, errno, "mount tmpfs on the cgroup mount point");
  _cleanup_close_ int top = -1;
  /* the fd of the new tmpfs (target_fd still names the directory below it) */
  top = rootfs_open_in_root (c->root_fd, dest, O_PATH | O_DIRECTORY, err);
  if (top < 0)
    return top;
  _cleanup_fclose_ FILE *f = fopen ("/proc/self/mountinfo", "re");
  if (!f)
    return hull_err (err, errno, "open /proc/self/mountinfo");
  _cleanup_free_ char *line = NULL;
  size_t cap = 0;
  while (getline (&line, &cap, f) > 0)
    {
      char *sep = strstr (line, " - ");
      char mp[4096], fstype[64], src[256], opts[1024];
      if (!sep || sscanf (line, "%*s %*s %*s %*s %4095s", mp) != 1
          || sscanf (sep + 3, "%63s %255s %1023s", fstype, src, opts) != 3)
        continue;
      if (!str_has_prefix (mp, "/sys/fs/cgroup/"))
        continue;
      const char *name = mp + strlen ("/sys/fs/cgroup/");
      if (strchr (name, '/'))
        continue;
      if (!strcmp (fstype, "cgroup2"))
        {
          _cleanup_free_ char *host = c->cgroup_path ? xasprintf ("%s%s", mp, c->cgroup_path) : NULL;
          if ((r = mount_one (c, top, name, "cgroup2", NULL, host, flags, err)) < 0)
            return r;
          continue;
        }
      if (strcmp (fstype, "cgroup") != 0)
        continue;
      /* the controllers (or name=) of this hierarchy */
      char data[1024] = "";
      size_t dl = 0;
      bool named = false;
      for (char *save = NULL, *o = strtok_r (opts, ",", &save); o; o = strtok_r (NULL, ",", &save))
        {
          if (generic_option (o))
            continue;
          if (str_has_prefix (o, "name="))
            named = true;
          dl += (size_t) snprintf (data + dl, sizeof data - dl, "%s%s", dl ? "," : "", o);
        }
      if (named && !strstr (data, "none"))
        {
          char tmp[1024];
          snprintf (tmp, sizeof tmp, "none,%s", data);
          strcpy (data, tmp);
        }
      _cleanup_free_ char *host = c->cgroup_path ? xasprintf ("%s%s", mp, c->cgroup_path) : NULL;
      if ((r = mount_one (c, top, name, "cgroup", data, host, flags, err)) < 0)
        return r;
    }
  if (flags & MS_RDONLY)
    {
      char pp[32];
      snprintf (pp, sizeof pp, "/proc/self/fd/%d", top);
      if (mount (NULL, pp, NULL, MS_REMOUNT | MS_RDONLY | (flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC)), "mode=755") < 0)
        return hull_err (err, errno, "make the cgroup tmpfs read-only");
    }
  return 0;
}
