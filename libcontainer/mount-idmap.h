/* SPDX-License-Identifier: Apache-2.0 */
/* Id-mapped mounts (mounts[].uidMappings/gidMappings, options idmap/ridmap).
 *
 * The kernel only lets a process that is privileged over the filesystem's user namespace (the host's)
 * set MOUNT_ATTR_IDMAP, and only on a detached tree.  The container's init lives in its new user
 * namespace and cannot, so the parent prepares the trees:
 *
 *   parent (after clone and the id maps, before SYNC_GO)      init (before rootfs_setup)
 *   mount_idmap_prepare(): for every mount that wants it:
 *     open_tree(source, OPEN_TREE_CLONE [| AT_RECURSIVE])
 *     mount_setattr(MOUNT_ATTR_IDMAP [, AT_RECURSIVE]) with a
 *     user namespace made for the mount's mappings (or the
 *     init's own, /proc/<pid>/ns/user, when it has none)
 *   one SYNC_MOUNT_FD per such mount, in config order ────▶  collected into mount_fds[index]
 *                                                            rootfs_mount_entry: move_mount onto
 *                                                            the destination, then flags/propagation
 */
#pragma once
#include <stdbool.h>
#include <sys/types.h>
#include "error.h"
#include "spec/spec.h"

/* Whether mounts[i] is an id-mapped mount (mappings given, or the idmap/ridmap option). */
bool mount_idmap_wanted (const struct hull_mount *m);
/* Parent side: *ret_fds gets spec->n_mounts entries, the detached id-mapped tree for each mount that
 * wants one and -1 for the others (NULL when no mount wants one).  init_pid: the container's init,
 * whose user namespace supplies the mapping of mounts without their own. */
int mount_idmap_prepare (const struct hull_spec *spec, const char *bundle, pid_t init_pid, int **ret_fds,
                         struct hull_error *err);
/* Close and free what mount_idmap_prepare returned (NULL is fine). */
void mount_idmap_free (int *fds, size_t n);
/* Whether this kernel can make id-mapped mounts (for `hull features`): a real probe when run as root,
 * otherwise whether mount_setattr and open_tree exist. */
bool mount_idmap_supported (void);
