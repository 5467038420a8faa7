#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace hookline {

// A URL as the user typed it, taken apart by hand so that an error can say
// which part is wrong without quoting the rest: Qt's own error text quotes
// the whole URL, password included, and speaks of its internals
// ("host = \"\"", "a unspecified address"). Every message about a URL goes
// through here or quotes only the parts here that hold no credential.
class UrlText final {
    Q_DECLARE_TR_FUNCTIONS(hookline::UrlText)
public:
    struct Parts {
        QString scheme; // before "://"; empty when there is no "://"
        bool hasSeparator = false;
        QString userInfo; // before the last '@' of the authority
        QString host;     // without [] for an IPv6 literal
        QString port;     // as typed; empty when absent
        QString rest;     // path, query and fragment, from the first '/', '?' or '#'
    };

    static Parts split(const QString &text);
    // The text with any user name and password replaced by "***".
    static QString withoutUserInfo(const QString &text);
    // Why `text` is not a well-formed absolute URL, in Hookline's words and
    // quoting only the host, the port or one offending character; nullopt
    // when it is one (QUrl accepts it in strict mode). Says nothing about
    // which schemes or hosts a caller accepts.
    static std::optional<QString> problem(const QString &text);
};

} // namespace hookline
