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
#include <sys/statfs.h>
#include <linux/magic.h>
#include <sys/statvfs.h>
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

static bool
cg_opts_has (const char *list, const char *word)
{
  size_t wl = strlen (word);
  for (const char *p = list; p && *p;)
    {
      size_t l = strcspn (p, ",");
      if (l == wl && strncmp (p, word, wl) == 0)
        return true;
      p += l;
      p += strspn (p, ",");
    }
  return false;
}

/* The container's own cgroup in the hierarchy whose /proc/self/cgroup controller field is `ctrls`
 * ("" for cgroup2), from the copy the init took before unsharing its cgroup namespace; the host
 * directory is mountpoint + that path.  NULL when unknown. */
static char *
host_cgroup_dir (const struct rootfs_ctx *c, const char *mountpoint, const char *ctrls)
{
  if (!c->self_cgroup)
    return NULL;
  size_t cl = strlen (ctrls);
  for (const char *line = c->self_cgroup; line && *line;)
    {
      const char *nl = strchr (line, '\n');
      const char *colon = strchr (line, ':');
      if (colon && (!nl || colon < nl))
        {
          const char *f = colon + 1, *colon2 = strchr (f, ':');
          if (colon2 && (!nl || colon2 < nl) && (size_t) (colon2 - f) == cl && strncmp (f, ctrls, cl) == 0)
            {
              const char *path = colon2 + 1;
              size_t pl = nl ? (size_t) (nl - path) : strlen (path);
              if (pl == 1 && path[0] == '/')
                pl = 0;
              return xasprintf ("%s%.*s", mountpoint, (int) pl, path);
            }
        }
      line = nl ? nl + 1 : NULL;
    }
  return NULL;
}

/* The flags of a mount as /proc/self/mountinfo lists them (field 6, the per-mount options) that a
 * bind remount must keep: in a user namespace they are locked and cannot be cleared. */
static unsigned long
mountinfo_lockable_flags (const char *mnt_opts)
{
  unsigned long f = 0;
  static const struct
  {
    const char *name;
    unsigned long flag;
  } map[] = { { "ro", MS_RDONLY }, { "nosuid", MS_NOSUID }, { "nodev", MS_NODEV }, { "noexec", MS_NOEXEC } };
  for (size_t i = 0; i < ELEMENTSOF (map); i++)
    if (cg_opts_has (mnt_opts, map[i].name))
      f |= map[i].flag;
  return f;
}

/* One hierarchy below the fresh tmpfs (top: an fd of its root): mkdirat, then a fresh cgroup mount
 * (cgroup namespace) or a bind of the container's own directory, remounted with the wanted flags.
 * The mount point is reached as /proc/self/fd/TOP/NAME: the tmpfs was just made by us in the
 * container's private mount namespace, and no container process exists yet to swap NAME for a
 * symlink (nor can one be made in a directory the container never saw).  src_flags: the mount
 * flags of the host hierarchy from mountinfo, kept on the bind (locked in a user namespace). */
static int
mount_one (struct rootfs_ctx *c, int top, const char *name, const char *fstype, const char *data,
           const char *host_dir, unsigned long flags, unsigned long src_flags, struct hull_error *err)
{
  if (!*name || !strcmp (name, ".") || !strcmp (name, ".."))
    return hull_errx (err, EINVAL, "cgroup mount point name `%s`", name);
  if (mkdirat (top, name, 0755) < 0 && errno != EEXIST)
    return hull_err (err, errno, "mkdir cgroup/%s", name);
  _cleanup_free_ char *tp = xasprintf ("/proc/self/fd/%d/%s", top, name);
  if (c->cgroupns)
    {
      if (mount (fstype, tp, fstype, flags, data) == 0)
        return 0;
      /* a user namespace cannot mount cgroup v1 (or cgroup2 without owning its cgroup): bind the
       * container's own cgroup directory instead, as runc does */
      if ((errno != EPERM && errno != EBUSY) || !host_dir)
        return hull_err (err, errno, "mount %s (%s) on cgroup/%s", fstype, data ? data : "", name);
    }
  if (!host_dir)
    return hull_errx (err, ENOENT, "cgroup/%s: the container's cgroup in this hierarchy is unknown", name);
  if (mount (host_dir, tp, NULL, MS_BIND | MS_REC, NULL) < 0)
    return hull_err (err, errno, "bind mount `%s` on cgroup/%s", host_dir, name);
  if (flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC))
    {
      unsigned long keep = (flags | src_flags) & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
      /* tp now crosses into the bind mount: the remount applies to it */
      if (mount (NULL, tp, NULL, MS_BIND | MS_REMOUNT | keep, NULL) < 0)
        return hull_err (err, errno, "remount cgroup/%s", name);
    }
  return 0;
}

int
rootfs_mount_cgroup (struct rootfs_ctx *c, const char *dest, int target_fd, unsigned long flags,
                     struct hull_error *err)
{
  /* only unified or not matters here (cgroup_detect_mode's second statfs, for the hybrid layout, is
   * not needed: the cgroup2 mount of a hybrid host is found in mountinfo below) */
  struct statfs root_sf;
  bool unified = statfs ("/sys/fs/cgroup", &root_sf) == 0 && root_sf.f_type == CGROUP2_SUPER_MAGIC;
  char tp[32];
  int r;

  snprintf (tp, sizeof tp, "/proc/self/fd/%d", target_fd);
  if (unified)
    {
      if (c->cgroupns)
        {
          if (mount ("cgroup2", tp, "cgroup2", flags, NULL) == 0)
            return 0;
          /* a user namespace without a cgroup it owns (rootless, not delegated) cannot mount cgroup2:
           * like runc, bind-mount the host's view instead */
          if (errno != EPERM && errno != EBUSY)
            return hull_err (err, errno, "mount cgroup2 on the cgroup mount point");
        }
      _cleanup_free_ char *host = host_cgroup_dir (c, "/sys/fs/cgroup", "");
      if (!host)
        return hull_errx (err, ENOENT, "the container's cgroup is unknown");
      if (mount (host, tp, NULL, MS_BIND | MS_REC, NULL) < 0)
        return hull_err (err, errno, "bind mount `%s`", host);
      unsigned long keep = flags & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC);
      if (keep)
        {
          _cleanup_close_ int m = rootfs_open_in_root (c->root_fd, dest, O_PATH | O_DIRECTORY, err);
          char mp[32];
          if (m < 0)
            return m;
          snprintf (mp, sizeof mp, "/proc/self/fd/%d", m);
          struct statfs sf;
          /* locked flags of the source must be kept in a user namespace */
          if (statfs (mp, &sf) == 0)
            keep |= (sf.f_flags & ST_NOSUID ? MS_NOSUID : 0) | (sf.f_flags & ST_NODEV ? MS_NODEV : 0)
                    | (sf.f_flags & ST_NOEXEC ? MS_NOEXEC : 0) | (sf.f_flags & ST_RDONLY ? MS_RDONLY : 0);
          if (mount (NULL, mp, NULL, MS_BIND | MS_REMOUNT | keep, NULL) < 0)
            return hull_err (err, errno, "remount the cgroup bind mount");
        }
      return 0;
    }

  if (mount ("tmpfs", tp, "tmpfs", flags & ~MS_RDONLY, "mode=755") < 0)
    return hull_err (err, errno, "mount tmpfs on the cgroup mount point");
  _cleanup_close_ int top = -1;
  /* the fd of the new tmpfs (target_fd still names the directory below it) */
  top = rootfs_open_in_root (c->root_fd, dest, O_PATH | O_DIRECTORY, err);
  if (top < 0)
    return top;
  _cleanup_free_ char *info = NULL;
  r = read_file_at (AT_FDCWD, "/proc/self/mountinfo", 16u << 20, &info, NULL);
  if (r < 0)
    return hull_err (err, -r, "read /proc/self/mountinfo");
  for (char *line = info, *next; line && *line; line = next)
    {
      char *sep;
      char mp[4096], mopts[1024], fstype[64], src[256], opts[1024];
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      sep = strstr (line, " - ");
      if (!sep || sscanf (line, "%*s %*s %*s %*s %4095s %1023s", mp, mopts) != 2
          || sscanf (sep + 3, "%63s %255s %1023s", fstype, src, opts) != 3)
        continue;
      if (!str_has_prefix (mp, "/sys/fs/cgroup/"))
        continue;
      const char *name = mp + strlen ("/sys/fs/cgroup/");
      if (strchr (name, '/'))
        continue;
      unsigned long src_flags = mountinfo_lockable_flags (mopts);
      if (!strcmp (fstype, "cgroup2"))
        {
          _cleanup_free_ char *host = host_cgroup_dir (c, mp, "");
          if ((r = mount_one (c, top, name, "cgroup2", NULL, host, flags, src_flags, err)) < 0)
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
      _cleanup_free_ char *host = host_cgroup_dir (c, mp, str_has_prefix (data, "none,") ? data + 5 : data);
      if ((r = mount_one (c, top, name, "cgroup", data, host, flags, src_flags, err)) < 0)
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
