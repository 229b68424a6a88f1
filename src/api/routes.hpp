#pragma once
// The single route table of the HTTP API and the request pipeline in front of it.
// Each route states who may call it; the pipeline applies the guards in order (route → content
// type → authentication → CSRF → roles → password change → idempotency) and returns early with
// a problem document at the first that refuses.

#include <functional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "auth/roles.hpp"
#include "http/router.hpp"

namespace unyo::api {

using HandlerFn = std::function<Result<http::Response>(Context&)>;

/// Who may call a route.
enum class Access {
    kPublic,    // no sign-in (health, metrics, sign-in itself)
    kSignedIn,  // any signed-in user; `roles` further restricts when non-zero
};

struct Route {
    std::string method;
    std::string pattern;
    Access access = Access::kSignedIn;
    auth::RoleSet roles = 0;  // any of these roles (0: any signed-in user)
    bool idempotent = false;  // honours Idempotency-Key
    std::string summary;      // for OpenAPI
    std::string roles_note;   // who may call it, in words, for OpenAPI
    HandlerFn handler;
    bool raw_body = false;    // the body is a file of any type, not JSON
};

/// Role sets the route table uses.
inline constexpr auth::RoleSet kAdmin = auth::Bit(auth::Role::kAdmin);
inline constexpr auth::RoleSet kPlanners = auth::Bit(auth::Role::kAdmin) | auth::Bit(auth::Role::kManager);
inline constexpr auth::RoleSet kStaff =
    auth::Bit(auth::Role::kAdmin) | auth::Bit(auth::Role::kManager) | auth::Bit(auth::Role::kOperator);

/// Every route of the API; `maintenance_paths`: more paths of the public maintenance page.
[[nodiscard]] http::Router<Route> BuildRouter(const std::vector<std::string>& maintenance_paths = {});

/// The request pipeline: guards, then the route's handler; never throws.
[[nodiscard]] http::Response Dispatch(const http::Router<Route>& router, Services& services,
                                      http::Request& request);

/// The principal of `request` from its bearer token or session cookie; kUnauthenticated otherwise.
[[nodiscard]] Result<auth::Principal> Authenticate(Services& services,
                                                   const http::Request& request);

/// The OpenAPI 3.1 document of `router`.
[[nodiscard]] json::object OpenApiDocument(const http::Router<Route>& router);

// Handlers, one file per resource.
Result<http::Response> Healthz(Context& ctx);
Result<http::Response> Readyz(Context& ctx);
Result<http::Response> MetricsText(Context& ctx);
Result<http::Response> Login(Context& ctx);
Result<http::Response> Logout(Context& ctx);
Result<http::Response> Me(Context& ctx);
Result<http::Response> ChangeMyPassword(Context& ctx);
Result<http::Response> ListOrganizations(Context& ctx);
Result<http::Response> CreateOrganization(Context& ctx);
Result<http::Response> GetOrganization(Context& ctx);
Result<http::Response> UpdateOrganization(Context& ctx);
Result<http::Response> DeleteOrganization(Context& ctx);
Result<http::Response> ListUsers(Context& ctx);
Result<http::Response> CreateUser(Context& ctx);
Result<http::Response> GetUser(Context& ctx);
Result<http::Response> UpdateUser(Context& ctx);
Result<http::Response> DeleteUser(Context& ctx);
Result<http::Response> ResetUserPassword(Context& ctx);
Result<http::Response> UnlockUser(Context& ctx);
Result<http::Response> ListTokens(Context& ctx);
Result<http::Response> CreateToken(Context& ctx);
Result<http::Response> DeleteToken(Context& ctx);
Result<http::Response> ListLoginHistory(Context& ctx);
Result<http::Response> AccountInventory(Context& ctx);
Result<http::Response> ListAudit(Context& ctx);
Result<http::Response> EventStream(Context& ctx);
Result<http::Response> ListHolidays(Context& ctx);
Result<http::Response> ListCalendars(Context& ctx);
Result<http::Response> CreateCalendar(Context& ctx);
Result<http::Response> GetCalendar(Context& ctx);
Result<http::Response> UpdateCalendar(Context& ctx);
Result<http::Response> DeleteCalendar(Context& ctx);
Result<http::Response> CalendarDays(Context& ctx);
/// Adds the routes of every record kind (record_handlers.cpp).
void AddRecordRoutes(http::Router<Route>& router);
/// /api/v1/saved-views (view_handlers.cpp).
void AddViewRoutes(http::Router<Route>& router);
/// Monitors, alerts, notifications, planned stops, availability (monitoring_handlers.cpp).
void AddMonitoringRoutes(http::Router<Route>& router, const std::vector<std::string>& maintenance_paths);
/// Inbound events and the Alertmanager webhook (event_handlers.cpp).
void AddEventRoutes(http::Router<Route>& router);
/// Jobnets and their runs (job_handlers.cpp).
void AddJobRoutes(http::Router<Route>& router);
/// unyo's own backups and restore drills (backup_handlers.cpp).
void AddBackupRoutes(http::Router<Route>& router);
/// The operation calendar and its iCalendar feed (opscal_handlers.cpp).
void AddOpscalRoutes(http::Router<Route>& router);
/// Role division matrices (raci_handlers.cpp).
void AddRaciRoutes(http::Router<Route>& router);
/// Procedures with approval gates (procedure_handlers.cpp).
void AddProcedureRoutes(http::Router<Route>& router);
/// Configuration items (ci_handlers.cpp).
void AddCiRoutes(http::Router<Route>& router);
/// The service catalogue (catalog_handlers.cpp).
void AddCatalogRoutes(http::Router<Route>& router);
/// The documents register (document_handlers.cpp).
void AddDocumentRoutes(http::Router<Route>& router);
void AddAdvisoryRoutes(http::Router<Route>& router);
void AddHandoverRoutes(http::Router<Route>& router);
void AddManagedAccountRoutes(http::Router<Route>& router);
void AddChecklistRoutes(http::Router<Route>& router);
void AddEscalationRoutes(http::Router<Route>& router);
void AddReorganisationRoutes(http::Router<Route>& router);
/// The knowledge base (knowledge_handlers.cpp).
void AddKnowledgeRoutes(http::Router<Route>& router);
/// The operation reports and their settings (report_handlers.cpp).
void AddReportRoutes(http::Router<Route>& router);
/// The handover export (data_export_handlers.cpp).
void AddDataExportRoutes(http::Router<Route>& router);

}  // namespace unyo::api
