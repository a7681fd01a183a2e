/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cgroup/cgroup.h"
#include "cleanup.h"
#include "config.h"
#include "spec/json.h"
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
gen_annotations (struct json_gen *g, char *const *a)
{
  json_gen_map_open (g);
  for (size_t i = 0; a && a[i] && a[i + 1]; i += 2)
    json_gen_kv_string (g, a[i], a[i + 1]);
  json_gen_map_close (g);
}

int
state_save (int dir_fd, const struct hull_state *st, struct hull_error *err)
{
  _cleanup_ (json_gen_freep) struct json_gen *g = json_gen_new_indent (NULL);
  _cleanup_free_ char *json = NULL;
  int r;

  json_gen_map_open (g);
  json_gen_kv_string (g, "id", st->id);
  json_gen_kv_int (g, "pid", st->pid);
  json_gen_kv_u64 (g, "pid_start_time", st->pid_start_time);
  json_gen_kv_string (g, "bundle", st->bundle);
  json_gen_kv_string (g, "rootfs", st->rootfs);
  json_gen_kv_string (g, "created", st->created);
  json_gen_kv_int (g, "owner", st->owner);
  json_gen_kv_string (g, "cgroup", st->cgroup);
  json_gen_kv_string (g, "config_path", st->config_path);
  json_gen_kv_bool (g, "has_pidns", st->has_pidns);
  json_gen_kv_bool (g, "systemd", st->use_systemd);
  json_gen_kv_bool (g, "late_hooks", st->late_hooks);
  json_gen_string (g, "annotations");
  gen_annotations (g, st->annotations);
  json_gen_map_close (g);
  json = json_gen_text (g);
  r = write_file_atomic_at (dir_fd, "state.json", json, strlen (json), 0600);
  if (r < 0)
    return hull_err (err, -r, "write state of `%s`", st->id);
  return 0;
}

static char *
tree_str (json_val root, const char *key)
{
  const char *s = json_string_value (json_object_get (root, key));
  return s ? xstrdup (s) : NULL;
}

static int64_t
tree_int (json_val root, const char *key)
{
  int64_t v = 0;
  return json_integer_value (json_object_get (root, key), &v) ? v : 0;
}

static bool
tree_bool (json_val root, const char *key)
{
  json_val v = json_object_get (root, key);
  return json_type_of (v) == JSON_BOOL && json_bool_value (v);
}

static char **
tree_annotations (json_val a)
{
  size_t n = json_object_len (a), k = 0;
  char **out;

  if (json_type_of (a) != JSON_OBJECT)
    return NULL;
  out = xzalloc ((2 * n + 1) * sizeof (char *));
  for (size_t i = 0; i < n; i++)
    {
      const char *v = json_string_value (json_object_value (a, i));
      if (!v)
        continue;
      out[k++] = xstrdup (json_object_key (a, i));
      out[k++] = xstrdup (v);
    }
  return out;
}

int
state_load (int dir_fd, struct hull_state **ret, struct hull_error *err)
{
  _cleanup_free_ char *buf = NULL;
  _cleanup_ (json_freep) json_val root = NULL;
  struct hull_error perr = { 0 };
  struct hull_state *st;
  uint64_t t = 0;
  const char *start;
  int r = read_file_at (dir_fd, "state.json", 1 << 20, &buf, NULL);
  if (r == -ENOENT)
    return hull_errx (err, ENOENT, "container does not exist");
  if (r < 0)
    return hull_err (err, -r, "read state.json");
  if (json_parse (buf, "state.json", &root, &perr) < 0 || json_type_of (root) != JSON_OBJECT)
    return hull_errx (err, EINVAL, "state.json: invalid JSON");
  st = xzalloc (sizeof *st);
  st->id = tree_str (root, "id");
  st->pid = (pid_t) tree_int (root, "pid");
  start = json_number_text (json_object_get (root, "pid_start_time"));
  if (start && parse_u64 (start, 10, &t) == 0)
    st->pid_start_time = t;
  st->bundle = tree_str (root, "bundle");
  st->rootfs = tree_str (root, "rootfs");
  st->created = tree_str (root, "created");
  st->owner = (uint32_t) tree_int (root, "owner");
  st->cgroup = tree_str (root, "cgroup");
  st->config_path = tree_str (root, "config_path");
  st->has_pidns = tree_bool (root, "has_pidns");
  st->use_systemd = tree_bool (root, "systemd");
  /* a state written without the field: look at the config, as before */
  st->late_hooks = !json_object_get (root, "late_hooks") || tree_bool (root, "late_hooks");
  st->annotations = tree_annotations (json_object_get (root, "annotations"));
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
  _cleanup_ (json_gen_freep) struct json_gen *g = json_gen_new_indent ("  ");
  char own[16];

  json_gen_map_open (g);
  json_gen_kv_string (g, "ociVersion", HULL_OCI_VERSION);
  json_gen_kv_string (g, "id", st->id);
  json_gen_kv_int (g, "pid", status == HULL_STATUS_STOPPED ? 0 : st->pid);
  json_gen_kv_string (g, "status", state_status_name (status));
  json_gen_kv_string (g, "bundle", st->bundle);
  json_gen_kv_string (g, "rootfs", st->rootfs);
  json_gen_kv_string (g, "created", st->created);
  snprintf (own, sizeof own, "%u", st->owner);
  json_gen_kv_string (g, "owner", st->owner == 0 ? "root" : own);
  if (st->annotations && st->annotations[0])
    {
      json_gen_string (g, "annotations");
      gen_annotations (g, st->annotations);
    }
  json_gen_map_close (g);
  return json_gen_text (g);
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

int
state_remove (int root_fd, const char *id)
{
  static const char *const files[] = { "state.json", "cgroup", "exec.fifo" };
  _cleanup_close_ int dir = openat (root_fd, id, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (dir < 0)
    return errno == ENOENT ? 0 : rm_rf_at (root_fd, id);
  for (size_t i = 0; i < ELEMENTSOF (files); i++)
    (void) unlinkat (dir, files[i], 0);
  if (unlinkat (root_fd, id, AT_REMOVEDIR) == 0 || errno == ENOENT)
    return 0;
  return rm_rf_at (root_fd, id);
}
