#include "TenantsDialog.h"

#include "AppContext.h"
#include "dialogs/NewKeyDialog.h"
#include "dialogs/PlanDialog.h"
#include "models/ApiKeyModel.h"
#include "models/TenantModel.h"
#include "service/ApiKeyService.h"
#include "service/PlanService.h"
#include "service/TenantService.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace hookline {

namespace {
QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *table = new QTableView(parent);
    table->setModel(model);
    table->setSortingEnabled(true);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setTabKeyNavigation(false);
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    table->setAccessibleName(name);
    return table;
}
} // namespace

TenantsDialog::TenantsDialog(AppContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_tenants(new TenantModel(this))
    , m_keys(new ApiKeyModel(this))
    , m_tenantProxy(new QSortFilterProxyModel(this))
    , m_keyProxy(new QSortFilterProxyModel(this))
    , m_tenantTable(nullptr)
    , m_keyTable(nullptr)
    , m_plan(new QComboBox(this))
    , m_changePlan(new QPushButton(tr("C&hange plan"), this))
    , m_newTenant(new QLineEdit(this))
    , m_newTenantPlan(new QComboBox(this))
    , m_addTenant(new QPushButton(tr("Add &tenant"), this))
    , m_addPlan(new QPushButton(tr("New &plan…"), this))
    , m_keyName(new QLineEdit(this))
    , m_admin(new QCheckBox(tr("Ad&min key (every tenant)"), this))
    , m_createKey(new QPushButton(tr("&Create key"), this))
    , m_revoke(new QPushButton(tr("&Revoke key…"), this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Tenants and API keys"));
    m_tenantProxy->setSourceModel(m_tenants);
    m_tenantProxy->setSortRole(TenantModel::RawDataRole);
    m_keyProxy->setSourceModel(m_keys);
    m_keyProxy->setSortRole(ApiKeyModel::RawDataRole);
    m_tenantTable = makeTable(m_tenantProxy, tr("Tenants"), this);
    m_keyTable = makeTable(m_keyProxy, tr("API keys"), this);
    m_tenantTable->sortByColumn(TenantModel::Id, Qt::AscendingOrder);
    m_keyTable->sortByColumn(ApiKeyModel::Created, Qt::DescendingOrder);

    m_plan->setAccessibleName(tr("Plan of the selected tenant"));
    m_changePlan->setAccessibleName(tr("Change the selected tenant's plan"));
    m_newTenant->setPlaceholderText(tr("acme"));
    m_newTenant->setAccessibleName(tr("New tenant id"));
    m_newTenant->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z0-9._-]{1,64}")), m_newTenant));
    m_newTenantPlan->setAccessibleName(tr("Plan of the new tenant"));
    m_newTenantPlan->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_addTenant->setAccessibleName(tr("Add the tenant"));
    m_addPlan->setAccessibleName(tr("Define a new plan"));
    m_keyName->setPlaceholderText(tr("e.g. CRM production"));
    m_keyName->setAccessibleName(tr("Name of the new key"));
    m_admin->setAccessibleName(tr("Admin key for every tenant"));
    m_createKey->setAccessibleName(tr("Create an API key"));
    m_revoke->setAccessibleName(tr("Revoke the selected API key"));
    m_status->setAccessibleDescription(tr("Tenants and API keys status"));
    m_status->setWordWrap(true);

    connect(m_tenantTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        // The plan box shows the selected tenant's plan; changing it is the next step.
        const int row = m_tenants->rowOf(selectedTenant());
        if (row >= 0)
            m_plan->setCurrentIndex(m_plan->findData(m_tenants->index(row, TenantModel::PlanName).data()));
        updateButtons();
    });
    connect(m_keyTable->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TenantsDialog::updateButtons);
    connect(m_plan, &QComboBox::currentTextChanged, this, &TenantsDialog::updateButtons);
    connect(m_newTenant, &QLineEdit::textChanged, this, &TenantsDialog::updateButtons);
    connect(m_admin, &QCheckBox::toggled, this, &TenantsDialog::updateButtons);
    connect(m_changePlan, &QPushButton::clicked, this, &TenantsDialog::changePlan);
    connect(m_addTenant, &QPushButton::clicked, this, &TenantsDialog::addTenant);
    connect(m_addPlan, &QPushButton::clicked, this, &TenantsDialog::addPlan);
    connect(m_createKey, &QPushButton::clicked, this, &TenantsDialog::createKey);
    connect(m_revoke, &QPushButton::clicked, this, &TenantsDialog::revokeKey);

    auto *tenantsBox = new QGroupBox(tr("Tenants"), this);
    auto *planRow = new QHBoxLayout;
    auto *planLabel = new QLabel(tr("P&lan:"), this);
    planLabel->setBuddy(m_plan);
    planRow->addWidget(planLabel);
    planRow->addWidget(m_plan, 1);
    planRow->addWidget(m_changePlan);
    planRow->addWidget(m_addPlan);
    auto *newRow = new QHBoxLayout;
    auto *newLabel = new QLabel(tr("&New tenant:"), this);
    newLabel->setBuddy(m_newTenant);
    newRow->addWidget(newLabel);
    newRow->addWidget(m_newTenant, 1);
    newRow->addWidget(m_newTenantPlan);
    newRow->addWidget(m_addTenant);
    auto *tenantsLayout = new QVBoxLayout(tenantsBox);
    tenantsLayout->addWidget(m_tenantTable, 1);
    tenantsLayout->addLayout(planRow);
    tenantsLayout->addLayout(newRow);

    auto *keysBox = new QGroupBox(tr("API keys"), this);
    auto *keyRow = new QHBoxLayout;
    auto *keyLabel = new QLabel(tr("Key &name:"), this);
    keyLabel->setBuddy(m_keyName);
    keyRow->addWidget(keyLabel);
    keyRow->addWidget(m_keyName, 1);
    keyRow->addWidget(m_admin);
    keyRow->addWidget(m_createKey);
    keyRow->addWidget(m_revoke);
    auto *keysLayout = new QVBoxLayout(keysBox);
    auto *keysNote = new QLabel(tr("A new key belongs to the tenant selected above, or to every tenant when it is an admin key."), this);
    keysNote->setWordWrap(true);
    keysLayout->addWidget(m_keyTable, 1);
    keysLayout->addWidget(keysNote);
    keysLayout->addLayout(keyRow);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tenantsBox, 1);
    layout->addWidget(keysBox, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(900, 680);
    updateButtons();
    load();
}

void TenantsDialog::report(const QString &text)
{
    m_status->setText(text);
}

void TenantsDialog::load()
{
    m_context.db().run<Result<Snapshot>>(
        [](QSqlDatabase db) -> Result<Snapshot> {
            auto tenants = TenantService(db).list();
            if (!tenants)
                return tenants.error();
            auto plans = PlanService(db).list();
            if (!plans)
                return plans.error();
            auto keys = ApiKeyService(db).list();
            if (!keys)
                return keys.error();
            return Snapshot{std::move(*tenants), std::move(*plans), std::move(*keys)};
        },
        this,
        [this](Result<Snapshot> snapshot) {
            if (!snapshot) {
                report(snapshot.error().message);
                return;
            }
            show(std::move(*snapshot));
        });
}

void TenantsDialog::show(Snapshot snapshot)
{
    const QString selected = selectedTenant();
    QStringList planNames;
    for (const auto &p : std::as_const(snapshot.plans))
        planNames << p.name;
    for (auto *combo : {m_plan, m_newTenantPlan}) {
        const QString current = combo->currentData().toString();
        combo->clear();
        for (const auto &p : std::as_const(snapshot.plans)) {
            combo->addItem(tr("%1 (webhooks: %2; requests a minute: %3)")
                               .arg(p.name, TenantModel::limitText(p.webhookQuota), TenantModel::limitText(p.requestsPerMinute)),
                           p.name);
        }
        const int i = combo->findData(current.isEmpty() ? Plan::unlimitedName() : current);
        combo->setCurrentIndex(i >= 0 ? i : combo->findData(Plan::unlimitedName()));
    }
    m_tenants->setData(std::move(snapshot.tenants), std::move(snapshot.plans));
    m_keys->setKeys(std::move(snapshot.keys));
    m_tenantTable->resizeColumnsToContents();
    m_keyTable->resizeColumnsToContents();
    const int row = m_tenants->rowOf(selected.isEmpty() ? Tenant::defaultId() : selected);
    if (row >= 0)
        m_tenantTable->selectRow(m_tenantProxy->mapFromSource(m_tenants->index(row, 0)).row());
    updateButtons();
    Q_EMIT loaded();
}

QString TenantsDialog::selectedTenant() const
{
    const auto rows = m_tenantTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : m_tenants->tenantAt(m_tenantProxy->mapToSource(rows.first()).row());
}

const ApiKey *TenantsDialog::selectedKey() const
{
    const auto rows = m_keyTable->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : m_keys->keyAt(m_keyProxy->mapToSource(rows.first()).row());
}

void TenantsDialog::updateButtons()
{
    const QString tenant = selectedTenant();
    const int row = m_tenants->rowOf(tenant);
    const QString currentPlan = row >= 0 ? m_tenants->index(row, TenantModel::PlanName).data().toString() : QString();
    m_changePlan->setEnabled(row >= 0 && m_plan->currentData().toString() != currentPlan);
    m_addTenant->setEnabled(Tenant::isValidId(m_newTenant->text()) && m_tenants->rowOf(m_newTenant->text()) < 0);
    m_createKey->setEnabled(m_admin->isChecked() || !tenant.isEmpty());
    const ApiKey *key = selectedKey();
    m_revoke->setEnabled(key && !key->isRevoked());
}

void TenantsDialog::changePlan()
{
    const QString tenant = selectedTenant();
    const QString plan = m_plan->currentData().toString();
    const auto job = [tenant, plan](QSqlDatabase db) { return TenantService(db).setPlan(tenant, plan); };
    m_context.db().run<Result<Tenant>>(job, this, [this](Result<Tenant> t) {
        report(t ? tr("%1 is now on the %2 plan.").arg(t->id, t->plan) : t.error().message);
        load();
    });
}

void TenantsDialog::addTenant()
{
    const QString id = m_newTenant->text();
    const QString plan = m_newTenantPlan->currentData().toString();
    const auto job = [id, plan](QSqlDatabase db) { return TenantService(db).create(id, plan); };
    m_context.db().run<Result<Tenant>>(job, this, [this](Result<Tenant> t) {
        if (t)
            m_newTenant->clear();
        report(t ? tr("Tenant %1 added, on the %2 plan.").arg(t->id, t->plan) : t.error().message);
        load();
    });
}

void TenantsDialog::addPlan()
{
    PlanDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const Plan plan = dialog.plan();
    const auto job = [plan](QSqlDatabase db) { return PlanService(db).add(plan); };
    m_context.db().run<Result<Plan>>(job, this, [this](Result<Plan> p) {
        report(p ? tr("Plan %1 added.").arg(p->name) : p.error().message);
        load();
    });
}

void TenantsDialog::createKey()
{
    const bool admin = m_admin->isChecked();
    const QString tenant = admin ? QString() : selectedTenant();
    const QString name = m_keyName->text().trimmed();
    m_context.db().run<Result<ApiKeyService::Created>>(
        [tenant, name, admin](QSqlDatabase db) { return ApiKeyService(db).create(tenant, name, admin); }, this,
        [this, tenant, admin](Result<ApiKeyService::Created> created) {
            if (!created) {
                report(created.error().message);
                return;
            }
            m_keyName->clear();
            report(tr("Key %1 created.").arg(created->key.hint));
            load();
            auto *shown = new NewKeyDialog(created->text, admin ? tr("every tenant (admin)") : tr("tenant %1").arg(tenant), this);
            shown->setAttribute(Qt::WA_DeleteOnClose);
            shown->open();
            created->text.fill(u'\0'); // the dialog holds the only copy now
        });
}

void TenantsDialog::revokeKey()
{
    const ApiKey *key = selectedKey();
    if (!key)
        return;
    const QString id = key->id;
    const QString name = m_keyTable->selectionModel()->selectedRows().first().siblingAtColumn(ApiKeyModel::Name).data().toString();
    const auto answer = QMessageBox::question(this, tr("Revoke the key?"),
                                              tr("Revoke the API key \"%1\"? Every request made with it is refused from now on; "
                                                 "a running server stops taking it within a second.")
                                                  .arg(name),
                                              QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    const auto job = [id](QSqlDatabase db) { return ApiKeyService(db).revoke(id); };
    m_context.db().run<Status>(job, this, [this, name](Status s) {
        report(s ? tr("Key \"%1\" revoked.").arg(name) : s.error().message);
        load();
    });
}

} // namespace hookline
