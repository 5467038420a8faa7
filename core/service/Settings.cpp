#include "Settings.h"

#include "net/CaCertificates.h"
#include "service/AuditLog.h"
#include "store/SettingsStore.h"
#include "store/Sql.h"
#include "store/WebhookStore.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QRegularExpression>

#include <cmath>

namespace hookline {

namespace {
const Settings::Info *findInfo(const QString &key)
{
    for (const auto &info : Settings::known()) {
        if (info.key == key)
            return &info;
    }
    return nullptr;
}

std::optional<bool> parseBool(const QString &v)
{
    const auto s = v.trimmed().toLower();
    if (s == u"true" || s == u"1" || s == u"yes" || s == u"on")
        return true;
    if (s == u"false" || s == u"0" || s == u"no" || s == u"off")
        return false;
    return std::nullopt;
}

struct Bounds {
    double min;
    double max;
};

Bounds boundsOf(const QString &key)
{
    if (key == QLatin1StringView(Settings::kRetention))
        return {1, 10000000};
    if (key == QLatin1StringView(Settings::kRequestTimeoutSeconds))
        return {0.1, 300};
    if (key == QLatin1StringView(Settings::kRotationGraceSeconds))
        return {0, 30 * 24 * 3600};
    if (key == QLatin1StringView(Settings::kMaxInFlightPerWebhook))
        return {1, 10000};
    if (key == QLatin1StringView(Settings::kMaxInFlightPerHost))
        return {1, 100000};
    if (key == QLatin1StringView(Settings::kSlowAnswerSeconds))
        return {0.1, 300};
    if (key == QLatin1StringView(Settings::kAlertFailuresInRow))
        return {0, 100000};
    if (key == QLatin1StringView(Settings::kAlertSuccessRatePercent))
        return {0, 100};
    return {0, 0};
}
Error unknownKey(const QString &key)
{
    QStringList names;
    for (const auto &i : Settings::known())
        names << i.key;
    return Error::validation(
        QStringLiteral("key"),
        QCoreApplication::translate("hookline::Settings", "unknown setting \"%1\" (known: %2)").arg(key, names.join(QStringLiteral(", "))));
}
} // namespace

const QList<Settings::Info> &Settings::known()
{
    static const QList<Info> list{
        {QString::fromLatin1(kHeaderPrefix), Type::String, QStringLiteral("X-Webhook"),
         QStringLiteral("prefix of Hookline's own headers (<P>-Event, <P>-Id, <P>-Delivery-Id, <P>-Timestamp, <P>-Signature)")},
        {QString::fromLatin1(kAllowInsecureUrls), Type::Bool, QStringLiteral("false"),
         QStringLiteral("allow plain http:// webhook URLs (development only)")},
        {QString::fromLatin1(kAllowPrivateAddresses), Type::Bool, QStringLiteral("false"),
         QStringLiteral("allow webhook URLs on loopback, private, link-local and multicast addresses (development only)")},
        {QString::fromLatin1(kRetention), Type::Int, QStringLiteral("100"),
         QStringLiteral("newest deliveries kept per webhook (a webhook may override it)")},
        {QString::fromLatin1(kRequestTimeoutSeconds), Type::Double, QStringLiteral("10"),
         QStringLiteral("total deadline of one delivery request, in seconds")},
        {QString::fromLatin1(kRotationGraceSeconds), Type::Int, QStringLiteral("86400"),
         QStringLiteral("how long a rotated secret keeps signing beside the new one, in seconds")},
        {QString::fromLatin1(kExtraCaCertificates), Type::Path, QString(),
         QStringLiteral("PEM file of extra CA certificates trusted for https:// receivers")},
        {QString::fromLatin1(kMaxInFlightPerWebhook), Type::Int, QStringLiteral("64"),
         QStringLiteral("requests one engine has in flight to one webhook at most (a webhook may override it)")},
        {QString::fromLatin1(kMaxInFlightPerHost), Type::Int, QStringLiteral("256"),
         QStringLiteral("requests one engine has in flight to one host (scheme, name and port) at most, all its webhooks together")},
        {QString::fromLatin1(kSlowAnswerSeconds), Type::Double, QStringLiteral("2"),
         QStringLiteral("a webhook that takes longer than this to answer moves to the slow lane: its own connections and a smaller share")},
        {QString::fromLatin1(kAlertFailuresInRow), Type::Int, QStringLiteral("3"),
         QStringLiteral("alert when this many deliveries in a row to one webhook end failed (0: never)")},
        {QString::fromLatin1(kAlertSuccessRatePercent), Type::Int, QStringLiteral("50"),
         QStringLiteral("alert when less than this share of a webhook's attempts in the last hour succeeded, counted from 10 attempts (0: never)")},
        {QString::fromLatin1(kAlertEventsWebhook), Type::WebhookId, QString(),
         QStringLiteral("webhook id that receives the operational events hookline.webhook.disabled, .failing and .recovered (empty: none)")},
    };
    return list;
}

Result<QString> Settings::normalized(const Info &info, const QString &value) const
{
    const auto bad = [&](const QString &why) { return Error::validation(info.key, why); };
    switch (info.type) {
    case Type::Bool:
        if (const auto b = parseBool(value))
            return *b ? QStringLiteral("true") : QStringLiteral("false");
        return bad(tr("expected true or false, got \"%1\"").arg(value));
    case Type::Int:
    case Type::Double: {
        bool ok = false;
        const double d = value.trimmed().toDouble(&ok);
        const auto bounds = boundsOf(info.key);
        if (!ok || (info.type == Type::Int && d != double(qint64(d))))
            return bad((info.type == Type::Int ? tr("expected a whole number, got \"%1\"") : tr("expected a number, got \"%1\"")).arg(value));
        if (!std::isfinite(d) || d < bounds.min || d > bounds.max)
            return bad(tr("must be between %1 and %2").arg(bounds.min).arg(bounds.max));
        return QString::number(d, 'g', 15);
    }
    case Type::String: {
        static const QRegularExpression prefix(QStringLiteral("^[A-Za-z][A-Za-z0-9-]{0,62}[A-Za-z0-9]$"));
        if (!prefix.match(value).hasMatch())
            return bad(tr("must be a header name of letters, digits and dashes, like X-Webhook"));
        return value;
    }
    case Type::WebhookId: {
        const auto id = value.trimmed();
        if (id.isEmpty())
            return id;
        auto found = WebhookStore(m_db).find(id);
        if (!found)
            return found.error();
        // One deleted since it was chosen stays until changed: saving the
        // other settings must not fail for it (the engine says it is missing).
        if (const auto stored = this->value(info.key); !*found && (!stored || *stored != id))
            return bad(tr("there is no webhook %1").arg(id));
        return id;
    }
    case Type::Path: {
        if (value.isEmpty())
            return value;
        // The one path setting is the CA file: refused now, not when the
        // engine first needs it.
        if (auto read = CaCertificates::read(value); !read)
            return bad(read.error().message);
        return QFileInfo(value).absoluteFilePath();
    }
    }
    return value;
}

Result<QString> Settings::value(const QString &key) const
{
    const auto *info = findInfo(key);
    if (!info)
        return unknownKey(key);
    auto stored = SettingsStore(m_db).value(key);
    if (!stored)
        return stored.error();
    return stored->value_or(info->defaultValue);
}

Status Settings::setValue(const QString &key, const QString &value)
{
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s;
    if (auto s = write(key, value); !s)
        return s;
    return tx.commit();
}

Status Settings::write(const QString &key, const QString &value)
{
    const auto *info = findInfo(key);
    if (!info)
        return unknownKey(key);
    auto normal = normalized(*info, value);
    if (!normal)
        return normal.error();
    auto old = this->value(key);
    if (!old)
        return old.error();
    if (*old == *normal)
        return Ok{}; // nothing changes, nothing to record
    if (auto s = SettingsStore(m_db).setValue(key, *normal); !s)
        return s;
    return recordChange(key, *old, *normal);
}

Status Settings::recordChange(const QString &key, const QString &before, const QString &after)
{
    return AuditLog(m_db).record(QStringLiteral("settings.changed"), QStringLiteral("setting"), key,
                                 QJsonObject{{key, AuditLog::change(before, after)}});
}

Result<QMap<QString, QString>> Settings::values() const
{
    QMap<QString, QString> out;
    for (const auto &info : known()) {
        auto v = value(info.key);
        if (!v)
            return v.error();
        out.insert(info.key, *v);
    }
    return out;
}

Status Settings::setValues(const QMap<QString, QString> &values)
{
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s;
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (auto s = write(it.key(), it.value()); !s)
            return s;
    }
    return tx.commit();
}

Status Settings::reset(const QString &key)
{
    auto old = value(key);
    if (!old)
        return old.error();
    sql::Transaction tx(m_db);
    if (auto s = tx.begin(); !s)
        return s;
    if (auto s = SettingsStore(m_db).remove(key); !s)
        return s;
    if (const auto now = value(key); now && *now != *old) {
        if (auto s = recordChange(key, *old, *now); !s)
            return s;
    }
    return tx.commit();
}

QString Settings::text(const char *key) const
{
    auto v = value(QString::fromLatin1(key));
    if (v)
        return *v;
    return findInfo(QString::fromLatin1(key))->defaultValue;
}

QString Settings::headerPrefix() const
{
    return text(kHeaderPrefix);
}
bool Settings::allowInsecureUrls() const
{
    return parseBool(text(kAllowInsecureUrls)).value_or(false);
}
bool Settings::allowPrivateAddresses() const
{
    return parseBool(text(kAllowPrivateAddresses)).value_or(false);
}
int Settings::retention() const
{
    return text(kRetention).toInt();
}
double Settings::requestTimeoutSeconds() const
{
    return text(kRequestTimeoutSeconds).toDouble();
}
int Settings::rotationGraceSeconds() const
{
    return text(kRotationGraceSeconds).toInt();
}
QString Settings::extraCaCertificates() const
{
    return text(kExtraCaCertificates);
}
int Settings::maxInFlightPerWebhook() const
{
    return text(kMaxInFlightPerWebhook).toInt();
}
int Settings::maxInFlightPerHost() const
{
    return text(kMaxInFlightPerHost).toInt();
}
double Settings::slowAnswerSeconds() const
{
    return text(kSlowAnswerSeconds).toDouble();
}
int Settings::alertFailuresInRow() const
{
    return text(kAlertFailuresInRow).toInt();
}
int Settings::alertSuccessRatePercent() const
{
    return text(kAlertSuccessRatePercent).toInt();
}
QString Settings::alertEventsWebhook() const
{
    return text(kAlertEventsWebhook);
}

} // namespace hookline
