#include "AlertFeed.h"

#include "service/AlertService.h"
#include "service/ServiceExecutor.h"

#include <QTimer>

#include <algorithm>

namespace hookline {

AlertFeed::AlertFeed(ServiceExecutor &db, QObject *parent)
    : QObject(parent)
    , m_db(db)
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, &AlertFeed::read);
    m_timer->start(kPollMs);
    read();
}

void AlertFeed::poke()
{
    read();
}

void AlertFeed::read()
{
    if (m_reading) {
        m_readAgain = true; // one more read when this one is back
        return;
    }
    m_reading = true;
    struct Found {
        qint64 lastId = 0;
        Alerts alerts;
        bool ok = false;
    };
    const auto after = m_lastId;
    const auto job = [after](QSqlDatabase db) {
        Found found;
        AlertService alerts(db);
        if (!after) {
            // The start: what came before the window opened is not news.
            auto latest = alerts.latestId();
            found.ok = bool(latest);
            found.lastId = latest ? *latest : 0;
            return found;
        }
        AlertFilter filter;
        filter.afterId = *after;
        filter.limit = AlertService::kMaxLimit;
        auto list = alerts.list(filter);
        found.ok = bool(list);
        if (list)
            found.alerts = std::move(*list);
        found.lastId = found.alerts.isEmpty() ? *after : found.alerts.constFirst().id;
        return found;
    };
    m_db.run<Found>(job, this, [this](Found found) {
        m_reading = false;
        if (found.ok) {
            m_lastId = found.lastId;
            if (!found.alerts.isEmpty()) {
                std::reverse(found.alerts.begin(), found.alerts.end());
                Q_EMIT arrived(found.alerts);
            }
        }
        if (std::exchange(m_readAgain, false))
            read();
    });
}

} // namespace hookline
