/* SPDX-License-Identifier: Apache-2.0 */
/* The config printed by `hull spec`: byte-for-byte runc's layout (golden file), and it must pass
 * our own parser and validator, as root and (rootless variant) as a rootless caller.
 * Usage: test-default-spec DATA_DIR (tests/unit/data). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "cleanup.h"
#include "spec.h"
#include "tap.h"
#include "util.h"

static void
test_variant (bool rootless)
{
  _cleanup_free_ char *text = spec_default_json (rootless);
  _cleanup_ (spec_freep) struct hull_spec *s = NULL;
  struct hull_validate_opts opts = {.rootless = rootless};
  struct hull_error err = {0};
  const char *v = rootless ? "rootless" : "root";
  const struct hull_mount *sys = NULL, *pts = NULL;

  ok (text &&
          str_has_prefix (text, "{\n\t\"ociVersion\": \"1.3.0\",\n\t\"process\": {\n\t\t\"terminal\": true,"),
      "%s: tab-indented, runc's key order", v);
  ok (text && text[strlen (text) - 1] == '}', "%s: no trailing newline, like runc", v);
  if (!ok (spec_parse_buffer (text, "config.json", &s, &err) == 0, "%s: parses", v))
    {
      tap_diag ("  %s", err.msg);
      return;
    }
  if (!ok (spec_validate (s, &opts, &err) == 0, "%s: validates", v))
    tap_diag ("  %s", err.msg);

  ASSERT_STREQ (s->hostname, "hull");
  ASSERT_STREQ (s->root_path, "rootfs");
  ok (s->root_readonly && s->process->terminal && s->process->no_new_privileges, "%s: flags", v);
  ASSERT_STREQ (s->process->args[0], "sh");
  ASSERT_STREQ (spec_env_get (s->process->env, "TERM"), "xterm");
  ok (s->process->capabilities && !s->process->capabilities->has_inheritable &&
          !s->process->capabilities->has_ambient && strv_length (s->process->capabilities->bounding) == 3,
      "%s: no inheritable or ambient capabilities", v);
  ok (s->process->n_rlimits == 1 && s->process->rlimits[0].soft == 1024, "%s: RLIMIT_NOFILE 1024", v);
  ASSERT_EQ_INT (s->n_mounts, 7);
  for (size_t i = 0; i < s->n_mounts; i++)
    {
      if (strcmp (s->mounts[i].destination, "/sys") == 0)
        sys = &s->mounts[i];
      if (strcmp (s->mounts[i].destination, "/dev/pts") == 0)
        pts = &s->mounts[i];
    }
  ok (sys && pts, "%s: /sys and /dev/pts mounts", v);
  if (!sys || !pts)
    return;
  ok (!spec_find_namespace (s, HULL_NS_PID)->path && spec_find_namespace (s, HULL_NS_CGROUP),
      "%s: pid, cgroup ns", v);
  ok (strv_length (s->linux_->masked_paths) == 11 && strv_length (s->linux_->readonly_paths) == 5,
      "%s: masked and readonly paths", v);
  if (rootless)
    {
      ok (!spec_find_namespace (s, HULL_NS_NETWORK) && spec_find_namespace (s, HULL_NS_USER),
          "rootless: userns, no netns");
      ok (s->linux_->n_uid_mappings == 1 && s->linux_->uid_mappings[0].host_id == geteuid () &&
              s->linux_->uid_mappings[0].size == 1 && s->linux_->gid_mappings[0].host_id == getegid (),
          "rootless: 0 → euid/egid mappings");
      ASSERT_STREQ (sys->type, "none");
      ASSERT_STREQ (sys->options[0], "rbind");
      ok (!s->linux_->resources, "rootless: no resources");
      ok (strv_length (pts->options) == 5, "rootless: gid=5 dropped from /dev/pts");
    }
  else
    {
      ok (spec_find_namespace (s, HULL_NS_NETWORK) && !spec_find_namespace (s, HULL_NS_USER),
          "root: netns, no userns");
      ASSERT_STREQ (sys->type, "sysfs");
      ok (s->linux_->resources && s->linux_->resources->n_devices == 1 &&
              !s->linux_->resources->devices[0].allow,
          "root: deny-all device rule");
      ASSERT_STREQ (pts->options[5], "gid=5");
    }
}

static void
test_golden (const char *dir)
{
  _cleanup_free_ char *path = xasprintf ("%s/default-spec.json", dir);
  _cleanup_free_ char *expected = NULL, *text = spec_default_json (false);
  size_t len;

  if (!ok (read_file_at (AT_FDCWD, path, 1 << 20, &expected, &len) == 0, "read golden default-spec.json"))
    return;
  /* the golden file ends with a newline for the sake of editors */
  if (len > 0 && expected[len - 1] == '\n')
    expected[len - 1] = '\0';
  if (!ok (strcmp (text, expected) == 0, "default spec matches the golden file"))
    tap_diag ("got:\n%s", text);
}

int
main (int argc, char **argv)
{
  test_variant (false);
  test_variant (true);
  if (argc > 1)
    test_golden (argv[1]);
  return tap_done ();
}
