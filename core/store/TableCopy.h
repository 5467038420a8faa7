#pragma once

#include "model/TransferReport.h"
#include "util/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>
#include <QStringList>

namespace hookline {

// Rows moved between two Hookline databases at the same schema version,
// table by table and column by name: a backup put back, an installation
// copied to PostgreSQL. Each function works inside the caller's transaction.
class TableCopy final {
    Q_DECLARE_TR_FUNCTIONS(hookline::TableCopy)
public:
    TableCopy() = delete;

    // The tables of a SQLite schema in the order they were created, which
    // puts every table after those its foreign keys name.
    static Result<QStringList> tables(const QSqlDatabase &db);
    static Result<QStringList> columns(const QSqlDatabase &db, const QString &table);
    // Empties `tables`, last first.
    static Status clear(const QSqlDatabase &db, const QStringList &tables);
    // Every row of `table` from `from` into `to` (the target's columns, by
    // name); how many were copied.
    static Result<qint64> copy(const QSqlDatabase &from, const QSqlDatabase &to, const QString &table);
    // SQLite: every row of `table` of the attached database `schema` into the main one, in one statement.
    static Status copyAttached(const QSqlDatabase &db, const QString &schema, const QString &table);
    // The figures of `table` (of the attached `schema`, when given).
    static Result<TableFigures> figures(const QSqlDatabase &db, const QString &table, const QStringList &columns, const QString &schema = {});
    // PostgreSQL: identity columns go on after the ids that were copied in.
    static Status continueIdentities(const QSqlDatabase &db, const QStringList &tables);
};

} // namespace hookline
