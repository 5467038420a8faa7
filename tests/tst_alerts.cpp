// Operational alerts: a webhook that starts failing, is deactivated or
// delivers again raises one alert per incident (engine/AlertWatch), the
// operational events reach the admin webhook and never loop, and re-enabling
// closes the incident.

#include "EngineFixture.h"

#include "engine/AlertWatch.h"
#include "model/Alert.h"
#include "model/AttemptOutcome.h"
#include "service/AlertService.h"
#include "service/Settings.h"
#include "service/WebhookService.h"
#include "util/Clock.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace hookline;
using namespace hookline::test;
using namespace Qt::StringLiterals;

class TestAlerts final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void failuresInRowOpenOneIncidentThenRecovery();
    void autoDisableIsOneAlert_data();
    void autoDisableIsOneAlert();
    void successRateUnderThreshold();
    void rateRuleWaitsAfterRecovery();
    void operationalEventsReachOnlyTheAdminWebhook();
    void adminWebhookIsNeverToldAboutItself();
    void reenablingClosesTheIncident();
    void openOnlyListsWhatIsWrongNow();
    void settingsAreValidated();
    void rateChecksOfLongAgoAreForgotten();

private:
    static Alerts alerts(EngineFixture &f, const QString &webhookId = {})
    {
        AlertFilter filter;
        filter.webhookId = webhookId;
        auto list = AlertService(f.conn()).list(filter);
        if (!list)
            qWarning() << list.error().message;
        Alerts out = list ? *list : Alerts{};
        std::reverse(out.begin(), out.end()); // oldest first, as they happened
        return out;
    }
    static QList<Alert::Kind> kinds(const Alerts &alerts)
    {
        QList<Alert::Kind> out;
        for (const auto &a : alerts)
            out << a.kind;
        return out;
    }
    // `n` deliveries to the webhook, one after the other, each finished before the next.
    static bool deliverEach(EngineFixture &f, const QString &webhookId, int n)
    {
        for (int i = 0; i < n; ++i) {
            if (!f.webhook(webhookId).active)
                break; // deactivated: new events make no deliveries for it
            // The type only this webhook subscribes to, so that the others stay out of it.
            const auto event = f.emitEvent(f.webhook(webhookId).events.value(0));
            const auto id = f.deliveryId(event, webhookId);
            if (id.isEmpty() || !f.finish(id, 8000))
                return false;
            f.clock().advance(1);
        }
        return true;
    }
    // No retries and no auto-disable: each delivery is one attempt.
    static Webhook single(EngineFixture &f, const QString &path, const QString &eventType = u"lead.created"_s)
    {
        auto d = f.draft(path);
        d.events = {eventType};
        d.retry.maxRetries = 0;
        d.retry.autoDisableAfter = 0;
        return d;
    }
};

void TestAlerts::failuresInRowOpenOneIncidentThenRecovery()
{
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting(Settings::kAlertFailuresInRow, "3"));
    QVERIFY(f.setting(Settings::kAlertSuccessRatePercent, "0"));
    bool healthy = false;
    f.receiver().setResponder([&healthy](const ReceivedRequest &) { return ScriptedReply::ok(healthy ? 200 : 503); });
    REQUIRE_WEBHOOK(w, f.create(single(f, u"/hook"_s)));
    auto &engine = f.start(EngineFixture::serialOptions());
    QSignalSpy raised(&engine, &DeliveryEngine::alertsRaised);

    QVERIFY(deliverEach(f, w.id, 2));
    QVERIFY(alerts(f).isEmpty());     // two in a row: not yet
    QVERIFY(deliverEach(f, w.id, 6)); // the third opens it; the five after are the same incident
    auto list = alerts(f);
    QCOMPARE(kinds(list), QList<Alert::Kind>{Alert::Kind::Failing});
    QVERIFY2(list[0].detail.contains(u"3 deliveries in a row failed"_s), qPrintable(list[0].detail));
    QVERIFY2(list[0].detail.contains(u"HTTP 503"_s), qPrintable(list[0].detail));
    QCOMPARE(list[0].webhookName, w.name);
    QVERIFY(!list[0].deliveryId.isEmpty());
    QVERIFY(f.webhook(w.id).failingSince.isValid());
    QTRY_COMPARE_WITH_TIMEOUT(raised.count(), 1, 2000);

    healthy = true;
    QVERIFY(deliverEach(f, w.id, 3));
    list = alerts(f);
    QCOMPARE(kinds(list), (QList<Alert::Kind>{Alert::Kind::Failing, Alert::Kind::Recovered}));
    QVERIFY2(list[1].detail.contains(u"delivered again"_s), qPrintable(list[1].detail));
    QVERIFY(!f.webhook(w.id).failingSince.isValid());
    QTRY_COMPARE_WITH_TIMEOUT(raised.count(), 2, 2000);
    const auto second = raised.at(1).at(0).value<Alerts>();
    QCOMPARE(second.size(), 1);
    QCOMPARE(second[0].kind, Alert::Kind::Recovered);
    QVERIFY(second[0].id > 0);

    // A new incident after the recovery is a new alert.
    healthy = false;
    QVERIFY(deliverEach(f, w.id, 3));
    QCOMPARE(kinds(alerts(f)), (QList<Alert::Kind>{Alert::Kind::Failing, Alert::Kind::Recovered, Alert::Kind::Failing}));
}

void TestAlerts::autoDisableIsOneAlert_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("failingAfter"); // the alertFailuresInRow setting
    QTest::addColumn<QList<Alert::Kind>>("expected");
    // clang-format off
    QTest::newRow("disabled, failing rule off") << 500 << 0 << QList<Alert::Kind>{Alert::Kind::Disabled};
    QTest::newRow("failing, then disabled")     << 500 << 2 << QList<Alert::Kind>{Alert::Kind::Failing, Alert::Kind::Disabled};
    QTest::newRow("410 Gone")                   << 410 << 3 << QList<Alert::Kind>{Alert::Kind::Gone};
    // clang-format on
}

void TestAlerts::autoDisableIsOneAlert()
{
    QFETCH(int, status);
    QFETCH(int, failingAfter);
    QFETCH(QList<Alert::Kind>, expected);
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting(Settings::kAlertFailuresInRow, QByteArray::number(failingAfter).constData()));
    QVERIFY(f.setting(Settings::kAlertSuccessRatePercent, "0"));
    f.receiver().setResponder([status](const ReceivedRequest &) { return ScriptedReply::ok(status); });
    auto d = single(f, u"/hook"_s);
    d.retry.autoDisableAfter = 3;
    REQUIRE_WEBHOOK(w, f.create(d));
    f.start(EngineFixture::serialOptions());
    QVERIFY(deliverEach(f, w.id, 6)); // past the deactivation: the rest are not sent
    QVERIFY(!f.webhook(w.id).active);
    const auto list = alerts(f);
    QCOMPARE(kinds(list), expected);
    QVERIFY(!f.webhook(w.id).failingSince.isValid()); // the deactivation closed "failing"
}

void TestAlerts::successRateUnderThreshold()
{
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting(Settings::kAlertFailuresInRow, "0"));
    QVERIFY(f.setting(Settings::kAlertSuccessRatePercent, "50"));
    // One attempt in three succeeds: 33 %, and never three failures in a row
    // that would matter (that rule is off anyway).
    f.receiver().setResponder([](const ReceivedRequest &r) { return ScriptedReply::ok(r.index % 3 == 0 ? 200 : 500); });
    REQUIRE_WEBHOOK(w, f.create(single(f, u"/hook"_s)));
    f.start(EngineFixture::serialOptions());
    QVERIFY(deliverEach(f, w.id, 9));
    QVERIFY2(alerts(f).isEmpty(), "nine attempts: fewer than the rate needs");
    f.clock().advance(AlertWatch::kRateCheckIntervalMs); // the rate is counted at most every 5 s
    QVERIFY(deliverEach(f, w.id, 3));
    const auto list = alerts(f);
    QCOMPARE(kinds(list), QList<Alert::Kind>{Alert::Kind::Failing});
    QVERIFY2(list[0].detail.contains(u"4 of 11 attempts"_s), qPrintable(list[0].detail));
    QVERIFY2(list[0].detail.contains(u"under the 50 % threshold"_s), qPrintable(list[0].detail));
}

void TestAlerts::rateRuleWaitsAfterRecovery()
{
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting(Settings::kAlertFailuresInRow, "0"));
    QVERIFY(f.setting(Settings::kAlertSuccessRatePercent, "50"));
    f.receiver().setResponder([](const ReceivedRequest &r) { return ScriptedReply::ok(r.index % 4 == 3 ? 200 : 500); });
    REQUIRE_WEBHOOK(w, f.create(single(f, u"/hook"_s)));
    f.start(EngineFixture::serialOptions());
    QVERIFY(deliverEach(f, w.id, 12)); // 3 of 12: failing (the first check saw too few)
    f.clock().advance(AlertWatch::kRateCheckIntervalMs);
    QVERIFY(deliverEach(f, w.id, 4)); // the 12th answer was a 200; the 16th too: recovered
    auto list = alerts(f);
    QCOMPARE(kinds(list), (QList<Alert::Kind>{Alert::Kind::Failing, Alert::Kind::Recovered}));
    // The receiver goes on failing three times in four: within the quiet
    // period the rate rule opens nothing, however often it is checked.
    for (int round = 0; round < 3; ++round) {
        f.clock().advance(AlertWatch::kRateCheckIntervalMs);
        QVERIFY(deliverEach(f, w.id, 12));
    }
    QCOMPARE(alerts(f).size(), 2);
    // After it, counted from the recovery only: a new incident.
    f.clock().advance(AlertWatch::kQuietAfterCloseMs);
    QVERIFY(deliverEach(f, w.id, 3)); // ends on a failure
    list = alerts(f);
    QCOMPARE(kinds(list), (QList<Alert::Kind>{Alert::Kind::Failing, Alert::Kind::Recovered, Alert::Kind::Failing}));
}

void TestAlerts::operationalEventsReachOnlyTheAdminWebhook()
{
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setResponder([](const ReceivedRequest &r) { return ScriptedReply::ok(r.path.startsWith("/admin") ? 200 : 500); });
    REQUIRE_WEBHOOK(admin, f.create(single(f, u"/admin"_s, u"deal.won"_s)));
    // Subscribed to the operational events by name: still not a way in.
    auto bystanderDraft = single(f, u"/bystander"_s);
    bystanderDraft.events = {u"hookline.*"_s};
    REQUIRE_WEBHOOK(bystander, f.create(bystanderDraft));
    REQUIRE_WEBHOOK(shop, f.create(single(f, u"/shop"_s)));
    QVERIFY(f.setting(Settings::kAlertFailuresInRow, "3"));
    QVERIFY(f.setting(Settings::kAlertSuccessRatePercent, "0"));
    QVERIFY(f.setting(Settings::kAlertEventsWebhook, admin.id.toLatin1().constData()));
    f.start(EngineFixture::serialOptions());
    QVERIFY(deliverEach(f, shop.id, 3));
    QTRY_VERIFY_WITH_TIMEOUT(f.scalar(u"SELECT COUNT(*) FROM deliveries WHERE webhook_id = ? AND status = 'succeeded'"_s, {admin.id}) == 1, 5000);
    QCOMPARE(f.scalar(u"SELECT COUNT(*) FROM deliveries WHERE webhook_id = ?"_s, {bystander.id}), 0);

    QList<ReceivedRequest> atAdmin;
    for (const auto &r : f.receiver().requests()) {
        if (r.path == "/admin")
            atAdmin << r;
    }
    QCOMPARE(atAdmin.size(), 1);
    const auto body = QJsonDocument::fromJson(atAdmin[0].body).object();
    QCOMPARE(body.value(u"event"_s).toString(), u"hookline.webhook.failing"_s);
    const auto data = body.value(u"data"_s).toObject();
    QCOMPARE(data.value(u"webhook"_s).toObject().value(u"id"_s).toString(), shop.id);
    QCOMPARE(data.value(u"webhook"_s).toObject().value(u"name"_s).toString(), shop.name);
    QCOMPARE(data.value(u"alert"_s).toObject().value(u"kind"_s).toString(), u"failing"_s);
    QVERIFY(data.value(u"alert"_s).toObject().value(u"id"_s).toInteger() > 0);
    // Signed like any delivery (the standard scheme of the draft).
    QVERIFY(atAdmin[0].hasHeader("webhook-signature"));
    QVERIFY(atAdmin[0].header("webhook-signature").startsWith("v1,"));
}

void TestAlerts::adminWebhookIsNeverToldAboutItself()
{
    EngineFixture f;
    QVERIFY(f.ok());
    f.receiver().setResponder([](const ReceivedRequest &) { return ScriptedReply::ok(500); }); // everything fails, the admin webhook too
    REQUIRE_WEBHOOK(admin, f.create(single(f, u"/admin"_s, u"deal.won"_s)));
    REQUIRE_WEBHOOK(shop, f.create(single(f, u"/shop"_s)));
    QVERIFY(f.setting(Settings::kAlertFailuresInRow, "3"));
    QVERIFY(f.setting(Settings::kAlertSuccessRatePercent, "0"));
    QVERIFY(f.setting(Settings::kAlertEventsWebhook, admin.id.toLatin1().constData()));
    f.start(EngineFixture::serialOptions());
    QVERIFY(deliverEach(f, admin.id, 4)); // the admin webhook fails: an alert, no event about itself
    QCOMPARE(kinds(alerts(f, admin.id)), QList<Alert::Kind>{Alert::Kind::Failing});
    QCOMPARE(f.scalar(u"SELECT COUNT(*) FROM deliveries WHERE event_type LIKE 'hookline.webhook.%'"_s), 0);
    // Another webhook fails: its event goes to the admin webhook, fails
    // there, and that raises nothing more (the admin incident is open).
    QVERIFY(deliverEach(f, shop.id, 3));
    QCOMPARE(f.scalar(u"SELECT COUNT(*) FROM deliveries WHERE event_type LIKE 'hookline.webhook.%'"_s), 1);
    QTRY_COMPARE_WITH_TIMEOUT(f.scalar(u"SELECT COUNT(*) FROM deliveries WHERE event_type LIKE 'hookline.webhook.%' AND status = 'failed'"_s), 1,
                              5000);
    f.clock().advanceSecs(60);
    QTest::qWait(300);
    QCOMPARE(f.scalar(u"SELECT COUNT(*) FROM deliveries WHERE event_type LIKE 'hookline.webhook.%'"_s), 1);
    QCOMPARE(alerts(f).size(), 2);
}

void TestAlerts::reenablingClosesTheIncident()
{
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting(Settings::kAlertFailuresInRow, "0"));
    f.receiver().setResponder([](const ReceivedRequest &) { return ScriptedReply::ok(500); });
    auto d = single(f, u"/hook"_s);
    d.retry.autoDisableAfter = 2;
    REQUIRE_WEBHOOK(w, f.create(d));
    f.start(EngineFixture::serialOptions());
    QVERIFY(deliverEach(f, w.id, 2));
    QCOMPARE(kinds(alerts(f)), QList<Alert::Kind>{Alert::Kind::Disabled});

    auto back = f.webhook(w.id);
    back.active = true;
    auto updated = WebhookService(f.conn()).update(back);
    QVERIFY2(updated.ok(), qPrintable(updated ? QString() : updated.error().message));
    const auto list = alerts(f);
    QCOMPARE(kinds(list), (QList<Alert::Kind>{Alert::Kind::Disabled, Alert::Kind::Reenabled}));
    QVERIFY2(list[1].detail.startsWith(u"turned back on by"_s), qPrintable(list[1].detail));
    // Switching an ordinary webhook off and on is not an incident.
    back = f.webhook(w.id);
    back.active = false;
    QVERIFY(WebhookService(f.conn()).update(back).ok());
    back.active = true;
    QVERIFY(WebhookService(f.conn()).update(back).ok());
    QCOMPARE(alerts(f).size(), 2);
}

void TestAlerts::openOnlyListsWhatIsWrongNow()
{
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting(Settings::kAlertFailuresInRow, "2"));
    QVERIFY(f.setting(Settings::kAlertSuccessRatePercent, "0"));
    bool healthy = false;
    f.receiver().setResponder([&healthy](const ReceivedRequest &r) { return ScriptedReply::ok(healthy && r.path == "/a" ? 200 : 500); });
    REQUIRE_WEBHOOK(a, f.create(single(f, u"/a"_s)));
    auto bDraft = single(f, u"/b"_s, u"lead.updated"_s);
    bDraft.retry.autoDisableAfter = 2;
    REQUIRE_WEBHOOK(b, f.create(bDraft));
    REQUIRE_WEBHOOK(c, f.create(single(f, u"/c"_s, u"deal.won"_s)));
    f.start(EngineFixture::serialOptions());
    QVERIFY(deliverEach(f, a.id, 2));
    QVERIFY(deliverEach(f, b.id, 2));
    QVERIFY(deliverEach(f, c.id, 2));
    healthy = true;
    QVERIFY(deliverEach(f, a.id, 1)); // a recovers
    AlertFilter open;
    open.openOnly = true;
    auto list = AlertService(f.conn()).list(open);
    QVERIFY(list.ok());
    QStringList webhooks;
    for (const auto &alert : *list)
        webhooks << alert.webhookId;
    webhooks.sort();
    QStringList expected{b.id, c.id};
    expected.sort();
    QCOMPARE(webhooks, expected);
    AlertFilter bad;
    bad.limit = 0;
    QVERIFY(!AlertService(f.conn()).list(bad).ok());
}

void TestAlerts::settingsAreValidated()
{
    EngineFixture f;
    QVERIFY(f.ok());
    Settings settings(f.conn());
    QVERIFY(!settings.setValue(QString::fromLatin1(Settings::kAlertSuccessRatePercent), u"101"_s).ok());
    QVERIFY(!settings.setValue(QString::fromLatin1(Settings::kAlertFailuresInRow), u"-1"_s).ok());
    const auto missing = settings.setValue(QString::fromLatin1(Settings::kAlertEventsWebhook), u"wh_nope"_s);
    QVERIFY(!missing.ok());
    QVERIFY2(missing.error().message.contains(u"no webhook wh_nope"_s), qPrintable(missing.error().message));
    QCOMPARE(settings.alertEventsWebhook(), QString());
    REQUIRE_WEBHOOK(w, f.create(f.draft()));
    QVERIFY(settings.setValue(QString::fromLatin1(Settings::kAlertEventsWebhook), w.id).ok());
    QCOMPARE(settings.alertEventsWebhook(), w.id);
    // Deleted since: the other settings still save.
    QVERIFY(WebhookService(f.conn()).remove(w.id).ok());
    QVERIFY(
        settings.setValues({{QString::fromLatin1(Settings::kAlertEventsWebhook), w.id}, {QString::fromLatin1(Settings::kRetention), u"50"_s}}).ok());
    QCOMPARE(settings.retention(), 50);
}

void TestAlerts::rateChecksOfLongAgoAreForgotten()
{
    // The watch remembers when it last counted each webhook's success rate
    // (at most every kRateCheckIntervalMs). Past its sweep size, what is
    // older than that is forgotten; what is recent stays.
    EngineFixture f;
    QVERIFY(f.ok());
    QStringList ids;
    for (int i = 0; i < 5; ++i) {
        REQUIRE_WEBHOOK(w, f.create(single(f, u"/hook%1"_s.arg(i))));
        ids << w.id;
    }
    AlertWatch watch(f.conn(), 4);
    watch.setRules({3, 50, {}});
    const auto failedOnce = [&](const QStringList &webhooks) {
        QList<AttemptOutcome> outcomes;
        for (const auto &id : webhooks) {
            AttemptOutcome o;
            o.deliveryId = u"msg_"_s + id;
            o.webhookId = id;
            o.attempt.responseStatus = 503; // one failure: under the in-a-row rule, so the rate is counted
            outcomes << o;
        }
        auto raised = watch.check(outcomes, {}, Clock::now());
        return raised && raised->isEmpty();
    };
    QVERIFY(failedOnce(ids.first(4)));
    QCOMPARE(watch.rateChecksRemembered(), 4);
    f.clock().advance(AlertWatch::kRateCheckIntervalMs);
    QVERIFY(failedOnce({ids[4]})); // the four counted 5 s ago go
    QCOMPARE(watch.rateChecksRemembered(), 1);
    QVERIFY(failedOnce(ids.first(3)));
    QCOMPARE(watch.rateChecksRemembered(), 4);
    QVERIFY(failedOnce({ids[3]})); // all recent: none goes, and the next sweep waits for 8
    QCOMPARE(watch.rateChecksRemembered(), 5);
}

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
