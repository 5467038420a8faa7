#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <optional>

namespace hookline {

// Where and why CanonicalJson refused its input.
struct JsonParseError final {
    qsizetype offset = 0; // byte offset in the input where parsing failed
    int line = 1;         // 1-based; lines are separated by '\n'
    int column = 1;       // 1-based, in bytes
    QString message;      // e.g. "unexpected character '}' at line 1, column 9 (offset 8): ..."
};

// The body of every webhook delivery is the canonical form of the emitted
// JSON text: exactly what JavaScript's JSON.stringify(JSON.parse(text))
// returns, because receivers re-serialise the parsed body before checking the
// HMAC. QJsonDocument cannot be used for this: it sorts object keys, drops
// duplicate-key semantics and formats numbers differently.
//
// Input and output are UTF-8. Invalid UTF-8 inside strings is replaced by
// U+FFFD exactly like a WHATWG UTF-8 decoder would (that is what a Node.js
// receiver sees after decoding the request body); a UTF-8 BOM is refused like
// JSON.parse refuses U+FEFF.
class CanonicalJson final {
public:
    CanonicalJson() = delete;

    // JSON.stringify(JSON.parse(text)) as UTF-8. On failure returns nullopt and
    // fills *error when given. Arrays and objects may nest 512 levels deep;
    // deeper documents are refused (JSON.parse's limit is the engine's stack).
    static std::optional<QByteArray> canonicalize(QByteArrayView text, JsonParseError *error = nullptr);

    // Same, but the top-level value must be an object ("expected a JSON object").
    static std::optional<QByteArray> canonicalizeObject(QByteArrayView text, JsonParseError *error = nullptr);

    // JSON.stringify(s) for one string, with the surrounding quotes, as UTF-8.
    // Lone surrogates come out as lowercase \udxxx escapes (ES2019 well-formed
    // JSON.stringify).
    static QByteArray quote(QStringView s);

    // ECMAScript Number::toString(v) as JSON.stringify prints numbers: shortest
    // round-trip digits, "-0" -> "0", NaN and the infinities -> "null".
    static QByteArray formatNumber(double v);
};

} // namespace hookline
