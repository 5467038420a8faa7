#pragma once

#include <QObject>

class QSocketNotifier;

namespace hookline::cli {

// Turns SIGINT and SIGTERM into a Qt signal on the main thread (self-pipe),
// so that Ctrl-C stops the engine cleanly instead of killing it mid-write.
class StopSignals final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StopSignals)

public:
    explicit StopSignals(QObject *parent = nullptr);
    ~StopSignals() override;

Q_SIGNALS:
    void stopRequested(int signalNumber);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace hookline::cli
