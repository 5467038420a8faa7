#include "SigningSetup.h"

#include "AppContext.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "signing/SignatureDebugger.h"

#include <QComboBox>

namespace hookline {

void SigningSetup::load(AppContext &context, QObject *receiver, std::function<void(Result<SigningSetup>)> done)
{
    const auto job = [](QSqlDatabase db) -> Result<SigningSetup> {
        auto webhooks = WebhookService(db).list();
        if (!webhooks)
            return webhooks.error();
        auto values = Settings(db).values();
        if (!values)
            return values.error();
        return SigningSetup{*webhooks, values->value(QString::fromLatin1(Settings::kHeaderPrefix))};
    };
    context.db().run<Result<SigningSetup>>(job, receiver, std::move(done));
}

void SigningSetup::addTo(QComboBox *box) const
{
    for (const auto &w : webhooks)
        box->addItem(QStringLiteral("%1 (%2)").arg(w.name, w.id), w.id);
}

const Webhook *SigningSetup::chosen(const QComboBox *box) const
{
    const int index = box->currentIndex() - 1;
    return index >= 0 && index < webhooks.size() ? &webhooks.at(index) : nullptr;
}

QStringList SigningSetup::secrets(const Webhook &webhook)
{
    QStringList out;
    for (const auto &s : webhook.secrets)
        out << s.secret;
    return out;
}

void SigningSetup::use(const Webhook &webhook, SignatureCase &input) const
{
    input.secrets = secrets(webhook);
    input.scheme = webhook.scheme;
    if (!headerPrefix.isEmpty())
        input.headerPrefix = headerPrefix.toUtf8();
}

} // namespace hookline
