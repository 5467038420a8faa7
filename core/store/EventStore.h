#pragma once

#include "model/Delivery.h"
#include "model/Event.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStringList>

#include <memory>
#include <optional>

namespace hookline {

class DirectStatement;

// The outbox: an event and its delivery rows. Callers hold a transaction
// around insert() so that nothing is sent before both are committed.
class EventStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::EventStore)
public:
    explicit EventStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    // Active webhooks of a tenant and the patterns each subscribes to.
    Result<QHash<QString, QStringList>> activeSubscriptions(const QString &tenantId) const;

    Status insert(const Event &event, const QList<Delivery> &deliveries);
    Result<std::optional<Event>> find(const QString &id) const;

private:
    QSqlDatabase m_db;
    std::shared_ptr<DirectStatement> m_insertEvent;
    std::shared_ptr<DirectStatement> m_insertDelivery;
};

} // namespace hookline
