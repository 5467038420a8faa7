#pragma once

#include <QMainWindow>

class QAction;
class QDialog;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace hookline {

class AlertBanner;
class AlertNotifier;
class AppContext;
class DeliveryChart;
class EmptyStatePane;
class HistoryView;
class TrayIcon;
class SecretPanel;
class TestResultBar;
class WebhookForm;
class WebhookListModel;

class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(AppContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    QString currentWebhookId() const;
    void selectWebhook(const QString &id);

    WebhookListModel *webhookModel() const { return m_model; }
    QTableView *webhookView() const { return m_view; }
    WebhookForm *form() const { return m_form; }
    SecretPanel *secretPanel() const { return m_secret; }
    HistoryView *history() const { return m_history; }
    QTabWidget *tabs() const { return m_tabs; }
    TestResultBar *testResult() const { return m_testResult; }
    AlertBanner *alertBanner() const { return m_alertBanner; }
    EmptyStatePane *emptyState() const { return m_empty; }
    bool showsEmptyState() const;
    QAction *action(const QString &name) const;
    TrayIcon *trayIcon() const { return m_tray; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildActions();
    void buildUi();
    void currentChanged();
    bool confirmLeavingForm();
    void loadCatalog();
    void updateActions();
    void refreshEngineStatus();
    void quit();

    void newWebhook();
    void duplicateWebhook();
    void deleteWebhook();
    void toggleActive();
    void testWebhook();
    void refresh();
    QDialog *openDialog(QDialog *dialog);
    void showDetailsPane(bool details); // false: the empty state of a first start

    AppContext &m_context;
    WebhookListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_view = nullptr;
    QLineEdit *m_search = nullptr;
    QSplitter *m_splitter = nullptr;
    QTabWidget *m_tabs = nullptr;
    WebhookForm *m_form = nullptr;
    SecretPanel *m_secret = nullptr;
    HistoryView *m_history = nullptr;
    DeliveryChart *m_chart = nullptr;
    TestResultBar *m_testResult = nullptr;
    AlertBanner *m_alertBanner = nullptr;
    AlertNotifier *m_notifier = nullptr;
    EmptyStatePane *m_empty = nullptr;
    QStackedWidget *m_right = nullptr;
    bool m_editingNew = false; // a new webhook's form is open (no row is current)
    QLabel *m_engineStatus = nullptr;
    QString m_shownId;
    bool m_switching = false;
    TrayIcon *m_tray = nullptr;
    bool m_quitting = false; // Quit from the tray: close for real, not into the tray
};

} // namespace hookline
