#pragma once

#include "model/RetryPolicy.h"

#include <QStringList>
#include <QWidget>

class QListWidget;

namespace hookline {

// When each retry of a failing delivery fires and when the webhook would be
// deactivated: the retry policy made visible before it is saved.
class RetryTimeline final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RetryTimeline)

public:
    explicit RetryTimeline(QWidget *parent = nullptr);

    void setPolicy(const RetryPolicy &policy);

    struct Step {
        QString label;     // "Attempt 1", "Retry 2", "Gives up", "Auto-disable"
        double atSeconds;  // since the event, without jitter
        double minSeconds; // earliest with jitter
        double maxSeconds; // latest with jitter
    };
    static QList<Step> steps(const RetryPolicy &policy);
    static QString duration(double seconds);

    QListWidget *list() const { return m_list; }

private:
    QListWidget *m_list;
};

} // namespace hookline
