// unyo-jobexec: the supervisor of one job attempt, so that a job's end is known even when the
// server was not there to see it (killed, restarted). Usage:
//
//   unyo-jobexec DIR WORKDIR -- PROGRAM [ARG…]
//
// Writes DIR/pid ("PID STARTTIME", STARTTIME from /proc/self/stat, so a reused pid is told
// apart), runs PROGRAM (looked up in the PATH of the environment it was given) in WORKDIR ("-":
// stay) with stdin from /dev/null and stdout and stderr into DIR/output (at most 1 MiB kept; the
// rest counted), and at its end writes DIR/status atomically: "exit N BYTES END" or
// "signal N BYTES END", END the wall-clock instant the job ended (Unix milliseconds).
// It ignores SIGTERM, SIGINT and SIGHUP itself so it can record a job stopped by them; the job
// gets the signals as usual (both are in the process group the server made). Standalone: no
// dependency beyond libc, so it starts in a millisecond.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <algorithm>
#include <cstring>
#include <ctime>
#include <string>

namespace {

constexpr long long kKeep = 1024 * 1024;

bool WriteAll(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        const ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

// Writes `text` to `dir/name` through a temporary file and rename, so a reader never sees half.
// No fsync: the files tell a restarted server what happened while it was down (the page cache
// survives a killed process); a crash of the machine loses the job's end, and the job is "lost".
bool WriteFile(const std::string& dir, const char* name, const std::string& text) {
    const std::string tmp = dir + "/." + name + ".tmp", path = dir + "/" + name;
    const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    const bool ok = WriteAll(fd, text.data(), text.size());
    close(fd);
    return ok && rename(tmp.c_str(), path.c_str()) == 0;
}

std::string StartTime() {
    char buf[4096];
    const int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "0";
    const ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return "0";
    buf[n] = 0;
    // Field 22; the name (field 2) may hold spaces, so count from its closing parenthesis.
    const char* p = std::strrchr(buf, ')');
    if (!p) return "0";
    int field = 2;
    for (++p; *p && field < 22; ++p) {
        if (*p == ' ') ++field;
    }
    std::string out;
    while (*p && *p != ' ') out += *p++;
    return out.empty() ? "0" : out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5 || std::strcmp(argv[3], "--") != 0) {
        std::fprintf(stderr, "usage: unyo-jobexec DIR WORKDIR -- PROGRAM [ARG...]\n");
        return 2;
    }
    const std::string dir = argv[1];
    const char* workdir = argv[2];
    signal(SIGTERM, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    if (!WriteFile(dir, "pid", std::to_string(getpid()) + " " + StartTime() + "\n")) {
        std::fprintf(stderr, "unyo-jobexec: cannot write %s/pid: %s\n", dir.c_str(), std::strerror(errno));
        return 3;
    }
    const int out = open((dir + "/output").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int fds[2];
    if (out < 0 || pipe2(fds, O_CLOEXEC) != 0) {
        WriteFile(dir, "status", "exit 126 0\n");
        return 3;
    }
    const pid_t child = fork();
    if (child < 0) {
        WriteFile(dir, "status", "exit 126 0\n");
        return 3;
    }
    if (child == 0) {
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        const int in = open("/dev/null", O_RDONLY);
        dup2(in, 0);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        if (std::strcmp(workdir, "-") != 0 && chdir(workdir) != 0) {
            dprintf(2, "unyo-jobexec: cannot enter %s: %s\n", workdir, std::strerror(errno));
            _exit(126);
        }
        execvp(argv[4], argv + 4);
        dprintf(2, "unyo-jobexec: cannot run %s: %s\n", argv[4], std::strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    close(fds[1]);
    long long total = 0;
    char buf[65536];
    for (;;) {
        const ssize_t n = read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (total < kKeep) {
            const long long keep = std::min<long long>(n, kKeep - total);
            WriteAll(out, buf, static_cast<std::size_t>(keep));
        }
        total += n;
    }
    close(fds[0]);
    close(out);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    timespec end{};
    clock_gettime(CLOCK_REALTIME, &end);
    const long long end_ms = static_cast<long long>(end.tv_sec) * 1000 + end.tv_nsec / 1'000'000;
    const std::string result = WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status))
                                                   : "exit " + std::to_string(WEXITSTATUS(status));
    return WriteFile(dir, "status", result + " " + std::to_string(total) + " " + std::to_string(end_ms) + "\n") ? 0 : 3;
}
