/* SPDX-License-Identifier: Apache-2.0 */
/* Mode detection, hierarchy discovery (/proc/self/mountinfo), cgroupsPath resolution, and the
 * operations common to every mode: create, enter, pids, kill_all, destroy.  The per-mode parts
 * (apply, freeze, stats) live in cgroup-v1.c and cgroup-v2.c. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>
#include <unistd.h>
#include "../cleanup.h"
#include "../log.h"
#include "../util.h"
#include "cgroup-internal.h"

enum hull_cgroup_mode
cgroup_detect_mode (void)
{
  struct statfs sf;
  if (statfs (CG_ROOT, &sf) < 0)
    return HULL_CGROUP_NONE;
  if (sf.f_type == CGROUP2_SUPER_MAGIC)
    return HULL_CGROUP_V2;
  if (sf.f_type != TMPFS_MAGIC)
    return HULL_CGROUP_NONE;
  if (statfs (CG_ROOT "/unified", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
    return HULL_CGROUP_HYBRID;
  return HULL_CGROUP_V1;
}

void
cgroup_free (struct hull_cgroup *cg)
{
  if (!cg)
    return;
  for (size_t i = 0; i < cg->n; i++)
    {
      free (cg->h[i].controllers);
      free (cg->h[i].mount);
      free (cg->h[i].rel);
      free (cg->h[i].path);
      free (cg->h[i].created);
      if (cg->h[i].fd >= 0)
        close (cg->h[i].fd);
    }
  free (cg->h);
  free (cg);
}

static struct cg_hier *
add_hier (struct hull_cgroup *cg, const char *controllers, const char *mount, bool unified)
{
  struct cg_hier *h;
  cg->h = xrealloc (cg->h, (cg->n + 1) * sizeof *cg->h);
  h = &cg->h[cg->n++];
  *h = (struct cg_hier){ .controllers = xstrdup (controllers), .mount = xstrdup (mount), .unified = unified,
                         .fd = -1 };
  return h;
}

/* Decode mountinfo's octal escapes (\040) in place. */
static void
unescape (char *s)
{
  char *o = s;
  for (; *s; s++)
    {
      if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7')
        {
          *o++ = (char) ((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
          s += 3;
        }
      else
        *o++ = *s;
    }
  *o = '\0';
}

static bool
known_subsys (const char *cgroups, const char *name)
{
  if (str_has_prefix (name, "name="))
    return true;
  return cg_list_has (cgroups, name, " \t\n");
}

/* Find the v1 hierarchies (and the cgroup2 one in hybrid/v2 mode) from /proc/self/mountinfo.  The mount
 * root (field 4) is kept in *roots so own paths can be made relative to it. */
static int
discover (struct hull_cgroup *cg, char ***roots, struct hull_error *err)
{
  _cleanup_free_ char *info = NULL, *subsys = NULL;
  int r = read_file_at (AT_FDCWD, "/proc/self/mountinfo", 16u << 20, &info, NULL);
  if (r < 0)
    return hull_err (err, -r, "read /proc/self/mountinfo");
  if (read_file_at (AT_FDCWD, "/proc/cgroups", 1u << 20, &subsys, NULL) < 0)
    subsys = xstrdup ("");
  for (char *line = info, *next; line && *line; line = next)
    {
      char *f[6] = { 0 }, *sep, *fstype, *opts, *save = NULL;
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      sep = strstr (line, " - ");
      if (!sep)
        continue;
      *sep = '\0';
      fstype = strtok_r (sep + 3, " ", &save);
      strtok_r (NULL, " ", &save); /* source */
      opts = strtok_r (NULL, " ", &save);
      if (!fstype || !opts)
        continue;
      save = NULL;
      for (int i = 0; i < 6; i++)
        f[i] = strtok_r (i == 0 ? line : NULL, " ", &save);
      if (!f[4])
        continue;
      unescape (f[3]);
      unescape (f[4]);
      if (strcmp (fstype, "cgroup2") == 0)
        {
          if (cg->mode == HULL_CGROUP_V2 ? strcmp (f[4], CG_ROOT) != 0 : strcmp (f[4], CG_ROOT "/unified") != 0)
            continue;
          if (cg_unified (cg))
            continue;
          add_hier (cg, "", f[4], true);
        }
      else if (strcmp (fstype, "cgroup") == 0 && cg->mode != HULL_CGROUP_V2)
        {
          _cleanup_free_ char *ctrls = NULL;
          char *s2 = NULL;
          bool dup = false;
          for (char *o = strtok_r (opts, ",", &s2); o; o = strtok_r (NULL, ",", &s2))
            if (known_subsys (subsys, o))
              {
                char *n = ctrls ? xasprintf ("%s,%s", ctrls, o) : xstrdup (o);
                free (ctrls);
                ctrls = n;
              }
          if (!ctrls)
            continue;
          for (size_t i = 0; i < cg->n; i++)
            if (strcmp (cg->h[i].controllers, ctrls) == 0)
              dup = true;
          if (dup)
            continue;
          add_hier (cg, ctrls, f[4], false);
        }
      else
        continue;
      *roots = xrealloc (*roots, (cg->n + 1) * sizeof **roots);
      (*roots)[cg->n - 1] = xstrdup (f[3]);
      (*roots)[cg->n] = NULL;
    }
  return 0;
}

/* hull's own cgroup in hierarchy h, from /proc/self/cgroup, relative to the mount root. */
static char *
own_path (const char *self, const struct cg_hier *h, const char *mount_root)
{
  _cleanup_free_ char *copy = xstrdup (self);
  const char *found = NULL;
  for (char *line = copy, *next; line && *line; line = next)
    {
      char *c1, *c2;
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      c1 = strchr (line, ':');
      c2 = c1 ? strchr (c1 + 1, ':') : NULL;
      if (!c2)
        continue;
      *c2 = '\0';
      if (h->unified ? (strcmp (line, "0:") == 0) : (c1[1] != '\0' && cg_list_has (h->controllers, strtok (c1 + 1, ","), ",")))
        {
          found = c2 + 1;
          break;
        }
    }
  if (!found)
    return xstrdup ("/");
  if (strcmp (mount_root, "/") != 0 && str_has_prefix (found, mount_root))
    {
      const char *rest = found + strlen (mount_root);
      if (*rest == '\0' || *rest == '/')
        return xstrdup (*rest ? rest : "/");
    }
  return xstrdup (found);
}

/* Normalise a cgroupsPath: collapse slashes, drop "." components, refuse "..". */
static int
clean_path (const char *in, char **ret, struct hull_error *err)
{
  _cleanup_free_ char *copy = xstrdup (in);
  _cleanup_free_ char *out = xstrdup ("");
  char *save = NULL;
  for (char *c = strtok_r (copy, "/", &save); c; c = strtok_r (NULL, "/", &save))
    {
      char *n;
      if (strcmp (c, ".") == 0)
        continue;
      if (strcmp (c, "..") == 0)
        return hull_errx (err, EINVAL, "invalid cgroupsPath `%s`: `..` is not allowed", in);
      if (strchr (c, '\n'))
        return hull_errx (err, EINVAL, "invalid cgroupsPath `%s`: newline in path", in);
      n = xasprintf ("%s/%s", out, c);
      free (out);
      out = n;
    }
  *ret = TAKE_PTR (out);
  return 0;
}

static bool
is_perm_error (int r)
{
  return r == -EACCES || r == -EPERM || r == -EROFS;
}

/* mkdir p (h->path or one of its ancestors below h->mount): the directory itself first, its parent
 * only when that fails with ENOENT, so an existing parent costs nothing.  The first directory made
 * (the top-most, as parents are made before children) is recorded in h->created; a new v1 cpuset
 * directory gets its parent's cpus and mems before a child is made below it. */
static int
make_dir (struct cg_hier *h, char *p, size_t ml, bool cpuset, struct hull_error *err)
{
  if (mkdir (p, 0755) < 0)
    {
      char *sl;
      int r;
      if (errno == EEXIST)
        return 0;
      sl = strrchr (p, '/');
      if (errno != ENOENT || !sl || (size_t) (sl - p) <= ml)
        return hull_err (err, errno, "mkdir cgroup `%s`", p);
      *sl = '\0';
      r = make_dir (h, p, ml, cpuset, err);
      *sl = '/';
      if (r < 0)
        return r;
      if (mkdir (p, 0755) < 0)
        {
          if (errno == EEXIST)
            return 0;
          return hull_err (err, errno, "mkdir cgroup `%s`", p);
        }
    }
  if (!h->created)
    h->created = xstrdup (p);
  if (cpuset)
    return cg1_cpuset_init (p, err);
  return 0;
}

static int
make_dirs (struct cg_hier *h, struct hull_error *err)
{
  _cleanup_free_ char *p = xstrdup (h->path);
  size_t ml = strlen (h->mount);
  if (strlen (p) <= ml)
    return 0;
  return make_dir (h, p, ml, !h->unified && cg_list_has (h->controllers, "cpuset", ","), err);
}

static void
undo_dirs (struct hull_cgroup *cg)
{
  for (size_t i = 0; i < cg->n; i++)
    {
      struct cg_hier *h = &cg->h[i];
      if (!h->created)
        continue;
      for (_cleanup_free_ char *p = xstrdup (h->path); strlen (p) >= strlen (h->created);)
        {
          if (rmdir (p) < 0 && errno != ENOENT)
            break;
          char *sl = strrchr (p, '/');
          if (!sl)
            break;
          *sl = '\0';
        }
      free (h->created);
      h->created = NULL;
    }
}

int
cgroup_create (const struct hull_cgroup_opts *opts, struct hull_cgroup **ret, struct hull_error *err)
{
  _cleanup_ (cgroup_freep) struct hull_cgroup *cg = xzalloc (sizeof *cg);
  _cleanup_strv_ char **roots = NULL;
  _cleanup_free_ char *self = NULL, *clean = NULL;
  const char *path = opts->cgroups_path;
  bool absolute;
  int r;

  if (opts->systemd)
    return hull_errx (err, ENOTSUP, "systemd cgroup driver not supported: cgroupsPath `%s`",
                      path ? path : "");
  if (!path || !*path)
    {
      if (!opts->id || !*opts->id)
        return hull_errx (err, EINVAL, "cgroup: no container id for the default cgroupsPath");
      path = opts->id;
    }
  absolute = path[0] == '/';
  r = clean_path (path, &clean, err);
  if (r < 0)
    return r;
  if (!*clean)
    return hull_errx (err, EINVAL, "invalid cgroupsPath `%s`: it names the root cgroup", path);

  cg->mode = cgroup_detect_mode ();
  cg->rootless = opts->rootless;
  if (cg->mode == HULL_CGROUP_NONE)
    {
      if (opts->rootless)
        {
          hull_debug ("no cgroup filesystem found, running without a cgroup");
          cg->disabled = true;
          *ret = TAKE_PTR (cg);
          return 0;
        }
      return hull_errx (err, ENOENT, "no cgroup filesystem mounted at " CG_ROOT);
    }
  r = discover (cg, &roots, err);
  if (r < 0)
    return r;
  r = read_file_at (AT_FDCWD, "/proc/self/cgroup", 1u << 20, &self, NULL);
  if (r < 0)
    return hull_err (err, -r, "read /proc/self/cgroup");
  for (size_t i = 0; i < cg->n; i++)
    {
      struct cg_hier *h = &cg->h[i];
      if (absolute)
        h->rel = xstrdup (clean);
      else
        {
          _cleanup_free_ char *own = own_path (self, h, roots[i]);
          h->rel = xasprintf ("%s%s", strcmp (own, "/") == 0 ? "" : own, clean);
        }
      h->path = xasprintf ("%s%s", h->mount, h->rel);
    }

  for (size_t i = 0; i < cg->n; i++)
    {
      struct cg_hier *h = &cg->h[i];
      r = make_dirs (h, err);
      if (r < 0 && opts->rootless && is_perm_error (r))
        {
          hull_debug ("cgroup `%s` not writable (%s), running without a cgroup", h->path, strerror (-r));
          undo_dirs (cg);
          cg->disabled = true;
          break;
        }
      if (r < 0 && ((cg->mode == HULL_CGROUP_HYBRID && h->unified) || str_has_prefix (h->controllers, "name=")))
        {
          /* On hybrid hosts the cgroup2 tree and named hierarchies are optional. */
          hull_warn ("cgroup `%s`: %s, ignoring", h->path, err->msg);
          hull_err_clear (err);
          free (h->path);
          h->path = NULL;
          continue;
        }
      if (r < 0)
        {
          undo_dirs (cg);
          return r;
        }
    }
  /* Drop the hierarchies that could not be created. */
  for (size_t i = 0; i < cg->n;)
    if (!cg->h[i].path)
      {
        free (cg->h[i].controllers);
        free (cg->h[i].mount);
        free (cg->h[i].rel);
        free (cg->h[i].created);
        memmove (&cg->h[i], &cg->h[i + 1], (cg->n - i - 1) * sizeof *cg->h);
        cg->n--;
      }
    else
      i++;

  if (!cg->disabled && cg->mode == HULL_CGROUP_V2)
    {
      struct cg_hier *u = cg_unified (cg);
      if (u && !cg2_controllers_complete (u->mount, u->rel))
        {
          r = cg2_enable_controllers (u->mount, u->rel, err);
          if (r < 0)
            {
              /* as runc: best effort; a resource needing a missing controller fails later */
              hull_debug ("%s, ignored", err->msg);
              hull_err_clear (err);
            }
        }
    }
  *ret = TAKE_PTR (cg);
  return 0;
}

int
cgroup_enter (struct hull_cgroup *cg, pid_t pid, struct hull_error *err)
{
  char buf[32];
  if (cg->disabled)
    return 0;
  snprintf (buf, sizeof buf, "%d", (int) pid);
  for (size_t i = 0; i < cg->n; i++)
    {
      /* through the directory fd when one is open already, else by path (no extra open + close) */
      int r = cg->h[i].fd >= 0 ? cg_write (cg->h[i].fd, "cgroup.procs", buf, err)
                               : cg_write_in (cg->h[i].path, "cgroup.procs", buf, err);
      if (r < 0 && cg->rootless && is_perm_error (r))
        {
          hull_debug ("%s, ignored (rootless)", err->msg);
          hull_err_clear (err);
          continue;
        }
      if (r < 0)
        return hull_err_prefix (err, "enter cgroup `%s`", cg->h[i].path);
    }
  return 0;
}

int
cgroup_clone_into_fd (struct hull_cgroup *cg)
{
  struct cg_hier *u;
  struct hull_error e = { 0 };
  if (cg->disabled || cg->mode != HULL_CGROUP_V2 || !(u = cg_unified (cg)))
    return -1;
  return cg_hier_fd (u, &e) < 0 ? -1 : u->fd;
}

/* The hierarchy whose cgroup.procs lists the container's processes. */
static struct cg_hier *
procs_hier (struct hull_cgroup *cg)
{
  static const char *const prefer[] = { "pids", "freezer", "memory", "cpu", "devices" };
  struct cg_hier *h;
  if (cg->mode == HULL_CGROUP_V2 && (h = cg_unified (cg)))
    return h;
  for (size_t i = 0; i < ELEMENTSOF (prefer); i++)
    if ((h = cg_find (cg, prefer[i])))
      return h;
  return cg->n > 0 ? &cg->h[0] : NULL;
}

int
cgroup_pids (struct hull_cgroup *cg, pid_t **ret, size_t *ret_n, struct hull_error *err)
{
  _cleanup_free_ pid_t *pids = NULL;
  size_t n = 0;
  struct cg_hier *h = cg->disabled ? NULL : procs_hier (cg);
  if (h)
    {
      int r = cg_collect_pids (h->path, &pids, &n, err);
      if (r < 0)
        return r;
    }
  *ret = TAKE_PTR (pids);
  *ret_n = n;
  return 0;
}

static int
signal_pids (struct hull_cgroup *cg, int sig, struct hull_error *err)
{
  _cleanup_free_ pid_t *pids = NULL;
  size_t n = 0;
  int r = cgroup_pids (cg, &pids, &n, err);
  if (r < 0)
    return r;
  for (size_t i = 0; i < n; i++)
    if (kill (pids[i], sig) < 0 && errno != ESRCH)
      return hull_err (err, errno, "kill %d with signal %d", (int) pids[i], sig);
  return 0;
}

int
cgroup_kill_all (struct hull_cgroup *cg, int sig, struct hull_error *err)
{
  struct cg_hier *u;
  bool froze = false;
  int r;
  if (cg->disabled)
    return 0;
  if (cg->mode == HULL_CGROUP_V2 && sig == SIGKILL && (u = cg_unified (cg)) && cg_hier_fd (u, err) >= 0
      && cg_exists (u->fd, "cgroup.kill"))
    return cg_write (u->fd, "cgroup.kill", "1", err);
  hull_err_clear (err);
  /* Freeze so no process forks between listing and signalling, then thaw so the signal is handled. */
  if (!cgroup_is_frozen (cg) && cgroup_freeze (cg, true, err) == 0)
    froze = true;
  hull_err_clear (err);
  r = signal_pids (cg, sig, err);
  if (froze)
    {
      struct hull_error e2 = { 0 };
      if (cgroup_freeze (cg, false, &e2) < 0 && r == 0)
        {
          *err = e2;
          r = -e2.errnum;
        }
    }
  return r;
}

/* Remove h->path: one rmdir, and only when that finds the cgroup busy (sub-cgroups the container
 * made, or a process that has just exited) the walk of its children with retries. */
static int
remove_hier (struct cg_hier *h)
{
  if (h->fd >= 0)
    {
      close (h->fd);
      h->fd = -1;
    }
  if (rmdir (h->path) == 0 || errno == ENOENT)
    return 0;
  if (errno != EBUSY && errno != ENOTEMPTY)
    return -errno;
  return cg_rmdir_tree (h->path);
}

int
cgroup_destroy (struct hull_cgroup *cg, struct hull_error *err)
{
  struct cg_hier *ph;
  bool ph_removed = false;
  int r = 0;
  if (cg->disabled)
    return 0;
  /* The usual case, a container whose processes are gone and which made no sub-cgroup: the rmdir of
   * the hierarchy that lists its processes succeeds, which proves it empty, and nothing needs to be
   * listed or killed.  A busy one (EBUSY) takes the kill loop below. */
  ph = procs_hier (cg);
  if (ph)
    {
      if (ph->fd >= 0)
        {
          close (ph->fd);
          ph->fd = -1;
        }
      ph_removed = rmdir (ph->path) == 0 || errno == ENOENT;
    }
  /* Kill leftovers until every hierarchy is empty (bounded: about 5 s). */
  for (unsigned i = 0, ms = 1; !ph_removed; i++, ms = ms < 100 ? ms * 2 : ms)
    {
      _cleanup_free_ pid_t *pids = NULL;
      size_t n = 0;
      r = cgroup_pids (cg, &pids, &n, err);
      if (r < 0)
        return r;
      if (n == 0)
        break;
      if (i >= 60)
        return hull_errx (err, EBUSY, "cgroup `%s` still has %zu processes after SIGKILL", procs_hier (cg)->path, n);
      r = cgroup_kill_all (cg, SIGKILL, err);
      if (r < 0)
        return r;
      if (cgroup_is_frozen (cg))
        {
          r = cgroup_freeze (cg, false, err);
          if (r < 0)
            return r;
        }
      cg_sleep_ms (ms);
    }
  for (size_t i = 0; i < cg->n; i++)
    {
      struct cg_hier *h = &cg->h[i];
      int q = h == ph && ph_removed ? 0 : remove_hier (h);
      if (q < 0)
        {
          if (r == 0)
            r = hull_err (err, -q, "remove cgroup `%s`", h->path);
          continue;
        }
      if (!h->created)
        continue;
      _cleanup_free_ char *p = xstrdup (h->path);
      while (strlen (p) > strlen (h->created))
        {
          *strrchr (p, '/') = '\0';
          if (rmdir (p) < 0 && errno != ENOENT)
            {
              if (errno != EBUSY && errno != ENOTEMPTY && r == 0)
                r = hull_err (err, errno, "remove cgroup `%s`", p);
              break;
            }
        }
    }
  return r;
}

int
cgroup_apply (struct hull_cgroup *cg, const struct hull_resources *res, struct hull_error *err)
{
  if (cg->disabled || !res)
    return 0;
  if (cg->mode == HULL_CGROUP_V2)
    return cg2_apply (cg, res, err);
  return cg1_apply (cg, res, err);
}

int
cgroup_freeze (struct hull_cgroup *cg, bool freeze, struct hull_error *err)
{
  if (cg->disabled)
    return hull_errx (err, ENOTSUP, "container has no cgroup: cannot %s it", freeze ? "pause" : "resume");
  if (cg->mode == HULL_CGROUP_V2)
    return cg2_freeze (cg, freeze, err);
  return cg1_freeze (cg, freeze, err);
}

bool
cgroup_is_frozen (struct hull_cgroup *cg)
{
  if (cg->disabled)
    return false;
  return cg->mode == HULL_CGROUP_V2 ? cg2_is_frozen (cg) : cg1_is_frozen (cg);
}

int
cgroup_stats_json (struct hull_cgroup *cg, char **ret, struct hull_error *err)
{
  if (cg->disabled)
    {
      *ret = xstrdup ("{}");
      return 0;
    }
  return cg->mode == HULL_CGROUP_V2 ? cg2_stats_json (cg, ret, err) : cg1_stats_json (cg, ret, err);
}

const char *
cgroup_path (const struct hull_cgroup *cg)
{
  for (size_t i = 0; i < cg->n; i++)
    if (cg->mode == HULL_CGROUP_V2 ? cg->h[i].unified : cg_list_has (cg->h[i].controllers, "memory", ","))
      return cg->h[i].rel;
  return cg->n > 0 ? cg->h[0].rel : "/";
}

enum hull_cgroup_mode
cgroup_mode (const struct hull_cgroup *cg)
{
  return cg->disabled ? HULL_CGROUP_NONE : cg->mode;
}
