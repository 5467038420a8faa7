#include "DatabaseTransfer.h"

#include "store/Database.h"
#include "store/DeliveryQueue.h"
#include "store/MasterKey.h"
#include "store/Migrations.h"
#include "store/Sql.h"
#include "store/SqliteFile.h"
#include "store/TableCopy.h"
#include "util/Clock.h"
#include "util/LeaseOwner.h"
#include "util/Log.h"
#include "util/PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QScopeGuard>

namespace hookline {

namespace {
// Restoring or moving under a running engine would lose what it records
// meanwhile. A lease of a process of this host that is gone holds nothing.
Status refuseWhileDelivering(const QSqlDatabase &db)
{
    auto q = sql::prepare(db, QStringLiteral("SELECT lease_owner, COUNT(*) FROM deliveries WHERE status = 'delivering' AND lease_until > ?"
                                             " GROUP BY lease_owner"));
    q.addBindValue(Clock::nowMs());
    if (auto s = sql::exec(q, DatabaseTransfer::tr("looking for a running engine")); !s)
        return s;
    qint64 leased = 0;
    while (q.next()) {
        if (!LeaseOwner::isDeadHere(q.value(0).toString()))
            leased += q.value(1).toLongLong();
    }
    if (leased > 0)
        return Error::validation(QStringLiteral("database"),
                                 DatabaseTransfer::tr("an engine is delivering from this database (%1 deliveries leased): stop hookline-cli "
                                                      "deliver or serve, and the windows, first")
                                     .arg(leased));
    return Ok{};
}

// Deliveries claimed when the source was copied are nobody's in the copy.
Status putLeasesBack(const QSqlDatabase &db)
{
    DeliveryQueue queue(db);
    auto n = queue.takeBackAllLeases(Clock::now());
    if (!n)
        return n.error();
    return Ok{};
}

Result<QList<TableFigures>> figuresOf(const QSqlDatabase &db, const QStringList &tables)
{
    QList<TableFigures> out;
    for (const auto &t : tables) {
        auto columns = TableCopy::columns(db, t);
        if (!columns)
            return columns.error();
        auto f = TableCopy::figures(db, t, *columns);
        if (!f)
            return f.error();
        out << *f;
    }
    return out;
}

// The fingerprint of the master key a database's secrets are sealed with (empty without one).
Result<QString> sealedWith(const QSqlDatabase &db)
{
    auto tables = TableCopy::tables(db);
    if (!tables)
        return tables.error();
    if (!tables->contains(QStringLiteral("secret_key")))
        return QString();
    auto q = sql::prepare(db, QStringLiteral("SELECT fingerprint FROM secret_key WHERE id = 1"));
    if (auto s = sql::exec(q, DatabaseTransfer::tr("reading the master key's fingerprint")); !s)
        return s.error();
    return q.next() ? q.value(0).toString() : QString();
}

// Every table's figures in `target`, each checked against the same table in
// `source` (of its attached `sourceSchema`, when given), read by the target's
// columns: the proof that a copy holds exactly its source's rows.
Result<QList<TableFigures>> matchingFigures(const QSqlDatabase &source, const QString &sourceSchema, const QSqlDatabase &target,
                                            const QStringList &tables)
{
    QList<TableFigures> out;
    for (const auto &t : tables) {
        auto columns = TableCopy::columns(target, t);
        if (!columns)
            return columns.error();
        auto expected = TableCopy::figures(source, t, *columns, sourceSchema);
        if (!expected)
            return expected.error();
        auto copied = TableCopy::figures(target, t, *columns);
        if (!copied)
            return copied.error();
        if (*expected != *copied)
            return Error::database(DatabaseTransfer::tr("the copy of %1 differs from its source (%2 rows, checksum %3; copied %4 rows, "
                                                        "checksum %5): nothing was changed")
                                       .arg(t)
                                       .arg(expected->rows)
                                       .arg(QString::fromLatin1(expected->checksum.left(16)))
                                       .arg(copied->rows)
                                       .arg(QString::fromLatin1(copied->checksum.left(16))));
        out << *copied;
    }
    return out;
}

// What a SQLite file is, read-only: intact, a Hookline database, its schema
// version and the key its secrets are sealed with; its tables' figures too
// when asked (they read every row).
Result<TransferReport> examine(const QString &file, bool withFigures)
{
    auto opened = SqliteFile::open(file, SqliteFile::Mode::ReadOnly);
    if (!opened)
        return opened.error();
    const auto db = (*opened)->db();
    auto check = sql::prepare(db, QStringLiteral("PRAGMA integrity_check"));
    if (auto s = sql::exec(check, DatabaseTransfer::tr("checking %1").arg(file)); !s)
        return Error::validation(QStringLiteral("file"), DatabaseTransfer::tr("%1 is not a SQLite database: %2").arg(file, s.error().message));
    const QString verdict = check.next() ? check.value(0).toString() : QString();
    check.finish();
    if (verdict != u"ok")
        return Error::validation(QStringLiteral("file"), DatabaseTransfer::tr("%1 is damaged: %2").arg(file, verdict));
    auto version = Migrations::currentVersion(db);
    if (!version || *version == 0)
        return Error::validation(QStringLiteral("file"), DatabaseTransfer::tr("%1 is not a Hookline database").arg(file));
    auto fingerprint = sealedWith(db);
    if (!fingerprint)
        return fingerprint.error();
    TransferReport report{QFileInfo(file).absoluteFilePath(), *version, {}, *fingerprint};
    if (withFigures) {
        auto tables = TableCopy::tables(db);
        if (!tables)
            return tables.error();
        auto figures = figuresOf(db, *tables);
        if (!figures)
            return figures.error();
        report.tables = *figures;
    }
    return report;
}
} // namespace

Result<TransferReport> DatabaseTransfer::inspect(const QString &file)
{
    return examine(file, true);
}

Result<TransferReport> DatabaseTransfer::backup(Database &database, const QString &file)
{
    if (database.isPostgres())
        return Error::validation(QStringLiteral("database"),
                                 tr("backup copies a SQLite database; back up PostgreSQL with pg_dump (README.md, Backup and restore)"));
    if (file.isEmpty())
        return Error::validation(QStringLiteral("file"), tr("give the backup's file name"));
    const QString path = QFileInfo(file).absoluteFilePath();
    if (QFileInfo::exists(path))
        return Error::validation(QStringLiteral("file"), tr("%1 exists already: a backup never overwrites a file").arg(path));
    // Made empty and private first: VACUUM INTO fills an empty file, and the
    // backup holds everything but the master key.
    if (auto s = PrivateFiles::createFile(path); !s)
        return s.error();
    auto removeOnFailure = qScopeGuard([&path] { QFile::remove(path); });
    auto q = sql::prepare(database.connection(), QStringLiteral("VACUUM INTO ?"));
    q.addBindValue(path);
    if (auto s = sql::exec(q, tr("copying the database into %1").arg(path)); !s)
        return s.error();
    q.finish();
    auto report = inspect(path);
    if (!report)
        return report.error();
    removeOnFailure.dismiss();
    return report;
}

Result<TransferReport> DatabaseTransfer::restore(Database &database, const QString &file)
{
    if (database.isPostgres())
        return Error::validation(QStringLiteral("database"),
                                 tr("restore puts back a SQLite backup; restore PostgreSQL with pg_restore (README.md, Backup and restore)"));
    // Its figures are read once, below, against the rows put in place.
    auto found = examine(file, false);
    if (!found)
        return found.error();
    const int latest = Migrations::latestVersion();
    if (found->schemaVersion > latest)
        return Error::validation(QStringLiteral("file"), tr("%1 was made by a newer Hookline (schema version %2; this one knows up to %3): "
                                                            "restore it with that version")
                                                             .arg(file)
                                                             .arg(found->schemaVersion)
                                                             .arg(latest));
    const QString current = database.keyInfo().fingerprint;
    if (found->keyFingerprint != current)
        return Error::validation(QStringLiteral("file"),
                                 found->keyFingerprint.isEmpty()
                                     ? tr("%1 records no master key, so its secrets could not be read here").arg(file)
                                     : tr("%1's secrets are sealed with another master key (fingerprint %2; this installation's is %3): "
                                          "restore it where HOOKLINE_MASTER_KEY holds that key")
                                           .arg(file, found->keyFingerprint, current));
    auto db = database.connection();
    if (auto s = refuseWhileDelivering(db); !s)
        return s.error();

    // An older backup is upgraded on a private copy; the file given is never written.
    QString source = found->location;
    QString upgraded;
    auto removeUpgraded = qScopeGuard([&upgraded] {
        if (!upgraded.isEmpty())
            QFile::remove(upgraded);
    });
    if (found->schemaVersion < latest) {
        upgraded = database.location() + QStringLiteral(".restoring");
        QFile::remove(upgraded);
        if (!QFile::copy(source, upgraded))
            return Error{Error::Code::Io, tr("cannot copy %1 to %2 to upgrade it").arg(source, upgraded), {}};
        QFile::setPermissions(upgraded, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        auto copy = SqliteFile::open(upgraded, SqliteFile::Mode::ReadWrite);
        if (!copy)
            return copy.error();
        if (auto s = Migrations::migrate((*copy)->db()); !s)
            return s.error();
        source = upgraded;
    }

    auto attach = sql::prepare(db, QStringLiteral("ATTACH DATABASE ? AS restored"));
    attach.addBindValue(source);
    if (auto s = sql::exec(attach, tr("opening %1").arg(source)); !s)
        return s.error();
    attach.finish();
    const auto detach = qScopeGuard([db] {
        if (auto s = sql::exec(db, QStringLiteral("DETACH DATABASE restored"), u"closing the backup"); !s)
            qCWarning(lcStore).noquote() << s.error().message;
    });

    auto tables = TableCopy::tables(db);
    if (!tables)
        return tables.error();
    TransferReport report{database.displayLocation(), latest, {}, current};
    {
        // The engine's writers wait for this one like for any other.
        sql::Transaction tx(db);
        if (auto s = tx.begin(); !s)
            return s.error();
        if (auto s = TableCopy::clear(db, *tables); !s)
            return s.error();
        for (const auto &t : std::as_const(*tables)) {
            if (auto s = TableCopy::copyAttached(db, QStringLiteral("restored"), t); !s)
                return s.error();
        }
        auto copied = matchingFigures(db, QStringLiteral("restored"), db, *tables);
        if (!copied)
            return copied.error();
        if (auto s = putLeasesBack(db); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
        report.tables = *copied;
    }
    return report;
}

Result<TransferReport> DatabaseTransfer::copyToPostgres(Database &database, const QString &url)
{
    if (database.isPostgres())
        return Error::validation(QStringLiteral("database"), tr("db copy moves a SQLite installation; this one is on PostgreSQL already"));
    if (!Database::isPostgresUrl(url))
        return Error::validation(QStringLiteral("to"), tr("expected a postgresql:// URL"));
    auto source = database.connection();
    if (auto s = refuseWhileDelivering(source); !s)
        return s.error();

    // The copy must open with the key its secrets are sealed with.
    auto sourceKey = MasterKey::find(database.location());
    if (!sourceKey)
        return sourceKey.error();
    if (!*sourceKey)
        return Error::validation(QStringLiteral("database"), tr("the master key of this installation was not found"));
    auto targetKey = MasterKey::find(url);
    if (!targetKey)
        return targetKey.error();
    if (*targetKey && (*targetKey)->key != (*sourceKey)->key)
        return Error::validation(
            QStringLiteral("to"),
            tr("%1 already has another master key (%2): the copied secrets could not be read there").arg(url.section(u'@', -1), (*targetKey)->where));

    auto target = Database::openUnmigrated(url);
    if (!target)
        return target.error();
    auto tdb = (*target)->connection();
    auto existing = sql::prepare(tdb, QStringLiteral("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"));
    if (auto s = sql::exec(existing, tr("looking at the target schema")); !s)
        return s.error();
    const qint64 present = existing.next() ? existing.value(0).toLongLong() : 0;
    existing.finish();
    if (present > 0)
        return Error::validation(
            QStringLiteral("to"),
            tr("%1 is not empty (%2 tables): db copy only writes into an empty schema").arg((*target)->displayLocation()).arg(present));

    // One snapshot of the source for the rows and their figures, while
    // windows and other processes may go on writing to it.
    sql::Transaction snapshot(source);
    if (auto s = snapshot.begin(); !s)
        return s.error();
    auto tables = TableCopy::tables(source);
    if (!tables)
        return tables.error();
    TransferReport report{(*target)->displayLocation(), Migrations::latestVersion(), {}, database.keyInfo().fingerprint};
    {
        sql::Transaction tx(tdb);
        if (auto s = tx.begin(); !s)
            return s.error();
        // The schema in the same transaction: a copy cut short leaves the schema empty.
        if (auto s = Migrations::createWithin(tdb); !s)
            return s.error();
        if (auto s = TableCopy::clear(tdb, *tables); !s) // the rows the migrations seed
            return s.error();
        for (const auto &t : std::as_const(*tables)) {
            if (auto copied = TableCopy::copy(source, tdb, t); !copied)
                return copied.error();
        }
        if (auto s = TableCopy::continueIdentities(tdb, *tables); !s)
            return s.error();
        auto copied = matchingFigures(source, QString(), tdb, *tables);
        if (!copied)
            return copied.error();
        report.tables = *copied;
        if (auto s = putLeasesBack(tdb); !s)
            return s.error();
        if (auto s = tx.commit(); !s)
            return s.error();
    }
    snapshot.rollback();
    if (!*targetKey) {
        if (auto kept = MasterKey::keep(url, (*sourceKey)->key); !kept)
            return Error{kept.error().code,
                         tr("the data was copied, but its master key could not be kept for it (%1): open it with HOOKLINE_MASTER_KEY set "
                            "to this installation's key")
                             .arg(kept.error().message),
                         {}};
    }
    return report;
}

} // namespace hookline
