/* SPDX-License-Identifier: Apache-2.0 */
/* runc's `events --stats` "data" object, from v1 or v2 files:
 *   {"cpu":{"usage":{"total","percpu","percpu_kernel","percpu_user","kernel","user"},
 *           "throttling":{"periods","throttled_periods","throttled_time"}},
 *    "memory":{"cache","usage":{"limit","usage","max","failcnt"},"swap":{…},"kernel":{…},"raw":{…}},
 *    "pids":{"current","limit"},
 *    "blkio":{"ioServiceBytesRecursive":[{"major","minor","op","value"}],"ioServicedRecursive":[…]},
 *    "hugetlb":{"2MB":{"usage","max","failcnt"}}}
 * Times are nanoseconds; a file that does not exist leaves its fields at 0.  Each section reads from
 * one directory fd, so the unit tests can feed a temporary directory. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../cleanup.h"
#include "../spec/json.h"
#include "../util.h"
#include "cgroup-internal.h"

static void
key (struct json_gen *g, const char *k)
{
  json_gen_string (g, k);
}

static void
kv (struct json_gen *g, const char *k, uint64_t v)
{
  json_gen_kv_u64 (g, k, v);
}

static uint64_t
rd (int fd, const char *file)
{
  uint64_t v = 0;
  if (fd < 0 || cg_read_u64 (fd, file, &v) < 0)
    return 0;
  return v;
}

static uint64_t
rdk (int fd, const char *file, const char *k)
{
  uint64_t v = 0;
  if (fd < 0 || cg_read_key_u64 (fd, file, k, &v) < 0)
    return 0;
  return v;
}

/* A space-separated list of numbers as a JSON array. */
static void
num_list (struct json_gen *g, const char *k, int fd, const char *file)
{
  _cleanup_free_ char *s = NULL;
  char *save = NULL;
  if (fd < 0 || cg_read (fd, file, &s) < 0)
    return;
  key (g, k);
  json_gen_array_open (g);
  for (char *t = strtok_r (s, " \n", &save); t; t = strtok_r (NULL, " \n", &save))
    json_gen_number_text (g, t);
  json_gen_array_close (g);
}

/* Every "key value" line of a flat keyed file as a JSON object. */
static void
raw_map (struct json_gen *g, const char *k, int fd, const char *file)
{
  _cleanup_free_ char *s = NULL;
  if (fd < 0 || cg_read (fd, file, &s) < 0)
    return;
  key (g, k);
  json_gen_map_open (g);
  for (char *line = s, *next; line && *line; line = next)
    {
      char *sp;
      uint64_t v;
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      sp = strchr (line, ' ');
      if (!sp)
        continue;
      *sp = '\0';
      if (parse_u64 (sp + 1, 10, &v) == 0)
        kv (g, line, v);
    }
  json_gen_map_close (g);
}

static void
cpu_section (struct json_gen *g, int cpu_fd, int acct_fd, bool v2)
{
  long hz = sysconf (_SC_CLK_TCK);
  if (hz <= 0)
    hz = 100;
  key (g, "cpu");
  json_gen_map_open (g);
  key (g, "usage");
  json_gen_map_open (g);
  if (v2)
    {
      kv (g, "total", rdk (cpu_fd, "cpu.stat", "usage_usec") * 1000);
      kv (g, "kernel", rdk (cpu_fd, "cpu.stat", "system_usec") * 1000);
      kv (g, "user", rdk (cpu_fd, "cpu.stat", "user_usec") * 1000);
    }
  else
    {
      kv (g, "total", rd (acct_fd, "cpuacct.usage"));
      num_list (g, "percpu", acct_fd, "cpuacct.usage_percpu");
      num_list (g, "percpu_kernel", acct_fd, "cpuacct.usage_percpu_sys");
      num_list (g, "percpu_user", acct_fd, "cpuacct.usage_percpu_user");
      kv (g, "kernel", rdk (acct_fd, "cpuacct.stat", "system") * 1000000000ull / (uint64_t) hz);
      kv (g, "user", rdk (acct_fd, "cpuacct.stat", "user") * 1000000000ull / (uint64_t) hz);
    }
  json_gen_map_close (g);
  key (g, "throttling");
  json_gen_map_open (g);
  kv (g, "periods", rdk (cpu_fd, "cpu.stat", "nr_periods"));
  kv (g, "throttled_periods", rdk (cpu_fd, "cpu.stat", "nr_throttled"));
  kv (g, "throttled_time", v2 ? rdk (cpu_fd, "cpu.stat", "throttled_usec") * 1000 : rdk (cpu_fd, "cpu.stat", "throttled_time"));
  json_gen_map_close (g);
  json_gen_map_close (g);
}

static void
mem_entry (struct json_gen *g, const char *k, uint64_t limit, uint64_t usage, uint64_t max, uint64_t failcnt)
{
  key (g, k);
  json_gen_map_open (g);
  kv (g, "limit", limit);
  kv (g, "usage", usage);
  kv (g, "max", max);
  kv (g, "failcnt", failcnt);
  json_gen_map_close (g);
}

static void
memory_section (struct json_gen *g, int fd, bool v2)
{
  key (g, "memory");
  json_gen_map_open (g);
  if (v2)
    {
      uint64_t cur = rd (fd, "memory.current"), swap = rd (fd, "memory.swap.current");
      uint64_t lim = fd >= 0 && cg_exists (fd, "memory.max") ? rd (fd, "memory.max") : 0;
      uint64_t slim = fd >= 0 && cg_exists (fd, "memory.swap.max") ? rd (fd, "memory.swap.max") : 0;
      kv (g, "cache", rdk (fd, "memory.stat", "file"));
      mem_entry (g, "usage", lim, cur, rd (fd, "memory.peak"), rdk (fd, "memory.events", "max"));
      /* as runc: swap reports memory+swap, like v1's memsw */
      mem_entry (g, "swap", slim == UINT64_MAX || lim == UINT64_MAX ? UINT64_MAX : slim + lim, cur + swap,
                 rd (fd, "memory.swap.peak"), rdk (fd, "memory.swap.events", "fail"));
    }
  else
    {
      kv (g, "cache", rdk (fd, "memory.stat", "cache"));
      mem_entry (g, "usage", rd (fd, "memory.limit_in_bytes"), rd (fd, "memory.usage_in_bytes"),
                 rd (fd, "memory.max_usage_in_bytes"), rd (fd, "memory.failcnt"));
      mem_entry (g, "swap", rd (fd, "memory.memsw.limit_in_bytes"), rd (fd, "memory.memsw.usage_in_bytes"),
                 rd (fd, "memory.memsw.max_usage_in_bytes"), rd (fd, "memory.memsw.failcnt"));
      mem_entry (g, "kernel", rd (fd, "memory.kmem.limit_in_bytes"), rd (fd, "memory.kmem.usage_in_bytes"),
                 rd (fd, "memory.kmem.max_usage_in_bytes"), rd (fd, "memory.kmem.failcnt"));
    }
  raw_map (g, "raw", fd, "memory.stat");
  json_gen_map_close (g);
}

static void
pids_section (struct json_gen *g, int fd)
{
  uint64_t lim = rd (fd, "pids.max");
  key (g, "pids");
  json_gen_map_open (g);
  kv (g, "current", rd (fd, "pids.current"));
  kv (g, "limit", lim == UINT64_MAX ? 0 : lim);
  json_gen_map_close (g);
}

static void
blk_entry (struct json_gen *g, const char *majmin, const char *op, uint64_t v)
{
  unsigned maj = 0, min = 0;
  sscanf (majmin, "%u:%u", &maj, &min);
  json_gen_map_open (g);
  kv (g, "major", maj);
  kv (g, "minor", min);
  key (g, "op");
  json_gen_string (g, op);
  kv (g, "value", v);
  json_gen_map_close (g);
}

/* v1: "8:0 Read 123" lines. */
static void
blkio_v1_list (struct json_gen *g, const char *k, int fd, const char *file)
{
  _cleanup_free_ char *s = NULL;
  if (fd < 0 || cg_read (fd, file, &s) < 0)
    return;
  key (g, k);
  json_gen_array_open (g);
  for (char *line = s, *next; line && *line; line = next)
    {
      char dev[32], op[16];
      unsigned long long v;
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      if (sscanf (line, "%31s %15s %llu", dev, op, &v) == 3)
        blk_entry (g, dev, op, v);
    }
  json_gen_array_close (g);
}

/* v2: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 …" lines. */
static void
io_v2_list (struct json_gen *g, const char *k, int fd, const char *rkey, const char *wkey)
{
  _cleanup_free_ char *s = NULL;
  if (fd < 0 || cg_read (fd, "io.stat", &s) < 0)
    return;
  key (g, k);
  json_gen_array_open (g);
  for (char *line = s, *next; line && *line; line = next)
    {
      char *save = NULL, *dev;
      next = strchr (line, '\n');
      if (next)
        *next++ = '\0';
      dev = strtok_r (line, " ", &save);
      for (char *t = strtok_r (NULL, " ", &save); dev && t; t = strtok_r (NULL, " ", &save))
        {
          char *eq = strchr (t, '=');
          uint64_t v;
          if (!eq)
            continue;
          *eq = '\0';
          if (parse_u64 (eq + 1, 10, &v) < 0)
            continue;
          if (strcmp (t, rkey) == 0)
            blk_entry (g, dev, "Read", v);
          else if (strcmp (t, wkey) == 0)
            blk_entry (g, dev, "Write", v);
        }
    }
  json_gen_array_close (g);
}

static void
blkio_section (struct json_gen *g, int fd, bool v2)
{
  key (g, "blkio");
  json_gen_map_open (g);
  if (v2)
    {
      io_v2_list (g, "ioServiceBytesRecursive", fd, "rbytes", "wbytes");
      io_v2_list (g, "ioServicedRecursive", fd, "rios", "wios");
    }
  else
    {
      blkio_v1_list (g, "ioServiceBytesRecursive", fd, "blkio.throttle.io_service_bytes_recursive");
      blkio_v1_list (g, "ioServicedRecursive", fd, "blkio.throttle.io_serviced_recursive");
    }
  json_gen_map_close (g);
}

static void
hugetlb_section (struct json_gen *g, int fd, bool v2)
{
  _cleanup_closedir_ DIR *d = opendir ("/sys/kernel/mm/hugepages");
  struct dirent *de;
  key (g, "hugetlb");
  json_gen_map_open (g);
  while (fd >= 0 && d && (de = readdir (d)))
    {
      unsigned long long kb;
      char size[32], f1[96], f2[96], f3[96];
      if (sscanf (de->d_name, "hugepages-%llukB", &kb) != 1)
        continue;
      if (kb >= 1024ull * 1024)
        snprintf (size, sizeof size, "%lluGB", kb / (1024 * 1024));
      else if (kb >= 1024)
        snprintf (size, sizeof size, "%lluMB", kb / 1024);
      else
        snprintf (size, sizeof size, "%llukB", kb);
      snprintf (f1, sizeof f1, v2 ? "hugetlb.%s.current" : "hugetlb.%s.usage_in_bytes", size);
      snprintf (f2, sizeof f2, v2 ? "hugetlb.%s.max" : "hugetlb.%s.max_usage_in_bytes", size);
      snprintf (f3, sizeof f3, v2 ? "hugetlb.%s.events" : "hugetlb.%s.failcnt", size);
      if (!cg_exists (fd, f1))
        continue;
      key (g, size);
      json_gen_map_open (g);
      kv (g, "usage", rd (fd, f1));
      kv (g, "max", v2 ? 0 : rd (fd, f2));
      kv (g, "failcnt", v2 ? rdk (fd, f3, "max") : rd (fd, f3));
      json_gen_map_close (g);
    }
  json_gen_map_close (g);
}

char *
cg_stats_json_fds (int cpu_fd, int acct_fd, int mem_fd, int pids_fd, int blk_fd, int huge_fd, bool v2, bool huge_v2)
{
  _cleanup_ (json_gen_freep) struct json_gen *g = json_gen_new_indent (NULL);
  json_gen_map_open (g);
  cpu_section (g, cpu_fd, acct_fd, v2);
  memory_section (g, mem_fd, v2);
  pids_section (g, pids_fd);
  blkio_section (g, blk_fd, v2);
  hugetlb_section (g, huge_fd, huge_v2);
  json_gen_map_close (g);
  return json_gen_text (g);
}

static int
fd_of (struct hull_cgroup *cg, const char *ctrl)
{
  struct hull_error e = { 0 };
  struct cg_hier *h = cg_find (cg, ctrl);
  return h ? cg_hier_fd (h, &e) : -1;
}

int
cg1_stats_json (struct hull_cgroup *cg, char **ret, struct hull_error *err)
{
  struct hull_error e = { 0 };
  int huge = fd_of (cg, "hugetlb");
  bool huge_v2 = false;
  struct cg_hier *u;
  if (huge < 0 && (u = cg_unified (cg)) && cg_hier_fd (u, &e) >= 0)
    {
      huge = u->fd;
      huge_v2 = true;
    }
  *ret = cg_stats_json_fds (fd_of (cg, "cpu"), fd_of (cg, "cpuacct"), fd_of (cg, "memory"), fd_of (cg, "pids"),
                            fd_of (cg, "blkio"), huge, false, huge_v2);
  return 0;
}

int
cg2_stats_json (struct hull_cgroup *cg, char **ret, struct hull_error *err)
{
  struct cg_hier *u = cg_unified (cg);
  int fd = u ? cg_hier_fd (u, err) : -1;
  if (fd < 0)
    return u ? fd : hull_errx (err, ENOENT, "no cgroup2 hierarchy");
  *ret = cg_stats_json_fds (fd, -1, fd, fd, fd, fd, true, true);
  return 0;
}
