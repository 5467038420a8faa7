#pragma once

#include "model/EventType.h"

#include <QList>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QScrollArea;
class QVBoxLayout;

namespace hookline {

// Event types as check boxes grouped by resource. A checked group means "all
// of this group" (group.*, which includes types added later); a partly
// checked group lists its checked types; "All events" is *.
//
// Real check boxes, not the items of a QTreeWidget: in Qt 6.4 an item view's
// cells tell AT-SPI neither that an unticked item is checkable nor how to tick
// it (their Toggle action selects the row), so a screen reader said nothing of
// the state and assistive tools could not subscribe. A check box says both.
// The list is one Tab stop; the arrow keys move between its boxes.
class EventTypeTree final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventTypeTree)

public:
    explicit EventTypeTree(QWidget *parent = nullptr);

    void setCatalog(const QList<EventType> &types);
    void setPatterns(const QStringList &patterns);
    QStringList patterns() const;

    QCheckBox *allEvents() const { return m_all; }
    // The scrolling list of boxes (disabled while "All events" is checked).
    QWidget *listArea() const;
    // The box of one event type ("lead.created") or of a whole group ("lead").
    QCheckBox *typeBox(const QString &name) const;
    QCheckBox *groupBox(const QString &group) const;
    QList<QCheckBox *> typeBoxes(const QString &group) const;
    // Every box of the list, top to bottom, groups before their types.
    QList<QCheckBox *> boxes() const;

Q_SIGNALS:
    void changed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    struct Group {
        QString name;
        QCheckBox *box = nullptr;
        QList<QCheckBox *> types;
    };

    void groupChanged(Group &group);
    void typeToggled(Group &group);
    static void updateGroupState(const Group &group);
    void makeCurrent(QCheckBox *box);
    void clear();

    QCheckBox *m_all;
    QScrollArea *m_scroll;
    QWidget *m_list = nullptr;
    QVBoxLayout *m_listLayout = nullptr;
    QList<Group> m_groups;
    bool m_updating = false;
    QStringList m_loaded; // the patterns last set from outside
};

} // namespace hookline
