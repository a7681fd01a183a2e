/* SPDX-License-Identifier: Apache-2.0 */
/* Destructors for the spec model.  All accept NULL. */
#include <stdlib.h>
#include "spec-internal.h"
#include "../cleanup.h"

static void
capabilities_free (struct hull_capabilities *c)
{
  if (!c)
    return;
  strv_free (c->bounding);
  strv_free (c->effective);
  strv_free (c->inheritable);
  strv_free (c->permitted);
  strv_free (c->ambient);
  free (c);
}

void
spec_rlimits_free (struct hull_rlimit *rl, size_t n)
{
  for (size_t i = 0; rl && i < n; i++)
    free (rl[i].type);
  free (rl);
}

void
spec_process_free (struct hull_process *p)
{
  if (!p)
    return;
  free (p->additional_gids);
  free (p->username);
  strv_free (p->args);
  free (p->command_line);
  strv_free (p->env);
  free (p->cwd);
  capabilities_free (p->capabilities);
  spec_rlimits_free (p->rlimits, p->n_rlimits);
  free (p->apparmor_profile);
  free (p->selinux_label);
  free (p->scheduler);
  free (p->io_priority);
  free (p->exec_cpu_affinity_initial);
  free (p->exec_cpu_affinity_final);
  free (p);
}

void
spec_mounts_free (struct hull_mount *m, size_t n)
{
  for (size_t i = 0; m && i < n; i++)
    {
      free (m[i].destination);
      free (m[i].type);
      free (m[i].source);
      strv_free (m[i].options);
      free (m[i].uid_mappings);
      free (m[i].gid_mappings);
    }
  free (m);
}

void
spec_hooks_list_done (struct hull_hooks_list *l)
{
  for (size_t i = 0; l->hooks && i < l->n; i++)
    {
      free (l->hooks[i].path);
      strv_free (l->hooks[i].args);
      strv_free (l->hooks[i].env);
    }
  free (l->hooks);
  l->hooks = NULL;
  l->n = 0;
}

void
spec_namespaces_free (struct hull_namespace *ns, size_t n)
{
  for (size_t i = 0; ns && i < n; i++)
    free (ns[i].path);
  free (ns);
}

void
spec_devices_free (struct hull_device *d, size_t n)
{
  for (size_t i = 0; d && i < n; i++)
    free (d[i].path);
  free (d);
}

void
spec_net_devices_free (struct hull_net_device *d, size_t n)
{
  for (size_t i = 0; d && i < n; i++)
    {
      free (d[i].host_name);
      free (d[i].name);
    }
  free (d);
}

void
spec_syscalls_free (struct hull_seccomp_syscall *s, size_t n)
{
  for (size_t i = 0; s && i < n; i++)
    {
      strv_free (s[i].names);
      free (s[i].args);
    }
  free (s);
}

void
spec_seccomp_free (struct hull_seccomp *s)
{
  if (!s)
    return;
  strv_free (s->architectures);
  strv_free (s->flags);
  free (s->listener_path);
  free (s->listener_metadata);
  spec_syscalls_free (s->syscalls, s->n_syscalls);
  free (s);
}

void
spec_device_cgroups_free (struct hull_device_cgroup *d, size_t n)
{
  for (size_t i = 0; d && i < n; i++)
    free (d[i].access);
  free (d);
}

void
spec_hugepage_limits_free (struct hull_hugepage_limit *h, size_t n)
{
  for (size_t i = 0; h && i < n; i++)
    free (h[i].page_size);
  free (h);
}

void
spec_net_priorities_free (struct hull_net_priority *p, size_t n)
{
  for (size_t i = 0; p && i < n; i++)
    free (p[i].name);
  free (p);
}

void
spec_rdma_free (struct hull_rdma_limit *r, size_t n)
{
  for (size_t i = 0; r && i < n; i++)
    free (r[i].device);
  free (r);
}

void
spec_resources_free (struct hull_resources *r)
{
  if (!r)
    return;
  spec_device_cgroups_free (r->devices, r->n_devices);
  free (r->cpu.cpus);
  free (r->cpu.mems);
  free (r->block_io.weight_device);
  free (r->block_io.throttle_read_bps);
  free (r->block_io.throttle_write_bps);
  free (r->block_io.throttle_read_iops);
  free (r->block_io.throttle_write_iops);
  spec_hugepage_limits_free (r->hugepage_limits, r->n_hugepage_limits);
  spec_net_priorities_free (r->network.priorities, r->network.n_priorities);
  spec_rdma_free (r->rdma, r->n_rdma);
  json_kv_free (r->unified, r->n_unified);
  free (r);
}

void
spec_linux_free (struct hull_linux *l)
{
  if (!l)
    return;
  spec_namespaces_free (l->namespaces, l->n_namespaces);
  free (l->uid_mappings);
  free (l->gid_mappings);
  spec_devices_free (l->devices, l->n_devices);
  spec_net_devices_free (l->net_devices, l->n_net_devices);
  free (l->cgroups_path);
  spec_resources_free (l->resources);
  free (l->rootfs_propagation);
  spec_seccomp_free (l->seccomp);
  json_kv_free (l->sysctl, l->n_sysctl);
  strv_free (l->masked_paths);
  strv_free (l->readonly_paths);
  free (l->mount_label);
  if (l->intel_rdt)
    {
      free (l->intel_rdt->clos_id);
      free (l->intel_rdt->l3_cache_schema);
      free (l->intel_rdt->mem_bw_schema);
      strv_free (l->intel_rdt->schemata);
      free (l->intel_rdt);
    }
  if (l->personality)
    {
      free (l->personality->domain);
      strv_free (l->personality->flags);
      free (l->personality);
    }
  if (l->memory_policy)
    {
      free (l->memory_policy->mode);
      free (l->memory_policy->nodes);
      strv_free (l->memory_policy->flags);
      free (l->memory_policy);
    }
  free (l);
}

void
spec_free (struct hull_spec *spec)
{
  if (!spec)
    return;
  free (spec->oci_version);
  free (spec->root_path);
  spec_process_free (spec->process);
  free (spec->hostname);
  free (spec->domainname);
  spec_mounts_free (spec->mounts, spec->n_mounts);
  for (size_t i = 0; i < _HULL_HOOK_MAX; i++)
    spec_hooks_list_done (&spec->hooks[i]);
  json_kv_free (spec->annotations, spec->n_annotations);
  spec_linux_free (spec->linux_);
  free (spec);
}
