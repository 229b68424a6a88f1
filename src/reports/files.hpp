#pragma once
// Report files that need more than a string builder: a ZIP of several files (the CSV tables of a
// report) and a PDF printed from the HTML master by headless Chromium, when it is installed.
// Blocking; call from the blocking pool or the CLI.

#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace unyo::reports {

/// A ZIP archive of (name, bytes) in order, each stored with a fixed time so that the same files
/// give the same archive.
[[nodiscard]] Result<std::string> RenderZip(const std::vector<std::pair<std::string, std::string>>& files);

/// The Chromium to print with: $UNYO_CHROMIUM, else chromium or chromium-browser on PATH. Error
/// kUnavailable saying how to install it when there is none.
[[nodiscard]] Result<std::string> FindChromium();

/// `html` printed to A4 PDF by headless Chromium (nothing fetched: the document is self-contained).
/// Error kUnavailable saying how to install Chromium when there is none; kInternal when it fails
/// or takes longer than `timeout_s`.
[[nodiscard]] Result<std::string> RenderPdf(const std::string& html, int timeout_s = 60);

}  // namespace unyo::reports
