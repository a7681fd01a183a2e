/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the spec-*.c files only. */
#pragma once
#include "json.h"
#include "spec.h"

/* linux: dst is a `struct hull_linux **` (allocated here). */
int spec_parse_linux (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err);
/* linux.resources: dst is a `struct hull_resources **` (allocated here, sentinels set). */
int spec_parse_resources (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err);
/* process: dst is a `struct hull_process **`. */
int spec_parse_process (json_val v, void *dst, const struct json_ctx *c, struct hull_error *err);
/* An array of {containerID, hostID, size}. */
int spec_parse_id_mappings (json_val v, struct hull_id_mapping **ret, size_t *ret_n, const struct json_ctx *c,
                            struct hull_error *err);

struct hull_resources *spec_resources_new (void);
void spec_linux_free (struct hull_linux *l);
/* Array destructors (spec-free.c), also used when a key is repeated and the last one wins. */
void spec_mounts_free (struct hull_mount *m, size_t n);
void spec_rlimits_free (struct hull_rlimit *rl, size_t n);
void spec_hooks_list_done (struct hull_hooks_list *l);
void spec_namespaces_free (struct hull_namespace *ns, size_t n);
void spec_devices_free (struct hull_device *d, size_t n);
void spec_net_devices_free (struct hull_net_device *d, size_t n);
void spec_seccomp_free (struct hull_seccomp *s);
void spec_syscalls_free (struct hull_seccomp_syscall *s, size_t n);
void spec_device_cgroups_free (struct hull_device_cgroup *d, size_t n);
void spec_hugepage_limits_free (struct hull_hugepage_limit *h, size_t n);
void spec_net_priorities_free (struct hull_net_priority *p, size_t n);
void spec_rdma_free (struct hull_rdma_limit *r, size_t n);

/* A name → value table for enum-like strings. */
struct spec_name
{
  const char *name;
  long value;
};
/* Look name up; on failure store "<path>: unknown <what> \"<name>\"". */
int spec_lookup_name (const struct spec_name *table, size_t n, const char *name, const char *what, long *ret,
                      const struct json_ctx *c, struct hull_error *err);
