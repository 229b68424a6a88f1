#pragma once
// What a handler gets: the request, the signed-in principal, the services, and helpers that turn
// query strings and bodies into typed values with field-named errors. One per request; handlers
// run on the blocking pool.

#include <map>
#include <optional>
#include <string>

#include "audit/audit_log.hpp"
#include "auth/accounts.hpp"
#include "calendar/calendar_store.hpp"
#include "backup/self_backup.hpp"
#include "dataexport/dataexport.hpp"
#include "jobs/runner.hpp"
#include "opscal/events.hpp"
#include "alerts/alert_rules.hpp"
#include "alerts/alert_service.hpp"
#include "monitor/engine.hpp"
#include "records/record_service.hpp"
#include "records/saved_views.hpp"
#include "core/clock.hpp"
#include "http/message.hpp"
#include "http/metrics.hpp"
#include "http/static_files.hpp"
#include "storage/sql/database.hpp"

namespace unyo::api {

/// The monitoring side (issue 5); owned by app.
struct MonitoringServices {
    monitor::MonitorStore& monitors;
    monitor::Engine& engine;
    monitor::ResultStore& results;
    alerts::AlertService& alerts;
    notify::Outbox& outbox;
    opscal::PlannedStops& stops;
    alerts::AlertRules& rules;
    /// More maintenance pages: path → the service each speaks for (config planned_stops).
    std::map<std::string, std::string> maintenance_pages;
};

/// Jobnets and their runs (issue 6); owned by app.
struct JobServices {
    jobs::JobnetStore& jobnets;
    jobs::Runner& runner;
    backup::SelfOptions self_backup;  // unyo's own backups (destination, generations)
    opscal::OpsEvents& events;        // the operation calendar's events
};

/// Everything the handlers reach; owned by app, outlives the server.
struct Services {
    storage::Database& db;
    auth::AccountService& accounts;
    calendar::CalendarStore& calendars;
    records::RecordService& records;
    records::SavedViews& views;
    http::Metrics& metrics;
    const Clock& clock;
    const std::vector<http::StaticFile>& console_files;  // served for GET outside /api/
    MonitoringServices& monitoring;
    JobServices& jobs;
    dataexport::ExportJob* exports = nullptr;  // the handover export (KNW-2)
};

class Context {
  public:
    Context(Services& services, http::Request& request) : services_(services), request_(request) {}

    [[nodiscard]] Services& services() { return services_; }
    [[nodiscard]] const Services& services() const { return services_; }
    [[nodiscard]] auth::AccountService& accounts() { return services_.accounts; }
    [[nodiscard]] const http::Request& request() const { return request_; }
    /// The signed-in principal; only on routes that require one.
    [[nodiscard]] const auth::Principal& principal() const { return *principal_; }
    [[nodiscard]] bool signed_in() const { return principal_.has_value(); }
    void set_principal(auth::Principal p) { principal_ = std::move(p); }
    /// The actor for audit entries: the principal and the client address.
    [[nodiscard]] audit::Actor actor() const;

    /// The JSON object body. Error 400 when malformed.
    [[nodiscard]] Result<json::object> Body() const { return ParseObject(request_.body); }
    /// The JSON object body, or an empty object when there is none.
    [[nodiscard]] Result<json::object> BodyOrEmpty() const {
        return request_.body.empty() ? Result<json::object>(json::object{}) : Body();
    }
    /// The integer path parameter `name`; 404 when it is not a positive integer.
    [[nodiscard]] Result<std::int64_t> IdParam(std::string_view name = "id") const;
    /// The integer query parameter; 400 naming it when malformed or outside [min, max].
    [[nodiscard]] Result<std::optional<std::int64_t>> QueryInt(std::string_view name,
                                                               std::int64_t min,
                                                               std::int64_t max) const;
    [[nodiscard]] std::optional<std::string> QueryString(std::string_view name) const;
    /// An RFC 3339 instant or a date; 400 naming it when malformed.
    [[nodiscard]] Result<std::optional<Millis>> QueryTime(std::string_view name) const;
    /// true/false; 400 naming it when neither.
    [[nodiscard]] Result<std::optional<bool>> QueryBool(std::string_view name) const;
    /// `limit` (1–500, default 50).
    [[nodiscard]] Result<int> Limit() const;
    /// The version from If-Match (`"3"` or `W/"3"`): 428 when missing, 412 when not ours.
    [[nodiscard]] Result<std::int64_t> IfMatchVersion() const;

    /// Set by the pipeline when the request carries an Idempotency-Key.
    void set_idempotency(std::string key, std::string request_hash) {
        idempotency_key_ = std::move(key);
        request_hash_ = std::move(request_hash);
    }
    /// A hook that records this request's key with the created resource inside the create's
    /// transaction (empty when the request has no key). `location_prefix` + id gives Location.
    [[nodiscard]] auth::TxHook IdempotencyHook(std::string location_prefix) const;

  private:
    Services& services_;
    http::Request& request_;
    std::optional<auth::Principal> principal_;
    std::string idempotency_key_;
    std::string request_hash_;
};

/// `"<version>"`.
[[nodiscard]] std::string ETag(std::int64_t version);
/// 200 (or `status`) with the resource's JSON and its ETag.
[[nodiscard]] http::Response ResourceResponse(const json::object& body, std::int64_t version,
                                              int status = 200);
/// 201 with Location and ETag.
[[nodiscard]] http::Response CreatedResponse(const json::object& body, std::int64_t version,
                                             const std::string& location);
/// `{items, next_cursor}`.
[[nodiscard]] http::Response ListResponse(json::array items,
                                          std::optional<std::int64_t> next_cursor);

}  // namespace unyo::api
