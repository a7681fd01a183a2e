/* SPDX-License-Identifier: Apache-2.0 */
/* The internal model of config.json (runtime-spec v1.3.0, Linux subset) in plain C types.
 *
 * Conventions:
 *  - strings are heap-owned, NULL when absent; string vectors are NULL-terminated, NULL when absent;
 *  - arrays of structs are (pointer, count) pairs;
 *  - where the spec distinguishes "unset" from zero, a `has_<field>` bool says whether it was given;
 *    otherwise 64-bit limits use HULL_UNSET (UINT64_MAX) / HULL_UNSET_I64 (INT64_MIN) as "unset".
 * Everything is filled by spec_parse_*() (spec-parse*.c), checked by spec_validate(), freed by
 * spec_free().  The child process never sees JSON. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "../error.h"

#define HULL_UNSET UINT64_MAX
#define HULL_UNSET_I64 INT64_MIN
#define HULL_SPEC_MAX_SIZE (16u << 20) /* config.json larger than this is refused */

struct hull_rlimit
{
  char *type; /* "RLIMIT_NOFILE" as written */
  int resource; /* RLIMIT_* value, resolved by the parser; unknown names are a parse error */
  uint64_t soft, hard;
};

struct hull_id_mapping
{
  uint32_t container_id, host_id, size;
};

struct hull_capabilities
{
  bool has_bounding, has_effective, has_inheritable, has_permitted, has_ambient;
  char **bounding, **effective, **inheritable, **permitted, **ambient; /* "CAP_…" names */
};

enum hull_sched_policy
{
  HULL_SCHED_OTHER,
  HULL_SCHED_FIFO,
  HULL_SCHED_RR,
  HULL_SCHED_BATCH,
  HULL_SCHED_ISO,
  HULL_SCHED_IDLE,
  HULL_SCHED_DEADLINE,
};

struct hull_scheduler
{
  int policy;         /* SCHED_* value (linux numbers) */
  int32_t nice;
  int32_t priority;
  uint64_t flags;     /* SCHED_FLAG_* bits from the "flags" names */
  uint64_t runtime, deadline, period;
};

struct hull_io_priority
{
  int class; /* IOPRIO_CLASS_RT=1, BE=2, IDLE=3 */
  int priority;
};

struct hull_process
{
  bool terminal;
  bool has_console_size;
  uint32_t console_height, console_width;
  uint32_t uid, gid;
  bool has_umask;
  uint32_t umask;
  uint32_t *additional_gids;
  size_t n_additional_gids;
  char *username; /* ignored on linux, kept */
  char **args;    /* mandatory, non-empty for a container's process */
  char *command_line; /* windows only, kept */
  char **env;
  char *cwd; /* mandatory, absolute */
  struct hull_capabilities *capabilities; /* NULL when absent */
  struct hull_rlimit *rlimits;
  size_t n_rlimits;
  bool no_new_privileges;
  char *apparmor_profile;
  bool has_oom_score_adj;
  int oom_score_adj;
  char *selinux_label;
  struct hull_scheduler *scheduler;     /* NULL when absent */
  struct hull_io_priority *io_priority; /* NULL when absent */
  char *exec_cpu_affinity_initial;      /* cpu list strings, "0-3,7" */
  char *exec_cpu_affinity_final;
};

struct hull_mount
{
  char *destination; /* mandatory; relative allowed (spec 1.2) */
  char *type;
  char *source;
  char **options;
  struct hull_id_mapping *uid_mappings, *gid_mappings;
  size_t n_uid_mappings, n_gid_mappings;
  bool has_uid_mappings, has_gid_mappings;
};

struct hull_hook
{
  char *path; /* mandatory, absolute */
  char **args;
  char **env;
  bool has_timeout;
  int timeout; /* seconds, > 0 */
};

struct hull_hooks_list
{
  struct hull_hook *hooks;
  size_t n;
};

enum hull_hook_kind
{
  HULL_HOOK_PRESTART,
  HULL_HOOK_CREATE_RUNTIME,
  HULL_HOOK_CREATE_CONTAINER,
  HULL_HOOK_START_CONTAINER,
  HULL_HOOK_POSTSTART,
  HULL_HOOK_POSTSTOP,
  _HULL_HOOK_MAX,
};

enum hull_ns_type
{
  HULL_NS_PID,
  HULL_NS_NETWORK,
  HULL_NS_MOUNT,
  HULL_NS_IPC,
  HULL_NS_UTS,
  HULL_NS_USER,
  HULL_NS_CGROUP,
  HULL_NS_TIME,
  _HULL_NS_MAX,
};

struct hull_namespace
{
  enum hull_ns_type type;
  char *path; /* NULL: create a new one */
};

struct hull_device
{
  char type; /* 'c', 'b', 'u', 'p' */
  char *path;
  int64_t major, minor;
  bool has_file_mode;
  uint32_t file_mode;
  bool has_uid, has_gid;
  uint32_t uid, gid;
};

/* linux.resources.devices[] */
struct hull_device_cgroup
{
  bool allow;
  char type;        /* 'a', 'c', 'b'; 'a' when absent */
  int64_t major;    /* -1 = wildcard */
  int64_t minor;    /* -1 = wildcard */
  char *access;     /* "rwm" subset, NULL = "rwm" */
};

struct hull_weight_device
{
  int64_t major, minor;
  bool has_weight, has_leaf_weight;
  uint16_t weight, leaf_weight;
};

struct hull_throttle_device
{
  int64_t major, minor;
  uint64_t rate;
};

struct hull_hugepage_limit
{
  char *page_size; /* "2MB" */
  uint64_t limit;
};

struct hull_net_priority
{
  char *name;
  uint32_t priority;
};

struct hull_rdma_limit
{
  char *device;
  bool has_hca_handles, has_hca_objects;
  uint32_t hca_handles, hca_objects;
};

struct hull_kv
{
  char *key, *value;
};

struct hull_resources
{
  struct hull_device_cgroup *devices;
  size_t n_devices;

  bool has_memory;
  struct
  {
    int64_t limit, reservation, swap, kernel, kernel_tcp; /* HULL_UNSET_I64 when absent; -1 = unlimited */
    uint64_t swappiness;                                  /* HULL_UNSET when absent */
    bool has_disable_oom_killer, disable_oom_killer;
    bool has_use_hierarchy, use_hierarchy;
    bool has_check_before_update, check_before_update;
  } memory;

  bool has_cpu;
  struct
  {
    uint64_t shares;             /* HULL_UNSET */
    int64_t quota;               /* HULL_UNSET_I64; -1 = max */
    uint64_t burst;              /* HULL_UNSET */
    uint64_t period;             /* HULL_UNSET */
    int64_t realtime_runtime;    /* HULL_UNSET_I64 */
    uint64_t realtime_period;    /* HULL_UNSET */
    char *cpus, *mems;
    bool has_idle;
    int64_t idle;
  } cpu;

  bool has_pids;
  int64_t pids_limit; /* HULL_UNSET_I64 when absent; 0 is a real limit (spec 1.3); -1 = max */

  bool has_block_io;
  struct
  {
    bool has_weight, has_leaf_weight;
    uint16_t weight, leaf_weight;
    struct hull_weight_device *weight_device;
    size_t n_weight_device;
    struct hull_throttle_device *throttle_read_bps, *throttle_write_bps, *throttle_read_iops,
        *throttle_write_iops;
    size_t n_throttle_read_bps, n_throttle_write_bps, n_throttle_read_iops, n_throttle_write_iops;
  } block_io;

  struct hull_hugepage_limit *hugepage_limits;
  size_t n_hugepage_limits;

  bool has_network;
  struct
  {
    bool has_class_id;
    uint32_t class_id;
    struct hull_net_priority *priorities;
    size_t n_priorities;
  } network;

  struct hull_rdma_limit *rdma;
  size_t n_rdma;

  struct hull_kv *unified; /* linux.resources.unified, in config order */
  size_t n_unified;
};

enum hull_seccomp_action
{
  HULL_SECCOMP_KILL,
  HULL_SECCOMP_KILL_PROCESS,
  HULL_SECCOMP_KILL_THREAD,
  HULL_SECCOMP_TRAP,
  HULL_SECCOMP_ERRNO,
  HULL_SECCOMP_TRACE,
  HULL_SECCOMP_ALLOW,
  HULL_SECCOMP_LOG,
  HULL_SECCOMP_NOTIFY,
};

enum hull_seccomp_op
{
  HULL_SECCOMP_OP_NE,
  HULL_SECCOMP_OP_LT,
  HULL_SECCOMP_OP_LE,
  HULL_SECCOMP_OP_EQ,
  HULL_SECCOMP_OP_GE,
  HULL_SECCOMP_OP_GT,
  HULL_SECCOMP_OP_MASKED_EQ,
};

struct hull_seccomp_arg
{
  uint32_t index;
  uint64_t value, value_two;
  enum hull_seccomp_op op;
};

struct hull_seccomp_syscall
{
  char **names;
  enum hull_seccomp_action action;
  bool has_errno_ret;
  uint32_t errno_ret;
  struct hull_seccomp_arg *args;
  size_t n_args;
};

struct hull_seccomp
{
  enum hull_seccomp_action default_action;
  bool has_default_errno_ret;
  uint32_t default_errno_ret;
  char **architectures; /* "SCMP_ARCH_X86_64" … as written */
  char **flags;         /* "SECCOMP_FILTER_FLAG_…" as written */
  char *listener_path;
  char *listener_metadata;
  struct hull_seccomp_syscall *syscalls;
  size_t n_syscalls;
};

struct hull_time_offset
{
  bool set;
  int64_t secs;
  uint32_t nanosecs;
};

struct hull_net_device
{
  char *host_name; /* the key of linux.netDevices */
  char *name;      /* new name in the container, NULL = keep */
};

struct hull_intel_rdt
{
  char *clos_id, *l3_cache_schema, *mem_bw_schema, **schemata;
  bool enable_monitoring;
};

struct hull_memory_policy
{
  char *mode; /* "MPOL_…" as written */
  int mode_value;
  char *nodes;
  char **flags;
  unsigned flags_value;
};

struct hull_personality
{
  char *domain; /* "LINUX" or "LINUX32" */
  unsigned long domain_value;
  char **flags;
};

struct hull_linux
{
  struct hull_namespace *namespaces;
  size_t n_namespaces;
  struct hull_id_mapping *uid_mappings, *gid_mappings;
  size_t n_uid_mappings, n_gid_mappings;
  struct hull_time_offset time_offset_monotonic, time_offset_boottime;
  struct hull_device *devices;
  size_t n_devices;
  struct hull_net_device *net_devices;
  size_t n_net_devices;
  char *cgroups_path;
  struct hull_resources *resources; /* NULL when absent */
  char *rootfs_propagation;         /* "private", "shared", "slave", "unbindable", or NULL */
  struct hull_seccomp *seccomp;     /* NULL when absent */
  struct hull_kv *sysctl;
  size_t n_sysctl;
  char **masked_paths;
  char **readonly_paths;
  char *mount_label;
  struct hull_intel_rdt *intel_rdt;
  struct hull_personality *personality;
  struct hull_memory_policy *memory_policy;
};

struct hull_spec
{
  char *oci_version; /* mandatory */
  char *root_path;   /* root.path; mandatory on linux */
  bool root_readonly;
  struct hull_process *process; /* NULL when absent (then create refuses) */
  char *hostname;
  char *domainname;
  struct hull_mount *mounts;
  size_t n_mounts;
  struct hull_hooks_list hooks[_HULL_HOOK_MAX];
  struct hull_kv *annotations;
  size_t n_annotations;
  struct hull_linux *linux_; /* NULL when absent */
};

/* --- parsing (spec-parse*.c) --- */

/* Read and parse a config file: size cap, JSON syntax errors ("config.json: …"), types and ranges.
 * The error names the JSON path: "config.json: process.args: expected array of strings, got string". */
int spec_load_file (const char *path, struct hull_spec **ret, struct hull_error *err);
/* Parse a NUL-terminated buffer; `name` prefixes messages ("config.json"). */
int spec_parse_buffer (const char *buf, const char *name, struct hull_spec **ret, struct hull_error *err);
/* A process object alone (exec --process FILE). */
int spec_load_process_file (const char *path, struct hull_process **ret, struct hull_error *err);
int spec_parse_process_buffer (const char *buf, const char *name, struct hull_process **ret,
                               struct hull_error *err);
/* A linux.resources object alone (update --resources FILE|-). */
int spec_parse_resources_buffer (const char *buf, const char *name, struct hull_resources **ret,
                                 struct hull_error *err);

/* --- validation (spec-validate.c): cross-field checks, run before anything is created --- */
struct hull_validate_opts
{
  bool rootless; /* the caller is not root (or --rootless true) */
};
int spec_validate (const struct hull_spec *spec, const struct hull_validate_opts *opts, struct hull_error *err);
/* Checks for a process used by exec.  `prefix` starts every message and names the object:
 * "process.json" → "process.json: args: must be a non-empty array" (": " is added unless prefix ends
 * in '.', ':' or ' '), "config.json: process." → "config.json: process.args: …"; NULL = "". */
int spec_validate_process (const struct hull_process *p, const char *prefix, struct hull_error *err);

/* --- lookups --- */
const struct hull_namespace *spec_find_namespace (const struct hull_spec *spec, enum hull_ns_type type);
const char *spec_find_annotation (const struct hull_spec *spec, const char *key);
/* Value of KEY in an env vector ("KEY=VALUE"), or NULL. */
const char *spec_env_get (char *const *env, const char *key);

/* --- names --- */
const char *spec_ns_type_name (enum hull_ns_type type); /* "pid", "network", … */
int spec_ns_type_from_name (const char *name);           /* -1 if unknown */
int spec_rlimit_from_name (const char *name);            /* -1 if unknown */
const char *spec_hook_kind_name (enum hull_hook_kind kind); /* "prestart", "createRuntime", … */

/* --- default config (spec-default.c), for `hull spec` --- */
/* The JSON text of runc's default config (or its rootless variant); caller frees. */
char *spec_default_json (bool rootless);

/* --- destruction (spec-free.c) --- */
void spec_free (struct hull_spec *spec);
void spec_process_free (struct hull_process *p);
void spec_resources_free (struct hull_resources *r);
static inline void
spec_freep (struct hull_spec **p)
{
  spec_free (*p);
}
static inline void
spec_process_freep (struct hull_process **p)
{
  spec_process_free (*p);
}
static inline void
spec_resources_freep (struct hull_resources **p)
{
  spec_resources_free (*p);
}
