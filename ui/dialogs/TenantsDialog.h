#pragma once

#include "model/ApiKey.h"
#include "model/Plan.h"
#include "model/Tenant.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace hookline {

class AppContext;
class ApiKeyModel;
class TenantModel;

// Tools → Tenants and API keys: the tenants and their plans (change a plan,
// add a tenant or a plan), and the REST API's keys (make one, shown once
// with a Copy button; revoke one). Every read and write runs on the
// database thread.
class TenantsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TenantsDialog)
public:
    explicit TenantsDialog(AppContext &context, QWidget *parent = nullptr);

Q_SIGNALS:
    void loaded(); // for tests: both tables hold what the database holds

private:
    struct Snapshot {
        QList<Tenant> tenants;
        QList<Plan> plans;
        QList<ApiKey> keys;
    };
    void load();
    void show(Snapshot snapshot);
    QString selectedTenant() const;
    const ApiKey *selectedKey() const; // in the model: valid until it loads again
    void updateButtons();
    void changePlan();
    void addTenant();
    void addPlan();
    void createKey();
    void revokeKey();
    void report(const QString &text);

    AppContext &m_context;
    TenantModel *m_tenants;
    ApiKeyModel *m_keys;
    QSortFilterProxyModel *m_tenantProxy;
    QSortFilterProxyModel *m_keyProxy;
    QTableView *m_tenantTable;
    QTableView *m_keyTable;
    QComboBox *m_plan;
    QPushButton *m_changePlan;
    QLineEdit *m_newTenant;
    QComboBox *m_newTenantPlan;
    QPushButton *m_addTenant;
    QPushButton *m_addPlan;
    QLineEdit *m_keyName;
    QCheckBox *m_admin;
    QPushButton *m_createKey;
    QPushButton *m_revoke;
    QLabel *m_status;
};

} // namespace hookline
