/* SPDX-License-Identifier: Apache-2.0 */
/* systemd-style cleanup attributes.  Ownership leaves a scope only through TAKE_PTR/TAKE_FD. */
#pragma once
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__ ((cleanup (f)))
#define ELEMENTSOF(a) (sizeof (a) / sizeof ((a)[0]))

#define DEFINE_CLEANUP_FUNC(type, func)                                                                      \
  static inline void func##p (type *p)                                                                       \
  {                                                                                                          \
    if (*p)                                                                                                  \
      func (*p);                                                                                             \
  }

static inline void
freep (void *p)
{
  free (*(void **) p);
}

static inline void
closep (int *fd)
{
  if (*fd >= 0)
    {
      int saved = errno;
      close (*fd);
      errno = saved;
    }
}

static inline void
fclosep (FILE **f)
{
  if (*f)
    fclose (*f);
}

static inline void
closedirp (DIR **d)
{
  if (*d)
    closedir (*d);
}

static inline void
strv_free (char **v)
{
  if (!v)
    return;
  for (char **i = v; *i; i++)
    free (*i);
  free (v);
}

static inline void
strv_freep (char ***v)
{
  strv_free (*v);
}

#define _cleanup_free_ _cleanup_ (freep)
#define _cleanup_close_ _cleanup_ (closep)
#define _cleanup_fclose_ _cleanup_ (fclosep)
#define _cleanup_closedir_ _cleanup_ (closedirp)
#define _cleanup_strv_ _cleanup_ (strv_freep)

#define TAKE_PTR(p)                                                                                          \
  ({                                                                                                         \
    __typeof__ (p) _tp = (p);                                                                                \
    (p) = NULL;                                                                                              \
    _tp;                                                                                                     \
  })
#define TAKE_FD(fd)                                                                                          \
  ({                                                                                                         \
    int _tf = (fd);                                                                                          \
    (fd) = -1;                                                                                               \
    _tf;                                                                                                     \
  })
