#include "Clipboard.h"

#include <QApplication>
#include <QClipboard>
#include <QMimeData>

namespace hookline {

Clipboard::Clipboard(QObject *parent)
    : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kDefaultClearDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &Clipboard::clearIfOurs);
    connect(qApp, &QCoreApplication::aboutToQuit, this, &Clipboard::clearIfOurs);
}

Clipboard::~Clipboard()
{
    // The shared instance may outlive the application object at exit.
    if (QGuiApplication::instance())
        clearIfOurs();
}

Clipboard *Clipboard::instance()
{
    static auto *clipboard = new Clipboard(qApp);
    return clipboard;
}

void Clipboard::setSecret(const QString &text)
{
    auto *mime = new QMimeData;
    mime->setText(text);
    mime->setData(QString::fromLatin1(kPasswordManagerHint), QByteArrayLiteral("secret"));
    QGuiApplication::clipboard()->setMimeData(mime, QClipboard::Clipboard);
    m_lastSecret = text;
    m_timer.start();
}

bool Clipboard::holdsOurs() const
{
    return !m_lastSecret.isEmpty() && QGuiApplication::instance() && QGuiApplication::clipboard()->text(QClipboard::Clipboard) == m_lastSecret;
}

void Clipboard::clearIfOurs()
{
    m_timer.stop();
    if (holdsOurs()) {
        QGuiApplication::clipboard()->clear(QClipboard::Clipboard);
        Q_EMIT cleared();
    }
    m_lastSecret.clear();
}

} // namespace hookline
