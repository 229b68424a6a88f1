#pragma once
// A small XML reader over expat: the whole document as a tree of elements with their attributes
// and text, names without their namespace prefix. For the files users bring (MyJVN-style security
// advisories, the sheets inside an XLSX); a document type declaration is refused (no entities to
// expand), and so is nesting deeper than 256.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace unyo::xml {

struct Node {
    std::string name;  // local name: "sec:identifier" → "identifier"
    std::vector<std::pair<std::string, std::string>> attributes;  // local names
    std::string text;                                            // character data directly inside
    std::vector<Node> children;

    /// The first child element named `local`, or nullptr.
    [[nodiscard]] const Node* Child(std::string_view local) const;
    /// The text of the first child named `local`, trimmed; empty when there is none.
    [[nodiscard]] std::string ChildText(std::string_view local) const;
    /// The attribute `local`, or empty.
    [[nodiscard]] std::string_view Attr(std::string_view local) const;
    /// Every element named `local` below this one (depth first, document order), itself excluded.
    [[nodiscard]] std::vector<const Node*> FindAll(std::string_view local) const;
};

/// The root element of `document`; Error::Invalid naming the line when it is not well-formed.
[[nodiscard]] Result<Node> Parse(std::string_view document);

}  // namespace unyo::xml
