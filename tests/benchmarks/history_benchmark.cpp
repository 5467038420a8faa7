// The delivery history at scale: with N deliveries (default 1 000 000) in the
// database, how long opening the history and scrolling to its end take in the
// window's own model and view, beside the raw SQL queries they rest on,
// measured in the same run. Run: tests/benchmarks/history.sh
#include "AppContext.h"
#include "models/DeliveryHistoryModel.h"
#include "service/CatalogService.h"
#include "service/Installation.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "store/Database.h"
#include "store/DeliveryStore.h"
#include "store/Sql.h"
#include "widgets/HistoryView.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>

#include <cstdio>

using namespace hookline;

namespace {
double msSince(const QElapsedTimer &t)
{
    return t.nsecsElapsed() / 1e6;
}

long rssKb()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const auto &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return -1;
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}
} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int n = argc > 1 ? QByteArray(argv[1]).toInt() : 1'000'000;
    QTemporaryDir dir;
    const auto path = dir.filePath(QStringLiteral("history.db"));
    auto database = Database::open(path);
    if (!database) {
        std::fprintf(stderr, "%s\n", qPrintable(database.error().message));
        return 1;
    }
    auto db = (*database)->connection();
    (void)Settings(db).setValue(QStringLiteral("allowPrivateAddresses"), QStringLiteral("true"));
    (void)Settings(db).setValue(QStringLiteral("allowInsecureUrls"), QStringLiteral("true"));
    (void)CatalogService(db).initializeNewDatabase({QStringLiteral("lead-crm")});
    Webhook w;
    w.url = QStringLiteral("http://127.0.0.1:9/x");
    w.events = {QStringLiteral("lead.created")};
    auto webhook = WebhookService(db).create(w);
    if (!webhook)
        return 1;

    QElapsedTimer fill;
    fill.start();
    {
        sql::Transaction tx(db);
        (void)tx.begin();
        auto e = sql::prepare(
            db,
            QStringLiteral("INSERT INTO events (id, tenant_id, type, created_at, body) VALUES ('evt_bench', 'default', 'lead.created', 0, '{}')"));
        (void)sql::exec(e, u"event");
        auto q = sql::prepare(
            db,
            QStringLiteral(
                "INSERT INTO deliveries (id, event_id, webhook_id, tenant_id, event_type, status, attempts, created_at, updated_at, last_status_code, last_duration_ms)"
                " VALUES (?, 'evt_bench', ?, 'default', 'lead.created', ?, 1, ?, ?, ?, 12)"));
        const qint64 start = QDateTime::currentMSecsSinceEpoch() - qint64(n) * 50;
        for (int i = 0; i < n; ++i) {
            q.addBindValue(QStringLiteral("msg_%1").arg(i, 10, 10, QLatin1Char('0')));
            q.addBindValue(webhook->id);
            q.addBindValue(i % 10 == 0 ? QStringLiteral("failed") : QStringLiteral("succeeded"));
            q.addBindValue(start + qint64(i) * 50);
            q.addBindValue(start + qint64(i) * 50);
            q.addBindValue(i % 10 == 0 ? 500 : 200);
            (void)sql::exec(q, u"delivery");
        }
        (void)tx.commit();
    }
    std::printf("filled %d deliveries in %.1f s\n", n, fill.elapsed() / 1000.0);

    // Reference: the raw queries the model rests on, same database, same run.
    DeliveryFilter filter;
    filter.webhookId = webhook->id;
    QElapsedTimer t;
    t.start();
    const int count = *DeliveryStore(db).count(filter);
    const double countMs = msSince(t);
    filter.limit = DeliveryHistoryModel::kPageSize;
    t.restart();
    (void)DeliveryStore(db).list(filter);
    const double firstPageMs = msSince(t);
    // The naive way to the end: one OFFSET over the whole index, newest first.
    filter.offset = (count - 1) / DeliveryHistoryModel::kPageSize * DeliveryHistoryModel::kPageSize;
    t.restart();
    (void)DeliveryStore(db).list(filter);
    const double lastPageMs = msSince(t);
    db = QSqlDatabase();
    (*database)->releaseThreadConnection();

    auto installation = Installation::open(path);
    if (!installation)
        qFatal("%s", qPrintable(installation.error().message));
    (*installation)->releaseThreadConnection();
    AppContext context(*installation, 1);
    HistoryView view(context);
    view.resize(1200, 800);
    view.show();
    auto *model = view.model();
    const long rssBefore = rssKb();

    t.restart();
    view.setWebhook(webhook->id);
    const bool opened = waitFor([&] { return model->rowCount() == count && model->isLoaded(0); }, 30000);
    const double openMs = msSince(t);

    t.restart();
    view.view()->scrollToBottom();
    const bool scrolled = waitFor([&] { return model->isLoaded(count - 1); }, 30000);
    QCoreApplication::processEvents();
    const double scrollMs = msSince(t);
    const long rssAfter = rssKb();

    std::printf("\n%-44s %12s %12s\n", "", "window", "raw SQL");
    std::printf("%-44s %10.1f ms %10.1f ms  (count + first page)\n", "open the history (count, first page shown)", openMs, countMs + firstPageMs);
    std::printf("%-44s %10.1f ms %10.1f ms  (last page)\n", "scroll to the end (last page shown)", scrollMs, lastPageMs);
    std::printf("%-44s\n", "  (raw SQL here: newest-first OFFSET to the end; the model reads the older half from the oldest end)");
    std::printf("%-44s %12d\n", "rows in the model", model->rowCount());
    std::printf("%-44s %12d (max %d)\n", "pages held in memory", model->loadedPageCount(), DeliveryHistoryModel::kMaxPages);
    std::printf("%-44s %9ld kB -> %ld kB\n", "resident memory while browsing", rssBefore, rssAfter);
    std::printf("\ntarget: each under 1000 ms: %s\n", opened && scrolled && openMs < 1000 && scrollMs < 1000 ? "MET" : "NOT MET");
    return opened && scrolled ? 0 : 1;
}
