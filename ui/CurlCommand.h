#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <utility>

namespace hookline {

// An attempt as a shell command that sends exactly the same signed request.
class CurlCommand final {
public:
    CurlCommand() = delete;

    static QString build(const QString &url, const QList<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &body);
    // POSIX shell single quoting: 'it'\''s'.
    static QString shellQuote(const QString &text);
};

} // namespace hookline
