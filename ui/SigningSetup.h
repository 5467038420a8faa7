#pragma once

#include "model/Webhook.h"
#include "util/Result.h"

#include <QList>
#include <QString>

#include <functional>

class QComboBox;
class QObject;

namespace hookline {

class AppContext;
struct SignatureCase;

// What a signature is checked against in the window (the signature
// debugger, the request inspector): the webhooks, whose secrets and scheme
// are tried, and the installation's header prefix.
struct SigningSetup final {
    QList<Webhook> webhooks;
    QString headerPrefix;

    // Read off the window's thread; `done` runs on `receiver`'s, while it lives.
    static void load(AppContext &context, QObject *receiver, std::function<void(Result<SigningSetup>)> done);
    // Adds each webhook as "name (id)" with its id as the item's data.
    void addTo(QComboBox *box) const;
    // The webhook `box` shows (its first item is "none"), or null.
    const Webhook *chosen(const QComboBox *box) const;
    // Its secrets, current first, then those rotations replaced.
    static QStringList secrets(const Webhook &webhook);
    // `input` checked as `webhook`'s receiver would: its secrets, current first,
    // its scheme, and the installation's prefix.
    void use(const Webhook &webhook, SignatureCase &input) const;
};

} // namespace hookline
