#pragma once

#include "model/EventType.h"

#include <QStringList>
#include <QWidget>

class QCheckBox;
class QTreeWidget;
class QTreeWidgetItem;

namespace hookline {

// Event types as checkboxes grouped by resource. A checked group means "all
// of this group" (group.*, which includes types added later); a partly
// checked group lists its checked types; "All events" is *.
class EventTypeTree final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventTypeTree)

public:
    explicit EventTypeTree(QWidget *parent = nullptr);

    void setCatalog(const QList<EventType> &types);
    void setPatterns(const QStringList &patterns);
    QStringList patterns() const;

    QTreeWidget *tree() const { return m_tree; }
    QCheckBox *allEvents() const { return m_all; }

Q_SIGNALS:
    void changed();

private:
    QTreeWidgetItem *groupItem(const QString &group) const;

    QCheckBox *m_all;
    QTreeWidget *m_tree;
    bool m_updating = false;
    QStringList m_loaded; // the patterns last set from outside
};

} // namespace hookline
