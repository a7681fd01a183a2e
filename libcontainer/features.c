/* SPDX-License-Identifier: Apache-2.0 */
/* `hull features`: what this build implements (features.md, features-linux.md). */
#include <string.h>
#include <sys/capability.h>
#include <yajl/yajl_gen.h>
#include "cgroup/cgroup.h"
#include "config.h"
#include "hull.h"
#include "mount-idmap.h"
#include "mount-options.h"
#include "seccomp-filter.h"
#include "spec/spec.h"
#include "cleanup.h"
#include "util.h"

static void
str (yajl_gen g, const char *s)
{
  yajl_gen_string (g, (const unsigned char *) s, strlen (s));
}

static void
strv (yajl_gen g, const char *key, const char *const *v)
{
  str (g, key);
  yajl_gen_array_open (g);
  for (; v && *v; v++)
    str (g, *v);
  yajl_gen_array_close (g);
}

static void
flag (yajl_gen g, const char *key, bool v)
{
  str (g, key);
  yajl_gen_bool (g, v);
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
  const unsigned char *buf;
  size_t len;
  yajl_gen g = yajl_gen_alloc (NULL);

  for (int i = 0; i < _HULL_NS_MAX; i++)
    ns[i] = spec_ns_type_name ((enum hull_ns_type) i);
  yajl_gen_config (g, yajl_gen_beautify, 1);
  yajl_gen_config (g, yajl_gen_indent_string, "    ");
  yajl_gen_map_open (g);
  str (g, "ociVersionMin");
  str (g, "1.0.0");
  str (g, "ociVersionMax");
  str (g, HULL_OCI_VERSION);
  strv (g, "hooks", hooks);
  bool idmap = mount_idmap_supported ();
  str (g, "mountOptions");
  yajl_gen_array_open (g);
  for (const char *const *o = mount_opts_known_names (); *o; o++)
    if (idmap || (strcmp (*o, "idmap") != 0 && strcmp (*o, "ridmap") != 0))
      str (g, *o);
  yajl_gen_array_close (g);
  str (g, "linux");
  yajl_gen_map_open (g);
  strv (g, "namespaces", ns);
  str (g, "capabilities");
  yajl_gen_array_open (g);
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
        str (g, up);
    }
  yajl_gen_array_close (g);
  str (g, "cgroup");
  yajl_gen_map_open (g);
  flag (g, "v1", true);
  flag (g, "v2", true);
  flag (g, "systemd", false);
  flag (g, "systemdUser", false);
  flag (g, "rdma", true);
  yajl_gen_map_close (g);
  str (g, "seccomp");
  yajl_gen_map_open (g);
  flag (g, "enabled", true);
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
  yajl_gen_map_close (g);
  str (g, "apparmor");
  yajl_gen_map_open (g);
  flag (g, "enabled", false);
  yajl_gen_map_close (g);
  str (g, "selinux");
  yajl_gen_map_open (g);
  flag (g, "enabled", false);
  yajl_gen_map_close (g);
  str (g, "intelRdt");
  yajl_gen_map_open (g);
  flag (g, "enabled", false);
  yajl_gen_map_close (g);
  str (g, "mountExtensions");
  yajl_gen_map_open (g);
  str (g, "idmap");
  yajl_gen_map_open (g);
  flag (g, "enabled", idmap);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g);
  str (g, "netDevices");
  yajl_gen_map_open (g);
  flag (g, "enabled", true);
  yajl_gen_map_close (g);
  str (g, "memoryPolicy");
  yajl_gen_map_open (g);
  strv (g, "modes", mpol_modes);
  strv (g, "flags", mpol_flags);
  yajl_gen_map_close (g);
  yajl_gen_map_close (g); /* linux */
  str (g, "annotations");
  yajl_gen_map_open (g);
  str (g, "org.opencontainers.runc.checkpoint.enabled");
  str (g, "false");
  str (g, "io.github.hull.version");
  str (g, HULL_VERSION);
  yajl_gen_map_close (g);
  strv (g, "potentiallyUnsafeConfigAnnotations", unsafe);
  yajl_gen_map_close (g);
  yajl_gen_get_buf (g, &buf, &len);
  char *r = xstrndup ((const char *) buf, len);
  yajl_gen_free (g);
  return r;
}
