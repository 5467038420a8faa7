#include "util/PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStringList>

namespace hookline {

namespace {
constexpr auto kOwnerOnlyDir = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadUser | QFile::WriteUser | QFile::ExeUser;
constexpr auto kOwnerOnlyFile = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser | QFile::WriteUser;
constexpr auto kOthers = QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;
} // namespace

Status PrivateFiles::makeDirectory(const QString &dir)
{
    const QString absolute = QDir::cleanPath(QDir(dir).absolutePath());
    QStringList missing;
    for (QString d = absolute; !QFileInfo::exists(d); d = QFileInfo(d).path()) {
        missing.prepend(d);
        if (QFileInfo(d).path() == d)
            break; // the root, and it does not exist: mkdir says why below
    }
    for (const auto &d : std::as_const(missing)) {
        // mkdir's mode passes through the umask; the explicit chmod after it does not.
        if (!QDir().mkdir(d, kOwnerOnlyDir) && !QFileInfo(d).isDir())
            return Error{Error::Code::Io, tr("cannot create the folder %1").arg(d), {}};
        if (!QFile::setPermissions(d, kOwnerOnlyDir))
            return Error{Error::Code::Io, tr("cannot make the folder %1 private").arg(d), {}};
    }
    return Ok{};
}

Status PrivateFiles::createFile(const QString &path)
{
    const QFileInfo info(path);
    if (info.exists())
        return Ok{};
    if (auto s = makeDirectory(info.absolutePath()); !s)
        return s;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnlyFile)) {
        if (file.error() == QFileDevice::OpenError && QFileInfo::exists(path))
            return Ok{}; // created meanwhile by another process: not ours to change
        return Error{Error::Code::Io, tr("cannot create %1: %2").arg(path, file.errorString()), {}};
    }
    if (!file.setPermissions(kOwnerOnlyFile))
        return Error{Error::Code::Io, tr("cannot make %1 private: %2").arg(path, file.errorString()), {}};
    return Ok{};
}

std::optional<QString> PrivateFiles::exposure(const QString &path)
{
    QStringList exposed;
    for (const QString &p : {path, QString(path + QStringLiteral("-wal")), QString(path + QStringLiteral("-shm"))}) {
        const QFileInfo info(p);
        if (info.exists() && (info.permissions() & kOthers))
            exposed << p;
    }
    if (exposed.isEmpty())
        return std::nullopt;
    return tr("%1 is open to other users of this computer, and it holds every webhook's secret; "
              "make it private with: chmod 600 %2")
        .arg(exposed.join(QStringLiteral(", ")), exposed.join(u' '));
}

} // namespace hookline
