#pragma once

#include "util/Result.h"

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace hookline {

// Files that hold secrets (the database, the key file) are the owner's
// alone: created 0600 in folders created 0700, whatever the umask. SQLite
// gives a database's -wal and -shm files the mode of the database itself, so
// a database created here keeps its companions private too.
class PrivateFiles final {
    Q_DECLARE_TR_FUNCTIONS(hookline::PrivateFiles)
public:
    // Creates `dir` and any missing parent; each folder created here is 0700.
    // Folders that exist already are left as they are.
    static Status makeDirectory(const QString &dir);
    // Creates `path` empty with mode 0600 when it does not exist (its folder
    // with makeDirectory). An existing file is left alone.
    static Status createFile(const QString &path);
    // When others may read or write `path` or its `-wal`/`-shm` companions:
    // a sentence that says so and how to fix it.
    static std::optional<QString> exposure(const QString &path);
};

} // namespace hookline
