#include "CatalogDialog.h"

#include "AppContext.h"
#include "service/CatalogService.h"

#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTableWidget>
#include <QVBoxLayout>

namespace hookline {

CatalogDialog::CatalogDialog(AppContext &context, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_table(new QTableWidget(0, 3, this))
    , m_name(new QLineEdit(this))
    , m_description(new QLineEdit(this))
    , m_sample(new QPlainTextEdit(this))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Event catalog"));
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Group"), tr("Description")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setTabKeyNavigation(false);
    m_table->setAccessibleName(tr("Event types"));
    m_name->setAccessibleName(tr("Event type name"));
    m_name->setPlaceholderText(QStringLiteral("lead.created"));
    m_description->setAccessibleName(tr("Event type description"));
    m_sample->setAccessibleName(tr("Sample payload"));
    m_sample->setFont(QFont(QStringLiteral("monospace")));
    m_sample->setTabChangesFocus(true);
    m_message->setWordWrap(true);
    m_message->setAccessibleDescription(tr("Catalog message")); // its text is the name a screen reader reads

    auto *form = new QFormLayout;
    const auto row = [form](const QString &text, QWidget *field) {
        auto *label = new QLabel(text);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    row(tr("&Name:"), m_name);
    row(tr("&Description:"), m_description);
    row(tr("Sample &payload:"), m_sample);
    auto *save = new QPushButton(tr("&Save type"), this);
    auto *add = new QPushButton(tr("New t&ype"), this);
    auto *remove = new QPushButton(tr("De&lete type"), this);
    auto *import = new QPushButton(tr("&Import…"), this);
    auto *exportButton = new QPushButton(tr("E&xport…"), this);
    for (auto *b : {save, add, remove, import, exportButton})
        b->setAccessibleName(b->text().remove(u'&').remove(QStringLiteral("…")));
    auto *editButtons = new QHBoxLayout;
    editButtons->addWidget(add);
    editButtons->addWidget(save);
    editButtons->addWidget(remove);
    editButtons->addStretch();
    editButtons->addWidget(import);
    editButtons->addWidget(exportButton);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_table, &QTableWidget::currentCellChanged, this, [this](int row) { showType(row); });
    connect(add, &QPushButton::clicked, this, [this] {
        m_table->clearSelection();
        m_name->clear();
        m_description->clear();
        m_sample->setPlainText(QStringLiteral("{\n}"));
        m_name->setFocus();
    });
    connect(save, &QPushButton::clicked, this, &CatalogDialog::saveType);
    connect(remove, &QPushButton::clicked, this, &CatalogDialog::deleteType);
    connect(import, &QPushButton::clicked, this, &CatalogDialog::importFile);
    connect(exportButton, &QPushButton::clicked, this, &CatalogDialog::exportFile);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(form);
    layout->addLayout(editButtons);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(860, 680);
    reload();
}

void CatalogDialog::reload()
{
    m_context.db().run<QList<EventType>>(
        [](QSqlDatabase db) {
            auto types = CatalogService(db).list();
            return types ? *types : QList<EventType>{};
        },
        this,
        [this](QList<EventType> types) {
            m_types = types;
            m_table->setRowCount(int(types.size()));
            for (int i = 0; i < types.size(); ++i) {
                m_table->setItem(i, 0, new QTableWidgetItem(types[i].name));
                m_table->setItem(i, 1, new QTableWidgetItem(types[i].group));
                m_table->setItem(i, 2, new QTableWidgetItem(types[i].description));
            }
            m_table->resizeColumnToContents(0);
        });
}

void CatalogDialog::showType(int row)
{
    if (row < 0 || row >= m_types.size())
        return;
    const auto &t = m_types.at(row);
    m_name->setText(t.name);
    m_description->setText(t.description);
    m_sample->setPlainText(QString::fromUtf8(QJsonDocument::fromJson(t.samplePayload).toJson(QJsonDocument::Indented)));
}

void CatalogDialog::saveType()
{
    EventType t;
    t.name = m_name->text().trimmed();
    t.group = EventType::groupOf(t.name);
    t.description = m_description->text().trimmed();
    t.samplePayload = m_sample->toPlainText().toUtf8();
    t.catalog = QStringLiteral("custom");
    const auto job = [t](QSqlDatabase db) { return CatalogService(db).save(t); };
    m_context.db().run<Status>(job, this, [this, t](Status s) {
        m_message->setText(s ? tr("%1 saved.").arg(t.name) : s.error().message);
        if (s) {
            reload();
            m_context.notifyCatalogChanged();
        }
    });
}

void CatalogDialog::deleteType()
{
    const auto name = m_name->text().trimmed();
    if (name.isEmpty() || QMessageBox::question(this, tr("Delete event type"), tr("Delete %1 from the catalog?").arg(name)) != QMessageBox::Yes)
        return;
    const auto job = [name](QSqlDatabase db) { return CatalogService(db).remove(name); };
    m_context.db().run<Status>(job, this, [this, name](Status s) {
        m_message->setText(s ? tr("%1 deleted.").arg(name) : s.error().message);
        if (s) {
            reload();
            m_context.notifyCatalogChanged();
        }
    });
}

void CatalogDialog::importFile()
{
    const auto path = QFileDialog::getOpenFileName(this, tr("Import catalog"), {}, tr("JSON files (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_message->setText(tr("Cannot read %1: %2").arg(path, file.errorString()));
        return;
    }
    const auto text = file.readAll();
    m_context.db().run<Result<CatalogService::ImportReport>>(
        [text](QSqlDatabase db) { return CatalogService(db).importFile(text); }, this,
        [this](Result<CatalogService::ImportReport> r) {
            if (!r) {
                m_message->setText(tr("Nothing imported: %1").arg(r.error().message));
                return;
            }
            m_message->setText(tr("%1 added, %2 updated, %3 unchanged.").arg(r->added.size()).arg(r->updated.size()).arg(r->unchanged.size()));
            reload();
            m_context.notifyCatalogChanged();
        });
}

void CatalogDialog::exportFile()
{
    const auto path = QFileDialog::getSaveFileName(this, tr("Export catalog"), QStringLiteral("catalog.json"), tr("JSON files (*.json)"));
    if (path.isEmpty())
        return;
    const auto job = [](QSqlDatabase db) { return CatalogService(db).exportCatalog(); };
    m_context.db().run<Result<QByteArray>>(job, this, [this, path](Result<QByteArray> text) {
        if (!text) {
            m_message->setText(text.error().message);
            return;
        }
        QSaveFile file(path);
        const bool ok = file.open(QIODevice::WriteOnly) && file.write(*text) == text->size() && file.commit();
        m_message->setText(ok ? tr("Exported to %1.").arg(path) : tr("Cannot write %1: %2").arg(path, file.errorString()));
    });
}

} // namespace hookline
