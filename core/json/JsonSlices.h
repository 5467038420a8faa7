#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

namespace hookline {

// Takes apart canonical JSON (the compact output of CanonicalJson) without
// building a tree, so that a member's text keeps its key order exactly: for
// catalog files and JSON Lines whose sample payloads must survive a round trip
// byte for byte. Not a validator: feed it only canonical text.
class JsonSlices final {
public:
    JsonSlices() = delete;

    using Member = std::pair<QString, QByteArray>;
    // The members of an object, in order: key (decoded) and value (canonical text).
    static std::optional<QList<Member>> members(QByteArrayView object);
    static std::optional<QList<QByteArray>> elements(QByteArrayView array);
    // The value of a JSON string literal.
    static std::optional<QString> string(QByteArrayView literal);
    // The text of member `key`, or nullopt.
    static std::optional<QByteArray> member(const QList<Member> &members, QStringView key);
};

} // namespace hookline
