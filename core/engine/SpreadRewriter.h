#pragma once

#include <QString>

#include <optional>

namespace hookline {

// Qt 6.4's JavaScript engine has no object spread ({...payload, x: 1}), which
// seed 003's own transformation example uses. This rewrites every object
// literal that contains a spread into the Object.assign call with the same
// result and the same order of evaluation:
//   {...a, x: 1, ...b}  ->  Object.assign({}, a, {x: 1}, b)
//   {x: 1, ...a}        ->  Object.assign({x: 1}, a)
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
