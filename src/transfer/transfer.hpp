#pragma once
// File transfer to and from other hosts (JOB-8) over SFTP, FTPS and FTP with libcurl: PUT and GET
// with resume (an interrupted transfer goes on from where it stopped, where the server allows),
// the SHA-256 of what was sent or received, a checksum file beside the data (`NAME.sha256`) and a
// read-back check of an upload. An upload goes to `NAME.part` and is renamed when complete, so a
// receiver waiting for the file never sees half of it. Credentials come from files (a password
// file, an SSH key), never from the definition; SFTP needs the server's host key (a known_hosts
// file or its SHA-256 fingerprint) and FTPS checks the server's certificate: no unverified peers.
// Blocking: run from a job step or a worker thread.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/json.hpp"

namespace unyo::transfer {

/// Where and how to connect: `url` is sftp://host[:port]/path, ftps://host/path (TLS from the
/// start) or ftp://host/path (with `tls`: AUTH TLS required; without, plain FTP).
struct Endpoint {
    std::string url;
    std::string user;
    std::filesystem::path password_file;  // its first line is the password
    std::filesystem::path private_key, known_hosts;  // SFTP
    std::string host_key_sha256;                     // SFTP: base64, as `ssh-keygen -l` prints after SHA256:
    bool tls = false;                                // ftp:// only
    std::filesystem::path ca_file;                   // FTPS: the CA that signed the server's certificate
    bool create_dirs = false;                        // make missing remote directories on upload
    int connect_timeout_s = 30;
};

/// Reads the connection members of `f`'s object (url, user, password_file, private_key,
/// known_hosts, host_key_sha256, tls, ca_file, create_dirs); each bad one is named in `f`.
[[nodiscard]] Endpoint EndpointFromJson(FieldReader& f);
/// EndpointFromJson of a directory: its `url` must end in '/' (backups' remote copies).
[[nodiscard]] Endpoint DirectoryFromJson(FieldReader& f);
/// The members EndpointFromJson reads and `also`, for FieldReader::AllowOnly.
[[nodiscard]] std::vector<std::string_view> EndpointMembersAnd(std::initializer_list<std::string_view> also = {});

struct Outcome {
    std::int64_t bytes = 0;         // of the whole file
    std::int64_t resumed_from = 0;  // bytes already there from an interrupted transfer
    std::string sha256;             // of the whole file
};

struct PutOptions {
    bool resume = true;
    bool sidecar = false;  // also write NAME.sha256 ("HEX  NAME\n")
    bool verify = false;   // read the upload back and compare its SHA-256 (always after a resume)
};
/// Sends `local` to the file `e.url` names (via `NAME.part`, renamed at the end).
[[nodiscard]] Result<Outcome> Put(const Endpoint& e, const std::filesystem::path& local, const PutOptions& o = {});

struct GetOptions {
    bool resume = true;
    bool sidecar = false;         // read NAME.sha256 beside and compare
    std::string expected_sha256;  // compare when given
};
/// Fetches the file `e.url` names into `local` (via `local.part`, renamed once checked).
[[nodiscard]] Result<Outcome> Get(const Endpoint& e, const std::filesystem::path& local, const GetOptions& o = {});

/// The names in the remote directory `e.url` (ending in '/').
[[nodiscard]] Result<std::vector<std::string>> List(const Endpoint& e);
/// Removes the remote file `name` in the directory `e.url` (ending in '/').
[[nodiscard]] Result<void> Remove(const Endpoint& e, const std::string& name);

/// `e` pointing at `name` inside its directory URL (which ends in '/').
[[nodiscard]] Endpoint At(const Endpoint& e, const std::string& name);

}  // namespace unyo::transfer
