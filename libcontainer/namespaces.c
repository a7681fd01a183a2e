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

char *
ns_format_id_map (const struct hull_id_mapping *m, size_t n)
{
  size_t cap = n * 36 + 1, len = 0;
  char *buf = xmalloc (cap);
  buf[0] = '\0';
  for (size_t i = 0; i < n; i++)
    len += (size_t) snprintf (buf + len, cap - len, "%u %u %u\n", m[i].container_id, m[i].host_id, m[i].size);
  return buf;
}

/* The helper's full path in $PATH (the usual places when unset), NULL when missing. */
static char *
find_helper (const char *name)
{
  const char *path = getenv ("PATH");
  _cleanup_free_ char *copy = xstrdup (path ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
  for (char *save = NULL, *dir = strtok_r (copy, ":", &save); dir; dir = strtok_r (NULL, ":", &save))
    {
      _cleanup_free_ char *candidate = xasprintf ("%s/%s", dir, name);
      if (*dir == '/' && access (candidate, X_OK) == 0)
        return TAKE_PTR (candidate);
    }
  return NULL;
}

/* newuidmap/newgidmap PID ID HOST SIZE… for multi-range rootless mappings; the helper's own message
 * (from its stderr) ends up in the error. */
static int
run_newidmap (const char *helper, pid_t pid, const struct hull_id_mapping *m, size_t n, struct hull_error *err)
{
  _cleanup_free_ char *exe = find_helper (helper);
  int status, pipefd[2];
  pid_t child;
  if (!exe)
    return hull_errx (err, ENOENT,
                      "%s not found: mapping several id ranges as non-root needs %s and %s (Debian package "
                      "`uidmap`)",
                      helper, "newuidmap", "newgidmap");
  if (pipe2 (pipefd, O_CLOEXEC) < 0)
    return hull_err (err, errno, "pipe");
  char **argv = xzalloc ((3 + 3 * n) * sizeof (char *));
  size_t k = 0;
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
      close (pipefd[0]);
      close (pipefd[1]);
      return hull_err (err, errno, "fork `%s`", helper);
    }
  if (child == 0)
    {
      dup2 (pipefd[1], STDERR_FILENO);
      dup2 (pipefd[1], STDOUT_FILENO);
      execv (exe, argv);
      _exit (127);
    }
  strv_free (argv);
  close (pipefd[1]);
  char msg[512];
  ssize_t len = read_all (pipefd[0], msg, sizeof msg - 1);
  close (pipefd[0]);
  msg[len > 0 ? len : 0] = '\0';
  char *nl = strchr (msg, '\n');
  if (nl)
    *nl = '\0';
  while (waitpid (child, &status, 0) < 0)
    if (errno != EINTR)
      return hull_err (err, errno, "wait `%s`", helper);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    return hull_errx (err, EPERM, "%s failed (status %d)%s%s%s", helper,
                      WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status), msg[0] ? ": " : "",
                      msg, strstr (msg, "not allowed") ? " (the ranges must be in /etc/subuid and /etc/subgid)" : "");
  return 0;
}

static int
check_ranges (const struct hull_id_mapping *m, size_t n, const char *name, struct hull_error *err)
{
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      {
        uint64_t ai = m[i].container_id, aj = m[j].container_id, hi = m[i].host_id, hj = m[j].host_id;
        if (ai < aj + m[j].size && aj < ai + m[i].size)
          return hull_errx (err, EINVAL, "linux.%s[%zu] and [%zu]: the container id ranges overlap", name, i, j);
        if (hi < hj + m[j].size && hj < hi + m[i].size)
          return hull_errx (err, EINVAL, "linux.%s[%zu] and [%zu]: the host id ranges overlap", name, i, j);
      }
  return 0;
}

int
ns_check_id_mappings (const struct hull_linux *lx, struct hull_error *err)
{
  int r;
  if (!lx)
    return 0;
  if ((r = check_ranges (lx->uid_mappings, lx->n_uid_mappings, "uidMappings", err)) < 0)
    return r;
  return check_ranges (lx->gid_mappings, lx->n_gid_mappings, "gidMappings", err);
}

/* A single-range map written by a non-root caller: only its own id may be mapped. */
static int
map_write_error (const char *what, const struct hull_id_mapping *m, size_t n, bool privileged, int r,
                 struct hull_error *err)
{
  if (!privileged && r == -EPERM && n == 1)
    return hull_errx (err, EPERM,
                      "write %s mappings: a non-root user can map only its own %s (%u) to one container id "
                      "directly; `%u %u %u` needs newuidmap/newgidmap and a range in /etc/sub%cid",
                      what, what, what[0] == 'u' ? (unsigned) geteuid () : (unsigned) getegid (), m[0].container_id,
                      m[0].host_id, m[0].size, what[0]);
  return hull_err (err, -r, "write %s mappings", what);
}

int
ns_write_id_maps (pid_t pid, const struct hull_linux *lx, bool privileged, struct hull_error *err)
{
  char path[64];
  int r;
  _cleanup_free_ char *uid = ns_format_id_map (lx->uid_mappings, lx->n_uid_mappings);
  _cleanup_free_ char *gid = ns_format_id_map (lx->gid_mappings, lx->n_gid_mappings);

  if ((r = ns_check_id_mappings (lx, err)) < 0)
    return r;
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
    return map_write_error ("uid", lx->uid_mappings, lx->n_uid_mappings, privileged, r, err);
  snprintf (path, sizeof path, "/proc/%d/gid_map", (int) pid);
  if (lx->n_gid_mappings && (r = write_file_at (AT_FDCWD, path, gid, strlen (gid), 0)) < 0)
    return map_write_error ("gid", lx->gid_mappings, lx->n_gid_mappings, privileged, r, err);
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
