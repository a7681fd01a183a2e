/* SPDX-License-Identifier: Apache-2.0 */
/* Cross-field checks on a parsed spec, run before anything is created (runc's validator).  Each
 * check_*() looks at one concern; spec_validate() runs them in order and stops at the first error.
 * Messages name the field the way the parser does: "config.json: hostname: …". */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include "spec-internal.h"
#include "../cleanup.h"
#include "../util.h"

#define CONFIG "config.json"

struct validate_ctx
{
  const struct hull_spec *spec;
  const struct hull_validate_opts *opts;
};

static const struct hull_namespace *
find_ns (const struct validate_ctx *v, enum hull_ns_type t)
{
  return spec_find_namespace (v->spec, t);
}

static bool
has_ns (const struct validate_ctx *v, enum hull_ns_type t)
{
  return find_ns (v, t) != NULL;
}

/* True when path has a ".." component ("a/../b", "..", "/x/.."). */
static bool
has_dotdot (const char *path)
{
  const char *p = path;
  while (*p)
    {
      size_t len = strcspn (p, "/");
      if (len == 2 && p[0] == '.' && p[1] == '.')
        return true;
      p += len;
      while (*p == '/')
        p++;
    }
  return false;
}

/* --- process --- */

static int
check_cap_list (char *const *caps, const char *prefix, const char *set, struct hull_error *err)
{
  for (char *const *c = caps; c && *c; c++)
    {
      cap_value_t value;
      if (!str_has_prefix (*c, "CAP_") || cap_from_name (*c, &value) < 0)
        return hull_errx (err, EINVAL, "%scapabilities.%s: unknown capability \"%s\"", prefix, set, *c);
    }
  return 0;
}

int
spec_validate_process (const struct hull_process *p, const char *prefix, struct hull_error *err)
{
  _cleanup_free_ char *joined = NULL;
  int r;

  /* "process.json" → "process.json: args: …"; "config.json: process." → "config.json: process.args: …" */
  if (!prefix)
    prefix = "";
  else if (prefix[0] && !strchr (". :", prefix[strlen (prefix) - 1]))
    prefix = joined = xasprintf ("%s: ", prefix);
  if (!p->args || !p->args[0])
    return hull_errx (err, EINVAL, "%sargs: must be a non-empty array", prefix);
  if (!p->cwd || p->cwd[0] != '/')
    return hull_errx (err, EINVAL, "%scwd: must be an absolute path", prefix);
  if (p->capabilities)
    {
      const struct hull_capabilities *c = p->capabilities;
      if ((r = check_cap_list (c->bounding, prefix, "bounding", err)) < 0 ||
          (r = check_cap_list (c->effective, prefix, "effective", err)) < 0 ||
          (r = check_cap_list (c->inheritable, prefix, "inheritable", err)) < 0 ||
          (r = check_cap_list (c->permitted, prefix, "permitted", err)) < 0 ||
          (r = check_cap_list (c->ambient, prefix, "ambient", err)) < 0)
        return r;
    }
  for (size_t i = 0; i < p->n_rlimits; i++)
    for (size_t j = 0; j < i; j++)
      if (p->rlimits[i].resource == p->rlimits[j].resource)
        return hull_errx (err, EINVAL, "%srlimits[%zu].type: duplicate rlimit \"%s\"", prefix, i,
                          p->rlimits[i].type);
  for (size_t i = 0; i < p->n_rlimits; i++)
    if (p->rlimits[i].soft > p->rlimits[i].hard)
      return hull_errx (err, EINVAL, "%srlimits[%zu]: soft limit %llu is above the hard limit %llu", prefix,
                        i, (unsigned long long)p->rlimits[i].soft, (unsigned long long)p->rlimits[i].hard);
  if (p->has_oom_score_adj && (p->oom_score_adj < -1000 || p->oom_score_adj > 1000))
    return hull_errx (err, EINVAL, "%soomScoreAdj: %d is out of range (-1000 to 1000)", prefix,
                      p->oom_score_adj);
  if (p->io_priority && (p->io_priority->priority < 0 || p->io_priority->priority > 7))
    return hull_errx (err, EINVAL, "%sioPriority.priority: %d is out of range (0 to 7)", prefix,
                      p->io_priority->priority);
  if (p->scheduler)
    {
      const struct hull_scheduler *s = p->scheduler;
      if (s->nice < -20 || s->nice > 19)
        return hull_errx (err, EINVAL, "%sscheduler.nice: %d is out of range (-20 to 19)", prefix, s->nice);
      if (s->policy == 6 /* SCHED_DEADLINE */ && (s->runtime == 0 || s->deadline == 0))
        return hull_errx (err, EINVAL, "%sscheduler: SCHED_DEADLINE needs runtime and deadline", prefix);
    }
  return 0;
}

static int
check_process (const struct validate_ctx *v, struct hull_error *err)
{
  if (!v->spec->process)
    return hull_errx (err, EINVAL, CONFIG ": process: missing mandatory field");
  return spec_validate_process (v->spec->process, CONFIG ": process.", err);
}

/* --- root, mounts --- */

static int
check_root (const struct validate_ctx *v, struct hull_error *err)
{
  if (!v->spec->root_path || !v->spec->root_path[0])
    return hull_errx (err, EINVAL, CONFIG ": root.path: must be set");
  return 0;
}

static int
check_mounts (const struct validate_ctx *v, struct hull_error *err)
{
  for (size_t i = 0; i < v->spec->n_mounts; i++)
    {
      const struct hull_mount *m = &v->spec->mounts[i];
      if (!m->destination || !m->destination[0])
        return hull_errx (err, EINVAL, CONFIG ": mounts[%zu].destination: must not be empty", i);
      if (!m->has_uid_mappings && !m->has_gid_mappings)
        continue;
      if (m->has_uid_mappings != m->has_gid_mappings)
        return hull_errx (err, EINVAL,
                          CONFIG ": mounts[%zu]: uidMappings and gidMappings must be set together", i);
      if (v->opts && v->opts->rootless)
        return hull_errx (err, EINVAL,
                          CONFIG ": mounts[%zu]: id-mapped mounts are not supported for rootless containers",
                          i);
      if (!has_ns (v, HULL_NS_USER))
        return hull_errx (err, EINVAL, CONFIG ": mounts[%zu]: id-mapped mounts require a user namespace", i);
    }
  return 0;
}

/* --- namespaces --- */

static int
check_uts (const struct validate_ctx *v, struct hull_error *err)
{
  if (has_ns (v, HULL_NS_UTS))
    return 0;
  if (v->spec->hostname && v->spec->hostname[0])
    return hull_errx (err, EINVAL, CONFIG ": hostname: setting the hostname requires a UTS namespace");
  if (v->spec->domainname && v->spec->domainname[0])
    return hull_errx (err, EINVAL, CONFIG ": domainname: setting the domainname requires a UTS namespace");
  return 0;
}

static int
check_mappings (const struct hull_id_mapping *m, size_t n, const char *name, struct hull_error *err)
{
  for (size_t i = 0; i < n; i++)
    {
      if (m[i].size == 0)
        return hull_errx (err, EINVAL, CONFIG ": linux.%s[%zu].size: must be positive", name, i);
      if ((uint64_t)m[i].container_id + m[i].size > UINT64_C (1) << 32 ||
          (uint64_t)m[i].host_id + m[i].size > UINT64_C (1) << 32)
        return hull_errx (err, EINVAL, CONFIG ": linux.%s[%zu]: range overflows 32-bit ids", name, i);
    }
  return 0;
}

static int
check_userns (const struct validate_ctx *v, struct hull_error *err)
{
  const struct hull_linux *l = v->spec->linux_;
  const struct hull_namespace *user = find_ns (v, HULL_NS_USER);
  bool rootless = v->opts && v->opts->rootless;
  bool mapped = l && (l->n_uid_mappings > 0 || l->n_gid_mappings > 0);
  int r;

  if (!user)
    {
      if (mapped)
        return hull_errx (err, EINVAL, CONFIG ": linux.%s: id mappings require a user namespace",
                          l->n_uid_mappings ? "uidMappings" : "gidMappings");
      if (rootless)
        return hull_errx (err, EINVAL,
                          CONFIG ": linux.namespaces: rootless containers require a user namespace");
      return 0;
    }
  if (user->path) /* joining: the namespace's own mappings apply */
    return 0;
  /* a new user namespace: mappings needed, except that a rootless caller gets its own id mapped */
  if (!rootless && (!l || l->n_uid_mappings == 0))
    return hull_errx (err, EINVAL, CONFIG ": linux.uidMappings: a new user namespace needs uid mappings");
  if (!rootless && l->n_gid_mappings == 0)
    return hull_errx (err, EINVAL, CONFIG ": linux.gidMappings: a new user namespace needs gid mappings");
  if (l && ((r = check_mappings (l->uid_mappings, l->n_uid_mappings, "uidMappings", err)) < 0 ||
            (r = check_mappings (l->gid_mappings, l->n_gid_mappings, "gidMappings", err)) < 0))
    return r;
  return 0;
}

static int
check_time (const struct validate_ctx *v, struct hull_error *err)
{
  const struct hull_linux *l = v->spec->linux_;
  if (!l || (!l->time_offset_monotonic.set && !l->time_offset_boottime.set))
    return 0;
  if (!has_ns (v, HULL_NS_TIME))
    return hull_errx (err, EINVAL, CONFIG ": linux.timeOffsets: time offsets require a time namespace");
  if (find_ns (v, HULL_NS_TIME)->path)
    return hull_errx (err, EINVAL,
                      CONFIG ": linux.timeOffsets: time offsets cannot be set when joining a time namespace");
  return 0;
}

/* --- sysctl --- */

static bool
is_ipc_sysctl (const char *name)
{
  static const char *const ipc[] = {
      "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
      "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
  };
  for (size_t i = 0; i < ELEMENTSOF (ipc); i++)
    if (strcmp (name, ipc[i]) == 0)
      return true;
  return str_has_prefix (name, "fs.mqueue.");
}

static int
check_sysctl (const struct validate_ctx *v, struct hull_error *err)
{
  const struct hull_linux *l = v->spec->linux_;
  for (size_t i = 0; l && i < l->n_sysctl; i++)
    {
      const char *name = l->sysctl[i].key;
      enum hull_ns_type need;
      const char *what;

      if (!name[0] || strchr (name, '/') || has_dotdot (name) || strstr (name, "..") || name[0] == '.')
        return hull_errx (err, EINVAL, CONFIG ": linux.sysctl: invalid sysctl name \"%s\"", name);
      if (is_ipc_sysctl (name))
        need = HULL_NS_IPC, what = "an IPC";
      else if (str_has_prefix (name, "net."))
        need = HULL_NS_NETWORK, what = "a network";
      else if (strcmp (name, "kernel.hostname") == 0 || strcmp (name, "kernel.domainname") == 0)
        need = HULL_NS_UTS, what = "a UTS";
      else if (str_has_prefix (name, "user."))
        need = HULL_NS_USER, what = "a user";
      else
        return hull_errx (err, EINVAL,
                          CONFIG ": linux.sysctl: sysctl \"%s\" is not in a separate kernel namespace", name);
      if (!has_ns (v, need))
        return hull_errx (err, EINVAL, CONFIG ": linux.sysctl: sysctl \"%s\" requires %s namespace", name,
                          what);
    }
  return 0;
}

/* --- cgroups --- */

static int
check_cgroups (const struct validate_ctx *v, struct hull_error *err)
{
  const struct hull_linux *l = v->spec->linux_;
  if (!l)
    return 0;
  if (l->cgroups_path && has_dotdot (l->cgroups_path))
    return hull_errx (err, EINVAL, CONFIG ": linux.cgroupsPath: must not contain \"..\" components: \"%s\"",
                      l->cgroups_path);
  for (size_t i = 0; l->resources && i < l->resources->n_unified; i++)
    {
      const char *key = l->resources->unified[i].key;
      if (!key[0] || strchr (key, '/') || strcmp (key, ".") == 0 || strcmp (key, "..") == 0)
        return hull_errx (err, EINVAL, CONFIG ": linux.resources.unified: invalid key \"%s\"", key);
    }
  return 0;
}

/* --- devices, network, paths, seccomp, memory policy --- */

static bool
is_valid_ifname (const char *name)
{
  size_t len = strlen (name);
  if (len == 0 || len >= IFNAMSIZ || strcmp (name, ".") == 0 || strcmp (name, "..") == 0)
    return false;
  for (const char *p = name; *p; p++)
    if (*p == '/' || *p == ':' || *p == ' ' || *p == '\t' || *p == '\n')
      return false;
  return true;
}

static int
check_net_devices (const struct validate_ctx *v, struct hull_error *err)
{
  const struct hull_linux *l = v->spec->linux_;
  if (!l || l->n_net_devices == 0)
    return 0;
  if (!has_ns (v, HULL_NS_NETWORK))
    return hull_errx (err, EINVAL,
                      CONFIG ": linux.netDevices: moving network devices requires a network namespace");
  for (size_t i = 0; i < l->n_net_devices; i++)
    {
      const struct hull_net_device *d = &l->net_devices[i];
      if (!is_valid_ifname (d->host_name))
        return hull_errx (err, EINVAL, CONFIG ": linux.netDevices: invalid interface name \"%s\"",
                          d->host_name);
      if (d->name && d->name[0] && !is_valid_ifname (d->name))
        return hull_errx (err, EINVAL, CONFIG ": linux.netDevices.%s.name: invalid interface name \"%s\"",
                          d->host_name, d->name);
    }
  return 0;
}

static int
check_paths (char *const *paths, const char *name, struct hull_error *err)
{
  for (size_t i = 0; paths && paths[i]; i++)
    if (paths[i][0] != '/')
      return hull_errx (err, EINVAL, CONFIG ": linux.%s[%zu]: must be an absolute path", name, i);
  return 0;
}

static int
check_linux_paths (const struct validate_ctx *v, struct hull_error *err)
{
  const struct hull_linux *l = v->spec->linux_;
  int r;
  if (!l)
    return 0;
  if ((r = check_paths (l->masked_paths, "maskedPaths", err)) < 0)
    return r;
  return check_paths (l->readonly_paths, "readonlyPaths", err);
}

static int
check_seccomp (const struct validate_ctx *v, struct hull_error *err)
{
  const struct hull_seccomp *s = v->spec->linux_ ? v->spec->linux_->seccomp : NULL;
  bool notify = false;
  if (!s)
    return 0;
  if (s->default_action == HULL_SECCOMP_NOTIFY)
    return hull_errx (err, EINVAL,
                      CONFIG ": linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
  for (size_t i = 0; i < s->n_syscalls; i++)
    {
      const struct hull_seccomp_syscall *sc = &s->syscalls[i];
      if (sc->has_errno_ret && sc->action != HULL_SECCOMP_ERRNO && sc->action != HULL_SECCOMP_TRACE)
        return hull_errx (
            err, EINVAL,
            CONFIG ": linux.seccomp.syscalls[%zu].errnoRet: only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE",
            i);
      if (sc->action == HULL_SECCOMP_NOTIFY)
        notify = true;
      for (size_t j = 0; j < sc->n_args; j++)
        if (sc->args[j].index >= 6)
          return hull_errx (err, EINVAL,
                            CONFIG ": linux.seccomp.syscalls[%zu].args[%zu].index: must be below 6", i, j);
    }
  if (notify && (!s->listener_path || !s->listener_path[0]))
    return hull_errx (err, EINVAL,
                      CONFIG ": linux.seccomp.listenerPath: SCMP_ACT_NOTIFY needs a listener path");
  return 0;
}

static int
check_memory_policy (const struct validate_ctx *v, struct hull_error *err)
{
  const struct hull_memory_policy *m = v->spec->linux_ ? v->spec->linux_->memory_policy : NULL;
  bool has_nodes;
  if (!m || !m->mode)
    return 0;
  has_nodes = m->nodes && m->nodes[0];
  switch (m->mode_value)
    {
    case 0: /* MPOL_DEFAULT */
    case 4: /* MPOL_LOCAL */
      if (has_nodes)
        return hull_errx (err, EINVAL, CONFIG ": linux.memoryPolicy.nodes: must be empty for %s", m->mode);
      break;
    case 1: /* MPOL_PREFERRED: empty means "local" */
      break;
    default:
      if (!has_nodes)
        return hull_errx (err, EINVAL, CONFIG ": linux.memoryPolicy.nodes: required for %s", m->mode);
    }
  return 0;
}

typedef int (*check_fn) (const struct validate_ctx *v, struct hull_error *err);

static const check_fn checks[] = {
    check_root,   check_process, check_mounts,      check_uts,         check_userns,  check_time,
    check_sysctl, check_cgroups, check_net_devices, check_linux_paths, check_seccomp, check_memory_policy,
};

int
spec_validate (const struct hull_spec *spec, const struct hull_validate_opts *opts, struct hull_error *err)
{
  struct validate_ctx v = {.spec = spec, .opts = opts};
  for (size_t i = 0; i < ELEMENTSOF (checks); i++)
    {
      int r = checks[i](&v, err);
      if (r < 0)
        return r;
    }
  return 0;
}
