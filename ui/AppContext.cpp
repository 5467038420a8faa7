#include "AppContext.h"

#include "AlertFeed.h"

#include "engine/DeliveryEngine.h"

namespace hookline {

AppContext::AppContext(std::shared_ptr<Installation> installation, int workers, QObject *parent)
    : QObject(parent)
    , m_executor(std::make_unique<ServiceExecutor>(installation))
{
    // The engine writes for as long as the window is open: never a
    // checkpoint inside its commits.
    installation->checkpointInBackground();
    EngineOptions options;
    options.workers = workers;
    m_engine = std::make_unique<DeliveryEngine>(installation->database(), options);
    connect(m_engine.get(), &DeliveryEngine::deliveriesUpdated, this, &AppContext::deliveriesUpdated);
    connect(m_engine.get(), &DeliveryEngine::webhookDeactivated, this, &AppContext::webhooksChanged);
    m_alerts = new AlertFeed(*m_executor, this);
    connect(m_engine.get(), &DeliveryEngine::alertsRaised, m_alerts, &AlertFeed::poke);
    connect(m_alerts, &AlertFeed::arrived, this, [this](const Alerts &alerts) {
        Q_EMIT alertsArrived(alerts);
        Q_EMIT webhooksChanged(); // the list's marks
    });
}

AppContext::~AppContext()
{
    m_engine->stopAndWait();
}

void AppContext::notifyEventsEmitted()
{
    m_engine->wake();
    Q_EMIT deliveriesChanged();
}

} // namespace hookline
