#include "reports/files.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

#include "core/crypto.hpp"

extern char** environ;

namespace unyo::reports {
namespace {

la_ssize_t Append(struct archive*, void* out, const void* data, size_t size) {
    static_cast<std::string*>(out)->append(static_cast<const char*>(data), size);
    return static_cast<la_ssize_t>(size);
}

std::string ReadFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

}  // namespace

Result<std::string> RenderZip(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string out;
    struct archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_set_bytes_in_last_block(a, 1);
    if (archive_write_open(a, &out, nullptr, Append, nullptr) != ARCHIVE_OK) {
        const std::string why = archive_error_string(a) ? archive_error_string(a) : "unknown";
        archive_write_free(a);
        return Fail(Error::Internal("cannot start the ZIP archive: " + why));
    }
    for (const auto& [name, bytes] : files) {
        struct archive_entry* e = archive_entry_new();
        archive_entry_set_pathname_utf8(e, name.c_str());
        archive_entry_set_size(e, static_cast<la_int64_t>(bytes.size()));
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_entry_set_mtime(e, 1577836800, 0);  // 2020-01-01: the same files, the same archive
        const bool ok = archive_write_header(a, e) == ARCHIVE_OK &&
                        archive_write_data(a, bytes.data(), bytes.size()) == static_cast<la_ssize_t>(bytes.size());
        archive_entry_free(e);
        if (!ok) {
            const std::string why = archive_error_string(a) ? archive_error_string(a) : "unknown";
            archive_write_free(a);
            return Fail(Error::Internal(fmt::format("cannot add {} to the ZIP archive: {}", name, why)));
        }
    }
    archive_write_close(a);
    archive_write_free(a);
    return out;
}

Result<std::string> FindChromium() {
    if (const char* set = std::getenv("UNYO_CHROMIUM"); set && *set && access(set, X_OK) == 0) return std::string(set);
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        for (const char* name : {"chromium", "chromium-browser"}) {
            const auto candidate = std::filesystem::path(dir) / name;
            if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
        }
    }
    return Fail(Error{ErrorCode::kUnavailable,
                      "PDF needs Chromium on the unyo host (apt install chromium, or set UNYO_CHROMIUM); "
                      "HTML, XLSX and CSV are available without it",
                      {}});
}

Result<std::string> RenderPdf(const std::string& html, int timeout_s) {
    const std::string chromium = UNYO_TRY(FindChromium());
    const auto dir = std::filesystem::temp_directory_path() / ("unyo-pdf-" + RandomToken(12));
    std::error_code ec;
    std::filesystem::create_directories(dir / "profile", ec);
    if (ec) return Fail(Error::Internal(fmt::format("cannot create {}: {}", dir.string(), ec.message())));
    const auto input = dir / "report.html";
    const auto output = dir / "report.pdf";
    {
        std::ofstream f(input, std::ios::binary);
        f << html;
    }
    std::vector<std::string> args{chromium,
                                  "--headless",
                                  "--no-sandbox",
                                  "--disable-gpu",
                                  "--disable-background-networking",
                                  "--disable-component-update",
                                  "--disable-sync",
                                  "--disable-extensions",
                                  "--no-first-run",
                                  "--user-data-dir=" + (dir / "profile").string(),
                                  "--no-pdf-header-footer",
                                  "--print-to-pdf=" + output.string(),
                                  "file://" + input.string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, chromium.c_str(), &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    auto cleanup = [&] { std::filesystem::remove_all(dir, ec); };
    if (rc != 0) {
        cleanup();
        return Fail(Error::Internal(fmt::format("cannot start {}: {}", chromium, std::strerror(rc))));
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    int status = 0;
    bool ended = false;
    while (std::chrono::steady_clock::now() < deadline) {
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) {
            ended = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!ended) {
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
        cleanup();
        return Fail(Error::Internal(fmt::format("Chromium did not print the report within {} s", timeout_s)));
    }
    kill(-pid, SIGKILL);  // helpers Chromium may have left in its group
    std::string pdf = ReadFile(output);
    cleanup();
    if (pdf.rfind("%PDF", 0) != 0) {
        return Fail(Error::Internal(fmt::format("Chromium ended (status {}) without printing the report", status)));
    }
    return pdf;
}

}  // namespace unyo::reports
