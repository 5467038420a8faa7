#pragma once

#include <QByteArray>
#include <QString>

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
};

} // namespace hookline
