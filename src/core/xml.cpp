#include "core/xml.hpp"

#include <expat.h>

#include <fmt/format.h>

namespace unyo::xml {
namespace {

constexpr std::size_t kMaxDepth = 256;

std::string Local(const char* name) {
    std::string_view n(name);
    const auto colon = n.rfind(':');
    return std::string(colon == std::string_view::npos ? n : n.substr(colon + 1));
}

std::string Trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

struct Builder {
    XML_Parser parser = nullptr;
    Node root;
    std::vector<Node*> stack;
    bool has_root = false;
    std::string refusal;

    void Refuse(std::string why) {
        refusal = std::move(why);
        XML_StopParser(parser, XML_FALSE);
    }
};

void OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
    auto* b = static_cast<Builder*>(data);
    if (b->stack.size() >= kMaxDepth) return b->Refuse(fmt::format("elements nest deeper than {}", kMaxDepth));
    Node* node = nullptr;
    if (b->stack.empty()) {
        node = &b->root;
        b->has_root = true;
    } else {
        node = &b->stack.back()->children.emplace_back();
    }
    node->name = Local(name);
    for (int i = 0; attrs[i] != nullptr; i += 2) node->attributes.emplace_back(Local(attrs[i]), attrs[i + 1]);
    b->stack.push_back(node);
}

void OnEnd(void* data, const XML_Char*) {
    auto* b = static_cast<Builder*>(data);
    if (!b->stack.empty()) b->stack.pop_back();
}

void OnText(void* data, const XML_Char* s, int len) {
    auto* b = static_cast<Builder*>(data);
    if (!b->stack.empty()) b->stack.back()->text.append(s, static_cast<std::size_t>(len));
}

void OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<Builder*>(data)->Refuse("a document type declaration is not accepted");
}

void Collect(const Node& n, std::string_view local, std::vector<const Node*>& out) {
    for (const auto& c : n.children) {
        if (c.name == local) out.push_back(&c);
        Collect(c, local, out);
    }
}

}  // namespace

const Node* Node::Child(std::string_view local) const {
    for (const auto& c : children) {
        if (c.name == local) return &c;
    }
    return nullptr;
}

std::string Node::ChildText(std::string_view local) const {
    const auto* c = Child(local);
    return c ? Trim(c->text) : std::string();
}

std::string_view Node::Attr(std::string_view local) const {
    for (const auto& [k, v] : attributes) {
        if (k == local) return v;
    }
    return {};
}

std::vector<const Node*> Node::FindAll(std::string_view local) const {
    std::vector<const Node*> out;
    Collect(*this, local, out);
    return out;
}

Result<Node> Parse(std::string_view document) {
    Builder b;
    b.parser = XML_ParserCreate("UTF-8");
    if (b.parser == nullptr) return Fail(Error::Internal("cannot create an XML parser"));
    XML_SetUserData(b.parser, &b);
    XML_SetElementHandler(b.parser, OnStart, OnEnd);
    XML_SetCharacterDataHandler(b.parser, OnText);
    XML_SetStartDoctypeDeclHandler(b.parser, OnDoctype);
    const auto status = XML_Parse(b.parser, document.data(), static_cast<int>(document.size()), XML_TRUE);
    const auto line = XML_GetCurrentLineNumber(b.parser);
    const std::string message = status == XML_STATUS_ERROR ? XML_ErrorString(XML_GetErrorCode(b.parser)) : "";
    XML_ParserFree(b.parser);
    if (!b.refusal.empty()) return Fail(Error::Invalid(fmt::format("XML line {}: {}", line, b.refusal)));
    if (status != XML_STATUS_OK) return Fail(Error::Invalid(fmt::format("XML line {}: {}", line, message)));
    if (!b.has_root) return Fail(Error::Invalid("XML: no element"));
    return std::move(b.root);
}

}  // namespace unyo::xml
