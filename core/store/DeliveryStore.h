#pragma once

#include "model/Delivery.h"
#include "util/Result.h"

#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace hookline {

struct DeliveryFilter final {
    QString webhookId;
    std::optional<DeliveryStatus> status;
    QString eventType;
    QDateTime since;   // created at or after
    QDateTime until;   // created before
    int limit = 50;
    int offset = 0;
};

// The read side of the history: paged, newest first.
class DeliveryStore final {
public:
    explicit DeliveryStore(QSqlDatabase db) : m_db(std::move(db)) {}

    Result<QList<Delivery>> list(const DeliveryFilter &filter) const;
    Result<int> count(const DeliveryFilter &filter) const;
    Result<std::optional<Delivery>> find(const QString &id) const;
    Result<QList<Attempt>> attempts(const QString &deliveryId) const;

private:
    QSqlDatabase m_db;
};

} // namespace hookline
