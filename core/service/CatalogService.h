#pragma once

#include "model/EventType.h"
#include "util/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>

namespace hookline {

// The event catalog: import (merge), export, and the catalogs shipped for the
// five seed products.
class CatalogService final {
    Q_DECLARE_TR_FUNCTIONS(hookline::CatalogService)
public:
    explicit CatalogService(QSqlDatabase db)
        : m_db(std::move(db))
    {
    }

    struct ImportReport {
        QStringList added;
        QStringList updated;
        QStringList unchanged;
    };

    // Parses a catalog file ({"format": "hookline-catalog/1", "eventTypes": [...]}).
    // The whole file is refused, with the entry and the reason, at the first fault.
    static Result<QList<EventType>> parse(QByteArrayView json, const QString &defaultCatalog = QStringLiteral("custom"));
    static QByteArray serialize(const QList<EventType> &types, const QString &catalog = QStringLiteral("export"));

    // The catalogs built into Hookline, by name ("crm", "audit-trail", ...).
    static QStringList builtinCatalogs();
    static Result<QList<EventType>> builtinCatalog(const QString &name);

    Result<ImportReport> import(const QList<EventType> &types);
    Result<ImportReport> importFile(QByteArrayView json);
    Result<ImportReport> importBuiltin(const QStringList &names);
    Result<QByteArray> exportCatalog() const;
    // On a database that has just been created: the catalogs chosen at first start.
    Status initializeNewDatabase(const QStringList &names);

    Result<QList<EventType>> list() const;
    Status save(const EventType &type); // validated add or edit
    Status remove(const QString &name);

    static Status validate(const EventType &type);

private:
    // The named built-in catalogs' types, the first catalog keeping a shared name.
    static Result<QList<EventType>> builtinTypes(const QStringList &names);
    // import(), with its audit row only when `audited`.
    Result<ImportReport> importTypes(const QList<EventType> &types, bool audited);

    QSqlDatabase m_db;
};

} // namespace hookline
