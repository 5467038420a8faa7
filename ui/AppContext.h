#pragma once

#include "model/Alert.h"
#include "model/DeliveryUpdate.h"
#include "service/ServiceExecutor.h"

#include <QObject>

#include <memory>

namespace hookline {

class AlertFeed;
class DeliveryEngine;

// What every window shares: the services (through one executor, never on
// the GUI thread) and the delivery engine running on its own threads.
class AppContext final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppContext)

public:
    explicit AppContext(std::shared_ptr<Installation> installation, int workers = 2, QObject *parent = nullptr);
    ~AppContext() override;

    ServiceExecutor &db() { return *m_executor; }
    Installation &installation() { return m_executor->installation(); }
    DeliveryEngine &engine() { return *m_engine; }

    // Something changed the webhooks or the catalog: views reload.
    void notifyWebhooksChanged() { Q_EMIT webhooksChanged(); }
    void notifyCatalogChanged() { Q_EMIT catalogChanged(); }
    // New events were written in this process: views refresh, the engine wakes.
    void notifyEventsEmitted();

Q_SIGNALS:
    void webhooksChanged();
    void catalogChanged();
    // New deliveries were written (rows to count again).
    void deliveriesChanged();
    // The engine committed attempts: rows change in place (one signal per batch).
    void deliveriesUpdated(const hookline::DeliveryUpdates &updates);
    // Webhooks started failing, were deactivated or deliver again, in this
    // process or another one on the same database (ui/AlertFeed.h); oldest first.
    void alertsArrived(const hookline::Alerts &alerts);

private:
    std::unique_ptr<ServiceExecutor> m_executor;
    std::unique_ptr<DeliveryEngine> m_engine;
    AlertFeed *m_alerts = nullptr;
};

} // namespace hookline
