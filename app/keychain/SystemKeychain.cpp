#include "SystemKeychain.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QTimer>

namespace hookline {

namespace {
// Runs a QtKeychain job to its end on this thread (the jobs answer through
// the event loop); false when it took longer than `timeoutMs`.
bool runJob(QKeychain::Job &job, int timeoutMs)
{
    job.setAutoDelete(false);
    job.setInsecureFallback(false); // never a plain-text file in the keychain's name
    QEventLoop loop;
    bool finished = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job.start();
    if (!finished)
        loop.exec();
    return finished;
}

// Runs the job and says how it ended: an error unless it succeeded (or
// found no entry, when `missingIsFine`).
Status run(QKeychain::Job &job, int timeoutMs, const QString &what, bool missingIsFine = false)
{
    if (!runJob(job, timeoutMs))
        return Error{Error::Code::Io, SystemKeychain::tr("the system keychain did not answer"), {}};
    if (job.error() == QKeychain::NoError || (missingIsFine && job.error() == QKeychain::EntryNotFound))
        return Ok{};
    return Error{Error::Code::Io, SystemKeychain::tr("the system keychain: %1: %2").arg(what, job.errorString()), {}};
}
} // namespace

std::shared_ptr<SystemKeychain> SystemKeychain::probe(QString *why, int timeoutMs)
{
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS")) {
        if (why)
            *why = tr("no D-Bus session");
        return nullptr;
    }
    // Asking for an entry that is not there tells a keychain that answers
    // from one that is missing, without touching anything.
    QKeychain::ReadPasswordJob job(QString::fromLatin1(kService));
    job.setKey(QStringLiteral("probe"));
    if (!runJob(job, timeoutMs)) {
        if (why)
            *why = tr("no answer within %1 s").arg(timeoutMs / 1000);
        return nullptr;
    }
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound) {
        if (why)
            *why = job.errorString();
        return nullptr;
    }
    return std::shared_ptr<SystemKeychain>(new SystemKeychain(timeoutMs));
}

QString SystemKeychain::name() const
{
    return tr("the system keychain");
}

Result<std::optional<QByteArray>> SystemKeychain::read(const QString &account)
{
    QKeychain::ReadPasswordJob job(QString::fromLatin1(kService));
    job.setKey(account);
    if (auto s = run(job, m_timeoutMs, tr("reading \"%1\"").arg(account), true); !s)
        return s.error();
    if (job.error() == QKeychain::EntryNotFound)
        return std::optional<QByteArray>{};
    return std::optional<QByteArray>(job.binaryData());
}

Status SystemKeychain::write(const QString &account, const QByteArray &secret)
{
    QKeychain::WritePasswordJob job(QString::fromLatin1(kService));
    job.setKey(account);
    job.setBinaryData(secret);
    return run(job, m_timeoutMs, tr("writing \"%1\"").arg(account));
}

Status SystemKeychain::remove(const QString &account)
{
    QKeychain::DeletePasswordJob job(QString::fromLatin1(kService));
    job.setKey(account);
    return run(job, m_timeoutMs, tr("removing \"%1\"").arg(account), true);
}

} // namespace hookline
