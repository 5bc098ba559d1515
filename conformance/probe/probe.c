/* probe: runs as a container's process and prints, as one JSON object on stdout, what the
 * process sees of itself (credentials, capabilities, limits, namespaces, fds, mounts, ...).
 * Linked static so it needs nothing from the container's rootfs. The conformance suites
 * compare its output between runtimes, so every field is read straight from the kernel. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* ---- a tiny streaming JSON writer: values after a key never get a comma ---- */
static int need_comma[64];
static int depth;
static int after_key;

static void pre(void) {
  if (after_key) {
    after_key = 0;
    return;
  }
  if (need_comma[depth]) putchar(',');
  need_comma[depth] = 1;
}

static void raw_string(const char* s, size_t n) {
  putchar('"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      putchar('\\');
      putchar(c);
    } else if (c == '\n') {
      fputs("\\n", stdout);
    } else if (c == '\t') {
      fputs("\\t", stdout);
    } else if (c < 0x20 || c == 0x7f || c >= 0x80) {
      /* bytes outside ASCII are escaped one by one so the output is always valid JSON */
      printf("\\u%04x", c);
    } else {
      putchar(c);
    }
  }
  putchar('"');
}

static void jstr(const char* s) {
  pre();
  if (s)
    raw_string(s, strlen(s));
  else
    fputs("null", stdout);
}
static void jstrn(const char* s, size_t n) {
  pre();
  raw_string(s, n);
}
static void jint(long long v) {
  pre();
  printf("%lld", v);
}
static void jbool(int v) {
  pre();
  fputs(v ? "true" : "false", stdout);
}
static void jnull(void) {
  pre();
  fputs("null", stdout);
}
static void key(const char* k) {
  pre();
  raw_string(k, strlen(k));
  putchar(':');
  after_key = 1;
}
static void open_(char c) {
  pre();
  putchar(c);
  need_comma[++depth] = 0;
}
static void close_(char c) {
  putchar(c);
  depth--;
}
#define OBJ() open_('{')
#define END_OBJ() close_('}')
#define ARR() open_('[')
#define END_ARR() close_(']')

/* ---- helpers ---- */
static char* read_file(const char* path, size_t* len_out, int* err_out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (err_out) *err_out = errno;
    return NULL;
  }
  size_t cap = 4096, len = 0;
  char* buf = malloc(cap + 1);
  for (;;) {
    if (len == cap) {
      cap *= 2;
      buf = realloc(buf, cap + 1);
    }
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (err_out) *err_out = errno;
      close(fd);
      free(buf);
      return NULL;
    }
    if (n == 0) break;
    len += (size_t)n;
  }
  close(fd);
  buf[len] = 0;
  if (len_out) *len_out = len;
  if (err_out) *err_out = 0;
  return buf;
}

/* Value of a "Name:\tvalue" line of /proc/self/status, trimmed; NULL when absent. */
static const char* status_field(const char* status, const char* name, char* out, size_t outsz) {
  size_t nl = strlen(name);
  for (const char* p = status; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
    if (strncmp(p, name, nl) == 0 && p[nl] == ':') {
      const char* v = p + nl + 1;
      while (*v == ' ' || *v == '\t') v++;
      size_t n = strcspn(v, "\n");
      if (n >= outsz) n = outsz - 1;
      memcpy(out, v, n);
      out[n] = 0;
      return out;
    }
  }
  return NULL;
}

static void status_str(const char* status, const char* k, const char* name) {
  char v[256];
  key(k);
  jstr(status_field(status, name, v, sizeof v));
}

/* mountinfo escapes space, tab, newline and backslash as \ooo */
static void unescape_octal(char* s) {
  char* w = s;
  for (char* r = s; *r;) {
    if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
        r[3] <= '7') {
      *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
      r += 4;
    } else {
      *w++ = *r++;
    }
  }
  *w = 0;
}

static char type_char(mode_t m) {
  if (S_ISREG(m)) return 'f';
  if (S_ISDIR(m)) return 'd';
  if (S_ISLNK(m)) return 'l';
  if (S_ISCHR(m)) return 'c';
  if (S_ISBLK(m)) return 'b';
  if (S_ISFIFO(m)) return 'p';
  if (S_ISSOCK(m)) return 's';
  return '?';
}

/* "target": the link NAME in DIRFD points to, null when unreadable */
static void json_link_target(int dirfd_, const char* name) {
  char target[PATH_MAX];
  ssize_t n = readlinkat(dirfd_, name, target, sizeof target - 1);
  key("target");
  if (n >= 0)
    jstrn(target, (size_t)n);
  else
    jnull();
}

static void json_rdev(dev_t rdev) {
  char dev[32];
  snprintf(dev, sizeof dev, "%u:%u", major(rdev), minor(rdev));
  key("rdev"), jstr(dev);
}

/* ---- sections ---- */
static void print_ids(void) {
  uid_t r, e, s;
  gid_t gr, ge, gs;
  getresuid(&r, &e, &s);
  getresgid(&gr, &ge, &gs);
  key("pid"), jint(getpid());
  key("ppid"), jint(getppid());
  key("uid"), jint(r);
  key("euid"), jint(e);
  key("suid"), jint(s);
  key("gid"), jint(gr);
  key("egid"), jint(ge);
  key("sgid"), jint(gs);
  gid_t groups[NGROUPS_MAX];
  int n = getgroups(NGROUPS_MAX, groups);
  key("groups");
  ARR();
  for (int i = 0; i < n; i++) jint(groups[i]);
  END_ARR();
}

static void print_process(const char* status, int argc, char** argv, char** envp) {
  char v[64];
  key("args");
  ARR();
  for (int i = 0; i < argc; i++) jstr(argv[i]);
  END_ARR();
  key("umask");
  jstr(status_field(status, "Umask", v, sizeof v));
  char cwd[PATH_MAX];
  key("cwd");
  jstr(getcwd(cwd, sizeof cwd));
  key("env");
  ARR();
  for (char** e = envp; *e; e++) jstr(*e);
  END_ARR();
  struct utsname u;
  uname(&u);
  key("hostname"), jstr(u.nodename);
  key("domainname"), jstr(u.domainname);
  key("caps");
  OBJ();
  status_str(status, "inh", "CapInh");
  status_str(status, "prm", "CapPrm");
  status_str(status, "eff", "CapEff");
  status_str(status, "bnd", "CapBnd");
  status_str(status, "amb", "CapAmb");
  END_OBJ();
  key("no_new_privs"), jint(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
  key("seccomp");
  jint(status_field(status, "Seccomp", v, sizeof v) ? atoi(v) : -1);
  key("dumpable"), jint(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
  int err = 0;
  char* oom = read_file("/proc/self/oom_score_adj", NULL, &err);
  key("oom_score_adj");
  if (oom)
    jint(atoll(oom));
  else
    jnull();
  free(oom);
}

static void print_rlimits(void) {
  static const struct {
    const char* name;
    int res;
  } lims[] = {
      {"RLIMIT_CPU", RLIMIT_CPU},           {"RLIMIT_FSIZE", RLIMIT_FSIZE},
      {"RLIMIT_DATA", RLIMIT_DATA},         {"RLIMIT_STACK", RLIMIT_STACK},
      {"RLIMIT_CORE", RLIMIT_CORE},         {"RLIMIT_RSS", RLIMIT_RSS},
      {"RLIMIT_NPROC", RLIMIT_NPROC},       {"RLIMIT_NOFILE", RLIMIT_NOFILE},
      {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},   {"RLIMIT_AS", RLIMIT_AS},
      {"RLIMIT_LOCKS", RLIMIT_LOCKS},       {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
      {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE}, {"RLIMIT_NICE", RLIMIT_NICE},
      {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},     {"RLIMIT_RTTIME", RLIMIT_RTTIME},
  };
  key("rlimits");
  OBJ();
  for (size_t i = 0; i < sizeof lims / sizeof lims[0]; i++) {
    struct rlimit rl;
    if (getrlimit(lims[i].res, &rl) != 0) continue;
    key(lims[i].name);
    OBJ();
    key("soft"), jint(rl.rlim_cur == RLIM_INFINITY ? -1 : (long long)rl.rlim_cur);
    key("hard"), jint(rl.rlim_max == RLIM_INFINITY ? -1 : (long long)rl.rlim_max);
    END_OBJ();
  }
  END_OBJ();
}

static void print_namespaces(void) {
  static const char* names[] = {"mnt", "pid", "net", "ipc", "uts", "user", "cgroup", "time"};
  key("namespaces");
  OBJ();
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/self/ns/%s", names[i]);
    key(names[i]);
    if (stat(path, &st) == 0)
      jint((long long)st.st_ino);
    else
      jnull();
  }
  END_OBJ();
}

static void print_fds(void) {
  key("fds");
  ARR();
  DIR* d = opendir("/proc/self/fd");
  if (d) {
    int self = dirfd(d);
    struct dirent* e;
    while ((e = readdir(d))) {
      if (e->d_name[0] == '.') continue;
      int fd = atoi(e->d_name);
      if (fd == self) continue;
      OBJ();
      key("fd"), jint(fd);
      json_link_target(self, e->d_name);
      END_OBJ();
    }
    closedir(d);
  }
  END_ARR();
}

static void print_mounts(void) {
  key("mounts");
  ARR();
  char* info = read_file("/proc/self/mountinfo", NULL, NULL);
  for (char *line = info, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = 0;
    /* id parent maj:min root mountpoint options [optional...] - fstype source superoptions */
    char* f[6] = {0};
    char* save = NULL;
    char* tok = strtok_r(line, " ", &save);
    for (int i = 0; i < 6 && tok; i++, tok = strtok_r(NULL, " ", &save)) f[i] = tok;
    if (!f[5]) continue;
    char propagation[256] = "";
    while (tok && strcmp(tok, "-") != 0) {
      if (propagation[0]) strncat(propagation, " ", sizeof propagation - strlen(propagation) - 1);
      strncat(propagation, tok, sizeof propagation - strlen(propagation) - 1);
      tok = strtok_r(NULL, " ", &save);
    }
    char* fstype = strtok_r(NULL, " ", &save);
    char* source = strtok_r(NULL, " ", &save);
    char* super = strtok_r(NULL, " ", &save);
    unescape_octal(f[3]);
    unescape_octal(f[4]);
    if (source) unescape_octal(source);
    OBJ();
    key("mountpoint"), jstr(f[4]);
    key("root"), jstr(f[3]);
    key("fstype"), jstr(fstype);
    key("source"), jstr(source);
    key("options"), jstr(f[5]);
    key("super_options"), jstr(super);
    key("propagation"), jstr(propagation);
    END_OBJ();
  }
  free(info);
  END_ARR();
}

static void print_cgroup(void) {
  key("cgroup");
  ARR();
  char* cg = read_file("/proc/self/cgroup", NULL, NULL);
  for (char *line = cg, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = 0;
    jstr(line);
  }
  free(cg);
  END_ARR();
}

static void print_clocks(void) {
  struct timespec mono, boot;
  clock_gettime(CLOCK_MONOTONIC, &mono);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  key("clocks");
  OBJ();
  key("monotonic_s"), jint(mono.tv_sec);
  key("boottime_s"), jint(boot.tv_sec);
  END_OBJ();
}

/* ---- requested checks: --read, --check-write, --cat, --list-dir ---- */
enum check_kind { CHECK_READ, CHECK_WRITE, CHECK_CAT, CHECK_LIST };
struct check {
  enum check_kind kind;
  const char* path;
};

static void check_access(const char* path, int want_write) {
  struct stat st;
  int exists = lstat(path, &st) == 0;
  OBJ();
  key("path"), jstr(path);
  key("exists"), jbool(exists);
  if (exists) {
    key("type");
    char t[2] = {type_char(st.st_mode), 0};
    jstr(t);
    struct stat tst;
    if (stat(path, &tst) == 0 && (S_ISCHR(tst.st_mode) || S_ISBLK(tst.st_mode)))
      json_rdev(tst.st_rdev);
  }
  int err = 0;
  if (!want_write) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    ssize_t n = -1;
    if (fd >= 0) {
      struct stat fst;
      char buf[4096];
      if (fstat(fd, &fst) == 0 && S_ISDIR(fst.st_mode)) {
        DIR* d = fdopendir(fd);
        long entries = 0;
        if (d) {
          struct dirent* e;
          while ((e = readdir(d)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) entries++;
          closedir(d);
          n = entries;
        } else {
          err = errno;
          close(fd);
        }
        key("dir_entries"), jint(entries);
      } else {
        n = read(fd, buf, sizeof buf);
        if (n < 0) err = errno;
        close(fd);
        key("bytes"), jint(n);
      }
    } else {
      err = errno;
    }
    key("read_ok"), jbool(n >= 0);
  } else {
    int ok = 0;
    struct stat fst;
    if (stat(path, &fst) == 0 && S_ISDIR(fst.st_mode)) {
      /* a directory is writable when a new entry can be made in it */
      char tmp[PATH_MAX];
      snprintf(tmp, sizeof tmp, "%s/.probe-write-%d", path, getpid());
      int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0) {
        ok = 1;
        close(fd);
        unlink(tmp);
      } else {
        err = errno;
      }
    } else {
      /* opened for writing, never written: the check must not change the file */
      int fd = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK);
      if (fd >= 0) {
        ok = 1;
        close(fd);
      } else {
        err = errno;
      }
    }
    key("write_ok"), jbool(ok);
  }
  key("errno"), jint(err);
  key("error"), jstr(err ? strerror(err) : NULL);
  END_OBJ();
}

static void cat_file(const char* path) {
  size_t len = 0;
  int err = 0;
  char* content = read_file(path, &len, &err);
  OBJ();
  key("path"), jstr(path);
  key("content");
  if (content)
    jstrn(content, len);
  else
    jnull();
  key("errno"), jint(err);
  END_OBJ();
  free(content);
}

static void list_dir(const char* path) {
  OBJ();
  key("path"), jstr(path);
  key("entries");
  ARR();
  DIR* d = opendir(path);
  int err = d ? 0 : errno;
  if (d) {
    struct dirent* e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      struct stat st;
      if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      OBJ();
      key("name"), jstr(e->d_name);
      char t[2] = {type_char(st.st_mode), 0};
      key("type"), jstr(t);
      char mode[8];
      snprintf(mode, sizeof mode, "%04o", st.st_mode & 07777);
      key("mode"), jstr(mode);
      key("uid"), jint(st.st_uid);
      key("gid"), jint(st.st_gid);
      if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) json_rdev(st.st_rdev);
      if (S_ISLNK(st.st_mode)) json_link_target(dirfd(d), e->d_name);
      END_OBJ();
    }
    closedir(d);
  }
  END_ARR();
  key("errno"), jint(err);
  END_OBJ();
}

static void print_checks(const struct check* checks, int n) {
  key("checks");
  ARR();
  for (int i = 0; i < n; i++)
    if (checks[i].kind == CHECK_READ || checks[i].kind == CHECK_WRITE)
      check_access(checks[i].path, checks[i].kind == CHECK_WRITE);
  END_ARR();
  key("files");
  ARR();
  for (int i = 0; i < n; i++)
    if (checks[i].kind == CHECK_CAT) cat_file(checks[i].path);
  END_ARR();
  key("dirs");
  ARR();
  for (int i = 0; i < n; i++)
    if (checks[i].kind == CHECK_LIST) list_dir(checks[i].path);
  END_ARR();
}

/* ---- lifecycle modes ---- */
static int signal_number(const char* s) {
  static const struct {
    const char* name;
    int sig;
  } sigs[] = {{"HUP", SIGHUP},   {"INT", SIGINT},   {"QUIT", SIGQUIT}, {"ABRT", SIGABRT},
              {"KILL", SIGKILL}, {"USR1", SIGUSR1}, {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
              {"PIPE", SIGPIPE}, {"ALRM", SIGALRM}, {"TERM", SIGTERM}};
  if (!strncmp(s, "SIG", 3)) s += 3;
  for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
    if (!strcmp(s, sigs[i].name)) return sigs[i].sig;
  return atoi(s);
}

/* As a pid namespace's init the probe would ignore signals left at their default, so --sleep
 * catches them, reports which one came, and exits 128+N like a shell would. */
static void on_signal(int sig) {
  char msg[64];
  int n = snprintf(msg, sizeof msg, "probe: got signal %d\n", sig);
  if (write(STDOUT_FILENO, msg, (size_t)n) < 0) _exit(128 + sig);
  _exit(128 + sig);
}

/* --hold-exe PID: the CVE-2019-5736 attacker. Holds /proc/PID/exe (O_PATH), then for each line
 * read from stdin reopens the held file through /proc/self/fd for writing, O_WRONLY and O_RDWR,
 * and reports each errno (0: the open succeeded). Where an open succeeds it writes the file's
 * first byte back in place (content unchanged) and reports that errno too: a sealed memfd
 * opens for writing but refuses the write. One JSON line per step, so a test can move the
 * target on between steps. */
static int hold_exe(const char* pid) {
  char path[64], via[64], line[64];
  snprintf(path, sizeof path, "/proc/%s/exe", pid);
  int fd = open(path, O_PATH | O_CLOEXEC);
  printf("{\"step\":0,\"hold_errno\":%d}\n", fd < 0 ? errno : 0);
  fflush(stdout);
  if (fd < 0) return 1;
  snprintf(via, sizeof via, "/proc/self/fd/%d", fd);
  for (int step = 1; fgets(line, sizeof line, stdin); step++) {
    int flags[2] = {O_WRONLY, O_RDWR}, err[2], werr = -1;
    for (int i = 0; i < 2; i++) {
      int w = open(via, flags[i] | O_CLOEXEC);
      err[i] = w < 0 ? errno : 0;
      if (w < 0) continue;
      char first;
      int r = open(via, O_RDONLY | O_CLOEXEC);
      if (r >= 0 && pread(r, &first, 1, 0) == 1) werr = pwrite(w, &first, 1, 0) == 1 ? 0 : errno;
      if (r >= 0) close(r);
      close(w);
    }
    printf("{\"step\":%d,\"wronly_errno\":%d,\"rdwr_errno\":%d,\"write_errno\":%d}\n", step, err[0],
           err[1], werr);
    fflush(stdout);
  }
  return 0;
}

/* --watch-mnt STOPFILE: the watcher of the exec test "nothing shows in the container's /proc
 * before it has the container's mount namespace". Until STOPFILE exists, scans /proc over and
 * over and compares every other process's /proc/PID/ns/mnt and /proc/PID/root with its own,
 * and looks through its fds for one that leads out (watch_fds);
 * then prints one JSON line: how many new pids it saw, how many it could not inspect (run it
 * with CAP_SYS_PTRACE, or a runtime's non-dumpable setup hides from it), and every pid seen
 * with another mount namespace or root (once each). Pids there at the start (the init,
 * itself) are not counted. */
#define WATCH_MAX 65536
static int watch_link(long pid, const char* what, char* out, size_t outsz) {
  char path[64];
  if (pid)
    snprintf(path, sizeof path, "/proc/%ld/%s", pid, what);
  else
    snprintf(path, sizeof path, "/proc/self/%s", what);
  ssize_t n = readlink(path, out, outsz - 1);
  if (n < 0) return -1;
  out[n] = 0;
  return 0;
}

/* Whether the directory open at fd lies outside the tree under root: its ".." chain reaches
 * the top of its mount tree without passing root. A chroot bounds ".." only when the walk meets
 * it, so from a host directory the chain climbs to the host's root. Consumes fd. */
static int watch_dir_outside(int fd, const struct stat* root) {
  struct stat cur, up;
  for (int i = 0; i < 4096; i++) {
    if (fstat(fd, &cur) < 0) break;
    if (cur.st_dev == root->st_dev && cur.st_ino == root->st_ino) break;
    int parent = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (parent < 0 || fstat(parent, &up) < 0) {
      if (parent >= 0) close(parent);
      break;
    }
    close(fd);
    fd = parent;
    if (up.st_dev == cur.st_dev && up.st_ino == cur.st_ino) {
      close(fd);
      return 1;
    }
  }
  close(fd);
  return 0;
}

/* Counts the fds of pid that lead out of the container: a directory outside its root, or a
 * namespace other than the watcher's own of that type (a host namespace to setns into). The
 * first such fd's link goes to what. -1 when the fds cannot be read (the process is gone). */
static int watch_fds(long pid, const struct stat* root, char* what, size_t whatsz) {
  char dir[64], path[384], link[256], own[256], ownpath[64];
  snprintf(dir, sizeof dir, "/proc/%ld/fd", pid);
  DIR* d = opendir(dir);
  if (!d) return -1;
  int found = 0;
  struct dirent* e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n < 0) continue;
    link[n] = 0;
    int out = 0;
    char* colon = strstr(link, ":[");
    if (colon && link[0] != '/') {
      /* "mnt:[4026531841]": compare with the watcher's own namespace of that type */
      snprintf(ownpath, sizeof ownpath, "/proc/self/ns/%.*s", (int)(colon - link), link);
      ssize_t m = readlink(ownpath, own, sizeof own - 1);
      if (m >= 0) {
        own[m] = 0;
        out = strcmp(own, link) != 0;
      }
    } else {
      int fd = open(path, O_PATH | O_CLOEXEC);
      struct stat st;
      if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        out = watch_dir_outside(fd, root);
      } else if (fd >= 0) {
        close(fd);
      }
    }
    if (out && !found++) snprintf(what, whatsz, "fd %.64s: %.255s", e->d_name, link);
  }
  closedir(d);
  return found;
}

static int watch_mnt(const char* stop) {
  /* 1: there at the start, 2: seen since, 3: reported */
  static unsigned char known[WATCH_MAX];
  char own_mnt[128], mnt[128], path[64];
  struct stat own_root, root;
  long seen = 0, denied = 0, foreign = 0;
  if (watch_link(0, "ns/mnt", own_mnt, sizeof own_mnt) < 0 || stat("/", &own_root) < 0) {
    perror("probe: --watch-mnt");
    return 1;
  }
  for (int pass = 0;; pass++) {
    DIR* d = opendir("/proc");
    if (!d) {
      perror("probe: --watch-mnt: /proc");
      return 1;
    }
    struct dirent* e;
    while ((e = readdir(d))) {
      char* end;
      long pid = strtol(e->d_name, &end, 10);
      if (*end || pid <= 0 || pid >= WATCH_MAX) continue;
      if (pass == 0) {
        known[pid] = 1;
        continue;
      }
      if (known[pid] == 1 || known[pid] == 3) continue; /* 3: already reported */
      if (!known[pid]) {
        known[pid] = 2;
        seen++;
      }
      int mnt_err = watch_link(pid, "ns/mnt", mnt, sizeof mnt) < 0 ? errno : 0;
      snprintf(path, sizeof path, "/proc/%ld/root/", pid);
      int root_err = stat(path, &root) < 0 ? errno : 0;
      if (mnt_err == EACCES || mnt_err == EPERM || root_err == EACCES || root_err == EPERM) {
        /* a process reaped since readdir reads as EACCES too (/proc finds no task to check):
           only one still there was really kept from us */
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) denied++;
        continue;
      }
      int other_mnt = !mnt_err && strcmp(mnt, own_mnt) != 0;
      int other_root =
          !root_err && (root.st_dev != own_root.st_dev || root.st_ino != own_root.st_ino);
      char fd_out[700] = "";
      int fds_out = watch_fds(pid, &own_root, fd_out, sizeof fd_out) > 0;
      if (!other_mnt && !other_root && !fds_out) continue;
      known[pid] = 3;
      printf("%s{\"pid\":%ld,\"mnt\":\"%s\",\"other_root\":%s,\"fd_out\":", foreign++ ? "," : "",
             pid, other_mnt ? mnt : own_mnt, other_root ? "true" : "false");
      raw_string(fd_out, strlen(fd_out));
      putchar('}');
    }
    closedir(d);
    if (pass == 0) {
      /* tells a test that what runs from now on is watched */
      fputs("probe: watching\n{\"foreign\":[", stdout);
      fflush(stdout);
    } else if (access(stop, F_OK) == 0) {
      break;
    }
  }
  printf("],\"seen\":%ld,\"denied\":%ld}\n", seen, denied);
  fflush(stdout);
  return 0;
}

/* --fds-out PID: watch_fds once for PID, as one JSON line {"out":N,"first":"fd K: LINK"}; N is
 * -1 when its fds could not be read. */
static int fds_out(const char* pid) {
  struct stat root;
  char first[700] = "";
  if (stat("/", &root) < 0) {
    perror("probe: --fds-out");
    return 1;
  }
  int n = watch_fds(strtol(pid, NULL, 10), &root, first, sizeof first);
  printf("{\"out\":%d,\"first\":", n);
  raw_string(first, strlen(first));
  puts("}");
  return 0;
}

static void usage(void) {
  fputs(
      "usage: probe [--read PATH] [--check-write PATH] [--cat PATH] [--list-dir PATH]\n"
      "             [--quiet] [--sleep SECONDS] [--exit CODE] [--signal-self SIG]\n"
      "             [--syscall NR] [-- ARGS]\n"
      "       probe --hold-exe PID   (holds /proc/PID/exe; each stdin line: try to reopen it\n"
      "                               for writing)\n"
      "       probe --watch-mnt STOPFILE   (until STOPFILE exists: every new pid in /proc with\n"
      "                               another mount namespace or root, or an fd leading out\n"
      "                               of the container, as one JSON line)\n"
      "       probe --fds-out PID   (how many fds of PID lead out of the container)\n"
      "Prints what the process sees as one JSON object, then sleeps, exits or signals itself.\n"
      "--syscall NR calls raw syscall NR with zero arguments and prints a line\n"
      "\"syscall NR: errno E\" (E 0 when it returned >= 0).\n",
      stderr);
}

int main(int argc, char** argv, char** envp) {
  struct check checks[256];
  int nchecks = 0, exit_code = 0, quiet = 0;
  long sleep_s = -1;
  const char* self_signal = NULL;
  if (argc == 3 && !strcmp(argv[1], "--hold-exe")) return hold_exe(argv[2]);
  if (argc == 3 && !strcmp(argv[1], "--watch-mnt")) return watch_mnt(argv[2]);
  if (argc == 3 && !strcmp(argv[1], "--fds-out")) return fds_out(argv[2]);
  long raw_syscall = -1;
  for (int i = 1; i < argc; i++) {
    const char* a = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : NULL;
    enum check_kind kind;
    if (!strcmp(a, "--")) break; /* the rest only shows up in "args" */
    if (!strcmp(a, "--quiet")) {
      quiet = 1;
      continue;
    }
    if (!v || nchecks == 256) {
      usage();
      return 2;
    }
    i++;
    if (!strcmp(a, "--read"))
      kind = CHECK_READ;
    else if (!strcmp(a, "--check-write"))
      kind = CHECK_WRITE;
    else if (!strcmp(a, "--cat"))
      kind = CHECK_CAT;
    else if (!strcmp(a, "--list-dir"))
      kind = CHECK_LIST;
    else if (!strcmp(a, "--sleep")) {
      sleep_s = atol(v);
      continue;
    } else if (!strcmp(a, "--exit")) {
      exit_code = atoi(v);
      continue;
    } else if (!strcmp(a, "--syscall")) {
      raw_syscall = atol(v);
      continue;
    } else if (!strcmp(a, "--signal-self")) {
      self_signal = v;
      continue;
    } else {
      usage();
      return 2;
    }
    checks[nchecks].kind = kind;
    checks[nchecks].path = v;
    nchecks++;
  }

  if (sleep_s >= 0) {
    int catch[] = {SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGALRM};
    for (size_t i = 0; i < sizeof catch / sizeof catch[0]; i++) signal(catch[i], on_signal);
  }

  if (!quiet) {
    char* status = read_file("/proc/self/status", NULL, NULL);
    OBJ();
    print_ids();
    print_process(status ? status : "", argc, argv, envp);
    print_rlimits();
    print_namespaces();
    print_fds();
    print_mounts();
    print_cgroup();
    print_clocks();
    print_checks(checks, nchecks);
    END_OBJ();
    putchar('\n');
    free(status);
  }
  if (raw_syscall >= 0) {
    /* zero arguments: a real call fails with EFAULT/EINVAL, a filtered one with its errno */
    errno = 0;
    long rc = syscall(raw_syscall, 0L, 0L, 0L, 0L, 0L, 0L);
    printf("syscall %ld: errno %d\n", raw_syscall, rc < 0 ? errno : 0);
  }
  fflush(stdout);

  if (self_signal) {
    int sig = signal_number(self_signal);
    signal(sig, SIG_DFL);
    raise(sig);
    /* still here: we are a pid namespace's init, which ignores its own default-action
     * signals; a real fault is delivered by force, so SEGV can still end the process */
    if (sig == SIGSEGV) *(volatile int*)0 = 1;
    fprintf(stderr, "probe: signal %d ignored (pid namespace init?)\n", sig);
    return 125;
  }
  if (sleep_s >= 0) {
    /* tells a test that the signal handlers are in place */
    fputs("probe: sleeping\n", stdout);
    fflush(stdout);
    struct timespec ts = {sleep_s, 0};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
  }
  return exit_code;
}
