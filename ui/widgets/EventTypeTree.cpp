#include "EventTypeTree.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hookline {

namespace {
constexpr int kNameRole = Qt::UserRole + 1;
}

EventTypeTree::EventTypeTree(QWidget *parent)
    : QWidget(parent)
    , m_all(new QCheckBox(tr("All events (*), &including types added later"), this))
    , m_tree(new QTreeWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_all);
    layout->addWidget(m_tree);
    m_all->setAccessibleName(tr("All events"));
    m_all->setAccessibleDescription(tr("Subscribe to every event type, including types added to the catalog later"));
    m_tree->setHeaderHidden(true);
    m_tree->setColumnCount(1);
    m_tree->setAccessibleName(tr("Event types"));
    m_tree->setAccessibleDescription(tr("Check the event types this webhook receives; a checked group means all of that group"));
    m_tree->setUniformRowHeights(true);
    connect(m_all, &QCheckBox::toggled, this, [this](bool on) {
        m_tree->setEnabled(!on);
        if (!m_updating)
            Q_EMIT changed();
    });
    connect(m_tree, &QTreeWidget::itemChanged, this, [this] {
        if (!m_updating)
            Q_EMIT changed();
    });
}

void EventTypeTree::setCatalog(const QList<EventType> &types)
{
    const auto current = patterns();
    m_updating = true;
    m_tree->clear();
    for (const auto &t : types) {
        if (t.name == EventType::testEventName())
            continue; // sent on demand, never subscribed
        auto *group = groupItem(t.group);
        if (!group) {
            group = new QTreeWidgetItem(m_tree, {t.group});
            group->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable | Qt::ItemIsAutoTristate);
            group->setCheckState(0, Qt::Unchecked);
            group->setData(0, kNameRole, QString(t.group + QStringLiteral(".*")));
            group->setToolTip(0, tr("Checked: every %1 event, including types added later (%1.*)").arg(t.group));
            group->setExpanded(true);
        }
        auto *item = new QTreeWidgetItem(group, {t.name});
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(0, Qt::Unchecked);
        item->setData(0, kNameRole, t.name);
        item->setToolTip(0, t.description);
        item->setData(0, Qt::AccessibleDescriptionRole, t.description);
    }
    m_updating = false;
    setPatterns(current);
}

QTreeWidgetItem *EventTypeTree::groupItem(const QString &group) const
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        if (m_tree->topLevelItem(i)->text(0) == group)
            return m_tree->topLevelItem(i);
    }
    return nullptr;
}

void EventTypeTree::setPatterns(const QStringList &patterns)
{
    m_loaded = patterns;
    m_updating = true;
    m_all->setChecked(patterns.contains(QStringLiteral("*")));
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        auto *group = m_tree->topLevelItem(i);
        const bool whole = patterns.contains(group->data(0, kNameRole).toString());
        for (int j = 0; j < group->childCount(); ++j) {
            auto *item = group->child(j);
            item->setCheckState(0, whole || patterns.contains(item->data(0, kNameRole).toString()) ? Qt::Checked : Qt::Unchecked);
        }
    }
    m_updating = false;
}

QStringList EventTypeTree::patterns() const
{
    if (m_all->isChecked())
        return {QStringLiteral("*")};
    QStringList out;
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        auto *group = m_tree->topLevelItem(i);
        if (group->checkState(0) == Qt::Checked) {
            // A whole group is "group.*" (types added later included), unless
            // the webhook was loaded listing every one of them by name: then
            // it stays that way, and saving does not widen the subscription.
            bool namedOneByOne = !m_loaded.contains(group->data(0, kNameRole).toString());
            for (int j = 0; j < group->childCount() && namedOneByOne; ++j)
                namedOneByOne = m_loaded.contains(group->child(j)->data(0, kNameRole).toString());
            if (!namedOneByOne) {
                out << group->data(0, kNameRole).toString();
                continue;
            }
        }
        for (int j = 0; j < group->childCount(); ++j) {
            if (group->child(j)->checkState(0) == Qt::Checked)
                out << group->child(j)->data(0, kNameRole).toString();
        }
    }
    return out;
}

} // namespace hookline
