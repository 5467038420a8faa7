#include "SqliteFile.h"

#include "SqliteLibrary.h"

#include <QAtomicInteger>
#include <QFileInfo>
#include <QSqlError>

namespace hookline {

SqliteFile::SqliteFile(QString name)
    : m_name(std::move(name))
{
}

SqliteFile::~SqliteFile()
{
    {
        auto db = QSqlDatabase::database(m_name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_name);
}

Result<std::unique_ptr<SqliteFile>> SqliteFile::open(const QString &path, Mode mode)
{
    const QFileInfo info(path);
    if (!info.exists())
        return Error::validation(QStringLiteral("file"), tr("%1 does not exist").arg(path));
    if (!info.isFile() || !info.isReadable())
        return Error::validation(QStringLiteral("file"), tr("%1 is not a readable file").arg(path));
    static QAtomicInteger<quint64> counter;
    const QString name = QStringLiteral("hookline-file-%1").arg(counter.fetchAndAddRelaxed(1));
    std::unique_ptr<SqliteFile> file(new SqliteFile(name));
    SqliteLibrary::configure();
    auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(path);
    db.setConnectOptions(mode == Mode::ReadOnly ? QStringLiteral("QSQLITE_OPEN_READONLY") : QStringLiteral("QSQLITE_BUSY_TIMEOUT=15000"));
    if (!db.open())
        return Error::database(tr("cannot open %1: %2").arg(path, db.lastError().text()));
    return file;
}

} // namespace hookline
