#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace hookline {

class AppContext;
class AuditModel;

// Tools → Audit log: who changed what and when, newest first, filtered as
// you type. Read on the database thread; the window never waits for it.
class AuditDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditDialog)

public:
    static constexpr int kShown = 1000; // the newest this many

    explicit AuditDialog(AppContext &context, QWidget *parent = nullptr);
    AuditModel *model() const { return m_model; }

Q_SIGNALS:
    void loaded();

private:
    void load();

    AppContext &m_context;
    AuditModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QTableView *m_table;
    QLineEdit *m_filter;
    QLabel *m_status;
};

} // namespace hookline
