#pragma once

#include "model/Alert.h"
#include "util/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>

namespace hookline {

// What the front ends read of the engine's alerts (engine/AlertWatch.h): the
// list for `hookline-cli alerts`, and the new ones a window tells about.
class AlertService final {
    Q_DECLARE_TR_FUNCTIONS(hookline::AlertService)
public:
    explicit AlertService(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    static constexpr int kMaxLimit = 10000;

    // Newest first. A limit outside 1 … kMaxLimit is refused.
    Result<Alerts> list(const AlertFilter &filter) const;
    // The newest alert's id (0: none yet): a window that starts tells only
    // of what comes after it.
    Result<qint64> latestId() const;

private:
    QSqlDatabase m_db;
};

} // namespace hookline
