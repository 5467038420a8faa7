#pragma once

#include <QString>

#include <optional>

namespace hookline {

// Qt 6.4's JavaScript engine has no object spread ({...payload, x: 1}), which
// transformation scripts written for Node commonly use. This rewrites every object
// literal that contains a spread into a call of a helper with the same result
// and the same order of evaluation (the helper defines properties as a spread
// does; Object.assign would run setters such as __proto__):
//   {...a, x: 1, ...b}  ->  __hooklineSpread({}, a, {x: 1}, b)
//   {x: 1, ...a}        ->  __hooklineSpread({x: 1}, a)
// The helper is appended to the script as a function declaration, and line
// breaks are kept, so errors point at the line the author wrote.
// It tokenizes the script (strings, template literals, regular expressions,
// comments), tells object literals from blocks by the token before the brace,
// and rewrites nested literals too. Spreads inside template literal
// substitutions are left as they are.
class SpreadRewriter final {
public:
    SpreadRewriter() = delete;

    // The rewritten script, or nullopt with the reason (unterminated string, unbalanced brackets).
    static std::optional<QString> rewrite(const QString &script, QString *error = nullptr);
};

} // namespace hookline
