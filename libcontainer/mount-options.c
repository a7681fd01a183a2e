/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <linux/mount.h>
#include <string.h>
#include <sys/mount.h>
#include "cleanup.h"
#include "mount-options.h"
#include "util.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

enum kind
{
  K_FLAG,  /* set flag */
  K_CLEAR, /* clear flag */
  K_PROP,  /* propagation */
  K_RSET,  /* recursive attr set */
  K_RCLR,  /* recursive attr clear */
  K_BIND,
  K_RBIND,
  K_TMPCOPYUP,
  K_IDMAP,
  K_RIDMAP,
};

static const struct
{
  const char *name;
  enum kind kind;
  unsigned long value;
} table[] = {
  { "async", K_CLEAR, MS_SYNCHRONOUS },
  { "atime", K_CLEAR, MS_NOATIME },
  { "bind", K_BIND, 0 },
  { "defaults", K_FLAG, 0 },
  { "dev", K_CLEAR, MS_NODEV },
  { "diratime", K_CLEAR, MS_NODIRATIME },
  { "dirsync", K_FLAG, MS_DIRSYNC },
  { "exec", K_CLEAR, MS_NOEXEC },
  { "idmap", K_IDMAP, 0 },
  { "iversion", K_FLAG, MS_I_VERSION },
  { "lazytime", K_FLAG, MS_LAZYTIME },
  { "loud", K_CLEAR, MS_SILENT },
  { "mand", K_FLAG, MS_MANDLOCK },
  { "noatime", K_FLAG, MS_NOATIME },
  { "nodev", K_FLAG, MS_NODEV },
  { "nodiratime", K_FLAG, MS_NODIRATIME },
  { "noexec", K_FLAG, MS_NOEXEC },
  { "noiversion", K_CLEAR, MS_I_VERSION },
  { "nolazytime", K_CLEAR, MS_LAZYTIME },
  { "nomand", K_CLEAR, MS_MANDLOCK },
  { "norelatime", K_CLEAR, MS_RELATIME },
  { "nostrictatime", K_CLEAR, MS_STRICTATIME },
  { "nosuid", K_FLAG, MS_NOSUID },
  { "nosymfollow", K_FLAG, MS_NOSYMFOLLOW },
  { "private", K_PROP, MS_PRIVATE },
  { "ratime", K_RCLR, MOUNT_ATTR_NOATIME },
  { "rbind", K_RBIND, 0 },
  { "rdev", K_RCLR, MOUNT_ATTR_NODEV },
  { "rdiratime", K_RCLR, MOUNT_ATTR_NODIRATIME },
  { "relatime", K_FLAG, MS_RELATIME },
  { "remount", K_FLAG, MS_REMOUNT },
  { "rexec", K_RCLR, MOUNT_ATTR_NOEXEC },
  { "ridmap", K_RIDMAP, 0 },
  { "rnoatime", K_RSET, MOUNT_ATTR_NOATIME },
  { "rnodev", K_RSET, MOUNT_ATTR_NODEV },
  { "rnodiratime", K_RSET, MOUNT_ATTR_NODIRATIME },
  { "rnoexec", K_RSET, MOUNT_ATTR_NOEXEC },
  { "rnorelatime", K_RCLR, MOUNT_ATTR_RELATIME },
  { "rnostrictatime", K_RCLR, MOUNT_ATTR_STRICTATIME },
  { "rnosuid", K_RSET, MOUNT_ATTR_NOSUID },
  { "rnosymfollow", K_RSET, MOUNT_ATTR_NOSYMFOLLOW },
  { "ro", K_FLAG, MS_RDONLY },
  { "rprivate", K_PROP, MS_PRIVATE | MS_REC },
  { "rrelatime", K_RSET, MOUNT_ATTR_RELATIME },
  { "rro", K_RSET, MOUNT_ATTR_RDONLY },
  { "rrw", K_RCLR, MOUNT_ATTR_RDONLY },
  { "rshared", K_PROP, MS_SHARED | MS_REC },
  { "rslave", K_PROP, MS_SLAVE | MS_REC },
  { "rstrictatime", K_RSET, MOUNT_ATTR_STRICTATIME },
  { "rsuid", K_RCLR, MOUNT_ATTR_NOSUID },
  { "rsymfollow", K_RCLR, MOUNT_ATTR_NOSYMFOLLOW },
  { "runbindable", K_PROP, MS_UNBINDABLE | MS_REC },
  { "rw", K_CLEAR, MS_RDONLY },
  { "shared", K_PROP, MS_SHARED },
  { "silent", K_FLAG, MS_SILENT },
  { "slave", K_PROP, MS_SLAVE },
  { "strictatime", K_FLAG, MS_STRICTATIME },
  { "suid", K_CLEAR, MS_NOSUID },
  { "symfollow", K_CLEAR, MS_NOSYMFOLLOW },
  { "sync", K_FLAG, MS_SYNCHRONOUS },
  { "tmpcopyup", K_TMPCOPYUP, 0 },
  { "unbindable", K_PROP, MS_UNBINDABLE },
};

static int
lookup (const char *name)
{
  size_t lo = 0, hi = ELEMENTSOF (table);
  while (lo < hi)
    {
      size_t mid = (lo + hi) / 2;
      int c = strcmp (name, table[mid].name);
      if (c == 0)
        return (int) mid;
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return -1;
}

int
mount_opts_parse (char *const *options, struct mount_opts *o, struct hull_error *err)
{
  size_t datalen = 0;
  memset (o, 0, sizeof *o);
  for (size_t i = 0; options && options[i]; i++)
    {
      const char *name = options[i];
      int k = lookup (name);
      if (k < 0)
        {
          /* anything else is filesystem data (mode=755, size=64k, …) */
          size_t l = strlen (name);
          o->data = xrealloc (o->data, datalen + l + 2);
          if (datalen)
            o->data[datalen++] = ',';
          memcpy (o->data + datalen, name, l + 1);
          datalen += l;
          continue;
        }
      switch (table[k].kind)
        {
        case K_FLAG:
          o->flags |= table[k].value;
          o->clear &= ~table[k].value;
          break;
        case K_CLEAR:
          o->flags &= ~table[k].value;
          o->clear |= table[k].value;
          break;
        case K_PROP:
          o->propagation = table[k].value;
          break;
        case K_RSET:
          o->rec_attr_set |= table[k].value;
          o->rec_attr_clr &= ~(uint64_t) table[k].value;
          if (table[k].value & (MOUNT_ATTR_NOATIME | MOUNT_ATTR_STRICTATIME | MOUNT_ATTR_RELATIME))
            o->rec_attr_clr |= MOUNT_ATTR__ATIME;
          break;
        case K_RCLR:
          /* the access-time setting is one field: clearing any of it clears the whole field
           * (back to relatime), the kernel refuses part of it in attr_clr */
          if (table[k].value & MOUNT_ATTR__ATIME)
            o->rec_attr_clr |= MOUNT_ATTR__ATIME;
          else
            o->rec_attr_clr |= table[k].value;
          o->rec_attr_set &= ~(uint64_t) table[k].value;
          break;
        case K_BIND:
          o->bind = true;
          break;
        case K_RBIND:
          o->bind = o->rec = true;
          break;
        case K_TMPCOPYUP:
          o->tmpcopyup = true;
          break;
        case K_IDMAP:
          o->idmap = true;
          break;
        case K_RIDMAP:
          o->idmap = o->ridmap = true;
          break;
        }
    }
  (void) err;
  return 0;
}

void
mount_opts_done (struct mount_opts *o)
{
  free (o->data);
  o->data = NULL;
}

const char *const *
mount_opts_known_names (void)
{
  static const char *names[ELEMENTSOF (table) + 1];
  if (!names[0])
    for (size_t i = 0; i < ELEMENTSOF (table); i++)
      names[i] = table[i].name;
  return names;
}

bool
mount_opts_needs_setattr (const char *name)
{
  int k = lookup (name);
  return k >= 0 && (table[k].kind == K_RSET || table[k].kind == K_RCLR);
}
