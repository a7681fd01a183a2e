/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>
#include "cgroup/cgroup.h"
#include "cleanup.h"
#include "config.h"
#include "state.h"
#include "util.h"

static const char *const status_names[_HULL_STATUS_MAX] = {
  [HULL_STATUS_CREATING] = "creating", [HULL_STATUS_CREATED] = "created", [HULL_STATUS_RUNNING] = "running",
  [HULL_STATUS_PAUSED] = "paused",     [HULL_STATUS_STOPPED] = "stopped",
};

const char *
state_status_name (enum hull_status s)
{
  return s < _HULL_STATUS_MAX ? status_names[s] : "unknown";
}

int
state_root_open (const char *root, bool create, struct hull_error *err)
{
  int fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0 || errno != ENOENT || !create)
    {
      if (fd < 0)
        return hull_err (err, errno, "open state root `%s`", root);
      return fd;
    }
  int r = mkdir_p_at (AT_FDCWD, root, 0700);
  if (r < 0)
    return hull_err (err, -r, "create state root `%s`", root);
  fd = open (root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return hull_err (err, errno, "open state root `%s`", root);
  return fd;
}

int
state_lock (int root_fd, const char *id, struct hull_error *err)
{
  int fd = openat (root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0)
    {
      if (errno == ENOENT)
        return hull_errx (err, ENOENT, "container does not exist");
      return hull_err (err, errno, "open state of `%s`", id);
    }
  while (flock (fd, LOCK_EX) < 0)
    if (errno != EINTR)
      {
        int e = errno;
        close (fd);
        return hull_err (err, e, "lock state of `%s`", id);
      }
  return fd;
}

static void
gen_str (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

static void
gen_kv (yajl_gen g, const char *k, const char *v)
{
  gen_str (g, k);
  if (v)
    gen_str (g, v);
  else
    yajl_gen_null (g);
}

static char *
gen_finish (yajl_gen g)
{
  const unsigned char *buf;
  size_t len;
  yajl_gen_get_buf (g, &buf, &len);
  char *r = xstrndup ((const char *) buf, len);
  yajl_gen_free (g);
  return r;
}

static void
gen_annotations (yajl_gen g, char *const *a)
{
  yajl_gen_map_open (g);
  for (size_t i = 0; a && a[i] && a[i + 1]; i += 2)
    gen_kv (g, a[i], a[i + 1]);
  yajl_gen_map_close (g);
}

int
state_save (int dir_fd, const struct hull_state *st, struct hull_error *err)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  char num[32];
  yajl_gen_map_open (g);
  gen_kv (g, "id", st->id);
  gen_str (g, "pid");
  yajl_gen_integer (g, st->pid);
  gen_str (g, "pid_start_time");
  snprintf (num, sizeof num, "%llu", (unsigned long long) st->pid_start_time);
  yajl_gen_number (g, num, strlen (num));
  gen_kv (g, "bundle", st->bundle);
  gen_kv (g, "rootfs", st->rootfs);
  gen_kv (g, "created", st->created);
  gen_str (g, "owner");
  yajl_gen_integer (g, st->owner);
  gen_kv (g, "cgroup", st->cgroup);
  gen_kv (g, "config_path", st->config_path);
  gen_str (g, "has_pidns");
  yajl_gen_bool (g, st->has_pidns);
  gen_str (g, "systemd");
  yajl_gen_bool (g, st->use_systemd);
  gen_str (g, "annotations");
  gen_annotations (g, st->annotations);
  yajl_gen_map_close (g);
  _cleanup_free_ char *json = gen_finish (g);
  int r = write_file_atomic_at (dir_fd, "state.json", json, strlen (json), 0600);
  if (r < 0)
    return hull_err (err, -r, "write state of `%s`", st->id);
  return 0;
}

static char *
tree_str (yajl_val root, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val v = yajl_tree_get (root, path, yajl_t_string);
  return v ? xstrdup (YAJL_GET_STRING (v)) : NULL;
}

static long long
tree_int (yajl_val root, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val v = yajl_tree_get (root, path, yajl_t_number);
  return v && YAJL_IS_INTEGER (v) ? YAJL_GET_INTEGER (v) : 0;
}

static bool
tree_bool (yajl_val root, const char *key)
{
  const char *path[] = { key, NULL };
  yajl_val v = yajl_tree_get (root, path, yajl_t_any);
  return v && YAJL_IS_TRUE (v);
}

int
state_load (int dir_fd, struct hull_state **ret, struct hull_error *err)
{
  _cleanup_free_ char *buf = NULL;
  char ebuf[256];
  int r = read_file_at (dir_fd, "state.json", 1 << 20, &buf, NULL);
  if (r == -ENOENT)
    return hull_errx (err, ENOENT, "container does not exist");
  if (r < 0)
    return hull_err (err, -r, "read state.json");
  yajl_val root = yajl_tree_parse (buf, ebuf, sizeof ebuf);
  if (!root || !YAJL_IS_OBJECT (root))
    {
      if (root)
        yajl_tree_free (root);
      return hull_errx (err, EINVAL, "state.json: invalid JSON");
    }
  struct hull_state *st = xzalloc (sizeof *st);
  st->id = tree_str (root, "id");
  st->pid = (pid_t) tree_int (root, "pid");
  {
    const char *path[] = { "pid_start_time", NULL };
    yajl_val v = yajl_tree_get (root, path, yajl_t_number);
    uint64_t t = 0;
    if (v && parse_u64 (YAJL_GET_NUMBER (v), 10, &t) == 0)
      st->pid_start_time = t;
  }
  st->bundle = tree_str (root, "bundle");
  st->rootfs = tree_str (root, "rootfs");
  st->created = tree_str (root, "created");
  st->owner = (uint32_t) tree_int (root, "owner");
  st->cgroup = tree_str (root, "cgroup");
  st->config_path = tree_str (root, "config_path");
  st->has_pidns = tree_bool (root, "has_pidns");
  st->use_systemd = tree_bool (root, "systemd");
  {
    const char *path[] = { "annotations", NULL };
    yajl_val a = yajl_tree_get (root, path, yajl_t_object);
    if (a)
      {
        size_t n = YAJL_GET_OBJECT (a)->len;
        st->annotations = xzalloc ((2 * n + 1) * sizeof (char *));
        for (size_t i = 0, k = 0; i < n; i++)
          {
            yajl_val v = YAJL_GET_OBJECT (a)->values[i];
            if (!YAJL_IS_STRING (v))
              continue;
            st->annotations[k++] = xstrdup (YAJL_GET_OBJECT (a)->keys[i]);
            st->annotations[k++] = xstrdup (YAJL_GET_STRING (v));
          }
      }
  }
  yajl_tree_free (root);
  if (!st->id)
    {
      state_free (st);
      return hull_errx (err, EINVAL, "state.json: missing id");
    }
  *ret = st;
  return 0;
}

enum hull_status
state_status (int dir_fd, const struct hull_state *st)
{
  struct stat sb;
  if (st->pid <= 0 || !proc_is_alive (st->pid, st->pid_start_time))
    return HULL_STATUS_STOPPED;
  if (fstatat (dir_fd, "exec.fifo", &sb, AT_SYMLINK_NOFOLLOW) == 0)
    return HULL_STATUS_CREATED;
  if (st->cgroup)
    {
      struct hull_cgroup *cg = NULL;
      struct hull_error e = { 0 };
      bool frozen = false;
      if (cgroup_from_string (st->cgroup, &cg, &e) == 0)
        {
          frozen = cgroup_is_frozen (cg);
          cgroup_free (cg);
        }
      if (frozen)
        return HULL_STATUS_PAUSED;
    }
  return HULL_STATUS_RUNNING;
}

char *
state_to_json (const struct hull_state *st, enum hull_status status)
{
  yajl_gen g = yajl_gen_alloc (NULL);
  yajl_gen_config (g, yajl_gen_beautify, 1);
  yajl_gen_config (g, yajl_gen_indent_string, "  ");
  yajl_gen_map_open (g);
  gen_kv (g, "ociVersion", HULL_OCI_VERSION);
  gen_kv (g, "id", st->id);
  gen_str (g, "pid");
  yajl_gen_integer (g, status == HULL_STATUS_STOPPED ? 0 : st->pid);
  gen_kv (g, "status", state_status_name (status));
  gen_kv (g, "bundle", st->bundle);
  gen_kv (g, "rootfs", st->rootfs);
  gen_kv (g, "created", st->created);
  gen_str (g, "owner");
  {
    char own[16];
    snprintf (own, sizeof own, "%u", st->owner);
    gen_str (g, st->owner == 0 ? "root" : own);
  }
  if (st->annotations && st->annotations[0])
    {
      gen_str (g, "annotations");
      gen_annotations (g, st->annotations);
    }
  yajl_gen_map_close (g);
  return gen_finish (g);
}

void
state_free (struct hull_state *st)
{
  if (!st)
    return;
  free (st->id);
  free (st->bundle);
  free (st->rootfs);
  free (st->created);
  free (st->cgroup);
  free (st->config_path);
  strv_free (st->annotations);
  for (size_t i = 0; i < ELEMENTSOF (st->ns_paths); i++)
    free (st->ns_paths[i]);
  free (st);
}
