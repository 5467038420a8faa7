#include "MainWindow.h"

#include "AlertNotifier.h"
#include "AppContext.h"
#include "TrayIcon.h"
#include "dialogs/AboutDialog.h"
#include "dialogs/AuditDialog.h"
#include "dialogs/CatalogDialog.h"
#include "dialogs/InspectorDialog.h"
#include "dialogs/SendEventDialog.h"
#include "dialogs/SettingsDialog.h"
#include "dialogs/SignatureDebuggerDialog.h"
#include "dialogs/TenantsDialog.h"
#include "engine/DeliveryEngine.h"
#include "models/DeliveryHistoryModel.h"
#include "models/WebhookListModel.h"
#include "service/CatalogService.h"
#include "service/DeliveryService.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "widgets/AlertBanner.h"
#include "widgets/DeliveryChart.h"
#include "widgets/EmptyStatePane.h"
#include "widgets/HistoryView.h"
#include "widgets/SecretPanel.h"
#include "widgets/TestResultBar.h"
#include "widgets/WebhookForm.h"

#include <QAction>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace hookline {

namespace {
struct Catalog {
    QList<EventType> types;
    WebhookValidator::Context validation;
    int graceSeconds = 86400;
    QString headerPrefix;
};
} // namespace

MainWindow::MainWindow(AppContext &context, QWidget *parent)
    : QMainWindow(parent)
    , m_context(context)
    , m_model(new WebhookListModel(context, this))
    , m_proxy(new QSortFilterProxyModel(this))
{
    setWindowTitle(tr("Hookline"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(WebhookListModel::RawDataRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    buildActions();
    buildUi();

    connect(m_model, &WebhookListModel::loaded, this, [this] {
        // No webhook at all, and none being written: the empty state.
        showDetailsPane(m_model->rowCount() > 0 || m_form->isDirty() || m_editingNew);
        // Fitted at every load: "just now" becomes "3 min ago" without a new row.
        for (const auto column : {WebhookListModel::Status, WebhookListModel::LastDelivery, WebhookListModel::SuccessRate})
            m_view->resizeColumnToContents(column);
        QHash<QString, QString> names;
        for (int row = 0; row < m_model->rowCount(); ++row)
            names.insert(m_model->index(row, 0).data(WebhookListModel::IdRole).toString(), m_model->index(row, 0).data().toString());
        m_history->model()->setWebhookNames(names);
        // A new webhook's form stays: the list reloads often (every finished delivery).
        if (m_view->currentIndex().isValid() || m_proxy->rowCount() == 0 || m_editingNew)
            return updateActions();
        m_view->setCurrentIndex(m_proxy->index(0, 0));
    });
    connect(&context, &AppContext::webhooksChanged, this, [this] {
        // The engine may have deactivated the webhook on screen: show it as it is now.
        if (!m_shownId.isEmpty() && !m_form->isDirty())
            currentChanged();
    });
    connect(&context, &AppContext::catalogChanged, this, &MainWindow::loadCatalog);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] { m_view->resizeColumnToContents(WebhookListModel::LastDelivery); });

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());

    m_tray = new TrayIcon(this, action(QStringLiteral("pause")), this);
    connect(m_tray, &TrayIcon::quitRequested, this, &MainWindow::quit);
    m_notifier = new AlertNotifier(m_context, *m_tray, this, this);
    connect(m_notifier, &AlertNotifier::told, this, [this](const QString &text) { statusBar()->showMessage(text, 15000); });
    connect(m_notifier, &AlertNotifier::webhookRequested, this, &MainWindow::selectWebhook);

    auto *status = new QTimer(this);
    connect(status, &QTimer::timeout, this, &MainWindow::refreshEngineStatus);
    status->start(2000);
    refreshEngineStatus();
    loadCatalog();
    m_model->reload();
}

MainWindow::~MainWindow() = default;

QAction *MainWindow::action(const QString &name) const
{
    return findChild<QAction *>(name);
}

void MainWindow::buildActions()
{
    const auto make = [this](const QString &name, const QString &text, const QKeySequence &shortcut, auto slot) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        a->setShortcut(shortcut);
        a->setToolTip(QString(text).remove(u'&').remove(QStringLiteral("…"))
                      + (shortcut.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(shortcut.toString(QKeySequence::NativeText))));
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    auto *newAct = make(QStringLiteral("new"), tr("&New webhook"), QKeySequence::New, &MainWindow::newWebhook);
    auto *dupAct = make(QStringLiteral("duplicate"), tr("D&uplicate"), QKeySequence(tr("Ctrl+D")), &MainWindow::duplicateWebhook);
    auto *delAct = make(QStringLiteral("delete"), tr("&Delete…"), QKeySequence::Delete, &MainWindow::deleteWebhook);
    auto *toggleAct = make(QStringLiteral("toggle"), tr("&Activate / deactivate"), QKeySequence(tr("Ctrl+Shift+A")), &MainWindow::toggleActive);
    auto *testAct = make(QStringLiteral("test"), tr("Send &test ping"), QKeySequence(tr("Ctrl+T")), &MainWindow::testWebhook);
    auto *refreshAct = make(QStringLiteral("refresh"), tr("&Refresh"), QKeySequence::Refresh, &MainWindow::refresh);
    auto *pauseAct = make(QStringLiteral("pause"), tr("&Pause delivery"), QKeySequence(tr("Ctrl+Shift+P")), [this] {
        m_context.engine().setPaused(!m_context.engine().isPaused());
        action(QStringLiteral("pause"))->setChecked(m_context.engine().isPaused());
        refreshEngineStatus();
    });
    pauseAct->setCheckable(true);
    // Dialogs open window-modal without a nested event loop (open(), not
    // exec()): the action returns at once, so an assistive client that
    // triggered it gets its answer, and the dialog reports through finished.
    auto *sendAct
        = make(QStringLiteral("send"), tr("Send &event…"), QKeySequence(tr("Ctrl+E")), [this] { openDialog(new SendEventDialog(m_context, this)); });
    auto *catalogAct = make(QStringLiteral("catalog"), tr("Event &catalog…"), QKeySequence(tr("Ctrl+K")),
                            [this] { openDialog(new CatalogDialog(m_context, this)); });
    auto *debuggerAct = make(QStringLiteral("debugger"), tr("Si&gnature debugger…"), QKeySequence(),
                             [this] { openDialog(new SignatureDebuggerDialog(m_context, this)); });
    auto *inspectorAct
        = make(QStringLiteral("inspector"), tr("&Request inspector…"), QKeySequence(), [this] { openDialog(new InspectorDialog(m_context, this)); });
    auto *inspectAct = make(QStringLiteral("inspect"), tr("&Inspect this webhook…"), QKeySequence(), [this] {
        const auto id = currentWebhookId();
        if (id.isEmpty())
            return;
        auto *dialog = new InspectorDialog(m_context, this);
        connect(dialog, &InspectorDialog::copyMade, this, [this] { m_context.notifyWebhooksChanged(); });
        openDialog(dialog);
        dialog->inspect(id);
    });
    auto *auditAct = make(QStringLiteral("audit"), tr("&Audit log…"), QKeySequence(), [this] { openDialog(new AuditDialog(m_context, this)); });
    auto *tenantsAct
        = make(QStringLiteral("tenants"), tr("&Tenants and API keys…"), QKeySequence(), [this] { openDialog(new TenantsDialog(m_context, this)); });
    auto *settingsAct = make(QStringLiteral("settings"), tr("&Settings…"), QKeySequence::Preferences, [this] {
        auto *dialog = openDialog(new SettingsDialog(m_context, this));
        connect(dialog, &QDialog::accepted, this, &MainWindow::loadCatalog);
    });
    auto *historyAllAct = make(QStringLiteral("historyAll"), tr("History of &all webhooks"), QKeySequence(tr("Ctrl+H")), [this] {
        m_history->setWebhook({});
        m_tabs->setCurrentWidget(m_history);
    });
    auto *aboutAct = make(QStringLiteral("about"), tr("&About Hookline"), QKeySequence(), [this] { openDialog(new AboutDialog(this)); });
    auto *quitAct = make(QStringLiteral("quit"), tr("&Quit"), QKeySequence::Quit, &MainWindow::quit);
    if (settingsAct->shortcut().isEmpty())
        settingsAct->setShortcut(QKeySequence(tr("Ctrl+,")));

    auto *file = menuBar()->addMenu(tr("&File"));
    file->addActions({newAct, dupAct, delAct});
    file->addSeparator();
    file->addAction(quitAct);
    auto *webhook = menuBar()->addMenu(tr("&Webhook"));
    webhook->addActions({toggleAct, testAct, inspectAct, refreshAct, historyAllAct});
    auto *engine = menuBar()->addMenu(tr("&Engine"));
    engine->addActions({pauseAct, sendAct});
    auto *tools = menuBar()->addMenu(tr("&Tools"));
    tools->addActions({catalogAct, debuggerAct, inspectorAct, auditAct, tenantsAct, settingsAct});
    auto *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(aboutAct);

    auto *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addActions({newAct, dupAct, delAct, toggleAct, testAct, refreshAct});
}

void MainWindow::buildUi()
{
    m_search = new QLineEdit;
    m_search->setPlaceholderText(tr("Search webhooks (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search webhooks"));
    auto *find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_search, qOverload<>(&QWidget::setFocus));
    addAction(find);
    connect(m_search, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);

    m_view = new QTableView;
    m_view->setModel(m_proxy);
    m_view->setAccessibleName(tr("Webhooks"));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->setTabKeyNavigation(false); // Tab moves on to the details; arrows move between rows
    m_view->sortByColumn(WebhookListModel::Name, Qt::AscendingOrder);
    m_view->verticalHeader()->hide();
    // Columns fit their content and elide rather than wrap; the URL takes
    // what is left (its whole text is in the tooltip).
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    auto *header = m_view->horizontalHeader();
    header->setStretchLastSection(false);
    header->setMinimumSectionSize(60);
    header->setSectionResizeMode(WebhookListModel::Name, QHeaderView::Interactive);
    header->setSectionResizeMode(WebhookListModel::Url, QHeaderView::Stretch);
    for (const auto column : {WebhookListModel::Status, WebhookListModel::LastDelivery, WebhookListModel::SuccessRate})
        header->setSectionResizeMode(column, QHeaderView::Interactive);
    m_view->setColumnWidth(WebhookListModel::Name, 150);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        if (!m_switching)
            currentChanged();
    });
    // A row selected without moving the current index (an assistive tool
    // selecting through the table interface, say) is shown too.
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const auto rows = m_view->selectionModel()->selectedRows();
        if (!m_switching && rows.size() == 1 && rows.constFirst().row() != m_view->currentIndex().row())
            m_view->selectionModel()->setCurrentIndex(rows.constFirst(), QItemSelectionModel::NoUpdate);
    });

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_view);

    m_form = new WebhookForm(m_context);
    m_secret = new SecretPanel(m_context);
    m_history = new HistoryView(m_context);
    m_chart = new DeliveryChart(m_context);
    m_testResult = new TestResultBar(m_context);
    m_tabs = new QTabWidget;
    m_tabs->setAccessibleName(tr("Webhook details"));
    m_tabs->addTab(m_form, tr("&Settings"));
    m_tabs->addTab(m_secret, tr("Sec&ret"));
    m_tabs->addTab(m_history, tr("Histor&y"));
    m_tabs->addTab(m_chart, tr("&Charts"));
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] {
        if (m_tabs->currentWidget() == m_chart)
            m_chart->reload();
    });
    auto *details = new QWidget;
    auto *rightLayout = new QVBoxLayout(details);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    m_alertBanner = new AlertBanner(m_context);
    connect(m_alertBanner, &AlertBanner::showFailuresRequested, this, [this](DeliveryStatus status) {
        m_history->showStatus(status);
        m_tabs->setCurrentWidget(m_history);
    });
    connect(m_alertBanner, &AlertBanner::reenableRequested, this, [this](const QString &id) {
        if (id == currentWebhookId())
            toggleActive();
    });
    rightLayout->addWidget(m_alertBanner);
    rightLayout->addWidget(m_testResult);
    rightLayout->addWidget(m_tabs, 1);
    m_empty = new EmptyStatePane;
    connect(m_empty, &EmptyStatePane::newWebhookRequested, this, &MainWindow::newWebhook);
    m_right = new QStackedWidget;
    m_right->addWidget(details);
    m_right->addWidget(m_empty);

    m_splitter = new QSplitter;
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_right);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setSizes({640, 760});
    setCentralWidget(m_splitter);

    m_engineStatus = new QLabel;
    // No fixed accessible name: the text is what a screen reader must read.
    m_engineStatus->setAccessibleDescription(tr("Engine status"));
    statusBar()->addPermanentWidget(m_engineStatus);

    connect(m_form, &WebhookForm::saved, this, [this](const QString &id) {
        statusBar()->showMessage(tr("Saved."), 4000);
        m_shownId = id;
        QTimer::singleShot(300, this, [this, id] { selectWebhook(id); });
    });
    connect(m_form, &WebhookForm::dirtyChanged, this, [this](bool dirty) { setWindowModified(dirty); });
    connect(m_testResult, &TestResultBar::detailsRequested, m_history, &HistoryView::showDetails);
    setWindowTitle(tr("Hookline") + QStringLiteral("[*]"));
}

void MainWindow::loadCatalog()
{
    m_context.db().run<Catalog>(
        [](QSqlDatabase db) {
            Catalog c;
            if (auto types = CatalogService(db).list())
                c.types = *types;
            if (auto ctx = WebhookService(db).validationContext())
                c.validation = *ctx;
            c.graceSeconds = Settings(db).rotationGraceSeconds();
            c.headerPrefix = Settings(db).headerPrefix();
            return c;
        },
        this,
        [this](Catalog c) {
            m_form->setValidationContext(c.validation);
            m_form->setCatalog(c.types);
            m_secret->setGraceSeconds(c.graceSeconds);
            m_secret->setHeaderPrefix(c.headerPrefix);
            QStringList names;
            for (const auto &t : std::as_const(c.types))
                names << t.name;
            m_history->setEventTypes(names);
        });
}

QString MainWindow::currentWebhookId() const
{
    const auto index = m_view->currentIndex();
    return index.isValid() ? m_proxy->data(index, WebhookListModel::IdRole).toString() : QString();
}

void MainWindow::selectWebhook(const QString &id)
{
    const auto source = m_model->indexFor(id);
    if (source.isValid())
        m_view->setCurrentIndex(m_proxy->mapFromSource(source));
}

bool MainWindow::confirmLeavingForm()
{
    if (!m_form->isDirty())
        return true;
    const auto answer = QMessageBox::question(this, tr("Unsaved changes"), tr("The webhook has changes that are not saved. Save them?"),
                                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save) {
        if (!m_form->problem().isEmpty()) {
            QMessageBox::warning(this, tr("Cannot save"), m_form->problem());
            return false;
        }
        m_form->save();
    }
    return true;
}

void MainWindow::currentChanged()
{
    const auto id = currentWebhookId();
    if (id != m_shownId && !confirmLeavingForm()) {
        // Stay on the webhook being edited.
        m_switching = true;
        selectWebhook(m_shownId);
        m_switching = false;
        return;
    }
    m_shownId = id;
    if (!id.isEmpty())
        m_editingNew = false;
    updateActions();
    const auto *row = m_model->rowFor(id);
    m_testResult->setWebhook(id, row ? row->webhook.name : QString());
    if (id.isEmpty())
        return m_alertBanner->setWebhook(Webhook{});
    m_history->setWebhook(id);
    m_chart->setWebhook(id);
    const auto job = [id](QSqlDatabase db) { return WebhookService(db).get(id); };
    m_context.db().run<Result<Webhook>>(job, this, [this, id](Result<Webhook> w) {
        if (!w || id != m_shownId)
            return;
        m_form->setWebhook(*w);
        m_secret->setWebhook(*w);
        m_alertBanner->setWebhook(*w);
    });
}

void MainWindow::updateActions()
{
    const bool has = !currentWebhookId().isEmpty();
    for (const auto *name : {"duplicate", "delete", "toggle", "test", "inspect"})
        action(QString::fromLatin1(name))->setEnabled(has);
    if (const auto *row = m_model->rowFor(currentWebhookId()))
        action(QStringLiteral("toggle"))->setText(row->webhook.active ? tr("Deacti&vate") : tr("&Activate"));
}

void MainWindow::refreshEngineStatus()
{
    const bool paused = m_context.engine().isPaused();
    const bool running = m_context.engine().isRunning();
    m_context.db().run<int>(
        [](QSqlDatabase db) {
            auto n = DeliveryService(db).unfinishedCount();
            return n ? *n : -1;
        },
        this,
        [this, paused, running](int depth) {
            const auto state = !running ? tr("Engine stopped") : (paused ? tr("Engine paused") : tr("Engine running"));
            m_engineStatus->setText(depth < 0 ? tr("%1 — queue unknown (database unreachable)").arg(state)
                                              : tr("%1 — %n deliveries queued", nullptr, depth).arg(state));
            m_tray->setStatus(m_engineStatus->text());
        });
}

void MainWindow::newWebhook()
{
    if (!confirmLeavingForm())
        return;
    m_switching = true;
    m_view->clearSelection();
    m_view->setCurrentIndex({});
    m_switching = false;
    m_shownId.clear();
    m_form->newWebhook();
    m_secret->setWebhook({});
    m_testResult->setWebhook({}, {});
    m_editingNew = true;
    showDetailsPane(true);
    m_tabs->setCurrentWidget(m_form);
    m_form->urlEdit()->setFocus();
    updateActions();
}

void MainWindow::duplicateWebhook()
{
    const auto *row = m_model->rowFor(currentWebhookId());
    if (!row || !confirmLeavingForm())
        return;
    Webhook copy = row->webhook;
    copy.id.clear();
    copy.secret.clear();
    copy.secrets.clear();
    copy.disabledReason.clear();
    copy.consecutiveFailures = 0;
    copy.name = tr("%1 (copy)").arg(copy.name);
    m_switching = true;
    m_view->setCurrentIndex({});
    m_switching = false;
    m_shownId.clear();
    m_form->setWebhook(Webhook{});
    m_form->setWebhook(copy);
    m_secret->setWebhook({});
    m_testResult->setWebhook({}, {});
    m_tabs->setCurrentWidget(m_form);
    updateActions();
}

void MainWindow::deleteWebhook()
{
    const auto *row = m_model->rowFor(currentWebhookId());
    if (!row)
        return;
    const auto id = row->webhook.id;
    if (QMessageBox::warning(this, tr("Delete webhook"),
                             tr("Delete “%1” and its whole delivery history? This cannot be undone.").arg(row->webhook.name),
                             QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel)
        != QMessageBox::Yes)
        return;
    const auto job = [id](QSqlDatabase db) { return WebhookService(db).remove(id); };
    m_context.db().run<Status>(job, this, [this](Status s) {
        if (!s)
            QMessageBox::warning(this, tr("Delete webhook"), s.error().message);
        m_form->setWebhook(Webhook{});
        m_shownId.clear();
        m_context.notifyWebhooksChanged();
    });
}

void MainWindow::toggleActive()
{
    const auto *row = m_model->rowFor(currentWebhookId());
    if (!row || m_form->isDirty())
        return;
    Webhook w = row->webhook;
    w.active = !w.active;
    const auto job = [w](QSqlDatabase db) { return WebhookService(db).update(w); };
    m_context.db().run<Result<Webhook>>(job, this, [this](Result<Webhook> r) {
        if (!r)
            QMessageBox::warning(this, tr("Webhook"), r.error().message);
        m_context.notifyWebhooksChanged();
        if (r)
            m_context.engine().wake();
    });
}

void MainWindow::testWebhook()
{
    const auto id = currentWebhookId();
    if (const auto *row = m_model->rowFor(id))
        m_testResult->test(id, row->webhook.name);
}

bool MainWindow::showsEmptyState() const
{
    return m_right->currentWidget() == m_empty;
}

void MainWindow::showDetailsPane(bool details)
{
    m_right->setCurrentIndex(details ? 0 : 1);
}

QDialog *MainWindow::openDialog(QDialog *dialog)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
    return dialog;
}

void MainWindow::refresh()
{
    m_model->reload();
    m_history->model()->refresh();
    loadCatalog();
    refreshEngineStatus();
}

void MainWindow::quit()
{
    // Quit means quit, even when closing the window would only hide it in the tray.
    m_quitting = true;
    show(); // a question about unsaved changes needs the window
    if (close())
        QCoreApplication::quit();
    m_quitting = false;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // Into the tray: nothing is lost (the form keeps its edits), the engine goes on.
    if (!m_quitting && m_tray->keepsRunningOnClose()) {
        hide();
        m_tray->noteHidden();
        event->ignore();
        return;
    }
    if (!confirmLeavingForm()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    event->accept();
}

} // namespace hookline
