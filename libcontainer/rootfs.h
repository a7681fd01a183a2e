/* SPDX-License-Identifier: Apache-2.0 */
/* The container's filesystem view, built inside the new mount namespace by the init process:
 * root propagation → bind of the rootfs → config mounts in order → /dev (default devices,
 * linux.devices, symlinks, ptmx, console) → masked and read-only paths → pivot_root (or chroot
 * with --no-pivot) → read-only root.  Every path inside the rootfs is resolved with
 * openat2(RESOLVE_IN_ROOT) and every mount targets an fd (/proc/self/fd/N), never a re-resolved
 * string. */
#pragma once
#include <stdbool.h>
#include "error.h"
#include "spec/spec.h"

struct rootfs_ctx
{
  const struct hull_spec *spec;
  const char *rootfs; /* absolute host path */
  const char *bundle; /* relative mount sources are resolved against it */
  bool userns;        /* a user namespace: mknod is impossible, devices are bind-mounted */
  bool no_pivot;
  int console_slave_fd; /* >= 0: bind it onto /dev/console */
  int root_fd;          /* O_PATH fd of the rootfs mount, filled by rootfs_setup */
  bool cgroupns;          /* a new cgroup namespace: cgroup mounts are fresh, not binds */
  const char *mount_label;  /* linux.mountLabel when SELinux is enabled (context= on mounts), else NULL */
  const char *self_cgroup; /* /proc/self/cgroup as read before the cgroup namespace, or NULL */
  /* mount_fds[i] >= 0: a detached id-mapped tree for mounts[i], made by the parent (mount-idmap.c),
   * attached with move_mount; NULL when there are none */
  const int *mount_fds;
};

/* Everything up to (not including) pivot_root. */
int rootfs_setup (struct rootfs_ctx *c, struct hull_error *err);
/* pivot_root (or MS_MOVE + chroot), then root.readonly. */
int rootfs_pivot (struct rootfs_ctx *c, struct hull_error *err);

/* mounts[index] of the config onto its destination (mount.c). */
int rootfs_mount_entry (struct rootfs_ctx *c, size_t index, struct hull_error *err);
/* MS_* flags the mount at `path` has (those a bind remount must keep, mount.c). */
unsigned long rootfs_locked_flags (const char *path);
/* MS_BIND|MS_REMOUNT with `flags`, keeping the mount's current flags unless in `clear` (and all of
 * them when the kernel has them locked). */
int rootfs_bind_remount (const char *fdpath, unsigned long flags, unsigned long clear, const char *what,
                         struct hull_error *err);

/* A mount of type "cgroup" onto target_fd (rootfs-cgroup.c). */
int rootfs_mount_cgroup (struct rootfs_ctx *c, const char *dest, int target_fd, unsigned long flags,
                         struct hull_error *err);

/* Open `path` inside the tree rooted at root_fd (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS). */
int rootfs_open_in_root (int root_fd, const char *path, int flags, struct hull_error *err);
/* mkdir -p inside the root; with `file` the last component is created as an empty file.
 * Returns an O_PATH fd of the result. */
int rootfs_mkdir_in_root (int root_fd, const char *path, mode_t mode, bool file, struct hull_error *err);

/* The home directory of uid in the container's /etc/passwd (root_fd: the container's root), or "/"
 * when there is none; used for HOME when process.env has no HOME (runc does the same). */
char *rootfs_passwd_home (int root_fd, uid_t uid);
/* env plus HOME=… when env has no HOME. */
void rootfs_add_home (char ***env, int root_fd, uid_t uid);
