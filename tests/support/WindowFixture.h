#pragma once

// What the window's tests share: a fresh database in a temporary folder
// (every built-in catalog, http:// to loopback receivers allowed) and the
// AppContext on it. Seed through connection() first; start() then closes
// this thread's connection, as app/gui/main.cpp does, and hands the
// installation to the executor and the engine.
#include "AppContext.h"
#include "TestDatabase.h"

#include <QSqlDatabase>
#include <QTemporaryDir>

#include <memory>

namespace hookline::test {

class WindowFixture final {
public:
    WindowFixture() = default;
    Q_DISABLE_COPY_MOVE(WindowFixture)
    ~WindowFixture() { close(); }

    // Creates the database `fileName` in the fixture's folder.
    Status open(const QString &fileName)
    {
        if (!m_dir.isValid())
            return Error{Error::Code::Io, QStringLiteral("no temporary folder"), {}};
        auto opened = openLoopbackInstallation(m_dir.filePath(fileName));
        if (!opened)
            return opened.error();
        m_installation = *opened;
        return Ok{};
    }
    // This thread's connection, to seed and to look (release() closes it).
    QSqlDatabase connection() { return m_installation->connection(); }
    void release() { m_installation->releaseThreadConnection(); }
    AppContext &start(int workers = 1)
    {
        release();
        m_context = std::make_unique<AppContext>(m_installation, workers);
        return *m_context;
    }
    // The context first (it stops the engine), then the database.
    void close()
    {
        m_context.reset();
        m_installation.reset();
    }

    AppContext &context() { return *m_context; }
    Installation &installation() { return *m_installation; }
    QString path(const QString &fileName) const { return m_dir.filePath(fileName); }

private:
    QTemporaryDir m_dir;
    std::shared_ptr<Installation> m_installation;
    std::unique_ptr<AppContext> m_context;
};

} // namespace hookline::test
