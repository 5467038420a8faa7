#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace hookline {

// How many rows a table holds and a digest of them that depends neither on
// their order nor on the engine that stored them (SQLite, PostgreSQL).
struct TableFigures final {
    QString table;
    qint64 rows = 0;
    QByteArray checksum; // hex of 32 bytes
    bool operator==(const TableFigures &) const = default;
};

// What a backup, a restore or a copy to PostgreSQL made, and its proof.
struct TransferReport final {
    QString location; // the file or the URL without its password
    int schemaVersion = 0;
    QList<TableFigures> tables;
    QString keyFingerprint; // the master key its secrets are sealed with
};

} // namespace hookline
