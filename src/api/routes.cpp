#include "api/routes.hpp"

namespace unyo::api {
http::Router<Route> BuildRouter(const std::vector<std::string>& maintenance_paths) {
    http::Router<Route> r;
    const auto add = [&r](Route route) { r.Add(std::move(route)); };
    const auto pub = Access::kPublic;
    const auto in = Access::kSignedIn;

    add({"GET", "/healthz", pub, 0, false, "Liveness", "anyone", Healthz});
    add({"GET", "/readyz", pub, 0, false, "Readiness (database answers)", "anyone", Readyz});
    add({"GET", "/metrics", pub, 0, false, "Prometheus metrics", "anyone", MetricsText});
    add({"GET", "/api/v1/openapi.json", pub, 0, false, "This document", "anyone", nullptr});

    add({"POST", "/api/v1/session", pub, 0, false, "Sign in", "anyone", Login});
    add({"DELETE", "/api/v1/session", in, 0, false, "Sign out", "any signed-in user", Logout});
    add({"GET", "/api/v1/me", in, 0, false, "The signed-in user", "any signed-in user", Me});
    add({"POST", "/api/v1/me/password", in, 0, false, "Change one's own password",
         "any signed-in user", ChangeMyPassword});

    add({"GET", "/api/v1/organizations", in, 0, false,
         "List organisations (format=csv|xlsx to download)", "any signed-in user",
         ListOrganizations});
    add({"POST", "/api/v1/organizations", in, kAdmin, true, "Create an organisation", "admin",
         CreateOrganization});
    add({"GET", "/api/v1/organizations/{id}", in, 0, false, "One organisation",
         "any signed-in user", GetOrganization});
    add({"PATCH", "/api/v1/organizations/{id}", in, kAdmin, false,
         "Change an organisation (If-Match)", "admin", UpdateOrganization});
    add({"DELETE", "/api/v1/organizations/{id}", in, kAdmin, false,
         "Delete an organisation without users", "admin", DeleteOrganization});

    add({"GET", "/api/v1/users", in, kStaff, false, "List users (format=csv|xlsx to download)",
         "admin: all; manager, operator: own organisation", ListUsers});
    add({"POST", "/api/v1/users", in, kAdmin, true, "Create a user", "admin", CreateUser});
    add({"GET", "/api/v1/users/{id}", in, 0, false, "One user",
         "admin; others within their organisation", GetUser});
    add({"PATCH", "/api/v1/users/{id}", in, kAdmin, false, "Change a user (If-Match)", "admin",
         UpdateUser});
    add({"DELETE", "/api/v1/users/{id}", in, kAdmin, false, "Delete a user", "admin (not oneself)",
         DeleteUser});
    add({"POST", "/api/v1/users/{id}/password", in, kAdmin, false, "Set a user's password", "admin",
         ResetUserPassword});
    add({"POST", "/api/v1/users/{id}/unlock", in, kAdmin, false, "Unlock a locked account", "admin",
         UnlockUser});

    add({"GET", "/api/v1/tokens", in, 0, false, "List API tokens", "own; admin all with all=true",
         ListTokens});
    add({"POST", "/api/v1/tokens", in, 0, false, "Create an API token (secret shown once)",
         "any signed-in user", CreateToken});
    add({"DELETE", "/api/v1/tokens/{id}", in, 0, false, "Revoke an API token", "its owner or admin",
         DeleteToken});

    add({"GET", "/api/v1/login-history", in, 0, false,
         "Sign-in history (format=csv|xlsx to download)", "admin: all; others: their own",
         ListLoginHistory});
    add({"GET", "/api/v1/accounts/inventory", in, kAdmin, false,
         "Account inventory: dormant, locked, disabled (format=csv|xlsx)", "admin",
         AccountInventory});
    add({"GET", "/api/v1/audit", in, kAdmin, false, "Audit log (format=csv|xlsx to download)",
         "admin", ListAudit});
    add({"GET", "/api/v1/stream", in, kAdmin, false,
         "Live updates (Server-Sent Events; topics=audit)", "admin", EventStream});

    add({"GET", "/api/v1/holidays", in, 0, false, "Japanese national holidays between from and to",
         "any signed-in user", ListHolidays});
    add({"GET", "/api/v1/calendars", in, 0, false, "List business calendars", "any signed-in user", ListCalendars});
    add({"POST", "/api/v1/calendars", in, kPlanners, false, "Create a business calendar", "admin, manager",
         CreateCalendar});
    add({"GET", "/api/v1/calendars/{id}", in, 0, false, "One business calendar", "any signed-in user", GetCalendar});
    add({"PATCH", "/api/v1/calendars/{id}", in, kPlanners, false, "Change a business calendar (If-Match)",
         "admin, manager", UpdateCalendar});
    add({"DELETE", "/api/v1/calendars/{id}", in, kPlanners, false, "Delete a business calendar", "admin, manager",
         DeleteCalendar});
    add({"GET", "/api/v1/calendars/{id}/days", in, 0, false, "Each day between from and to: open or closed and why",
         "any signed-in user", CalendarDays});
    AddRecordRoutes(r);
    AddViewRoutes(r);
    AddMonitoringRoutes(r, maintenance_paths);
    AddEventRoutes(r);
    AddJobRoutes(r);
    AddBackupRoutes(r);
    AddRaciRoutes(r);
    AddProcedureRoutes(r);
    AddCiRoutes(r);
    AddCatalogRoutes(r);
    AddDocumentRoutes(r);
    AddAdvisoryRoutes(r);
    AddHandoverRoutes(r);
    AddManagedAccountRoutes(r);
    AddChecklistRoutes(r);
    AddEscalationRoutes(r);
    AddReorganisationRoutes(r);
    AddKnowledgeRoutes(r);
    AddReportRoutes(r);
    AddDataExportRoutes(r);
    AddOpscalRoutes(r);
    return r;
}

}  // namespace unyo::api
