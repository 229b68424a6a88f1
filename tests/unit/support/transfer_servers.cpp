#include "support/transfer_servers.hpp"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <vector>

extern char** environ;

namespace unyo::testing {

TransferServers::TransferServers(const std::filesystem::path& root, const std::filesystem::path& keys) {
    int in[2], out[2];
    if (pipe(in) != 0) return;
    if (pipe(out) != 0) return;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    std::vector<std::string> args{"/usr/bin/python3", "-W", "ignore", UNYO_TRANSFER_SERVERS, root.string(), keys.string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    stdin_ = in[1];
    if (rc != 0) {
        close(out[0]);
        return;
    }
    pid_ = pid;
    // One JSON line once they listen; the script runs until its standard input closes.
    std::string line;
    pollfd p{out[0], POLLIN, 0};
    char c = 0;
    while (line.find('\n') == std::string::npos && poll(&p, 1, 30'000) > 0 && read(out[0], &c, 1) == 1) line += c;
    close(out[0]);
    if (auto parsed = ParseObject(line)) info_ = std::move(*parsed);
}

TransferServers::~TransferServers() {
    if (stdin_ >= 0) close(stdin_);
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        waitpid(pid_, nullptr, 0);
    }
}

}  // namespace unyo::testing
