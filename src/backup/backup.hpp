#pragma once
// Backups with generations (BAK-1, BAK-3, BAK-4, PRC-8): a generation is one archive
// `NAME-YYYYMMDDTHHMMSSZ.tar.zst` (tar compressed with zstd, libarchive) with a sidecar
// `….json`: the manifest (every file's path, size and SHA-256), the archive's own SHA-256 and when
// it was made. The archive also carries the manifest as its last entry, so it explains itself
// without the sidecar. With a key file the archive is encrypted (`….tar.zst.enc`: libsodium's
// secretstream, XChaCha20-Poly1305 in 256 KiB chunks, so any change or truncation is found); the
// sidecar names the key file (never the key) and the key's id, and verify, restore and drills read
// that file. A source may be a command whose output is the data (`pg_dump …`). A remote copy
// goes to an SFTP or FTP(S) directory, with the same retention there. `Verify` re-reads everything and checks every checksum; `Restore` writes a
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
#include "transfer/transfer.hpp"

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
    std::string encryption;       // "" or "xchacha20poly1305-secretstream"
    std::string key_file, key_id; // where the key was read, and a hash of it (to tell a wrong key)
};

[[nodiscard]] json::object ToJson(const Manifest& m);
[[nodiscard]] Result<Manifest> ManifestFromJson(const json::object& o);

/// A file or directory to back up, stored under `as` in the archive; or a command (argv, no
/// shell) whose standard output is stored as the file `as`.
struct Source {
    std::filesystem::path path;
    std::string as;
    std::vector<std::string> command;
};

struct CreateOptions {
    std::string name;  // 1–64 of A–Z a–z 0–9 _ -
    std::vector<Source> sources;
    std::filesystem::path destination;
    std::vector<std::filesystem::path> copies;  // secondary places: the same files, the same retention
    int generations = 7;
    int zstd_level = 3;
    std::filesystem::path key_file;  // encrypt with the key in it (64 hex digits) when given
    std::optional<transfer::Endpoint> remote;  // a directory URL (ending in '/') on another host
};

struct Generation {
    std::filesystem::path archive;
    Manifest manifest;
};

/// A backup job's spec: {name, sources: [{path, as?} or {command: [argv], as}], destination,
/// copies?, generations?, encrypt?: {key_file}, remote?: {url, user?, …}}; paths absolute; every
/// bad member named (`sources[1].path`).
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
/// Re-reads `archive`: its SHA-256 against the sidecar, every entry against the manifest (an
/// encrypted one decrypted with the key file its sidecar names, or `key_file`).
[[nodiscard]] VerifyResult Verify(const std::filesystem::path& archive, const std::filesystem::path& key_file = {});

/// Writes the files of `archive` under `target` (created; it must be empty unless `overwrite`),
/// checking each against the manifest. Error naming the first mismatch.
[[nodiscard]] Result<Manifest> Restore(const std::filesystem::path& archive, const std::filesystem::path& target,
                                       bool overwrite, const std::filesystem::path& key_file = {});

}  // namespace unyo::backup
