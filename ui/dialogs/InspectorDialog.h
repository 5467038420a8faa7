#pragma once

#include "SigningSetup.h"

#include <QDialog>
#include <QList>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;

namespace hookline {

class AppContext;
class Inspector;
class InspectorModel;
struct InspectedRequest;

// Tools → Request inspector: a receiver on loopback that shows every request
// it gets, live (method, path, headers, body pretty and raw), checks its
// signature against a chosen webhook's secrets, and answers as chosen (a
// status, a delay, a Retry-After, or a dropped connection), so each retry
// rule can be watched. The same Inspector as hookline-cli inspect.
class InspectorDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorDialog)

public:
    explicit InspectorDialog(AppContext &context, QWidget *parent = nullptr);
    ~InspectorDialog() override;

    Inspector *inspector() const { return m_inspector; }
    InspectorModel *model() const { return m_model; }
    QPushButton *startButton() const { return m_start; }
    QLabel *address() const { return m_address; }
    QSpinBox *statusBox() const { return m_status; }
    QCheckBox *dropBox() const { return m_drop; }
    QComboBox *webhookBox() const { return m_webhook; }
    QTableView *table() const { return m_table; }
    QPlainTextEdit *details() const { return m_details; }
    QLabel *note() const { return m_note; }

    // "Inspect this webhook": listens (if it does not yet), makes an inactive
    // copy of the webhook pointed here (WebhookService::inspectorCopy),
    // verifies with its secrets and sends it a test ping, which then arrives.
    void inspect(const QString &webhookId);

Q_SIGNALS:
    void webhooksLoaded();
    // The copy inspect() made (or found); its test ping is on its way.
    void copyMade(const QString &copyId);

private:
    void toggle();
    void applyAnswer();
    void received(const InspectedRequest &request);
    void showSelected();

    AppContext &m_context;
    SigningSetup m_setup;
    Inspector *m_inspector;
    InspectorModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QSpinBox *m_port;
    QPushButton *m_start;
    QLabel *m_address;
    QPushButton *m_copyAddress;
    QSpinBox *m_status;
    QSpinBox *m_delay;
    QSpinBox *m_retryAfter;
    QCheckBox *m_drop;
    QComboBox *m_webhook;
    QTableView *m_table;
    QPlainTextEdit *m_details;
    QLabel *m_note;
};

} // namespace hookline
