#include "AlertNotifier.h"

#include "AlertText.h"
#include "AppContext.h"
#include "TrayIcon.h"

#include <QApplication>
#include <QLocale>
#include <QWidget>

namespace hookline {

namespace {
// The newest alert of each webhook, in the order they first appear.
Alerts newestPerWebhook(const Alerts &alerts)
{
    Alerts out;
    for (const auto &a : alerts) {
        const auto it = std::find_if(out.begin(), out.end(), [&](const Alert &o) { return o.webhookId == a.webhookId; });
        if (it == out.end())
            out.append(a);
        else
            *it = a;
    }
    return out;
}

QString namesOf(const Alerts &alerts)
{
    constexpr int kNamed = 4;
    QStringList names;
    for (const auto &a : alerts.mid(0, kNamed))
        names << (a.webhookName.isEmpty() ? a.webhookId : a.webhookName);
    auto text = QLocale().createSeparatedList(names);
    if (alerts.size() > kNamed)
        text = AlertNotifier::tr("%1 and %n more", nullptr, int(alerts.size() - kNamed)).arg(text);
    return text;
}
} // namespace

std::optional<AlertNotifier::Note> AlertNotifier::noteFor(const Alerts &alerts)
{
    Alerts opened;
    Alerts recovered;
    for (const auto &a : newestPerWebhook(alerts)) {
        if (a.opensIncident())
            opened << a;
        else if (a.kind == Alert::Kind::Recovered)
            recovered << a;
    }
    Note note;
    if (opened.size() == 1) {
        const auto &a = opened.constFirst();
        const auto name = a.webhookName.isEmpty() ? a.webhookId : a.webhookName;
        switch (a.kind) {
        case Alert::Kind::Failing: note.title = tr("Webhook “%1” is failing").arg(name); break;
        case Alert::Kind::Gone: note.title = tr("Webhook “%1” was deactivated: its receiver is gone").arg(name); break;
        default: note.title = tr("Webhook “%1” was deactivated").arg(name); break;
        }
        note.message = AlertText::detail(a);
    } else if (opened.size() > 1) {
        note.title = tr("%n webhooks need attention", nullptr, int(opened.size()));
        note.message = namesOf(opened);
    } else if (recovered.size() == 1) {
        const auto &a = recovered.constFirst();
        note.title = tr("Webhook “%1” delivers again").arg(a.webhookName.isEmpty() ? a.webhookId : a.webhookName);
        note.message = AlertText::detail(a);
    } else if (recovered.size() > 1) {
        note.title = tr("%n webhooks deliver again", nullptr, int(recovered.size()));
        note.message = namesOf(recovered);
    } else {
        return std::nullopt;
    }
    note.warning = !opened.isEmpty();
    note.webhookId = (opened.isEmpty() ? recovered : opened).constFirst().webhookId;
    return note;
}

AlertNotifier::AlertNotifier(AppContext &context, TrayIcon &tray, QWidget *window, QObject *parent)
    : QObject(parent)
    , m_tray(tray)
    , m_window(window)
{
    connect(&context, &AppContext::alertsArrived, this, &AlertNotifier::tell);
    connect(&tray, &TrayIcon::notificationClicked, this, [this] {
        if (!m_lastWebhookId.isEmpty())
            Q_EMIT webhookRequested(m_lastWebhookId);
    });
}

void AlertNotifier::tell(const Alerts &alerts)
{
    const auto note = noteFor(alerts);
    if (!note)
        return;
    m_lastWebhookId = note->webhookId;
    m_tray.notify(note->title, note->message, note->warning);
    Q_EMIT told(note->message.isEmpty() ? note->title : note->title + QStringLiteral(" — ") + note->message);
    // The taskbar entry asks for attention when the window is not in front.
    if (m_window && note->warning && !m_window->isActiveWindow())
        QApplication::alert(m_window);
}

} // namespace hookline
