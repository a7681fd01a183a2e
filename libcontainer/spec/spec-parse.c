/* SPDX-License-Identifier: Apache-2.0 */
/* config.json → struct hull_spec: ociVersion, root, process, mounts, hooks, annotations, hostname,
 * domainname.  `linux` is in spec-parse-linux.c, `linux.resources` in spec-parse-resources.c.
 * Types and ranges are checked here; cross-field rules live in spec-validate.c. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "spec-internal.h"
#include "../cleanup.h"
#include "../util.h"

/* --- enum-like names --- */

int
spec_lookup_name (const struct spec_name *table, size_t n, const char *name, const char *what, long *ret,
                  const struct json_ctx *c, struct hull_error *err)
{
  for (size_t i = 0; i < n; i++)
    if (strcmp (table[i].name, name) == 0)
      {
        *ret = table[i].value;
        return 0;
      }
  return json_error (c, err, "unknown %s \"%s\"", what, name);
}

static const struct spec_name rlimit_names[] = {
    {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
    {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
    {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
    {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
    {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME},
};

int
spec_rlimit_from_name (const char *name)
{
  for (size_t i = 0; i < ELEMENTSOF (rlimit_names); i++)
    if (strcmp (rlimit_names[i].name, name) == 0)
      return (int)rlimit_names[i].value;
  return -1;
}

static const struct spec_name sched_policy_names[] = {
    {"SCHED_OTHER", 0}, {"SCHED_FIFO", 1}, {"SCHED_RR", 2},       {"SCHED_BATCH", 3},
    {"SCHED_ISO", 4},   {"SCHED_IDLE", 5}, {"SCHED_DEADLINE", 6},
};

static const struct spec_name sched_flag_names[] = {
    {"SCHED_FLAG_RESET_ON_FORK", 0x01},  {"SCHED_FLAG_RECLAIM", 0x02},
    {"SCHED_FLAG_DL_OVERRUN", 0x04},     {"SCHED_FLAG_KEEP_POLICY", 0x08},
    {"SCHED_FLAG_KEEP_PARAMS", 0x10},    {"SCHED_FLAG_UTIL_CLAMP_MIN", 0x20},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", 0x40},
};

static const struct spec_name ioprio_class_names[] = {
    {"IOPRIO_CLASS_RT", 1},
    {"IOPRIO_CLASS_BE", 2},
    {"IOPRIO_CLASS_IDLE", 3},
};

/* --- shared pieces --- */

static int
parse_id_mapping (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"containerID", JSON_ANY, json_parse_u32, offsetof (struct hull_id_mapping, container_id),
       JSON_MANDATORY},
      {"hostID", JSON_ANY, json_parse_u32, offsetof (struct hull_id_mapping, host_id), JSON_MANDATORY},
      {"size", JSON_ANY, json_parse_u32, offsetof (struct hull_id_mapping, size), JSON_MANDATORY},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

int
spec_parse_id_mappings (json_val v, struct hull_id_mapping **ret, size_t *ret_n, const struct json_ctx *c,
                        struct hull_error *err)
{
  free (*ret);
  *ret = NULL;
  *ret_n = 0;
  return json_parse_array (v, sizeof (struct hull_id_mapping), parse_id_mapping, (void **)ret, ret_n, c, err);
}

/* --- process --- */

static int
parse_console_size (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"height", JSON_ANY, json_parse_u32, offsetof (struct hull_process, console_height), JSON_MANDATORY},
      {"width", JSON_ANY, json_parse_u32, offsetof (struct hull_process, console_width), JSON_MANDATORY},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_additional_gids (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_process *p = dst;
  free (p->additional_gids);
  p->additional_gids = NULL;
  p->n_additional_gids = 0;
  return json_parse_array (v, sizeof (uint32_t), json_parse_u32, (void **)&p->additional_gids,
                           &p->n_additional_gids, c, err);
}

static int
parse_user (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"uid", JSON_ANY, json_parse_u32, offsetof (struct hull_process, uid), 0},
      {"gid", JSON_ANY, json_parse_u32, offsetof (struct hull_process, gid), 0},
      {"umask", JSON_ANY, json_parse_u32, offsetof (struct hull_process, umask), JSON_HAS | JSON_NULLABLE,
       offsetof (struct hull_process, has_umask)},
      {"additionalGids", JSON_ANY, parse_additional_gids, 0, JSON_NULLABLE},
      {"username", JSON_ANY, json_parse_string, offsetof (struct hull_process, username), 0},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

#define CAP_FIELD(name, field)                                                                               \
  {                                                                                                          \
    name, JSON_ANY, json_parse_strv, offsetof (struct hull_capabilities, field), JSON_HAS | JSON_NULLABLE,   \
        offsetof (struct hull_capabilities, has_##field)                                                     \
  }

static int
parse_capabilities (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      CAP_FIELD ("bounding", bounding),       CAP_FIELD ("effective", effective),
      CAP_FIELD ("inheritable", inheritable), CAP_FIELD ("permitted", permitted),
      CAP_FIELD ("ambient", ambient),
  };
  struct hull_capabilities **caps = dst;
  if (!*caps) /* a repeated key decodes into the same struct, as Go does */
    *caps = xzalloc (sizeof **caps);
  return JSON_DISPATCH (v, fields, *caps, c, err);
}

static int
parse_rlimit_type (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_rlimit *rl = dst;
  long value;
  int r;

  if (!json_string_value (v))
    return json_type_error (v, "string", c, err);
  r = spec_lookup_name (rlimit_names, ELEMENTSOF (rlimit_names), json_string_value (v), "rlimit", &value, c,
                        err);
  if (r < 0)
    return r;
  rl->resource = (int)value;
  return json_parse_string (v, &rl->type, c, err);
}

static int
parse_rlimit (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"type", JSON_ANY, parse_rlimit_type, 0, JSON_MANDATORY},
      {"soft", JSON_ANY, json_parse_u64, offsetof (struct hull_rlimit, soft), JSON_MANDATORY},
      {"hard", JSON_ANY, json_parse_u64, offsetof (struct hull_rlimit, hard), JSON_MANDATORY},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_rlimits (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_process *p = dst;
  spec_rlimits_free (p->rlimits, p->n_rlimits);
  p->rlimits = NULL;
  p->n_rlimits = 0;
  return json_parse_array (v, sizeof (struct hull_rlimit), parse_rlimit, (void **)&p->rlimits, &p->n_rlimits,
                           c, err);
}

static int
parse_sched_policy (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  long value;
  int r;
  if (!json_string_value (v))
    return json_type_error (v, "string", c, err);
  r = spec_lookup_name (sched_policy_names, ELEMENTSOF (sched_policy_names), json_string_value (v),
                        "scheduler policy", &value, c, err);
  if (r >= 0)
    *(int *)dst = (int)value;
  return r;
}

static int
parse_sched_flags (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  uint64_t flags = 0;
  if (json_type_of (v) != JSON_ARRAY)
    return json_type_error (v, "array of strings", c, err);
  for (size_t i = 0; i < json_array_len (v); i++)
    {
      json_val e = json_array_get (v, i);
      struct json_ctx child = JSON_CTX_INDEX (c, i);
      long bit;
      int r;
      if (!json_string_value (e))
        return json_type_error (e, "string", &child, err);
      r = spec_lookup_name (sched_flag_names, ELEMENTSOF (sched_flag_names), json_string_value (e),
                            "scheduler flag", &bit, &child, err);
      if (r < 0)
        return r;
      flags |= (uint64_t)bit;
    }
  *(uint64_t *)dst = flags;
  return 0;
}

static int
parse_scheduler (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"policy", JSON_ANY, parse_sched_policy, offsetof (struct hull_scheduler, policy), JSON_MANDATORY},
      {"nice", JSON_ANY, json_parse_i32, offsetof (struct hull_scheduler, nice), 0},
      {"priority", JSON_ANY, json_parse_i32, offsetof (struct hull_scheduler, priority), 0},
      {"flags", JSON_ANY, parse_sched_flags, offsetof (struct hull_scheduler, flags), JSON_NULLABLE},
      {"runtime", JSON_ANY, json_parse_u64, offsetof (struct hull_scheduler, runtime), 0},
      {"deadline", JSON_ANY, json_parse_u64, offsetof (struct hull_scheduler, deadline), 0},
      {"period", JSON_ANY, json_parse_u64, offsetof (struct hull_scheduler, period), 0},
  };
  struct hull_scheduler **s = dst;
  if (!*s)
    *s = xzalloc (sizeof **s);
  return JSON_DISPATCH (v, fields, *s, c, err);
}

static int
parse_ioprio_class (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  long value;
  int r;
  if (!json_string_value (v))
    return json_type_error (v, "string", c, err);
  r = spec_lookup_name (ioprio_class_names, ELEMENTSOF (ioprio_class_names), json_string_value (v),
                        "ioPriority class", &value, c, err);
  if (r >= 0)
    *(int *)dst = (int)value;
  return r;
}

static int
parse_io_priority (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"class", JSON_ANY, parse_ioprio_class, offsetof (struct hull_io_priority, class), JSON_MANDATORY},
      {"priority", JSON_ANY, json_parse_int, offsetof (struct hull_io_priority, priority), 0},
  };
  struct hull_io_priority **io = dst;
  if (!*io)
    *io = xzalloc (sizeof **io);
  return JSON_DISPATCH (v, fields, *io, c, err);
}

static int
parse_exec_cpu_affinity (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"initial", JSON_ANY, json_parse_string, offsetof (struct hull_process, exec_cpu_affinity_initial), 0},
      {"final", JSON_ANY, json_parse_string, offsetof (struct hull_process, exec_cpu_affinity_final), 0},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_args (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  int r = json_parse_strv (v, dst, c, err);
  if (r < 0)
    return r;
  if (!**(char ***)dst)
    return json_error (c, err, "must be a non-empty array");
  return 0;
}

static const struct json_field process_fields[] = {
    {"terminal", JSON_ANY, json_parse_bool, offsetof (struct hull_process, terminal), 0},
    {"consoleSize", JSON_ANY, parse_console_size, 0, JSON_HAS | JSON_NULLABLE,
     offsetof (struct hull_process, has_console_size)},
    {"user", JSON_ANY, parse_user, 0, JSON_NULLABLE},
    {"args", JSON_ANY, parse_args, offsetof (struct hull_process, args), JSON_NULLABLE},
    {"commandLine", JSON_ANY, json_parse_string, offsetof (struct hull_process, command_line), 0},
    {"env", JSON_ANY, json_parse_strv, offsetof (struct hull_process, env), JSON_NULLABLE},
    {"cwd", JSON_ANY, json_parse_abs_path, offsetof (struct hull_process, cwd), JSON_MANDATORY},
    {"capabilities", JSON_ANY, parse_capabilities, offsetof (struct hull_process, capabilities),
     JSON_NULLABLE},
    {"rlimits", JSON_ANY, parse_rlimits, 0, JSON_NULLABLE},
    {"noNewPrivileges", JSON_ANY, json_parse_bool, offsetof (struct hull_process, no_new_privileges), 0},
    {"apparmorProfile", JSON_ANY, json_parse_string, offsetof (struct hull_process, apparmor_profile), 0},
    {"oomScoreAdj", JSON_ANY, json_parse_int, offsetof (struct hull_process, oom_score_adj),
     JSON_HAS | JSON_NULLABLE, offsetof (struct hull_process, has_oom_score_adj)},
    {"selinuxLabel", JSON_ANY, json_parse_string, offsetof (struct hull_process, selinux_label), 0},
    {"scheduler", JSON_ANY, parse_scheduler, offsetof (struct hull_process, scheduler), JSON_NULLABLE},
    {"ioPriority", JSON_ANY, parse_io_priority, offsetof (struct hull_process, io_priority), JSON_NULLABLE},
    {"execCPUAffinity", JSON_ANY, parse_exec_cpu_affinity, 0, JSON_NULLABLE},
};

int
spec_parse_process (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_process **p = dst;
  if (!*p)
    *p = xzalloc (sizeof **p);
  return JSON_DISPATCH (v, process_fields, *p, c, err);
}

/* --- mounts --- */

static int
parse_mount_uid_mappings (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_mount *m = dst;
  return spec_parse_id_mappings (v, &m->uid_mappings, &m->n_uid_mappings, c, err);
}

static int
parse_mount_gid_mappings (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_mount *m = dst;
  return spec_parse_id_mappings (v, &m->gid_mappings, &m->n_gid_mappings, c, err);
}

static int
parse_mount (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"destination", JSON_ANY, json_parse_string, offsetof (struct hull_mount, destination), JSON_MANDATORY},
      {"type", JSON_ANY, json_parse_string, offsetof (struct hull_mount, type), 0},
      {"source", JSON_ANY, json_parse_string, offsetof (struct hull_mount, source), 0},
      {"options", JSON_ANY, json_parse_strv, offsetof (struct hull_mount, options), JSON_NULLABLE},
      {"uidMappings", JSON_ANY, parse_mount_uid_mappings, 0, JSON_HAS | JSON_NULLABLE,
       offsetof (struct hull_mount, has_uid_mappings)},
      {"gidMappings", JSON_ANY, parse_mount_gid_mappings, 0, JSON_HAS | JSON_NULLABLE,
       offsetof (struct hull_mount, has_gid_mappings)},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_mounts (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_spec *s = dst;
  spec_mounts_free (s->mounts, s->n_mounts);
  s->mounts = NULL;
  s->n_mounts = 0;
  return json_parse_array (v, sizeof (struct hull_mount), parse_mount, (void **)&s->mounts, &s->n_mounts, c,
                           err);
}

/* --- hooks --- */

static int
parse_hook_timeout (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  int64_t t;
  int r = json_get_i64 (v, INT64_MIN, INT64_MAX, &t, c, err);
  if (r < 0)
    return r;
  if (t <= 0 || t > INT32_MAX)
    return json_error (c, err, "must be a positive number of seconds, got %lld", (long long)t);
  *(int *)dst = (int)t;
  return 0;
}

static int
parse_hook (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"path", JSON_ANY, json_parse_abs_path, offsetof (struct hull_hook, path), JSON_MANDATORY},
      {"args", JSON_ANY, json_parse_strv, offsetof (struct hull_hook, args), JSON_NULLABLE},
      {"env", JSON_ANY, json_parse_strv, offsetof (struct hull_hook, env), JSON_NULLABLE},
      {"timeout", JSON_ANY, parse_hook_timeout, offsetof (struct hull_hook, timeout),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_hook, has_timeout)},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_hook_list (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_hooks_list *l = dst;
  spec_hooks_list_done (l);
  return json_parse_array (v, sizeof (struct hull_hook), parse_hook, (void **)&l->hooks, &l->n, c, err);
}

#define HOOK_FIELD(name, kind)                                                                               \
  {                                                                                                          \
    name, JSON_ANY, parse_hook_list,                                                                         \
        offsetof (struct hull_spec, hooks) + (kind) * sizeof (struct hull_hooks_list), JSON_NULLABLE         \
  }

static int
parse_hooks (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      HOOK_FIELD ("prestart", HULL_HOOK_PRESTART),
      HOOK_FIELD ("createRuntime", HULL_HOOK_CREATE_RUNTIME),
      HOOK_FIELD ("createContainer", HULL_HOOK_CREATE_CONTAINER),
      HOOK_FIELD ("startContainer", HULL_HOOK_START_CONTAINER),
      HOOK_FIELD ("poststart", HULL_HOOK_POSTSTART),
      HOOK_FIELD ("poststop", HULL_HOOK_POSTSTOP),
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

/* --- top level --- */

static int
parse_root (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"path", JSON_ANY, json_parse_string, offsetof (struct hull_spec, root_path), JSON_MANDATORY},
      {"readonly", JSON_ANY, json_parse_bool, offsetof (struct hull_spec, root_readonly), 0},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_annotations (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_spec *s = dst;
  return json_parse_string_map (v, &s->annotations, &s->n_annotations, c, err);
}

static const struct json_field spec_fields[] = {
    {"ociVersion", JSON_ANY, json_parse_string, offsetof (struct hull_spec, oci_version), JSON_MANDATORY},
    {"root", JSON_ANY, parse_root, 0, JSON_NULLABLE},
    {"process", JSON_ANY, spec_parse_process, offsetof (struct hull_spec, process), JSON_NULLABLE},
    {"hostname", JSON_ANY, json_parse_string, offsetof (struct hull_spec, hostname), 0},
    {"domainname", JSON_ANY, json_parse_string, offsetof (struct hull_spec, domainname), 0},
    {"mounts", JSON_ANY, parse_mounts, 0, JSON_NULLABLE},
    {"hooks", JSON_ANY, parse_hooks, 0, JSON_NULLABLE},
    {"annotations", JSON_ANY, parse_annotations, 0, JSON_NULLABLE},
    {"linux", JSON_ANY, spec_parse_linux, offsetof (struct hull_spec, linux_), JSON_NULLABLE},
};

int
spec_parse_buffer (const char *buf, const char *name, struct hull_spec **ret, struct hull_error *err)
{
  _cleanup_ (json_freep) json_val root = NULL;
  _cleanup_ (spec_freep) struct hull_spec *spec = NULL;
  struct json_ctx c = JSON_CTX_ROOT (name);
  int r;

  r = json_parse (buf, name, &root, err);
  if (r < 0)
    return r;
  spec = xzalloc (sizeof *spec);
  r = JSON_DISPATCH (root, spec_fields, spec, &c, err);
  if (r < 0)
    return r;
  *ret = TAKE_PTR (spec);
  return 0;
}

static const char *
base_name (const char *path)
{
  const char *slash = strrchr (path, '/');
  return slash && slash[1] ? slash + 1 : path;
}

int
spec_load_file (const char *path, struct hull_spec **ret, struct hull_error *err)
{
  _cleanup_free_ char *buf = NULL;
  int r = json_read_file (path, base_name (path), HULL_SPEC_MAX_SIZE, &buf, NULL, err);
  if (r < 0)
    return r;
  return spec_parse_buffer (buf, base_name (path), ret, err);
}

int
spec_parse_process_buffer (const char *buf, const char *name, struct hull_process **ret,
                           struct hull_error *err)
{
  _cleanup_ (json_freep) json_val root = NULL;
  _cleanup_ (spec_process_freep) struct hull_process *p = NULL;
  struct json_ctx c = JSON_CTX_ROOT (name);
  int r;

  r = json_parse (buf, name, &root, err);
  if (r < 0)
    return r;
  r = spec_parse_process (root, &p, &c, err);
  if (r < 0)
    return r;
  *ret = TAKE_PTR (p);
  return 0;
}

int
spec_load_process_file (const char *path, struct hull_process **ret, struct hull_error *err)
{
  _cleanup_free_ char *buf = NULL;
  int r = json_read_file (path, base_name (path), HULL_SPEC_MAX_SIZE, &buf, NULL, err);
  if (r < 0)
    return r;
  return spec_parse_process_buffer (buf, base_name (path), ret, err);
}
