// SPDX-License-Identifier: Apache-2.0
// lvm::parse_report(): the JSON of `lvm fullreport --reportformat json` into a Snapshot.
#include "lvm/report.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <charconv>
#include <limits>
#include <set>

namespace css::lvm {

namespace {

Error bad(std::string_view what)
{
        return Error{"Failed to parse the LVM report: " + std::string(what), EINVAL};
}

using Json = nlohmann::json;

// lvm's output, read strictly: besides syntax errors, a member given twice (which one would
// count?) and nesting deeper than any report has are errors, not guesses.
Result<Json> parse_json(std::string_view text)
{
        constexpr int max_depth = 64;
        std::string problem;
        std::vector<std::set<std::string>> names; // member names of the open object at each depth
        auto check = [&](int depth, Json::parse_event_t event, Json &parsed) {
                if (!problem.empty())
                        return false; // the document is refused: keep nothing more
                if (event == Json::parse_event_t::object_start || event == Json::parse_event_t::array_start) {
                        if (depth >= max_depth) {
                                problem = "nesting deeper than " + std::to_string(max_depth) + " levels";
                                return false;
                        }
                        if (event == Json::parse_event_t::object_start) {
                                names.resize(static_cast<size_t>(depth) + 1);
                                names.back().clear();
                        }
                } else if (event == Json::parse_event_t::key) {
                        // A key's depth counts its object: the object started one level up.
                        const std::string &name = parsed.get_ref<const std::string &>();
                        if (!names[static_cast<size_t>(depth) - 1].insert(name).second) {
                                problem = "duplicate member '" + name + "'";
                                return false;
                        }
                }
                return true;
        };
        try {
                Json doc = Json::parse(text.begin(), text.end(), check);
                if (!problem.empty())
                        return bad(problem);
                return doc;
        } catch (const Json::exception &e) {
                // "[json.exception.parse_error.101] parse error at line 1, column 5: ...": the tag
                // is for programmers.
                std::string what = e.what();
                if (size_t tag_end = what.find("] "); what.starts_with('[') && tag_end != std::string::npos)
                        what.erase(0, tag_end + 2);
                return bad("Invalid JSON: " + what);
        }
}

// One report row: an object whose values are all strings.
class Row {
public:
        Row(const Json &v, std::string_view kind) : v_(v), kind_(kind) {}

        Result<std::string> text(std::string_view key) const
        {
                auto f = v_.find(key);
                if (f == v_.end() || !f->is_string())
                        return bad(std::string(kind_) + " field '" + std::string(key) + "' is missing");
                return f->get<std::string>();
        }

        // "" means "not applicable" (e.g. lv_metadata_size of a linear LV) and is an error here.
        Result<uint64_t> number(std::string_view key) const
        {
                Result<std::optional<uint64_t>> n = optional_number(key);
                if (!n)
                        return n.error();
                if (!*n)
                        return bad(std::string(kind_) + " field '" + std::string(key) + "' is empty");
                return **n;
        }

        // "" and "-1" (lvm's "none" for kernel numbers) give nullopt.
        Result<std::optional<uint64_t>> optional_number(std::string_view key) const
        {
                Result<std::string> t = text(key);
                if (!t)
                        return t.error();
                if (t->empty() || *t == "-1")
                        return std::optional<uint64_t>{};
                uint64_t n = 0;
                auto [p, ec] = std::from_chars(t->data(), t->data() + t->size(), n);
                if (ec != std::errc() || p != t->data() + t->size())
                        return bad(std::string(kind_) + " field '" + std::string(key) + "' is not a number: '" + *t +
                                   "'");
                return std::optional<uint64_t>{n};
        }

        Result<std::optional<unsigned>> optional_small(std::string_view key) const
        {
                Result<std::optional<uint64_t>> n = optional_number(key);
                if (!n)
                        return n.error();
                if (*n && **n > std::numeric_limits<unsigned>::max())
                        return bad(std::string(kind_) + " field '" + std::string(key) + "' is out of range");
                return *n ? std::optional<unsigned>(static_cast<unsigned>(**n)) : std::nullopt;
        }

private:
        const Json &v_;
        std::string_view kind_;
};

// Assigns or returns the error: keeps the field-by-field code readable.
#define CSS_TRY_ASSIGN(target, expr)                                                                                   \
        do {                                                                                                           \
                auto css_r_ = (expr);                                                                                  \
                if (!css_r_)                                                                                           \
                        return css_r_.error();                                                                         \
                target = std::move(*css_r_);                                                                           \
        } while (0)

Result<Vg> parse_vg(const Json &v)
{
        Row r(v, "vg");
        Vg vg;
        uint64_t n = 0;
        CSS_TRY_ASSIGN(vg.name, r.text("vg_name"));
        CSS_TRY_ASSIGN(vg.uuid, r.text("vg_uuid"));
        CSS_TRY_ASSIGN(vg.attr, r.text("vg_attr"));
        CSS_TRY_ASSIGN(vg.size, r.number("vg_size"));
        CSS_TRY_ASSIGN(vg.free, r.number("vg_free"));
        CSS_TRY_ASSIGN(vg.extent_size, r.number("vg_extent_size"));
        CSS_TRY_ASSIGN(vg.extent_count, r.number("vg_extent_count"));
        CSS_TRY_ASSIGN(vg.free_count, r.number("vg_free_count"));
        CSS_TRY_ASSIGN(n, r.number("pv_count"));
        vg.pv_count = static_cast<unsigned>(n);
        CSS_TRY_ASSIGN(n, r.number("lv_count"));
        vg.lv_count = static_cast<unsigned>(n);
        CSS_TRY_ASSIGN(vg.profile, r.text("vg_profile"));
        return vg;
}

Result<Pv> parse_pv(const Json &v)
{
        Row r(v, "pv");
        Pv pv;
        CSS_TRY_ASSIGN(pv.name, r.text("pv_name"));
        CSS_TRY_ASSIGN(pv.vg, r.text("vg_name"));
        CSS_TRY_ASSIGN(pv.uuid, r.text("pv_uuid"));
        CSS_TRY_ASSIGN(pv.size, r.number("pv_size"));
        CSS_TRY_ASSIGN(pv.free, r.number("pv_free"));
        CSS_TRY_ASSIGN(pv.dev_size, r.number("dev_size"));
        CSS_TRY_ASSIGN(pv.major, r.optional_small("pv_major"));
        CSS_TRY_ASSIGN(pv.minor, r.optional_small("pv_minor"));
        // Optional: reports captured before the field was asked for lack it.
        if (v.contains("pe_start"))
                CSS_TRY_ASSIGN(pv.pe_start, r.optional_number("pe_start"));
        return pv;
}

std::vector<std::string> split_tags(std::string_view text)
{
        std::vector<std::string> tags;
        while (!text.empty()) {
                size_t comma = text.find(',');
                if (std::string_view tag = text.substr(0, comma); !tag.empty())
                        tags.emplace_back(tag);
                text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        }
        return tags;
}

Result<Lv> parse_lv(const Json &v)
{
        Row r(v, "lv");
        Lv lv;
        std::string active;
        CSS_TRY_ASSIGN(lv.name, r.text("lv_name"));
        CSS_TRY_ASSIGN(lv.vg, r.text("vg_name"));
        CSS_TRY_ASSIGN(lv.uuid, r.text("lv_uuid"));
        CSS_TRY_ASSIGN(lv.attr, r.text("lv_attr"));
        CSS_TRY_ASSIGN(lv.size, r.number("lv_size"));
        CSS_TRY_ASSIGN(lv.metadata_size, r.optional_number("lv_metadata_size"));
        CSS_TRY_ASSIGN(lv.pool_lv, r.text("pool_lv"));
        CSS_TRY_ASSIGN(lv.data_lv, r.text("data_lv"));
        CSS_TRY_ASSIGN(lv.metadata_lv, r.text("metadata_lv"));
        CSS_TRY_ASSIGN(active, r.text("lv_active"));
        lv.active = active == "active";
        CSS_TRY_ASSIGN(lv.kernel_major, r.optional_small("lv_kernel_major"));
        CSS_TRY_ASSIGN(lv.kernel_minor, r.optional_small("lv_kernel_minor"));
        CSS_TRY_ASSIGN(lv.path, r.text("lv_path"));
        CSS_TRY_ASSIGN(lv.dm_path, r.text("lv_dm_path"));
        CSS_TRY_ASSIGN(lv.profile, r.text("lv_profile"));
        CSS_TRY_ASSIGN(lv.layout, r.text("lv_layout"));
        CSS_TRY_ASSIGN(lv.role, r.text("lv_role"));
        std::string tags;
        CSS_TRY_ASSIGN(tags, r.text("lv_tags"));
        lv.tags = split_tags(tags);
        return lv;
}

template <typename T>
Result<void> parse_rows(const Json &object, std::string_view key, Result<T> (*parse)(const Json &), std::vector<T> &out)
{
        auto rows = object.find(key);
        if (rows == object.end())
                return {}; // the orphan-PV object has no "vg" or "lv"
        if (!rows->is_array())
                return bad("\"" + std::string(key) + "\" is not an array");
        for (const Json &row : *rows) {
                if (!row.is_object())
                        return bad("a \"" + std::string(key) + "\" row is not an object");
                Result<T> item = parse(row);
                if (!item)
                        return item.error();
                out.push_back(std::move(*item));
        }
        return {};
}

} // namespace

Result<Snapshot> parse_report(std::string_view text)
{
        Result<Json> doc = parse_json(text);
        if (!doc)
                return doc.error();
        auto report = doc->find("report");
        if (report == doc->end() || !report->is_array())
                return bad("no \"report\" array");
        Snapshot s;
        for (const Json &object : *report) {
                if (!object.is_object())
                        return bad("a report entry is not an object");
                if (Result<void> r = parse_rows<Vg>(object, "vg", parse_vg, s.vgs); !r)
                        return r.error();
                if (Result<void> r = parse_rows<Pv>(object, "pv", parse_pv, s.pvs); !r)
                        return r.error();
                if (Result<void> r = parse_rows<Lv>(object, "lv", parse_lv, s.lvs); !r)
                        return r.error();
        }
        return s;
}

} // namespace css::lvm
