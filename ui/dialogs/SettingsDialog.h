#pragma once

#include <QDialog>
#include <QMap>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace hookline {

class AppContext;
class DurationEdit;

// Installation settings. Security switches carry their warning next to them.
class SettingsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(AppContext &context, QWidget *parent = nullptr);

    QMap<QString, QString> values() const;

public Q_SLOTS:
    void accept() override;

private:
    void load(const QMap<QString, QString> &values);
    void selectAlertEvents();

    AppContext &m_context;
    QLineEdit *m_database;
    QLineEdit *m_masterKey; // read-only: where the secrets' key is
    QComboBox *m_language;
    QCheckBox *m_closeToTray;
    QLineEdit *m_prefix;
    DurationEdit *m_timeout;
    QSpinBox *m_retention;
    QSpinBox *m_perWebhook;
    QSpinBox *m_perHost;
    DurationEdit *m_slowAfter;
    DurationEdit *m_grace;
    QSpinBox *m_alertInRow;
    QSpinBox *m_alertRate;
    QComboBox *m_alertEvents;
    QString m_alertEventsValue; // the stored one, chosen once the webhooks are listed
    QLineEdit *m_caFile;
    QCheckBox *m_insecure;
    QCheckBox *m_private;
    QLabel *m_problem;
};

} // namespace hookline
