#include "LeaseOwner.h"

#include <QCoreApplication>
#include <QFile>
#include <QStringList>
#include <QSysInfo>

#include <cerrno>
#include <csignal>

namespace hookline {

namespace {
// Field 22 of /proc/<pid>/stat (starttime); empty when it cannot be read.
QString startTimeOf(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return {};
    const auto text = stat.readAll();
    // The command name, field 2, is in parentheses and may hold spaces.
    const auto close = text.lastIndexOf(')');
    if (close < 0)
        return {};
    const auto fields = text.mid(close + 2).split(' ');
    return fields.size() > 19 ? QString::fromLatin1(fields.at(19)) : QString();
}

QString hostName()
{
    // Lease owners are split on '/': a host name never holds one, but be sure.
    return QSysInfo::machineHostName().replace(u'/', u'_');
}
} // namespace

QString LeaseOwner::self()
{
    static const QString owner = [] {
        const auto pid = QCoreApplication::applicationPid();
        return QStringLiteral("%1/%2/%3").arg(hostName()).arg(pid).arg(startTimeOf(pid));
    }();
    return owner;
}

bool LeaseOwner::isDeadHere(const QString &owner)
{
    const auto parts = owner.split(u'/');
    if (parts.size() != 3 || parts.at(0) != hostName() || owner == self())
        return false;
    bool ok = false;
    const qint64 pid = parts.at(1).toLongLong(&ok);
    if (!ok || pid <= 0)
        return false;
    if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
        return true;
    // Alive, or not ours to signal: the same process only if it started when
    // the owner did.
    const auto start = startTimeOf(pid);
    return !start.isEmpty() && !parts.at(2).isEmpty() && start != parts.at(2);
}

} // namespace hookline
