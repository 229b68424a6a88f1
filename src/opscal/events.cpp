#include "opscal/events.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/time_format.hpp"

namespace unyo::opscal {
namespace {

constexpr const char* kColumns =
    "id, kind, title, note, service, starts_at, ends_at, recurrence_json, calendar_id, created_by, created_at, "
    "updated_at, version";
const std::vector<std::string> kKinds{"maintenance", "inspection", "power_outage", "patch", "meeting", "other"};

json::object RecurrenceJson(const Recurrence& r) {
    json::object o{{"days", jobs::ToJson(r.days)},
                   {"from", calendar::FormatClock(r.from_minutes)},
                   {"to", calendar::FormatClock(r.to_minutes)}};
    if (r.until) o["until"] = r.until->ToString();
    return o;
}

Result<Recurrence> RecurrenceFromJson(const json::object& o) {
    Recurrence r;
    FieldReader f(o);
    f.AllowOnly({"days", "from", "to", "until"});
    if (const auto* d = o.if_contains("days"); d && d->is_object()) {
        if (auto days = jobs::DayRuleFromJson(d->as_object())) {
            r.days = std::move(*days);
        } else {
            f.AddErrors("days", days.error());
        }
    } else {
        f.AddError("days", "is required: a day rule such as {\"rule\": \"last_open_day\"}");
    }
    if (auto m = calendar::ReadClock(f, "from")) r.from_minutes = *m;
    if (auto m = calendar::ReadClock(f, "to")) r.to_minutes = *m;
    if (auto u = f.OptionalString("until", 10)) {
        r.until = calendar::Date::Parse(*u);
        if (!r.until) f.AddError("until", fmt::format("'{}' is not a day YYYY-MM-DD", *u));
    }
    UNYO_TRY_VOID(f.Finish());
    return r;
}

OpsEvent FromRow(const storage::Row& row) {
    OpsEvent e;
    e.id = row.Int(0);
    e.kind = row.Text(1);
    e.title = row.Text(2);
    e.note = row.Text(3);
    e.service = row.Text(4);
    e.starts_at = row.Int(5);
    e.ends_at = row.Int(6);
    if (const auto r = row.OptText(7)) {
        if (auto rec = RecurrenceFromJson(ParseObjectOrEmpty(*r))) e.recurrence = std::move(*rec);
    }
    e.calendar_id = row.OptInt(8);
    e.created_by = row.Text(9);
    e.created_at = row.Int(10);
    e.updated_at = row.Int(11);
    e.version = row.Int(12);
    return e;
}

Result<OpsEvent> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM opscal_events WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("calendar event {} does not exist", id)));
    return FromRow(rows.front());
}

std::string IcsText(std::string_view s) {
    std::string out;
    for (const char c : s) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case ';': out += "\\;"; break;
            case ',': out += "\\,"; break;
            case '\n': out += "\\n"; break;
            case '\r': break;
            default: out += c;
        }
    }
    return out;
}

// One content line, folded at 75 octets without splitting a UTF-8 character, ended by CRLF.
void IcsLine(std::string& out, const std::string& line) {
    std::size_t start = 0, limit = 75;
    while (line.size() - start > limit) {
        std::size_t cut = start + limit;
        while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
        out.append(line, start, cut - start);
        out += "\r\n ";
        start = cut;
        limit = 74;  // the leading space counts
    }
    out.append(line, start, std::string::npos);
    out += "\r\n";
}

Result<void> CheckCalendar(storage::Connection& c, const OpsEvent& e) {
    if (!e.calendar_id) return {};
    auto rows = UNYO_TRY(c.Query("SELECT 1 FROM calendars WHERE id = $1", {*e.calendar_id}));
    if (rows.empty()) return Fail(Error::Field("calendar_id", fmt::format("calendar {} does not exist", *e.calendar_id)));
    return {};
}

}  // namespace

json::object ToJson(const OpsEvent& e) {
    return {{"id", e.id},
            {"kind", e.kind},
            {"title", e.title},
            {"note", e.note},
            {"service", e.service},
            {"starts_at", FormatRfc3339(e.starts_at)},
            {"ends_at", e.recurrence ? json::value(nullptr) : json::value(FormatRfc3339(e.ends_at))},
            {"recurrence", e.recurrence ? json::value(RecurrenceJson(*e.recurrence)) : json::value(nullptr)},
            {"calendar_id", OrNull(e.calendar_id)},
            {"created_by", e.created_by},
            {"created_at", FormatRfc3339(e.created_at)},
            {"updated_at", FormatRfc3339(e.updated_at)},
            {"version", e.version}};
}

json::object ToJson(const CalendarItem& i) {
    return {{"uid", i.uid},
            {"source", i.source},
            {"kind", i.kind},
            {"kind_label", KindLabel(i.source, i.kind)},
            {"title", i.title},
            {"note", i.note},
            {"service", i.service},
            {"starts_at", FormatRfc3339(i.starts_at)},
            {"ends_at", FormatRfc3339(i.ends_at)},
            {"ref_id", i.ref_id}};
}

std::string_view KindLabel(std::string_view source, std::string_view kind) {
    if (source == "planned_stop") return "計画停止";
    if (source == "jobnet") return "ジョブネット";
    if (kind == "maintenance") return "保守作業";
    if (kind == "inspection") return "点検";
    if (kind == "power_outage") return "停電";
    if (kind == "patch") return "パッチ適用";
    if (kind == "meeting") return "会議";
    return "その他";
}

std::string ToICalendar(const std::vector<CalendarItem>& items, Millis now, const std::string& name) {
    std::string out;
    IcsLine(out, "BEGIN:VCALENDAR");
    IcsLine(out, "VERSION:2.0");
    IcsLine(out, "PRODID:-//unyo//operation calendar//JA");
    IcsLine(out, "CALSCALE:GREGORIAN");
    IcsLine(out, "METHOD:PUBLISH");
    IcsLine(out, "X-WR-CALNAME:" + IcsText(name));
    for (const auto& i : items) {
        IcsLine(out, "BEGIN:VEVENT");
        IcsLine(out, "UID:" + i.uid);
        IcsLine(out, "DTSTAMP:" + FormatCompactUtc(now, false));
        IcsLine(out, "DTSTART:" + FormatCompactUtc(i.starts_at, false));
        if (i.ends_at > i.starts_at) IcsLine(out, "DTEND:" + FormatCompactUtc(i.ends_at, false));
        IcsLine(out, "SUMMARY:" + IcsText(fmt::format("[{}] {}", KindLabel(i.source, i.kind), i.title)));
        std::string description = i.note;
        if (!i.service.empty()) description += (description.empty() ? "" : "\n") + std::string("サービス: ") + i.service;
        if (!description.empty()) IcsLine(out, "DESCRIPTION:" + IcsText(description));
        IcsLine(out, "CATEGORIES:" + IcsText(std::string(KindLabel(i.source, i.kind))));
        IcsLine(out, "END:VEVENT");
    }
    IcsLine(out, "END:VCALENDAR");
    return out;
}

Result<OpsEvent> OpsEvents::Read(const json::object& body, OpsEvent e, bool create) {
    FieldReader f(body);
    f.AllowOnly({"kind", "title", "note", "service", "starts_at", "ends_at", "recurrence", "calendar_id"});
    if (create || f.Has("kind")) {
        e.kind = f.RequiredString("kind", 40);
        if (!e.kind.empty() && std::find(kKinds.begin(), kKinds.end(), e.kind) == kKinds.end()) {
            f.AddError("kind", "must be maintenance, inspection, power_outage, patch, meeting or other");
        }
    }
    if (create || f.Has("title")) e.title = f.RequiredString("title", 200);
    if (auto n = f.OptionalString("note", 4000)) e.note = *n;
    if (auto s = f.OptionalString("service", 200)) e.service = *s;
    const auto starts = f.OptionalInstant("starts_at");
    const auto ends = f.OptionalInstant("ends_at");
    if (starts) e.starts_at = *starts;
    if (ends) e.ends_at = *ends;
    if (create && !starts) f.AddError("starts_at", "is required (an RFC 3339 time)");
    if (const auto* r = body.if_contains("recurrence")) {
        if (r->is_null()) {
            e.recurrence.reset();
        } else if (!r->is_object()) {
            f.AddError("recurrence", "must be an object {days, from, to, until?} or null");
        } else if (auto rec = RecurrenceFromJson(r->as_object())) {
            e.recurrence = std::move(*rec);
        } else {
            f.AddErrors("recurrence", rec.error());
        }
    } else if (create && e.kind == "maintenance" && !ends) {
        // 月1回、平日18:00~翌8:00 (seed 003 §5(1)): on the month's last business day by default.
        Recurrence m;
        m.days.kind = jobs::DayRule::Kind::kLastOpenDay;
        e.recurrence = m;
    }
    if (const auto* c = body.if_contains("calendar_id")) {
        if (c->is_null()) {
            e.calendar_id.reset();
        } else if (!c->is_int64()) {
            f.AddError("calendar_id", "must be a calendar id or null");
        } else {
            e.calendar_id = c->as_int64();
        }
    }
    if (!e.recurrence) {
        if (create && !ends) f.AddError("ends_at", "is required for an event that does not recur");
        if (e.ends_at <= e.starts_at && (starts || ends)) f.AddError("ends_at", "must be after starts_at");
    } else {
        e.ends_at = e.starts_at;
    }
    UNYO_TRY_VOID(f.Finish());
    return e;
}

Result<std::vector<CalendarItem>> OpsEvents::Occurrences(Millis from, Millis to) {
    auto all = UNYO_TRY(db_.Read([&](storage::Connection& c) -> Result<std::vector<OpsEvent>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM opscal_events WHERE recurrence_json IS NOT NULL OR "
                                                 "(starts_at < $2 AND ends_at > $1) ORDER BY starts_at",
                                                 kColumns),
                                     {from, to}));
        std::vector<OpsEvent> out;
        for (const auto& r : rows.rows) out.push_back(FromRow(r));
        return out;
    }));
    std::vector<CalendarItem> items;
    const auto item = [](const OpsEvent& e, Millis s, Millis t) {
        return CalendarItem{fmt::format("event-{}-{}@unyo", e.id, FormatCompactUtc(s, false)), "event", e.kind, e.title, e.note,
                            e.service, s, t, e.id};
    };
    for (const auto& e : all) {
        if (!e.recurrence) {
            items.push_back(item(e, e.starts_at, e.ends_at));
            continue;
        }
        calendar::CalendarRules rules;
        if (e.calendar_id) {
            if (auto stored = calendars_.Get(*e.calendar_id)) rules = stored->rules;
        }
        const auto cal = UNYO_TRY(calendar::BusinessCalendar::Create(rules));
        const int offset = rules.utc_offset_minutes;
        const auto& r = *e.recurrence;
        jobs::Schedule s;
        s.days = r.days;
        s.shift = jobs::Shift::kLater;
        const int length = ((r.to_minutes - r.from_minutes + 24 * 60 - 1) % (24 * 60)) + 1;  // to ≤ from: next day
        const auto first = calendar::Date::FromInstant(std::max(from, e.starts_at) - kDayMs, offset);
        auto last = calendar::Date::FromInstant(to, offset);
        if (r.until && *r.until < last) last = *r.until;
        if (last < first) continue;
        for (const auto d : jobs::BusinessDays(s, cal, first, last)) {
            const Millis begin = d.StartInstant(offset) + r.from_minutes * kMinuteMs;
            const Millis end = begin + length * kMinuteMs;
            if (begin < e.starts_at || begin >= to || end <= from) continue;
            items.push_back(item(e, begin, end));
        }
    }
    std::sort(items.begin(), items.end(), [](const CalendarItem& a, const CalendarItem& b) { return a.starts_at < b.starts_at; });
    return items;
}

Result<std::vector<OpsEvent>> OpsEvents::List() {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<OpsEvent>> {
        auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM opscal_events ORDER BY starts_at, id", kColumns), {}));
        std::vector<OpsEvent> out;
        for (const auto& r : rows.rows) out.push_back(FromRow(r));
        return out;
    });
}

Result<OpsEvent> OpsEvents::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<OpsEvent> OpsEvents::Create(const json::object& body, const audit::Actor& actor) {
    OpsEvent e = UNYO_TRY(Read(body, OpsEvent{}, true));
    e.created_by = actor.login;
    e.created_at = e.updated_at = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<OpsEvent> {
        UNYO_TRY_VOID(CheckCalendar(c, e));
        auto rows = UNYO_TRY(c.Query(
            "INSERT INTO opscal_events (kind, title, note, service, starts_at, ends_at, recurrence_json, calendar_id, "
            "created_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1) "
            "RETURNING id",
            {e.kind, e.title, e.note, e.service, e.starts_at, e.ends_at,
             e.recurrence ? storage::Value(json::serialize(RecurrenceJson(*e.recurrence))) : storage::Value{},
             storage::Nullable(e.calendar_id), e.created_by, e.created_at}));
        e.id = rows.front().Int(0);
        UNYO_TRY(audit::Append(c, actor, {"opscal_event.create", "opscal_event", std::to_string(e.id), nullptr, ToJson(e)},
                               e.created_at));
        return e;
    });
}

Result<OpsEvent> OpsEvents::Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                   const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<OpsEvent> {
        const OpsEvent before = UNYO_TRY(Load(c, id));
        if (before.version != expected_version) {
            return Fail({ErrorCode::kPreconditionFailed,
                         fmt::format("calendar event {} was changed by someone else (now version {})", id, before.version),
                         {}});
        }
        OpsEvent after = UNYO_TRY(Read(body, before, false));
        UNYO_TRY_VOID(CheckCalendar(c, after));
        after.updated_at = clock_.Now();
        after.version = before.version + 1;
        UNYO_TRY(c.Exec("UPDATE opscal_events SET kind = $1, title = $2, note = $3, service = $4, starts_at = $5, "
                        "ends_at = $6, recurrence_json = $7, calendar_id = $8, updated_at = $9, version = $10 WHERE id = $11",
                        {after.kind, after.title, after.note, after.service, after.starts_at, after.ends_at,
                         after.recurrence ? storage::Value(json::serialize(RecurrenceJson(*after.recurrence)))
                                          : storage::Value{},
                         storage::Nullable(after.calendar_id), after.updated_at, after.version, id}));
        UNYO_TRY(audit::Append(c, actor, {"opscal_event.update", "opscal_event", std::to_string(id), ToJson(before), ToJson(after)},
                               after.updated_at));
        return after;
    });
}

Result<void> OpsEvents::Delete(std::int64_t id, const audit::Actor& actor) {
    return db_.Write([&](storage::Connection& c) -> Result<void> {
        const OpsEvent before = UNYO_TRY(Load(c, id));
        UNYO_TRY(c.Exec("DELETE FROM opscal_events WHERE id = $1", {id}));
        UNYO_TRY(audit::Append(c, actor, {"opscal_event.delete", "opscal_event", std::to_string(id), ToJson(before), nullptr},
                               clock_.Now()));
        return {};
    });
}

Result<std::string> OpsEvents::NewFeedToken(std::int64_t user_id, const audit::Actor& actor) {
    const std::string token = RandomToken(24);
    const Millis now = clock_.Now();
    UNYO_TRY_VOID(db_.Write([&](storage::Connection& c) -> Result<void> {
        UNYO_TRY(c.Exec("DELETE FROM opscal_feed_tokens WHERE user_id = $1", {user_id}));
        UNYO_TRY(c.Exec("INSERT INTO opscal_feed_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)",
                        {user_id, Sha256Hex(token), now}));
        UNYO_TRY(audit::Append(c, actor, {"opscal.feed_token", "user", std::to_string(user_id), nullptr, nullptr}, now));
        return {};
    }));
    return token;
}

Result<std::int64_t> OpsEvents::FeedUser(const std::string& token) {
    const auto denied = [] {
        return Fail(Error{ErrorCode::kUnauthenticated, "the calendar feed's token is missing or no longer valid", {}});
    };
    if (token.empty() || token.size() > 200) return denied();
    auto rows = UNYO_TRY(db_.Read([&](storage::Connection& c) {
        return c.Query("SELECT t.user_id FROM opscal_feed_tokens t JOIN users u ON u.id = t.user_id "
                       "WHERE t.token_hash = $1 AND u.disabled = 0",
                       {Sha256Hex(token)});
    }));
    if (rows.empty()) return denied();
    return rows.front().Int(0);
}

}  // namespace unyo::opscal
