#include "WalCheckpointer.h"

#include "Database.h"
#include "Sql.h"
#include "util/Log.h"

#include <QSqlQuery>
#include <QTimer>

#include <optional>

namespace hookline {

class WalCheckpointer::Worker final : public QObject {
public:
    explicit Worker(Database &database)
        : m_database(database)
    {
    }

    void start()
    {
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::CoarseTimer);
        connect(m_timer, &QTimer::timeout, this, [this] { pass(); });
        m_timer->start(kIntervalMs);
    }

    void finish()
    {
        if (m_timer)
            m_timer->stop();
        pass();
        m_database.releaseThreadConnection();
    }

private:
    // What SQLite answers: frames in the log, and how many are copied.
    struct Pass {
        qint64 logFrames = 0;
        qint64 copiedFrames = 0;
    };

    void pass()
    {
        auto db = m_database.connection();
        if (!db.isOpen())
            return;
        auto now = checkpoint(db, false);
        if (!now)
            return;
        if (now->logFrames > kRestartFrames) {
            // Most of the log is copied by now: what RESTART still copies
            // while writers wait is only what was committed meanwhile.
            now = checkpoint(db, true);
            if (!now)
                return;
        }
        const bool idle = now->logFrames == m_last.logFrames && now->copiedFrames == m_last.copiedFrames;
        m_last = *now;
        // Nothing new since the last pass: look less often until writes come back.
        m_timer->setInterval(idle ? kIdleIntervalMs : kIntervalMs);
    }

    std::optional<Pass> checkpoint(const QSqlDatabase &db, bool restart)
    {
        auto q = sql::prepare(db, restart ? QStringLiteral("PRAGMA wal_checkpoint(RESTART)") : QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        if (auto s = sql::exec(q, u"checkpointing the write-ahead log"); !s || !q.next()) {
            qCWarning(lcStore).noquote() << (s ? QStringLiteral("checkpointing the write-ahead log: no answer") : s.error().message);
            return std::nullopt;
        }
        const Pass pass{q.value(1).toLongLong(), q.value(2).toLongLong()};
        qCDebug(lcStore) << "checkpoint:" << (restart ? "RESTART" : "PASSIVE") << pass.copiedFrames << "of" << pass.logFrames << "frames";
        return pass;
    }

    Database &m_database;
    QTimer *m_timer = nullptr;
    Pass m_last;
};

WalCheckpointer::WalCheckpointer(Database &database)
{
    m_thread.setObjectName(QStringLiteral("hookline-checkpoint"));
    m_worker = new Worker(database);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, m_worker, [this] { m_worker->start(); });
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

WalCheckpointer::~WalCheckpointer()
{
    QMetaObject::invokeMethod(
        m_worker, [this] { m_worker->finish(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

} // namespace hookline
