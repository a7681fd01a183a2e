/* SPDX-License-Identifier: Apache-2.0 */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "error.h"

/* The parsed `options` of one mount entry. */
struct mount_opts
{
  unsigned long flags;       /* MS_* to set */
  unsigned long clear;       /* MS_* explicitly cleared (rw, suid, …) */
  unsigned long propagation; /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE [| MS_REC], 0 = none */
  uint64_t rec_attr_set;     /* MOUNT_ATTR_* for the r* options (mount_setattr AT_RECURSIVE) */
  uint64_t rec_attr_clr;
  bool bind, rec;            /* bind / rbind */
  bool tmpcopyup, idmap, ridmap;
  char *data;                /* filesystem-specific options, comma-joined, NULL when none */
};

int mount_opts_parse (char *const *options, struct mount_opts *ret, struct hull_error *err);
void mount_opts_done (struct mount_opts *o);
/* Names of every option the table knows (for `hull features`), NULL-terminated. */
const char *const *mount_opts_known_names (void);
/* Whether the option is one of the recursive r* forms applied with mount_setattr(2). */
bool mount_opts_needs_setattr (const char *name);
