/* SPDX-License-Identifier: Apache-2.0 */
/* linux.resources → struct hull_resources.  Also the entry point for `update --resources`, whose
 * input is a bare LinuxResources object. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "spec-internal.h"
#include "../cleanup.h"
#include "../util.h"

struct hull_resources *
spec_resources_new (void)
{
  struct hull_resources *r = xzalloc (sizeof *r);
  r->memory.limit = HULL_UNSET_I64;
  r->memory.reservation = HULL_UNSET_I64;
  r->memory.swap = HULL_UNSET_I64;
  r->memory.kernel = HULL_UNSET_I64;
  r->memory.kernel_tcp = HULL_UNSET_I64;
  r->memory.swappiness = HULL_UNSET;
  r->cpu.shares = HULL_UNSET;
  r->cpu.quota = HULL_UNSET_I64;
  r->cpu.burst = HULL_UNSET;
  r->cpu.period = HULL_UNSET;
  r->cpu.realtime_runtime = HULL_UNSET_I64;
  r->cpu.realtime_period = HULL_UNSET;
  r->pids_limit = HULL_UNSET_I64;
  return r;
}

/* --- devices --- */

static int
parse_cgroup_device_type (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  const char *s = json_string_value (v);
  if (!s)
    return json_type_error (v, "string", c, err);
  if (s[0] == '\0') /* Go's omitempty zero value: all devices */
    {
      *(char *)dst = 'a';
      return 0;
    }
  if (strlen (s) != 1 || !strchr ("acb", s[0]))
    return json_error (c, err, "unknown device type \"%s\" (expected a, c or b)", s);
  *(char *)dst = s[0];
  return 0;
}

static int
parse_cgroup_device_access (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  const char *s = json_string_value (v);
  if (!s)
    return json_type_error (v, "string", c, err);
  if (strspn (s, "rwm") != strlen (s))
    return json_error (c, err, "invalid device access \"%s\" (expected a subset of \"rwm\")", s);
  return json_parse_string (v, dst, c, err);
}

static int
parse_device_cgroup (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"allow", JSON_ANY, json_parse_bool, offsetof (struct hull_device_cgroup, allow), JSON_MANDATORY},
      {"type", JSON_ANY, parse_cgroup_device_type, offsetof (struct hull_device_cgroup, type), 0},
      {"major", JSON_ANY, json_parse_i64, offsetof (struct hull_device_cgroup, major), JSON_NULLABLE},
      {"minor", JSON_ANY, json_parse_i64, offsetof (struct hull_device_cgroup, minor), JSON_NULLABLE},
      {"access", JSON_ANY, parse_cgroup_device_access, offsetof (struct hull_device_cgroup, access), 0},
  };
  struct hull_device_cgroup *d = dst;
  d->type = 'a';
  d->major = -1;
  d->minor = -1;
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_devices (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_resources *r = dst;
  spec_device_cgroups_free (r->devices, r->n_devices);
  r->devices = NULL;
  r->n_devices = 0;
  return json_parse_array (v, sizeof (struct hull_device_cgroup), parse_device_cgroup, (void **)&r->devices,
                           &r->n_devices, c, err);
}

/* --- memory, cpu, pids --- */

static int
parse_memory (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
#define MEM(f) offsetof (struct hull_resources, memory.f)
  static const struct json_field fields[] = {
      {"limit", JSON_ANY, json_parse_i64, MEM (limit), JSON_NULLABLE},
      {"reservation", JSON_ANY, json_parse_i64, MEM (reservation), JSON_NULLABLE},
      {"swap", JSON_ANY, json_parse_i64, MEM (swap), JSON_NULLABLE},
      {"kernel", JSON_ANY, json_parse_i64, MEM (kernel), JSON_NULLABLE},
      {"kernelTCP", JSON_ANY, json_parse_i64, MEM (kernel_tcp), JSON_NULLABLE},
      {"swappiness", JSON_ANY, json_parse_u64, MEM (swappiness), JSON_NULLABLE},
      {"disableOOMKiller", JSON_ANY, json_parse_bool, MEM (disable_oom_killer), JSON_HAS | JSON_NULLABLE,
       MEM (has_disable_oom_killer)},
      {"useHierarchy", JSON_ANY, json_parse_bool, MEM (use_hierarchy), JSON_HAS | JSON_NULLABLE,
       MEM (has_use_hierarchy)},
      {"checkBeforeUpdate", JSON_ANY, json_parse_bool, MEM (check_before_update), JSON_HAS | JSON_NULLABLE,
       MEM (has_check_before_update)},
  };
#undef MEM
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_cpu (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
#define CPU(f) offsetof (struct hull_resources, cpu.f)
  static const struct json_field fields[] = {
      {"shares", JSON_ANY, json_parse_u64, CPU (shares), JSON_NULLABLE},
      {"quota", JSON_ANY, json_parse_i64, CPU (quota), JSON_NULLABLE},
      {"burst", JSON_ANY, json_parse_u64, CPU (burst), JSON_NULLABLE},
      {"period", JSON_ANY, json_parse_u64, CPU (period), JSON_NULLABLE},
      {"realtimeRuntime", JSON_ANY, json_parse_i64, CPU (realtime_runtime), JSON_NULLABLE},
      {"realtimePeriod", JSON_ANY, json_parse_u64, CPU (realtime_period), JSON_NULLABLE},
      {"cpus", JSON_ANY, json_parse_string, CPU (cpus), 0},
      {"mems", JSON_ANY, json_parse_string, CPU (mems), 0},
      {"idle", JSON_ANY, json_parse_i64, CPU (idle), JSON_HAS | JSON_NULLABLE, CPU (has_idle)},
  };
#undef CPU
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_pids (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"limit", JSON_ANY, json_parse_i64, offsetof (struct hull_resources, pids_limit), JSON_MANDATORY},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

/* --- blockIO --- */

static int
parse_weight_device (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"major", JSON_ANY, json_parse_i64, offsetof (struct hull_weight_device, major), JSON_MANDATORY},
      {"minor", JSON_ANY, json_parse_i64, offsetof (struct hull_weight_device, minor), JSON_MANDATORY},
      {"weight", JSON_ANY, json_parse_u16, offsetof (struct hull_weight_device, weight),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_weight_device, has_weight)},
      {"leafWeight", JSON_ANY, json_parse_u16, offsetof (struct hull_weight_device, leaf_weight),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_weight_device, has_leaf_weight)},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_throttle_device (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"major", JSON_ANY, json_parse_i64, offsetof (struct hull_throttle_device, major), JSON_MANDATORY},
      {"minor", JSON_ANY, json_parse_i64, offsetof (struct hull_throttle_device, minor), JSON_MANDATORY},
      {"rate", JSON_ANY, json_parse_u64, offsetof (struct hull_throttle_device, rate), 0},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_plain_array (json_val v, size_t elem_size, json_parse_fn parse, void **ptr, size_t *n,
                   const struct json_ctx *c, struct hull_error *err)
{
  free (*ptr);
  *ptr = NULL;
  *n = 0;
  return json_parse_array (v, elem_size, parse, ptr, n, c, err);
}

#define BLKIO_ARRAY_PARSER(fn, field, type, elem_parse)                                                      \
  static int fn (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)                    \
  {                                                                                                          \
    struct hull_resources *r = dst;                                                                          \
    return parse_plain_array (v, sizeof (type), elem_parse, (void **)&r->block_io.field,                     \
                              &r->block_io.n_##field, c, err);                                               \
  }

BLKIO_ARRAY_PARSER (parse_weight_devices, weight_device, struct hull_weight_device, parse_weight_device)
BLKIO_ARRAY_PARSER (parse_throttle_read_bps, throttle_read_bps, struct hull_throttle_device,
                    parse_throttle_device)
BLKIO_ARRAY_PARSER (parse_throttle_write_bps, throttle_write_bps, struct hull_throttle_device,
                    parse_throttle_device)
BLKIO_ARRAY_PARSER (parse_throttle_read_iops, throttle_read_iops, struct hull_throttle_device,
                    parse_throttle_device)
BLKIO_ARRAY_PARSER (parse_throttle_write_iops, throttle_write_iops, struct hull_throttle_device,
                    parse_throttle_device)

static int
parse_block_io (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
#define BIO(f) offsetof (struct hull_resources, block_io.f)
  static const struct json_field fields[] = {
      {"weight", JSON_ANY, json_parse_u16, BIO (weight), JSON_HAS | JSON_NULLABLE, BIO (has_weight)},
      {"leafWeight", JSON_ANY, json_parse_u16, BIO (leaf_weight), JSON_HAS | JSON_NULLABLE,
       BIO (has_leaf_weight)},
      {"weightDevice", JSON_ANY, parse_weight_devices, 0, JSON_NULLABLE},
      {"throttleReadBpsDevice", JSON_ANY, parse_throttle_read_bps, 0, JSON_NULLABLE},
      {"throttleWriteBpsDevice", JSON_ANY, parse_throttle_write_bps, 0, JSON_NULLABLE},
      {"throttleReadIOPSDevice", JSON_ANY, parse_throttle_read_iops, 0, JSON_NULLABLE},
      {"throttleWriteIOPSDevice", JSON_ANY, parse_throttle_write_iops, 0, JSON_NULLABLE},
  };
#undef BIO
  return JSON_DISPATCH (v, fields, dst, c, err);
}

/* --- hugepages, network, rdma, unified --- */

static int
parse_hugepage_limit (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"pageSize", JSON_ANY, json_parse_string, offsetof (struct hull_hugepage_limit, page_size),
       JSON_MANDATORY},
      {"limit", JSON_ANY, json_parse_u64, offsetof (struct hull_hugepage_limit, limit), JSON_MANDATORY},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_hugepage_limits (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_resources *r = dst;
  spec_hugepage_limits_free (r->hugepage_limits, r->n_hugepage_limits);
  r->hugepage_limits = NULL;
  r->n_hugepage_limits = 0;
  return json_parse_array (v, sizeof (struct hull_hugepage_limit), parse_hugepage_limit,
                           (void **)&r->hugepage_limits, &r->n_hugepage_limits, c, err);
}

static int
parse_net_priority (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"name", JSON_ANY, json_parse_string, offsetof (struct hull_net_priority, name), JSON_MANDATORY},
      {"priority", JSON_ANY, json_parse_u32, offsetof (struct hull_net_priority, priority), JSON_MANDATORY},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_net_priorities (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_resources *r = dst;
  spec_net_priorities_free (r->network.priorities, r->network.n_priorities);
  r->network.priorities = NULL;
  r->network.n_priorities = 0;
  return json_parse_array (v, sizeof (struct hull_net_priority), parse_net_priority,
                           (void **)&r->network.priorities, &r->network.n_priorities, c, err);
}

static int
parse_network (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"classID", JSON_ANY, json_parse_u32, offsetof (struct hull_resources, network.class_id),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_resources, network.has_class_id)},
      {"priorities", JSON_ANY, parse_net_priorities, 0, JSON_NULLABLE},
  };
  return JSON_DISPATCH (v, fields, dst, c, err);
}

static int
parse_rdma (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  static const struct json_field fields[] = {
      {"hcaHandles", JSON_ANY, json_parse_u32, offsetof (struct hull_rdma_limit, hca_handles),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_rdma_limit, has_hca_handles)},
      {"hcaObjects", JSON_ANY, json_parse_u32, offsetof (struct hull_rdma_limit, hca_objects),
       JSON_HAS | JSON_NULLABLE, offsetof (struct hull_rdma_limit, has_hca_objects)},
  };
  struct hull_resources *r = dst;
  size_t n;

  if (json_type_of (v) != JSON_OBJECT)
    return json_type_error (v, "object", c, err);
  spec_rdma_free (r->rdma, r->n_rdma);
  r->rdma = NULL;
  r->n_rdma = 0;
  n = json_object_len (v);
  if (n == 0)
    return 0;
  r->rdma = xzalloc (n * sizeof *r->rdma);
  for (size_t i = 0; i < n; i++)
    {
      const char *key = json_object_key (v, i);
      struct json_ctx child = JSON_CTX_KEY (c, key);
      size_t j;
      int ret;

      for (j = 0; j < r->n_rdma; j++)
        if (strcmp (r->rdma[j].device, key) == 0)
          break;
      if (j == r->n_rdma)
        r->rdma[r->n_rdma++].device = xstrdup (key);
      ret = JSON_DISPATCH (json_object_value (v, i), fields, &r->rdma[j], &child, err);
      if (ret < 0)
        return ret;
    }
  return 0;
}

static int
parse_unified (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_resources *r = dst;
  return json_parse_string_map (v, &r->unified, &r->n_unified, c, err);
}

static const struct json_field resources_fields[] = {
    {"devices", JSON_ANY, parse_devices, 0, JSON_NULLABLE},
    {"memory", JSON_ANY, parse_memory, 0, JSON_HAS | JSON_NULLABLE,
     offsetof (struct hull_resources, has_memory)},
    {"cpu", JSON_ANY, parse_cpu, 0, JSON_HAS | JSON_NULLABLE, offsetof (struct hull_resources, has_cpu)},
    {"pids", JSON_ANY, parse_pids, 0, JSON_HAS | JSON_NULLABLE, offsetof (struct hull_resources, has_pids)},
    {"blockIO", JSON_ANY, parse_block_io, 0, JSON_HAS | JSON_NULLABLE,
     offsetof (struct hull_resources, has_block_io)},
    {"hugepageLimits", JSON_ANY, parse_hugepage_limits, 0, JSON_NULLABLE},
    {"network", JSON_ANY, parse_network, 0, JSON_HAS | JSON_NULLABLE,
     offsetof (struct hull_resources, has_network)},
    {"rdma", JSON_ANY, parse_rdma, 0, JSON_NULLABLE},
    {"unified", JSON_ANY, parse_unified, 0, JSON_NULLABLE},
};

int
spec_parse_resources (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err)
{
  struct hull_resources **r = dst;
  if (!*r)
    *r = spec_resources_new ();
  return JSON_DISPATCH (v, resources_fields, *r, c, err);
}

int
spec_parse_resources_buffer (const char *buf, const char *name, struct hull_resources **ret,
                             struct hull_error *err)
{
  _cleanup_ (json_freep) json_val root = NULL;
  _cleanup_ (spec_resources_freep) struct hull_resources *res = NULL;
  struct json_ctx c = JSON_CTX_ROOT (name);
  int r;

  r = json_parse (buf, name, &root, err);
  if (r < 0)
    return r;
  r = spec_parse_resources (root, &res, &c, err);
  if (r < 0)
    return r;
  *ret = TAKE_PTR (res);
  return 0;
}
