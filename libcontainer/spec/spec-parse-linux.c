/* SPDX-License-Identifier: Apache-2.0 */
/* config.json `linux` → struct hull_linux: namespaces, id mappings, timeOffsets, devices, netDevices,
 * cgroupsPath, rootfsPropagation, seccomp, sysctl, masked/readonly paths, mountLabel, intelRdt,
 * personality, memoryPolicy.  `linux.resources` is in spec-parse-resources.c. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "spec-internal.h"
#include "../cleanup.h"
#include "../util.h"

static const struct spec_name seccomp_action_names[] = {
    {"SCMP_ACT_KILL", HULL_SECCOMP_KILL},
    {"SCMP_ACT_KILL_PROCESS", HULL_SECCOMP_KILL_PROCESS},
    {"SCMP_ACT_KILL_THREAD", HULL_SECCOMP_KILL_THREAD},
    {"SCMP_ACT_TRAP", HULL_SECCOMP_TRAP},
    {"SCMP_ACT_ERRNO", HULL_SECCOMP_ERRNO},
    {"SCMP_ACT_TRACE", HULL_SECCOMP_TRACE},
    {"SCMP_ACT_ALLOW", HULL_SECCOMP_ALLOW},
    {"SCMP_ACT_LOG", HULL_SECCOMP_LOG},
    {"SCMP_ACT_NOTIFY", HULL_SECCOMP_NOTIFY},
};

static const struct spec_name seccomp_op_names[] = {
    {"SCMP_CMP_NE", HULL_SECCOMP_OP_NE},
    {"SCMP_CMP_LT", HULL_SECCOMP_OP_LT},
    {"SCMP_CMP_LE", HULL_SECCOMP_OP_LE},
    {"SCMP_CMP_EQ", HULL_SECCOMP_OP_EQ},
    {"SCMP_CMP_GE", HULL_SECCOMP_OP_GE},
    {"SCMP_CMP_GT", HULL_SECCOMP_OP_GT},
    {"SCMP_CMP_MASKED_EQ", HULL_SECCOMP_OP_MASKED_EQ},
};

/* runc also accepts the recursive spellings */
static const struct spec_name propagation_names[] = {
    {"private", 0},  {"shared", 0},  {"slave", 0},  {"unbindable", 0},
    {"rprivate", 0}, {"rshared", 0}, {"rslave", 0}, {"runbindable", 0},
};

/* linux/mempolicy.h */
static const struct spec_name mpol_mode_names[] = {
    {"MPOL_DEFAULT", 0},
    {"MPOL_PREFERRED", 1},
    {"MPOL_BIND", 2},
    {"MPOL_INTERLEAVE", 3},
    {"MPOL_LOCAL", 4},
    {"MPOL_PREFERRED_MANY", 5},
    {"MPOL_WEIGHTED_INTERLEAVE", 6},
};

static const struct spec_name mpol_flag_names[] = {
    {"MPOL_F_STATIC_NODES", 1 << 15},
    {"MPOL_F_RELATIVE_NODES", 1 << 14},
    {"MPOL_F_NUMA_BALANCING", 1 << 13},
};

/* sys/personality.h */
static const struct spec_name personality_names[] = {
    {"LINUX", 0x0000},
    {"LINUX32", 0x0008},
};

/* A string that must be one of table's names; value stored in *ret. */
static int
parse_name (json_val v, const struct spec_name *table, size_t n, const char *what, long *ret,
            const struct json_ctx *c, struct hull_error *err)
{
  if (!json_string_value (v))
    return json_type_error (v, "string", c, err);
  return spec_lookup_name (table, n, json_string_value (v), what, ret, c, err);
}

/* --- namespaces --- */

static int
parse_ns_type (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  int t;
  if (!json_string_value (v))
    return json_type_error (v, "string", c, err);
  t = spec_ns_type_from_name (json_string_value (v));
  if (t < 0)
    return json_error (c, err, "unknown namespace type \"%s\"", json_string_value (v));
  *(enum hull_ns_type *)dst = (enum hull_ns_type)t;
  return 0;
}

static int
parse_namespace (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"type", JSON_ANY, parse_ns_type, offsetof (struct hull_namespace, type), JSON_MANDATORY},
      {"path", JSON_ANY, json_parse_abs_path, offsetof (struct hull_namespace, path), 0},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_namespaces (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_linux *l = dst;
  unsigned seen = 0;
  int r;

  spec_namespaces_free (l->namespaces, l->n_namespaces);
  l->namespaces = NULL;
  l->n_namespaces = 0;
  r = json_parse_array (v, sizeof (struct hull_namespace), parse_namespace, (void **)&l->namespaces,
                        &l->n_namespaces, c, err);
  if (r < 0)
    return r;
  for (size_t i = 0; i < l->n_namespaces; i++)
    {
      unsigned bit = 1u << l->namespaces[i].type;
      if (seen & bit)
        {
          struct json_ctx elem = JSON_CTX_INDEX (c, i);
          struct json_ctx type = JSON_CTX_KEY (&elem, "type");
          return json_error (&type, err, "duplicate namespace \"%s\"",
                             spec_ns_type_name (l->namespaces[i].type));
        }
      seen |= bit;
    }
  return 0;
}

static int
parse_uid_mappings (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_linux *l = dst;
  return spec_parse_id_mappings (v, &l->uid_mappings, &l->n_uid_mappings, c, err);
}

static int
parse_gid_mappings (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_linux *l = dst;
  return spec_parse_id_mappings (v, &l->gid_mappings, &l->n_gid_mappings, c, err);
}

static int
parse_time_offset (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"secs", JSON_ANY, json_parse_i64, offsetof (struct hull_time_offset, secs), 0},
      {"nanosecs", JSON_ANY, json_parse_u32, offsetof (struct hull_time_offset, nanosecs), 0},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_time_offsets (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"monotonic", JSON_ANY, parse_time_offset, offsetof (struct hull_linux, time_offset_monotonic),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_linux, time_offset_monotonic.set)},
      {"boottime", JSON_ANY, parse_time_offset, offsetof (struct hull_linux, time_offset_boottime),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_linux, time_offset_boottime.set)},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

/* --- devices --- */

static int
parse_device_type (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  const char *s = json_string_value (v);
  if (!s)
    return json_type_error (v, "string", c, err);
  if (strlen (s) != 1 || !strchr ("cbup", s[0]))
    return json_error (c, err, "unknown device type \"%s\" (expected c, b, u or p)", s);
  *(char *)dst = s[0];
  return 0;
}

static int
parse_device (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"type", JSON_ANY, parse_device_type, offsetof (struct hull_device, type), JSON_MANDATORY},
      {"path", JSON_ANY, json_parse_abs_path, offsetof (struct hull_device, path), JSON_MANDATORY},
      {"major", JSON_ANY, json_parse_i64, offsetof (struct hull_device, major), 0},
      {"minor", JSON_ANY, json_parse_i64, offsetof (struct hull_device, minor), 0},
      {"fileMode", JSON_ANY, json_parse_file_mode, offsetof (struct hull_device, file_mode),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_device, has_file_mode)},
      {"uid", JSON_ANY, json_parse_u32, offsetof (struct hull_device, uid), JSON_HAS | JSON_NULLABLE,
       offsetof (struct hull_device, has_uid)},
      {"gid", JSON_ANY, json_parse_u32, offsetof (struct hull_device, gid), JSON_HAS | JSON_NULLABLE,
       offsetof (struct hull_device, has_gid)},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_devices (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_linux *l = dst;
  spec_devices_free (l->devices, l->n_devices);
  l->devices = NULL;
  l->n_devices = 0;
  return json_parse_array (v, sizeof (struct hull_device), parse_device, (void **)&l->devices, &l->n_devices,
                           c, err);
}

static int
parse_net_devices (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"name", JSON_ANY, json_parse_string, offsetof (struct hull_net_device, name), 0},
  };
  struct hull_linux *l = dst;
  size_t n;

  if (json_type_of (v) != JSON_OBJECT)
    return json_type_error (v, "object", c, err);
  spec_net_devices_free (l->net_devices, l->n_net_devices);
  l->net_devices = NULL;
  l->n_net_devices = 0;
  n = json_object_len (v);
  if (n == 0)
    return 0;
  l->net_devices = xzalloc (n * sizeof *l->net_devices);
  for (size_t i = 0; i < n; i++)
    {
      const char *key = json_object_key (v, i);
      struct json_ctx child = JSON_CTX_KEY (c, key);
      size_t j;
      int r;

      for (j = 0; j < l->n_net_devices; j++) /* repeated key: the last one wins */
        if (strcmp (l->net_devices[j].host_name, key) == 0)
          break;
      if (j == l->n_net_devices)
        l->net_devices[l->n_net_devices++].host_name = xstrdup (key);
      r = JSON_DISPATCH (json_object_value (v, i), fields, &l->net_devices[j], &child, err);
      if (r < 0)
        return r;
    }
  return 0;
}

static int
parse_rootfs_propagation (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  long unused;
  int r =
      parse_name (v, propagation_names, ELEMENTSOF (propagation_names), "rootfsPropagation", &unused, c, err);
  if (r < 0)
    return r;
  return json_parse_string (v, dst, c, err);
}

/* --- seccomp --- */

static int
parse_seccomp_action (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  long value;
  int r = parse_name (v, seccomp_action_names, ELEMENTSOF (seccomp_action_names), "seccomp action", &value, c,
                      err);
  if (r >= 0)
    *(enum hull_seccomp_action *)dst = (enum hull_seccomp_action)value;
  return r;
}

static int
parse_seccomp_op (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  long value;
  int r = parse_name (v, seccomp_op_names, ELEMENTSOF (seccomp_op_names), "seccomp operator", &value, c, err);
  if (r >= 0)
    *(enum hull_seccomp_op *)dst = (enum hull_seccomp_op)value;
  return r;
}

static int
parse_seccomp_arg (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"index", JSON_ANY, json_parse_u32, offsetof (struct hull_seccomp_arg, index), JSON_MANDATORY},
      {"value", JSON_ANY, json_parse_u64, offsetof (struct hull_seccomp_arg, value), JSON_MANDATORY},
      {"valueTwo", JSON_ANY, json_parse_u64, offsetof (struct hull_seccomp_arg, value_two), 0},
      {"op", JSON_ANY, parse_seccomp_op, offsetof (struct hull_seccomp_arg, op), JSON_MANDATORY},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_seccomp_args (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_seccomp_syscall *s = dst;
  free (s->args);
  s->args = NULL;
  s->n_args = 0;
  return json_parse_array (v, sizeof (struct hull_seccomp_arg), parse_seccomp_arg, (void **)&s->args,
                           &s->n_args, c, err);
}

static int
parse_syscall (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"names", JSON_ANY, json_parse_strv, offsetof (struct hull_seccomp_syscall, names),
       JSON_MANDATORY | JSON_NULLABLE},
      {"action", JSON_ANY, parse_seccomp_action, offsetof (struct hull_seccomp_syscall, action),
       JSON_MANDATORY},
      {"errnoRet", JSON_ANY, json_parse_u32, offsetof (struct hull_seccomp_syscall, errno_ret),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_seccomp_syscall, has_errno_ret)},
      {"args", JSON_ANY, parse_seccomp_args, 0, JSON_NULLABLE},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_syscalls (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_seccomp *s = dst;
  spec_syscalls_free (s->syscalls, s->n_syscalls);
  s->syscalls = NULL;
  s->n_syscalls = 0;
  return json_parse_array (v, sizeof (struct hull_seccomp_syscall), parse_syscall, (void **)&s->syscalls,
                           &s->n_syscalls, c, err);
}

static int
parse_seccomp (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"defaultAction", JSON_ANY, parse_seccomp_action, offsetof (struct hull_seccomp, default_action),
       JSON_MANDATORY},
      {"defaultErrnoRet", JSON_ANY, json_parse_u32, offsetof (struct hull_seccomp, default_errno_ret),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_seccomp, has_default_errno_ret)},
      {"architectures", JSON_ANY, json_parse_strv, offsetof (struct hull_seccomp, architectures),
       JSON_NULLABLE},
      {"flags", JSON_ANY, json_parse_strv, offsetof (struct hull_seccomp, flags), JSON_NULLABLE},
      {"listenerPath", JSON_ANY, json_parse_string, offsetof (struct hull_seccomp, listener_path), 0},
      {"listenerMetadata", JSON_ANY, json_parse_string, offsetof (struct hull_seccomp, listener_metadata), 0},
      {"syscalls", JSON_ANY, parse_syscalls, 0, JSON_NULLABLE},
  };
  struct hull_seccomp **s = dst;
  if (!*s)
    *s = xzalloc (sizeof **s);
  return JSON_DISPATCH (v, fields, *s, c, err);
}

/* --- smaller objects --- */

static int
parse_sysctl (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_linux *l = dst;
  return json_parse_string_map (v, &l->sysctl, &l->n_sysctl, c, err);
}

static int
parse_intel_rdt (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"closID", JSON_ANY, json_parse_string, offsetof (struct hull_intel_rdt, clos_id), 0},
      {"l3CacheSchema", JSON_ANY, json_parse_string, offsetof (struct hull_intel_rdt, l3_cache_schema), 0},
      {"memBwSchema", JSON_ANY, json_parse_string, offsetof (struct hull_intel_rdt, mem_bw_schema), 0},
      {"schemata", JSON_ANY, json_parse_strv, offsetof (struct hull_intel_rdt, schemata), JSON_NULLABLE},
      {"enableMonitoring", JSON_ANY, json_parse_bool, offsetof (struct hull_intel_rdt, enable_monitoring), 0},
  };
  struct hull_intel_rdt **rdt = dst;
  if (!*rdt)
    *rdt = xzalloc (sizeof **rdt);
  return JSON_DISPATCH (v, fields, *rdt, c, err);
}

static int
parse_personality_domain (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_personality *p = dst;
  long value;
  int r =
      parse_name (v, personality_names, ELEMENTSOF (personality_names), "personality domain", &value, c, err);
  if (r < 0)
    return r;
  p->domain_value = (unsigned long)value;
  return json_parse_string (v, &p->domain, c, err);
}

static int
parse_personality (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"domain", JSON_ANY, parse_personality_domain, 0, 0},
      {"flags", JSON_ANY, json_parse_strv, offsetof (struct hull_personality, flags), JSON_NULLABLE},
  };
  struct hull_personality **p = dst;
  if (!*p)
    *p = xzalloc (sizeof **p);
  return JSON_DISPATCH (v, fields, *p, c, err);
}

static int
parse_mpol_mode (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_memory_policy *m = dst;
  long value;
  int r = parse_name (v, mpol_mode_names, ELEMENTSOF (mpol_mode_names), "memory policy mode", &value, c, err);
  if (r < 0)
    return r;
  m->mode_value = (int)value;
  return json_parse_string (v, &m->mode, c, err);
}

static int
parse_mpol_flags (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_memory_policy *m = dst;
  unsigned flags = 0;
  int r = json_parse_strv (v, &m->flags, c, err);
  if (r < 0)
    return r;
  for (size_t i = 0; m->flags[i]; i++)
    {
      struct json_ctx child = JSON_CTX_INDEX (c, i);
      long bit;
      r = spec_lookup_name (mpol_flag_names, ELEMENTSOF (mpol_flag_names), m->flags[i], "memory policy flag",
                            &bit, &child, err);
      if (r < 0)
        return r;
      flags |= (unsigned)bit;
    }
  m->flags_value = flags;
  return 0;
}

static int
parse_memory_policy (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"mode", JSON_ANY, parse_mpol_mode, 0, 0},
      {"nodes", JSON_ANY, json_parse_string, offsetof (struct hull_memory_policy, nodes), 0},
      {"flags", JSON_ANY, parse_mpol_flags, 0, JSON_NULLABLE},
  };
  struct hull_memory_policy **m = dst;
  if (!*m)
    *m = xzalloc (sizeof **m);
  return JSON_DISPATCH (v, fields, *m, c, err);
}

static const struct json_field linux_fields[] = {
    {"namespaces", JSON_ANY, parse_namespaces, 0, JSON_NULLABLE},
    {"uidMappings", JSON_ANY, parse_uid_mappings, 0, JSON_NULLABLE},
    {"gidMappings", JSON_ANY, parse_gid_mappings, 0, JSON_NULLABLE},
    {"timeOffsets", JSON_ANY, parse_time_offsets, 0, JSON_NULLABLE},
    {"devices", JSON_ANY, parse_devices, 0, JSON_NULLABLE},
    {"netDevices", JSON_ANY, parse_net_devices, 0, JSON_NULLABLE},
    {"cgroupsPath", JSON_ANY, json_parse_string, offsetof (struct hull_linux, cgroups_path), 0},
    {"resources", JSON_ANY, spec_parse_resources, offsetof (struct hull_linux, resources), JSON_NULLABLE},
    {"rootfsPropagation", JSON_ANY, parse_rootfs_propagation,
     offsetof (struct hull_linux, rootfs_propagation), 0},
    {"seccomp", JSON_ANY, parse_seccomp, offsetof (struct hull_linux, seccomp), JSON_NULLABLE},
    {"sysctl", JSON_ANY, parse_sysctl, 0, JSON_NULLABLE},
    {"maskedPaths", JSON_ANY, json_parse_strv, offsetof (struct hull_linux, masked_paths), JSON_NULLABLE},
    {"readonlyPaths", JSON_ANY, json_parse_strv, offsetof (struct hull_linux, readonly_paths), JSON_NULLABLE},
    {"mountLabel", JSON_ANY, json_parse_string, offsetof (struct hull_linux, mount_label), 0},
    {"intelRdt", JSON_ANY, parse_intel_rdt, offsetof (struct hull_linux, intel_rdt), JSON_NULLABLE},
    {"personality", JSON_ANY, parse_personality, offsetof (struct hull_linux, personality), JSON_NULLABLE},
    {"memoryPolicy", JSON_ANY, parse_memory_policy, offsetof (struct hull_linux, memory_policy),
     JSON_NULLABLE},
};

int
spec_parse_linux (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_linux **l = dst;
  if (!*l)
    *l = xzalloc (sizeof **l);
  return JSON_DISPATCH (v, linux_fields, *l, c, err);
}
