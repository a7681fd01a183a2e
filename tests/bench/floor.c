/* floor: the least a container runtime must do to run one command.
 *
 * Part of the on-demand benchmark (tests/bench/run.sh); not part of hull and
 * not part of the test suite.  It is the "floor" every runtime is compared
 * against: no config parsing, no state, no capabilities, no seccomp.
 *
 *   floor [--cgroup NAME] [--memory BYTES] [--pid-file F] ROOTFS CMD [ARG...]
 *       clone into new mount/pid/ipc/uts/net namespaces, make every mount
 *       private, bind ROOTFS onto itself, pivot_root into it, mount /proc,
 *       execve CMD; the parent waits and exits with the child's status.
 *       --cgroup NAME also creates NAME below the caller's own cgroup in every
 *       mounted hierarchy (each cgroup v1 hierarchy, or the v2 tree), puts the
 *       child into it before it execs, and removes it after the child exits.
 *       --memory BYTES (needs --cgroup) sets memory.limit_in_bytes (v1) or
 *       memory.max (v2) on it first.
 *
 *   floor --exec PID CMD [ARG...]
 *       the floor of `exec`: join the cgroups of PID, setns into its
 *       ipc/uts/net/pid/mnt namespaces, fork, execve CMD, wait.
 *
 * Build: cc -O2 -o floor floor.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_HIER 32

static void die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	exit(125);
}

struct hier {
	char dir[4096];   /* the cgroup directory we created or join */
	int procs_fd;     /* its cgroup.procs, opened before the namespaces change */
};

static struct hier hiers[MAX_HIER];
static int n_hiers;

/* Does the comma-separated list `opts` contain `word`? */
static int has_opt(const char *opts, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = opts; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && !strncmp(p, word, n))
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* Path of process `pid`'s cgroup in the hierarchy whose controllers
 * (as listed in /proc/PID/cgroup, e.g. "cpu", "name=systemd", "" for v2)
 * are all present in the mount's super options `super` (or v2 when is_v2). */
static int cgroup_of(const char *pid, const char *super, int is_v2, char *out, size_t outsz)
{
	char path[64], line[4096];
	snprintf(path, sizeof path, "/proc/%s/cgroup", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		die(path);
	int found = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c1 = 0;
		*c2 = 0;
		const char *ctls = c1 + 1, *cg = c2 + 1;
		int match;
		if (is_v2) {
			match = !strcmp(line, "0") && *ctls == 0;
		} else {
			match = *ctls != 0;
			char buf[256];
			snprintf(buf, sizeof buf, "%s", ctls);
			for (char *sv, *t = strtok_r(buf, ",", &sv); t && match; t = strtok_r(NULL, ",", &sv))
				match = has_opt(super, t);
		}
		if (match) {
			snprintf(out, outsz, "%s", cg);
			found = 1;
			break;
		}
	}
	fclose(f);
	return found;
}

static void write_file(const char *dir, const char *name, const char *val)
{
	char p[4200];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die(p);
	if (write(fd, val, strlen(val)) < 0)
		die(p);
	close(fd);
}

/* A fresh cpuset cgroup has no cpus or mems and cannot take tasks: copy the
 * parent's, as every runtime does. */
static void cpuset_fill(const char *dir)
{
	static const char *names[] = { "cpuset.cpus", "cpuset.mems" };
	for (int i = 0; i < 2; i++) {
		char p[4200], buf[1024];
		snprintf(p, sizeof p, "%s/../%s", dir, names[i]);
		int fd = open(p, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(p);
		ssize_t n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n <= 0)
			die(p);
		buf[n] = 0;
		write_file(dir, names[i], buf);
	}
}

/* Find every cgroup mount; for each, the cgroup dir of `pid` there, with
 * `name` appended if given (then created). Opens each cgroup.procs. */
static void cgroups_setup(const char *pid, const char *name, const char *memory)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		die("/proc/self/mountinfo");
	char line[8192];
	while (fgets(line, sizeof line, f) && n_hiers < MAX_HIER) {
		/* id parent maj:min root mountpoint opts [optional...] - fstype source super */
		char *fields[8] = { 0 };
		char *sv, *t = strtok_r(line, " \n", &sv);
		int i = 0;
		for (; t && i < 5; t = strtok_r(NULL, " \n", &sv))
			fields[i++] = t;
		while (t && strcmp(t, "-"))
			t = strtok_r(NULL, " \n", &sv);
		if (!t)
			continue;
		char *fstype = strtok_r(NULL, " \n", &sv);
		strtok_r(NULL, " \n", &sv);
		char *super = strtok_r(NULL, " \n", &sv);
		if (!fstype || !super || i < 5)
			continue;
		int is_v2 = !strcmp(fstype, "cgroup2");
		if (!is_v2 && strcmp(fstype, "cgroup"))
			continue;
		char cg[4096];
		if (!cgroup_of(pid, super, is_v2, cg, sizeof cg))
			continue;
		/* The mount may show only a subtree (root field): strip it. */
		const char *root = fields[3], *rel = cg;
		size_t rl = strlen(root);
		if (strcmp(root, "/") && !strncmp(cg, root, rl))
			rel = cg + rl;
		struct hier *h = &hiers[n_hiers];
		snprintf(h->dir, sizeof h->dir, "%s%s%.3000s", fields[4], *rel == '/' ? "" : "/", rel);
		if (name) {
			size_t l = strlen(h->dir);
			snprintf(h->dir + l, sizeof h->dir - l, "%s%s", h->dir[l - 1] == '/' ? "" : "/", name);
			if (mkdir(h->dir, 0755) < 0 && errno != EEXIST)
				die(h->dir);
			if (has_opt(super, "cpuset"))
				cpuset_fill(h->dir);
			if (memory && (is_v2 || has_opt(super, "memory")))
				write_file(h->dir, is_v2 ? "memory.max" : "memory.limit_in_bytes", memory);
		}
		char p[4200];
		snprintf(p, sizeof p, "%s/cgroup.procs", h->dir);
		h->procs_fd = open(p, O_WRONLY | O_CLOEXEC);
		if (h->procs_fd < 0)
			die(p);
		n_hiers++;
	}
	fclose(f);
}

/* In the child: move ourselves into every cgroup ("0" means the writer). */
static void cgroups_join(void)
{
	for (int i = 0; i < n_hiers; i++)
		if (write(hiers[i].procs_fd, "0", 1) < 0)
			die(hiers[i].dir);
}

static void cgroups_close(void)
{
	for (int i = 0; i < n_hiers; i++)
		close(hiers[i].procs_fd);
}

static void cgroups_remove(void)
{
	for (int i = 0; i < n_hiers; i++)
		if (rmdir(hiers[i].dir) < 0)
			fprintf(stderr, "floor: rmdir %s: %s\n", hiers[i].dir, strerror(errno));
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static int do_exec(const char *pid, char **argv)
{
	static const char *ns[] = { "ipc", "uts", "net", "pid", "mnt" };
	int fds[5];
	cgroups_setup(pid, NULL, NULL);
	for (int i = 0; i < 5; i++) {
		char p[64];
		snprintf(p, sizeof p, "/proc/%s/ns/%s", pid, ns[i]);
		fds[i] = open(p, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			die(p);
	}
	for (int i = 0; i < 5; i++) {
		if (setns(fds[i], 0) < 0)
			die(ns[i]);
		close(fds[i]);
	}
	pid_t c = fork();
	if (c < 0)
		die("fork");
	if (c == 0) {
		cgroups_join();
		if (chdir("/") < 0)
			die("chdir");
		execvp(argv[0], argv);
		die(argv[0]);
	}
	cgroups_close();
	int status;
	if (waitpid(c, &status, 0) < 0)
		die("waitpid");
	return exit_code(status);
}

struct child_args {
	const char *rootfs;
	char **argv;
};

static int child_main(void *arg)
{
	struct child_args *a = arg;
	cgroups_join();
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("make mounts private");
	if (mount(a->rootfs, a->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("bind rootfs");
	if (chdir(a->rootfs) < 0)
		die("chdir rootfs");
	/* Stack the old root under the new one, then detach it. */
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		die("detach old root");
	if (chdir("/") < 0)
		die("chdir /");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mount /proc");
	execvp(a->argv[0], a->argv);
	die(a->argv[0]);
	return 125;
}

static void usage(void)
{
	fprintf(stderr, "usage: floor [--cgroup NAME] [--memory BYTES] [--pid-file F] ROOTFS CMD [ARG...]\n"
			"       floor --exec PID CMD [ARG...]\n");
	exit(125);
}

int main(int argc, char **argv)
{
	const char *cgname = NULL, *memory = NULL, *pidfile = NULL, *exec_pid = NULL;
	int i = 1;
	for (; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "--cgroup"))
			cgname = argv[i + 1];
		else if (!strcmp(argv[i], "--memory"))
			memory = argv[i + 1];
		else if (!strcmp(argv[i], "--pid-file"))
			pidfile = argv[i + 1];
		else if (!strcmp(argv[i], "--exec"))
			exec_pid = argv[i + 1];
		else
			usage();
	}
	if (exec_pid) {
		if (i >= argc)
			usage();
		return do_exec(exec_pid, argv + i);
	}
	if (argc - i < 2 || (memory && !cgname))
		usage();
	struct child_args a = { argv[i], argv + i + 1 };
	if (cgname)
		cgroups_setup("self", cgname, memory);

	static char stack[64 * 1024] __attribute__((aligned(16)));
	pid_t c = clone(child_main, stack + sizeof stack,
			CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | SIGCHLD, &a);
	if (c < 0)
		die("clone");
	cgroups_close();
	if (pidfile) {
		FILE *f = fopen(pidfile, "we");
		if (!f)
			die(pidfile);
		fprintf(f, "%d", c);
		fclose(f);
	}
	int status;
	if (waitpid(c, &status, 0) < 0)
		die("waitpid");
	if (cgname)
		cgroups_remove();
	return exit_code(status);
}
