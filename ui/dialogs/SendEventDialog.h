#pragma once

#include "model/EventType.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace hookline {

class AppContext;

// Emits an event through the same path as the CLI and the API: choose a type,
// edit its sample payload (validated as JSON while typing), pick a tenant.
class SendEventDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SendEventDialog)

public:
    explicit SendEventDialog(AppContext &context, QWidget *parent = nullptr);

    QComboBox *typeBox() const { return m_type; }
    QPlainTextEdit *payloadEdit() const { return m_payload; }
    QPushButton *emitButton() const { return m_emit; }
    QLabel *resultLabel() const { return m_result; }

public Q_SLOTS:
    void send();

private:
    void validate();

    AppContext &m_context;
    QList<EventType> m_types;
    QComboBox *m_type;
    QLineEdit *m_tenant;
    QPlainTextEdit *m_payload;
    QLabel *m_result;
    QPushButton *m_emit;
};

} // namespace hookline
