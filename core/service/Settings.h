#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QSqlDatabase>
#include <QString>

namespace hookline {

// Installation-wide settings: names, defaults, validation and typed access.
class Settings final {
    Q_DECLARE_TR_FUNCTIONS(hookline::Settings)
public:
    enum class Type { Bool, Int, Double, String, Path, WebhookId };
    struct Info {
        QString key;
        Type type;
        QString defaultValue;
        QString description;
    };

    explicit Settings(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    static const QList<Info> &known();

    // The stored value, or the default when none is stored.
    Result<QString> value(const QString &key) const;
    // Validates, normalises (booleans become true/false) and stores.
    Status setValue(const QString &key, const QString &value);
    Status reset(const QString &key);
    // Every known key with its value (stored or default).
    Result<QMap<QString, QString>> values() const;
    // All or nothing: one bad value leaves every setting as it was.
    Status setValues(const QMap<QString, QString> &values);

    // Typed views; a value that cannot be read falls back to the default.
    QString headerPrefix() const;
    bool allowInsecureUrls() const;
    bool allowPrivateAddresses() const;
    int retention() const;
    double requestTimeoutSeconds() const;
    int rotationGraceSeconds() const;
    QString extraCaCertificates() const;
    int maxInFlightPerWebhook() const;
    int maxInFlightPerHost() const;
    double slowAnswerSeconds() const;
    int alertFailuresInRow() const;
    int alertSuccessRatePercent() const;
    QString alertEventsWebhook() const;

    static constexpr auto kHeaderPrefix = "headerPrefix";
    static constexpr auto kAllowInsecureUrls = "allowInsecureUrls";
    static constexpr auto kAllowPrivateAddresses = "allowPrivateAddresses";
    static constexpr auto kRetention = "retention";
    static constexpr auto kRequestTimeoutSeconds = "requestTimeoutSeconds";
    static constexpr auto kRotationGraceSeconds = "rotationGraceSeconds";
    static constexpr auto kExtraCaCertificates = "extraCaCertificates";
    static constexpr auto kMaxInFlightPerWebhook = "maxInFlightPerWebhook";
    static constexpr auto kMaxInFlightPerHost = "maxInFlightPerHost";
    static constexpr auto kSlowAnswerSeconds = "slowAnswerSeconds";
    static constexpr auto kAlertFailuresInRow = "alertFailuresInRow";
    static constexpr auto kAlertSuccessRatePercent = "alertSuccessRatePercent";
    static constexpr auto kAlertEventsWebhook = "alertEventsWebhook";

private:
    // setValue() inside the caller's transaction: the value and its audit row.
    Status write(const QString &key, const QString &value);
    // The audit row of a setting that changed (in the caller's transaction).
    Status recordChange(const QString &key, const QString &before, const QString &after);
    Result<QString> normalized(const Info &info, const QString &value) const;
    QString text(const char *key) const;

    QSqlDatabase m_db;
};

} // namespace hookline
