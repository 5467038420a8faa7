#include "AppContext.h"

#include "engine/DeliveryEngine.h"

#include <QTimer>

namespace hookline {

AppContext::AppContext(std::shared_ptr<Installation> installation, int workers, QObject *parent)
    : QObject(parent)
    , m_executor(std::make_unique<ServiceExecutor>(installation))
{
    EngineOptions options;
    options.workers = workers;
    m_engine = std::make_unique<DeliveryEngine>(installation->database(), options);
    // Finished deliveries arrive in bursts: tell the views once per burst.
    auto *coalesce = new QTimer(this);
    coalesce->setSingleShot(true);
    coalesce->setInterval(300);
    connect(coalesce, &QTimer::timeout, this, &AppContext::deliveriesChanged);
    connect(m_engine.get(), &DeliveryEngine::deliveryFinished, coalesce, [coalesce] {
        if (!coalesce->isActive())
            coalesce->start();
    });
    connect(m_engine.get(), &DeliveryEngine::webhookDeactivated, this, &AppContext::webhooksChanged);
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
