/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "cleanup.h"
#include "namespaces.h"
#include "util.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct
{
  int flag;
  const char *proc;
} ns_table[_HULL_NS_MAX] = {
  [HULL_NS_PID] = { CLONE_NEWPID, "pid" },      [HULL_NS_NETWORK] = { CLONE_NEWNET, "net" },
  [HULL_NS_MOUNT] = { CLONE_NEWNS, "mnt" },     [HULL_NS_IPC] = { CLONE_NEWIPC, "ipc" },
  [HULL_NS_UTS] = { CLONE_NEWUTS, "uts" },      [HULL_NS_USER] = { CLONE_NEWUSER, "user" },
  [HULL_NS_CGROUP] = { CLONE_NEWCGROUP, "cgroup" }, [HULL_NS_TIME] = { CLONE_NEWTIME, "time" },
};

int
ns_clone_flag (enum hull_ns_type type)
{
  return ns_table[type].flag;
}

const char *
ns_proc_name (enum hull_ns_type type)
{
  return ns_table[type].proc;
}

int
ns_join_path (enum hull_ns_type type, const char *path, struct hull_error *err)
{
  _cleanup_close_ int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return hull_err (err, errno, "open %s namespace `%s`", spec_ns_type_name (type), path);
  if (setns (fd, ns_table[type].flag) < 0)
    return hull_err (err, errno, "join %s namespace `%s`", spec_ns_type_name (type), path);
  return 0;
}

static char *
format_map (const struct hull_id_mapping *m, size_t n)
{
  size_t cap = n * 36 + 1, len = 0;
  char *buf = xmalloc (cap);
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++)
    len += (size_t) snprintf (buf + len, cap - len, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
  return buf;
}

/* newuidmap/newgidmap PID ID HOST SIZE… for multi-range rootless mappings. */
static int
run_newidmap (const char *helper, pid_t pid, const struct hull_id_mapping *m, size_t n, struct hull_error *err)
{
  char **argv = xzalloc ((3 + 3 * n) * sizeof (char *));
  size_t k = 0;
  int status;
  pid_t child;
  argv[k++] = xstrdup (helper);
  argv[k++] = xasprintf ("%d", (int) pid);
  for (size_t i = 0; i < n; i++)
    {
      argv[k++] = xasprintf ("%u", m[i].container_id);
      argv[k++] = xasprintf ("%u", m[i].host_id);
      argv[k++] = xasprintf ("%u", m[i].size);
    }
  child = fork ();
  if (child < 0)
    {
      strv_free (argv);
      return hull_err (err, errno, "fork `%s`", helper);
    }
  if (child == 0)
    {
      execvp (helper, argv);
      _exit (127);
    }
  strv_free (argv);
  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      return hull_err (err, errno, "wait `%s`", helper);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return hull_errx (err, EPERM, "%s failed (status %d)", helper,
                      WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
  return 0;
}

int
ns_write_id_maps (pid_t pid, const struct hull_linux *lx, bool privileged, struct hull_error *err)
{
  char path[64];
  int r;
  _cleanup_free_ char *uid = format_map (lx->uid_mappings, lx->n_uid_mappings);
  _cleanup_free_ char *gid = format_map (lx->gid_mappings, lx->n_gid_mappings);

  if (!privileged && (lx->n_uid_mappings > 1 || lx->n_gid_mappings > 1))
    {
      r = run_newidmap ("newuidmap", pid, lx->uid_mappings, lx->n_uid_mappings, err);
      if (r < 0)
        return r;
      return run_newidmap ("newgidmap", pid, lx->gid_mappings, lx->n_gid_mappings, err);
    }
  if (!privileged)
    {
      snprintf (path, sizeof path, "/proc/%d/setgroups", (int) pid);
      r = write_file_at (AT_FDCWD, path, "deny", 4, 0);
      if (r < 0 && r != -ENOENT)
        return hull_err (err, -r, "write `%s`", path);
    }
  snprintf (path, sizeof path, "/proc/%d/uid_map", (int) pid);
  if (lx->n_uid_mappings && (r = write_file_at (AT_FDCWD, path, uid, strlen (uid), 0)) < 0)
    return hull_err (err, -r, "write uid mappings `%s`", path);
  snprintf (path, sizeof path, "/proc/%d/gid_map", (int) pid);
  if (lx->n_gid_mappings && (r = write_file_at (AT_FDCWD, path, gid, strlen (gid), 0)) < 0)
    return hull_err (err, -r, "write gid mappings `%s`", path);
  return 0;
}

int
ns_write_time_offsets (const struct hull_linux *lx, struct hull_error *err)
{
  char buf[128];
  int len = 0, r;
  if (lx->time_offset_monotonic.set)
    len += snprintf (buf + len, sizeof buf - (size_t) len, "monotonic %lld %u\n",
                     (long long) lx->time_offset_monotonic.secs, lx->time_offset_monotonic.nanosecs);
  if (lx->time_offset_boottime.set)
    len += snprintf (buf + len, sizeof buf - (size_t) len, "boottime %lld %u\n",
                     (long long) lx->time_offset_boottime.secs, lx->time_offset_boottime.nanosecs);
  if (len == 0)
    return 0;
  /* the kernel takes one clock per write */
  for (char *line = buf, *nl; *line; line = nl + 1)
    {
      nl = strchr (line, '\n');
      r = write_file_at (AT_FDCWD, "/proc/self/timens_offsets", line, (size_t) (nl - line + 1), 0);
      if (r < 0)
        return hull_err (err, -r, "write time offsets `%.*s`", (int) (nl - line), line);
    }
  return 0;
}
