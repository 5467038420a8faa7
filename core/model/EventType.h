#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace hookline {

struct EventType final {
    QString name;  // "lead.created"
    QString group; // "lead": the part before the first dot
    QString description;
    QByteArray samplePayload; // canonical JSON object: the `data` of a sample event
    QString catalog;          // which catalog brought it ("crm", "custom", ...)

    bool operator==(const EventType &) const = default;

    static QString groupOf(QStringView name);
    static bool isValidName(QStringView name);
    // The test ping every webhook receives on demand, whatever it subscribes to.
    static QString testEventName() { return QStringLiteral("webhook.test"); }
    // Every type Hookline itself sends: the test ping and the operational
    // events (model/Alert.h). Each new database has them.
    static QStringList ownEventNames();
    // One of them: not imported, exported, changed or deleted by hand.
    static bool isOwn(QStringView name);
    // Hookline's operational events ("hookline.…"): only Hookline emits them.
    static bool isOperational(QStringView name) { return name.startsWith(u"hookline."); }
};

} // namespace hookline
