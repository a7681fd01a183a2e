/* SPDX-License-Identifier: Apache-2.0 */
/* exec: a new process inside a running container.
 *
 * The parent joins the container's pid (and time) namespace "for children" only, clones one child,
 * places it in the container's cgroup, and restores its own namespaces.  The child joins the user
 * namespace first, then ipc, uts, net, cgroup and mount, sets up the process like the init does,
 * and execs.  Its end of the sync socket is close-on-exec: EOF means the execve succeeded. */
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
};

__attribute__ ((noreturn)) static void
exec_child_main (const struct exec_child *x)
{
  struct hull_error err = { 0 };
  _cleanup_free_ char *exe = NULL;
  sigset_t none;
  int r;

  sigemptyset (&none);
  sigprocmask (SIG_SETMASK, &none, NULL);
  prctl (PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
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
  if ((r = process_attrs_early (x->p, NULL, /* is_exec= */ true, &err)) < 0)
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

/* The process to run: --process FILE, or the container's process with the command line's overrides. */
static int
build_process (const struct hull_exec_opts *o, const struct hull_spec *spec, struct hull_process **ret,
               struct hull_error *err)
{
  struct hull_process *p;
  int r;
  if (o->process_path)
    {
      if ((r = spec_load_process_file (o->process_path, &p, err)) < 0)
        return r;
    }
  else
    {
      const struct hull_process *base = spec->process;
      if (!o->args || !o->args[0])
        return hull_errx (err, EINVAL, "exec: no command given");
      p = xzalloc (sizeof *p);
      p->args = strv_dup (o->args);
      p->env = strv_dup (base->env);
      p->cwd = xstrdup (base->cwd);
      p->uid = base->uid;
      p->gid = base->gid;
      p->has_umask = base->has_umask;
      p->umask = base->umask;
      if (base->n_additional_gids)
        {
          p->additional_gids = xmalloc (base->n_additional_gids * sizeof (uint32_t));
          memcpy (p->additional_gids, base->additional_gids, base->n_additional_gids * sizeof (uint32_t));
          p->n_additional_gids = base->n_additional_gids;
        }
      p->no_new_privileges = base->no_new_privileges;
      if (base->capabilities)
        {
          const struct hull_capabilities *bc = base->capabilities;
          struct hull_capabilities *c = xzalloc (sizeof *c);
          *c = *bc;
          c->bounding = bc->bounding ? strv_dup (bc->bounding) : NULL;
          c->effective = bc->effective ? strv_dup (bc->effective) : NULL;
          c->inheritable = bc->inheritable ? strv_dup (bc->inheritable) : NULL;
          c->permitted = bc->permitted ? strv_dup (bc->permitted) : NULL;
          c->ambient = bc->ambient ? strv_dup (bc->ambient) : NULL;
          p->capabilities = c;
        }
      if (base->n_rlimits)
        {
          p->rlimits = xmalloc (base->n_rlimits * sizeof *p->rlimits);
          for (size_t i = 0; i < base->n_rlimits; i++)
            {
              p->rlimits[i] = base->rlimits[i];
              p->rlimits[i].type = xstrdup (base->rlimits[i].type);
            }
          p->n_rlimits = base->n_rlimits;
        }
    }
  if (o->has_tty)
    p->terminal = o->tty;
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
      char ***sets[] = { &c->bounding, &c->effective, &c->permitted, &c->ambient };
      for (size_t s = 0; s < ELEMENTSOF (sets); s++)
        for (size_t i = 0; o->caps[i]; i++)
          strv_append (sets[s], o->caps[i]);
      c->has_bounding = c->has_effective = c->has_permitted = c->has_ambient = true;
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
  if ((r = spec_validate_process (p, o->process_path ? "process.json" : "exec", err)) < 0)
    {
      spec_process_free (p);
      return r;
    }
  *ret = p;
  return 0;
}

int
hull_container_exec (const struct hull_context *ctx, const struct hull_exec_opts *o, int *ret_status,
                     struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  _cleanup_ (spec_process_freep) struct hull_process *p = NULL;
  _cleanup_close_ int sync_parent = -1, console_sock = -1, saved_pid = -1, saved_time = -1;
  int sp[2], r, listen = 0;
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
  if (!c.spec->process)
    return hull_errx (err, EINVAL, "config.json: process: missing mandatory field");
  if ((r = build_process (o, c.spec, &p, err)) < 0)
    return r;
  if (p->terminal && !o->console_socket && o->detach)
    return hull_errx (err, EINVAL, "cannot allocate tty if runc will detach without setting console socket");
  if (!p->terminal && o->console_socket)
    return hull_errx (err, EINVAL, "cannot use console socket if runc will not detach or allocate tty");
  _cleanup_ (tty_proxy_freep) struct tty_proxy *tty = NULL;
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
  (void) listen;
  bool userns = c.spec->linux_ && spec_find_namespace (c.spec, HULL_NS_USER) && !same_ns (c.pid, "user");

  /* pid and time: only for our children */
  if (!same_ns (c.pid, "pid"))
    {
      char path[64];
      saved_pid = open ("/proc/self/ns/pid_for_children", O_RDONLY | O_CLOEXEC);
      snprintf (path, sizeof path, "/proc/%d/ns/pid", (int) c.pid);
      if (saved_pid < 0 || (r = ns_join_path (HULL_NS_PID, path, err)) < 0)
        return saved_pid < 0 ? hull_err (err, errno, "open pid_for_children") : r;
    }
  if (!same_ns (c.pid, "time"))
    {
      char path[64];
      saved_time = open ("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
      snprintf (path, sizeof path, "/proc/%d/ns/time", (int) c.pid);
      if (saved_time >= 0 && (r = ns_join_path (HULL_NS_TIME, path, err)) < 0)
        return r;
    }
  _cleanup_ (seccomp_prog_freep) struct seccomp_prog *seccomp = NULL;
  if ((r = seccomp_prepare (c.spec->linux_ ? c.spec->linux_->seccomp : NULL, &seccomp, err)) < 0)
    return r;
  if (socketpair (AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
    return hull_err (err, errno, "socketpair");
  sync_parent = sp[0];
  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, &old);
  struct exec_child x = {
    .init_pid = c.pid, .p = p, .env = env, .sync_fd = sp[1], .console_sock = console_sock,
    .preserve_end = 3 + o->preserve_fds, .preserve_open = preserve_open, .userns = userns,
    .seccomp = seccomp,
  };
  pid = fork ();
  if (pid == 0)
    {
      close (sp[0]);
      exec_child_main (&x);
    }
  close (sp[1]);
  if (saved_pid >= 0)
    setns (saved_pid, CLONE_NEWPID);
  if (saved_time >= 0)
    setns (saved_time, CLONE_NEWTIME);
  if (pid < 0)
    {
      sigprocmask (SIG_SETMASK, &old, NULL);
      return hull_err (err, errno, "fork");
    }
  /* the process must be in the container's cgroup before it runs the command */
  if (c.cg && (r = cgroup_enter (c.cg, pid, err)) < 0)
    {
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      sigprocmask (SIG_SETMASK, &old, NULL);
      return r;
    }
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
            {
              kill (pid, SIGKILL);
              waitpid (pid, NULL, 0);
              sigprocmask (SIG_SETMASK, &old, NULL);
              return r;
            }
          continue;
        }
      if (passed >= 0)
        close (passed);
      if (msg.type == SYNC_ERROR)
        {
          *err = msg.err;
          waitpid (pid, NULL, 0);
          sigprocmask (SIG_SETMASK, &old, NULL);
          return -(err->errnum ? err->errnum : EIO);
        }
    }
  if (o->pid_file)
    {
      _cleanup_free_ char *dir = xstrdup (o->pid_file);
      char *slash = strrchr (dir, '/');
      char buf[16];
      int n = snprintf (buf, sizeof buf, "%d", (int) pid);
      if (slash)
        *slash = '\0';
      _cleanup_close_ int dfd = open (slash ? (*dir ? dir : "/") : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dfd < 0 || (r = write_file_atomic_at (dfd, slash ? slash + 1 : o->pid_file, buf, (size_t) n, 0644)) < 0)
        {
          sigprocmask (SIG_SETMASK, &old, NULL);
          return hull_err (err, dfd < 0 ? errno : -r, "write pid file `%s`", o->pid_file);
        }
    }
  if (o->pidfd_socket && (r = pidfd_socket_send (o->pidfd_socket, pid, err)) < 0)
    {
      kill (pid, SIGKILL);
      waitpid (pid, NULL, 0);
      sigprocmask (SIG_SETMASK, &old, NULL);
      return r;
    }
  if (o->detach)
    {
      sigprocmask (SIG_SETMASK, &old, NULL);
      *ret_status = 0;
      return 0;
    }
  /* do not hold the container's lock while the process runs */
  close (c.dir_fd);
  c.dir_fd = -1;
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
          kill (pid, SIGKILL);
          waitpid (pid, NULL, 0);
          sigprocmask (SIG_SETMASK, &old, NULL);
          *ret_status = 255;
          return r;
        }
    }
  else
    *ret_status = container_wait_forward (pid, &all);
  sigprocmask (SIG_SETMASK, &old, NULL);
  return 0;
}
