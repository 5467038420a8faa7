#pragma once

// Where a test's database lives. Normally a SQLite file in the test's own
// temporary folder. When ctest runs a suite a second time against the
// throw-away PostgreSQL server (tests/support/postgres-server.sh, whose URL
// file HOOKLINE_TEST_POSTGRES names), every call gives a schema of its own on
// that server instead: the same tests, the other store.
#include <QAtomicInteger>
#include <QCoreApplication>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

namespace hookline::test {

inline bool usesPostgres()
{
    return qEnvironmentVariableIsSet("HOOKLINE_TEST_POSTGRES");
}

inline QString databaseLocation(const QTemporaryDir &dir)
{
    if (!usesPostgres())
        return dir.filePath(QStringLiteral("hookline.db"));
    QFile file(qEnvironmentVariable("HOOKLINE_TEST_POSTGRES"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("HOOKLINE_TEST_POSTGRES names %s, which cannot be read: is the postgres fixture running?", qPrintable(file.fileName()));
    static QAtomicInteger<int> counter;
    return QString::fromUtf8(file.readAll().trimmed())
           + QStringLiteral("?schema=t%1_%2").arg(QCoreApplication::applicationPid()).arg(counter.fetchAndAddRelaxed(1));
}

} // namespace hookline::test
