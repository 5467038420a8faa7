#pragma once

#include "model/EventType.h"
#include "model/Webhook.h"
#include "service/WebhookValidator.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace hookline {

class AppContext;
class DurationEdit;
class EventTypeTree;
class HeadersEditor;
class RetryTimeline;

// A webhook's settings: validated as they are typed, saved through the
// service on the database thread. Save stays disabled until the form is valid.
class WebhookForm final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookForm)

public:
    explicit WebhookForm(AppContext &context, QWidget *parent = nullptr);

    void setWebhook(const Webhook &webhook);
    void newWebhook();
    Webhook webhook() const; // the form's values over the loaded webhook
    bool isDirty() const;
    bool isNew() const { return m_original.id.isEmpty(); }
    // The first problem, or empty when the form can be saved.
    QString problem() const;
    // The field at fault (as the validator names it: "url", "events", ...), or empty.
    QString problemField() const;

    void setCatalog(const QList<EventType> &types);
    void setValidationContext(const WebhookValidator::Context &context);

    EventTypeTree *events() const { return m_events; }
    RetryTimeline *timeline() const { return m_timeline; }
    QPushButton *saveButton() const { return m_save; }
    QLineEdit *urlEdit() const { return m_url; }
    QLabel *urlHint() const { return m_urlHint; }
    QLabel *eventsProblem() const { return m_eventsProblem; }
    QLabel *formProblem() const { return m_problem; }
    // Where the problem of a field is shown, and the widget that gets focus for it.
    QLabel *problemLabelFor(const QString &field) const;

public Q_SLOTS:
    void save();
    void revert();
    void preview();

Q_SIGNALS:
    void saved(const QString &id);
    void dirtyChanged(bool dirty);

private:
    enum class Section { General, Events, Headers, Retries, Transform };

    void buildUi();
    void updateState();
    void touch(Section section);
    static Section sectionOf(const QString &field);
    QWidget *focusTargetFor(const QString &field) const;
    QString urlNote() const;
    QString urlRule() const;
    // Each section's problems, in the order of the form; empty when it can be saved.
    QList<Error> problems() const;
    QString sentence(const Error &problem) const;
    RetryPolicy policy() const;

    AppContext &m_context;
    Webhook m_original;
    Webhook m_shown; // the form's values right after loading m_original
    QList<EventType> m_catalog;
    WebhookValidator::Context m_validation;
    bool m_loading = false;
    bool m_saving = false;
    // Problems show once their section was edited, or everywhere once Save was
    // pressed: an untouched new form is not an error.
    unsigned m_touched = 0; // a bit per Section
    QString m_saveError;    // why the last save failed, shown beside Save
    bool m_showAllProblems = false;

    QLineEdit *m_name = nullptr;
    QLineEdit *m_url = nullptr;
    QLabel *m_urlHint = nullptr;
    QLabel *m_generalProblem = nullptr;
    QLabel *m_eventsProblem = nullptr;
    QLabel *m_retryProblem = nullptr;
    QLabel *m_transformProblem = nullptr;
    QLineEdit *m_description = nullptr;
    QComboBox *m_scheme = nullptr;
    QCheckBox *m_active = nullptr;
    QLineEdit *m_tenant = nullptr;
    EventTypeTree *m_events = nullptr;
    HeadersEditor *m_headers = nullptr;
    QSpinBox *m_maxRetries = nullptr;
    DurationEdit *m_delay = nullptr;
    QComboBox *m_strategy = nullptr;
    QLineEdit *m_schedule = nullptr;
    QDoubleSpinBox *m_jitter = nullptr;
    QSpinBox *m_autoDisable = nullptr;
    QSpinBox *m_retention = nullptr;
    QSpinBox *m_maxInFlight = nullptr;
    RetryTimeline *m_timeline = nullptr;
    QPlainTextEdit *m_transform = nullptr;
    QComboBox *m_previewType = nullptr;
    QPushButton *m_previewButton = nullptr;
    QPlainTextEdit *m_previewOutput = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_revert = nullptr;
};

} // namespace hookline
