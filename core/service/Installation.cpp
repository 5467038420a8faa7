#include "Installation.h"

#include "service/AuditLog.h"
#include "service/CatalogService.h"
#include "store/Database.h"
#include "store/DatabaseTransfer.h"
#include "store/MasterKey.h"
#include "util/Log.h"

#include <QFileInfo>
#include <QJsonObject>
#include <QUrl>

namespace hookline {

Installation::Installation(std::shared_ptr<Database> database)
    : m_database(std::move(database))
{
}

Installation::~Installation() = default;

Result<std::shared_ptr<Installation>> Installation::open(const QString &location)
{
    return open(location, CatalogService::builtinCatalogs());
}

Result<std::shared_ptr<Installation>> Installation::open(const QString &location, const QStringList &catalogs)
{
    const QStringList known = CatalogService::builtinCatalogs();
    for (const auto &name : catalogs) {
        if (!known.contains(name))
            return Error::validation(QStringLiteral("catalogs"),
                                     tr("no built-in catalog \"%1\" (known: %2)").arg(name, known.join(QStringLiteral(", "))));
    }
    auto opened = Database::open(location);
    if (!opened)
        return opened.error();
    std::shared_ptr<Installation> installation(new Installation(std::move(*opened)));
    if (installation->m_database->isNew()) {
        if (auto s = CatalogService(installation->connection()).initializeNewDatabase(catalogs); !s)
            return s.error();
    }
    return installation;
}

QString Installation::defaultLocation()
{
    return Database::defaultLocation();
}

bool Installation::isPostgresUrl(const QString &location)
{
    return Database::isPostgresUrl(location);
}

Status Installation::tryConnect(const QString &location)
{
    if (!isPostgresUrl(location))
        return Error::validation(QStringLiteral("database"), tr("not a postgresql:// URL"));
    auto target = Database::openUnmigrated(location);
    if (!target)
        return target.error();
    (*target)->releaseThreadConnection();
    return Ok{};
}

QSqlDatabase Installation::connection()
{
    return m_database->connection();
}

void Installation::checkpointInBackground()
{
    m_database->checkpointInBackground();
}

void Installation::releaseThreadConnection()
{
    m_database->releaseThreadConnection();
}

QString Installation::displayLocation() const
{
    return m_database->displayLocation();
}

bool Installation::isPostgres() const
{
    return m_database->isPostgres();
}

namespace {
// The move itself is done and checked; a missing audit row is said, not fatal.
void audit(const Status &recorded)
{
    if (!recorded)
        qCWarning(lcService).noquote() << "the audit row of a database move was not written:" << recorded.error().message;
}
} // namespace

Result<TransferReport> Installation::backup(const QString &file)
{
    auto report = DatabaseTransfer::backup(*m_database, file);
    if (report)
        audit(AuditLog(connection()).record(QStringLiteral("database.backup"), QStringLiteral("database"), report->location));
    return report;
}

Result<TransferReport> Installation::restore(const QString &file)
{
    auto report = DatabaseTransfer::restore(*m_database, file);
    if (report) {
        audit(AuditLog(connection())
                  .record(QStringLiteral("database.restore"), QStringLiteral("database"), m_database->displayLocation(),
                          QJsonObject{{QStringLiteral("from"), QFileInfo(file).absoluteFilePath()}}));
    }
    return report;
}

Result<TransferReport> Installation::copyTo(const QString &url)
{
    auto report = DatabaseTransfer::copyToPostgres(*m_database, url);
    if (report) {
        audit(AuditLog(connection())
                  .record(QStringLiteral("database.copy"), QStringLiteral("database"), m_database->displayLocation(),
                          QJsonObject{{QStringLiteral("to"), report->location}}));
    }
    return report;
}

Result<TransferReport> Installation::inspect(const QString &file)
{
    return DatabaseTransfer::inspect(file);
}

Installation::KeyInfo Installation::keyInfo() const
{
    const auto k = m_database->keyInfo();
    return {k.source, k.where, k.fingerprint};
}

Result<Installation::KeyInfo> Installation::rekey(QByteArray *newKeyOut)
{
    auto k = m_database->rekey(newKeyOut);
    if (!k)
        return k.error();
    return KeyInfo{k->source, k->where, k->fingerprint};
}

void Installation::setKeychain(std::shared_ptr<Keychain> keychain)
{
    MasterKey::setKeychain(std::move(keychain));
}

std::shared_ptr<Keychain> Installation::keychain()
{
    return MasterKey::keychain();
}

QString Installation::passwordAccount(const QString &location)
{
    return QStringLiteral("PostgreSQL password for ") + QUrl(location).toString(QUrl::RemovePassword);
}

Result<QString> Installation::keepPassword(const QString &location)
{
    if (!isPostgresUrl(location))
        return location;
    const QUrl url(location);
    const auto password = url.password();
    if (password.isEmpty())
        return location;
    auto k = keychain();
    if (!k)
        return Error{Error::Code::Validation,
                     tr("this session has no system keychain to keep the password in; leave it out of the URL and put it in ~/.pgpass"),
                     QStringLiteral("db")};
    if (auto s = k->write(passwordAccount(location), password.toUtf8()); !s)
        return s.error();
    return url.toString(QUrl::RemovePassword);
}

QString Installation::withKeptPassword(const QString &location)
{
    if (!isPostgresUrl(location))
        return location;
    QUrl url(location);
    if (!url.password().isEmpty() || url.userName().isEmpty())
        return location;
    const auto k = keychain();
    if (!k)
        return location;
    auto stored = k->read(passwordAccount(location));
    if (!stored || !*stored)
        return location;
    url.setPassword(QString::fromUtf8(**stored));
    return url.toString();
}

} // namespace hookline
