// Group commit for POST /events: the writer thread takes what the server
// thread hands over. When the server thread has read everything it had while
// the writer was busy, the writer goes on with it as soon as its commit ends,
// without waiting for the server thread to answer first.
#include "IngestBatcher.h"
#include "service/CatalogService.h"
#include "service/Installation.h"

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

using namespace hookline;
using namespace Qt::StringLiterals;

namespace {

EventService::Request oneEvent(const QString &key)
{
    EventService::Incoming e;
    e.type = u"lead.created"_s;
    e.data = "{}";
    e.canonical = true;
    e.key = key;
    return {u"default"_s, {e}, {}, {}};
}

// Lets the calling thread's event loop run until it waits for events (at
// least once: its dispatcher says it is about to block) and a little after.
void letTheLoopWait()
{
    QEventLoop loop;
    QTimer::singleShot(10, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

class TestIngestBatcher final : public QObject {
    Q_OBJECT

private slots:
    void writerGoesOnWithWhatWasReadWhileItWrote()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"ingest.db"_s);
        auto opened = Installation::open(path, CatalogService::builtinCatalogs());
        QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
        auto installation = *opened;

        // Another connection holds the write lock: the writer's first commit waits for it.
        {
            auto blocker = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"blocker"_s);
            blocker.setDatabaseName(path);
            QVERIFY(blocker.open());
            QSqlQuery lock(blocker);
            QVERIFY2(lock.exec(u"BEGIN IMMEDIATE"_s), qPrintable(lock.lastError().text()));
        }
        auto blocker = QSqlDatabase::database(u"blocker"_s);

        int answered = 0;
        const auto done = [&answered](Result<EventService::Recorded> r) {
            QVERIFY2(r, r ? "" : qPrintable(r.error().message));
            ++answered;
        };
        {
            api::IngestBatcher batcher(installation);
            batcher.submit(oneEvent(u"first"_s), done);
            // The loop waits: the first group starts, and blocks on the lock.
            QDeadlineTimer taken(10000);
            while (batcher.waiting() > 0 && !taken.hasExpired())
                letTheLoopWait();
            QCOMPARE(batcher.waiting(), 0);

            batcher.submit(oneEvent(u"second"_s), done);
            letTheLoopWait(); // this thread has read all it had; the writer is still busy
            QCOMPARE(batcher.waiting(), 1);
            QVERIFY(blocker.rollback());

            // No event loop runs here from now on: the second event must be
            // written all the same.
            QSqlQuery count(blocker);
            QDeadlineTimer written(10000);
            int events = 0;
            while (events < 2 && !written.hasExpired()) {
                QThread::msleep(5);
                QVERIFY(count.exec(u"SELECT COUNT(*) FROM events WHERE type = 'lead.created'"_s));
                events = count.next() ? count.value(0).toInt() : 0;
            }
            QCOMPARE(events, 2);
            count.finish();

            QDeadlineTimer answers(10000);
            while (answered < 2 && !answers.hasExpired())
                letTheLoopWait();
            QCOMPARE(answered, 2);
        }
        blocker.close();
        blocker = {};
        QSqlDatabase::removeDatabase(u"blocker"_s);
    }
};

QTEST_GUILESS_MAIN(TestIngestBatcher)
#include "tst_ingestbatcher.moc"
