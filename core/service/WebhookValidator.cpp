#include "WebhookValidator.h"

#include "model/EventType.h"
#include "net/AddressPolicy.h"
#include "signing/SchemeDescriptor.h"
#include "signing/Secret.h"
#include "util/UrlText.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>

#include <cmath>

namespace hookline {

namespace {
Error invalid(const char *field, const QString &why)
{
    return Error::validation(QString::fromLatin1(field), why);
}

bool inRange(double v, double lo, double hi)
{
    return std::isfinite(v) && v >= lo && v <= hi;
}
} // namespace

QStringList WebhookValidator::reservedHeaders(const QString &p)
{
    // The headers of every scheme, whichever one this webhook uses.
    return QStringList{QStringLiteral("Content-Type"),      QStringLiteral("Content-Length"), QStringLiteral("Content-Encoding"),
                       QStringLiteral("Transfer-Encoding"), QStringLiteral("Connection"),     QStringLiteral("Host"),
                       QStringLiteral("User-Agent"),        QStringLiteral("Expect"),         QStringLiteral("Upgrade"),
                       p + QStringLiteral("-Event"),        p + QStringLiteral("-Id"),        p + QStringLiteral("-Delivery-Id"),
                       p + QStringLiteral("-Timestamp")}
           + SchemeDescriptor::headerNames(p);
}

bool WebhookValidator::isHeaderToken(QStringView name)
{
    // RFC 9110 token: the characters a header field name may contain.
    static const QRegularExpression token(QStringLiteral("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"));
    return name.size() <= 128 && token.match(name).hasMatch();
}

Status WebhookValidator::validateUrl(const QString &text, bool inspectorCopy) const
{
    if (text.trimmed().isEmpty())
        return invalid("url", tr("is required"));
    if (text.size() > kMaxUrlLength)
        return invalid("url", tr("is longer than %1 characters").arg(kMaxUrlLength));
    // Messages name the part that is wrong, never the whole text: it may
    // carry a password (refused below, and never repeated).
    const auto parts = UrlText::split(text);
    const auto scheme = parts.scheme.toLower();
    if (!parts.hasSeparator || (scheme != u"https" && scheme != u"http")) {
        static const QRegularExpression schemeName(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]{0,30}$"));
        const auto got
            = parts.hasSeparator && schemeName.match(parts.scheme).hasMatch() ? tr(" (got \"%1://\")").arg(parts.scheme) : tr(" (it has no scheme)");
        // Say what this installation takes, not a rule it does not apply.
        return invalid("url", (m_context.allowInsecureUrls ? tr("must start with https:// or http://") : tr("must start with https://")) + got);
    }
    if (!parts.userInfo.isEmpty())
        return invalid("url", tr("must not carry a user name or password; send credentials in a custom header"));
    if (const auto problem = UrlText::problem(text))
        return invalid("url", *problem);
    const QUrl url(text, QUrl::StrictMode);
    if (!url.userInfo().isEmpty()) // split by QUrl's rules, which may differ from the hand split above
        return invalid("url", tr("must not carry a user name or password; send credentials in a custom header"));
    if (url.hasFragment())
        return invalid("url", tr("must not have a #fragment"));
    // An inspector copy reaches the window's own loopback receiver, and nothing else.
    if (inspectorCopy) {
        if (scheme != u"http" || !QHostAddress(url.host()).isLoopback())
            return invalid("url", tr("an inspector copy points at the request inspector on loopback (http://127.0.0.1:PORT/…) only"));
        return Ok{};
    }
    if (scheme == u"http" && !m_context.allowInsecureUrls)
        return invalid("url", tr("must use https:// (plain http:// is allowed only when the setting allowInsecureUrls is true)"));
    if (!m_context.allowPrivateAddresses) {
        if (const auto why = AddressPolicy::whyForbiddenHost(url.host()))
            return invalid("url", tr("host %1 is a %2 address, refused to prevent server-side request forgery "
                                     "(allowed only when the setting allowPrivateAddresses is true)")
                                      .arg(url.host(), AddressPolicy::translatedReason(*why)));
    }
    return Ok{};
}

Status WebhookValidator::validateEvents(QStringList &events) const
{
    if (events.isEmpty())
        return invalid("events", tr("subscribe to at least one event type (a name, \"group.*\" or \"*\")"));
    QStringList unique;
    for (auto e : std::as_const(events)) {
        e = e.trimmed();
        if (e == u"*") {
            // every event type
        } else if (e.endsWith(QLatin1StringView(".*"))) {
            const auto group = e.chopped(2);
            if (!m_context.groups.contains(group))
                return invalid("events", tr("\"%1\": no event type in the catalog belongs to the group \"%2\"").arg(e, group));
        } else if (!m_context.eventTypes.contains(e)) {
            return invalid("events", tr("\"%1\" is not in the event catalog (see event-types list)").arg(e));
        }
        if (!unique.contains(e))
            unique << e;
    }
    events = unique;
    return Ok{};
}

Status WebhookValidator::validateHeaders(const QList<CustomHeader> &headers) const
{
    if (headers.size() > kMaxHeaders)
        return invalid("headers", tr("at most %1 custom headers").arg(kMaxHeaders));
    const auto reserved = reservedHeaders(m_context.headerPrefix);
    QStringList seen;
    for (const auto &h : headers) {
        if (!isHeaderToken(h.name))
            return invalid("headers", tr("\"%1\" is not a valid header name (letters, digits and !#$%&'*+.^_`|~- only)").arg(h.name));
        for (const auto &r : reserved) {
            if (h.name.compare(r, Qt::CaseInsensitive) == 0)
                return invalid("headers", tr("%1 is set by Hookline and cannot be a custom header").arg(r));
        }
        if (seen.contains(h.name.toLower()))
            return invalid("headers", tr("%1 is given twice").arg(h.name));
        seen << h.name.toLower();
        if (h.value.size() > kMaxHeaderValueLength)
            return invalid("headers", tr("the value of %1 is longer than %2 characters").arg(h.name).arg(kMaxHeaderValueLength));
        for (QChar c : h.value) {
            if (c == u'\r' || c == u'\n' || c == QChar(0))
                return invalid("headers", tr("the value of %1 contains a line break or NUL").arg(h.name));
        }
    }
    return Ok{};
}

Status WebhookValidator::validateRetry(const RetryPolicy &r)
{
    if (r.maxRetries < 0 || r.maxRetries > RetryPolicy::kMaxRetries)
        return invalid("maxRetries", tr("must be between 0 and %1").arg(RetryPolicy::kMaxRetries));
    if (!inRange(r.retryDelaySeconds, RetryPolicy::kMinDelaySeconds, RetryPolicy::kMaxDelaySeconds))
        return invalid("retryDelaySeconds",
                       tr("must be between %1 and %2 seconds").arg(RetryPolicy::kMinDelaySeconds).arg(RetryPolicy::kMaxDelaySeconds));
    if (r.schedule.size() > RetryPolicy::kMaxRetries)
        return invalid("schedule", tr("at most %1 entries").arg(RetryPolicy::kMaxRetries));
    for (double d : r.schedule) {
        if (!inRange(d, 0, RetryPolicy::kMaxDelaySeconds))
            return invalid("schedule", tr("every delay must be between 0 and %1 seconds").arg(RetryPolicy::kMaxDelaySeconds));
    }
    if (!r.schedule.isEmpty() && r.maxRetries != r.schedule.size())
        return invalid("maxRetries",
                       tr("is %1 but the schedule has %2 entries: with a schedule, one retry per entry").arg(r.maxRetries).arg(r.schedule.size()));
    if (!inRange(r.jitter, 0, 1))
        return invalid("jitter", tr("must be a fraction between 0 and 1"));
    if (r.autoDisableAfter < 0 || r.autoDisableAfter > RetryPolicy::kMaxAutoDisableAfter)
        return invalid("autoDisableAfter", tr("must be between 0 (never) and %1").arg(RetryPolicy::kMaxAutoDisableAfter));
    return Ok{};
}

Status WebhookValidator::validateSecret(Scheme scheme, const QString &secret)
{
    // A receiver's secret is any text (GitHub's documented example is
    // "It's a Secret to Everybody"); it is used as its UTF-8 bytes. Only
    // what cannot be typed back or survives no copy is refused.
    if (secret.size() < 8 || secret.size() > 256)
        return invalid("secret", tr("must be 8 to 256 characters"));
    for (QChar c : secret) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return invalid("secret", tr("must not contain a tab, a line break or another control character"));
    }
    if (secret.front().isSpace() || secret.back().isSpace())
        return invalid("secret", tr("must not start or end with a space"));
    const SchemeDescriptor *d = SchemeDescriptor::find(scheme);
    if (d && d->key == SecretKey::WhsecBase64) {
        QString why;
        const auto key = d->hmacKey(secret, &why);
        if (!key)
            return invalid("secret", tr("is not a Standard Webhooks secret (whsec_ + base64): %1").arg(Secret::translatedError(why)));
        if (key->size() < 16 || key->size() > 64)
            return invalid("secret", tr("decodes to %1 bytes; the standard scheme needs 16 to 64").arg(key->size()));
    }
    return Ok{};
}

Status WebhookValidator::validate(Webhook &w) const
{
    if (w.name.size() > 200)
        return invalid("name", tr("is longer than 200 characters"));
    if (auto s = validateUrl(w.url, w.isInspectorCopy()); !s)
        return s;
    if (w.description.size() > 2000)
        return invalid("description", tr("is longer than 2000 characters"));
    if (auto s = validateEvents(w.events); !s)
        return s;
    if (auto s = validateHeaders(w.headers); !s)
        return s;
    if (auto s = validateRetry(w.retry); !s)
        return s;
    if (w.retention && (*w.retention < 1 || *w.retention > 10000000))
        return invalid("retention", tr("must be between 1 and 10000000 deliveries"));
    if (w.maxInFlight && (*w.maxInFlight < 1 || *w.maxInFlight > kMaxInFlight))
        return invalid("maxInFlight", tr("must be between 1 and %1 requests").arg(kMaxInFlight));
    if (w.transform.size() > kMaxTransformLength)
        return invalid("transform", tr("is longer than %1 characters").arg(kMaxTransformLength));
    return validateSecret(w.scheme, w.secret);
}

} // namespace hookline
