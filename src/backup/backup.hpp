#pragma once
// Backups with generations (BAK-1, BAK-3, BAK-4, PRC-8): a generation is one archive
// `NAME-YYYYMMDDTHHMMSSZ.tar.zst` (tar compressed with zstd, libarchive) with a sidecar
// `….json`: the manifest (every file's path, size and SHA-256), the archive's own SHA-256 and when
// it was made. The archive also carries the manifest as its last entry, so it explains itself
// without the sidecar. `Verify` re-reads everything and checks every checksum; `Restore` writes a
// generation into a directory that must be empty (unless told otherwise), checking each file as it
// is written. Retention keeps the newest N generations of a name in each directory. Blocking file
// work: call from a worker thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json.hpp"

namespace unyo::backup {

struct FileEntry {
    std::string path;  // inside the archive, relative, '/'-separated
    std::int64_t size = 0;
    std::string sha256;
};

struct Manifest {
    std::string name;
    Millis created_at = 0;
    std::vector<FileEntry> files;
    std::int64_t bytes = 0;       // of the files
    std::int64_t archive_bytes = 0;
    std::string archive_sha256;   // of the archive file (sidecar only)
};

[[nodiscard]] json::object ToJson(const Manifest& m);
[[nodiscard]] Result<Manifest> ManifestFromJson(const json::object& o);

/// A file or directory to back up, stored under `as` in the archive.
struct Source {
    std::filesystem::path path;
    std::string as;
};

struct CreateOptions {
    std::string name;  // 1–64 of A–Z a–z 0–9 _ -
    std::vector<Source> sources;
    std::filesystem::path destination;
    std::vector<std::filesystem::path> copies;  // secondary places: the same files, the same retention
    int generations = 7;
    int zstd_level = 3;
};

struct Generation {
    std::filesystem::path archive;
    Manifest manifest;
};

/// A backup job's spec: {name, sources: [{path, as?}], destination, copies?, generations?}; paths
/// absolute; every bad member named (`sources[1].path`).
[[nodiscard]] Result<CreateOptions> CreateOptionsFromJson(const json::object& spec);

/// Writes a new generation at `now` into the destination and each copy, then keeps the newest
/// `generations` there. Missing sources are an error naming them.
[[nodiscard]] Result<Generation> Create(const CreateOptions& o, Millis now);
/// The generations of `name` in `dir` (every name when empty), newest first, from their sidecars.
[[nodiscard]] Result<std::vector<Generation>> List(const std::filesystem::path& dir, const std::string& name = {});

struct VerifyResult {
    bool ok = false;
    std::vector<std::string> problems;  // what did not match, in words
    int files = 0;
    std::int64_t bytes = 0;
};
/// Re-reads `archive`: its SHA-256 against the sidecar, every entry against the manifest.
[[nodiscard]] VerifyResult Verify(const std::filesystem::path& archive);

/// Writes the files of `archive` under `target` (created; it must be empty unless `overwrite`),
/// checking each against the manifest. Error naming the first mismatch.
[[nodiscard]] Result<Manifest> Restore(const std::filesystem::path& archive, const std::filesystem::path& target,
                                       bool overwrite);

}  // namespace unyo::backup
