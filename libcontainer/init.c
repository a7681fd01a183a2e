/* SPDX-License-Identifier: Apache-2.0 */
/* The container's init, from clone to execve.  Every step reports failure to the parent through
 * the sync socket and _exit()s; nothing here returns into the parent's frames. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <link.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>
#include "caps.h"
#include "hooks.h"
#include "cleanup.h"
#include "log.h"
#include "mount-idmap.h"
#include "lsm.h"
#include "namespaces.h"
#include "netdev.h"
#include "process.h"
#include "procfs.h"
#include "process-attrs.h"
#include "seccomp-filter.h"
#include "rootfs.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"
#include "util.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

__attribute__ ((noreturn)) static void
fail (const struct init_args *a, const struct hull_error *err)
{
  sync_send (a->sync_fd, SYNC_ERROR, 0, err);
  _exit (1);
}

/* Close every fd we inherited but the preserved ones (the caller's, in [3, preserve_end)) and our own
 * three; the preserved ones lose close-on-exec, ours keep it.  Closing matters before exec too: a copy
 * of the state dir fd would hold the container's lock. */
static int
prepare_fds (const struct init_args *a, struct hull_error *err)
{
  int n = a->preserve_end - 3, k = 0;
  int keep[n + 3];
  for (int fd = 3; fd < a->preserve_end; fd++)
    if (a->preserve_open[fd - 3])
      keep[k++] = fd;
  keep[k++] = a->sync_fd;
  keep[k++] = a->fifo_fd;
  if (a->console_sock >= 0)
    keep[k++] = a->console_sock;
  close_all_except (keep, (size_t) k);
  for (int fd = 3; fd < a->preserve_end; fd++)
    if (a->preserve_open[fd - 3] && fd != a->sync_fd && fd != a->fifo_fd && fd != a->console_sock
        && fcntl (fd, F_SETFD, 0) < 0)
      return hull_err (err, errno, "preserve fd %d", fd);
  return 0;
}

static int
join_namespaces (const struct init_args *a, struct hull_error *err)
{
  const struct hull_linux *lx = a->spec->linux_;
  const struct hull_namespace *user = spec_find_namespace (a->spec, HULL_NS_USER);
  int r;
  if (!lx)
    return 0;
  if (user && user->path && !a->userns_joined && (r = ns_join_path (HULL_NS_USER, user->path, err)) < 0)
    return r;
  for (size_t i = 0; i < lx->n_namespaces; i++)
    {
      const struct hull_namespace *ns = &lx->namespaces[i];
      /* pid and time are joined by the parent before clone; user above */
      if (!ns->path || ns->type == HULL_NS_USER || ns->type == HULL_NS_PID || ns->type == HULL_NS_TIME)
        continue;
      if ((r = ns_join_path (ns->type, ns->path, err)) < 0)
        return r;
    }
  return 0;
}

static int
set_rlimits (const struct hull_process *p, struct hull_error *err)
{
  for (size_t i = 0; i < p->n_rlimits; i++)
    {
      struct rlimit rl = { .rlim_cur = p->rlimits[i].soft, .rlim_max = p->rlimits[i].hard };
      if (setrlimit (p->rlimits[i].resource, &rl) < 0)
        return hull_err (err, errno, "setrlimit %s (soft %llu, hard %llu)", p->rlimits[i].type,
                         (unsigned long long) rl.rlim_cur, (unsigned long long) rl.rlim_max);
    }
  return 0;
}

static int
set_oom_score_adj (const struct hull_process *p, struct hull_error *err)
{
  char buf[16];
  int n, r;
  if (!p->has_oom_score_adj)
    return 0;
  n = snprintf (buf, sizeof buf, "%d", p->oom_score_adj);
  r = procfs_write_once (PROCFS_SELF, 0, "oom_score_adj", buf, (size_t) n, err);
  if (r < 0)
    return hull_err_prefix (err, "set process.oomScoreAdj %d", p->oom_score_adj);
  return 0;
}

/* Look args[0] up in the container's PATH (the process env's, or the default). */
static int
find_executable (const char *name, char *const *env, char **ret, struct hull_error *err)
{
  const char *path = spec_env_get (env, "PATH");
  if (strchr (name, '/'))
    {
      if (access (name, X_OK) < 0)
        {
          if (access (name, F_OK) < 0)
            return hull_errx (err, errno, "exec: \"%s\": stat %s: %s", name, name,
                              errno == ENOENT ? "no such file or directory" : strerror (errno));
          return hull_errx (err, EACCES, "exec: \"%s\": permission denied", name);
        }
      *ret = xstrdup (name);
      return 0;
    }
  if (!path)
    path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  _cleanup_free_ char *copy = xstrdup (path);
  bool denied = false;
  for (char *save = NULL, *dir = strtok_r (copy, ":", &save); dir; dir = strtok_r (NULL, ":", &save))
    {
      _cleanup_free_ char *candidate = xasprintf ("%s/%s", *dir ? dir : ".", name);
      struct stat st;
      if (stat (candidate, &st) < 0 || S_ISDIR (st.st_mode))
        continue;
      if (access (candidate, X_OK) < 0)
        {
          denied = true;
          continue;
        }
      *ret = TAKE_PTR (candidate);
      return 0;
    }
  if (denied)
    return hull_errx (err, EACCES, "exec: \"%s\": permission denied", name);
  return hull_errx (err, ENOENT, "exec: \"%s\": executable file not found in $PATH", name);
}

static int
set_user (const struct hull_process *p, bool userns, struct hull_error *err)
{
  /* with setgroups denied (unprivileged user namespace) only an empty list is acceptable */
  if (setgroups (p->n_additional_gids, (gid_t *) p->additional_gids) < 0
      && !(errno == EPERM && p->n_additional_gids == 0))
    return hull_err (err, errno, "setgroups");
  if (setresgid (p->gid, p->gid, p->gid) < 0)
    return hull_err (err, errno, "setgid %u", p->gid);
  if (setresuid (p->uid, p->uid, p->uid) < 0)
    return hull_err (err, errno, "setuid %u", p->uid);
  return 0;
}

bool
process_seccomp_early (const struct hull_process *p, const struct seccomp_prog *seccomp)
{
  /* without no_new_privs loading a filter needs CAP_SYS_ADMIN, so before the caps are dropped;
   * a notify listener must reach the parent, so before READY */
  return seccomp && (!p->no_new_privileges || seccomp_prog_has_notify (seccomp));
}

/* Load the filter; a notify listener goes to the parent at once (sync_fd >= 0), because the very
 * next syscalls may be ones the agent must answer. */
static int
install_seccomp (const struct seccomp_prog *seccomp, int sync_fd, int *ret_listener_fd, struct hull_error *err)
{
  int r = seccomp_install (seccomp, ret_listener_fd, err);
  if (r < 0 || *ret_listener_fd < 0 || sync_fd < 0)
    return r;
  r = sync_send_fd (sync_fd, SYNC_SECCOMP_FD, *ret_listener_fd);
  close (*ret_listener_fd);
  *ret_listener_fd = -1;
  if (r < 0)
    return hull_err (err, -r, "send the seccomp listener to the parent");
  return 0;
}

static int
finalize (const struct hull_process *p, char *const *env, bool userns, const struct seccomp_prog *seccomp,
          int sync_fd, int *ret_listener_fd, char **ret_exe, struct hull_error *err)
{
  int r;
  *ret_listener_fd = -1;
  if ((r = set_rlimits (p, err)) < 0)
    return r;
  if (p->no_new_privileges && prctl (PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return hull_err (err, errno, "set no_new_privs");
  if ((r = lsm_set_exec_labels (p, err)) < 0)
    return r;
  if (seccomp && !p->no_new_privileges && (r = install_seccomp (seccomp, sync_fd, ret_listener_fd, err)) < 0)
    return r;
  if ((r = caps_apply_bounding (p->capabilities, err)) < 0)
    return r;
  if (prctl (PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
    return hull_err (err, errno, "set keepcaps");
  if ((r = set_user (p, userns, err)) < 0)
    return r;
  if ((r = caps_apply (p->capabilities, err)) < 0)
    return r;
  if (chdir (p->cwd) < 0)
    return hull_err (err, errno, "chdir to cwd (\"%s\") set in config.json", p->cwd);
  umask (p->has_umask ? p->umask : 022);
  if ((r = find_executable (p->args[0], env, ret_exe, err)) < 0)
    return r;
  if (seccomp && p->no_new_privileges && seccomp_prog_has_notify (seccomp)
      && (r = install_seccomp (seccomp, sync_fd, ret_listener_fd, err)) < 0)
    return r;
  return 0;
}

int
process_finalize (const struct hull_process *p, char *const *env, bool userns, const struct seccomp_prog *seccomp,
                  int *ret_listener_fd, char **ret_exe, struct hull_error *err)
{
  return finalize (p, env, userns, seccomp, -1, ret_listener_fd, ret_exe, err);
}

static int
run_setup (const struct init_args *a, char **ret_exe, char **ret_state_json, struct hull_error *err)
{
  const struct hull_spec *spec = a->spec;
  const struct hull_process *p = spec->process;
  struct sync_msg msg;
  int r;

  if ((r = prepare_fds (a, err)) < 0)
    return r;
  /* the id-mapped trees the parent made (mount-idmap.h), one per such mount, then GO */
  _cleanup_free_ int *mount_fds = NULL;
  for (size_t i = 0; i < spec->n_mounts; i++)
    {
      if (!mount_idmap_wanted (&spec->mounts[i]))
        continue;
      if (!mount_fds)
        {
          mount_fds = xmalloc (spec->n_mounts * sizeof *mount_fds);
          for (size_t j = 0; j < spec->n_mounts; j++)
            mount_fds[j] = -1;
        }
      int fd = -1;
      if ((r = sync_recv_fd (a->sync_fd, &msg, &fd)) < 0)
        return hull_err (err, -r, "receive an id-mapped mount from the parent");
      if (msg.type == SYNC_ERROR)
        {
          *err = msg.err;
          return -(err->errnum ? err->errnum : EIO);
        }
      if (msg.type != SYNC_MOUNT_FD || fd < 0)
        return hull_errx (err, EPROTO, "expected an id-mapped mount from the parent, got message %u", msg.type);
      mount_fds[i] = fd;
    }
  if ((r = sync_expect (a->sync_fd, SYNC_GO, &msg, err)) < 0)
    return r;
  /* not before: a non-root parent writes our uid_map/gid_map, which needs us dumpable */
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (a->new_userns || a->userns_joined)
    {
      if (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0)
        return hull_err (err, errno, "become root in the user namespace");
    }
  if ((r = join_namespaces (a, err)) < 0)
    return r;
  /* cgroup mounts bind our own cgroup directories when they cannot mount afresh: note where we are
   * before the cgroup namespace hides it */
  _cleanup_free_ char *self_cgroup = NULL;
  for (size_t i = 0; i < spec->n_mounts; i++)
    if (spec->mounts[i].type && !strcmp (spec->mounts[i].type, "cgroup"))
      {
        read_file_at (AT_FDCWD, "/proc/self/cgroup", 65536, &self_cgroup, NULL);
        break;
      }
  if (a->new_cgroupns && unshare (CLONE_NEWCGROUP) < 0)
    return hull_err (err, errno, "unshare the cgroup namespace");
  if (spec->hostname && sethostname (spec->hostname, strlen (spec->hostname)) < 0)
    return hull_err (err, errno, "sethostname `%s`", spec->hostname);
  if (spec->domainname && setdomainname (spec->domainname, strlen (spec->domainname)) < 0)
    return hull_err (err, errno, "setdomainname `%s`", spec->domainname);
  if (a->new_netns && (r = netdev_loopback_up (err)) < 0)
    return r;
  /* sysctls act on the writer's namespaces, so the host's /proc (verified) serves, before the
   * container's masked and read-only paths exist: nothing inside the container can redirect them */
  if (spec->linux_ && (r = sysctl_apply (spec->linux_->sysctl, spec->linux_->n_sysctl, err)) < 0)
    return r;
  if (!a->no_new_keyring && syscall (SYS_keyctl, 1 /* KEYCTL_JOIN_SESSION_KEYRING */, NULL) < 0
      && errno != ENOSYS && errno != EPERM && errno != EACCES && errno != EDQUOT)
    return hull_err (err, errno, "join a new session keyring");

  /* linux.mountLabel only means something with SELinux (runc ignores it otherwise) */
  const char *mount_label = NULL;
  if (spec->linux_ && spec->linux_->mount_label && spec->linux_->mount_label[0])
    {
      struct hull_error e = { 0 };
      _cleanup_close_ int proc = procfs_open_root (NULL, &e);
      if (proc >= 0 && lsm_selinux_enabled (proc))
        mount_label = spec->linux_->mount_label;
    }
  struct rootfs_ctx rc = {
    .spec = spec, .rootfs = a->rootfs, .bundle = a->bundle, .userns = a->new_userns || a->userns_joined || !a->privileged,
    .no_pivot = a->no_pivot, .console_slave_fd = -1, .root_fd = -1,
    .cgroupns = a->new_cgroupns, .self_cgroup = self_cgroup, .mount_label = mount_label, .mount_fds = mount_fds,
  };
  if ((r = rootfs_setup (&rc, err)) < 0)
    return r;
  if (p->terminal && a->console_sock >= 0
      && (r = terminal_setup (rc.root_fd, a->console_sock, p, /* bind_console= */ true, err)) < 0)
    return r;
  if (hooks_need_init_stop (spec))
    {
      /* prestart and createRuntime run in the parent (runtime namespace), createContainer here */
      if ((r = sync_send (a->sync_fd, SYNC_HOOK, 0, NULL)) < 0)
        return hull_err (err, -r, "ask the parent to run hooks");
      if ((r = sync_expect (a->sync_fd, SYNC_HOOK_DONE, &msg, err)) < 0)
        return r;
      if ((r = sync_recv_blob (a->sync_fd, ret_state_json)) < 0)
        return hull_err (err, -r, "receive the state for hooks");
      if ((r = hooks_run_json (spec, HULL_HOOK_CREATE_CONTAINER, *ret_state_json, err)) < 0)
        return r;
    }
  /* cwd exists in the container (runc creates it) */
  _cleanup_close_ int cwd = rootfs_mkdir_in_root (rc.root_fd, p->cwd, 0755, false, err);
  if (cwd < 0)
    return hull_err_prefix (err, "process.cwd `%s`", p->cwd);
  if ((r = set_oom_score_adj (p, err)) < 0)
    return r;
  if ((r = rootfs_pivot (&rc, err)) < 0)
    return r;
  close (rc.root_fd);

  if ((r = process_attrs_early (p, spec->linux_, /* is_exec= */ false, err)) < 0)
    return r;
  int listener = -1;
  if ((r = finalize (p, a->env, a->new_userns || a->userns_joined, a->seccomp, a->sync_fd, &listener, ret_exe,
                     err)) < 0)
    return r;
  return 0;
}

__attribute__ ((noreturn)) static void
late_fail (const struct hull_error *err)
{
  char text[HULL_ERR_MSG_MAX + 64];
  hull_err_text (err, text, sizeof text);
  dprintf (STDERR_FILENO, "hull: %s\n", text);
  _exit (1);
}

/* The waiting init keeps only what is its own: drop the page-table entries of every read-only
 * segment of hull (code and constants, never written, so nothing is lost: they are shared page-cache
 * pages that fault back in on use).  Setup touched most of hull's code, and fault-around mapped it in
 * 64 KiB windows; a created container then showed ~1 MiB of resident memory that is in fact shared
 * with every other hull process.  Writable segments (data, relocated RELRO) are left alone. */
static int
drop_shared_segment (struct dl_phdr_info *info, size_t size, void *data)
{
  long page = sysconf (_SC_PAGESIZE);
  (void) size;
  (void) data;
  if (info->dlpi_name && strstr (info->dlpi_name, "vdso"))
    return 0;
  for (int i = 0; i < info->dlpi_phnum; i++)
    {
      const ElfW (Phdr) *ph = &info->dlpi_phdr[i];
      if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W))
        continue;
      uintptr_t start = info->dlpi_addr + ph->p_vaddr, end = start + ph->p_memsz;
      start = (start + (uintptr_t) page - 1) & ~((uintptr_t) page - 1);
      end &= ~((uintptr_t) page - 1);
      if (end > start)
        (void) madvise ((void *) start, end - start, MADV_DONTNEED);
    }
  return 0;
}

void
init_main (const struct init_args *a)
{
  struct hull_error err = { 0 };
  _cleanup_free_ char *exe = NULL, *state_json = NULL;
  char c;
  ssize_t n;

  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  umask (0);
  if (run_setup (a, &exe, &state_json, &err) < 0)
    fail (a, &err);

  /* ready: the parent may exit now, so its death must not kill us */
  prctl (PR_SET_PDEATHSIG, 0, 0, 0, 0);
  sync_send (a->sync_fd, SYNC_READY, 0, NULL);
  close (a->sync_fd);
  if (a->waits_for_start)
    dl_iterate_phdr (drop_shared_segment, NULL);

  do
    n = read (a->fifo_fd, &c, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1)
    _exit (1);

  /* after start: a failure can only be reported on the container's stderr */
  if (state_json && hooks_run_json (a->spec, HULL_HOOK_START_CONTAINER, state_json, &err) < 0)
    late_fail (&err);
  if (process_attrs_final (a->spec->process, &err) < 0)
    late_fail (&err);
  if (a->seccomp && !process_seccomp_early (a->spec->process, a->seccomp))
    {
      int unused;
      if (seccomp_install (a->seccomp, &unused, &err) < 0)
        late_fail (&err);
    }
  /* the process starts with default dispositions and no blocked signal, whatever hull inherited */
  signals_reset (/* unblock= */ true);
  execve (exe, a->spec->process->args, a->env);
  {
    char msg[512];
    int len = snprintf (msg, sizeof msg, "hull: exec %s: %s\n", exe, strerror (errno));
    if (write (STDERR_FILENO, msg, (size_t) len) < 0)
      {
      }
  }
  _exit (errno == ENOENT ? 127 : 126);
}
