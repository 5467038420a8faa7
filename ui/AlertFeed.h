#pragma once

#include "model/Alert.h"

#include <QObject>

#include <optional>

class QTimer;

namespace hookline {

class ServiceExecutor;

// The alerts written since the window started, whoever wrote them: this
// window's engine (it pokes the feed at once) or another process on the same
// database (`hookline-cli serve`, `deliver`), read every few seconds. Each
// alert is told once: the feed keeps the id of the last one it read.
class AlertFeed final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertFeed)

public:
    static constexpr int kPollMs = 5000;

    explicit AlertFeed(ServiceExecutor &db, QObject *parent = nullptr);

    // Reads now (the engine has just raised some).
    void poke();

Q_SIGNALS:
    // Oldest first.
    void arrived(const hookline::Alerts &alerts);

private:
    void read();

    ServiceExecutor &m_db;
    QTimer *m_timer = nullptr;
    std::optional<qint64> m_lastId; // none until the start position is read
    bool m_reading = false;
    bool m_readAgain = false;
};

} // namespace hookline
