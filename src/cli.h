/* SPDX-License-Identifier: Apache-2.0 */
/* The hull command line: global options, the per-command option tables and parser, and the helpers every
 * command shares (argument counts, container ids, --format).  Commands parse into the option structs of
 * hull.h and make one library call; main.c prints the final error once. */
#pragma once
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "hull.h"
#include "log.h"

struct hull_global_opts
{
  struct hull_context ctx;
  const char *log_path;               /* --log, NULL = stderr */
  enum hull_log_format log_format;    /* --log-format */
  const char *cgroup_manager;         /* crun's --cgroup-manager, tolerated */
};

/* Every command handler: returns the exit status (>= 0), or -errno with the message in *err. */
typedef int (*hull_command_fn) (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err);

struct hull_command
{
  const char *name;
  hull_command_fn fn;
  const char *summary;
};

#define HULL_COMMANDS(X)                                                                                     \
  X (create)                                                                                                 \
  X (start)                                                                                                  \
  X (run)                                                                                                    \
  X (exec)                                                                                                   \
  X (kill)                                                                                                   \
  X (delete)                                                                                                 \
  X (state)                                                                                                  \
  X (list)                                                                                                   \
  X (ps)                                                                                                     \
  X (pause)                                                                                                  \
  X (resume)                                                                                                 \
  X (update)                                                                                                 \
  X (events)                                                                                                 \
  X (spec)                                                                                                   \
  X (features)                                                                                               \
  X (help)

#define DECLARE_CMD(n) int cmd_##n (const struct hull_global_opts *g, int argc, char **argv, struct hull_error *err);
HULL_COMMANDS (DECLARE_CMD)
#undef DECLARE_CMD

/* The command table lives in main.c; `help` walks it. */
extern const struct hull_command hull_commands[];
extern const unsigned hull_n_commands;
const struct hull_command *hull_command_find (const char *name);
/* Print the global usage (hull --help / hull help). */
void hull_print_usage (void);

/* Exit status used when a command fails; `exec` raises it to 255 once the container is involved, as runc. */
extern int cli_error_status;

/* ---- per-command option parsing ---- */

enum cli_arg
{
  CLI_FLAG,  /* boolean: --x, or --x=true|false */
  CLI_VALUE, /* --x V, --x=V, -x V, -xV */
};

struct cli_option
{
  const char *name; /* long name, without dashes */
  int short_name;   /* 0 when there is none */
  enum cli_arg arg;
  int id; /* returned by cli_next; use the short letter or a value >= 256 */
  const char *metavar;
  const char *help;
  bool hidden; /* accepted, not listed by --help */
};

struct cli_command_info
{
  const char *name;
  const char *summary;
  const char *args_usage;   /* "<container-id> [signal]" */
  const char *description;  /* free text, may be NULL */
  const struct cli_option *options; /* terminated by { NULL } */
  bool stop_at_operand;     /* exec, ps: options after the first operand belong to the command run */
};

#define CLI_MAX_OPTIONS 48

struct cli_parser
{
  const struct cli_command_info *info;
  int argc;
  char **argv;
  struct option longopts[2 * CLI_MAX_OPTIONS + 2];
  char shortopts[3 * CLI_MAX_OPTIONS + 4];
  bool flag; /* value of the last CLI_FLAG option */
  int optind; /* first operand once cli_next returned 0 */
};

/* argv[0] is the command name.  Resets getopt (optind = 0) and accepts Go-style single-dash long options. */
void cli_parser_init (struct cli_parser *p, const struct cli_command_info *info, int argc, char **argv);
/* > 0: an option id (its value in *ret_arg, or p->flag for flags); 'h' for -h/--help; 0: no more options
 * (operands start at p->optind); < 0: a usage error in *err. */
int cli_next (struct cli_parser *p, const char **ret_arg, struct hull_error *err);
/* Print the command's help (NAME, USAGE, DESCRIPTION, OPTIONS) to stdout; returns 0. */
int cli_help (const struct cli_command_info *info);

/* The operand count must be within [min, max] (max -1: unbounded), with runc's messages. */
int cli_check_args (const struct cli_command_info *info, int n, int min, int max, struct hull_error *err);
/* A container id operand. */
int cli_id (const char *id, struct hull_error *err);

enum cli_format
{
  CLI_FORMAT_TABLE,
  CLI_FORMAT_JSON,
};
int cli_parse_format (const char *s, enum cli_format *ret, struct hull_error *err);
/* Go's strconv.ParseBool values. */
int cli_parse_bool (const char *opt, const char *s, bool *ret, struct hull_error *err);
/* A non-negative int option value (--preserve-fds). */
int cli_parse_uint (const char *opt, const char *s, int *ret, struct hull_error *err);
/* Go duration syntax ("5s", "500ms", "1m30s", "1.5h") in nanoseconds. */
int cli_parse_duration (const char *opt, const char *s, uint64_t *ret_ns, struct hull_error *err);
/* A size as runc (go-units RAMInBytes): "1024", "512k", "1.5g", "100MiB"; binary multiples. */
int cli_parse_size (const char *opt, const char *s, int64_t *ret, struct hull_error *err);

/* ---- options shared by create and run ---- */
enum
{
  OPT_CONSOLE_SOCKET = 256,
  OPT_PID_FILE,
  OPT_PIDFD_SOCKET,
  OPT_NO_PIVOT,
  OPT_NO_NEW_KEYRING,
  OPT_PRESERVE_FDS,
  OPT_KEEP,
  OPT_NO_SUBREAPER,
  OPT_PRIVATE = 300, /* first id a command may use for its own options */
};

#define CLI_CREATE_OPTIONS                                                                                   \
  { "bundle", 'b', CLI_VALUE, 'b', "DIR", "path to the bundle directory holding config.json (default: the current directory)" }, \
  { "console-socket", 0, CLI_VALUE, OPT_CONSOLE_SOCKET, "PATH",                                              \
    "AF_UNIX socket that receives the master fd of the container's pty (needs process.terminal)" },         \
  { "pid-file", 0, CLI_VALUE, OPT_PID_FILE, "FILE", "write the pid of the container's init process to FILE" }, \
  { "pidfd-socket", 0, CLI_VALUE, OPT_PIDFD_SOCKET, "PATH",                                                  \
    "AF_UNIX socket that receives a pidfd of the container's init process" },                                \
  { "no-pivot", 0, CLI_FLAG, OPT_NO_PIVOT, NULL,                                                              \
    "enter the root filesystem with chroot instead of pivot_root (for a rootfs on a ramdisk)" },             \
  { "no-new-keyring", 0, CLI_FLAG, OPT_NO_NEW_KEYRING, NULL,                                                  \
    "do not create a session keyring; the container shares the caller's" },                                 \
  { "preserve-fds", 0, CLI_VALUE, OPT_PRESERVE_FDS, "N",                                                      \
    "pass N more fds (from 3, after any LISTEN_FDS) to the container (default: 0)" }

/* Applies one of CLI_CREATE_OPTIONS; returns 1 when c was one of them, 0 when not, < 0 on a bad value. */
int cli_create_option (struct cli_parser *p, int c, const char *arg, struct hull_create_opts *o,
                       struct hull_error *err);
