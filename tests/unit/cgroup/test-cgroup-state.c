/* SPDX-License-Identifier: Apache-2.0 */
/* cgroup_to_string / cgroup_from_string round trip, and the stats JSON from fixture files. */
#include "cg-tap.h"

int
main (void)
{
  struct hull_error err = { 0 };
  struct hull_cgroup *cg = NULL, *back = NULL;
  char *s, *s2;
  int rc;

  rc = cgroup_from_string ("{\"mode\":\"hybrid\",\"disabled\":false,\"rootless\":false,\"hierarchies\":["
                           "{\"controllers\":\"cpu,cpuacct\",\"mount\":\"/sys/fs/cgroup/cpu,cpuacct\",\"rel\":\"/a/b\","
                           "\"path\":\"/sys/fs/cgroup/cpu,cpuacct/a/b\",\"created\":\"/sys/fs/cgroup/cpu,cpuacct/a\","
                           "\"unified\":false},"
                           "{\"controllers\":\"memory\",\"mount\":\"/sys/fs/cgroup/memory\",\"rel\":\"/x/a/b\","
                           "\"path\":\"/sys/fs/cgroup/memory/x/a/b\",\"created\":null,\"unified\":false},"
                           "{\"controllers\":\"\",\"mount\":\"/sys/fs/cgroup/unified\",\"rel\":\"/a/b\","
                           "\"path\":\"/sys/fs/cgroup/unified/a/b\",\"created\":null,\"unified\":true}]}",
                           &cg, &err);
  tap_ok (rc == 0, "from_string (%s)", err.msg);
  if (rc < 0)
    return tap_done ();
  EQ_U64 (cgroup_mode (cg), HULL_CGROUP_HYBRID);
  EQ_STR (cgroup_path (cg), "/x/a/b");
  EQ_STR (cg_find (cg, "cpuacct")->path, "/sys/fs/cgroup/cpu,cpuacct/a/b");
  tap_ok (cg_find (cg, "cpuset") == NULL, "no cpuset hierarchy");
  EQ_STR (cg_unified (cg)->path, "/sys/fs/cgroup/unified/a/b");
  s = cgroup_to_string (cg);
  rc = cgroup_from_string (s, &back, &err);
  tap_ok (rc == 0, "round trip parses");
  s2 = cgroup_to_string (back);
  cgroup_free (back);
  back = NULL;
  EQ_STR (s2, s);
  tap_ok (cgroup_from_string ("{\"mode\":\"v2\"}", &back, &err) == -EINVAL, "missing hierarchies refused");
  tap_ok (cgroup_from_string ("nonsense", &back, &err) == -EINVAL, "garbage refused");
  free (s);
  free (s2);
  cgroup_free (cg);

  /* stats from a v2-style fixture */
  int fd = fx_setup (NULL);
  fx_put ("cpu.stat", "usage_usec 100\nuser_usec 60\nsystem_usec 40\nnr_periods 5\nnr_throttled 2\nthrottled_usec 7\n");
  fx_put ("memory.current", "4096\n");
  fx_put ("memory.max", "max\n");
  fx_put ("memory.stat", "anon 1\nfile 2\n");
  fx_put ("memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
  fx_put ("pids.current", "2\n");
  fx_put ("pids.max", "10\n");
  fx_put ("io.stat", "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n");
  s = cg_stats_json_fds (fd, -1, fd, fd, fd, fd, true, true);
  tap_ok (strstr (s, "\"usage\":{\"total\":100000,\"kernel\":40000,\"user\":60000}") != NULL, "cpu usage in ns: %s", s);
  tap_ok (strstr (s, "\"throttling\":{\"periods\":5,\"throttled_periods\":2,\"throttled_time\":7000}") != NULL, "throttling");
  tap_ok (strstr (s, "\"cache\":2") != NULL, "memory cache = file");
  tap_ok (strstr (s, "\"usage\":{\"limit\":18446744073709551615,\"usage\":4096,\"max\":0,\"failcnt\":3}") != NULL,
          "memory usage");
  tap_ok (strstr (s, "\"pids\":{\"current\":2,\"limit\":10}") != NULL, "pids");
  tap_ok (strstr (s, "{\"major\":8,\"minor\":0,\"op\":\"Read\",\"value\":10}") != NULL, "io read bytes");
  tap_ok (strstr (s, "\"raw\":{\"anon\":1,\"file\":2}") != NULL, "raw memory.stat");
  free (s);
  fx_cleanup ();
  return tap_done ();
}
