#pragma once

#include "util/Result.h"

#include <QByteArray>
#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace hookline {

// A statement prepared once for the engine's busiest paths (claiming and
// recording deliveries), with positional values ('?') bound in order.
//
// On SQLite it runs on the sqlite3 handle of the connection's own Qt driver
// (the same connection, inside the same transaction): values are bound as
// they are and text is read and written as UTF-8, the database's encoding.
// QtSql's path wraps every value in a QVariant, binds and reads text as
// UTF-16 (which SQLite converts on every call) and copies each row into a
// cache: for the small statements the engine runs per delivery that was
// about as much work again as SQLite's own (tests/benchmarks/PROFILE.md).
// On any other driver (PostgreSQL) it is a QSqlQuery like every other.
//
// Use: bind…(), exec(), then next() and the column readers while a row is
// there. Binding again starts the next execution. Belongs to the thread of
// its connection, and must go before the connection is closed.
class DirectStatement final {
public:
    DirectStatement(const QSqlDatabase &db, const QString &text);
    ~DirectStatement();
    Q_DISABLE_COPY_MOVE(DirectStatement)

    // The connection's sqlite3 handle, when Qt's driver holds one of the
    // SQLite this program links (Qt's documented way of reaching it); null
    // otherwise (PostgreSQL, a closed connection).
    static sqlite3 *sqliteHandle(const QSqlDatabase &db);

    // Whether it runs on SQLite's own interface (false: through QtSql).
    bool isDirect() const { return m_stmt != nullptr; }

    void bind(qint64 value);
    void bind(int value) { bind(qint64(value)); }
    void bind(bool value) { bind(qint64(value ? 1 : 0)); }
    // A null QString binds NULL.
    void bind(const QString &text);
    // Text columns are NOT NULL: a null QString binds ''.
    void bindText(const QString &text) { bind(text.isNull() ? QStringLiteral("") : text); }
    // Text given as UTF-8 (JSON the engine built): bound as it is; empty binds ''.
    void bindUtf8(const QByteArray &utf8);
    // As a BLOB; a null QByteArray binds NULL.
    void bindBlob(const QByteArray &bytes);
    void bind(std::optional<qint64> value);
    // Milliseconds since the epoch (sql::toMs); an invalid time binds NULL, as sql::optionalMs.
    void bind(const QDateTime &time);
    void bindNull();

    Status exec(QStringView what);
    // The next row of the result, if there is one.
    bool next();
    bool isNull(int column) const;
    qint64 integer(int column) const;
    QString text(int column) const;
    // A text column's UTF-8 bytes, or a BLOB's.
    QByteArray bytes(int column) const;
    // Rows changed by the last INSERT, UPDATE or DELETE.
    int rowsAffected() const;
    // Done with the rows: the statement is free for the next values.
    void finish();

private:
    void beginBinding();
    Status stepFailure(QStringView what);

    sqlite3 *m_handle = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    std::optional<QSqlQuery> m_query; // not SQLite, or SQLite's handle unavailable
    int m_nextIndex = 1;
    int m_changes = 0;
    bool m_running = false;    // stepped since the last reset
    bool m_rowPending = false; // exec() stepped onto a row next() has not returned yet
    bool m_hasRow = false;
    QString m_prepareError;
};

} // namespace hookline
