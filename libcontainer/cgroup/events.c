/* SPDX-License-Identifier: Apache-2.0 */
/* `events`: stats lines every interval and oom lines, in runc's JSON shape.  OOM detection polls the
 * kernel's counters (v2 memory.events oom_kill, v1 memory.oom_control oom_kill / under_oom) every
 * 100 ms, which also catches OOMs of processes that are gone by the next stats tick. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "../cleanup.h"
#include "../spec/json.h"
#include "../util.h"
#include "cgroup-internal.h"

int
cg_oom_count (struct hull_cgroup *cg, uint64_t *ret, bool *ret_under_oom)
{
  struct hull_error e = { 0 };
  struct cg_hier *h = cg->mode == HULL_CGROUP_V2 ? cg_unified (cg) : cg_find (cg, "memory");
  uint64_t under = 0;
  int fd;
  *ret_under_oom = false;
  if (cg->disabled || !h || (fd = cg_hier_fd (h, &e)) < 0)
    return -ENOENT;
  if (cg->mode == HULL_CGROUP_V2)
    return cg_read_key_u64 (fd, "memory.events", "oom_kill", ret);
  if (cg_read_key_u64 (fd, "memory.oom_control", "under_oom", &under) == 0)
    *ret_under_oom = under != 0;
  if (cg_read_key_u64 (fd, "memory.oom_control", "oom_kill", ret) < 0)
    *ret = 0;
  return 0;
}

static int
emit (int out_fd, const char *type, const char *id, const char *data, struct hull_error *err)
{
  _cleanup_ (json_gen_freep) struct json_gen *g = json_gen_new_indent (NULL);
  _cleanup_free_ char *head = NULL;
  int r;
  json_gen_map_open (g);
  json_gen_kv_string (g, "type", type);
  json_gen_kv_string (g, "id", id);
  /* the object so far, still open; data is already JSON text: splice it in rather than re-parse it */
  head = json_gen_text (g);
  _cleanup_free_ char *line = data ? xasprintf ("%s,\"data\":%s}\n", head, data) : xasprintf ("%s}\n", head);
  r = write_all (out_fd, line, strlen (line));
  if (r < 0)
    return hull_err (err, -r, "write event");
  return 0;
}

static uint64_t
now_ms (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000 + (uint64_t) ts.tv_nsec / 1000000;
}

int
cgroup_events_loop (struct hull_cgroup *cg, const char *id, bool stats_once, unsigned interval_ms, int out_fd,
                    bool (*still_running) (void *userdata), void *userdata, struct hull_error *err)
{
  uint64_t ooms = 0, next_stats = 0;
  bool under = false, was_under = false, have_oom;
  int r;
  if (stats_once)
    {
      _cleanup_free_ char *data = NULL;
      r = cgroup_stats_json (cg, &data, err);
      return r < 0 ? r : emit (out_fd, "stats", id, data, err);
    }
  if (interval_ms == 0)
    interval_ms = 5000;
  have_oom = cg_oom_count (cg, &ooms, &was_under) == 0;
  for (;;)
    {
      bool running = !still_running || still_running (userdata);
      uint64_t t = now_ms (), cnt = 0;
      if (have_oom && cg_oom_count (cg, &cnt, &under) == 0)
        {
          if (cnt > ooms || (under && !was_under))
            {
              r = emit (out_fd, "oom", id, NULL, err);
              if (r < 0)
                return r;
            }
          ooms = cnt > ooms ? cnt : ooms;
          was_under = under;
        }
      if (!running)
        return 0;
      if (t >= next_stats)
        {
          _cleanup_free_ char *data = NULL;
          r = cgroup_stats_json (cg, &data, err);
          if (r < 0)
            return r;
          r = emit (out_fd, "stats", id, data, err);
          if (r < 0)
            return r;
          next_stats = t + interval_ms;
        }
      cg_sleep_ms (100);
    }
}
