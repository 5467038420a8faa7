// Accessibility of the window and its dialogs: every visible interactive
// control has an accessible name (walked through QAccessible, the tree screen
// readers see), every menu action is reachable by a shortcut or a mnemonic,
// and Tab reaches the search box, the webhook list and the detail tabs.
// Failures list every offender with its class, object name and parents.

#include "AppContext.h"
#include "MainWindow.h"
#include "dialogs/AboutDialog.h"
#include "dialogs/AttemptDialog.h"
#include "dialogs/CatalogDialog.h"
#include "dialogs/InspectorDialog.h"
#include "dialogs/SendEventDialog.h"
#include "dialogs/SettingsDialog.h"
#include "dialogs/SignatureDebuggerDialog.h"
#include "models/DeliveryHistoryModel.h"
#include "models/WebhookListModel.h"
#include "service/CatalogService.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "store/Sql.h"
#include "support/WindowFixture.h"
#include "widgets/EventTypeTree.h"
#include "widgets/HistoryView.h"
#include "widgets/WebhookForm.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAccessible>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <memory>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {

constexpr int kTimeout = 10000;

// Roles a user operates: each needs a name a screen reader can say.
bool isInteractive(QAccessible::Role role)
{
    switch (role) {
    case QAccessible::PushButton:
    case QAccessible::CheckBox:
    case QAccessible::RadioButton:
    case QAccessible::ComboBox:
    case QAccessible::EditableText:
    case QAccessible::SpinBox:
    case QAccessible::Slider:
    case QAccessible::Dial:
    case QAccessible::List:
    case QAccessible::Table:
    case QAccessible::Tree:
    case QAccessible::TreeItem:
    case QAccessible::PageTab:
    case QAccessible::PageTabList:
    case QAccessible::ButtonMenu:
    case QAccessible::ButtonDropDown:
    case QAccessible::ButtonDropGrid:
    case QAccessible::MenuItem:
    case QAccessible::HotkeyField:
    case QAccessible::Link: return true;
    default: return false;
    }
}

QString roleName(QAccessible::Role role)
{
    return QString::fromLatin1(QMetaEnum::fromType<QAccessible::Role>().valueToKey(role));
}

QString describeObject(const QObject *o)
{
    if (!o)
        return u"(no object)"_s;
    QString s = QString::fromLatin1(o->metaObject()->className());
    if (!o->objectName().isEmpty())
        s += u'#' + o->objectName();
    if (const auto *w = qobject_cast<const QWidget *>(o); w && !w->accessibleName().isEmpty())
        s += u"[\"%1\"]"_s.arg(w->accessibleName());
    return s;
}

QString parentChain(const QObject *o)
{
    QStringList chain;
    for (auto *p = o ? o->parent() : nullptr; p; p = p->parent())
        chain << describeObject(p);
    return chain.join(u" < "_s);
}

QString interfaceChain(QAccessibleInterface *iface)
{
    QStringList chain;
    for (auto *p = iface->parent(); p && chain.size() < 12; p = p->parent()) {
        if (p->object()) {
            chain << describeObject(p->object()) + u" < "_s + parentChain(p->object());
            break;
        }
        chain << roleName(p->role()) + u"(\"%1\")"_s.arg(p->text(QAccessible::Name));
    }
    return chain.join(u" < "_s);
}

// The name a screen reader says. On Linux Qt reports a combo box's current
// text as its Name (its label comes through a relation), so a combo box counts
// as named only with an accessible name of its own or a label pointing at it.
QString effectiveName(QAccessibleInterface *iface)
{
    if (iface->role() == QAccessible::ComboBox) {
        if (const auto *w = qobject_cast<const QWidget *>(iface->object())) {
            if (!w->accessibleName().trimmed().isEmpty())
                return w->accessibleName();
            const auto labels = iface->relations(QAccessible::Labelled);
            for (const auto &[label, relation] : labels) {
                Q_UNUSED(relation);
                if (label && !label->text(QAccessible::Name).trimmed().isEmpty())
                    return label->text(QAccessible::Name);
            }
            return {};
        }
    }
    return iface->text(QAccessible::Name);
}

// Walks the accessible tree below `iface` and lists every visible interactive
// control without a name.
void collectUnnamed(QAccessibleInterface *iface, QStringList &offenders, QSet<QAccessible::Id> &seen, QStringList *named = nullptr, int depth = 0)
{
    if (!iface || !iface->isValid() || depth > 60)
        return;
    const auto id = QAccessible::uniqueId(iface);
    if (seen.contains(id))
        return;
    seen.insert(id);
    const auto state = iface->state();
    if (state.invisible)
        return;
    if (const auto *w = qobject_cast<const QWidget *>(iface->object()); w && !w->isVisible())
        return;
    // A control by its role, or anything Tab stops at: a screen reader announces it by name.
    const auto *widget = qobject_cast<const QWidget *>(iface->object());
    const bool tabStop = widget && (widget->focusPolicy() & Qt::TabFocus) && widget->isEnabled() && !widget->focusProxy();
    if ((isInteractive(iface->role()) || tabStop) && effectiveName(iface).trimmed().isEmpty()) {
        QString line = u"%1 %2"_s.arg(roleName(iface->role()), describeObject(iface->object()));
        if (tabStop && !isInteractive(iface->role()))
            line += u" (a Tab stop)"_s;
        if (iface->object())
            line += u"  parents: "_s + parentChain(iface->object());
        else
            line += u"  (item)  parents: "_s + interfaceChain(iface);
        const auto value = iface->text(QAccessible::Value);
        if (!value.isEmpty())
            line += u"  value: \"%1\""_s.arg(value.left(40));
        if (const auto *w = qobject_cast<const QWidget *>(iface->object()); w && !w->toolTip().isEmpty())
            line += u"  tooltip: \"%1\""_s.arg(w->toolTip().left(60));
        offenders << line;
    } else if (isInteractive(iface->role()) && named) {
        *named << roleName(iface->role()) + u":"_s + effectiveName(iface);
    }
    const int n = iface->childCount();
    for (int i = 0; i < n; ++i)
        collectUnnamed(iface->child(i), offenders, seen, named, depth + 1);
}

QStringList unnamedIn(QWidget *root, QStringList *named = nullptr)
{
    QStringList offenders;
    QSet<QAccessible::Id> seen;
    collectUnnamed(QAccessible::queryAccessibleInterface(root), offenders, seen, named);
    offenders.removeDuplicates();
    return offenders;
}

bool hasMnemonic(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) == u'&') {
            if (text.at(i + 1) != u'&')
                return true;
            ++i;
        }
    }
    return false;
}

QChar mnemonicOf(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) == u'&') {
            if (text.at(i + 1) != u'&')
                return text.at(i + 1).toLower();
            ++i;
        }
    }
    return {};
}

// Alt+letter owners that are live in `window` right now: menu titles, visible
// buttons (tool bar buttons included), labels with a buddy, tabs of visible tab bars.
QMultiMap<QChar, QString> liveMnemonics(QWidget *window)
{
    QMultiMap<QChar, QString> owners;
    const auto add = [&](const QString &text, const QString &what) {
        if (const auto c = mnemonicOf(text); !c.isNull())
            owners.insert(c, u"%1 \"%2\""_s.arg(what, text));
    };
    if (auto *main = qobject_cast<QMainWindow *>(window)) {
        for (auto *a : main->menuBar()->actions())
            add(a->text(), u"menu"_s);
    }
    for (auto *b : window->findChildren<QAbstractButton *>()) {
        if (b->isVisible() && b->isEnabled())
            add(b->text(), QString::fromLatin1(b->metaObject()->className()));
    }
    for (auto *l : window->findChildren<QLabel *>()) {
        if (l->isVisible() && l->buddy())
            add(l->text(), u"label for %1"_s.arg(describeObject(l->buddy())));
    }
    for (auto *bar : window->findChildren<QTabBar *>()) {
        if (!bar->isVisible())
            continue;
        for (int i = 0; i < bar->count(); ++i)
            add(bar->tabText(i), u"tab"_s);
    }
    return owners;
}

bool isInside(const QWidget *w, const QWidget *ancestor)
{
    for (; w; w = w->parentWidget()) {
        if (w == ancestor)
            return true;
    }
    return false;
}

} // namespace

class TestUiAccessibility : public QObject {
    Q_OBJECT

private:
    test::WindowFixture m_app;
    std::unique_ptr<MainWindow> m_window;
    QString m_first;
    QString m_second;
    QString m_delivery;

    void checkDialog(QDialog *dialog, const std::function<bool()> &loaded);

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void mainWindowControlsAreNamed();
    void labelsReadTheirText();
    void menuActionsReachableFromKeyboard();
    void tabReachesMainControls();
    void mnemonicsAreUnambiguous();
    void settingsDialogControlsAreNamed();
    void sendEventDialogControlsAreNamed();
    void catalogDialogControlsAreNamed();
    void signatureDebuggerControlsAreNamed();
    void inspectorControlsAreNamed();
    void aboutDialogControlsAreNamed();
    void attemptDialogControlsAreNamed();
    void dialogsKeyboard_data();
    void dialogsKeyboard();
};

void TestUiAccessibility::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(u"hookline-tests"_s);
    QCoreApplication::setApplicationName(u"tst_ui_accessibility"_s);
    const auto opened = m_app.open(u"a11y.db"_s);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    {
        auto db = m_app.connection();
        Webhook a;
        a.name = u"Orders"_s;
        a.url = u"http://127.0.0.1:9/orders"_s;
        a.events = {u"lead.*"_s, u"dossier.created"_s};
        a.headers = {{u"X-Tenant"_s, u"acme"_s}};
        auto first = WebhookService(db).create(a);
        QVERIFY(first);
        m_first = first->id;
        Webhook b;
        b.name = u"Dossiers"_s;
        b.url = u"http://127.0.0.1:9/dossiers"_s;
        b.events = {u"*"_s};
        auto second = WebhookService(db).create(b);
        QVERIFY(second);
        m_second = second->id;

        // A few finished deliveries with one attempt each, for the history and the attempt dialog.
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(sql::exec(
            db,
            u"INSERT INTO events (id, tenant_id, type, created_at, body) VALUES ('evt_a11y', 'default', 'lead.created', %1, '{\"type\":\"lead.created\"}')"_s
                .arg(now),
            u"event"));
        for (int i = 0; i < 3; ++i) {
            const auto id = u"msg_a11y_%1"_s.arg(i);
            auto q = sql::prepare(
                db,
                u"INSERT INTO deliveries (id, event_id, webhook_id, tenant_id, event_type, status, attempts, created_at, updated_at, last_status_code, last_duration_ms)"
                " VALUES (?, 'evt_a11y', ?, 'default', 'lead.created', ?, 1, ?, ?, ?, 15)"_s);
            q.addBindValue(id);
            q.addBindValue(m_first);
            q.addBindValue(i == 1 ? u"failed"_s : u"succeeded"_s);
            q.addBindValue(now - 60000 + i * 1000);
            q.addBindValue(now - 60000 + i * 1000);
            q.addBindValue(i == 1 ? 500 : 200);
            QVERIFY(sql::exec(q, u"delivery"));
            auto at = sql::prepare(
                db,
                u"INSERT INTO attempts (delivery_id, number, started_at, duration_ms, request_headers, response_status, response_headers, response_body)"
                " VALUES (?, 1, ?, 15, '[[\"content-type\",\"application/json\"]]', ?, '[]', 'ok')"_s);
            at.addBindValue(id);
            at.addBindValue(now - 60000 + i * 1000);
            at.addBindValue(i == 1 ? 500 : 200);
            QVERIFY(sql::exec(at, u"attempt"));
            m_delivery = id;
        }
    }
    m_app.start();

    m_window = std::make_unique<MainWindow>(m_app.context());
    m_window->resize(1400, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QApplication::setActiveWindow(m_window.get());
    // The list loads, the first webhook is selected and shown in the form.
    QTRY_COMPARE_WITH_TIMEOUT(m_window->webhookModel()->rowCount(), 2, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->currentWebhookId().isEmpty(), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->form()->isNew(), kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->history()->model()->rowCount() > 0 || m_window->currentWebhookId() != m_first, kTimeout);
}

void TestUiAccessibility::cleanupTestCase()
{
    m_window.reset();
    m_app.close();
}

void TestUiAccessibility::mainWindowControlsAreNamed()
{
    auto *tabs = m_window->tabs();
    QVERIFY(tabs->count() >= 4);
    QStringList offenders;
    QStringList named; // what the walk saw, to be sure it saw the controls at all
    // Both webhooks, every tab: each page is walked while it is the visible one.
    for (const auto &id : {m_first, m_second}) {
        m_window->selectWebhook(id);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->currentWebhookId(), id, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->form()->webhook().id, id, kTimeout);
        for (int i = 0; i < tabs->count(); ++i) {
            tabs->setCurrentIndex(i);
            QTest::qWait(150); // history pages, chart data
            QVERIFY(tabs->currentWidget()->isVisible());
            for (const auto &o : unnamedIn(m_window.get(), &named))
                offenders << u"[tab \"%1\"] "_s.arg(tabs->tabText(i).remove(u'&')) + o;
        }
    }
    // "New webhook": the empty form, secret panel without a secret.
    m_window->action(u"new"_s)->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->form()->isNew(), kTimeout);
    for (const auto &o : unnamedIn(m_window.get()))
        offenders << u"[new webhook] "_s + o;
    // Back to a stored webhook (the new form is not dirty: no question asked).
    QVERIFY(!m_window->form()->isDirty());
    m_window->selectWebhook(m_first);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->form()->webhook().id, m_first, kTimeout);
    tabs->setCurrentIndex(0);

    // The walk reached the controls of every tab (not a vacuous pass).
    named.removeDuplicates();
    if (qEnvironmentVariableIsSet("HOOKLINE_A11Y_DUMP"))
        qInfo().noquote() << named.join(u"\n"_s);
    for (const auto &expected :
         {u"EditableText:Search webhooks"_s, u"Table:Webhooks"_s, u"PageTab:Settings"_s, u"PageTab:History"_s, u"EditableText:URL"_s,
          u"CheckBox:lead.created"_s, u"CheckBox:Group lead, all its events"_s, u"Table:Custom headers"_s, u"List:Retry timeline"_s,
          u"Button:Save webhook"_s, u"EditableText:Signing secret"_s, u"Button:Copy secret"_s, u"Table:Delivery history"_s,
          u"ComboBox:Status filter"_s, u"ComboBox:Chart range"_s, u"Button:New webhook"_s, u"MenuItem:File"_s})
        QVERIFY2(named.contains(expected),
                 qPrintable(u"the walk did not see %1; it saw %2 named controls: %3"_s.arg(expected).arg(named.size()).arg(named.join(u", "_s))));

    offenders.removeDuplicates();
    if (!offenders.isEmpty())
        qWarning().noquote() << u"Unnamed controls in the main window:\n  "_s + offenders.join(u"\n  "_s);
    QVERIFY2(offenders.isEmpty(), qPrintable(u"%1 visible control(s) without an accessible name (listed above)"_s.arg(offenders.size())));
}

// A label's text is what a screen reader reads. In Qt 6.4 a fixed accessible
// name replaces that text on AT-SPI, so a label may carry one only if it says
// the same; labels whose text changes describe their purpose instead.
void TestUiAccessibility::labelsReadTheirText()
{
    // A result, a check, a count, shown somewhere in every tab.
    m_window->selectWebhook(m_first);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->form()->webhook().id, m_first, kTimeout);
    QStringList offenders;
    QStringList purposes;
    for (int i = 0; i < m_window->tabs()->count(); ++i) {
        m_window->tabs()->setCurrentIndex(i);
        QTest::qWait(100);
        for (auto *label : m_window->findChildren<QLabel *>()) {
            const auto name = label->accessibleName();
            auto *iface = QAccessible::queryAccessibleInterface(label);
            const auto spoken = iface ? iface->text(QAccessible::Name) : QString();
            QString text = label->text();
            text.remove(u'&');
            if (!name.isEmpty() && name != text.trimmed() && !label->buddy())
                offenders << u"%1 is named \"%2\" but shows \"%3\""_s.arg(describeObject(label), name, label->text().left(60));
            if (!label->accessibleDescription().isEmpty())
                purposes << label->accessibleDescription();
            if (!label->accessibleDescription().isEmpty() && label->isVisible() && !label->text().isEmpty()) {
                if (label->textFormat() == Qt::PlainText && spoken != label->text())
                    offenders << u"%1 (%2) reads \"%3\" instead of \"%4\""_s.arg(describeObject(label), label->accessibleDescription(), spoken,
                                                                                 label->text());
            }
        }
    }
    m_window->tabs()->setCurrentIndex(0);
    purposes.removeDuplicates();
    for (const auto &expected : {u"Test ping result"_s, u"URL check"_s, u"Form problem"_s, u"Secret status"_s, u"Previous secret"_s,
                                 u"Number of deliveries"_s, u"Engine status"_s})
        QVERIFY2(purposes.contains(expected), qPrintable(u"no label described as \"%1\"; saw: %2"_s.arg(expected, purposes.join(u", "_s))));
    if (!offenders.isEmpty())
        qWarning().noquote() << u"Labels a screen reader cannot read:\n  "_s + offenders.join(u"\n  "_s);
    QVERIFY2(offenders.isEmpty(), qPrintable(u"%1 label(s) hide their text (listed above)"_s.arg(offenders.size())));
}

void TestUiAccessibility::menuActionsReachableFromKeyboard()
{
    QStringList offenders;
    const auto menus = m_window->menuBar()->actions();
    QVERIFY(!menus.isEmpty());
    for (auto *menuAction : menus) {
        if (!hasMnemonic(menuAction->text()))
            offenders << u"menu \"%1\" has no mnemonic"_s.arg(menuAction->text());
        auto *menu = menuAction->menu();
        QVERIFY(menu);
        for (auto *a : menu->actions()) {
            if (a->isSeparator())
                continue;
            if (a->shortcut().isEmpty() && !hasMnemonic(a->text()))
                offenders << u"action \"%1\" (%2) in menu \"%3\" has neither a shortcut nor a mnemonic"_s.arg(a->text(), a->objectName(),
                                                                                                              menuAction->text());
        }
    }
    // Mnemonics of one menu must differ, or the letter does not choose.
    for (auto *menuAction : menus) {
        QHash<QChar, QStringList> letters;
        for (auto *a : menuAction->menu()->actions()) {
            const auto text = a->text();
            for (qsizetype i = 0; i + 1 < text.size(); ++i) {
                if (text.at(i) == u'&' && text.at(i + 1) != u'&') {
                    letters[text.at(i + 1).toLower()] << text;
                    break;
                }
            }
        }
        for (auto it = letters.cbegin(); it != letters.cend(); ++it) {
            if (it->size() > 1)
                offenders << u"menu \"%1\": mnemonic %2 used by %3"_s.arg(menuAction->text(), QString(it.key()), it->join(u", "_s));
        }
    }
    // The tool bar's buttons come from the same actions: named by their text.
    for (auto *a : m_window->findChildren<QAction *>()) {
        if (a->objectName().startsWith(u"_q_"_s) || a->objectName().startsWith(u"qt_"_s))
            continue; // Qt's own (the line edits' clear buttons)
        if (!a->isSeparator() && !a->objectName().isEmpty() && a->text().remove(u'&').trimmed().isEmpty())
            offenders << u"action %1 has no text"_s.arg(a->objectName());
    }
    if (!offenders.isEmpty())
        qWarning().noquote() << u"Menu actions not reachable from the keyboard:\n  "_s + offenders.join(u"\n  "_s);
    QVERIFY2(offenders.isEmpty(), qPrintable(u"%1 problem(s) with menu actions (listed above)"_s.arg(offenders.size())));
}

void TestUiAccessibility::tabReachesMainControls()
{
    // "Orders": its own event choice, so the event tree is enabled.
    m_window->selectWebhook(m_first);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->form()->webhook().id, m_first, kTimeout);
    QVERIFY(m_window->form()->events()->listArea()->isEnabled());
    m_window->tabs()->setCurrentIndex(0);
    m_window->activateWindow();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    auto *search = m_window->findChild<QLineEdit *>();
    for (auto *e : m_window->findChildren<QLineEdit *>()) {
        if (e->accessibleName() == u"Search webhooks"_s)
            search = e;
    }
    QVERIFY(search);
    QVERIFY(search->accessibleName() == u"Search webhooks"_s);
    // Ctrl+F goes to the search box.
    m_window->webhookView()->setFocus();
    QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(QApplication::focusWidget(), static_cast<QWidget *>(search), 2000);

    bool reachedView = false;
    bool reachedTabs = false;
    bool reachedTree = false;
    bool backToSearch = false;
    QStringList path;
    QMap<QWidget *, int> visits;
    for (int i = 0; i < 300; ++i) {
        auto *focus = QApplication::focusWidget();
        QVERIFY(focus);
        QTest::keyClick(focus, Qt::Key_Tab);
        auto *now = QApplication::focusWidget();
        QVERIFY(now);
        ++visits[now];
        if (path.size() < 60 && (path.isEmpty() || path.constLast() != describeObject(now)))
            path << describeObject(now);
        reachedView = reachedView || now == m_window->webhookView();
        reachedTabs = reachedTabs || isInside(now, m_window->tabs());
        reachedTree = reachedTree || m_window->form()->events()->boxes().contains(qobject_cast<QCheckBox *>(now));
        if (now == search) {
            backToSearch = true;
            break;
        }
    }
    QStringList stuck;
    for (auto it = visits.cbegin(); it != visits.cend(); ++it) {
        if (it.value() > 3)
            stuck << u"%1 (took %2 Tab presses; parents: %3)"_s.arg(describeObject(it.key())).arg(it.value()).arg(parentChain(it.key()));
    }
    if (!reachedView || !reachedTabs || !backToSearch || !stuck.isEmpty()) {
        // Item views that move between cells on Tab (QTableView's default) keep the focus.
        QStringList trapping;
        for (auto *v : m_window->findChildren<QAbstractItemView *>()) {
            if (v->tabKeyNavigation())
                trapping << describeObject(v) + u" (parents: "_s + parentChain(v) + u')';
        }
        qWarning().noquote() << u"Tab order from the search box:\n  "_s + path.join(u"\n  "_s) + u"\nWidgets keeping Tab to themselves:\n  "_s
                                    + stuck.join(u"\n  "_s) + u"\nItem views in the window with tabKeyNavigation on:\n  "_s
                                    + trapping.join(u"\n  "_s);
    }
    QVERIFY2(reachedView, "Tab from the search box never reached the webhook table");
    QVERIFY2(stuck.isEmpty(), qPrintable(u"Tab is caught inside: "_s + stuck.join(u"; "_s)));
    QVERIFY2(reachedTabs, "Tab from the search box never reached the detail tabs");
    QVERIFY2(backToSearch, "Tab never came back round to the search box within 300 presses");
    QVERIFY2(reachedTree, "Tab never reached the event type tree of the form");
}

// Alt+letter must choose one thing: with two owners Qt only moves the focus
// between them (QShortcutEvent::isAmbiguous) and neither button is pressed.
void TestUiAccessibility::mnemonicsAreUnambiguous()
{
    m_window->selectWebhook(m_first);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->form()->webhook().id, m_first, kTimeout);
    auto *tabs = m_window->tabs();
    QStringList conflicts;
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QTest::qWait(50);
        const auto owners = liveMnemonics(m_window.get());
        for (const auto &key : owners.uniqueKeys()) {
            const auto all = owners.values(key);
            if (all.size() > 1)
                conflicts << u"[tab \"%1\"] Alt+%2: %3"_s.arg(tabs->tabText(i).remove(u'&'), key.toUpper(), all.join(u", "_s));
        }
    }
    tabs->setCurrentIndex(0);
    conflicts.removeDuplicates();
    if (!conflicts.isEmpty())
        qWarning().noquote() << u"Ambiguous mnemonics in the main window:\n  "_s + conflicts.join(u"\n  "_s);
    QVERIFY2(conflicts.isEmpty(), qPrintable(u"%1 ambiguous Alt+letter mnemonic(s) (listed above)"_s.arg(conflicts.size())));
}

void TestUiAccessibility::checkDialog(QDialog *dialog, const std::function<bool()> &loaded)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose, false);
    dialog->setModal(false);
    dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), kTimeout);
    QTest::qWait(50);
    const auto offenders = unnamedIn(dialog);
    dialog->close();
    if (!offenders.isEmpty())
        qWarning().noquote() << u"Unnamed controls in %1:\n  "_s.arg(describeObject(dialog)) + offenders.join(u"\n  "_s);
    QVERIFY2(offenders.isEmpty(),
             qPrintable(u"%1: %2 visible control(s) without an accessible name (listed above)"_s.arg(describeObject(dialog)).arg(offenders.size())));
}

void TestUiAccessibility::settingsDialogControlsAreNamed()
{
    auto dialog = std::make_unique<SettingsDialog>(m_app.context(), m_window.get());
    QLineEdit *prefix = nullptr;
    for (auto *e : dialog->findChildren<QLineEdit *>()) {
        if (e->accessibleName() == u"Header prefix"_s)
            prefix = e;
    }
    QVERIFY(prefix);
    checkDialog(dialog.get(), [prefix] { return !prefix->text().isEmpty(); }); // the settings arrived
}

void TestUiAccessibility::sendEventDialogControlsAreNamed()
{
    auto dialog = std::make_unique<SendEventDialog>(m_app.context(), m_window.get());
    auto *d = dialog.get();
    checkDialog(d, [d] { return d->typeBox()->count() > 0; });
}

void TestUiAccessibility::catalogDialogControlsAreNamed()
{
    auto dialog = std::make_unique<CatalogDialog>(m_app.context(), m_window.get());
    auto *d = dialog.get();
    checkDialog(d, [d] { return d->table()->rowCount() > 0; });
}

void TestUiAccessibility::signatureDebuggerControlsAreNamed()
{
    auto dialog = std::make_unique<SignatureDebuggerDialog>(m_app.context(), m_window.get());
    auto *d = dialog.get();
    checkDialog(d, [d] { return d->webhookBox()->count() > 0; });
}

void TestUiAccessibility::inspectorControlsAreNamed()
{
    auto dialog = std::make_unique<InspectorDialog>(m_app.context(), m_window.get());
    auto *d = dialog.get();
    checkDialog(d, [d] { return d->webhookBox()->count() > 0; });
}

void TestUiAccessibility::aboutDialogControlsAreNamed()
{
    auto dialog = std::make_unique<AboutDialog>(m_window.get());
    checkDialog(dialog.get(), [] { return true; });
}

void TestUiAccessibility::attemptDialogControlsAreNamed()
{
    auto dialog = std::make_unique<AttemptDialog>(m_app.context(), m_delivery, m_window.get());
    auto *d = dialog.get();
    checkDialog(d, [d] { return d->attemptList()->count() > 0; });
}

// The dialogs from the keyboard: Tab goes round every control and back, and
// each Alt+letter chooses one thing.
void TestUiAccessibility::dialogsKeyboard_data()
{
    QTest::addColumn<QString>("which");
    for (const auto *name :
         {"SettingsDialog", "SendEventDialog", "CatalogDialog", "SignatureDebuggerDialog", "InspectorDialog", "AboutDialog", "AttemptDialog"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestUiAccessibility::dialogsKeyboard()
{
    QFETCH(QString, which);
    std::unique_ptr<QDialog> dialog;
    std::function<bool()> loaded = [] { return true; };
    if (which == u"SettingsDialog"_s) {
        dialog = std::make_unique<SettingsDialog>(m_app.context(), m_window.get());
    } else if (which == u"SendEventDialog"_s) {
        auto *d = new SendEventDialog(m_app.context(), m_window.get());
        dialog.reset(d);
        loaded = [d] { return d->typeBox()->count() > 0; };
    } else if (which == u"CatalogDialog"_s) {
        auto *d = new CatalogDialog(m_app.context(), m_window.get());
        dialog.reset(d);
        loaded = [d] { return d->table()->rowCount() > 0; };
    } else if (which == u"SignatureDebuggerDialog"_s) {
        auto *d = new SignatureDebuggerDialog(m_app.context(), m_window.get());
        dialog.reset(d);
        loaded = [d] { return d->webhookBox()->count() > 0; };
    } else if (which == u"InspectorDialog"_s) {
        auto *d = new InspectorDialog(m_app.context(), m_window.get());
        dialog.reset(d);
        loaded = [d] { return d->webhookBox()->count() > 0; };
    } else if (which == u"AboutDialog"_s) {
        dialog = std::make_unique<AboutDialog>(m_window.get());
    } else {
        auto *d = new AttemptDialog(m_app.context(), m_delivery, m_window.get());
        dialog.reset(d);
        loaded = [d] { return d->attemptList()->count() > 0; };
    }
    dialog->setModal(false);
    dialog->show();
    QVERIFY(QTest::qWaitForWindowExposed(dialog.get()));
    dialog->activateWindow();
    QApplication::setActiveWindow(dialog.get());
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), kTimeout);
    QTest::qWait(50);

    QStringList problems;
    const auto owners = liveMnemonics(dialog.get());
    for (const auto &key : owners.uniqueKeys()) {
        const auto all = owners.values(key);
        if (all.size() > 1)
            problems << u"Alt+%1: %2"_s.arg(key.toUpper(), all.join(u", "_s));
    }

    // Tab from the first control: round and back, never caught.
    QWidget *start = nullptr;
    for (auto *w = dialog->nextInFocusChain(); w && w != dialog.get(); w = w->nextInFocusChain()) {
        if ((w->focusPolicy() & Qt::TabFocus) && w->isVisible() && w->isEnabled() && w->window() == dialog.get()) {
            start = w;
            break;
        }
    }
    QVERIFY(start);
    int tabStops = 0;
    for (auto *w : dialog->findChildren<QWidget *>()) {
        if ((w->focusPolicy() & Qt::TabFocus) && w->isVisible() && w->isEnabled() && !w->focusProxy())
            ++tabStops;
    }
    start->setFocus(Qt::TabFocusReason);
    QMap<QWidget *, int> visits;
    QStringList path;
    QList<QWidget *> order{start};
    bool left = false;
    bool cycled = false;
    for (int i = 0; i < 200; ++i) {
        auto *focus = dialog->focusWidget();
        QVERIFY(focus);
        QTest::keyClick(focus, Qt::Key_Tab);
        auto *now = dialog->focusWidget();
        QVERIFY(now);
        ++visits[now];
        if (order.constLast() != now)
            order << now;
        if (path.size() < 40 && (path.isEmpty() || path.constLast() != describeObject(now)))
            path << describeObject(now);
        left = left || now != start;
        if (now == start && left) {
            cycled = true;
            break;
        }
    }
    for (auto it = visits.cbegin(); it != visits.cend() && tabStops > 1; ++it) {
        if (it.value() > 3)
            problems << u"Tab is caught in %1 (%2 presses; tabKeyNavigation %3)"_s.arg(describeObject(it.key()))
                            .arg(it.value())
                            .arg(qobject_cast<QAbstractItemView *>(it.key()) && qobject_cast<QAbstractItemView *>(it.key())->tabKeyNavigation()
                                     ? u"on"_s
                                     : u"off"_s);
    }
    if (!cycled && tabStops > 1)
        problems << u"Tab never came back round to %1"_s.arg(describeObject(start));
    // Next to each other on screen, next to each other for Tab: the CA file and its Browse button.
    if (which == u"SettingsDialog"_s) {
        qsizetype ca = -1;
        for (qsizetype i = 0; i < order.size(); ++i) {
            if (order.at(i)->accessibleName() == u"Extra CA certificates"_s)
                ca = i;
        }
        if (ca < 0 || ca + 1 >= order.size() || order.at(ca + 1)->accessibleName() != u"Browse for CA certificates"_s)
            problems << u"Tab after \"Extra CA certificates\" goes to %1, not to its \"Browse…\" button beside it"_s.arg(
                ca >= 0 && ca + 1 < order.size() ? describeObject(order.at(ca + 1)) : u"(nothing)"_s);
    }
    dialog->close();
    if (!problems.isEmpty())
        qWarning().noquote() << u"%1 from the keyboard:\n  "_s.arg(which) + problems.join(u"\n  "_s) + u"\n  Tab order: "_s + path.join(u" -> "_s);
    QVERIFY2(problems.isEmpty(), qPrintable(u"%1: %2 keyboard problem(s) (listed above)"_s.arg(which).arg(problems.size())));
}

QTEST_MAIN(TestUiAccessibility)
#include "tst_ui_accessibility.moc"
