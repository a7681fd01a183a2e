/* SPDX-License-Identifier: Apache-2.0 */
/* `hull features`: what this build implements (features.md, features-linux.md). */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/capability.h>
#include "cgroup/cgroup.h"
#include "config.h"
#include "hull.h"
#include "mount-idmap.h"
#include "mount-options.h"
#include "seccomp-filter.h"
#include "spec/json.h"
#include "spec/spec.h"
#include "cleanup.h"
#include "util.h"

static void
strv (struct json_gen *g, const char *key, const char *const *v)
{
  json_gen_kv_strv (g, key, (char *const *) v);
}

char *
hull_features_json (void)
{
  static const char *const hooks[] = { "prestart", "createRuntime", "createContainer", "startContainer",
                                       "poststart", "poststop", NULL };
  static const char *const unsafe[] = { "bundle", NULL };
  static const char *const mpol_modes[] = { "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE",
                                            "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED", "MPOL_PREFERRED_MANY",
                                            "MPOL_LOCAL",     NULL };
  static const char *const mpol_flags[] = { "MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES",
                                            "MPOL_F_STATIC_NODES", NULL };
  const char *ns[_HULL_NS_MAX + 1] = { 0 };
  _cleanup_ (json_gen_freep) struct json_gen *g = json_gen_new_indent ("    ");

  for (int i = 0; i < _HULL_NS_MAX; i++)
    ns[i] = spec_ns_type_name ((enum hull_ns_type) i);
  json_gen_map_open (g);
  json_gen_string (g, "ociVersionMin");
  json_gen_string (g, "1.0.0");
  json_gen_string (g, "ociVersionMax");
  json_gen_string (g, HULL_OCI_VERSION);
  strv (g, "hooks", hooks);
  bool idmap = mount_idmap_supported ();
  /* the recursive r* forms need mount_setattr(2): listed only when the kernel (and any seccomp
   * filter hull runs under) lets it through — an invalid call answers EBADF/EINVAL then */
  errno = 0;
  bool setattr = syscall (SYS_mount_setattr, -1, "", 0, NULL, 0) < 0 && errno != ENOSYS && errno != EPERM;
  json_gen_string (g, "mountOptions");
  json_gen_array_open (g);
  for (const char *const *o = mount_opts_known_names (); *o; o++)
    {
      if (!idmap && (strcmp (*o, "idmap") == 0 || strcmp (*o, "ridmap") == 0))
        continue;
      if (!setattr && mount_opts_needs_setattr (*o))
        continue;
      json_gen_string (g, *o);
    }
  json_gen_array_close (g);
  json_gen_string (g, "linux");
  json_gen_map_open (g);
  strv (g, "namespaces", ns);
  json_gen_string (g, "capabilities");
  json_gen_array_open (g);
  for (int c = 0; c < cap_max_bits (); c++)
    {
      char *name = cap_to_name (c);
      char up[64];
      size_t k = 0;
      for (; name && name[k] && k < sizeof up - 1; k++)
        up[k] = (char) (name[k] >= 'a' && name[k] <= 'z' ? name[k] - 32 : name[k]);
      up[k] = '\0';
      cap_free (name);
      if (k > 4 && !strncmp (up, "CAP_", 4))
        json_gen_string (g, up);
    }
  json_gen_array_close (g);
  json_gen_string (g, "cgroup");
  json_gen_map_open (g);
  json_gen_kv_bool (g, "v1", true);
  json_gen_kv_bool (g, "v2", true);
  json_gen_kv_bool (g, "systemd", false);
  json_gen_kv_bool (g, "systemdUser", false);
  json_gen_kv_bool (g, "rdma", true);
  json_gen_map_close (g);
  json_gen_string (g, "seccomp");
  json_gen_map_open (g);
  json_gen_kv_bool (g, "enabled", true);
  {
    static const struct
    {
      const char *key;
      enum seccomp_feature_list which;
    } lists[] = {
      { "actions", SECCOMP_FEATURE_ACTIONS },     { "operators", SECCOMP_FEATURE_OPERATORS },
      { "archs", SECCOMP_FEATURE_ARCHS },         { "knownFlags", SECCOMP_FEATURE_KNOWN_FLAGS },
      { "supportedFlags", SECCOMP_FEATURE_SUPPORTED_FLAGS },
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
      {
        char **v = seccomp_features_list (lists[i].which);
        strv (g, lists[i].key, (const char *const *) v);
        strv_free (v);
      }
  }
  json_gen_map_close (g);
  json_gen_string (g, "apparmor");
  json_gen_map_open (g);
  json_gen_kv_bool (g, "enabled", false);
  json_gen_map_close (g);
  json_gen_string (g, "selinux");
  json_gen_map_open (g);
  json_gen_kv_bool (g, "enabled", false);
  json_gen_map_close (g);
  json_gen_string (g, "intelRdt");
  json_gen_map_open (g);
  json_gen_kv_bool (g, "enabled", false);
  json_gen_map_close (g);
  json_gen_string (g, "mountExtensions");
  json_gen_map_open (g);
  json_gen_string (g, "idmap");
  json_gen_map_open (g);
  json_gen_kv_bool (g, "enabled", idmap);
  json_gen_map_close (g);
  json_gen_map_close (g);
  json_gen_string (g, "netDevices");
  json_gen_map_open (g);
  json_gen_kv_bool (g, "enabled", true);
  json_gen_map_close (g);
  json_gen_string (g, "memoryPolicy");
  json_gen_map_open (g);
  strv (g, "modes", mpol_modes);
  strv (g, "flags", mpol_flags);
  json_gen_map_close (g);
  json_gen_map_close (g); /* linux */
  json_gen_string (g, "annotations");
  json_gen_map_open (g);
  json_gen_string (g, "org.opencontainers.runc.checkpoint.enabled");
  json_gen_string (g, "false");
  json_gen_string (g, "io.github.hull.version");
  json_gen_string (g, HULL_VERSION);
  json_gen_map_close (g);
  strv (g, "potentiallyUnsafeConfigAnnotations", unsafe);
  json_gen_map_close (g);
  return json_gen_text (g);
}
