#include "ScreenshotTour.h"

#include "MainWindow.h"
#include "dialogs/AttemptDialog.h"
#include "models/DeliveryHistoryModel.h"
#include "widgets/HistoryView.h"
#include "widgets/SecretPanel.h"
#include "widgets/WebhookForm.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QPixmap>
#include <QScrollArea>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>

namespace hookline {

ScreenshotTour::ScreenshotTour(MainWindow &window, AppContext &context, QString directory, QString suffix, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_context(context)
    , m_directory(std::move(directory))
    , m_suffix(std::move(suffix))
{
    QDir().mkpath(m_directory);
    auto *tabs = window.tabs();
    m_steps = {
        [this, tabs] {
            // No webhook yet: the first start is the picture, and the tour ends.
            if (m_window.showsEmptyState()) {
                shoot(&m_window, QStringLiteral("first-start"));
                m_steps.clear();
                QTimer::singleShot(0, qApp, &QApplication::quit);
                return;
            }
            // A test ping first: the result bar is part of the picture.
            tabs->setCurrentIndex(0);
            m_window.webhookView()->setCurrentIndex(m_window.webhookView()->model()->index(0, 0));
            if (auto *test = m_window.action(QStringLiteral("test")))
                test->trigger();
        },
        [this] { shoot(&m_window, QStringLiteral("main-window")); },
        [this] {
            // The webhook with custom headers and an explicit schedule shows the most.
            auto *model = m_window.webhookView()->model();
            for (int row = 0; row < model->rowCount(); ++row) {
                if (model->index(row, 0).data().toString().startsWith(QLatin1StringView("Lead")))
                    m_window.webhookView()->setCurrentIndex(model->index(row, 0));
            }
        },
        [this] {
            // The retry policy and its timeline, further down the form.
            if (auto *scroll = m_window.form()->findChild<QScrollArea *>())
                scroll->verticalScrollBar()->setValue(scroll->verticalScrollBar()->maximum() * 6 / 10);
            shoot(&m_window, QStringLiteral("webhook-form"));
        },
        [this, tabs] {
            tabs->setCurrentWidget(m_window.secretPanel());
            m_window.secretPanel()->revealButton()->setChecked(true);
            shoot(&m_window, QStringLiteral("secret-panel"));
            m_window.secretPanel()->revealButton()->setChecked(false);
        },
        [this, tabs] {
            // Back to the first webhook, whose receiver fails now and then.
            m_window.webhookView()->setCurrentIndex(m_window.webhookView()->model()->index(0, 0));
            tabs->setCurrentWidget(m_window.history());
        },
        [this] { m_window.history()->view()->selectRow(0); },
        [this] { shoot(&m_window, QStringLiteral("history")); },
        [this] {
            const auto id
                = m_window.history()->model()->data(m_window.history()->model()->index(0, 0), DeliveryHistoryModel::DeliveryIdRole).toString();
            auto *dialog = new AttemptDialog(m_context, id, &m_window);
            dialog->setObjectName(QStringLiteral("tourAttemptDialog"));
            dialog->show();
        },
        [this] {
            if (auto *dialog = m_window.findChild<AttemptDialog *>(QStringLiteral("tourAttemptDialog"))) {
                shoot(dialog, QStringLiteral("attempt-detail"));
                dialog->close();
            }
        },
        [tabs] { tabs->setCurrentIndex(3); },
        [this] { shoot(&m_window, QStringLiteral("charts")); },
        [this, tabs] {
            // A webhook whose receiver is down: its mark in the list, the banner above it.
            tabs->setCurrentIndex(0);
            auto *model = m_window.webhookView()->model();
            for (int row = 0; row < model->rowCount(); ++row) {
                if (model->index(row, 0).data().toString().startsWith(QLatin1StringView("Billing")))
                    m_window.webhookView()->setCurrentIndex(model->index(row, 0));
            }
        },
        [this] { shoot(&m_window, QStringLiteral("alert-banner")); },
        [] { QApplication::quit(); },
    };
}

void ScreenshotTour::start()
{
    QTimer::singleShot(2500, this, &ScreenshotTour::next); // the first loads come from the database thread
}

void ScreenshotTour::next()
{
    if (m_steps.isEmpty())
        return;
    m_steps.takeFirst()();
    QTimer::singleShot(1200, this, &ScreenshotTour::next);
}

void ScreenshotTour::shoot(QWidget *widget, const QString &name)
{
    widget->grab().save(QDir(m_directory).filePath(name + m_suffix + QStringLiteral(".png")));
}

} // namespace hookline
