/* SPDX-License-Identifier: Apache-2.0 */
/* exec: a new process inside a running container (runc's `exec` semantics).
 *
 *   parent (hull exec)                                  child
 *   setns pid_for_children, time_for_children
 *   fork ──────────────────────────────────────────▶    waits for SYNC_GO
 *   restore our own *_for_children namespaces
 *   cgroup: the container's, or --cgroup sub-cgroups
 *   SYNC_GO ───────────────────────────────────────▶    setns user, ipc, uts, net, cgroup, mount;
 *                                                       pty (console socket or the tty proxy);
 *                                                       rlimits, caps, user, cwd, seccomp; execve
 *          ◀──────────────────── SYNC_SECCOMP_FD        (forwarded to linux.seccomp.listenerPath)
 *          ◀──────────────────── SYNC_ERROR | EOF       EOF: the sync fd is close-on-exec, so the
 *                                                       execve succeeded
 *   pid file, --pidfd-socket; -d: exit 0; else wait (tty proxy or plain), forwarding signals */
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "container.h"
#include "log.h"
#include "namespaces.h"
#include "pidfd-socket.h"
#include "process.h"
#include "process-attrs.h"
#include "seccomp-filter.h"
#include "rootfs.h"
#include "sync.h"
#include "terminal.h"
#include "tty-proxy.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

/* namespaces joined by the child, in this order (user first) */
static const enum hull_ns_type child_order[] = { HULL_NS_USER, HULL_NS_IPC, HULL_NS_UTS, HULL_NS_NETWORK,
                                                 HULL_NS_CGROUP, HULL_NS_MOUNT };

static bool
same_ns (pid_t pid, const char *name)
{
  char a[64];
  struct stat sa, sb;
  char b[64];
  snprintf (a, sizeof a, "/proc/%d/ns/%s", (int) pid, name);
  snprintf (b, sizeof b, "/proc/self/ns/%s", name);
  return stat (a, &sa) == 0 && stat (b, &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

struct exec_child
{
  pid_t init_pid;
  const struct hull_process *p;
  char **env;
  int sync_fd;
  int console_sock;
  int preserve_end;
  const unsigned char *preserve_open;
  bool userns;
  const struct seccomp_prog *seccomp;
  const struct hull_linux *lx; /* for personality and memory policy (runc applies them on exec too) */
};

__attribute__ ((noreturn)) static void
exec_child_main (const struct exec_child *x)
{
  struct hull_error err = { 0 };
  _cleanup_free_ char *exe = NULL;
  int r;

  /* the process starts with default dispositions (runc's does: Go resets what it handles), even
   * when hull inherited some ignored (a background job ignores SIGINT and SIGQUIT) */
  signals_reset (/* unblock= */ true);
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
  /* nothing runs before the parent placed us in the container's cgroup */
  {
    struct sync_msg go;
    if ((r = sync_expect (x->sync_fd, SYNC_GO, &go, &err)) < 0)
      _exit (255);
  }
  for (size_t i = 0; i < ELEMENTSOF (child_order); i++)
    {
      const char *name = ns_proc_name (child_order[i]);
      char path[64];
      if (same_ns (x->init_pid, name))
        continue;
      snprintf (path, sizeof path, "/proc/%d/ns/%s", (int) x->init_pid, name);
      if ((r = ns_join_path (child_order[i], path, &err)) < 0)
        goto fail;
    }
  if (x->userns && (setresgid (0, 0, 0) < 0 || setresuid (0, 0, 0) < 0))
    {
      hull_err (&err, errno, "become root in the user namespace");
      goto fail;
    }
  if (x->p->terminal && x->console_sock >= 0
      && (r = terminal_setup (-1, x->console_sock, x->p, /* bind_console= */ false, &err)) < 0)
    goto fail;
  {
    int n = x->preserve_end - 3, k = 0;
    int keep[n + 2];
    for (int fd = 3; fd < x->preserve_end; fd++)
      if (x->preserve_open[fd - 3])
        keep[k++] = fd;
    keep[k++] = x->sync_fd;
    if (x->console_sock >= 0)
      keep[k++] = x->console_sock;
    close_all_except (keep, (size_t) k);
    for (int fd = 3; fd < x->preserve_end; fd++)
      if (x->preserve_open[fd - 3] && fd != x->sync_fd && fd != x->console_sock)
        fcntl (fd, F_SETFD, 0);
  }
  if ((r = process_attrs_early (x->p, x->lx, /* is_exec= */ true, &err)) < 0)
    goto fail;
  int listener = -1;
  if ((r = process_finalize (x->p, x->env, x->userns, x->seccomp, &listener, &exe, &err)) < 0)
    goto fail;
  if (listener >= 0)
    {
      sync_send_fd (x->sync_fd, SYNC_SECCOMP_FD, listener);
      close (listener);
    }
  if ((r = process_attrs_final (x->p, &err)) < 0)
    goto fail;
  if (x->seccomp && !process_seccomp_early (x->p, x->seccomp) && (r = seccomp_install (x->seccomp, &listener, &err)) < 0)
    goto fail;
  prctl (PR_SET_PDEATHSIG, 0, 0, 0, 0);
  hull_test_pause ("exec-setup");
  execve (exe, x->p->args, x->env);
  hull_err (&err, errno, "exec `%s`", exe);
fail:
  sync_send (x->sync_fd, SYNC_ERROR, 0, &err);
  _exit (255);
}

/* env: the base env, then each K=V of extra overrides the same key. */
static char **
merge_env (char *const *base, char *const *extra)
{
  char **env = strv_dup (base);
  for (size_t i = 0; extra && extra[i]; i++)
    {
      const char *eq = strchr (extra[i], '=');
      size_t klen = eq ? (size_t) (eq - extra[i]) : strlen (extra[i]);
      bool replaced = false;
      for (size_t j = 0; env[j]; j++)
        if (!strncmp (env[j], extra[i], klen) && env[j][klen] == '=')
          {
            free (env[j]);
            env[j] = xstrdup (extra[i]);
            replaced = true;
            break;
          }
      if (!replaced)
        strv_append (&env, extra[i]);
    }
  return env;
}

/* The process to run.  As runc: --process FILE is taken as it is (the other process flags do not
 * apply); otherwise the container's process with the command line's changes: args, terminal = -t,
 * cwd, env added, user, groups, caps added (ambient only when the process has an inheritable set),
 * no_new_privs, LSM labels. */
static int
build_process (const struct hull_exec_opts *o, struct hull_spec *spec, struct hull_process **ret,
               struct hull_error *err)
{
  _cleanup_ (spec_process_freep) struct hull_process *p = NULL;
  int r;
  if (o->process_path)
    {
      if ((r = spec_load_process_file (o->process_path, &p, err)) < 0)
        return r;
      if ((r = spec_validate_process (p, "process.json", err)) < 0)
        return r;
      *ret = TAKE_PTR (p);
      return 0;
    }
  if (!o->args || !o->args[0])
    return hull_errx (err, EINVAL, "exec: no command given");
  p = TAKE_PTR (spec->process); /* spec is this call's own copy */
  strv_free (p->args);
  p->args = strv_dup (o->args);
  p->terminal = o->has_tty && o->tty;
  if (o->cwd)
    {
      free (p->cwd);
      p->cwd = xstrdup (o->cwd);
    }
  if (o->env)
    {
      char **env = merge_env (p->env, o->env);
      strv_free (p->env);
      p->env = env;
    }
  if (o->has_user)
    {
      p->uid = o->uid;
      if (o->has_gid)
        p->gid = o->gid;
    }
  if (o->n_additional_gids)
    {
      free (p->additional_gids);
      p->additional_gids = xmalloc (o->n_additional_gids * sizeof (uint32_t));
      memcpy (p->additional_gids, o->additional_gids, o->n_additional_gids * sizeof (uint32_t));
      p->n_additional_gids = o->n_additional_gids;
    }
  if (o->no_new_privs)
    p->no_new_privileges = true;
  if (o->caps && o->caps[0])
    {
      if (!p->capabilities)
        p->capabilities = xzalloc (sizeof *p->capabilities);
      struct hull_capabilities *c = p->capabilities;
      for (size_t i = 0; o->caps[i]; i++)
        {
          strv_append (&c->bounding, o->caps[i]);
          strv_append (&c->effective, o->caps[i]);
          strv_append (&c->permitted, o->caps[i]);
          /* an ambient capability needs an inheritable one; runc adds it only then */
          if (c->inheritable)
            strv_append (&c->ambient, o->caps[i]);
        }
      c->has_bounding = c->has_effective = c->has_permitted = true;
      if (c->inheritable)
        c->has_ambient = true;
    }
  if (o->apparmor)
    {
      free (p->apparmor_profile);
      p->apparmor_profile = xstrdup (o->apparmor);
    }
  if (o->process_label)
    {
      free (p->selinux_label);
      p->selinux_label = xstrdup (o->process_label);
    }
  if ((r = spec_validate_process (p, "exec", err)) < 0)
    return r;
  *ret = TAKE_PTR (p);
  return 0;
}

/* Place pid in the container's cgroup, or in the --cgroup sub-cgroups of it (which must exist). */
static int
enter_cgroup (struct hull_cgroup *cg, char *const *args, pid_t pid, struct hull_error *err)
{
  if (!args || !args[0])
    return cg ? cgroup_enter (cg, pid, err) : 0;
  if (!cg)
    return hull_errx (err, EINVAL, "--cgroup: the container has no cgroup");
  return cgroup_enter_sub (cg, pid, args, err);
}

/* Stop the child we forked and give the signal mask back. */
static int
abort_child (pid_t pid, const sigset_t *old, int r)
{
  kill (pid, SIGKILL);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
  sigprocmask (SIG_SETMASK, old, NULL);
  return r;
}

static int
write_pid_file (const char *path, pid_t pid, struct hull_error *err)
{
  _cleanup_free_ char *dir = xstrdup (path);
  char *slash = strrchr (dir, '/');
  char buf[16];
  int n = snprintf (buf, sizeof buf, "%d", (int) pid), r;
  if (slash)
    *slash = '\0';
  _cleanup_close_ int dfd = open (slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return hull_err (err, errno, "open directory of pid file `%s`", path);
  if ((r = write_file_atomic_at (dfd, slash ? slash + 1 : path, buf, (size_t) n, 0644)) < 0)
    return hull_err (err, -r, "write pid file `%s`", path);
  return 0;
}

/* Join the container's pid and time namespaces for our children only; *saved_* restore them. */
static int
join_for_children (pid_t init, int *saved_pid, int *saved_time, struct hull_error *err)
{
  char path[64];
  if (!same_ns (init, "pid"))
    {
      if ((*saved_pid = open ("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC)) < 0)
        return hull_err (err, errno, "open /proc/self/ns/pid_for_children");
      snprintf (path, sizeof path, "/proc/%d/ns/pid", (int) init);
      int r = ns_join_path (HULL_NS_PID, path, err);
      if (r < 0)
        return r;
    }
  snprintf (path, sizeof path, "/proc/%d/ns/time", (int) init);
  if (access (path, F_OK) == 0 && !same_ns (init, "time"))
    {
      if ((*saved_time = open ("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC)) < 0)
        return hull_err (err, errno, "open /proc/self/ns/time_for_children");
      return ns_join_path (HULL_NS_TIME, path, err);
    }
  return 0;
}

static void
restore_for_children (int saved_pid, int saved_time)
{
  if (saved_pid >= 0 && setns (saved_pid, CLONE_NEWPID) < 0)
    hull_warn ("restore pid namespace for children: %s, ignoring", strerror (errno));
  if (saved_time >= 0 && setns (saved_time, CLONE_NEWTIME) < 0)
    hull_warn ("restore time namespace for children: %s, ignoring", strerror (errno));
}

/* A short-lived helper joins the container's user namespace, then its pid and time namespaces "for
 * children", and forks the exec child as OUR child (CLONE_PARENT).  Returns the child's pid in the
 * parent, 0 in the child, -errno on failure. */
static pid_t
fork_in_userns (const struct exec_child *x, int parent_end, int *saved_pid, int *saved_time, struct hull_error *err)
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
      return err->errnum ? pid : hull_err (err, errno, "fork");
    }
  if (helper == 0)
    {
      struct hull_error e = { 0 };
      char path[64];
      pid_t child;
      close (p[0]);
      snprintf (path, sizeof path, "/proc/%d/ns/user", (int) x->init_pid);
      if (ns_join_path (HULL_NS_USER, path, &e) < 0 || join_for_children (x->init_pid, saved_pid, saved_time, &e) < 0)
        child = -(e.errnum ? e.errnum : EPERM);
      else
        {
          child = (pid_t) syscall (SYS_clone, CLONE_PARENT, NULL, NULL, NULL, NULL);
          if (child == 0)
            {
              close (p[1]);
              return 0;
            }
          if (child < 0)
            child = -errno;
        }
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
  (void) parent_end;
  if (n != (ssize_t) sizeof pid)
    return hull_errx (err, EIO, "fork the exec'd process in the container's user namespace");
  if (pid < 0)
    return hull_err (err, -pid, "join the container's namespaces");
  return pid;
}

int
hull_container_exec (const struct hull_context *ctx, const struct hull_exec_opts *o, int *ret_status,
                     struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  _cleanup_ (spec_process_freep) struct hull_process *p = NULL;
  _cleanup_ (tty_proxy_freep) struct tty_proxy *tty = NULL;
  _cleanup_ (seccomp_prog_freep) struct seccomp_prog *seccomp = NULL;
  _cleanup_close_ int sync_parent = -1, console_sock = -1, saved_pid = -1, saved_time = -1;
  int sp[2], r;
  sigset_t all, old;
  pid_t pid;

  *ret_status = 255;
  if (o->preserve_fds < 0 || o->preserve_fds > 4096)
    return hull_errx (err, EINVAL, "--preserve-fds: invalid value %d", o->preserve_fds);
  /* which preserved fds the caller really has, before we open anything */
  _cleanup_free_ unsigned char *preserve_open = xzalloc ((size_t) o->preserve_fds + 1);
  for (int i = 0; i < o->preserve_fds; i++)
    preserve_open[i] = fcntl (3 + i, F_GETFD) >= 0;
  if ((r = container_load (ctx, o->id, &c, err)) < 0)
    return r;
  enum hull_status s = state_status (c.dir_fd, c.st);
  if (s == HULL_STATUS_STOPPED)
    return hull_errx (err, EINVAL, "cannot exec in a stopped container");
  if (s == HULL_STATUS_PAUSED && !o->ignore_paused)
    return hull_errx (err, EINVAL, "cannot exec in a paused container (use --ignore-paused to override)");
  if ((r = spec_load_file (c.st->config_path, &c.spec, err)) < 0)
    return hull_err_prefix (err, "load the container's config");
  if (!c.spec->process && !o->process_path)
    return hull_errx (err, EINVAL, "config.json: process: missing mandatory field");
  if ((r = build_process (o, c.spec, &p, err)) < 0)
    return r;
  /* everything needed from the state is read: do not hold the container's lock any longer (a
   * process exec'd with --ignore-paused stays frozen until `resume`, which takes the lock) */
  close (c.dir_fd);
  c.dir_fd = -1;
  if (p->terminal && !o->console_socket && o->detach)
    return hull_errx (err, EINVAL, "cannot allocate tty if runc will detach without setting console socket");
  if (!p->terminal && o->console_socket)
    return hull_errx (err, EINVAL, "cannot use console socket if runc will not detach or allocate tty");
  if (p->terminal && !o->console_socket && (r = tty_proxy_prepare (&tty, &console_sock, err)) < 0)
    return r;
  if (o->console_socket && (console_sock = unix_connect (o->console_socket)) < 0)
    return hull_err (err, -console_sock, "connect to the console socket `%s`", o->console_socket);

  _cleanup_strv_ char **env = strv_dup (p->env);
  {
    char rp[64];
    snprintf (rp, sizeof rp, "/proc/%d/root", (int) c.pid);
    _cleanup_close_ int rfd = open (rp, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rfd >= 0)
      rootfs_add_home (&env, rfd, p->uid);
  }
  bool userns = c.spec->linux_ && spec_find_namespace (c.spec, HULL_NS_USER) && !same_ns (c.pid, "user");
  if ((r = seccomp_prepare (c.spec->linux_ ? c.spec->linux_->seccomp : NULL, c.root_fd, &seccomp, err)) < 0)
    return r;
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
    return hull_err (err, errno, "socketpair");
  sync_parent = sp[0];

  /* pid and time: only for our children (a rootless caller does it from inside the user namespace) */
  if (!(userns && geteuid () != 0) && (r = join_for_children (c.pid, &saved_pid, &saved_time, err)) < 0)
    {
      close (sp[1]);
      restore_for_children (saved_pid, saved_time);
      return r;
    }
  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, &old);
  struct exec_child x = {
    .init_pid = c.pid, .p = p, .env = env, .sync_fd = sp[1], .console_sock = console_sock,
    .preserve_end = 3 + o->preserve_fds, .preserve_open = preserve_open, .userns = userns,
    .seccomp = seccomp, .lx = c.spec->linux_,
  };
  if (userns && geteuid () != 0)
    /* unprivileged: only inside the container's user namespace may we join its pid namespace */
    pid = fork_in_userns (&x, sp[0], &saved_pid, &saved_time, err);
  else
    pid = fork ();
  if (pid == 0)
    {
      close (sp[0]);
      exec_child_main (&x);
    }
  close (sp[1]);
  restore_for_children (saved_pid, saved_time);
  if (pid < 0)
    {
      sigprocmask (SIG_SETMASK, &old, NULL);
      return err->errnum ? pid : hull_err (err, errno, "fork");
    }
  /* the process is in the container's cgroup before it does anything */
  if ((r = enter_cgroup (c.cg, o->cgroups, pid, err)) < 0)
    return abort_child (pid, &old, r);
  if ((r = sync_send (sync_parent, SYNC_GO, 0, NULL)) < 0)
    return abort_child (pid, &old, hull_err (err, -r, "sync with the exec'd process"));
  /* until EOF (the execve closed the child's end): errors and the seccomp listener fd */
  for (;;)
    {
      struct sync_msg msg;
      int passed = -1;
      if (sync_recv_fd (sync_parent, &msg, &passed) < 0)
        break;
      if (msg.type == SYNC_SECCOMP_FD && passed >= 0)
        {
          const struct hull_seccomp *sc = c.spec->linux_->seccomp;
          _cleanup_free_ char *json = state_to_json (c.st, HULL_STATUS_RUNNING);
          r = seccomp_send_listener (sc->listener_path, passed, json, sc->listener_metadata, pid, err);
          close (passed);
          if (r < 0)
            return abort_child (pid, &old, r);
          continue;
        }
      if (passed >= 0)
        close (passed);
      if (msg.type == SYNC_ERROR)
        {
          *err = msg.err;
          return abort_child (pid, &old, -(err->errnum ? err->errnum : EIO));
        }
    }
  /* the process runs under the filter: keep a freshly compiled one for the next exec */
  seccomp_cache_store (seccomp, c.root_fd);
  if (o->pid_file && (r = write_pid_file (o->pid_file, pid, err)) < 0)
    return abort_child (pid, &old, r);
  if (o->pidfd_socket && (r = pidfd_socket_send (o->pidfd_socket, pid, err)) < 0)
    return abort_child (pid, &old, r);
  if (o->detach)
    {
      sigprocmask (SIG_SETMASK, &old, NULL);
      *ret_status = 0;
      return 0;
    }
  /* signals we inherited ignored must still reach the process: with every signal blocked a default
   * disposition only makes them pending for us to forward */
  signals_reset (/* unblock= */ false);
  /* the child has its copy of the console end */
  if (console_sock >= 0)
    {
      close (console_sock);
      console_sock = -1;
    }
  if (tty)
    {
      r = tty_proxy_wait (tty, pid, &all, ret_status, err);
      if (r < 0)
        {
          *ret_status = 255;
          return abort_child (pid, &old, r);
        }
    }
  else
    *ret_status = container_wait_forward (pid, &all);
  sigprocmask (SIG_SETMASK, &old, NULL);
  return 0;
}
