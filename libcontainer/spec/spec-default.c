/* SPDX-License-Identifier: Apache-2.0 */
/* The default config printed by `hull spec` (runc's example spec, field order and formatting
 * included), plus lookups and name helpers. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "spec-internal.h"
#include "../cleanup.h"
#include "../util.h"

/* --- names --- */

static const char *const ns_names[_HULL_NS_MAX] = {
    [HULL_NS_PID] = "pid",       [HULL_NS_NETWORK] = "network", [HULL_NS_MOUNT] = "mount",
    [HULL_NS_IPC] = "ipc",       [HULL_NS_UTS] = "uts",         [HULL_NS_USER] = "user",
    [HULL_NS_CGROUP] = "cgroup", [HULL_NS_TIME] = "time",
};

const char *
spec_ns_type_name (enum hull_ns_type type)
{
  return (unsigned)type < _HULL_NS_MAX ? ns_names[type] : NULL;
}

int
spec_ns_type_from_name (const char *name)
{
  for (int i = 0; i < _HULL_NS_MAX; i++)
    if (strcmp (ns_names[i], name) == 0)
      return i;
  return -1;
}

const char *
spec_hook_kind_name (enum hull_hook_kind kind)
{
  static const char *const names[_HULL_HOOK_MAX] = {
      [HULL_HOOK_PRESTART] = "prestart",
      [HULL_HOOK_CREATE_RUNTIME] = "createRuntime",
      [HULL_HOOK_CREATE_CONTAINER] = "createContainer",
      [HULL_HOOK_START_CONTAINER] = "startContainer",
      [HULL_HOOK_POSTSTART] = "poststart",
      [HULL_HOOK_POSTSTOP] = "poststop",
  };
  return (unsigned)kind < _HULL_HOOK_MAX ? names[kind] : NULL;
}

/* --- lookups --- */

const struct hull_namespace *
spec_find_namespace (const struct hull_spec *spec, enum hull_ns_type type)
{
  if (!spec || !spec->linux_)
    return NULL;
  for (size_t i = 0; i < spec->linux_->n_namespaces; i++)
    if (spec->linux_->namespaces[i].type == type)
      return &spec->linux_->namespaces[i];
  return NULL;
}

const char *
spec_find_annotation (const struct hull_spec *spec, const char *key)
{
  if (!spec)
    return NULL;
  for (size_t i = 0; i < spec->n_annotations; i++)
    if (strcmp (spec->annotations[i].key, key) == 0)
      return spec->annotations[i].value;
  return NULL;
}

const char *
spec_env_get (char *const *env, const char *key)
{
  size_t len = strlen (key);
  const char *found = NULL;
  /* the last assignment wins, as in execve's environment handling by most shells and runc */
  for (char *const *e = env; e && *e; e++)
    if (strncmp (*e, key, len) == 0 && (*e)[len] == '=')
      found = *e + len + 1;
  return found;
}

/* --- the default config --- */

static char *const default_caps[] = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL};

static char *const default_masked[] = {
    "/proc/acpi",
    "/proc/asound",
    "/proc/kcore",
    "/proc/keys",
    "/proc/latency_stats",
    "/proc/timer_list",
    "/proc/timer_stats",
    "/proc/sched_debug",
    "/sys/firmware",
    "/proc/scsi",
    "/sys/devices/virtual/tpm",
    NULL,
};

static char *const default_readonly[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

struct default_mount
{
  const char *destination, *type, *source;
  const char *options[8];
};

static const struct default_mount default_mounts[] = {
    {"/proc", "proc", "proc", {NULL}},
    {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k", NULL}},
    {"/dev/pts",
     "devpts",
     "devpts",
     {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5", NULL}},
    {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL}},
    {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev", NULL}},
    {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro", NULL}},
    {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro", NULL}},
};

static const struct default_mount rootless_sys = {
    "/sys",
    "none",
    "/sys",
    {"rbind", "nosuid", "noexec", "nodev", "ro", NULL},
};

static void
gen_mount (struct json_gen *g, const struct default_mount *m, bool rootless)
{
  json_gen_map_open (g);
  json_gen_kv_string (g, "destination", m->destination);
  json_gen_kv_string (g, "type", m->type);
  json_gen_kv_string (g, "source", m->source);
  if (m->options[0])
    {
      json_gen_string (g, "options");
      json_gen_array_open (g);
      for (size_t i = 0; m->options[i]; i++)
        /* runc's ToRootless drops uid=/gid= options: no such ids in a one-id user namespace */
        if (!rootless || (!str_has_prefix (m->options[i], "uid=") && !str_has_prefix (m->options[i], "gid=")))
          json_gen_string (g, m->options[i]);
      json_gen_array_close (g);
    }
  json_gen_map_close (g);
}

static void
gen_id_mapping (struct json_gen *g, const char *key, unsigned host_id)
{
  json_gen_string (g, key);
  json_gen_array_open (g);
  json_gen_map_open (g);
  json_gen_kv_int (g, "containerID", 0);
  json_gen_kv_int (g, "hostID", host_id);
  json_gen_kv_int (g, "size", 1);
  json_gen_map_close (g);
  json_gen_array_close (g);
}

static void
gen_process (struct json_gen *g)
{
  json_gen_string (g, "process");
  json_gen_map_open (g);
  json_gen_kv_bool (g, "terminal", true);
  json_gen_string (g, "user");
  json_gen_map_open (g);
  json_gen_kv_int (g, "uid", 0);
  json_gen_kv_int (g, "gid", 0);
  json_gen_map_close (g);
  json_gen_kv_strv (g, "args", (char *const[]){"sh", NULL});
  json_gen_kv_strv (g, "env",
                    (char *const[]){"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                    "TERM=xterm", NULL});
  json_gen_kv_string (g, "cwd", "/");
  json_gen_string (g, "capabilities");
  json_gen_map_open (g);
  json_gen_kv_strv (g, "bounding", default_caps);
  json_gen_kv_strv (g, "effective", default_caps);
  json_gen_kv_strv (g, "permitted", default_caps);
  json_gen_map_close (g);
  json_gen_string (g, "rlimits");
  json_gen_array_open (g);
  json_gen_map_open (g);
  json_gen_kv_string (g, "type", "RLIMIT_NOFILE");
  json_gen_kv_int (g, "hard", 1024);
  json_gen_kv_int (g, "soft", 1024);
  json_gen_map_close (g);
  json_gen_array_close (g);
  json_gen_kv_bool (g, "noNewPrivileges", true);
  json_gen_map_close (g);
}

static void
gen_linux (struct json_gen *g, bool rootless)
{
  static const char *const namespaces[] = {"pid", "network", "ipc", "uts", "mount", "cgroup"};

  json_gen_string (g, "linux");
  json_gen_map_open (g);
  if (rootless)
    {
      gen_id_mapping (g, "uidMappings", (unsigned)geteuid ());
      gen_id_mapping (g, "gidMappings", (unsigned)getegid ());
    }
  else
    {
      json_gen_string (g, "resources");
      json_gen_map_open (g);
      json_gen_string (g, "devices");
      json_gen_array_open (g);
      json_gen_map_open (g);
      json_gen_kv_bool (g, "allow", false);
      json_gen_kv_string (g, "access", "rwm");
      json_gen_map_close (g);
      json_gen_array_close (g);
      json_gen_map_close (g);
    }
  json_gen_string (g, "namespaces");
  json_gen_array_open (g);
  for (size_t i = 0; i < ELEMENTSOF (namespaces); i++)
    {
      if (rootless && strcmp (namespaces[i], "network") == 0)
        continue;
      json_gen_map_open (g);
      json_gen_kv_string (g, "type", namespaces[i]);
      json_gen_map_close (g);
    }
  if (rootless)
    {
      json_gen_map_open (g);
      json_gen_kv_string (g, "type", "user");
      json_gen_map_close (g);
    }
  json_gen_array_close (g);
  json_gen_kv_strv (g, "maskedPaths", default_masked);
  json_gen_kv_strv (g, "readonlyPaths", default_readonly);
  json_gen_map_close (g);
}

char *
spec_default_json (bool rootless)
{
  _cleanup_ (json_gen_freep) struct json_gen *g = json_gen_new (/* pretty= */ true);
  char *text = NULL;
  size_t len;

  json_gen_map_open (g);
  json_gen_kv_string (g, "ociVersion", HULL_OCI_VERSION);
  gen_process (g);
  json_gen_string (g, "root");
  json_gen_map_open (g);
  json_gen_kv_string (g, "path", "rootfs");
  json_gen_kv_bool (g, "readonly", true);
  json_gen_map_close (g);
  json_gen_kv_string (g, "hostname", "hull");
  json_gen_string (g, "mounts");
  json_gen_array_open (g);
  for (size_t i = 0; i < ELEMENTSOF (default_mounts); i++)
    {
      const struct default_mount *m = &default_mounts[i];
      if (rootless && strcmp (m->destination, "/sys") == 0)
        m = &rootless_sys;
      gen_mount (g, m, rootless);
    }
  json_gen_array_close (g);
  gen_linux (g, rootless);
  json_gen_map_close (g);

  if (json_gen_finish (g, &text) < 0)
    abort (); /* a bug in the code above */
  /* runc writes json.MarshalIndent output as is: no final newline */
  len = strlen (text);
  while (len > 0 && text[len - 1] == '\n')
    text[--len] = '\0';
  return text;
}
