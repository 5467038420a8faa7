#include "EventTypeTree.h"

#include <QCheckBox>
#include <QKeyEvent>
#include <QScrollArea>
#include <QVBoxLayout>

namespace hookline {

namespace {
constexpr char kNameProperty[] = "hooklinePattern";
constexpr int kIndent = 22;

// A click on a partly checked group takes the whole group, as in file
// managers and installers; the partial state is only ever shown, never chosen.
class GroupCheckBox final : public QCheckBox {
public:
    using QCheckBox::QCheckBox;

protected:
    void nextCheckState() override { setCheckState(checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked); }
};

QString patternOf(const QCheckBox *box)
{
    return box->property(kNameProperty).toString();
}
} // namespace

EventTypeTree::EventTypeTree(QWidget *parent)
    : QWidget(parent)
    , m_all(new QCheckBox(tr("All events (*), &including types added later"), this))
    , m_scroll(new QScrollArea(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_all);
    layout->addWidget(m_scroll, 1);
    m_all->setAccessibleName(tr("All events"));
    m_all->setAccessibleDescription(tr("Subscribe to every event type, including types added to the catalog later"));
    m_scroll->setWidgetResizable(true);
    clear();
    m_scroll->setFocusPolicy(Qt::NoFocus); // the boxes take focus, not the viewport
    connect(m_all, &QCheckBox::toggled, this, [this](bool on) {
        m_scroll->setEnabled(!on);
        if (!m_updating)
            Q_EMIT changed();
    });
}

void EventTypeTree::clear()
{
    m_groups.clear();
    // A new list widget: the old one and every box in it go at once.
    m_list = new QWidget;
    m_list->setAccessibleName(tr("Event types"));
    m_list->setAccessibleDescription(tr("Check the event types this webhook receives; a checked group means all of that group"));
    m_listLayout = new QVBoxLayout(m_list);
    m_listLayout->setSpacing(2);
    delete m_scroll->takeWidget();
    m_scroll->setWidget(m_list);
}

void EventTypeTree::setCatalog(const QList<EventType> &types)
{
    // What the user ticked stays ticked (a catalog reload must not undo
    // unsaved edits); what was loaded from outside stays what it was.
    const auto current = patterns();
    const auto loaded = m_loaded;
    m_updating = true;
    clear();
    for (const auto &t : types) {
        if (t.name == EventType::testEventName())
            continue; // sent on demand, never subscribed
        auto group = std::find_if(m_groups.begin(), m_groups.end(), [&](const Group &g) { return g.name == t.group; });
        if (group == m_groups.end()) {
            Group g;
            g.name = t.group;
            g.box = new GroupCheckBox(t.group, m_list);
            g.box->setTristate(true);
            g.box->setProperty(kNameProperty, QString(t.group + QStringLiteral(".*")));
            g.box->setAccessibleName(tr("Group %1, all its events").arg(t.group));
            g.box->setAccessibleDescription(tr("Checked: every %1 event, including types added later (%1.*)").arg(t.group));
            g.box->setToolTip(g.box->accessibleDescription());
            QFont bold = g.box->font();
            bold.setBold(true);
            g.box->setFont(bold);
            m_groups.append(g);
            group = std::prev(m_groups.end());
        }
        auto *box = new QCheckBox(t.name, m_list);
        box->setProperty(kNameProperty, t.name);
        box->setToolTip(t.description);
        box->setAccessibleDescription(t.description);
        group->types.append(box);
    }
    // Groups keep their types together, in catalog order, types indented.
    for (int i = 0; i < m_groups.size(); ++i) {
        const auto &g = m_groups.at(i);
        m_listLayout->addWidget(g.box);
        for (auto *box : g.types) {
            auto *row = new QHBoxLayout;
            row->addSpacing(kIndent);
            row->addWidget(box, 1);
            m_listLayout->addLayout(row);
            // toggled, not clicked: assistive tools tick a box through its Toggle action.
            connect(box, &QCheckBox::toggled, this, [this, i] { typeToggled(m_groups[i]); });
        }
        connect(g.box, &QCheckBox::stateChanged, this, [this, i] { groupChanged(m_groups[i]); });
    }
    m_listLayout->addStretch();
    m_list->show(); // set into a visible scroll area, a widget stays hidden otherwise
    const auto all = boxes();
    // New boxes join the window's focus chain at its end: put them back
    // right after "All events", where they are on screen.
    QWidget *previous = m_all;
    for (auto *box : all) {
        box->installEventFilter(this);
        setTabOrder(previous, box);
        previous = box;
    }
    if (!all.isEmpty())
        makeCurrent(all.constFirst());
    m_updating = false;
    setPatterns(current);
    m_loaded = loaded;
}

QWidget *EventTypeTree::listArea() const
{
    return m_scroll;
}

QList<QCheckBox *> EventTypeTree::boxes() const
{
    QList<QCheckBox *> out;
    for (const auto &g : m_groups) {
        out << g.box;
        out << g.types;
    }
    return out;
}

QCheckBox *EventTypeTree::typeBox(const QString &name) const
{
    for (const auto &g : m_groups) {
        for (auto *box : g.types) {
            if (patternOf(box) == name)
                return box;
        }
    }
    return nullptr;
}

QCheckBox *EventTypeTree::groupBox(const QString &group) const
{
    for (const auto &g : m_groups) {
        if (g.name == group)
            return g.box;
    }
    return nullptr;
}

QList<QCheckBox *> EventTypeTree::typeBoxes(const QString &group) const
{
    for (const auto &g : m_groups) {
        if (g.name == group)
            return g.types;
    }
    return {};
}

void EventTypeTree::groupChanged(Group &group)
{
    if (m_updating)
        return;
    const auto state = group.box->checkState();
    if (state == Qt::PartiallyChecked)
        return;
    m_updating = true;
    for (auto *box : std::as_const(group.types))
        box->setChecked(state == Qt::Checked);
    m_updating = false;
    Q_EMIT changed();
}

void EventTypeTree::typeToggled(Group &group)
{
    if (m_updating)
        return;
    m_updating = true;
    updateGroupState(group);
    m_updating = false;
    Q_EMIT changed();
}

void EventTypeTree::updateGroupState(const Group &group)
{
    const auto checked = std::count_if(group.types.cbegin(), group.types.cend(), [](const QCheckBox *b) { return b->isChecked(); });
    group.box->setCheckState(checked == 0 ? Qt::Unchecked : (checked == group.types.size() ? Qt::Checked : Qt::PartiallyChecked));
}

void EventTypeTree::setPatterns(const QStringList &patterns)
{
    m_loaded = patterns;
    m_updating = true;
    m_all->setChecked(patterns.contains(QStringLiteral("*")));
    m_scroll->setEnabled(!m_all->isChecked());
    for (const auto &g : std::as_const(m_groups)) {
        const bool whole = patterns.contains(patternOf(g.box));
        for (auto *box : g.types)
            box->setChecked(whole || patterns.contains(patternOf(box)));
        updateGroupState(g);
    }
    m_updating = false;
}

QStringList EventTypeTree::patterns() const
{
    if (m_all->isChecked())
        return {QStringLiteral("*")};
    QStringList out;
    for (const auto &g : m_groups) {
        if (g.box->checkState() == Qt::Checked) {
            // A whole group is "group.*" (types added later included), unless
            // the webhook was loaded listing every one of them by name: then
            // it stays that way, and saving does not widen the subscription.
            bool namedOneByOne = !m_loaded.contains(patternOf(g.box));
            for (int j = 0; j < g.types.size() && namedOneByOne; ++j)
                namedOneByOne = m_loaded.contains(patternOf(g.types.at(j)));
            if (!namedOneByOne) {
                out << patternOf(g.box);
                continue;
            }
        }
        for (auto *box : g.types) {
            if (box->isChecked())
                out << patternOf(box);
        }
    }
    return out;
}

void EventTypeTree::makeCurrent(QCheckBox *box)
{
    // One Tab stop for the whole list (the box last visited); the others
    // are reached with the arrow keys.
    for (auto *b : boxes())
        b->setFocusPolicy(b == box ? Qt::StrongFocus : Qt::ClickFocus);
}

bool EventTypeTree::eventFilter(QObject *watched, QEvent *event)
{
    auto *box = qobject_cast<QCheckBox *>(watched);
    if (!box)
        return QWidget::eventFilter(watched, event);
    if (event->type() == QEvent::FocusIn) {
        makeCurrent(box);
        m_scroll->ensureWidgetVisible(box);
    } else if (event->type() == QEvent::KeyPress) {
        const auto all = boxes();
        const auto at = all.indexOf(box);
        int to = -1;
        switch (static_cast<QKeyEvent *>(event)->key()) {
        case Qt::Key_Up: to = at - 1; break;
        case Qt::Key_Down: to = at + 1; break;
        case Qt::Key_Home: to = 0; break;
        case Qt::Key_End: to = int(all.size()) - 1; break;
        case Qt::Key_PageUp: to = std::max(0, int(at) - 10); break;
        case Qt::Key_PageDown: to = std::min(int(all.size()) - 1, int(at) + 10); break;
        default: break;
        }
        if (to >= 0 && to < all.size()) {
            all.at(to)->setFocus(Qt::OtherFocusReason);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace hookline
