#include "TableCopy.h"

#include "store/Sql.h"

#include <QCryptographicHash>
#include <QSqlQuery>
#include <QSqlRecord>

namespace hookline {

namespace {
QString quoted(const QString &identifier)
{
    return u'"' + QString(identifier).replace(u'"', QStringLiteral("\"\"")) + u'"';
}

QString columnList(const QStringList &columns)
{
    QStringList out;
    for (const auto &c : columns)
        out << quoted(c);
    return out.join(QStringLiteral(", "));
}

// One value as the same bytes whichever engine returned it: SQLite and
// PostgreSQL give the same integers, reals, texts and blobs different types.
void addValue(QCryptographicHash &hash, const QVariant &v)
{
    if (v.isNull()) {
        hash.addData("N;");
        return;
    }
    switch (v.metaType().id()) {
    case QMetaType::QByteArray:
        hash.addData("B");
        hash.addData(v.toByteArray().toHex());
        break;
    case QMetaType::Double:
    case QMetaType::Float:
        hash.addData("R");
        hash.addData(QByteArray::number(v.toDouble(), 'g', 17));
        break;
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Bool:
        hash.addData("I");
        hash.addData(QByteArray::number(v.toLongLong()));
        break;
    default:
        hash.addData("T");
        hash.addData(v.toString().toUtf8());
        break;
    }
    hash.addData(";");
}
} // namespace

Result<QStringList> TableCopy::tables(const QSqlDatabase &db)
{
    auto q = sql::prepare(db, QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"));
    if (auto s = sql::exec(q, tr("listing the tables")); !s)
        return s.error();
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    return out;
}

Result<QStringList> TableCopy::columns(const QSqlDatabase &db, const QString &table)
{
    QSqlQuery q(db);
    if (sql::isPostgres(db)) {
        q = sql::prepare(db, QStringLiteral("SELECT column_name FROM information_schema.columns"
                                            " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"));
        q.addBindValue(table);
    } else {
        q = sql::prepare(db, QStringLiteral("SELECT name FROM pragma_table_info(?) ORDER BY cid"));
        q.addBindValue(table);
    }
    if (auto s = sql::exec(q, tr("reading the columns of %1").arg(table)); !s)
        return s.error();
    QStringList out;
    while (q.next())
        out << q.value(0).toString();
    if (out.isEmpty())
        return Error::database(tr("there is no table %1").arg(table));
    return out;
}

Status TableCopy::clear(const QSqlDatabase &db, const QStringList &tables)
{
    for (auto it = tables.crbegin(); it != tables.crend(); ++it) {
        if (auto s = sql::exec(db, QStringLiteral("DELETE FROM ") + quoted(*it), tr("emptying %1").arg(*it)); !s)
            return s;
    }
    return Ok{};
}

Result<qint64> TableCopy::copy(const QSqlDatabase &from, const QSqlDatabase &to, const QString &table)
{
    auto columns = TableCopy::columns(to, table);
    if (!columns)
        return columns.error();
    const QString list = columnList(*columns);
    auto read = sql::prepare(from, QStringLiteral("SELECT %1 FROM %2").arg(list, quoted(table)));
    read.setForwardOnly(true);
    if (auto s = sql::exec(read, tr("reading %1").arg(table)); !s)
        return s.error();
    QStringList marks;
    for (qsizetype i = 0; i < columns->size(); ++i)
        marks << QStringLiteral("?");
    auto write = sql::prepare(to, QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)").arg(quoted(table), list, marks.join(QStringLiteral(", "))));
    qint64 copied = 0;
    while (read.next()) {
        for (int i = 0; i < columns->size(); ++i)
            write.bindValue(i, read.value(i));
        if (auto s = sql::exec(write, tr("writing %1").arg(table)); !s)
            return s.error();
        ++copied;
    }
    return copied;
}

Status TableCopy::copyAttached(const QSqlDatabase &db, const QString &schema, const QString &table)
{
    auto columns = TableCopy::columns(db, table);
    if (!columns)
        return columns.error();
    const QString list = columnList(*columns);
    return sql::exec(db, QStringLiteral("INSERT INTO main.%1 (%2) SELECT %2 FROM %3.%1").arg(quoted(table), list, quoted(schema)),
                     tr("writing %1").arg(table));
}

Result<TableFigures> TableCopy::figures(const QSqlDatabase &db, const QString &table, const QStringList &columns, const QString &schema)
{
    const QString from = schema.isEmpty() ? quoted(table) : quoted(schema) + u'.' + quoted(table);
    auto q = sql::prepare(db, QStringLiteral("SELECT %1 FROM %2").arg(columnList(columns), from));
    q.setForwardOnly(true);
    if (auto s = sql::exec(q, tr("reading %1").arg(table)); !s)
        return s.error();
    TableFigures f{table, 0, {}};
    // Each row's SHA-256, added up byte-wise modulo 256: the same rows in any
    // order give the same sum (rows are distinct: every table has a key).
    QByteArray sum(32, '\0');
    while (q.next()) {
        QCryptographicHash row(QCryptographicHash::Sha256);
        for (int i = 0; i < columns.size(); ++i)
            addValue(row, q.value(i));
        const QByteArray digest = row.result();
        for (int i = 0; i < 32; ++i)
            sum[i] = char(quint8(sum.at(i)) + quint8(digest.at(i)));
        ++f.rows;
    }
    f.checksum = sum.toHex();
    return f;
}

Status TableCopy::continueIdentities(const QSqlDatabase &db, const QStringList &tables)
{
    auto q = sql::prepare(db, QStringLiteral("SELECT table_name, column_name FROM information_schema.columns"
                                             " WHERE table_schema = current_schema() AND is_identity = 'YES'"));
    if (auto s = sql::exec(q, tr("reading the identity columns")); !s)
        return s;
    QList<std::pair<QString, QString>> identities;
    while (q.next()) {
        if (tables.contains(q.value(0).toString()))
            identities.append({q.value(0).toString(), q.value(1).toString()});
    }
    q.finish();
    for (const auto &[table, column] : std::as_const(identities)) {
        auto next = sql::prepare(db, QStringLiteral("SELECT setval(pg_get_serial_sequence(?, ?), COALESCE(MAX(%1), 0) + 1, false) FROM %2")
                                         .arg(quoted(column), quoted(table)));
        next.addBindValue(table);
        next.addBindValue(column);
        if (auto s = sql::exec(next, tr("continuing the ids of %1").arg(table)); !s)
            return s;
    }
    return Ok{};
}

} // namespace hookline
