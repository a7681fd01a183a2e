/* SPDX-License-Identifier: Apache-2.0 */
/* The config.json parser and validator, table-driven over tests/unit/data/spec:
 *   valid/NAME.json    must parse and validate;
 *   invalid/NAME.json  must fail, with an error containing the text of invalid/NAME.err.
 * Fixtures named rootless-* are validated as for a rootless caller.  Then field-by-field checks of
 * valid/full.json and friends, and the entry points for exec --process and update --resources.
 * Usage: test-spec DATA_DIR (the tests/unit/data/spec directory). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "cleanup.h"
#include "json.h"
#include "spec.h"
#include "tap.h"
#include "util.h"

static const char *data_dir;

static char *
read_fixture (const char *sub, const char *name)
{
  _cleanup_free_ char *path = xasprintf ("%s/%s/%s", data_dir, sub, name);
  char *buf = NULL;
  if (read_file_at (AT_FDCWD, path, HULL_SPEC_MAX_SIZE, &buf, NULL) < 0)
    return NULL;
  return buf;
}

static int
cmp_str (const void *a, const void *b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* The sorted *.json names in data_dir/sub. */
static char **
list_fixtures (const char *sub)
{
  _cleanup_free_ char *path = xasprintf ("%s/%s", data_dir, sub);
  _cleanup_closedir_ DIR *d = opendir (path);
  char **names = NULL;
  struct dirent *de;

  if (!d)
    return NULL;
  while ((de = readdir (d)))
    {
      size_t len = strlen (de->d_name);
      if (len > 5 && strcmp (de->d_name + len - 5, ".json") == 0)
        strv_append (&names, de->d_name);
    }
  if (names)
    qsort (names, strv_length (names), sizeof *names, cmp_str);
  return names;
}

/* Parse + validate a fixture as the CLI would (messages prefixed with "config.json"). */
static int
load_and_validate (const char *sub, const char *name, struct hull_spec **ret, struct hull_error *err)
{
  _cleanup_free_ char *buf = read_fixture (sub, name);
  struct hull_validate_opts opts = {.rootless = str_has_prefix (name, "rootless-")};
  _cleanup_ (spec_freep) struct hull_spec *spec = NULL;
  int r;

  if (!buf)
    return hull_err (err, errno, "read fixture `%s`", name);
  r = spec_parse_buffer (buf, "config.json", &spec, err);
  if (r < 0)
    return r;
  r = spec_validate (spec, &opts, err);
  if (r < 0)
    return r;
  if (ret)
    *ret = TAKE_PTR (spec);
  return 0;
}

static void
test_valid_fixtures (void)
{
  _cleanup_strv_ char **names = list_fixtures ("valid");
  ok (names && strv_length (names) >= 5, "valid fixtures found");
  for (char **n = names; n && *n; n++)
    {
      struct hull_error err = {0};
      int r = load_and_validate ("valid", *n, NULL, &err);
      if (!ok (r == 0, "valid/%s parses and validates", *n))
        tap_diag ("  error: %s", err.msg);
    }
}

static void
test_invalid_fixtures (void)
{
  _cleanup_strv_ char **names = list_fixtures ("invalid");
  ok (names && strv_length (names) >= 40, "at least 40 invalid fixtures (%zu)",
      names ? strv_length (names) : 0);
  for (char **n = names; n && *n; n++)
    {
      _cleanup_free_ char *err_name = xasprintf ("%.*s.err", (int)(strlen (*n) - 5), *n);
      _cleanup_free_ char *expected = read_fixture ("invalid", err_name);
      struct hull_error err = {0};
      int r;

      if (!ok (expected != NULL, "invalid/%s has a .err file", *n))
        continue;
      expected[strcspn (expected, "\n")] = '\0';
      r = load_and_validate ("invalid", *n, NULL, &err);
      if (!ok (r == -EINVAL && err.no_strerror && strstr (err.msg, expected), "invalid/%s: %s", *n, expected))
        tap_diag ("  got r=%d: %s", r, err.msg);
    }
}

static void
test_full (void)
{
  _cleanup_ (spec_freep) struct hull_spec *s = NULL;
  struct hull_error err = {0};
  const struct hull_process *p;
  const struct hull_linux *l;
  const struct hull_resources *res;

  if (!ok (load_and_validate ("valid", "full.json", &s, &err) == 0, "full.json loads"))
    {
      tap_diag ("  error: %s", err.msg);
      return;
    }
  ASSERT_STREQ (s->oci_version, "1.3.0");
  ASSERT_STREQ (s->root_path, "rootfs");
  ok (s->root_readonly, "root.readonly");
  ASSERT_STREQ (s->hostname, "full");
  ASSERT_STREQ (s->domainname, "example.org");

  p = s->process;
  ok (p->terminal && p->has_console_size, "terminal, consoleSize");
  ASSERT_EQ_INT (p->console_height, 25);
  ASSERT_EQ_INT (p->console_width, 80);
  ASSERT_EQ_INT (p->uid, 1000);
  ASSERT_EQ_INT (p->gid, 1001);
  ok (p->has_umask && p->umask == 18, "umask");
  ASSERT_EQ_INT (p->n_additional_gids, 2);
  ASSERT_EQ_U64 (p->additional_gids[1], UINT32_MAX);
  ASSERT_STREQ (p->username, "me");
  ASSERT_EQ_INT (strv_length (p->args), 3);
  ASSERT_STREQ (p->args[2], "echo hi");
  ASSERT_STREQ (p->cwd, "/work");
  ASSERT_STREQ (spec_env_get (p->env, "PATH"), "/sbin");
  ASSERT_STREQ (spec_env_get (p->env, "HOME"), "/root");
  ok (spec_env_get (p->env, "HOM") == NULL, "spec_env_get needs the whole key");
  ok (p->capabilities && p->capabilities->has_inheritable && p->capabilities->inheritable &&
          !p->capabilities->inheritable[0],
      "empty inheritable set is present and empty");
  ASSERT_STREQ (p->capabilities->permitted[1], "CAP_CHECKPOINT_RESTORE");
  ASSERT_EQ_INT (p->n_rlimits, 3);
  ASSERT_EQ_INT (p->rlimits[0].resource, RLIMIT_NOFILE);
  ASSERT_EQ_INT (p->rlimits[1].resource, RLIMIT_RTTIME);
  ASSERT_STREQ (p->rlimits[1].type, "RLIMIT_RTTIME");
  ASSERT_EQ_U64 (p->rlimits[0].hard, 4096);
  ok (p->no_new_privileges, "noNewPrivileges");
  ok (p->has_oom_score_adj && p->oom_score_adj == -500, "oomScoreAdj");
  ASSERT_STREQ (p->apparmor_profile, "hull-default");
  ASSERT_EQ_INT (p->scheduler->policy, 6);
  ASSERT_EQ_INT (p->scheduler->nice, -5);
  ASSERT_EQ_U64 (p->scheduler->flags, 0x41);
  ASSERT_EQ_U64 (p->scheduler->period, 30000000);
  ASSERT_EQ_INT (p->io_priority->class, 3);
  ASSERT_EQ_INT (p->io_priority->priority, 7);
  ASSERT_STREQ (p->exec_cpu_affinity_final, "0-1");

  ASSERT_EQ_INT (s->n_mounts, 4);
  ASSERT_STREQ (s->mounts[2].destination, "relative/dest");
  ok (s->mounts[0].options == NULL, "mount without options has NULL options");
  ASSERT_STREQ (s->mounts[1].options[3], "size=65536k");
  ok (s->mounts[3].has_uid_mappings && s->mounts[3].n_gid_mappings == 1, "idmapped mount");
  ASSERT_EQ_INT (s->mounts[3].gid_mappings[0].host_id, 200000);

  ASSERT_EQ_INT (s->hooks[HULL_HOOK_PRESTART].n, 1);
  ok (s->hooks[HULL_HOOK_PRESTART].hooks[0].has_timeout && s->hooks[HULL_HOOK_PRESTART].hooks[0].timeout == 5,
      "hook timeout");
  ASSERT_EQ_INT (s->hooks[HULL_HOOK_CREATE_RUNTIME].n, 2);
  ASSERT_STREQ (s->hooks[HULL_HOOK_CREATE_RUNTIME].hooks[1].path, "/usr/bin/hook2");
  ASSERT_EQ_INT (s->hooks[HULL_HOOK_POSTSTOP].n, 1);
  ASSERT_STREQ (spec_find_annotation (s, "bundle"), "/b");
  ok (spec_find_annotation (s, "nope") == NULL, "missing annotation is NULL");

  l = s->linux_;
  ASSERT_EQ_INT (l->n_namespaces, 8);
  ASSERT_STREQ (spec_find_namespace (s, HULL_NS_NETWORK)->path, "/var/run/netns/x");
  ok (spec_find_namespace (s, HULL_NS_TIME) && !spec_find_namespace (s, HULL_NS_TIME)->path, "time ns");
  ASSERT_EQ_INT (l->n_gid_mappings, 2);
  ASSERT_EQ_INT (l->gid_mappings[1].container_id, 65536);
  ok (l->time_offset_monotonic.set && l->time_offset_monotonic.secs == -86400 &&
          l->time_offset_monotonic.nanosecs == 5,
      "timeOffsets.monotonic");
  ok (l->time_offset_boottime.set && l->time_offset_boottime.secs == 7, "timeOffsets.boottime");
  ASSERT_EQ_INT (l->n_devices, 3);
  ok (l->devices[0].type == 'c' && l->devices[0].has_file_mode && l->devices[0].file_mode == 0666,
      "device 0");
  ok (l->devices[1].type == 'p' && !l->devices[1].has_uid, "device 1");
  ASSERT_EQ_INT (l->n_net_devices, 2);
  ASSERT_STREQ (l->net_devices[0].host_name, "eth1");
  ASSERT_STREQ (l->net_devices[0].name, "net1");
  ok (l->net_devices[1].name == NULL, "netDevices without a name");
  ASSERT_STREQ (l->cgroups_path, "/hull/full");
  ASSERT_STREQ (l->rootfs_propagation, "rslave");

  res = l->resources;
  ASSERT_EQ_INT (res->n_devices, 2);
  ok (!res->devices[0].allow && res->devices[0].type == 'a' && res->devices[0].major == -1, "devices[0]");
  ok (res->devices[1].type == 'c' && res->devices[1].minor == 229, "devices[1]");
  ok (res->has_memory && res->memory.limit == 536870912 && res->memory.kernel == -1, "memory");
  ASSERT_EQ_U64 (res->memory.swappiness, 60);
  ok (res->memory.has_disable_oom_killer && res->memory.disable_oom_killer, "disableOOMKiller");
  ok (res->memory.has_use_hierarchy && !res->memory.use_hierarchy, "useHierarchy false but set");
  ok (res->has_cpu && res->cpu.quota == 50000 && res->cpu.has_idle && res->cpu.idle == 1, "cpu");
  ASSERT_STREQ (res->cpu.cpus, "0-1");
  ok (res->has_pids && res->pids_limit == 2048, "pids");
  ok (res->has_block_io && res->block_io.weight == 500 && res->block_io.has_leaf_weight, "blockIO");
  ASSERT_EQ_INT (res->block_io.throttle_write_iops[0].minor, 16);
  ASSERT_EQ_U64 (res->block_io.throttle_read_bps[0].rate, 1048576);
  ASSERT_EQ_INT (res->n_hugepage_limits, 2);
  ASSERT_STREQ (res->hugepage_limits[1].page_size, "1GB");
  ok (res->network.has_class_id && res->network.class_id == 1048577, "classID");
  ASSERT_STREQ (res->network.priorities[0].name, "eth0");
  ok (res->n_rdma == 1 && res->rdma[0].has_hca_objects && res->rdma[0].hca_objects == 10000, "rdma");
  ASSERT_EQ_INT (res->n_unified, 2);
  ASSERT_STREQ (res->unified[1].key, "io.max");

  ok (l->seccomp->default_action == HULL_SECCOMP_ERRNO && l->seccomp->has_default_errno_ret &&
          l->seccomp->default_errno_ret == 38,
      "seccomp default");
  ASSERT_EQ_INT (l->seccomp->n_syscalls, 4);
  ok (l->seccomp->syscalls[1].n_args == 2 && l->seccomp->syscalls[1].args[1].op == HULL_SECCOMP_OP_NE &&
          l->seccomp->syscalls[1].args[1].value_two == 2,
      "seccomp args");
  ok (l->seccomp->syscalls[3].action == HULL_SECCOMP_KILL_PROCESS, "seccomp kill process");
  ASSERT_STREQ (l->seccomp->listener_path, "/run/seccomp-agent.sock");
  ASSERT_STREQ (l->seccomp->architectures[1], "SCMP_ARCH_X86");
  ASSERT_EQ_INT (l->n_sysctl, 5);
  ASSERT_STREQ (l->masked_paths[1], "/sys/firmware");
  ASSERT_STREQ (l->intel_rdt->clos_id, "guaranteed");
  ok (l->intel_rdt->enable_monitoring, "intelRdt.enableMonitoring");
  ASSERT_EQ_INT (l->personality->domain_value, 0x0008);
  ASSERT_EQ_INT (l->memory_policy->mode_value, 3);
  ASSERT_EQ_INT (l->memory_policy->flags_value, 1 << 15);
}

static void
test_u64_max (void)
{
  _cleanup_ (spec_freep) struct hull_spec *s = NULL;
  struct hull_error err = {0};
  const struct hull_resources *res;

  if (!ok (load_and_validate ("valid", "u64-max.json", &s, &err) == 0, "u64-max.json loads"))
    {
      tap_diag ("  error: %s", err.msg);
      return;
    }
  res = s->linux_->resources;
  ASSERT_EQ_U64 (s->process->rlimits[0].soft, UINT64_MAX);
  ASSERT_EQ_U64 (s->process->rlimits[0].hard, UINT64_MAX);
  ok (res->memory.limit == INT64_MAX, "memory.limit is INT64_MAX exactly");
  ok (res->memory.reservation == INT64_MIN, "memory.reservation is INT64_MIN exactly");
  ok (res->memory.swap == -1, "memory.swap -1");
  ok (res->memory.kernel == HULL_UNSET_I64 && res->memory.swappiness == HULL_UNSET, "unset memory fields");
  ASSERT_EQ_U64 (res->cpu.shares, UINT64_MAX);
  ok (res->cpu.quota == -1 && res->cpu.period == HULL_UNSET, "cpu quota -1, period unset");
  ok (res->has_pids && res->pids_limit == 0, "pids.limit 0 is a real limit");
  ASSERT_EQ_U64 (s->linux_->seccomp->syscalls[0].args[0].value, UINT64_MAX);
  ASSERT_EQ_U64 (s->linux_->seccomp->syscalls[0].args[0].value_two, UINT64_C (9223372036854775808));
  ASSERT_EQ_U64 (s->linux_->seccomp->syscalls[0].errno_ret, UINT32_MAX);
}

static void
test_duplicates_and_nulls (void)
{
  _cleanup_ (spec_freep) struct hull_spec *s = NULL;
  _cleanup_ (spec_freep) struct hull_spec *n = NULL;
  struct hull_error err = {0};

  if (ok (load_and_validate ("valid", "duplicate-keys.json", &s, &err) == 0, "duplicate-keys.json loads"))
    {
      ASSERT_STREQ (s->oci_version, "1.3.0");
      ASSERT_STREQ (s->root_path, "rootfs");
      ok (s->root_readonly, "last root wins");
      ASSERT_STREQ (s->process->args[0], "sh");
      ASSERT_STREQ (s->process->env[0], "B=2");
      ok (s->process->n_rlimits == 1 && s->process->rlimits[0].resource == RLIMIT_NPROC, "last rlimits win");
      ok (s->n_mounts == 1 && strcmp (s->mounts[0].destination, "/proc") == 0, "last mounts win");
      ok (s->n_annotations == 2, "repeated annotation key kept once");
      ASSERT_STREQ (spec_find_annotation (s, "a"), "3");
      ok (s->linux_->n_namespaces == 2 && !spec_find_namespace (s, HULL_NS_PID), "last namespaces win");
      ok (s->linux_->n_sysctl == 1 && strcmp (s->linux_->sysctl[0].value, "y") == 0, "last sysctl wins");
    }
  else
    tap_diag ("  error: %s", err.msg);

  if (ok (load_and_validate ("valid", "nulls.json", &n, &err) == 0, "nulls.json loads"))
    {
      ok (n->process->env == NULL && n->process->capabilities == NULL && n->mounts == NULL, "null is absent");
      ok (n->linux_->resources && n->linux_->resources->has_memory &&
              n->linux_->resources->memory.limit == HULL_UNSET_I64,
          "memory.limit null stays unset");
      ok (n->linux_->seccomp == NULL && n->linux_->namespaces == NULL, "null seccomp, namespaces");
    }
  else
    tap_diag ("  error: %s", err.msg);
}

static void
test_file_loading (void)
{
  char tmpl[] = "/tmp/hull-test-spec-XXXXXX";
  _cleanup_free_ char *path = NULL;
  _cleanup_ (spec_freep) struct hull_spec *s = NULL;
  struct hull_error err = {0};
  int fd, r;

  path = xasprintf ("%s/invalid/cwd-relative.json", data_dir);
  r = spec_load_file (path, &s, &err);
  ok (r == -EINVAL && str_has_prefix (err.msg, "cwd-relative.json: process.cwd: must be an absolute path"),
      "spec_load_file names the file: %s", err.msg);

  r = spec_load_file ("/nonexistent/config.json", &s, &err);
  ok (r == -ENOENT && strstr (err.msg, "/nonexistent/config.json") && !err.no_strerror,
      "missing file: -ENOENT with strerror");

  fd = mkstemp (tmpl);
  if (!ok (fd >= 0, "mkstemp"))
    return;
  ok (ftruncate (fd, HULL_SPEC_MAX_SIZE + 1) == 0, "sparse 16 MiB + 1 file");
  close (fd);
  r = spec_load_file (tmpl, &s, &err);
  ok (r == -EFBIG && strstr (err.msg, ": file too large (16777217 bytes, limit 16 MiB)"),
      "file too large: %s", err.msg);
  unlink (tmpl);
}

static void
test_process_and_resources (void)
{
  _cleanup_ (spec_process_freep) struct hull_process *p = NULL;
  _cleanup_ (spec_resources_freep) struct hull_resources *res = NULL;
  struct hull_error err = {0};
  int r;

  r = spec_parse_process_buffer ("{\"args\":[\"ps\"],\"cwd\":\"/\",\"terminal\":true,"
                                 "\"capabilities\":{\"bounding\":[\"CAP_KILL\"]}}",
                                 "process.json", &p, &err);
  ok (r == 0 && p->terminal && strcmp (p->args[0], "ps") == 0, "exec process parses");
  ok (spec_validate_process (p, "process.json: ", &err) == 0, "exec process validates");

  r = spec_validate_process (p, "exec", &err);
  ok (r == 0, "exec process validates with a bare prefix");
  free (p->args[0]);
  p->args[0] = NULL;
  r = spec_validate_process (p, "exec", &err);
  ok (r == -EINVAL && strcmp (err.msg, "exec: args: must be a non-empty array") == 0,
      "bare prefix gets \": \": %s", err.msg);
  spec_process_free (TAKE_PTR (p));

  r = spec_parse_process_buffer ("{\"args\":[\"ps\"],\"cwd\":\"tmp\"}", "process.json", &p, &err);
  ok (r == -EINVAL && strcmp (err.msg, "process.json: cwd: must be an absolute path") == 0, "exec: %s",
      err.msg);

  r = spec_parse_process_buffer (
      "{\"args\":[\"ps\"],\"cwd\":\"/\",\"capabilities\":{\"ambient\":[\"CAP_NOPE\"]}}", "process.json", &p,
      &err);
  ok (r == 0, "unknown capability is a validation error, not a parse error");
  r = spec_validate_process (p, "process.json: ", &err);
  ok (r == -EINVAL &&
          strcmp (err.msg, "process.json: capabilities.ambient: unknown capability \"CAP_NOPE\"") == 0,
      "exec validate: %s", err.msg);

  r = spec_parse_resources_buffer ("{\"memory\":{\"limit\":1048576,\"swap\":-1},\"pids\":{\"limit\":-1},"
                                   "\"cpu\":{\"cpus\":\"1\"}}",
                                   "resources", &res, &err);
  ok (r == 0 && res->has_memory && res->memory.limit == 1048576 && res->pids_limit == -1 &&
          !res->has_block_io,
      "update resources parse");
  spec_resources_free (TAKE_PTR (res));
  r = spec_parse_resources_buffer ("{\"memory\":{\"limit\":\"1M\"}}", "resources", &res, &err);
  ok (r == -EINVAL && strcmp (err.msg, "resources: memory.limit: expected integer, got string") == 0,
      "update resources error: %s", err.msg);
  r = spec_parse_resources_buffer ("", "resources", &res, &err);
  ok (r == -EINVAL && str_has_prefix (err.msg, "resources: parse error: premature EOF"), "empty input: %s",
      err.msg);
}

static void
test_names_and_gen (void)
{
  _cleanup_ (json_gen_freep) struct json_gen *g = json_gen_new (false);
  _cleanup_free_ char *text = NULL;

  for (int t = 0; t < _HULL_NS_MAX; t++)
    ok (spec_ns_type_from_name (spec_ns_type_name (t)) == t, "namespace name round trip: %s",
        spec_ns_type_name (t));
  ok (spec_ns_type_from_name ("net") == -1, "\"net\" is not an OCI namespace name");
  ASSERT_STREQ (spec_ns_type_name (HULL_NS_NETWORK), "network");
  ASSERT_EQ_INT (spec_rlimit_from_name ("RLIMIT_RTTIME"), RLIMIT_RTTIME);
  ASSERT_EQ_INT (spec_rlimit_from_name ("RLIMIT_NOFILE"), RLIMIT_NOFILE);
  ASSERT_EQ_INT (spec_rlimit_from_name ("NOFILE"), -1);
  ASSERT_STREQ (spec_hook_kind_name (HULL_HOOK_CREATE_CONTAINER), "createContainer");

  json_gen_map_open (g);
  json_gen_kv_string (g, "id", "a\"b");
  json_gen_kv_int (g, "pid", -1);
  json_gen_kv_u64 (g, "big", UINT64_MAX);
  json_gen_kv_bool (g, "ok", true);
  json_gen_kv_strv (g, "v", (char *const[]){"x", NULL});
  json_gen_kv_strv (g, "e", NULL);
  json_gen_string (g, "n");
  json_gen_null (g);
  json_gen_map_close (g);
  ok (json_gen_finish (g, &text) == 0, "json_gen_finish");
  ASSERT_STREQ (
      text, "{\"id\":\"a\\\"b\",\"pid\":-1,\"big\":18446744073709551615,\"ok\":true,\"v\":[\"x\"],\"e\":[],"
            "\"n\":null}");
  {
    _cleanup_ (json_gen_freep) struct json_gen *h = json_gen_new (false);
    _cleanup_free_ char *t2 = NULL;
    json_gen_map_open (h);
    ok (json_gen_finish (h, &t2) == -EINVAL && !t2, "unbalanced document refused");
  }
}

int
main (int argc, char **argv)
{
  data_dir = argc > 1 ? argv[1] : getenv ("HULL_SPEC_TEST_DATA");
  if (!data_dir)
    tap_skip_all ("no data directory given");

  test_valid_fixtures ();
  test_invalid_fixtures ();
  test_full ();
  test_u64_max ();
  test_duplicates_and_nulls ();
  test_file_loading ();
  test_process_and_resources ();
  test_names_and_gen ();
  return tap_done ();
}
