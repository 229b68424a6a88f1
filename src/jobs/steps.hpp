#pragma once
// Job types that are steps of unyo's own rather than a program of the operator's: `http` (call an
// endpoint and judge its status) and `file_wait` (wait until a file is there and has stopped
// growing). Each runs as `unyo job-step TYPE --spec JSON` under the job supervisor, so it has the
// timeout, retries, output and reconciliation of any job; the exit status is the verdict.

#include <string>

#include "core/json.hpp"

namespace unyo::jobs {

/// Checks the spec of `type` (http, file_wait); errors name the member ("url").
[[nodiscard]] Result<void> CheckStepSpec(const std::string& type, const json::object& spec);

/// Runs the step; prints what it did; returns the process exit status (0: done).
/// http: {url, method?: GET|POST|PUT|DELETE|HEAD, body?, headers?: {name: value}, expect?: [statuses]
/// (default 200–299), timeout_s?}. file_wait: {path, stable_s?: seconds without growth (default 5),
/// poll_s?: 1}; waits until then (the job's timeout ends the wait).
[[nodiscard]] int RunStep(const std::string& type, const json::object& spec);

}  // namespace unyo::jobs
