#pragma once

#include "model/EventType.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

#include <optional>

namespace hookline {

class EventTypeStore final {
    Q_DECLARE_TR_FUNCTIONS(hookline::EventTypeStore)
public:
    explicit EventTypeStore(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    Result<QList<EventType>> list() const; // by name
    Result<std::optional<EventType>> find(const QString &name) const;
    Status upsert(const EventType &type);
    Status remove(const QString &name);

private:
    QSqlDatabase m_db;
};

} // namespace hookline
