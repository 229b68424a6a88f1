#pragma once
// Job types that are steps of unyo's own rather than a program of the operator's: `http` (call an
// endpoint and judge its status), `file_wait` (wait until a file is there and has stopped
// growing) and `file_transfer` (send or fetch a file over SFTP, FTPS or FTP). Each runs as `unyo job-step TYPE --spec JSON` under the job supervisor, so it has the
// timeout, retries, output and reconciliation of any job; the exit status is the verdict.

#include <string>

#include "core/json.hpp"

namespace unyo::jobs {

/// Checks the spec of `type` (http, file_wait, file_transfer); errors name the member ("url").
[[nodiscard]] Result<void> CheckStepSpec(const std::string& type, const json::object& spec);

/// Runs the step; prints what it did; returns the process exit status (0: done).
/// http: {url, method?: GET|POST|PUT|DELETE|HEAD, body?, headers?: {name: value}, expect?: [statuses]
/// (default 200–299), timeout_s?}. file_wait: {path, stable_s?: seconds without growth (default 5),
/// poll_s?: 1}; waits until then (the job's timeout ends the wait). file_transfer: {direction: put|get,
/// local, url, user?, password_file?, private_key?, known_hosts?, host_key_sha256?, tls?, ca_file?,
/// create_dirs?, resume? (true), sidecar?, verify? (put), sha256? (get)} (transfer/transfer.hpp).
[[nodiscard]] int RunStep(const std::string& type, const json::object& spec);

}  // namespace unyo::jobs
