/* SPDX-License-Identifier: Apache-2.0 */
/* Protection of the runtime binary against CVE-2019-5736: a process inside the container must never
 * be able to open hull's executable for writing through /proc/<pid>/exe of a hull process that
 * entered the container (init before its execve, the exec child, or hull itself exec'd back through
 * a "#!/proc/self/exe" entrypoint).
 *
 * /proc/<pid>/exe opens the very file (and mount) hull was executed from.  So:
 *   - when that mount is already read-only (hull installed on a read-only bind mount, or already
 *     re-executed by this function), nothing is done: one fstatfs;
 *   - otherwise hull re-executes itself once, through a detached read-only clone of its own binary
 *     (open_tree(OPEN_TREE_CLONE) + mount_setattr(MOUNT_ATTR_RDONLY) + execveat), so the exe link
 *     names a file on a read-only mount that exists nowhere in any mount namespace;
 *   - without the new mount API or without the privilege for it (rootless), through a sealed memfd
 *     copy (F_SEAL_SEAL|SHRINK|GROW|WRITE).
 * The environment variable HULL_EXE_SEALED=1 stops a second attempt if the checks cannot see the
 * result (it is never trusted as proof: the read-only check runs first). */
#pragma once
#include "error.h"

/* Returns 0 when the running binary is protected; re-executes (does not return) otherwise. */
int exe_seal_ensure (char **argv, struct hull_error *err);
/* Whether /proc/self/exe is on a read-only mount or is a sealed memfd. */
int exe_seal_is_protected (void);
