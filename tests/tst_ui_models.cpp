// Tests for ui/models: WebhookListModel and DeliveryHistoryModel under
// QAbstractItemModelTester, their columns and roles (status told by text and an
// icon, not colour alone), filtering through a proxy, and the history's paging:
// lazy pages, only the pages needed when scrolling, a bounded cache, filters,
// and live inserts at the top that keep the selection without a model reset.

#include "AppContext.h"
#include "models/AuditModel.h"
#include "models/DeliveryHistoryModel.h"
#include "models/WebhookListModel.h"
#include "service/CatalogService.h"
#include "service/Installation.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "store/Database.h"
#include "store/DeliveryStore.h"
#include "store/Sql.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QColor>
#include <QFile>
#include <QHeaderView>
#include <QIcon>
#include <QItemSelectionModel>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {

constexpr int kCountA = 5000; // webhook "Alpha Orders": lead.created / lead.updated, every 10th failed
constexpr int kCountB = 4000; // webhook "Beta Dossiers": dossier.created, all succeeded
constexpr int kTimeout = 10000;

QString idA(int i)
{
    return u"msg_a_%1"_s.arg(i, 6, 10, QLatin1Char('0'));
}
QString idB(int j)
{
    return u"msg_b_%1"_s.arg(j, 6, 10, QLatin1Char('0'));
}

// One delivery to insert with SQL (fast, in one transaction).
struct Row {
    QString id;
    QString webhookId;
    QString eventType;
    QString status;
    qint64 createdMs;
    int code;
};

bool insertRows(QSqlDatabase db, const QList<Row> &rows)
{
    sql::Transaction tx(db);
    if (!tx.begin())
        return false;
    auto e = sql::prepare(
        db, u"INSERT OR IGNORE INTO events (id, tenant_id, type, created_at, body) VALUES ('evt_ui', 'default', 'lead.created', 0, '{}')"_s);
    if (!sql::exec(e, u"event"))
        return false;
    auto q = sql::prepare(
        db,
        u"INSERT INTO deliveries (id, event_id, webhook_id, tenant_id, event_type, status, attempts, created_at, updated_at, last_status_code, last_duration_ms)"
        " VALUES (?, 'evt_ui', ?, 'default', ?, ?, 1, ?, ?, ?, 12)"_s);
    for (const auto &r : rows) {
        q.addBindValue(r.id);
        q.addBindValue(r.webhookId);
        q.addBindValue(r.eventType);
        q.addBindValue(r.status);
        q.addBindValue(r.createdMs);
        q.addBindValue(r.createdMs);
        q.addBindValue(r.code);
        if (!sql::exec(q, u"delivery"))
            return false;
    }
    return bool(tx.commit());
}

// Asks for `row` and waits for its page, bounded.
bool loadRow(DeliveryHistoryModel &model, int row)
{
    if (model.isLoaded(row))
        return true;
    QSignalSpy pages(&model, &DeliveryHistoryModel::pageLoaded);
    model.data(model.index(row, 0));
    QElapsedTimer timer;
    timer.start();
    while (!model.isLoaded(row) && timer.elapsed() < kTimeout)
        pages.wait(200);
    return model.isLoaded(row);
}

} // namespace

class TestUiModels : public QObject {
    Q_OBJECT

private:
    // A fresh copy of the template database, opened and handed to a context.
    struct Fixture {
        QTemporaryDir dir;
        std::shared_ptr<Installation> db;
        std::unique_ptr<AppContext> context;
    };
    std::unique_ptr<Fixture> fixture();
    // The history of one webhook, once its rows are counted.
    static bool showOnly(DeliveryHistoryModel &model, const QString &webhookId, int rows);

    QTemporaryDir m_templateDir;
    QString m_template;
    QString m_alpha;
    QString m_beta;
    QString m_gamma;
    qint64 m_base = 0;
    QList<QString> m_orderA;   // delivery ids of Alpha, newest first
    QList<QString> m_orderAll; // every delivery id, newest first

private Q_SLOTS:
    void initTestCase();

    void webhookListUnderTester();
    void auditModelUnderTester();
    void auditChangesInWords_data();
    void auditChangesInWords();
    void webhookListColumnsAndRoles();
    void webhookListProxyFilter();

    void historyUnderTester_data();
    void historyUnderTester();
    void historyUnderTesterChild_data();
    void historyUnderTesterChild();
    void historyPagingLoadsOnDemand();
    void historyScrollToEndLoadsOnlyNeededPages();
    void historyCacheIsBounded();
    void historyFilters_data();
    void historyFilters();
    void historyLiveInsertKeepsSelection();
    void historyPageAskedDuringRemoval();
    void historyUpdatesRowsInPlace();
    void historyUnderStatusFilterCountsAgain();
    void webhookListAppliesUpdates();
    void executorClosesItsConnection();
    void executorFinishesQueuedWork();
};

void TestUiModels::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_templateDir.isValid());
    m_template = m_templateDir.filePath(u"template.db"_s);
    auto opened = Database::open(m_template);
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    auto database = *opened;
    {
        auto db = database->connection();
        QVERIFY(CatalogService(db).initializeNewDatabase(CatalogService::builtinCatalogs()));
        QVERIFY(Settings(db).setValue(QString::fromLatin1(Settings::kAllowInsecureUrls), u"true"_s));
        QVERIFY(Settings(db).setValue(QString::fromLatin1(Settings::kAllowPrivateAddresses), u"true"_s));
        const auto make = [&](const QString &name, const QStringList &events) {
            Webhook w;
            w.name = name;
            w.url = u"http://127.0.0.1:9/"_s + name.section(u' ', 0, 0).toLower();
            w.events = events;
            auto created = WebhookService(db).create(w);
            return created ? created->id : QString();
        };
        m_alpha = make(u"Alpha Orders"_s, {u"lead.*"_s});
        m_beta = make(u"Beta Dossiers"_s, {u"dossier.created"_s});
        m_gamma = make(u"Gamma Files"_s, {u"file.uploaded"_s});
        QVERIFY(!m_alpha.isEmpty() && !m_beta.isEmpty() && !m_gamma.isEmpty());

        // Alpha at base + i s, Beta half a second later: no two deliveries share a time.
        m_base = QDateTime::currentMSecsSinceEpoch() - 10LL * 86400 * 1000;
        QList<Row> rows;
        QList<std::pair<qint64, QString>> all;
        for (int i = 0; i < kCountA; ++i) {
            const qint64 t = m_base + qint64(i) * 1000;
            rows.append({idA(i), m_alpha, i % 2 == 0 ? u"lead.created"_s : u"lead.updated"_s, i % 10 == 0 ? u"failed"_s : u"succeeded"_s, t,
                         i % 10 == 0 ? 500 : 200});
            all.append({t, idA(i)});
        }
        for (int j = 0; j < kCountB; ++j) {
            const qint64 t = m_base + qint64(j) * 1000 + 500;
            rows.append({idB(j), m_beta, u"dossier.created"_s, u"succeeded"_s, t, 204});
            all.append({t, idB(j)});
        }
        QElapsedTimer fill;
        fill.start();
        QVERIFY(insertRows(db, rows));
        qInfo("inserted %d deliveries in %lld ms", int(rows.size()), fill.elapsed());
        std::sort(all.begin(), all.end(), [](const auto &l, const auto &r) { return l.first > r.first; });
        for (const auto &[t, id] : std::as_const(all))
            m_orderAll << id;
        for (int i = kCountA - 1; i >= 0; --i)
            m_orderA << idA(i);
    }
    database->releaseThreadConnection();
}

std::unique_ptr<TestUiModels::Fixture> TestUiModels::fixture()
{
    auto f = std::make_unique<Fixture>();
    const auto path = f->dir.filePath(u"ui.db"_s);
    // The database and its master key (a copied database alone opens nothing).
    if (!QFile::copy(m_template, path) || !QFile::copy(m_template + u".key"_s, path + u".key"_s))
        return nullptr;
    auto opened = Installation::open(path);
    if (!opened)
        return nullptr;
    f->db = *opened;
    f->db->releaseThreadConnection();
    f->context = std::make_unique<AppContext>(f->db, 1);
    return f;
}

bool TestUiModels::showOnly(DeliveryHistoryModel &model, const QString &webhookId, int rows)
{
    DeliveryFilter filter;
    filter.webhookId = webhookId;
    model.setFilter(filter);
    return QTest::qWaitFor([&] { return model.rowCount() == rows; }, kTimeout);
}

// ---------------------------------------------------------------- webhook list

void TestUiModels::auditModelUnderTester()
{
    AuditModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    const auto now = QDateTime::currentDateTimeUtc();
    model.setEntries({{1, now, u"alice (window)"_s, u"webhook.updated"_s, u"webhook"_s, u"wh_1"_s,
                       QJsonObject{{u"name"_s, QJsonObject{{u"old"_s, u"A"_s}, {u"new"_s, u"B"_s}}}}},
                      {2, now.addSecs(-5), u"bob (cli)"_s, u"tenant.created"_s, u"tenant"_s, u"acme"_s, {}}});
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(AuditModel::ColumnCount));
    QCOMPARE(model.index(0, AuditModel::Object).data().toString(), u"webhook wh_1"_s);
    QCOMPARE(model.index(0, AuditModel::Changes).data().toString(), u"name: A → B"_s);
    QCOMPARE(model.index(1, AuditModel::At).data(AuditModel::RawDataRole).toDateTime(), now.addSecs(-5));
    model.setEntries({});
    QCOMPARE(model.rowCount(), 0);
}

// clang-format off
void TestUiModels::auditChangesInWords_data()
{
    QTest::addColumn<QJsonObject>("changes");
    QTest::addColumn<QString>("expected");
    QTest::newRow("old and new") << QJsonObject{{u"url"_s, QJsonObject{{u"old"_s, u"https://a"_s}, {u"new"_s, u"https://b"_s}}}}
                                 << u"url: https://a → https://b"_s;
    QTest::newRow("new only, a list") << QJsonObject{{u"events"_s, QJsonObject{{u"new"_s, QJsonArray{u"a.b"_s, u"c.*"_s}}}}}
                                      << u"events: a.b, c.*"_s;
    QTest::newRow("gone") << QJsonObject{{u"name"_s, QJsonObject{{u"old"_s, u"Shop"_s}}}} << u"name was Shop"_s;
    QTest::newRow("a default and a flag") << QJsonObject{{u"active"_s, QJsonObject{{u"old"_s, true}, {u"new"_s, false}}},
                                                         {u"retention"_s, QJsonObject{{u"old"_s, 5}, {u"new"_s, QJsonValue()}}}}
                                          << u"active: yes → no; retention: 5 → (default)"_s;
    QTest::newRow("plain values") << QJsonObject{{u"graceSeconds"_s, 60}} << u"graceSeconds: 60"_s;
}
// clang-format on

void TestUiModels::auditChangesInWords()
{
    QFETCH(QJsonObject, changes);
    QFETCH(QString, expected);
    QCOMPARE(AuditModel::describeChanges(changes), expected);
}

void TestUiModels::webhookListUnderTester()
{
    auto f = fixture();
    QVERIFY(f);
    WebhookListModel model(*f->context);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy loaded(&model, &WebhookListModel::loaded);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    model.reload();
    QVERIFY(loaded.wait(kTimeout));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(WebhookListModel::ColumnCount));

    // Two reloads in a row: the second is queued behind the first, not lost.
    loaded.clear();
    model.reload();
    model.reload();
    QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 2, kTimeout);
    QCOMPARE(model.rowCount(), 3);

    // An insert (through the service, as the form does), seen on the next reload.
    auto db = f->db->connection();
    Webhook w;
    w.name = u"Delta New"_s;
    w.url = u"http://127.0.0.1:9/delta"_s;
    w.events = {u"*"_s};
    auto delta = WebhookService(db).create(w);
    QVERIFY2(delta, delta ? "" : qPrintable(delta.error().message));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    loaded.clear();
    f->context->notifyWebhooksChanged();
    QVERIFY(loaded.wait(kTimeout));
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(inserted.size(), 1);
    QVERIFY(model.indexFor(delta->id).isValid());

    // A change in place: same row, new data, no structural change.
    const QPersistentModelIndex gammaIndex(model.indexFor(m_gamma));
    auto gamma = WebhookService(db).get(m_gamma);
    QVERIFY(gamma);
    gamma->name = u"Gamma Renamed"_s;
    QVERIFY(WebhookService(db).update(*gamma));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    loaded.clear();
    model.reload();
    QVERIFY(loaded.wait(kTimeout));
    QVERIFY(gammaIndex.isValid());
    QCOMPARE(gammaIndex.data().toString(), u"Gamma Renamed"_s);
    QVERIFY(!changed.isEmpty());

    // A removal.
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QVERIFY(WebhookService(db).remove(m_beta));
    loaded.clear();
    model.reload();
    QVERIFY(loaded.wait(kTimeout));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(removed.size(), 1);
    QVERIFY(!model.indexFor(m_beta).isValid());
    QVERIFY(gammaIndex.isValid());
    QCOMPARE(model.data(gammaIndex, WebhookListModel::IdRole).toString(), m_gamma);
    QCOMPARE(reset.size(), 0);
    db = QSqlDatabase();
    f->db->releaseThreadConnection();
}

void TestUiModels::webhookListColumnsAndRoles()
{
    auto f = fixture();
    QVERIFY(f);
    {
        // Gamma inactive by hand, Beta deactivated by the engine (a reason recorded).
        auto db = f->db->connection();
        auto gamma = WebhookService(db).get(m_gamma);
        QVERIFY(gamma);
        gamma->active = false;
        QVERIFY(WebhookService(db).update(*gamma));
        auto q
            = sql::prepare(db, u"UPDATE webhooks SET active = 0, disabled_reason = '5 deliveries in a row failed', disabled_at = ? WHERE id = ?"_s);
        q.addBindValue(QDateTime::currentMSecsSinceEpoch());
        q.addBindValue(m_beta);
        QVERIFY(sql::exec(q, u"disable"));
        q = QSqlQuery();
        db = QSqlDatabase();
        f->db->releaseThreadConnection();
    }
    WebhookListModel model(*f->context);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy loaded(&model, &WebhookListModel::loaded);
    model.reload();
    QVERIFY(loaded.wait(kTimeout));
    QCOMPARE(model.rowCount(), 3);

    // Headers name every column.
    for (int c = 0; c < model.columnCount(); ++c)
        QVERIFY2(!model.headerData(c, Qt::Horizontal).toString().isEmpty(), qPrintable(u"column %1 has no header"_s.arg(c)));

    const auto at = [&](const QString &id, int column) { return model.index(model.indexFor(id).row(), column); };

    // IdRole on every column.
    for (int c = 0; c < model.columnCount(); ++c)
        QCOMPARE(model.data(at(m_alpha, c), WebhookListModel::IdRole).toString(), m_alpha);

    QCOMPARE(model.data(at(m_alpha, WebhookListModel::Name)).toString(), u"Alpha Orders"_s);
    QCOMPARE(model.data(at(m_alpha, WebhookListModel::Name), WebhookListModel::RawDataRole).toString(), u"Alpha Orders"_s);
    QCOMPARE(model.data(at(m_alpha, WebhookListModel::Url)).toString(), u"http://127.0.0.1:9/alpha"_s);

    // Status: words, an icon and a sort key; colour only in addition.
    struct Expect {
        QString id;
        QString text;
        int raw;
    };
    const QList<Expect> expected{{m_alpha, u"Active"_s, int(WebhookListModel::Health::Active)},
                                 {m_gamma, u"Inactive"_s, int(WebhookListModel::Health::Inactive)},
                                 {m_beta, u"Auto-disabled"_s, int(WebhookListModel::Health::AutoDisabled)}};
    QSet<qint64> icons;
    for (const auto &e : expected) {
        const auto index = at(e.id, WebhookListModel::Status);
        QCOMPARE(model.data(index, Qt::DisplayRole).toString(), e.text);
        QCOMPARE(model.data(index, Qt::AccessibleTextRole).toString(), e.text);
        QCOMPARE(model.data(index, WebhookListModel::RawDataRole).toInt(), e.raw);
        const auto icon = model.data(index, Qt::DecorationRole);
        QVERIFY2(icon.canConvert<QIcon>() && !icon.value<QIcon>().isNull(), qPrintable(e.text + u" has no status icon"_s));
        icons.insert(icon.value<QIcon>().cacheKey());
        QVERIFY(model.data(index, Qt::ForegroundRole).canConvert<QColor>());
    }
    QCOMPARE(icons.size(), 3); // three states, three different icons
    QVERIFY(model.data(at(m_beta, WebhookListModel::Status), Qt::ToolTipRole).toString().contains(u"5 deliveries in a row failed"_s));

    // Activity columns: Alpha's last delivery is its newest (i = 4999, succeeded 200),
    // 10 days old: nothing in the last 24 hours.
    const auto last = model.data(at(m_alpha, WebhookListModel::LastDelivery)).toString();
    QVERIFY2(last.contains(u"Succeeded"_s) && !last.contains(u"200"_s), qPrintable(last)); // a success's code only in the tooltip
    QVERIFY(model.data(at(m_alpha, WebhookListModel::LastDelivery), Qt::ToolTipRole).toString().contains(u"(200)"_s));
    // Ten days ago is past "3 days ago": the date itself; the exact instant in the tooltip.
    QVERIFY2(!last.contains(u"ago"_s), qPrintable(last));
    QVERIFY2(model.data(at(m_alpha, WebhookListModel::LastDelivery), Qt::ToolTipRole).toString().endsWith(u"Z"_s),
             qPrintable(model.data(at(m_alpha, WebhookListModel::LastDelivery), Qt::ToolTipRole).toString()));
    QCOMPARE(model.data(at(m_alpha, WebhookListModel::LastDelivery), WebhookListModel::RawDataRole).toDateTime(),
             QDateTime::fromMSecsSinceEpoch(m_base + qint64(kCountA - 1) * 1000, Qt::UTC));
    QCOMPARE(model.data(at(m_gamma, WebhookListModel::LastDelivery)).toString(), u"Never"_s);
    QCOMPARE(model.data(at(m_alpha, WebhookListModel::SuccessRate), WebhookListModel::RawDataRole).toDouble(), -1.0);
}

void TestUiModels::webhookListProxyFilter()
{
    auto f = fixture();
    QVERIFY(f);
    WebhookListModel model(*f->context);
    // Configured as the main window configures it.
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(WebhookListModel::RawDataRole);
    proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
    proxy.setFilterKeyColumn(-1);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy loaded(&model, &WebhookListModel::loaded);
    model.reload();
    QVERIFY(loaded.wait(kTimeout));
    proxy.sort(WebhookListModel::Name, Qt::AscendingOrder);
    QCOMPARE(proxy.rowCount(), 3);
    QCOMPARE(proxy.index(0, 0).data().toString(), u"Alpha Orders"_s);
    QCOMPARE(proxy.index(2, 0).data().toString(), u"Gamma Files"_s);

    const auto ids = [&] {
        QStringList out;
        for (int r = 0; r < proxy.rowCount(); ++r)
            out << proxy.data(proxy.index(r, 0), WebhookListModel::IdRole).toString();
        return out;
    };
    proxy.setFilterFixedString(u"beta"_s); // name, any case
    QCOMPARE(ids(), QStringList{m_beta});
    proxy.setFilterFixedString(u"/GAMMA"_s); // URL column
    QCOMPARE(ids(), QStringList{m_gamma});
    proxy.setFilterFixedString(u"127.0.0.1"_s); // every URL
    QCOMPARE(proxy.rowCount(), 3);
    proxy.setFilterFixedString(u"no such webhook"_s);
    QCOMPARE(proxy.rowCount(), 0);
    proxy.setFilterFixedString(QString());
    QCOMPARE(proxy.rowCount(), 3);

    // Filtered rows keep following the source through a reload.
    proxy.setFilterFixedString(u"alpha"_s);
    loaded.clear();
    model.reload();
    QVERIFY(loaded.wait(kTimeout));
    QCOMPARE(ids(), QStringList{m_alpha});
}

// ---------------------------------------------------------------- history

// The tester in Fatal mode aborts the process at the first fault; each scenario
// runs in a child process (this executable, one function and data tag) so that
// a fault is reported here with the tester's message instead of killing every
// other test.
void TestUiModels::historyUnderTester_data()
{
    QTest::addColumn<QString>("scenario");
    for (const auto *name : {"reload", "insert", "remove"})
        QTest::newRow(name) << QString::fromLatin1(name);
}

void TestUiModels::historyUnderTester()
{
    QFETCH(QString, scenario);
    QProcess child;
    child.setProcessChannelMode(QProcess::MergedChannels);
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(u"HOOKLINE_TESTER_CHILD"_s, u"1"_s);
    env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {u"historyUnderTesterChild:"_s + scenario});
    QVERIFY(child.waitForFinished(60000));
    const auto output = QString::fromUtf8(child.readAll());
    const bool ok
        = child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0 && output.contains(u"PASS   : TestUiModels::historyUnderTesterChild"_s);
    if (!ok) {
        QStringList relevant;
        for (const auto &line : output.split(u'\n')) {
            if (line.contains(u"FAIL"_s) || line.contains(u"QFATAL"_s) || line.contains(u"step:"_s) || line.contains(u"Loc:"_s)
                || line.contains(u"Actual"_s) || line.contains(u"Expected"_s) || line.contains(u"qabstractitemmodeltester"_s))
                relevant << line;
        }
        qWarning().noquote() << u"child output (%1):\n"_s.arg(scenario) << relevant.mid(0, 40).join(u'\n');
    }
    QVERIFY2(ok, qPrintable(
                     u"DeliveryHistoryModel fails QAbstractItemModelTester (Fatal) in scenario \"%1\"; see the child output above"_s.arg(scenario)));
}

void TestUiModels::historyUnderTesterChild_data()
{
    historyUnderTester_data();
}

void TestUiModels::historyUnderTesterChild()
{
    QFETCH(QString, scenario);
    if (qEnvironmentVariable("HOOKLINE_TESTER_CHILD") != u"1")
        QSKIP("runs in a child process of historyUnderTester");
    auto f = fixture();
    QVERIFY(f);
    DeliveryHistoryModel model(*f->context);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

    qInfo("step: filter on one webhook");
    DeliveryFilter filter;
    filter.webhookId = m_beta;
    model.setFilter(filter);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kCountB, kTimeout);
    // The tester reads row 0: its page comes in.
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(0), kTimeout);
    QCOMPARE(model.data(model.index(0, DeliveryHistoryModel::Id)).toString(), idB(kCountB - 1));
    // The last rows too, as a view scrolled to the end would.
    QCOMPARE(model.data(model.index(kCountB - 1, DeliveryHistoryModel::Status)).toString(), u"Loading…"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(kCountB - 1), kTimeout);

    auto db = f->db->connection();
    if (scenario == u"reload"_s) {
        qInfo("step: refresh with nothing new");
        model.refresh();
        QTest::qWait(300);
        QCOMPARE(model.rowCount(), kCountB);
        qInfo("step: another filter (a reset, as documented)");
        filter.webhookId = m_alpha;
        model.setFilter(filter);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kCountA, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(0), kTimeout);
        filter.webhookId.clear();
        model.setFilter(filter);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kCountA + kCountB, kTimeout);
        // Each filter: a reset to nothing, then its rows inserted once counted.
        QCOMPARE(reset.size(), 3);
        QCOMPARE(inserted.size(), 3);
    } else if (scenario == u"insert"_s) {
        qInfo("step: two new deliveries at the top, then refresh()");
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(insertRows(db, {{u"msg_b_new1"_s, m_beta, u"dossier.created"_s, u"succeeded"_s, now, 200},
                                {u"msg_b_new2"_s, m_beta, u"dossier.created"_s, u"failed"_s, now + 1, 500}}));
        model.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kCountB + 2, kTimeout);
        // One insertion when the filter's rows were counted, one for the new rows.
        QCOMPARE(inserted.size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(0, DeliveryHistoryModel::Id)).toString(), u"msg_b_new2"_s, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(kCountB + 1, DeliveryHistoryModel::Id)).toString(), idB(0), kTimeout);
        QCOMPARE(reset.size(), 1);
    } else {
        qInfo("step: retention removes the three oldest, then refresh()");
        QVERIFY(sql::exec(db, u"DELETE FROM deliveries WHERE id IN ('%1', '%2', '%3')"_s.arg(idB(0), idB(1), idB(2)), u"prune"));
        model.refresh();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kCountB - 3, kTimeout);
        QCOMPARE(removed.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(kCountB - 4, DeliveryHistoryModel::Id)).toString(), idB(3), kTimeout);
        QCOMPARE(reset.size(), 1);
    }
    db = QSqlDatabase();
    f->db->releaseThreadConnection();
}

void TestUiModels::historyPagingLoadsOnDemand()
{
    auto f = fixture();
    QVERIFY(f);
    DeliveryHistoryModel model(*f->context);
    QSignalSpy counted(&model, &DeliveryHistoryModel::countChanged);
    DeliveryFilter filter;
    filter.webhookId = m_alpha;
    model.setFilter(filter);
    QVERIFY(counted.wait(kTimeout));
    QCOMPARE(counted.last().at(0).toInt(), kCountA);
    QCOMPARE(model.rowCount(), kCountA);
    QCOMPARE(model.columnCount(), int(DeliveryHistoryModel::ColumnCount));
    // Only the count is known: nothing loaded until asked for.
    QCOMPARE(model.loadedPageCount(), 0);

    const int row = 4321; // in the older half: read from the oldest end
    const auto index = model.index(row, DeliveryHistoryModel::Status);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy pages(&model, &DeliveryHistoryModel::pageLoaded);
    QCOMPARE(model.data(index).toString(), u"Loading…"_s);
    QVERIFY(!model.data(index, DeliveryHistoryModel::DeliveryIdRole).isValid());
    QVERIFY(!model.isLoaded(row));
    QVERIFY(pages.wait(kTimeout));
    QCOMPARE(pages.size(), 1);
    QCOMPARE(pages.at(0).at(0).toInt(), row / DeliveryHistoryModel::kPageSize);
    QCOMPARE(model.loadedPageCount(), 1);
    // dataChanged covers the row that was shown as loading.
    bool covered = false;
    for (const auto &args : std::as_const(changed)) {
        const auto tl = args.at(0).value<QModelIndex>();
        const auto br = args.at(1).value<QModelIndex>();
        covered = covered || (tl.row() <= row && row <= br.row() && tl.column() <= index.column() && index.column() <= br.column());
    }
    QVERIFY2(covered, "no dataChanged for the row whose page arrived");

    // The right delivery at the right row, newest first: row r is Alpha's i = 4999 - r.
    const int i = kCountA - 1 - row;
    QCOMPARE(model.data(index, DeliveryHistoryModel::DeliveryIdRole).toString(), idA(i));
    QCOMPARE(model.data(index).toString(), i % 10 == 0 ? u"Failed"_s : u"Succeeded"_s);

    // Rows at page borders, in both halves, and the very last one.
    for (int r : {0, 1, 199, 200, 2499, 2500, 2501, 2600, 4799, 4800, 4999}) {
        QVERIFY(loadRow(model, r));
        QCOMPARE(model.data(model.index(r, DeliveryHistoryModel::Id)).toString(), m_orderA.at(r));
        QCOMPARE(model.delivery(r)->id, m_orderA.at(r));
    }
    QVERIFY(!model.data(model.index(kCountA, 0)).isValid());

    // Every column of a failed delivery (i = 4990 at row 9) and its roles.
    const int failedRow = 9;
    QCOMPARE(model.data(model.index(failedRow, DeliveryHistoryModel::Id)).toString(), idA(4990));
    const auto status = model.index(failedRow, DeliveryHistoryModel::Status);
    QCOMPARE(model.data(status).toString(), u"Failed"_s);
    QCOMPARE(model.data(status, Qt::AccessibleTextRole).toString(), u"Failed"_s);
    QCOMPARE(model.data(status, DeliveryHistoryModel::RawDataRole).toInt(), int(DeliveryStatus::Failed));
    const auto failedIcon = model.data(status, Qt::DecorationRole).value<QIcon>();
    QVERIFY2(!failedIcon.isNull(), "a failed delivery has no status icon");
    const auto okIcon = model.data(model.index(failedRow + 1, DeliveryHistoryModel::Status), Qt::DecorationRole).value<QIcon>();
    QVERIFY2(!okIcon.isNull(), "a succeeded delivery has no status icon");
    QVERIFY2(okIcon.cacheKey() != failedIcon.cacheKey(), "failed and succeeded share one icon: status told by colour alone");
    QCOMPARE(model.data(model.index(failedRow, DeliveryHistoryModel::Event)).toString(), u"lead.created"_s);
    QCOMPARE(model.data(model.index(failedRow, DeliveryHistoryModel::Attempts)).toInt(), 1);
    QCOMPARE(model.data(model.index(failedRow, DeliveryHistoryModel::LastCode)).toString(), u"500"_s);
    QCOMPARE(model.data(model.index(failedRow, DeliveryHistoryModel::LastCode), DeliveryHistoryModel::RawDataRole).toInt(), 500);
    QCOMPARE(model.data(model.index(failedRow, DeliveryHistoryModel::Duration)).toString(), u"12 ms"_s);
    QCOMPARE(model.data(model.index(failedRow, DeliveryHistoryModel::Webhook)).toString(), m_alpha);
    QCOMPARE(model.data(model.index(failedRow, DeliveryHistoryModel::Created), DeliveryHistoryModel::RawDataRole).toDateTime(),
             QDateTime::fromMSecsSinceEpoch(m_base + 4990LL * 1000, Qt::UTC));
    QVERIFY(!model.data(model.index(failedRow, DeliveryHistoryModel::Created)).toString().isEmpty());
    for (int c = 0; c < DeliveryHistoryModel::ColumnCount; ++c) {
        QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
        QCOMPARE(model.data(model.index(failedRow, c), DeliveryHistoryModel::DeliveryIdRole).toString(), idA(4990));
    }
}

void TestUiModels::historyScrollToEndLoadsOnlyNeededPages()
{
    auto f = fixture();
    QVERIFY(f);
    DeliveryHistoryModel model(*f->context);
    QTableView view;
    view.setModel(&model);
    view.verticalHeader()->setDefaultSectionSize(24);
    view.resize(900, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QSignalSpy pages(&model, &DeliveryHistoryModel::pageLoaded);
    QVERIFY(showOnly(model, m_alpha, kCountA));
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(0), kTimeout);
    QTest::qWait(100);
    // Opening shows the top: only the first page was read.
    QCOMPARE(model.loadedPageCount(), 1);
    QCOMPARE(view.model()->data(view.model()->index(0, DeliveryHistoryModel::Id)).toString(), idA(kCountA - 1));

    pages.clear();
    QElapsedTimer timer;
    timer.start();
    view.scrollToBottom();
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(kCountA - 1), kTimeout);
    const auto scrollMs = timer.elapsed();
    QTest::qWait(100);
    QSet<int> loaded;
    for (const auto &args : std::as_const(pages))
        loaded.insert(args.at(0).toInt());
    const int lastPage = (kCountA - 1) / DeliveryHistoryModel::kPageSize;
    qInfo("scroll to the end: pages loaded %s in %lld ms", qPrintable([&] {
              QStringList s;
              for (int p : loaded)
                  s << QString::number(p);
              return s.join(u',');
          }()),
          scrollMs);
    // The visible rows at the end lie in the last page (maybe the one before): nothing in between was read.
    for (int p : std::as_const(loaded))
        QVERIFY2(p >= lastPage - 1, qPrintable(u"page %1 was loaded while scrolling to the end"_s.arg(p)));
    QVERIFY(!model.isLoaded(kCountA / 2));
    QVERIFY(model.loadedPageCount() <= 3);
    const int lastVisible = view.rowAt(view.viewport()->height() - 2);
    QCOMPARE(lastVisible, kCountA - 1);
    QCOMPARE(model.data(model.index(kCountA - 1, DeliveryHistoryModel::Id)).toString(), idA(0));
    QCOMPARE(model.data(model.index(kCountA - 1, DeliveryHistoryModel::Status)).toString(), u"Failed"_s);
}

void TestUiModels::historyCacheIsBounded()
{
    auto f = fixture();
    QVERIFY(f);
    DeliveryHistoryModel model(*f->context);
    model.setFilter({});
    const int total = kCountA + kCountB;
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), total, kTimeout);
    const int pageCount = (total + DeliveryHistoryModel::kPageSize - 1) / DeliveryHistoryModel::kPageSize;
    QVERIFY2(pageCount > DeliveryHistoryModel::kMaxPages, "the data set must be larger than the cache");
    int maxSeen = 0;
    for (int p = 0; p < pageCount; ++p) {
        const int first = p * DeliveryHistoryModel::kPageSize;
        const int last = std::min(total, first + DeliveryHistoryModel::kPageSize) - 1;
        QVERIFY(loadRow(model, first));
        maxSeen = std::max(maxSeen, model.loadedPageCount());
        QVERIFY2(model.loadedPageCount() <= DeliveryHistoryModel::kMaxPages,
                 qPrintable(u"%1 pages in memory after page %2"_s.arg(model.loadedPageCount()).arg(p)));
        // Both ends of each page hold the right delivery (merged order of both webhooks).
        QCOMPARE(model.delivery(first)->id, m_orderAll.at(first));
        QCOMPARE(model.delivery(last)->id, m_orderAll.at(last));
    }
    QCOMPARE(maxSeen, DeliveryHistoryModel::kMaxPages);
    // The least recently loaded pages went; asking again brings them back.
    QVERIFY(!model.isLoaded(0));
    QVERIFY(model.isLoaded(total - 1));
    QVERIFY(loadRow(model, 0));
    QCOMPARE(model.delivery(0)->id, m_orderAll.at(0));
    QVERIFY(model.loadedPageCount() <= DeliveryHistoryModel::kMaxPages);
}

// clang-format off
void TestUiModels::historyFilters_data()
{
    QTest::addColumn<int>("which");   // 0 all webhooks, 1 Alpha, 2 Beta
    QTest::addColumn<int>("status");  // -1 any
    QTest::addColumn<QString>("eventType");
    QTest::addColumn<int>("sinceIndex");  // Alpha's i at which the range starts; -1 open
    QTest::addColumn<int>("untilIndex");  // Alpha's i before which it ends; -1 open
    QTest::addColumn<int>("expected");
    QTest::addColumn<QString>("firstId");

    QTest::newRow("alpha failed") << 1 << int(DeliveryStatus::Failed) << QString() << -1 << -1 << 500 << idA(4990);
    QTest::newRow("alpha succeeded") << 1 << int(DeliveryStatus::Succeeded) << QString() << -1 << -1 << 4500 << idA(4999);
    QTest::newRow("alpha pending") << 1 << int(DeliveryStatus::Pending) << QString() << -1 << -1 << 0 << QString();
    QTest::newRow("alpha lead.created") << 1 << -1 << u"lead.created"_s << -1 << -1 << 2500 << idA(4998);
    QTest::newRow("alpha lead.created failed") << 1 << int(DeliveryStatus::Failed) << u"lead.created"_s << -1 << -1 << 500 << idA(4990);
    QTest::newRow("all dossier.created") << 0 << -1 << u"dossier.created"_s << -1 << -1 << kCountB << idB(kCountB - 1);
    QTest::newRow("beta lead.created") << 2 << -1 << u"lead.created"_s << -1 << -1 << 0 << QString();
    // Alpha's i in [1000, 2000) and Beta's j in [1000, 2000) (half a second later each).
    QTest::newRow("alpha date range") << 1 << -1 << QString() << 1000 << 2000 << 1000 << idA(1999);
    QTest::newRow("all date range") << 0 << -1 << QString() << 1000 << 2000 << 2000 << idB(1999);
    QTest::newRow("all since") << 0 << -1 << QString() << 4500 << -1 << 500 << idA(4999);
    QTest::newRow("all until") << 0 << -1 << QString() << -1 << 10 << 20 << idB(9);
}
// clang-format on

void TestUiModels::historyFilters()
{
    QFETCH(int, which);
    QFETCH(int, status);
    QFETCH(QString, eventType);
    QFETCH(int, sinceIndex);
    QFETCH(int, untilIndex);
    QFETCH(int, expected);
    QFETCH(QString, firstId);

    auto f = fixture();
    QVERIFY(f);
    DeliveryHistoryModel model(*f->context);
    QSignalSpy counted(&model, &DeliveryHistoryModel::countChanged);
    DeliveryFilter filter;
    filter.webhookId = which == 1 ? m_alpha : which == 2 ? m_beta : QString();
    if (status >= 0)
        filter.status = DeliveryStatus(status);
    filter.eventType = eventType;
    if (sinceIndex >= 0)
        filter.since = QDateTime::fromMSecsSinceEpoch(m_base + qint64(sinceIndex) * 1000, Qt::UTC);
    if (untilIndex >= 0)
        filter.until = QDateTime::fromMSecsSinceEpoch(m_base + qint64(untilIndex) * 1000, Qt::UTC);
    model.setFilter(filter);
    QVERIFY(counted.wait(kTimeout));
    QCOMPARE(model.rowCount(), expected);
    QCOMPARE(model.filter().webhookId, filter.webhookId);
    if (expected == 0)
        return;
    QVERIFY(loadRow(model, 0));
    QCOMPARE(model.data(model.index(0, DeliveryHistoryModel::Id)).toString(), firstId);
    // Every loaded row matches the filter, to the last one.
    for (int r : {0, expected / 2, expected - 1}) {
        QVERIFY(loadRow(model, r));
        const auto *d = model.delivery(r);
        QVERIFY(d);
        if (filter.status)
            QCOMPARE(d->status, *filter.status);
        if (!eventType.isEmpty())
            QCOMPARE(d->eventType, eventType);
        if (!filter.webhookId.isEmpty())
            QCOMPARE(d->webhookId, filter.webhookId);
        if (filter.since.isValid())
            QVERIFY(d->createdAt >= filter.since);
        if (filter.until.isValid())
            QVERIFY(d->createdAt < filter.until);
    }
}

void TestUiModels::historyLiveInsertKeepsSelection()
{
    auto f = fixture();
    QVERIFY(f);
    DeliveryHistoryModel model(*f->context);
    QTableView view;
    view.setModel(&model);
    view.setSelectionBehavior(QAbstractItemView::SelectRows);
    view.setSelectionMode(QAbstractItemView::SingleSelection);
    view.resize(900, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QVERIFY(showOnly(model, m_alpha, kCountA));
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(0), kTimeout);

    auto *selection = view.selectionModel();
    const int selectedRow = 10;
    selection->setCurrentIndex(model.index(selectedRow, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    const auto selectedId = model.data(selection->currentIndex(), DeliveryHistoryModel::DeliveryIdRole).toString();
    QCOMPARE(selectedId, idA(kCountA - 1 - selectedRow));

    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);

    // Three new deliveries, written by "the engine", then the model refreshes.
    auto db = f->db->connection();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(insertRows(db, {{u"msg_live_1"_s, m_alpha, u"lead.created"_s, u"succeeded"_s, now, 200},
                            {u"msg_live_2"_s, m_alpha, u"lead.created"_s, u"succeeded"_s, now + 1, 200},
                            {u"msg_live_3"_s, m_alpha, u"lead.updated"_s, u"failed"_s, now + 2, 500}}));
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kCountA + 3, kTimeout);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(layout.size(), 0);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2);
    // The selection followed its delivery down by three rows.
    QCOMPARE(selection->currentIndex().row(), selectedRow + 3);
    QTRY_COMPARE_WITH_TIMEOUT(model.data(selection->currentIndex(), DeliveryHistoryModel::DeliveryIdRole).toString(), selectedId, kTimeout);
    QCOMPARE(selection->selectedRows().size(), 1);
    QCOMPARE(selection->selectedRows().constFirst().row(), selectedRow + 3);
    QTRY_COMPARE_WITH_TIMEOUT(model.data(model.index(0, DeliveryHistoryModel::Id)).toString(), u"msg_live_3"_s, kTimeout);

    // The same through the application's path: events emitted in this process.
    QVERIFY(insertRows(db, {{u"msg_live_4"_s, m_alpha, u"lead.created"_s, u"succeeded"_s, now + 3, 200}}));
    f->context->notifyEventsEmitted();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kCountA + 4, kTimeout);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(selection->currentIndex().row(), selectedRow + 4);
    QTRY_COMPARE_WITH_TIMEOUT(model.data(selection->currentIndex(), DeliveryHistoryModel::DeliveryIdRole).toString(), selectedId, kTimeout);

    // A refresh with nothing new changes nothing structural.
    inserted.clear();
    model.refresh();
    QTest::qWait(300);
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(selection->currentIndex().row(), selectedRow + 4);
    QTRY_COMPARE_WITH_TIMEOUT(model.data(selection->currentIndex(), DeliveryHistoryModel::DeliveryIdRole).toString(), selectedId, kTimeout);
    db = QSqlDatabase();
    f->db->releaseThreadConnection();
}

namespace {
DeliveryUpdate finishedUpdate(const QString &id, const QString &webhook, DeliveryStatus status, int code)
{
    DeliveryUpdate u;
    u.deliveryId = id;
    u.webhookId = webhook;
    u.status = status;
    u.attempts = 2;
    u.updatedAt = QDateTime::currentDateTimeUtc();
    u.lastStatusCode = code;
    u.lastDurationMs = 42;
    return u;
}
} // namespace

// A batch from the engine changes the rows the model holds, and nothing is
// read again from the database for it.
void TestUiModels::historyUpdatesRowsInPlace()
{
    auto f = fixture();
    QVERIFY(f);
    DeliveryHistoryModel model(*f->context);
    QVERIFY(showOnly(model, m_alpha, kCountA));
    (void)model.delivery(0);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(0), kTimeout);
    const auto top = model.delivery(0)->id;
    const auto second = model.delivery(1)->id;
    QVERIFY(model.delivery(0)->status != DeliveryStatus::Failed || model.delivery(1)->status != DeliveryStatus::Failed);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy pages(&model, &DeliveryHistoryModel::pageLoaded);
    QSignalSpy counted(&model, &DeliveryHistoryModel::countChanged);
    // Updates of another webhook's delivery and of a row not loaded change nothing.
    Q_EMIT f->context->deliveriesUpdated({finishedUpdate(top, m_alpha, DeliveryStatus::Retrying, 503),
                                          finishedUpdate(idB(0), m_beta, DeliveryStatus::Failed, 500),
                                          finishedUpdate(u"msg_not_here"_s, m_alpha, DeliveryStatus::Failed, 500)});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
    const auto *row = model.delivery(0);
    QVERIFY(row);
    QCOMPARE(row->id, top);
    QCOMPARE(row->status, DeliveryStatus::Retrying);
    QCOMPARE(row->attempts, 2);
    QCOMPARE(row->lastStatusCode, std::optional<int>(503));
    QCOMPARE(row->lastDurationMs, std::optional<qint64>(42));
    QCOMPARE(model.data(model.index(0, DeliveryHistoryModel::LastCode)).toString(), u"503"_s);
    QCOMPARE(model.delivery(1)->id, second);
    QTest::qWait(200); // nothing may be read for it
    QCOMPARE(pages.size(), 0);
    QCOMPARE(counted.size(), 0);
}

// Under a status filter a row may leave the filter: the model counts again.
void TestUiModels::historyUnderStatusFilterCountsAgain()
{
    auto f = fixture();
    QVERIFY(f);
    DeliveryHistoryModel model(*f->context);
    DeliveryFilter filter;
    filter.webhookId = m_alpha;
    filter.status = DeliveryStatus::Failed;
    model.setFilter(filter);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kCountA / 10, kTimeout);
    (void)model.delivery(0);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(0), kTimeout);
    const auto id = model.delivery(0)->id;
    // The engine sent it again and it succeeded: it is no longer a failure.
    auto db = f->db->connection();
    QVERIFY(sql::exec(db, u"UPDATE deliveries SET status = 'succeeded' WHERE id = '%1'"_s.arg(id), u"update"));
    db = QSqlDatabase();
    f->db->releaseThreadConnection();
    Q_EMIT f->context->deliveriesUpdated({finishedUpdate(id, m_alpha, DeliveryStatus::Succeeded, 200)});
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kCountA / 10 - 1, kTimeout);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(0) && model.delivery(0)->id != id, kTimeout);
}

void TestUiModels::webhookListAppliesUpdates()
{
    auto f = fixture();
    QVERIFY(f);
    WebhookListModel model(*f->context);
    QSignalSpy loaded(&model, &WebhookListModel::loaded);
    model.reload();
    QVERIFY(loaded.wait(kTimeout));
    const auto *alpha = model.rowFor(m_alpha);
    QVERIFY(alpha);
    const auto before = alpha->activity;
    QVERIFY(!before.lastDeliveryId.isEmpty());
    QCOMPARE(before.lastDeliveryId, idA(kCountA - 1));

    const int betaSucceeded = model.rowFor(m_beta)->activity.succeeded;
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    Q_EMIT f->context->deliveriesUpdated({finishedUpdate(before.lastDeliveryId, m_alpha, DeliveryStatus::Failed, 502),
                                          finishedUpdate(idA(3), m_alpha, DeliveryStatus::Succeeded, 200),
                                          finishedUpdate(idA(4), m_alpha, DeliveryStatus::Retrying, 503)});
    alpha = model.rowFor(m_alpha);
    QCOMPARE(alpha->activity.failed, before.failed + 1);
    QCOMPARE(alpha->activity.succeeded, before.succeeded + 1);
    QCOMPARE(alpha->activity.lastStatus, std::optional<DeliveryStatus>(DeliveryStatus::Failed));
    QCOMPARE(alpha->activity.lastStatusCode, std::optional<int>(502));
    QCOMPARE(changed.size(), 3);
    QCOMPARE(loaded.size(), 1);                                        // nothing read again
    QCOMPARE(model.rowFor(m_beta)->activity.succeeded, betaSucceeded); // another webhook's row stays

    // A delivery made after the list was read is the newest: it says when,
    // and so does the first ever delivery of a webhook that had none.
    const QString newer = idA(kCountA);
    QVERIFY(newer > before.lastDeliveryId);
    Q_EMIT f->context->deliveriesUpdated(
        {finishedUpdate(newer, m_alpha, DeliveryStatus::Succeeded, 200), finishedUpdate(u"msg_g_000000"_s, m_gamma, DeliveryStatus::Succeeded, 204)});
    alpha = model.rowFor(m_alpha);
    QCOMPARE(alpha->activity.lastDeliveryId, newer);
    QCOMPARE(alpha->activity.lastStatus, std::optional<DeliveryStatus>(DeliveryStatus::Succeeded));
    QCOMPARE(alpha->activity.lastStatusCode, std::optional<int>(200));
    const auto *gamma = model.rowFor(m_gamma);
    QVERIFY(gamma->activity.lastAt.isValid());
    QCOMPARE(gamma->activity.lastStatus, std::optional<DeliveryStatus>(DeliveryStatus::Succeeded));
    QVERIFY(model.data(model.index(model.indexFor(m_gamma).row(), WebhookListModel::LastDelivery)).toString() != u"Never"_s);
    // A retry of an older delivery leaves the newest where it is.
    Q_EMIT f->context->deliveriesUpdated({finishedUpdate(idA(7), m_alpha, DeliveryStatus::Failed, 500)});
    QCOMPARE(model.rowFor(m_alpha)->activity.lastDeliveryId, newer);
    QCOMPARE(model.rowFor(m_alpha)->activity.lastStatus, std::optional<DeliveryStatus>(DeliveryStatus::Succeeded));
}

// What QAbstractItemModelTester (and any client reading data in
// rowsAboutToBeRemoved) does: read the row above the removed ones before they
// go. The page asked for then must hold the rows of the layout after removal.
void TestUiModels::historyPageAskedDuringRemoval()
{
    auto f = fixture();
    QVERIFY(f);
    DeliveryHistoryModel model(*f->context);
    QVERIFY(showOnly(model, m_alpha, kCountA));
    QVERIFY(!model.isLoaded(kCountA - 1));
    connect(&model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [&model](const QModelIndex &, int start) { model.data(model.index(start - 1, 0)); });

    // Retention prunes Alpha's five oldest (i = 0..4).
    auto db = f->db->connection();
    QVERIFY(sql::exec(db, u"DELETE FROM deliveries WHERE id IN ('%1','%2','%3','%4','%5')"_s.arg(idA(0), idA(1), idA(2), idA(3), idA(4)), u"prune"));
    model.refresh();
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), kCountA - 5, kTimeout);
    const int last = kCountA - 6;
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(last), kTimeout);
    QTest::qWait(200);
    // Newest first, the last row is now the oldest left: i = 5.
    QCOMPARE(model.data(model.index(last, DeliveryHistoryModel::Id)).toString(), idA(5));
    QCOMPARE(model.data(model.index(last - 1, DeliveryHistoryModel::Id)).toString(), idA(6));
    const int pageStart = last / DeliveryHistoryModel::kPageSize * DeliveryHistoryModel::kPageSize;
    QCOMPARE(model.data(model.index(pageStart, DeliveryHistoryModel::Id)).toString(), m_orderA.at(pageStart));
    db = QSqlDatabase();
    f->db->releaseThreadConnection();
}

// Every AppContext owns a ServiceExecutor whose thread has its own
// connection; the executor must close it on that thread before it ends, or
// the Database later finds a connection of a dead thread.
namespace {
int g_foreignConnectionWarnings = 0;
QtMessageHandler g_previousHandler = nullptr;
void countForeignConnections(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (message.contains(u"does not belong to the calling thread"_s))
        ++g_foreignConnectionWarnings;
    else if (g_previousHandler)
        g_previousHandler(type, context, message);
}
} // namespace

void TestUiModels::executorClosesItsConnection()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    g_foreignConnectionWarnings = 0;
    g_previousHandler = qInstallMessageHandler(countForeignConnections);
    const int rounds = 100;
    for (int round = 0; round < rounds; ++round) {
        auto opened = Installation::open(dir.filePath(u"exec.db"_s)); // a new Database each round, one file
        QVERIFY(opened);
        auto database = *opened;
        database->releaseThreadConnection();
        {
            // Ended as soon as an answer comes back, as a window closed right
            // after its query finished (on every other round, after a pause).
            ServiceExecutor executor(database);
            QEventLoop loop;
            executor.run<int>([](QSqlDatabase db) { return db.isOpen() ? 1 : 0; }, this, [&loop](int) { loop.quit(); });
            QTimer::singleShot(kTimeout, &loop, &QEventLoop::quit);
            loop.exec();
            if (round % 2)
                QTest::qWait(5);
        }
        database.reset(); // ~Database closes what is left, on this thread
    }
    qInstallMessageHandler(g_previousHandler);
    QVERIFY2(g_foreignConnectionWarnings == 0,
             qPrintable(u"%1 of %2 executors ended without closing their thread's connection "
                        "(\"QSqlDatabasePrivate::database: requested database does not belong to the calling thread\" "
                        "from ~Database)"_s.arg(g_foreignConnectionWarnings)
                            .arg(rounds)));
}

// Work handed to the executor just before it is destroyed (the form's Save in
// "Unsaved changes? Save" on closing the window, then the application quits)
// must still be done: the thread has to drain its queue before it ends.
void TestUiModels::executorFinishesQueuedWork()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto opened = Installation::open(dir.filePath(u"queue.db"_s));
    QVERIFY(opened);
    auto database = *opened;
    database->releaseThreadConnection();
    const int rounds = 100;
    int lostFresh = 0;   // executor created, given a write, destroyed
    int lostRunning = 0; // executor that has already answered a query, given a write, destroyed
    for (int round = 1; round <= rounds; ++round) {
        const bool running = round % 2 == 0;
        {
            ServiceExecutor executor(database);
            if (running) {
                QEventLoop loop;
                executor.run<int>([](QSqlDatabase) { return 0; }, this, [&loop](int) { loop.quit(); });
                QTimer::singleShot(kTimeout, &loop, &QEventLoop::quit);
                loop.exec();
                QTest::qWait(2);
            }
            executor.run<bool>(
                [round](QSqlDatabase db) { return bool(Settings(db).setValue(QString::fromLatin1(Settings::kRetention), QString::number(round))); },
                this, [](bool) {});
        }
        auto db = database->connection();
        if (Settings(db).retention() != round)
            ++(running ? lostRunning : lostFresh);
        db = QSqlDatabase();
        database->releaseThreadConnection();
    }
    QVERIFY2(lostFresh == 0 && lostRunning == 0,
             qPrintable(u"writes queued just before ~ServiceExecutor were never done: %1 of %2 on a new executor, "
                        "%3 of %2 on one already running"_s.arg(lostFresh)
                            .arg(rounds / 2)
                            .arg(lostRunning)));
}

QTEST_MAIN(TestUiModels)
#include "tst_ui_models.moc"
