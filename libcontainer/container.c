/* SPDX-License-Identifier: Apache-2.0 */
/* The public API: a table of contents of the container life cycle. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cgroup/cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "hooks.h"
#include "hull.h"
#include "log.h"
#include "pidfd-socket.h"
#include "process.h"
#include "rootfs.h"
#include "seccomp-filter.h"
#include "state.h"
#include "tty-proxy.h"
#include "util.h"

#define MAX_PRESERVE_FDS 4096

/* runc's "auto": not root, or root only inside a user namespace (rootless podman runs the runtime
 * as uid 0 in its own user namespace) */
static bool
is_rootless (const struct hull_context *ctx)
{
  if (ctx->rootless >= 0)
    return ctx->rootless;
  if (geteuid () != 0)
    return true;
  _cleanup_free_ char *map = NULL;
  if (read_file_at (AT_FDCWD, "/proc/self/uid_map", 4096, &map, NULL) < 0)
    return false;
  unsigned long a, b, n;
  return !(sscanf (map, "%lu %lu %lu", &a, &b, &n) == 3 && a == 0 && b == 0 && n == 4294967295UL);
}

static char *
now_rfc3339 (void)
{
  struct timespec ts;
  struct tm tm;
  char buf[64];
  clock_gettime (CLOCK_REALTIME, &ts);
  gmtime_r (&ts.tv_sec, &tm);
  /* not strftime: it loads the time zone (tzset), which UTC does not need */
  snprintf (buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
            tm.tm_hour, tm.tm_min, tm.tm_sec, ts.tv_nsec);
  return xstrdup (buf);
}

/* Write the pid file atomically: decimal, no newline. */
static int
write_pid_file (const char *path, pid_t pid, struct hull_error *err)
{
  _cleanup_free_ char *copy = xstrdup (path);
  char *slash = strrchr (copy, '/');
  const char *dir = slash ? (slash == copy ? "/" : copy) : ".";
  const char *name = slash ? slash + 1 : copy;
  char buf[16];
  int n = snprintf (buf, sizeof buf, "%d", (int) pid);
  if (slash)
    *slash = '\0';
  _cleanup_close_ int dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    return hull_err (err, errno, "open directory of pid file `%s`", path);
  int r = write_file_atomic_at (dfd, name, buf, (size_t) n, 0644);
  if (r < 0)
    return hull_err (err, -r, "write pid file `%s`", path);
  return 0;
}

/* The container's environment: process.env, plus LISTEN_FDS/LISTEN_PID when hull got socket-activation fds. */
static char **
build_env (const struct hull_process *p, int listen_fds)
{
  char **env = strv_dup (p->env);
  if (listen_fds > 0)
    {
      _cleanup_free_ char *l = xasprintf ("LISTEN_FDS=%d", listen_fds);
      strv_append (&env, l);
      strv_append (&env, "LISTEN_PID=1");
    }
  return env;
}

/* Socket activation: LISTEN_FDS counts only when LISTEN_PID names us (sd_listen_fds' rule). */
static int
listen_fds_count (void)
{
  const char *s = getenv ("LISTEN_FDS"), *p = getenv ("LISTEN_PID");
  int n, pid;
  if (!s || !p || parse_int (p, &pid) < 0 || pid != getpid ())
    return 0;
  if (parse_int (s, &n) < 0 || n < 0 || n > MAX_PRESERVE_FDS)
    return 0;
  return n;
}

void
container_ctx_done (struct container_ctx *c)
{
  spec_free (c->spec);
  cgroup_free (c->cg);
  state_free (c->st);
  strv_free (c->env);
  free (c->preserve_open);
  seccomp_prog_free (c->seccomp);
  if (c->dir_fd >= 0)
    close (c->dir_fd);
  if (c->root_fd >= 0)
    close (c->root_fd);
  memset (c, 0, sizeof *c);
  c->dir_fd = c->root_fd = -1;
}

/* Remove the container's traces after a failed create or on delete: cgroup, state dir. */
static void
destroy_leftovers (struct container_ctx *c)
{
  struct hull_error e = { 0 };
  if (c->cg && cgroup_destroy (c->cg, &e) < 0)
    hull_warn ("%s, ignoring", e.msg);
  if (c->root_fd >= 0 && c->id)
    {
      int r = state_remove (c->root_fd, c->id);
      if (r < 0)
        hull_warn ("remove state of `%s`: %s, ignoring", c->id, strerror (-r));
    }
}

struct seccomp_cb
{
  const struct hull_spec *spec;
  const char *id, *bundle, *rootfs;
};

/* Forward the init's notify fd to linux.seccomp.listenerPath with the state (runc's protocol). */
static int
forward_seccomp_fd (void *userdata, pid_t pid, int fd, struct hull_error *err)
{
  const struct seccomp_cb *cb = userdata;
  const struct hull_seccomp *sc = cb->spec->linux_->seccomp;
  struct hull_state st = {
    .id = (char *) cb->id, .pid = pid, .bundle = (char *) cb->bundle, .rootfs = (char *) cb->rootfs,
    .owner = geteuid (),
  };
  _cleanup_free_ char *created = now_rfc3339 ();
  st.created = created;
  _cleanup_free_ char *json = state_to_json (&st, HULL_STATUS_CREATING);
  return seccomp_send_listener (sc->listener_path, fd, json, sc->listener_metadata, pid, err);
}

/* The init stopped before pivot_root: prestart and createRuntime hooks in the runtime namespace. */
static int
run_runtime_hooks (void *userdata, pid_t pid, char **ret_state_json, struct hull_error *err)
{
  const struct seccomp_cb *cb = userdata;
  struct hull_state st = {
    .id = (char *) cb->id, .pid = pid, .bundle = (char *) cb->bundle, .rootfs = (char *) cb->rootfs,
    .owner = geteuid (),
  };
  _cleanup_free_ char *created = now_rfc3339 ();
  _cleanup_strv_ char **annotations = xzalloc ((2 * cb->spec->n_annotations + 1) * sizeof (char *));
  for (size_t i = 0; i < cb->spec->n_annotations; i++)
    {
      annotations[2 * i] = xstrdup (cb->spec->annotations[i].key);
      annotations[2 * i + 1] = xstrdup (cb->spec->annotations[i].value);
    }
  st.created = created;
  st.annotations = annotations;
  char *json = state_to_json (&st, HULL_STATUS_CREATING);
  int r = hooks_run_json (cb->spec, HULL_HOOK_PRESTART, json, err);
  if (r == 0)
    r = hooks_run_json (cb->spec, HULL_HOOK_CREATE_RUNTIME, json, err);
  if (r < 0)
    {
      free (json);
      return r;
    }
  *ret_state_json = json;
  return 0;
}

/* runc's device rules: the config's linux.resources.devices, then the defaults every container gets
 * (the standard nodes, ptys, tun, and mknod of anything).  Later rules win.  linux.devices nodes get
 * no implicit rule: the config must allow them, as with runc. */
static void
add_default_device_rules (struct hull_spec *spec)
{
  static const struct hull_device_cgroup defaults[] = {
    { true, 'c', -1, -1, (char *) "m" }, { true, 'b', -1, -1, (char *) "m" },
    { true, 'c', 1, 3, NULL },           { true, 'c', 1, 8, NULL },
    { true, 'c', 1, 7, NULL },           { true, 'c', 5, 0, NULL },
    { true, 'c', 1, 5, NULL },           { true, 'c', 1, 9, NULL },
    { true, 'c', 5, 1, NULL },           { true, 'c', 136, -1, NULL },
    { true, 'c', 5, 2, NULL },           { true, 'c', 10, 200, NULL },
  };
  struct hull_linux *lx = spec->linux_;
  if (!lx)
    return;
  if (!lx->resources)
    lx->resources = xzalloc (sizeof *lx->resources);
  struct hull_resources *r = lx->resources;
  size_t n = r->n_devices + ELEMENTSOF (defaults);
  r->devices = xrealloc (r->devices, n * sizeof *r->devices);
  for (size_t i = 0; i < ELEMENTSOF (defaults); i++)
    {
      r->devices[r->n_devices] = defaults[i];
      r->devices[r->n_devices++].access = xstrdup (defaults[i].access ? defaults[i].access : "rwm");
    }
}

int
container_create (const struct hull_context *ctx, const struct hull_create_opts *opts, struct tty_proxy **ret_tty,
                  bool start_at_once, struct container_ctx *c, struct hull_error *err)
{
  _cleanup_close_ int proxy_console = -1;
  _cleanup_free_ char *bundle = NULL, *config = NULL, *rootfs = NULL;
  _cleanup_close_ int fifo_fd = -1, console_sock = -1;
  /* the config checks for rootless apply to a non-root caller (runc's RootlessEUID); root in a user
   * namespace (rootless podman) only gets the cgroup leniency (RootlessCgroups) */
  bool rootless = is_rootless (ctx);
  struct hull_validate_opts vopts = { .rootless = geteuid () != 0 };
  int listen = listen_fds_count ();
  int preserve = opts->preserve_fds + listen;
  pid_t pid;
  int r;

  memset (c, 0, sizeof *c);
  c->dir_fd = c->root_fd = -1;
  c->id = opts->id;
  if ((r = hull_id_validate (opts->id, err)) < 0)
    return r;
  if (opts->preserve_fds < 0 || preserve > MAX_PRESERVE_FDS)
    return hull_errx (err, EINVAL, "--preserve-fds: invalid value %d", opts->preserve_fds);

  /* which preserved fds the caller really has, before we open anything ourselves */
  c->preserve_open = xzalloc ((size_t) preserve + 1);
  for (int i = 0; i < preserve; i++)
    c->preserve_open[i] = fcntl (3 + i, F_GETFD) >= 0;

  bundle = realpath (opts->bundle ? opts->bundle : ".", NULL);
  if (!bundle)
    return hull_err (err, errno, "bundle `%s`", opts->bundle ? opts->bundle : ".");
  config = opts->config_path ? xstrdup (opts->config_path) : xasprintf ("%s/config.json", bundle);
  if ((r = spec_load_file (config, &c->spec, err)) < 0)
    return r;
  if ((r = spec_validate (c->spec, &vopts, err)) < 0)
    return r;
  const struct hull_spec *spec = c->spec;
  if (!spec->process)
    return hull_errx (err, EINVAL, "config.json: process: missing mandatory field");
  rootfs = spec->root_path[0] == '/' ? xstrdup (spec->root_path) : xasprintf ("%s/%s", bundle, spec->root_path);
  {
    char *real = realpath (rootfs, NULL);
    if (!real)
      return hull_err (err, errno, "rootfs (\"%s\") does not exist", rootfs);
    free (rootfs);
    rootfs = real;
    struct stat st;
    if (stat (rootfs, &st) < 0 || !S_ISDIR (st.st_mode))
      return hull_errx (err, ENOTDIR, "rootfs (\"%s\") is not a directory", rootfs);
  }
  if (spec->process->terminal && !opts->console_socket && opts->detach)
    return hull_errx (err, EINVAL, "cannot allocate tty if runc will detach without setting console socket");
  if (!spec->process->terminal && opts->console_socket)
    return hull_errx (err, EINVAL, "cannot use console socket if runc will not detach or allocate tty");
  if (spec->process->terminal && !opts->console_socket)
    {
      /* foreground: hull itself holds the pty */
      if (!ret_tty)
        return hull_errx (err, EINVAL, "cannot allocate tty if runc will detach without setting console socket");
      if ((r = tty_proxy_prepare (ret_tty, &proxy_console, err)) < 0)
        return r;
    }
  if (!spec_find_namespace (spec, HULL_NS_MOUNT))
    return hull_errx (err, EINVAL, "linux.namespaces: a new mount namespace is required");

  /* state dir */
  c->root_fd = state_root_open (ctx->root, true, err);
  if (c->root_fd < 0)
    return c->root_fd;
  if (mkdirat (c->root_fd, opts->id, 0711) < 0)
    {
      if (errno == EEXIST)
        return hull_errx (err, EEXIST, "container with id exists: %s", opts->id);
      return hull_err (err, errno, "create state directory of `%s`", opts->id);
    }
  c->created_dir = true;
  c->dir_fd = state_lock (c->root_fd, opts->id, err);
  if (c->dir_fd < 0)
    goto fail;
  if (mkfifoat (c->dir_fd, "exec.fifo", 0622) < 0)
    {
      r = hull_err (err, errno, "create exec.fifo");
      goto fail;
    }
  /* read-write: the open does not wait for a writer, and the init's read blocks until start writes */
  fifo_fd = openat (c->dir_fd, "exec.fifo", O_RDWR | O_CLOEXEC | O_NOFOLLOW);
  if (fifo_fd < 0)
    {
      r = hull_err (err, errno, "open exec.fifo");
      goto fail;
    }
  if (proxy_console >= 0)
    console_sock = TAKE_FD (proxy_console);
  else if (opts->console_socket)
    {
      console_sock = unix_connect (opts->console_socket);
      if (console_sock < 0)
        {
          r = hull_err (err, -console_sock, "connect to the console socket `%s`", opts->console_socket);
          goto fail;
        }
    }

  /* cgroup: created and limited before the init can run anything */
  {
    struct hull_cgroup_opts co = {
      .id = opts->id,
      .cgroups_path = spec->linux_ ? spec->linux_->cgroups_path : NULL,
      .rootless = rootless,
      .systemd = ctx->systemd_cgroup,
    };
    if ((r = cgroup_create (&co, &c->cg, err)) < 0)
      goto fail;
    /* until state.json exists, this is how a delete finds the cgroup of a create that died */
    if (c->cg)
      {
        _cleanup_free_ char *cgs = cgroup_to_string (c->cg);
        if (cgs && (r = write_file_atomic_at (c->dir_fd, "cgroup", cgs, strlen (cgs), 0600)) < 0)
          {
            r = hull_err (err, -r, "write the cgroup of `%s`", opts->id);
            goto fail;
          }
      }
    if (rootless)
      {
        /* rootless: no device cgroup (runc): loading a device program needs privileges, and an
         * unprivileged container cannot create devices anyway */
        if (c->spec->linux_ && c->spec->linux_->resources)
          c->spec->linux_->resources->n_devices = 0;
      }
    else
      add_default_device_rules (c->spec);
    if (spec->linux_ && spec->linux_->resources && (r = cgroup_apply (c->cg, spec->linux_->resources, err)) < 0)
      goto fail;
  }

  c->env = build_env (spec->process, listen);
  {
    _cleanup_close_ int rfd = open (rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rfd >= 0)
      rootfs_add_home (&c->env, rfd, spec->process->uid);
  }
  {
    const struct hull_namespace *user = spec_find_namespace (spec, HULL_NS_USER);
    const struct hull_namespace *cgns = spec_find_namespace (spec, HULL_NS_CGROUP);
    const struct hull_namespace *net = spec_find_namespace (spec, HULL_NS_NETWORK);
    struct init_args a = {
      .spec = spec,
      .rootfs = rootfs,
      .bundle = bundle,
      .env = c->env,
      .sync_fd = -1,
      .fifo_fd = fifo_fd,
      .console_sock = console_sock,
      .preserve_end = 3 + preserve,
      .preserve_open = c->preserve_open,
      .no_pivot = opts->no_pivot,
      .no_new_keyring = opts->no_new_keyring,
      .new_userns = user && !user->path,
      .new_cgroupns = cgns && !cgns->path,
      .new_netns = net && !net->path,
      .privileged = geteuid () == 0,
      .waits_for_start = !start_at_once,
    };
    struct seccomp_cb cb = { .spec = spec, .id = opts->id, .bundle = bundle, .rootfs = rootfs };
    if ((r = seccomp_prepare (spec->linux_ ? spec->linux_->seccomp : NULL, c->root_fd, &c->seccomp, err)) < 0)
      goto fail;
    a.seccomp = c->seccomp;
    a.on_seccomp_fd = forward_seccomp_fd;
    a.on_hooks = run_runtime_hooks;
    a.userdata = &cb;
    if ((r = process_create_init (&a, c->cg, &pid, err)) < 0)
      goto fail;
  }

  /* state */
  c->st = xzalloc (sizeof *c->st);
  c->st->id = xstrdup (opts->id);
  c->st->pid = pid;
  c->st->pid_start_time = proc_start_time (pid);
  c->st->bundle = xstrdup (bundle);
  c->st->rootfs = xstrdup (rootfs);
  c->st->created = now_rfc3339 ();
  c->st->owner = geteuid ();
  c->st->cgroup = c->cg ? cgroup_to_string (c->cg) : NULL;
  c->st->config_path = xstrdup (config);
  {
    const struct hull_namespace *pidns = spec_find_namespace (spec, HULL_NS_PID);
    c->st->has_pidns = pidns != NULL;
    c->st->late_hooks = spec->hooks[HULL_HOOK_POSTSTART].n || spec->hooks[HULL_HOOK_POSTSTOP].n;
  }
  c->st->use_systemd = ctx->systemd_cgroup;
  c->st->annotations = xzalloc ((2 * spec->n_annotations + 1) * sizeof (char *));
  for (size_t i = 0; i < spec->n_annotations; i++)
    {
      c->st->annotations[2 * i] = xstrdup (spec->annotations[i].key);
      c->st->annotations[2 * i + 1] = xstrdup (spec->annotations[i].value);
    }
  if ((r = state_save (c->dir_fd, c->st, err)) < 0)
    goto fail_kill;
  if (opts->pid_file && (r = write_pid_file (opts->pid_file, pid, err)) < 0)
    goto fail_kill;
  if (opts->pidfd_socket && (r = pidfd_socket_send (opts->pidfd_socket, pid, err)) < 0)
    goto fail_kill;
  seccomp_cache_store (c->seccomp, c->root_fd);
  c->pid = pid;
  return 0;

fail_kill:
  kill (pid, SIGKILL);
  while (waitpid (pid, NULL, 0) < 0 && errno == EINTR)
    ;
fail:
  destroy_leftovers (c);
  return r < 0 ? r : -EIO;
}

int
hull_container_create (const struct hull_context *ctx, const struct hull_create_opts *opts, struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c = { .dir_fd = -1, .root_fd = -1 };
  return container_create (ctx, opts, NULL, false, &c, err);
}

/* Release the init blocked on exec.fifo. */
static int
release_init (int dir_fd, const struct hull_state *st, struct hull_error *err)
{
  _cleanup_close_ int fd = openat (dir_fd, "exec.fifo", O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    {
      if (errno == ENXIO)
        return hull_errx (err, ESRCH, "cannot start a container that has stopped");
      return hull_err (err, errno, "open exec.fifo");
    }
  if (write (fd, "0", 1) != 1)
    return hull_err (err, errno, "write exec.fifo");
  unlinkat (dir_fd, "exec.fifo", 0);
  return 0;
}

int
hull_container_start (const struct hull_context *ctx, const char *id, struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  int r;

  if ((r = container_load (ctx, id, &c, err)) < 0)
    return r;
  switch (state_status (c.dir_fd, c.st))
    {
    case HULL_STATUS_CREATED:
      break;
    case HULL_STATUS_STOPPED:
      return hull_errx (err, EINVAL, "cannot start a container that has stopped");
    case HULL_STATUS_PAUSED:
    case HULL_STATUS_RUNNING:
    default:
      return hull_errx (err, EINVAL, "cannot start an already running container");
    }
  if ((r = release_init (c.dir_fd, c.st, err)) < 0)
    return r;
  if ((r = hooks_run_state (c.st, HULL_HOOK_POSTSTART, err)) < 0)
    {
      /* like runc: a failed poststart hook stops and deletes the container */
      struct hull_error e = { 0 };
      if (c.cg && !c.st->has_pidns)
        cgroup_kill_all (c.cg, SIGKILL, &e);
      kill (c.st->pid, SIGKILL);
      for (int i = 0; i < 500 && proc_is_alive (c.st->pid, c.st->pid_start_time); i++)
        poll (NULL, 0, 10);
      container_destroy (&c);
      return r;
    }
  return 0;
}

/* Wait for the init, forwarding signals, reaping orphans; status as the shell reports it. */
int
container_wait_forward (pid_t pid, const sigset_t *all)
{
  for (;;)
    {
      int status;
      pid_t w;
      while ((w = waitpid (-1, &status, WNOHANG)) > 0)
        if (w == pid)
          return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
      if (w < 0 && errno == ECHILD)
        return 255;
      siginfo_t si;
      int sig = sigwaitinfo (all, &si);
      if (sig < 0 || sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH)
        continue;
      kill (pid, sig);
    }
}

/* A foreground run does not hold the container's lock while it waits: `state`, `exec`, `kill`, `ps`,
 * `pause` and `delete --force` of the running container work meanwhile, as with runc.  Taking it back
 * afterwards: true when <root>/<id> is still this container's directory (a `delete --force` may have
 * removed it meanwhile, and the id may name a new container by now: then nothing is ours to destroy). */
static bool
container_relock (struct container_ctx *c)
{
  struct stat a, b;
  while (flock (c->dir_fd, LOCK_EX) < 0)
    if (errno != EINTR)
      return false;
  if (fstat (c->dir_fd, &a) < 0 || fstatat (c->root_fd, c->id, &b, AT_SYMLINK_NOFOLLOW) < 0)
    return false;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int
hull_container_run (const struct hull_context *ctx, const struct hull_create_opts *opts, int *ret_status,
                    struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c = { .dir_fd = -1, .root_fd = -1 };
  struct tty_proxy *tty = NULL;
  sigset_t all, old;
  int r;

  *ret_status = 0;
  if (!opts->detach && !opts->no_subreaper)
    prctl (PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  r = container_create (ctx, opts, opts->detach ? NULL : &tty, true, &c, err);
  if (r < 0)
    {
      tty_proxy_free (tty);
      return r;
    }
  sigfillset (&all);
  sigprocmask (SIG_BLOCK, &all, &old);
  /* signals we inherited as ignored (a background job of a shell) must still be forwarded: with
   * everything blocked, SIG_DFL only makes them pending for sigwaitinfo */
  if (!opts->detach)
    signals_reset (/* unblock= */ false);
  r = release_init (c.dir_fd, c.st, err);
  if (r == 0)
    r = hooks_run (c.spec, HULL_HOOK_POSTSTART, c.st, HULL_STATUS_RUNNING, err);
  if (r < 0)
    {
      kill (c.pid, SIGKILL);
      waitpid (c.pid, NULL, 0);
      sigprocmask (SIG_SETMASK, &old, NULL);
      tty_proxy_free (tty);
      container_destroy (&c);
      return r;
    }
  if (opts->detach)
    {
      sigprocmask (SIG_SETMASK, &old, NULL);
      return 0;
    }
  flock (c.dir_fd, LOCK_UN);
  if (tty)
    {
      r = tty_proxy_wait (tty, c.pid, &all, ret_status, err);
      tty_proxy_free (tty);
      if (r < 0)
        {
          kill (c.pid, SIGKILL);
          waitpid (c.pid, NULL, 0);
          *ret_status = 255;
        }
    }
  else
    *ret_status = container_wait_forward (c.pid, &all);
  sigprocmask (SIG_SETMASK, &old, NULL);
  if (!container_relock (&c))
    hull_debug ("container `%s` was deleted while it ran", opts->id);
  else if (!opts->keep)
    container_destroy (&c);
  return 0;
}

void
container_destroy (struct container_ctx *c)
{
  struct hull_error e = { 0 };
  int r = 0;
  if (c->st && c->spec)
    r = hooks_run (c->spec, HULL_HOOK_POSTSTOP, c->st, HULL_STATUS_STOPPED, &e);
  else if (c->st)
    r = hooks_run_state (c->st, HULL_HOOK_POSTSTOP, &e);
  if (r < 0)
    hull_warn ("%s, ignoring", e.msg);
  destroy_leftovers (c);
}
