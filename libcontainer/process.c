/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "log.h"
#include "mount-idmap.h"
#include "namespaces.h"
#include "netdev.h"
#include "process.h"
#include "sync.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

/* fork-like clone: returns 0 in the child.  clone3 (with CLONE_INTO_CGROUP when cgroup_fd >= 0),
 * falling back to clone. */
static pid_t
clone_child (uint64_t flags, int cgroup_fd)
{
  /* with CLONE_PARENT the child takes the caller's own exit signal; clone3 wants 0 then */
  struct clone_args args = { .flags = flags, .exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD };
  if (cgroup_fd >= 0)
    {
      args.flags |= CLONE_INTO_CGROUP;
      args.cgroup = (uint64_t) cgroup_fd;
    }
  long r = syscall (SYS_clone3, &args, sizeof args);
  /* ENOSYS: old kernel; EPERM: a seccomp filter (container engines' default profiles) refuses it */
  if (r >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EPERM))
    return (pid_t) r;
  if (cgroup_fd >= 0)
    {
      errno = ENOSYS;
      return -1;
    }
  return (pid_t) syscall (SYS_clone, flags | ((flags & CLONE_PARENT) ? 0 : SIGCHLD), NULL, NULL, NULL, NULL);
}

/* Fork a helper that joins the user namespace at path and clones the init with CLONE_PARENT, so the
 * init is our child and its new namespaces are owned by the joined user namespace. */
static pid_t
clone_in_userns (const char *path, uint64_t flags, int cgroup_fd, int parent_end, const struct init_args *child_args,
                 struct hull_error *err)
{
  int p[2], status;
  pid_t helper, pid = -1;
  if (pipe2 (p, O_CLOEXEC) < 0)
    return hull_err (err, errno, "pipe");
  helper = fork ();
  if (helper < 0)
    {
      close (p[0]);
      close (p[1]);
      return hull_err (err, errno, "fork");
    }
  if (helper == 0)
    {
      struct hull_error e = { 0 };
      pid_t child;
      close (p[0]);
      close (parent_end);
      if (ns_join_path (HULL_NS_USER, path, &e) < 0)
        {
          child = -e.errnum;
          if (write (p[1], &child, sizeof child) < 0)
            {
            }
          _exit (1);
        }
      child = clone_child (flags | CLONE_PARENT, cgroup_fd);
      if (child == 0)
        {
          close (p[1]);
          init_main (child_args);
        }
      if (child < 0)
        child = -errno;
      if (write (p[1], &child, sizeof child) < 0)
        {
        }
      _exit (0);
    }
  close (p[1]);
  ssize_t n = read_all (p[0], &pid, sizeof pid);
  close (p[0]);
  while (waitpid (helper, &status, 0) < 0 && errno == EINTR)
    ;
  if (n != (ssize_t) sizeof pid)
    return hull_errx (err, EIO, "clone the container init in user namespace `%s`", path);
  if (pid < 0)
    return hull_err (err, -pid, "clone the container init in user namespace `%s`", path);
  return pid;
}

static void
kill_and_reap (pid_t pid)
{
  kill (pid, SIGKILL);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
}

int
process_create_init (const struct init_args *a, struct hull_cgroup *cg, pid_t *ret_pid, struct hull_error *err)
{
  const struct hull_spec *spec = a->spec;
  const struct hull_linux *lx = spec->linux_;
  uint64_t flags = 0;
  int sp[2];
  _cleanup_close_ int parent_fd = -1, saved_pidns = -1, saved_timens = -1;
  struct init_args child_args = *a;
  pid_t pid = -1;
  int r, cgfd = cg ? cgroup_clone_into_fd (cg) : -1;

  for (size_t i = 0; lx && i < lx->n_namespaces; i++)
    {
      const struct hull_namespace *ns = &lx->namespaces[i];
      if (ns->type == HULL_NS_CGROUP || ns->type == HULL_NS_TIME)
        continue; /* cgroup: unshared by the child once in its cgroup; time: below */
      if (!ns->path)
        flags |= (uint64_t) ns_clone_flag (ns->type);
      else if (ns->type == HULL_NS_PID)
        {
          saved_pidns = open ("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
          if (saved_pidns < 0)
            return hull_err (err, errno, "open /proc/self/ns/pid_for_children");
          if ((r = ns_join_path (HULL_NS_PID, ns->path, err)) < 0)
            return r;
        }
    }
  const struct hull_namespace *tns = spec_find_namespace (spec, HULL_NS_TIME);
  if (tns)
    {
      saved_timens = open ("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
      if (saved_timens < 0)
        return hull_err (err, errno, "open /proc/self/ns/time_for_children");
      if (tns->path)
        r = ns_join_path (HULL_NS_TIME, tns->path, err);
      else if (unshare (CLONE_NEWTIME) < 0)
        r = hull_err (err, errno, "unshare the time namespace");
      else
        r = ns_write_time_offsets (lx, err);
      if (r < 0)
        goto restore;
    }

  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
    {
      r = hull_err (err, errno, "socketpair");
      goto restore;
    }
  parent_fd = sp[0];
  child_args.sync_fd = sp[1];

  const struct hull_namespace *userns = spec_find_namespace (spec, HULL_NS_USER);
  if (userns && userns->path)
    {
      /* the new namespaces must belong to the joined user namespace: a short-lived helper joins it
       * and clones the init as our child (CLONE_PARENT) */
      child_args.userns_joined = true;
      pid = clone_in_userns (userns->path, flags, cgfd, sp[0], &child_args, err);
      if (pid < 0)
        {
          r = pid;
          close (sp[1]);
          goto restore;
        }
    }
  else
    {
      pid = clone_child (flags, cgfd);
      if (pid < 0 && cgfd >= 0 && errno != ENOMEM)
        {
          /* CLONE_INTO_CGROUP refused (e.g. EOPNOTSUPP for a cgroup below a populated one): a plain
           * clone, then cgroup_enter like on v1 */
          hull_debug ("clone into the cgroup: %s, cloning and moving instead", strerror (errno));
          cgfd = -1;
          pid = clone_child (flags, cgfd);
        }
      if (pid < 0)
        {
          r = hull_err (err, errno, "clone the container init");
          close (sp[1]);
          goto restore;
        }
      if (pid == 0)
        {
          close (sp[0]);
          init_main (&child_args);
        }
    }
  close (sp[1]);
  r = 0;

restore:
  if (saved_pidns >= 0 && setns (saved_pidns, CLONE_NEWPID) < 0)
    hull_warn ("restore pid namespace for children: %s", strerror (errno));
  if (saved_timens >= 0 && setns (saved_timens, CLONE_NEWTIME) < 0)
    hull_warn ("restore time namespace for children: %s", strerror (errno));
  if (r < 0)
    return r;

  /* id maps, cgroup, then go */
  if (a->new_userns && (r = ns_write_id_maps (pid, lx, a->privileged, err)) < 0)
    goto fail;
  if (cg && cgfd < 0 && (r = cgroup_enter (cg, pid, err)) < 0)
    goto fail;
  if ((r = netdev_move (lx, pid, err)) < 0)
    goto fail;
  {
    int *mount_fds = NULL;
    if ((r = mount_idmap_prepare (spec, a->bundle, pid, &mount_fds, err)) < 0)
      goto fail;
    for (size_t i = 0; mount_fds && i < spec->n_mounts && r >= 0; i++)
      if (mount_fds[i] >= 0 && (r = sync_send_fd (parent_fd, SYNC_MOUNT_FD, mount_fds[i])) < 0)
        hull_err (err, -r, "send an id-mapped mount to the container init");
    mount_idmap_free (mount_fds, spec->n_mounts);
    if (r < 0)
      goto fail;
  }
  if ((r = sync_send (parent_fd, SYNC_GO, 0, NULL)) < 0)
    {
      r = hull_err (err, -r, "sync with the container init");
      goto fail;
    }
  for (;;)
    {
      struct sync_msg msg;
      int passed = -1;
      r = sync_recv_fd (parent_fd, &msg, &passed);
      if (r < 0)
        {
          /* the init died without a word */
          int status = 0;
          if (waitpid (pid, &status, WNOHANG) == pid)
            {
              r = hull_errx (err, ECHILD, "container init exited unexpectedly (%s %d)",
                             WIFSIGNALED (status) ? "signal" : "status",
                             WIFSIGNALED (status) ? WTERMSIG (status) : WEXITSTATUS (status));
              return r;
            }
          r = hull_err (err, -r, "read from the container init");
          goto fail;
        }
      if (msg.type == SYNC_ERROR)
        {
          *err = msg.err;
          r = -(err->errnum ? err->errnum : EIO);
          goto fail;
        }
      if (msg.type == SYNC_SECCOMP_FD)
        {
          r = passed < 0 ? hull_errx (err, EPROTO, "seccomp listener message without an fd")
              : a->on_seccomp_fd ? a->on_seccomp_fd (a->userdata, pid, passed, err)
                                 : hull_errx (err, EPROTO, "unexpected seccomp listener fd");
          if (passed >= 0)
            close (passed);
          if (r < 0)
            goto fail;
          continue;
        }
      if (passed >= 0)
        close (passed);
      if (msg.type == SYNC_HOOK)
        {
          _cleanup_free_ char *json = NULL;
          r = a->on_hooks ? a->on_hooks (a->userdata, pid, &json, err) : hull_errx (err, EPROTO, "unexpected hook request");
          if (r < 0)
            {
              sync_send (parent_fd, SYNC_ERROR, 0, err);
              goto fail;
            }
          if ((r = sync_send (parent_fd, SYNC_HOOK_DONE, 0, NULL)) < 0
              || (r = sync_send_blob (parent_fd, json, strlen (json))) < 0)
            {
              r = hull_err (err, -r, "sync with the container init");
              goto fail;
            }
          continue;
        }
      if (msg.type == SYNC_READY)
        break;
      r = hull_errx (err, EPROTO, "unexpected message %u from the container init", msg.type);
      goto fail;
    }
  *ret_pid = pid;
  return 0;

fail:
  kill_and_reap (pid);
  return r;
}
