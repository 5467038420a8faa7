#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

namespace hookline {

// Puts secrets on the clipboard the careful way (after KeePassXC): marked with
// the x-kde-passwordManagerHint MIME type so clipboard managers skip them,
// cleared after a delay and on quit, but only if the clipboard still holds
// what we put there, so that whatever the user copied since is left alone.
class Clipboard final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Clipboard)

public:
    explicit Clipboard(QObject *parent = nullptr);
    ~Clipboard() override;

    static Clipboard *instance();

    void setSecret(const QString &text);
    void clearIfOurs();
    bool holdsOurs() const;

    int clearDelayMs() const { return m_timer.interval(); }
    void setClearDelayMs(int ms) { m_timer.setInterval(ms); }

    static constexpr int kDefaultClearDelayMs = 30'000;
    static constexpr auto kPasswordManagerHint = "x-kde-passwordManagerHint";

Q_SIGNALS:
    void cleared();

private:
    QTimer m_timer;
    QString m_lastSecret;
};

} // namespace hookline
