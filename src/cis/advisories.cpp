#include "cis/advisories.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include <fmt/format.h>

#include "calendar/date_member.hpp"
#include "core/choice.hpp"
#include "core/time_format.hpp"
#include "core/xml.hpp"

namespace unyo::cis {
namespace {

constexpr const char* kColumns =
    "id, source, ref, title, summary, url, severity, cvss, published_on, products_json, cves_json, status, note, "
    "procedure_run_id, created_at, updated_at, version";
const std::vector<std::string_view> kSources{"vendor", "ipa", "jpcert", "jvn", "nvd", "other"};
const std::vector<std::string_view> kSeverities{"critical", "high", "medium", "low", "none", "unknown"};
const std::vector<std::string_view> kStatuses{"open", "not_affected", "patching", "patched", "accepted"};

std::string Trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

// Lower-case ASCII letters and digits only: "Apache HTTP-Server" → "apachehttpserver".
std::string Key(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c)) {
            out.push_back(static_cast<char>(std::tolower(c)));
        } else if (c >= 0x80) {
            out.push_back(static_cast<char>(c));  // Japanese product names kept as they are
        }
    }
    return out;
}

// The parts of a version: runs of digits and runs of letters.
std::vector<std::string> Parts(std::string_view v) {
    std::vector<std::string> out;
    std::string cur;
    int kind = 0;  // 1 digit, 2 letter
    for (unsigned char c : v) {
        const int k = std::isdigit(c) ? 1 : std::isalpha(c) ? 2 : 0;
        if (k != kind && !cur.empty()) {
            out.push_back(cur);
            cur.clear();
        }
        kind = k;
        if (k != 0) cur.push_back(static_cast<char>(std::tolower(c)));
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

// The first version-looking token of `s` ("for Windows 5.8 (Build 1575) 未満" → "5.8"): digits
// with dots, and letters or digits glued to them.
std::string FirstVersion(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) continue;
        if (i > 0 && std::isalpha(static_cast<unsigned char>(s[i - 1]))) continue;  // "x64", "Win10"
        std::size_t j = i;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == '-' || s[j] == '_')) {
            if (s[j] == '-' && (j + 1 >= s.size() || !std::isalnum(static_cast<unsigned char>(s[j + 1])))) break;
            ++j;
        }
        std::string v(s.substr(i, j - i));
        while (!v.empty() && (v.back() == '.' || v.back() == '-')) v.pop_back();
        return v;
    }
    return {};
}

std::vector<std::string> VersionsIn(std::string_view s) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < s.size()) {
        const auto v = FirstVersion(s.substr(at));
        if (v.empty()) break;
        const auto pos = s.find(v, at);
        out.push_back(v);
        at = pos + v.size();
    }
    return out;
}

bool Has(std::string_view s, std::string_view what) { return s.find(what) != std::string_view::npos; }

AffectedProduct ProductFromJson(const json::object& o) {
    AffectedProduct p{StringOf(o, "vendor"), StringOf(o, "name"), StringOf(o, "cpe"), {}};
    if (const auto* v = o.if_contains("versions"); v && v->is_array()) {
        for (const auto& s : v->as_array()) {
            if (s.is_string()) p.versions.emplace_back(s.as_string());
        }
    }
    return p;
}

json::array ProductsJson(const std::vector<AffectedProduct>& products) {
    json::array out;
    for (const auto& p : products) {
        out.push_back(json::object{{"vendor", p.vendor}, {"name", p.name}, {"cpe", p.cpe}, {"versions", json::value_from(p.versions)}});
    }
    return out;
}

std::string SeverityOf(std::string_view s) {
    std::string lower;
    for (unsigned char c : s) lower.push_back(static_cast<char>(std::tolower(c)));
    if (lower == "critical" || s == "緊急") return "critical";
    if (lower == "high" || s == "重要") return "high";
    if (lower == "medium" || s == "警告") return "medium";
    if (lower == "low" || s == "注意") return "low";
    if (lower == "none" || s == "なし") return "none";
    return "unknown";
}

std::optional<calendar::Date> DateOf(std::string_view s) {
    return s.size() >= 10 ? calendar::Date::Parse(s.substr(0, 10)) : std::nullopt;
}

// MyJVN's detail document: one advisory per <Vulinfo>.
std::vector<Advisory> FromVuldef(const xml::Node& root) {
    std::vector<Advisory> out;
    for (const auto* v : root.FindAll("Vulinfo")) {
        Advisory a;
        a.source = "jvn";
        a.ref = v->ChildText("VulinfoID");
        const auto* data = v->Child("VulinfoData");
        if (!data) continue;
        a.title = data->ChildText("Title");
        if (const auto* d = data->Child("VulinfoDescription")) a.summary = d->ChildText("Overview");
        for (const auto* item : data->FindAll("AffectedItem")) {
            AffectedProduct p{item->ChildText("Name"), item->ChildText("ProductName"), item->ChildText("Cpe"), {}};
            for (const auto& c : item->children) {
                if (c.name == "VersionNumber") p.versions.push_back(Trim(c.text));
            }
            a.products.push_back(std::move(p));
        }
        for (const auto* sev : data->FindAll("Severity")) {
            a.severity = SeverityOf(Trim(sev->text));
            break;
        }
        for (const auto* base : data->FindAll("Base")) {
            a.cvss = Trim(base->text);
            break;
        }
        for (const auto* related : data->FindAll("RelatedItem")) {
            const auto id = related->ChildText("VulinfoID");
            if (id.rfind("CVE-", 0) == 0 && std::find(a.cves.begin(), a.cves.end(), id) == a.cves.end()) a.cves.push_back(id);
        }
        a.published_on = DateOf(data->ChildText("DateFirstPublished"));
        if (!a.published_on) a.published_on = DateOf(data->ChildText("DatePublic"));
        if (a.ref.rfind("JVNDB-", 0) == 0) a.url = fmt::format("https://jvndb.jvn.jp/jvndb/{}", a.ref);
        out.push_back(std::move(a));
    }
    return out;
}

// MyJVN's overview list (RSS 1.0 with mod_sec): one advisory per <item>, products by CPE.
std::vector<Advisory> FromJvnRss(const xml::Node& root) {
    std::vector<Advisory> out;
    for (const auto* item : root.FindAll("item")) {
        Advisory a;
        a.source = "jvn";
        a.ref = item->ChildText("identifier");
        a.title = item->ChildText("title");
        a.summary = item->ChildText("description");
        a.url = item->ChildText("link");
        for (const auto& c : item->children) {
            if (c.name == "cpe") {
                a.products.push_back({std::string(c.Attr("vendor")), std::string(c.Attr("product")), Trim(c.text), {}});
            } else if (c.name == "cvss" && a.cvss.empty()) {
                a.cvss = std::string(c.Attr("score"));
                a.severity = SeverityOf(c.Attr("severity"));
            } else if (c.name == "references" && c.Attr("source") == "CVE") {
                a.cves.emplace_back(c.Attr("id"));
            }
        }
        a.published_on = DateOf(item->ChildText("issued"));
        if (!a.published_on) a.published_on = DateOf(item->ChildText("date"));
        out.push_back(std::move(a));
    }
    return out;
}

Advisory FromRow(const storage::Row& r) {
    Advisory a;
    a.id = r.Int(0);
    a.source = r.Text(1);
    a.ref = r.Text(2);
    a.title = r.Text(3);
    a.summary = r.Text(4);
    a.url = r.Text(5);
    a.severity = r.Text(6);
    a.cvss = r.Text(7);
    a.published_on = r.OptText(8) ? calendar::Date::Parse(*r.OptText(8)) : std::nullopt;
    for (const auto& p : ParseArrayOrEmpty(r.Text(9))) {
        if (p.is_object()) a.products.push_back(ProductFromJson(p.as_object()));
    }
    a.cves = ParseStringArray(r.Text(10));
    a.status = r.Text(11);
    a.note = r.Text(12);
    a.procedure_run_id = r.OptInt(13);
    a.created_at = r.Int(14);
    a.updated_at = r.Int(15);
    a.version = r.Int(16);
    return a;
}

Result<Advisory> Load(storage::Connection& c, std::int64_t id) {
    auto rows = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM advisories WHERE id = $1", kColumns), {id}));
    if (rows.empty()) return Fail(Error::NotFound(fmt::format("advisory {} does not exist", id)));
    return FromRow(rows.front());
}

// What a file says of an advisory (not what we decided about it).
std::vector<storage::Value> Said(const Advisory& a) {
    return {a.source,
            a.ref,
            a.title,
            a.summary,
            a.url,
            a.severity,
            a.cvss,
            a.published_on ? storage::Value(a.published_on->ToString()) : storage::Value(std::monostate{}),
            json::serialize(ProductsJson(a.products)),
            json::serialize(json::value_from(a.cves))};
}

bool SameSaid(const Advisory& a, const Advisory& b) {
    return a.source == b.source && a.title == b.title && a.summary == b.summary && a.url == b.url && a.severity == b.severity &&
           a.cvss == b.cvss && a.published_on == b.published_on &&
           json::serialize(ProductsJson(a.products)) == json::serialize(ProductsJson(b.products)) && a.cves == b.cves;
}

Result<Advisory> Insert(storage::Connection& c, Advisory a, Millis now, const audit::Actor& actor) {
    auto values = Said(a);
    values.insert(values.end(), {storage::Value(a.status), storage::Value(a.note), storage::Value(now)});
    auto rows = c.Query("INSERT INTO advisories (source, ref, title, summary, url, severity, cvss, published_on, products_json, "
                        "cves_json, status, note, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                        "$10, $11, $12, $13, $13, 1) RETURNING id",
                        values);
    if (!rows && rows.error().code == ErrorCode::kConflict) {
        return Fail(Error::Field("ref", fmt::format("advisory {} is recorded already", a.ref), ErrorCode::kConflict));
    }
    a.id = UNYO_TRY(std::move(rows)).front().Int(0);
    a.created_at = a.updated_at = now;
    UNYO_TRY(audit::Append(c, actor, {"advisory.create", "advisory", std::to_string(a.id), nullptr, ToJson(a)}, now));
    return a;
}

Result<void> Save(storage::Connection& c, const Advisory& a) {
    auto values = Said(a);
    values.insert(values.end(), {storage::Value(a.status), storage::Value(a.note), storage::Nullable(a.procedure_run_id),
                                 storage::Value(a.updated_at), storage::Value(a.version), storage::Value(a.id)});
    UNYO_TRY(c.Exec("UPDATE advisories SET source = $1, ref = $2, title = $3, summary = $4, url = $5, severity = $6, cvss = $7, "
                    "published_on = $8, products_json = $9, cves_json = $10, status = $11, note = $12, procedure_run_id = $13, "
                    "updated_at = $14, version = $15 WHERE id = $16",
                    values));
    return {};
}

}  // namespace

int CompareVersions(std::string_view a, std::string_view b) {
    const auto pa = Parts(a), pb = Parts(b);
    for (std::size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
        const std::string x = i < pa.size() ? pa[i] : "0", y = i < pb.size() ? pb[i] : "0";
        const bool nx = std::isdigit(static_cast<unsigned char>(x[0])), ny = std::isdigit(static_cast<unsigned char>(y[0]));
        if (nx && ny) {
            const auto tx = x.substr(std::min(x.find_first_not_of('0'), x.size() - 1));
            const auto ty = y.substr(std::min(y.find_first_not_of('0'), y.size() - 1));
            if (tx.size() != ty.size()) return tx.size() < ty.size() ? -1 : 1;
            if (tx != ty) return tx < ty ? -1 : 1;
        } else if (nx != ny) {
            return nx ? 1 : -1;  // 1.0 > 1.0rc: a release after its candidates
        } else if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return 0;
}

std::optional<bool> VersionIn(std::string_view raw, std::string_view version) {
    const std::string spec = Trim(raw);
    if (spec == "*" || spec == "all" || Has(spec, "全バージョン") || Has(spec, "全てのバージョン")) return true;
    if (Trim(version).empty()) return std::nullopt;
    const auto cmp = [&](std::string_view bound) { return CompareVersions(version, bound); };
    for (const auto& [op, test] : std::initializer_list<std::pair<std::string_view, int>>{{"<=", 0}, {">=", 1}, {"<", 2}, {">", 3}, {"=", 4}}) {
        if (spec.rfind(op, 0) != 0) continue;
        const auto bound = FirstVersion(std::string_view(spec).substr(op.size()));
        if (bound.empty()) return std::nullopt;
        const int c = cmp(bound);
        switch (test) {
            case 0: return c <= 0;
            case 1: return c >= 0;
            case 2: return c < 0;
            case 3: return c > 0;
            default: return c == 0;
        }
    }
    const auto versions = VersionsIn(spec);
    if (versions.empty()) return std::nullopt;
    if (versions.size() >= 2 && (Has(spec, " - ") || Has(spec, "から") || Has(spec, "〜") || Has(spec, "～"))) {
        return cmp(versions[0]) >= 0 && cmp(versions[1]) <= 0;
    }
    const auto& bound = versions.front();
    if (Has(spec, "未満") || Has(spec, "より前")) return cmp(bound) < 0;
    if (Has(spec, "以前") || Has(spec, "以下") || Has(spec, "まで")) return cmp(bound) <= 0;
    if (Has(spec, "以降") || Has(spec, "以上")) return cmp(bound) >= 0;
    if (Has(spec, "より後") || Has(spec, "超")) return cmp(bound) > 0;
    if (versions.size() == 1) return cmp(bound) == 0;
    return std::nullopt;
}

bool NamesProduct(const AffectedProduct& p, const Ci& ci) {
    const std::string ci_cpe = StringOf(ci.attributes, "cpe");
    if (!p.cpe.empty() && !ci_cpe.empty()) {
        // "cpe:/a:apache:http_server:2.4.57" is of "cpe:/a:apache:http_server".
        return ci_cpe == p.cpe || ci_cpe.rfind(p.cpe + ":", 0) == 0;
    }
    std::vector<std::string> keys{Key(p.name)};
    if (!p.cpe.empty()) {
        // The product part of the CPE: "cpe:/a:trendmicro:serverprotect" → "serverprotect".
        const auto last = p.cpe.rfind(':');
        if (last != std::string::npos) keys.push_back(Key(p.cpe.substr(last + 1)));
    }
    const std::vector<std::string> haystacks{Key(ci.name), Key(StringOf(ci.attributes, "product"))};
    for (const auto& k : keys) {
        if (k.size() < 3) continue;
        for (const auto& h : haystacks) {
            if (h.size() >= 3 && (h.find(k) != std::string::npos || k.find(h) != std::string::npos)) return true;
        }
    }
    return false;
}

std::vector<AdvisoryMatch> Match(const Advisory& a, const std::vector<Ci>& cis) {
    std::vector<AdvisoryMatch> out;
    for (const auto& ci : cis) {
        for (const auto& p : a.products) {
            if (!NamesProduct(p, ci)) continue;
            std::string verdict = "unknown";
            if (!p.versions.empty()) {
                bool any_unknown = false, any_in = false;
                for (const auto& spec : p.versions) {
                    const auto in = VersionIn(spec, ci.version);
                    if (!in) any_unknown = true;
                    if (in && *in) any_in = true;
                }
                verdict = any_in ? "affected" : any_unknown ? "unknown" : "not_affected";
            }
            out.push_back({ci.id, ci.name, ci.version, p.name.empty() ? p.cpe : p.name, verdict});
            break;  // one verdict per item: by the first product naming it
        }
    }
    const auto rank = [](const std::string& v) { return v == "affected" ? 0 : v == "unknown" ? 1 : 2; };
    std::stable_sort(out.begin(), out.end(), [&](const AdvisoryMatch& x, const AdvisoryMatch& y) { return rank(x.verdict) < rank(y.verdict); });
    return out;
}

Result<std::vector<Advisory>> ReadAdvisories(std::string_view file) {
    std::string_view text = file;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return Fail(Error::Invalid("the file is empty"));
    std::vector<Advisory> out;
    if (text[first] == '{' || text[first] == '[') {
        boost::system::error_code ec;
        const auto doc = json::parse(text, ec);
        if (ec) return Fail(Error::Invalid(fmt::format("the file is not valid JSON: {}", ec.message())));
        const json::array* list = doc.if_array();
        if (const auto* o = doc.if_object()) {
            const auto* a = o->if_contains("advisories");
            list = a ? a->if_array() : nullptr;
        }
        if (!list) return Fail(Error::Invalid("JSON: expected a list of advisories or {\"advisories\": [...]}"));
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto* o = (*list)[i].if_object();
            if (!o) return Fail(Error::Invalid(fmt::format("advisories[{}]: must be an object", i)));
            auto a = AdvisoryFromJson(*o, Advisory{}, true);
            if (!a) return Fail(Error::Invalid(fmt::format("advisories[{}]: {}", i, a.error().message)));
            out.push_back(std::move(*a));
        }
        return out;
    }
    const auto root = UNYO_TRY(xml::Parse(text));
    out = !root.FindAll("Vulinfo").empty() ? FromVuldef(root) : FromJvnRss(root);
    if (out.empty()) return Fail(Error::Invalid("no advisory found: expected MyJVN VULDEF (<Vulinfo>) or JVNRSS (<item>)"));
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i].ref.empty()) return Fail(Error::Invalid(fmt::format("advisory {} has no identifier", i + 1)));
        if (out[i].title.empty()) out[i].title = out[i].ref;
    }
    return out;
}

Result<Advisory> AdvisoryFromJson(const json::object& body, Advisory a, bool create) {
    FieldReader f(body);
    f.AllowOnly({"source", "ref", "title", "summary", "url", "severity", "cvss", "published_on", "products", "cves", "status", "note"});
    if (create || f.Has("ref")) a.ref = f.RequiredString("ref", 100);
    if (create || f.Has("title")) a.title = f.RequiredString("title", 500);
    ReadChoice(f, "source", kSources, a.source);
    ReadChoice(f, "severity", kSeverities, a.severity);
    ReadChoice(f, "status", kStatuses, a.status);
    if (auto v = f.OptionalString("summary", 8000)) a.summary = *v;
    if (auto v = f.OptionalString("url", 2000)) a.url = *v;
    if (auto v = f.OptionalString("note", 4000)) a.note = *v;
    if (auto v = f.OptionalString("cvss", 10)) {
        const bool number = !v->empty() && v->find_first_not_of("0123456789.") == std::string::npos;
        if (!v->empty() && !number) f.AddError("cvss", "must be a base score such as 9.8");
        a.cvss = *v;
    }
    ReadOptionalDate(f, body, "published_on", a.published_on);
    if (auto cves = f.OptionalStrings("cves")) a.cves = *cves;
    if (const auto* v = body.if_contains("products")) {
        if (!v->is_array() || v->as_array().size() > 200) {
            f.AddError("products", "must be a list of at most 200 {vendor?, name, cpe?, versions?}");
        } else {
            a.products.clear();
            for (std::size_t i = 0; i < v->as_array().size(); ++i) {
                const auto& item = v->as_array()[i];
                const std::string at = fmt::format("products[{}]", i);
                if (!item.is_object()) {
                    f.AddError(at, "must be {vendor?, name, cpe?, versions?}");
                    continue;
                }
                FieldReader pf(item.as_object());
                pf.AllowOnly({"vendor", "name", "cpe", "versions"});
                pf.OptionalString("vendor", 200);
                const auto cpe = pf.OptionalString("cpe", 500).value_or("");
                const auto name = pf.OptionalString("name", 500).value_or("");
                if (name.empty() && cpe.empty()) pf.AddError("name", "is required (or a cpe)");
                if (!cpe.empty() && cpe.rfind("cpe:", 0) != 0) pf.AddError("cpe", "must be a CPE name (cpe:/a:vendor:product)");
                pf.OptionalStrings("versions");
                if (auto done = pf.Finish(); !done) f.AddErrors(at, done.error());
                a.products.push_back(ProductFromJson(item.as_object()));
            }
        }
    }
    UNYO_TRY_VOID(f.Finish());
    return a;
}

json::object ToJson(const Advisory& a) {
    return {{"id", a.id},
            {"source", a.source},
            {"ref", a.ref},
            {"title", a.title},
            {"summary", a.summary},
            {"url", a.url},
            {"severity", a.severity},
            {"cvss", a.cvss},
            {"published_on", a.published_on ? json::value(a.published_on->ToString()) : json::value(nullptr)},
            {"products", ProductsJson(a.products)},
            {"cves", json::value_from(a.cves)},
            {"status", a.status},
            {"note", a.note},
            {"procedure_run_id", OrNull(a.procedure_run_id)},
            {"created_at", FormatRfc3339(a.created_at)},
            {"updated_at", FormatRfc3339(a.updated_at)},
            {"version", a.version}};
}

json::object ToJson(const AdvisoryMatch& m) {
    return {{"ci_id", m.ci_id}, {"ci_name", m.ci_name}, {"ci_version", m.ci_version}, {"product", m.product}, {"verdict", m.verdict}};
}

Result<std::vector<Advisory>> AdvisoryStore::List(std::optional<std::string> status) {
    return db_.Read([&](storage::Connection& c) -> Result<std::vector<Advisory>> {
        std::vector<Advisory> out;
        const std::string order = " ORDER BY published_on DESC, id DESC";
        auto rows = status ? UNYO_TRY(c.Query(fmt::format("SELECT {} FROM advisories WHERE status = $1{}", kColumns, order), {*status}))
                           : UNYO_TRY(c.Query(fmt::format("SELECT {} FROM advisories{}", kColumns, order), {}));
        for (const auto& r : rows.rows) out.push_back(FromRow(r));
        return out;
    });
}

Result<Advisory> AdvisoryStore::Get(std::int64_t id) {
    return db_.Read([&](storage::Connection& c) { return Load(c, id); });
}

Result<Advisory> AdvisoryStore::Create(const json::object& body, const audit::Actor& actor) {
    Advisory a = UNYO_TRY(AdvisoryFromJson(body, Advisory{}, true));
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) { return Insert(c, a, now, actor); });
}

Result<Advisory> AdvisoryStore::Update(std::int64_t id, std::int64_t expected_version, const json::object& body,
                                       const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Advisory> {
        const Advisory before = UNYO_TRY(Load(c, id));
        if (before.version != expected_version) {
            return Fail(Error{ErrorCode::kPreconditionFailed,
                              fmt::format("advisory {} was changed by someone else (now version {}); reload and retry", before.ref,
                                          before.version),
                              {}});
        }
        Advisory a = UNYO_TRY(AdvisoryFromJson(body, before, false));
        a.updated_at = now;
        a.version = before.version + 1;
        auto saved = Save(c, a);
        if (!saved && saved.error().code == ErrorCode::kConflict) {
            return Fail(Error::Field("ref", fmt::format("advisory {} is recorded already", a.ref), ErrorCode::kConflict));
        }
        UNYO_TRY_VOID(std::move(saved));
        UNYO_TRY(audit::Append(c, actor, {"advisory.update", "advisory", std::to_string(id), ToJson(before), ToJson(a)}, now));
        return a;
    });
}

Result<ImportResult> AdvisoryStore::Import(std::vector<Advisory> advisories, bool dry_run, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    const auto run = [&](storage::Connection& c) -> Result<ImportResult> {
        ImportResult r;
        for (auto& a : advisories) {
            auto found = UNYO_TRY(c.Query(fmt::format("SELECT {} FROM advisories WHERE ref = $1", kColumns), {a.ref}));
            if (found.empty()) {
                ++r.created;
                r.advisories.push_back(dry_run ? a : UNYO_TRY(Insert(c, a, now, actor)));
                continue;
            }
            Advisory known = FromRow(found.front());
            if (SameSaid(known, a)) {
                ++r.unchanged;
                r.advisories.push_back(std::move(known));
                continue;
            }
            ++r.updated;
            const Advisory before = known;
            known.source = a.source;
            known.title = a.title;
            known.summary = a.summary;
            known.url = a.url;
            known.severity = a.severity;
            known.cvss = a.cvss;
            known.published_on = a.published_on;
            known.products = a.products;
            known.cves = a.cves;
            known.updated_at = now;
            known.version += 1;
            if (!dry_run) {
                UNYO_TRY_VOID(Save(c, known));
                UNYO_TRY(audit::Append(c, actor, {"advisory.update", "advisory", std::to_string(known.id), ToJson(before), ToJson(known)}, now));
            }
            r.advisories.push_back(std::move(known));
        }
        return r;
    };
    if (dry_run) return db_.Read(run);
    return db_.Write(run);
}

Result<Advisory> AdvisoryStore::LinkProcedure(std::int64_t id, std::int64_t run_id, const audit::Actor& actor) {
    const Millis now = clock_.Now();
    return db_.Write([&](storage::Connection& c) -> Result<Advisory> {
        const Advisory before = UNYO_TRY(Load(c, id));
        Advisory a = before;
        a.procedure_run_id = run_id;
        a.status = "patching";
        a.updated_at = now;
        a.version += 1;
        UNYO_TRY_VOID(Save(c, a));
        UNYO_TRY(audit::Append(c, actor, {"advisory.procedure", "advisory", std::to_string(id), ToJson(before), ToJson(a)}, now));
        return a;
    });
}

}  // namespace unyo::cis
