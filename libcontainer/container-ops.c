/* SPDX-License-Identifier: Apache-2.0 */
/* Operations on an existing container: state, list, kill, delete, pause/resume, ps, update, events. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cgroup/cgroup.h"
#include "cleanup.h"
#include "container.h"
#include "hooks.h"
#include "log.h"
#include "util.h"

int
container_load (const struct hull_context *ctx, const char *id, struct container_ctx *c, struct hull_error *err)
{
  int r;
  memset (c, 0, sizeof *c);
  c->root_fd = c->dir_fd = -1;
  c->id = id;
  if ((r = hull_id_validate (id, err)) < 0)
    return r;
  c->root_fd = state_root_open (ctx->root, false, err);
  if (c->root_fd < 0)
    return c->root_fd == -ENOENT ? hull_errx (err, ENOENT, "container does not exist") : c->root_fd;
  if ((c->dir_fd = state_lock (c->root_fd, id, err)) < 0)
    return c->dir_fd;
  if ((r = state_load (c->dir_fd, &c->st, err)) < 0)
    return r;
  c->pid = c->st->pid;
  if (c->st->cgroup && (r = cgroup_from_string (c->st->cgroup, &c->cg, err)) < 0)
    return r;
  return 0;
}

int
hull_container_state (const struct hull_context *ctx, const char *id, char **ret_json, struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  int r = container_load (ctx, id, &c, err);
  if (r < 0)
    return r;
  *ret_json = state_to_json (c.st, state_status (c.dir_fd, c.st));
  return 0;
}

int
hull_container_list (const struct hull_context *ctx, struct hull_list_entry **ret, size_t *ret_n,
                     struct hull_error *err)
{
  _cleanup_close_ int root_fd = state_root_open (ctx->root, false, err);
  struct hull_list_entry *l = NULL;
  size_t n = 0;
  DIR *d;
  struct dirent *de;

  *ret = NULL;
  *ret_n = 0;
  if (root_fd == -ENOENT)
    return 0;
  if (root_fd < 0)
    return root_fd;
  d = fdopendir (dup (root_fd));
  if (!d)
    return hull_err (err, errno, "read state root `%s`", ctx->root);
  while ((de = readdir (d)))
    {
      struct hull_error e = { 0 };
      struct hull_state *st = NULL;
      if (de->d_name[0] == '.')
        continue;
      _cleanup_close_ int dir = openat (root_fd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
      if (dir < 0 || state_load (dir, &st, &e) < 0)
        continue;
      enum hull_status s = state_status (dir, st);
      l = xrealloc (l, (n + 1) * sizeof *l);
      l[n] = (struct hull_list_entry) {
        .id = xstrdup (st->id),
        .pid = s == HULL_STATUS_STOPPED ? 0 : st->pid,
        .status = xstrdup (state_status_name (s)),
        .bundle = xstrdup (st->bundle),
        .created = xstrdup (st->created),
        .owner = st->owner == 0 ? xstrdup ("root") : xasprintf ("%u", st->owner),
        .json = state_to_json (st, s),
      };
      n++;
      state_free (st);
    }
  closedir (d);
  *ret = l;
  *ret_n = n;
  return 0;
}

void
hull_list_free (struct hull_list_entry *l, size_t n)
{
  for (size_t i = 0; i < n; i++)
    {
      free (l[i].id);
      free (l[i].status);
      free (l[i].bundle);
      free (l[i].created);
      free (l[i].owner);
      free (l[i].json);
    }
  free (l);
}

/* Signal the init without ever hitting a reused pid: pidfd, then a start-time check. */
static int
signal_init (const struct hull_state *st, int sig, struct hull_error *err)
{
  int pidfd = (int) syscall (SYS_pidfd_open, st->pid, 0);
  if (pidfd >= 0)
    {
      int r = 0;
      if (!proc_is_alive (st->pid, st->pid_start_time))
        r = hull_errx (err, ESRCH, "container not running");
      else if (syscall (SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
        r = errno == ESRCH ? hull_errx (err, ESRCH, "container not running") : hull_err (err, errno, "kill");
      close (pidfd);
      return r;
    }
  if (!proc_is_alive (st->pid, st->pid_start_time))
    return hull_errx (err, ESRCH, "container not running");
  if (kill (st->pid, sig) < 0)
    return errno == ESRCH ? hull_errx (err, ESRCH, "container not running") : hull_err (err, errno, "kill");
  return 0;
}

int
hull_container_kill (const struct hull_context *ctx, const char *id, const struct hull_kill_opts *opts,
                     struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  int r = container_load (ctx, id, &c, err);
  if (r < 0)
    return r;
  enum hull_status s = state_status (c.dir_fd, c.st);
  if (opts->all && c.cg)
    {
      /* also fine on a stopped container: containerd cleans up leftovers this way */
      r = cgroup_kill_all (c.cg, opts->signal, err);
      if (r < 0)
        return r;
      if (s == HULL_STATUS_PAUSED && (opts->signal == SIGKILL || opts->signal == SIGTERM))
        cgroup_freeze (c.cg, false, err);
      return 0;
    }
  if (s == HULL_STATUS_STOPPED)
    {
      if (opts->all)
        return 0;
      return hull_errx (err, ESRCH, "container not running");
    }
  r = signal_init (c.st, opts->signal, err);
  if (r == 0 && s == HULL_STATUS_PAUSED && c.cg && opts->signal == SIGKILL)
    cgroup_freeze (c.cg, false, err);
  return r;
}

/* Wait (bounded) until the init is gone. */
static void
wait_gone (const struct hull_state *st)
{
  for (int i = 0; i < 1000 && proc_is_alive (st->pid, st->pid_start_time); i++)
    {
      /* our own child (run --keep case) must be reaped */
      waitpid (st->pid, NULL, WNOHANG);
      poll (NULL, 0, 10);
    }
}

int
hull_container_delete (const struct hull_context *ctx, const char *id, bool force, struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  int r = container_load (ctx, id, &c, err);
  if (r == -ENOENT && c.dir_fd >= 0)
    {
      /* a create that died before writing state.json left its directory: we hold its lock, so its
       * creator is gone; kill what runs in its cgroup, remove the cgroup and the directory */
      _cleanup_free_ char *cgs = NULL;
      struct hull_cgroup *cg = NULL;
      struct hull_error e = { 0 };
      if (read_file_at (c.dir_fd, "cgroup", 1 << 20, &cgs, NULL) == 0 && cgroup_from_string (cgs, &cg, &e) == 0)
        {
          cgroup_kill_all (cg, SIGKILL, &e);
          if (cgroup_destroy (cg, &e) < 0)
            hull_warn ("%s, ignoring", e.msg);
          cgroup_free (cg);
        }
      state_remove (c.root_fd, id);
      hull_err_clear (err);
      return 0;
    }
  if (r == -ENOENT && force)
    {
      /* like runc: deleting what is already gone is not an error with --force */
      hull_err_clear (err);
      return 0;
    }
  if (r < 0)
    return r;
  enum hull_status s = state_status (c.dir_fd, c.st);
  if (s != HULL_STATUS_STOPPED)
    {
      if (!force && s != HULL_STATUS_CREATED)
        return hull_errx (err, EBUSY, "cannot delete container %s that is not stopped: %s", id,
                          state_status_name (s));
      if (c.cg && !c.st->has_pidns)
        cgroup_kill_all (c.cg, SIGKILL, err);
      signal_init (c.st, SIGKILL, err);
      if (s == HULL_STATUS_PAUSED && c.cg)
        cgroup_freeze (c.cg, false, err);
      wait_gone (c.st);
    }
  hull_err_clear (err);
  container_destroy (&c);
  return 0;
}

int
hull_container_pause (const struct hull_context *ctx, const char *id, struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  int r = container_load (ctx, id, &c, err);
  if (r < 0)
    return r;
  enum hull_status s = state_status (c.dir_fd, c.st);
  if (s != HULL_STATUS_RUNNING && s != HULL_STATUS_CREATED)
    return hull_errx (err, EINVAL, "container not running");
  if (!c.cg)
    return hull_errx (err, ENOTSUP, "container `%s` has no cgroup to freeze", id);
  return cgroup_freeze (c.cg, true, err);
}

int
hull_container_resume (const struct hull_context *ctx, const char *id, struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  int r = container_load (ctx, id, &c, err);
  if (r < 0)
    return r;
  if (state_status (c.dir_fd, c.st) != HULL_STATUS_PAUSED)
    return hull_errx (err, EINVAL, "container not paused");
  return cgroup_freeze (c.cg, false, err);
}

int
hull_container_pids (const struct hull_context *ctx, const char *id, pid_t **ret, size_t *ret_n,
                     struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  int r = container_load (ctx, id, &c, err);
  *ret = NULL;
  *ret_n = 0;
  if (r < 0)
    return r;
  if (!c.cg)
    {
      if (state_status (c.dir_fd, c.st) == HULL_STATUS_STOPPED)
        return 0;
      *ret = xmalloc (sizeof (pid_t));
      (*ret)[0] = c.st->pid;
      *ret_n = 1;
      return 0;
    }
  return cgroup_pids (c.cg, ret, ret_n, err);
}

int
hull_container_update (const struct hull_context *ctx, const char *id, const char *resources_json,
                       struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  _cleanup_ (spec_resources_freep) struct hull_resources *res = NULL;
  int r = container_load (ctx, id, &c, err);
  if (r < 0)
    return r;
  if (state_status (c.dir_fd, c.st) == HULL_STATUS_STOPPED)
    return hull_errx (err, EINVAL, "container not running");
  if ((r = spec_parse_resources_buffer (resources_json ? resources_json : "{}", "resources", &res, err)) < 0)
    return r;
  if (!c.cg)
    return hull_errx (err, ENOTSUP, "container `%s` has no cgroup", id);
  return cgroup_apply (c.cg, res, err);
}

struct running_check
{
  const struct hull_state *st;
};

static bool
still_running (void *userdata)
{
  const struct running_check *rc = userdata;
  return proc_is_alive (rc->st->pid, rc->st->pid_start_time);
}

int
hull_container_events (const struct hull_context *ctx, const char *id, const struct hull_events_opts *opts,
                       struct hull_error *err)
{
  _cleanup_ (container_ctx_done) struct container_ctx c;
  int r = container_load (ctx, id, &c, err);
  if (r < 0)
    return r;
  if (state_status (c.dir_fd, c.st) == HULL_STATUS_STOPPED)
    return hull_errx (err, EINVAL, "container with id %s is not running", id);
  if (!c.cg)
    return hull_errx (err, ENOTSUP, "container `%s` has no cgroup", id);
  struct running_check rc = { .st = c.st };
  /* the lock must not be held while streaming */
  close (c.dir_fd);
  c.dir_fd = -1;
  return cgroup_events_loop (c.cg, id, opts->stats, opts->interval_ms ? opts->interval_ms : 5000, STDOUT_FILENO,
                             still_running, &rc, err);
}
