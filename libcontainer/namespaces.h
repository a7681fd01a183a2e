/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
#include <stdbool.h>
#include <sys/types.h>
#include "error.h"
#include "spec/spec.h"

/* CLONE_NEW* flag of an OCI namespace type. */
int ns_clone_flag (enum hull_ns_type type);
/* Name under /proc/<pid>/ns/. */
const char *ns_proc_name (enum hull_ns_type type);
/* setns into the namespace at path; the error names the type and path. */
int ns_join_path (enum hull_ns_type type, const char *path, struct hull_error *err);
/* Overlapping container or host ranges in linux.uidMappings/gidMappings (the kernel refuses them). */
int ns_check_id_mappings (const struct hull_linux *lx, struct hull_error *err);
/* The uid_map/gid_map text of a mapping list ("ctr host size\n" per range); caller frees. */
char *ns_format_id_map (const struct hull_id_mapping *m, size_t n);
/* Write /proc/<pid>/{uid,gid}_map (and setgroups "deny" when not privileged). */
int ns_write_id_maps (pid_t pid, const struct hull_linux *lx, bool privileged, struct hull_error *err);
/* Write /proc/self/timens_offsets (after unshare(CLONE_NEWTIME), before any child exists). */
int ns_write_time_offsets (const struct hull_linux *lx, struct hull_error *err);
