#pragma once
// Monitors as YAML (`unyo monitors export|import`): the definitions an operator keeps in version
// control or carries from one installation to another. Parents are named, not numbered, so a
// file means the same in any database. Import matches monitors by name: new ones are created,
// changed ones updated, the rest left alone; every entry is validated before anything is
// written, and errors name the entry (`monitors[2].target.port`).

#include <string>
#include <string_view>

#include "monitor/monitor_store.hpp"

namespace unyo::monitor {

/// Every monitor, ordered by name, as a YAML document `monitors: [...]`.
[[nodiscard]] std::string ExportYaml(const std::vector<Monitor>& monitors);

struct ImportSummary {
    int created = 0, updated = 0, unchanged = 0;
};

/// Applies `yaml` to the store (nothing when `dry_run`: the summary says what would happen).
[[nodiscard]] Result<ImportSummary> ImportYaml(MonitorStore& store, std::string_view yaml, const audit::Actor& actor,
                                               bool dry_run);

}  // namespace unyo::monitor
