/* timeit: run a command (or a sequence of commands) N times and print, for
 * every run of every step, its wall time and the user+sys cpu time of its
 * whole process tree.
 *
 *   timeit [-n N] [-e ERRFILE] [-r STEP] [-t SECONDS] -- CMD [ARG...] [::: CMD [ARG...]]...
 *
 * Output: one line per step and iteration: "STEP WALL_US CPU_US STATUS".
 *   WALL_US  CLOCK_MONOTONIC from fork to the step's reaping, microseconds
 *   CPU_US   delta of getrusage(RUSAGE_CHILDREN) user+sys over the step
 *   STATUS   exit status (128+signal when killed)
 * timeit is a child subreaper, so processes the command leaves behind (the
 * container init after `create`) are reparented to it; their cpu is counted
 * when they are reaped: -r STEP blocks after STEP until every child is gone
 * and adds their cpu (not their wall time) to STEP.
 * -t SECONDS kills a step (its whole process group) that runs longer; it then
 * shows status 137.
 * The commands get /dev/null as stdin and stdout; stderr goes to ERRFILE
 * (appended) or /dev/null.
 *
 * Part of the on-demand benchmark (tests/bench/run.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_STEPS 16

static long long tv_us(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

static long long children_cpu_us(void)
{
	struct rusage ru;
	getrusage(RUSAGE_CHILDREN, &ru);
	return tv_us(ru.ru_utime) + tv_us(ru.ru_stime);
}

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static volatile sig_atomic_t timed_out;
static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* Reap leftover children: all of them, blocking, when `block`. */
static void reap(int block)
{
	for (;;) {
		pid_t p = waitpid(-1, NULL, block ? 0 : WNOHANG);
		if (p > 0)
			continue;
		if (p < 0 && errno == EINTR)
			continue;
		break;
	}
}

int main(int argc, char **argv)
{
	int n = 1, reap_step = -1, timeout = 0, opt;
	const char *errfile = NULL;
	while ((opt = getopt(argc, argv, "+n:e:r:t:")) != -1) {
		switch (opt) {
		case 'n': n = atoi(optarg); break;
		case 'e': errfile = optarg; break;
		case 'r': reap_step = atoi(optarg); break;
		case 't': timeout = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: timeit [-n N] [-e ERRFILE] [-r STEP] [-t SECONDS] -- CMD [ARG...] [::: CMD...]\n");
			return 2;
		}
	}
	char **steps[MAX_STEPS];
	int nsteps = 0;
	if (optind >= argc)
		return 2;
	steps[nsteps++] = argv + optind;
	for (int i = optind; i < argc; i++) {
		if (!strcmp(argv[i], ":::")) {
			argv[i] = NULL;
			if (nsteps == MAX_STEPS || i + 1 >= argc)
				return 2;
			steps[nsteps++] = argv + i + 1;
		}
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: waitpid returns EINTR */
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	int errfd = errfile ? open(errfile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : devnull;
	if (devnull < 0 || errfd < 0) {
		perror("timeit: open");
		return 2;
	}
	for (int it = 0; it < n; it++) {
		for (int s = 0; s < nsteps; s++) {
			long long c0 = children_cpu_us(), t0 = now_us();
			pid_t pid = fork();
			if (pid < 0) {
				perror("timeit: fork");
				return 2;
			}
			if (pid == 0) {
				if (timeout)
					setpgid(0, 0);
				dup2(devnull, 0);
				dup2(devnull, 1);
				dup2(errfd, 2);
				execvp(steps[s][0], steps[s]);
				_exit(127);
			}
			int status;
			if (timeout) {
				setpgid(pid, pid); /* also here: no race with the child */
				timed_out = 0;
				alarm(timeout);
			}
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				if (timed_out) {
					kill(-pid, SIGKILL);
					timed_out = 0;
				}
			if (timeout)
				alarm(0);
			long long t1 = now_us();
			reap(s == reap_step);
			long long c1 = children_cpu_us();
			int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			printf("%d %lld %lld %d\n", s, t1 - t0, c1 - c0, code);
		}
	}
	return 0;
}
