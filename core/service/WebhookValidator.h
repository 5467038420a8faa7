#pragma once

#include "model/Webhook.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QSet>
#include <QString>

namespace hookline {

// Checks a webhook before it is written. Every rejection names the field and
// the reason, so the CLI, the API and the form can show it as it is.
class WebhookValidator final {
    Q_DECLARE_TR_FUNCTIONS(hookline::WebhookValidator)
public:
    struct Context {
        QSet<QString> eventTypes; // names in the catalog
        QSet<QString> groups;     // their groups
        QString headerPrefix = QStringLiteral("X-Webhook");
        bool allowInsecureUrls = false;
        bool allowPrivateAddresses = false;
    };

    explicit WebhookValidator(Context context)
        : m_context(std::move(context))
    {
    }

    // Also normalises what has one right form (subscriptions de-duplicated).
    Status validate(Webhook &webhook) const;

    // `inspectorCopy`: the URL of a copy made by "Inspect this webhook",
    // which must be the loopback inspector and is exempt from the settings.
    Status validateUrl(const QString &url, bool inspectorCopy = false) const;
    Status validateEvents(QStringList &events) const;
    Status validateHeaders(const QList<CustomHeader> &headers) const;
    static Status validateRetry(const RetryPolicy &retry);
    static Status validateSecret(Scheme scheme, const QString &secret);

    // Headers Hookline sets itself and a custom header may not replace.
    static QStringList reservedHeaders(const QString &headerPrefix);
    static bool isHeaderToken(QStringView name);

    static constexpr int kMaxHeaders = 50;
    static constexpr int kMaxHeaderValueLength = 4096;
    static constexpr int kMaxUrlLength = 2048;
    static constexpr int kMaxTransformLength = 64 * 1024;
    static constexpr int kMaxInFlight = 10000;

private:
    Context m_context;
};

} // namespace hookline
