// No DNS rebinding: a request goes to the very address the host check
// resolved and accepted (the URL's host replaced by it, the Host header and
// TLS's name kept), so a name that answers a public address to the check and
// a private one afterwards never reaches the private one. Names here are
// known only to the test's resolver (HostGuard::setResolver): a request that
// resolved the name again by itself would not get anywhere.
#include "EngineFixture.h"
#include "TestCertificates.h"
#include "TestReceiver.h"

#include "engine/HostGuard.h"
#include "service/Settings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace hookline;
using namespace hookline::test;
using namespace Qt::StringLiterals;

namespace {
// A resolver for the test's names: the answers in order (the last one
// repeats); counts the lookups.
class ScriptedResolver final {
public:
    explicit ScriptedResolver(QHash<QString, QList<QHostAddress>> answers)
        : m_answers(std::move(answers))
    {
        HostGuard::setResolver([this](const QString &host, QObject *context, auto done) {
            const int n = m_asked[host]++;
            const auto list = m_answers.value(host);
            const auto answer = list.isEmpty() ? QHostAddress() : list.value(std::min<int>(n, int(list.size()) - 1));
            // Answered later, as a real lookup is.
            QMetaObject::invokeMethod(
                context,
                [done, answer] {
                    done(answer.isNull() ? QList<QHostAddress>{} : QList<QHostAddress>{answer}, answer.isNull() ? u"no such name"_s : QString());
                },
                Qt::QueuedConnection);
        });
    }
    ~ScriptedResolver() { HostGuard::setResolver({}); }
    Q_DISABLE_COPY_MOVE(ScriptedResolver)
    int asked(const QString &host) const { return m_asked.value(host); }

private:
    QHash<QString, QList<QHostAddress>> m_answers;
    QHash<QString, int> m_asked;
};
} // namespace

class TestRebinding final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nameGoesToTheCheckedAddress();
    void rebindingNeverReachesThePrivateAddress();
    void tlsVerifiesTheName_data();
    void tlsVerifiesTheName();
};

void TestRebinding::nameGoesToTheCheckedAddress()
{
    EngineFixture f;
    QVERIFY(f.ok());
    ScriptedResolver resolver({{u"receiver.test"_s, {QHostAddress(u"127.0.0.1"_s)}}});
    const auto url = u"http://receiver.test:%1/hook"_s.arg(f.receiver().port());
    REQUIRE_WEBHOOK(w, f.create(EngineFixture::draftFor(url)));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    QVERIFY2(f.status(id) == DeliveryStatus::Succeeded, qPrintable(f.attempts(id).value(0).error));
    QCOMPARE(f.receiver().count(), 1);
    // The receiver is asked for its name, not for the address.
    QCOMPARE(f.receiver().request(0).header("Host"), u"receiver.test:%1"_s.arg(f.receiver().port()).toUtf8());
    QCOMPARE(resolver.asked(u"receiver.test"_s), 1);
}

void TestRebinding::rebindingNeverReachesThePrivateAddress()
{
    EngineFixture f;
    QVERIFY(f.ok());
    QVERIFY(f.setting(Settings::kAllowPrivateAddresses, "false"));
    QVERIFY(f.setting(Settings::kRequestTimeoutSeconds, "1"));
    // Public to the check, then this machine: the classic rebinding answer.
    ScriptedResolver resolver({{u"rebind.test"_s, {QHostAddress(u"93.184.216.34"_s), QHostAddress(u"127.0.0.1"_s)}}});
    const auto url = u"http://rebind.test:%1/hook"_s.arg(f.receiver().port());
    auto d = EngineFixture::draftFor(url);
    d.retry.maxRetries = 1;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    // The first attempt goes to the public address. What answers there
    // depends on the machine's network (nothing until the 1 s deadline, a
    // refused connection, an unreachable network): any of them will do, as
    // long as the request went to that address and not to the receiver, and
    // the engine's own check did not refuse it.
    QTRY_COMPARE(f.attempts(id).size() >= 1 || f.isFinished(id), true);
    if (f.attempts(id).isEmpty()) {
        f.clock().advance(1500);
        QTRY_VERIFY(!f.attempts(id).isEmpty());
    }
    QCOMPARE(f.receiver().count(), 0);
    QCOMPARE(resolver.asked(u"rebind.test"_s), 1);
    const auto first = f.attempts(id).first();
    QCOMPARE(first.remoteAddress, u"93.184.216.34:%1"_s.arg(f.receiver().port()));
    QVERIFY2(!first.error.startsWith(u"refused: "_s), qPrintable(first.error));
    // A minute later the check asks again, gets this machine, and refuses:
    // what is checked is what is used.
    f.clock().advance(61'000);
    QVERIFY(f.finish(id, 10000));
    QCOMPARE(f.status(id), DeliveryStatus::Failed);
    const auto rows = f.attempts(id);
    QVERIFY2(rows.last().error.contains(u"refused: rebind.test resolves to 127.0.0.1"_s), qPrintable(rows.last().error));
    QCOMPARE(resolver.asked(u"rebind.test"_s), 2);
    QCOMPARE(f.receiver().count(), 0);
}

void TestRebinding::tlsVerifiesTheName_data()
{
    QTest::addColumn<QString>("certifiedName");
    QTest::addColumn<bool>("delivered");
    QTest::newRow("a certificate for the name") << u"secure.test"_s << true;
    QTest::newRow("a certificate for another name") << u"other.test"_s << false;
}

void TestRebinding::tlsVerifiesTheName()
{
    QFETCH(QString, certifiedName);
    QFETCH(bool, delivered);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto ca = TestCertificates::authority(u"Rebinding Test CA"_s);
    const QString caFile = dir.filePath(u"ca.pem"_s);
    QFile file(caFile);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write(ca.certificatePem) == ca.certificatePem.size());
    file.close();
    // No address in the certificate: verified against 127.0.0.1, it would fail.
    const auto cert = TestCertificates::server({certifiedName}, &ca);
    EngineFixture f;
    QVERIFY(f.ok());
    TestReceiver tls;
    QVERIFY(tls.listenTls(cert.certificatePem, cert.keyPem));
    QVERIFY(f.setting(Settings::kExtraCaCertificates, qPrintable(caFile)));
    ScriptedResolver resolver({{u"secure.test"_s, {QHostAddress(u"127.0.0.1"_s)}}});
    auto d = EngineFixture::draftFor(u"https://secure.test:%1/hook"_s.arg(tls.port()));
    d.retry.maxRetries = 0;
    REQUIRE_WEBHOOK(w, f.create(d));
    const auto id = f.emitFor(w.id);
    f.start();
    QVERIFY(f.finish(id));
    const auto rows = f.attempts(id);
    QCOMPARE(rows.size(), 1);
    if (delivered) {
        QVERIFY2(f.status(id) == DeliveryStatus::Succeeded, qPrintable(rows[0].error));
        QCOMPARE(tls.count(), 1);
        QCOMPARE(tls.request(0).header("Host"), u"secure.test:%1"_s.arg(tls.port()).toUtf8());
    } else {
        QCOMPARE(f.status(id), DeliveryStatus::Failed);
        QVERIFY2(rows[0].error.contains(u"the certificate is for other.test, not for secure.test"_s), qPrintable(rows[0].error));
        QCOMPARE(tls.count(), 0);
    }
}

QTEST_GUILESS_MAIN(TestRebinding)
#include "tst_rebinding.moc"
