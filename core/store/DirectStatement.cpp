#include "DirectStatement.h"

#include "store/Sql.h"
#include "util/Log.h"

#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

namespace hookline {

namespace {
const char *orEmpty(const char *data)
{
    return data ? data : "";
}
} // namespace

sqlite3 *DirectStatement::sqliteHandle(const QSqlDatabase &db)
{
    if (sql::isPostgres(db) || !db.isOpen() || !db.driver())
        return nullptr;
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

DirectStatement::DirectStatement(const QSqlDatabase &db, const QString &text)
    : m_handle(sqliteHandle(db))
{
    if (m_handle) {
        const QByteArray utf8 = text.toUtf8();
        if (sqlite3_prepare_v3(m_handle, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK) {
            m_prepareError = QString::fromUtf8(sqlite3_errmsg(m_handle));
            sqlite3_finalize(m_stmt);
            m_stmt = nullptr;
        }
        return;
    }
    m_query.emplace(sql::prepare(db, text));
}

DirectStatement::~DirectStatement()
{
    sqlite3_finalize(m_stmt); // a no-op on null
}

void DirectStatement::beginBinding()
{
    if (!m_stmt || m_nextIndex > 1)
        return;
    if (m_running)
        finish();
}

void DirectStatement::bind(qint64 value)
{
    if (!m_stmt) {
        if (m_query)
            m_query->addBindValue(value);
        return;
    }
    beginBinding();
    sqlite3_bind_int64(m_stmt, m_nextIndex++, value);
}

void DirectStatement::bind(const QString &text)
{
    if (!m_stmt) {
        if (m_query)
            m_query->addBindValue(text.isNull() ? QVariant(QMetaType(QMetaType::QString)) : QVariant(text));
        return;
    }
    beginBinding();
    if (text.isNull()) {
        sqlite3_bind_null(m_stmt, m_nextIndex++);
        return;
    }
    const QByteArray utf8 = text.toUtf8();
    sqlite3_bind_text(m_stmt, m_nextIndex++, orEmpty(utf8.constData()), int(utf8.size()), SQLITE_TRANSIENT);
}

void DirectStatement::bindUtf8(const QByteArray &utf8)
{
    if (!m_stmt) {
        if (m_query)
            m_query->addBindValue(QString::fromUtf8(orEmpty(utf8.constData()), utf8.size()));
        return;
    }
    beginBinding();
    sqlite3_bind_text(m_stmt, m_nextIndex++, orEmpty(utf8.constData()), int(utf8.size()), SQLITE_TRANSIENT);
}

void DirectStatement::bindBlob(const QByteArray &bytes)
{
    if (!m_stmt) {
        if (m_query)
            m_query->addBindValue(bytes.isNull() ? QVariant(QMetaType(QMetaType::QByteArray)) : QVariant(bytes));
        return;
    }
    beginBinding();
    if (bytes.isNull())
        sqlite3_bind_null(m_stmt, m_nextIndex++);
    else if (bytes.isEmpty())
        sqlite3_bind_zeroblob(m_stmt, m_nextIndex++, 0); // a null pointer would bind NULL
    else
        sqlite3_bind_blob(m_stmt, m_nextIndex++, bytes.constData(), int(bytes.size()), SQLITE_TRANSIENT);
}

void DirectStatement::bind(std::optional<qint64> value)
{
    if (value)
        bind(*value);
    else
        bindNull();
}

void DirectStatement::bind(const QDateTime &time)
{
    bind(time.isValid() ? std::optional<qint64>(sql::toMs(time)) : std::nullopt);
}

void DirectStatement::bindNull()
{
    if (!m_stmt) {
        if (m_query)
            m_query->addBindValue(QVariant(QMetaType(QMetaType::LongLong)));
        return;
    }
    beginBinding();
    sqlite3_bind_null(m_stmt, m_nextIndex++);
}

Status DirectStatement::exec(QStringView what)
{
    if (!m_stmt) {
        if (m_query)
            return sql::exec(*m_query, what);
        return sql::failure(what, m_prepareError);
    }
    if (m_running && m_nextIndex == 1)
        finish(); // run again with the values already bound
    m_nextIndex = 1;
    m_hasRow = false;
    const int code = sqlite3_step(m_stmt);
    if (code == SQLITE_ROW) {
        m_running = true;
        m_rowPending = true;
        return Ok{};
    }
    if (code == SQLITE_DONE) {
        m_changes = sqlite3_changes(m_handle);
        sqlite3_reset(m_stmt);
        m_running = false;
        return Ok{};
    }
    return stepFailure(what);
}

Status DirectStatement::stepFailure(QStringView what)
{
    const QString reason = QString::fromUtf8(sqlite3_errmsg(m_handle));
    sqlite3_reset(m_stmt);
    m_running = false;
    m_rowPending = false;
    m_hasRow = false;
    return sql::failure(what, reason);
}

bool DirectStatement::next()
{
    if (!m_stmt)
        return m_query && m_query->next();
    if (m_rowPending) {
        m_rowPending = false;
        m_hasRow = true;
        return true;
    }
    if (!m_running)
        return false;
    const int code = sqlite3_step(m_stmt);
    if (code == SQLITE_ROW) {
        m_hasRow = true;
        return true;
    }
    if (code != SQLITE_DONE) {
        // The rows read so far stand; what was not read is as if not there.
        qCWarning(lcStore).noquote() << sql::failure(u"reading a row", QString::fromUtf8(sqlite3_errmsg(m_handle))).message;
    }
    finish();
    return false;
}

bool DirectStatement::isNull(int column) const
{
    if (!m_stmt)
        return !m_query || m_query->isNull(column);
    return !m_hasRow || sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

qint64 DirectStatement::integer(int column) const
{
    if (!m_stmt)
        return m_query ? m_query->value(column).toLongLong() : 0;
    return m_hasRow ? sqlite3_column_int64(m_stmt, column) : 0;
}

QString DirectStatement::text(int column) const
{
    if (!m_stmt)
        return m_query ? m_query->value(column).toString() : QString();
    if (isNull(column))
        return QString();
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(orEmpty(data), sqlite3_column_bytes(m_stmt, column));
}

QByteArray DirectStatement::bytes(int column) const
{
    if (!m_stmt) {
        if (!m_query)
            return {};
        const QVariant v = m_query->value(column);
        return v.typeId() == QMetaType::QByteArray ? v.toByteArray() : v.toString().toUtf8();
    }
    if (isNull(column))
        return QByteArray();
    // As stored: a text column's bytes are its UTF-8, with no conversion.
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return QByteArray(orEmpty(data), sqlite3_column_bytes(m_stmt, column));
}

int DirectStatement::rowsAffected() const
{
    if (!m_stmt)
        return m_query ? m_query->numRowsAffected() : 0;
    return m_changes;
}

void DirectStatement::finish()
{
    if (!m_stmt) {
        if (m_query)
            m_query->finish();
        return;
    }
    if (m_running)
        sqlite3_reset(m_stmt);
    m_running = false;
    m_rowPending = false;
    m_hasRow = false;
}

} // namespace hookline
