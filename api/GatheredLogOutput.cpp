#include "GatheredLogOutput.h"

#include <QAbstractEventDispatcher>
#include <QCoreApplication>
#include <QMutex>
#include <QMutexLocker>
#include <QThread>

#include <cerrno>
#include <unistd.h>

namespace hookline::api {

namespace {

QMutex g_mutex;
QByteArray g_gathered;
bool g_installed = false;

void writeOut(const QByteArray &bytes)
{
    const char *at = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t n = ::write(STDERR_FILENO, at, size_t(left));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // stderr closed or full: the lines are lost, as with Qt's own handler
        at += n;
        left -= n;
    }
}

// Under g_mutex.
void writeGathered()
{
    if (g_gathered.isEmpty())
        return;
    writeOut(g_gathered);
    g_gathered.clear();
}

void handler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    QByteArray line = qFormatLogMessage(type, context, message).toLocal8Bit();
    line += '\n';
    QMutexLocker lock(&g_mutex);
    g_gathered += line;
    // Without the application (after it ended) no loop comes to write it.
    const bool later = (type == QtDebugMsg || type == QtInfoMsg) && g_gathered.size() < GatheredLogOutput::kMaxGatheredBytes
                       && QCoreApplication::instance() != nullptr;
    if (!later)
        writeGathered(); // a fatal message aborts after this returns, its line written
}

} // namespace

void GatheredLogOutput::install()
{
    {
        QMutexLocker lock(&g_mutex);
        if (std::exchange(g_installed, true))
            return;
    }
    qInstallMessageHandler(handler);
    if (auto *dispatcher = QAbstractEventDispatcher::instance(QThread::currentThread()))
        QObject::connect(dispatcher, &QAbstractEventDispatcher::aboutToBlock, dispatcher, &GatheredLogOutput::flush);
    qAddPostRoutine(&GatheredLogOutput::flush);
}

void GatheredLogOutput::flush()
{
    QMutexLocker lock(&g_mutex);
    writeGathered();
}

} // namespace hookline::api
