// Tests for core/service: WebhookService (CRUD, quotas, secret rotation) and
// every refusal of WebhookValidator, through the service as every caller uses it.

#include "ManualClock.h"
#include "TestLocation.h"
#include "model/Plan.h"
#include "model/Webhook.h"
#include "service/CatalogService.h"
#include "service/EventService.h"
#include "service/PlanService.h"
#include "service/Settings.h"
#include "service/TenantService.h"
#include "service/WebhookService.h"
#include "service/WebhookValidator.h"
#include "signing/Secret.h"
#include "signing/Signer.h"
#include "store/Database.h"
#include "store/DeliveryStore.h"
#include "store/TenantStore.h"
#include "util/Clock.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>

using namespace hookline;
using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(hookline::Plan)

namespace {

const QString kUrl = u"https://hooks.example.com/in"_s;

Webhook draft(const QString &url = kUrl, const QStringList &events = {u"lead.created"_s})
{
    Webhook w;
    w.url = url;
    w.events = events;
    return w;
}

QString errorText(const Error &e)
{
    return u"[%1, field \"%2\"] %3"_s.arg(errorCodeName(e.code), e.field, e.message);
}

template <typename T>
QString failure(const Result<T> &r)
{
    return r ? u"(no error)"_s : errorText(r.error());
}

// Everything of a webhook, to check that a refused change left it as it was.
QString snapshot(const Webhook &w)
{
    QStringList parts{w.id,
                      w.tenantId,
                      w.name,
                      w.url,
                      w.description,
                      schemeName(w.scheme),
                      QString::number(w.active),
                      w.events.join(u','),
                      QString::number(w.retry.maxRetries),
                      QString::number(w.retry.retryDelaySeconds),
                      backoffName(w.retry.backoff),
                      QString::number(w.retry.jitter),
                      QString::number(w.retry.autoDisableAfter),
                      w.retention ? QString::number(*w.retention) : u"-"_s,
                      w.transform,
                      w.secret,
                      QString::number(w.secrets.size()),
                      w.createdAt.toString(Qt::ISODateWithMs),
                      w.updatedAt.toString(Qt::ISODateWithMs),
                      w.disabledReason,
                      QString::number(w.consecutiveFailures)};
    for (double d : w.retry.schedule)
        parts << QString::number(d);
    for (const auto &h : w.headers)
        parts << h.name + u'=' + h.value;
    return parts.join(u'|');
}

QString base64Secret(int bytes)
{
    return u"whsec_"_s + QString::fromLatin1(QByteArray(bytes, '\x5a').toBase64());
}

struct ValidationSettings {
    bool allowInsecureUrls = false;
    bool allowPrivateAddresses = false;
    QString headerPrefix; // empty = default
};

struct Case {
    const char *name;
    std::function<void(Webhook &)> change;
    QString field; // empty = accepted
    ValidationSettings settings = {};
};

QList<CustomHeader> manyHeaders(int n)
{
    QList<CustomHeader> out;
    for (int i = 0; i < n; ++i)
        out << CustomHeader{u"X-Custom-%1"_s.arg(i), u"v"_s};
    return out;
}

std::function<void(Webhook &)> url(const QString &u)
{
    return [u](Webhook &w) { w.url = u; };
}
std::function<void(Webhook &)> events(const QStringList &e)
{
    return [e](Webhook &w) { w.events = e; };
}
std::function<void(Webhook &)> header(const QString &name, const QString &value = u"value"_s)
{
    return [name, value](Webhook &w) { w.headers = {CustomHeader{name, value}}; };
}
std::function<void(Webhook &)> secret(const QString &s, Scheme scheme = Scheme::Standard)
{
    return [s, scheme](Webhook &w) {
        w.secret = s;
        w.scheme = scheme;
    };
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kWeek = 7 * 24 * 3600.0;

const QList<Case> &validationCases()
{
    static const ValidationSettings insecure{true, false, {}};
    static const ValidationSettings priv{false, true, {}};
    static const ValidationSettings both{true, true, {}};
    static const ValidationSettings finsight{false, false, u"X-FinSight"_s};
    static const QList<Case> cases{
        // url
        {"url empty", url(QString()), u"url"_s},
        {"url blank", url(u"   "_s), u"url"_s},
        {"url unparsable", url(u"https://exa mple.com/hook"_s), u"url"_s},
        {"url port out of range", url(u"https://example.com:99999/"_s), u"url"_s},
        {"url too long", url(u"https://example.com/"_s + QString(2100, u'a')), u"url"_s},
        {"url ftp scheme", url(u"ftp://example.com/hook"_s), u"url"_s},
        {"url no scheme", url(u"example.com/hook"_s), u"url"_s},
        {"url javascript scheme", url(u"javascript:alert(1)"_s), u"url"_s},
        {"url no host", url(u"https:///hook"_s), u"url"_s},
        {"url scheme only", url(u"https://"_s), u"url"_s},
        {"url credentials", url(u"https://user:pass@example.com/hook"_s), u"url"_s},
        {"url user name", url(u"https://user@example.com/hook"_s), u"url"_s},
        {"url fragment", url(u"https://example.com/hook#part"_s), u"url"_s},
        {"url empty fragment", url(u"https://example.com/hook#"_s), u"url"_s},
        {"url http refused", url(u"http://example.com/hook"_s), u"url"_s},
        {"url http allowed by setting", url(u"http://example.com/hook"_s), QString(), insecure},
        {"url http still needs public host", url(u"http://127.0.0.1:8080/hook"_s), u"url"_s, insecure},
        {"url loopback", url(u"https://127.0.0.1/hook"_s), u"url"_s},
        {"url loopback 127.9.9.9", url(u"https://127.9.9.9/hook"_s), u"url"_s},
        {"url loopback shorthand", url(u"https://127.1/hook"_s), u"url"_s},
        {"url loopback decimal", url(u"https://2130706433/hook"_s), u"url"_s},
        {"url loopback hex", url(u"https://0x7f.0.0.1/hook"_s), u"url"_s},
        {"url loopback IPv6", url(u"https://[::1]/hook"_s), u"url"_s},
        {"url loopback IPv4-mapped", url(u"https://[::ffff:127.0.0.1]/hook"_s), u"url"_s},
        {"url localhost", url(u"https://localhost/hook"_s), u"url"_s},
        {"url localhost upper case", url(u"https://LOCALHOST:8443/hook"_s), u"url"_s},
        {"url localhost trailing dot", url(u"https://localhost./hook"_s), u"url"_s},
        {"url sub.localhost", url(u"https://api.localhost/hook"_s), u"url"_s},
        {"url unspecified", url(u"https://0.0.0.0/hook"_s), u"url"_s},
        {"url private 10/8", url(u"https://10.1.2.3/hook"_s), u"url"_s},
        {"url private 172.16/12", url(u"https://172.16.0.1/hook"_s), u"url"_s},
        {"url private 172.31.255.255", url(u"https://172.31.255.255/hook"_s), u"url"_s},
        {"url private 192.168/16", url(u"https://192.168.1.20/hook"_s), u"url"_s},
        {"url private IPv4-mapped", url(u"https://[::ffff:10.0.0.1]/hook"_s), u"url"_s},
        {"url link-local", url(u"https://169.254.10.20/hook"_s), u"url"_s},
        {"url cloud metadata", url(u"https://169.254.169.254/latest/meta-data/"_s), u"url"_s},
        {"url CGNAT", url(u"https://100.64.0.1/hook"_s), u"url"_s},
        {"url CGNAT top", url(u"https://100.127.255.254/hook"_s), u"url"_s},
        {"url IPv6 ULA", url(u"https://[fd12:3456::1]/hook"_s), u"url"_s},
        {"url IPv6 ULA fc00", url(u"https://[fc00::1]/hook"_s), u"url"_s},
        {"url IPv6 link-local", url(u"https://[fe80::1]/hook"_s), u"url"_s},
        {"url IPv6 link-local with zone", url(u"https://[fe80::1%25eth0]/hook"_s), u"url"_s},
        {"url IPv6 loopback with zone", url(u"https://[::1%25lo]/hook"_s), u"url"_s},
        {"url IPv6 unspecified", url(u"https://[::]/hook"_s), u"url"_s},
        {"url multicast", url(u"https://224.0.0.251/hook"_s), u"url"_s},
        {"url IPv6 multicast", url(u"https://[ff02::1]/hook"_s), u"url"_s},
        {"url broadcast", url(u"https://255.255.255.255/hook"_s), u"url"_s},
        {"url NAT64 of loopback", url(u"https://[64:ff9b::7f00:1]/hook"_s), u"url"_s},
        {"url loopback allowed by setting", url(u"https://127.0.0.1:8443/hook"_s), QString(), priv},
        {"url localhost allowed by setting", url(u"https://localhost/hook"_s), QString(), priv},
        {"url metadata allowed by setting", url(u"https://169.254.169.254/hook"_s), QString(), priv},
        {"url CGNAT allowed by setting", url(u"https://100.64.0.1/hook"_s), QString(), priv},
        {"url ULA allowed by setting", url(u"https://[fd00::1]/hook"_s), QString(), priv},
        {"url private allowed by setting", url(u"https://192.168.1.20/hook"_s), QString(), priv},
        {"url http loopback allowed by both", url(u"http://127.0.0.1:8080/hook"_s), QString(), both},
        {"url private still needs https", url(u"http://192.168.1.20/hook"_s), u"url"_s, priv},
        {"url public IPv4", url(u"https://93.184.216.34/hook"_s), QString()},
        {"url public IPv6", url(u"https://[2606:4700:4700::1111]/hook"_s), QString()},
        {"url public with port and query", url(u"https://hooks.example.com:8443/in?token=abc&x=1"_s), QString()},
        {"url just below 172.16/12", url(u"https://172.15.255.255/hook"_s), QString()},
        {"url just above 172.16/12", url(u"https://172.32.0.1/hook"_s), QString()},
        {"url just below CGNAT", url(u"https://100.63.255.255/hook"_s), QString()},
        {"url just above CGNAT", url(u"https://100.128.0.1/hook"_s), QString()},
        {"url name ending in localhost.com", url(u"https://notlocalhost.com/hook"_s), QString()},
        // events
        {"events empty", events({}), u"events"_s},
        {"events empty name", events({QString()}), u"events"_s},
        {"events unknown type", events({u"lead.created"_s, u"lead.exploded"_s}), u"events"_s},
        {"events unknown group", events({u"spaceship.*"_s}), u"events"_s},
        {"events type used as group", events({u"lead.created.*"_s}), u"events"_s},
        {"events suffix wildcard", events({u"*.created"_s}), u"events"_s},
        {"events star", events({u"*"_s}), QString()},
        {"events group", events({u"lead.*"_s, u"appointment.*"_s}), QString()},
        {"events test ping", events({u"webhook.test"_s}), QString()},
        // headers
        {"header name with space", header(u"Bad Header"_s), u"headers"_s},
        {"header name empty", header(QString()), u"headers"_s},
        {"header name with colon", header(u"X-Key:"_s), u"headers"_s},
        {"header name non-ASCII", header(u"X-Clé"_s), u"headers"_s},
        {"header name too long", header(u"X-"_s + QString(200, u'a')), u"headers"_s},
        {"header Content-Type", header(u"Content-Type"_s), u"headers"_s},
        {"header content-type lower", header(u"content-type"_s), u"headers"_s},
        {"header Content-Length", header(u"Content-Length"_s), u"headers"_s},
        {"header Content-Encoding", header(u"Content-Encoding"_s), u"headers"_s},
        {"header Transfer-Encoding", header(u"Transfer-Encoding"_s), u"headers"_s},
        {"header Connection", header(u"Connection"_s), u"headers"_s},
        {"header Host", header(u"Host"_s), u"headers"_s},
        {"header User-Agent", header(u"User-Agent"_s), u"headers"_s},
        {"header Expect", header(u"Expect"_s), u"headers"_s},
        {"header Upgrade", header(u"Upgrade"_s), u"headers"_s},
        {"header X-Webhook-Event", header(u"X-Webhook-Event"_s), u"headers"_s},
        {"header X-Webhook-Id", header(u"X-Webhook-Id"_s), u"headers"_s},
        {"header X-Webhook-Delivery-Id", header(u"X-Webhook-Delivery-Id"_s), u"headers"_s},
        {"header X-Webhook-Timestamp", header(u"X-Webhook-Timestamp"_s), u"headers"_s},
        {"header X-Webhook-Signature", header(u"X-Webhook-Signature"_s), u"headers"_s},
        {"header x-webhook-signature lower", header(u"x-webhook-signature"_s), u"headers"_s},
        {"header webhook-id", header(u"webhook-id"_s), u"headers"_s},
        {"header webhook-timestamp", header(u"webhook-timestamp"_s), u"headers"_s},
        {"header webhook-signature", header(u"Webhook-Signature"_s), u"headers"_s},
        {"header X-Hub-Signature-256", header(u"X-Hub-Signature-256"_s), u"headers"_s},
        {"header Stripe-Signature", header(u"stripe-signature"_s), u"headers"_s},
        {"header prefix X-FinSight-Signature", header(u"X-FinSight-Signature"_s), u"headers"_s, finsight},
        {"header prefix X-FinSight-Event", header(u"X-FinSight-Event"_s), u"headers"_s, finsight},
        {"header prefix X-FinSight-Id", header(u"x-finsight-id"_s), u"headers"_s, finsight},
        {"header prefix X-FinSight-Delivery-Id", header(u"X-FinSight-Delivery-Id"_s), u"headers"_s, finsight},
        {"header prefix X-FinSight-Timestamp", header(u"X-FinSight-Timestamp"_s), u"headers"_s, finsight},
        {"header prefix still reserves webhook-signature", header(u"webhook-signature"_s), u"headers"_s, finsight},
        {"header prefix frees X-Webhook-Signature", header(u"X-Webhook-Signature"_s), QString(), finsight},
        {"header duplicate",
         [](Webhook &w) {
             w.headers = {{u"X-Api-Key"_s, u"a"_s}, {u"x-api-key"_s, u"b"_s}};
         },
         u"headers"_s},
        {"header value CR", header(u"X-Api-Key"_s, u"abc\rdef"_s), u"headers"_s},
        {"header value LF", header(u"X-Api-Key"_s, u"abc\nInjected: yes"_s), u"headers"_s},
        {"header value CRLF", header(u"X-Api-Key"_s, u"abc\r\nInjected: yes"_s), u"headers"_s},
        {"header value NUL", header(u"X-Api-Key"_s, u"abc"_s + QChar(0) + u"def"_s), u"headers"_s},
        {"header value too long", header(u"X-Api-Key"_s, QString(4097, u'v')), u"headers"_s},
        {"header value longest", header(u"X-Api-Key"_s, QString(4096, u'v')), QString()},
        {"header Authorization allowed", header(u"Authorization"_s, u"Bearer abc"_s), QString()},
        {"headers too many", [](Webhook &w) { w.headers = manyHeaders(51); }, u"headers"_s},
        {"headers most", [](Webhook &w) { w.headers = manyHeaders(50); }, QString()},
        // retry policy
        {"maxRetries negative", [](Webhook &w) { w.retry.maxRetries = -1; }, u"maxRetries"_s},
        {"maxRetries too many", [](Webhook &w) { w.retry.maxRetries = 26; }, u"maxRetries"_s},
        {"maxRetries zero", [](Webhook &w) { w.retry.maxRetries = 0; }, QString()},
        {"maxRetries most", [](Webhook &w) { w.retry.maxRetries = 25; }, QString()},
        {"delay zero", [](Webhook &w) { w.retry.retryDelaySeconds = 0; }, u"retryDelaySeconds"_s},
        {"delay negative", [](Webhook &w) { w.retry.retryDelaySeconds = -5; }, u"retryDelaySeconds"_s},
        {"delay too large", [](Webhook &w) { w.retry.retryDelaySeconds = kWeek + 1; }, u"retryDelaySeconds"_s},
        {"delay NaN", [](Webhook &w) { w.retry.retryDelaySeconds = kNaN; }, u"retryDelaySeconds"_s},
        {"delay infinite", [](Webhook &w) { w.retry.retryDelaySeconds = kInf; }, u"retryDelaySeconds"_s},
        {"delay fraction", [](Webhook &w) { w.retry.retryDelaySeconds = 0.25; }, QString()},
        {"delay one week", [](Webhook &w) { w.retry.retryDelaySeconds = kWeek; }, QString()},
        {"schedule negative entry",
         [](Webhook &w) {
             w.retry.schedule = {60, -1};
             w.retry.maxRetries = 2;
         },
         u"schedule"_s},
        {"schedule entry too large",
         [](Webhook &w) {
             w.retry.schedule = {kWeek + 1};
             w.retry.maxRetries = 1;
         },
         u"schedule"_s},
        {"schedule entry NaN",
         [](Webhook &w) {
             w.retry.schedule = {kNaN};
             w.retry.maxRetries = 1;
         },
         u"schedule"_s},
        {"schedule too long",
         [](Webhook &w) {
             w.retry.schedule = QList<double>(26, 1.0);
             w.retry.maxRetries = 25;
         },
         u"schedule"_s},
        {"schedule shorter than maxRetries",
         [](Webhook &w) {
             w.retry.schedule = {60, 300};
             w.retry.maxRetries = 3;
         },
         u"maxRetries"_s},
        {"schedule longer than maxRetries",
         [](Webhook &w) {
             w.retry.schedule = {60, 300, 1800, 7200};
             w.retry.maxRetries = 3;
         },
         u"maxRetries"_s},
        {"schedule seed 002",
         [](Webhook &w) {
             w.retry.schedule = {60, 300, 1800, 7200};
             w.retry.maxRetries = 4;
         },
         QString()},
        {"jitter negative", [](Webhook &w) { w.retry.jitter = -0.1; }, u"jitter"_s},
        {"jitter above one", [](Webhook &w) { w.retry.jitter = 1.01; }, u"jitter"_s},
        {"jitter NaN", [](Webhook &w) { w.retry.jitter = kNaN; }, u"jitter"_s},
        {"jitter one", [](Webhook &w) { w.retry.jitter = 1; }, QString()},
        {"autoDisableAfter negative", [](Webhook &w) { w.retry.autoDisableAfter = -1; }, u"autoDisableAfter"_s},
        {"autoDisableAfter too large", [](Webhook &w) { w.retry.autoDisableAfter = 10001; }, u"autoDisableAfter"_s},
        {"autoDisableAfter never", [](Webhook &w) { w.retry.autoDisableAfter = 0; }, QString()},
        // retention, texts
        {"retention zero", [](Webhook &w) { w.retention = 0; }, u"retention"_s},
        {"retention negative", [](Webhook &w) { w.retention = -10; }, u"retention"_s},
        {"retention too large", [](Webhook &w) { w.retention = 10000001; }, u"retention"_s},
        {"retention one", [](Webhook &w) { w.retention = 1; }, QString()},
        {"name too long", [](Webhook &w) { w.name = QString(201, u'n'); }, u"name"_s},
        {"name longest", [](Webhook &w) { w.name = QString(200, u'n'); }, QString()},
        {"description too long", [](Webhook &w) { w.description = QString(2001, u'd'); }, u"description"_s},
        {"description longest", [](Webhook &w) { w.description = QString(2000, u'd'); }, QString()},
        {"transform too long", [](Webhook &w) { w.transform = QString(64 * 1024 + 1, u' '); }, u"transform"_s},
        // secret
        {"secret too short", secret(u"short"_s, Scheme::HmacHex), u"secret"_s},
        {"secret seven characters", secret(u"1234567"_s, Scheme::HmacHex), u"secret"_s},
        {"secret too long", secret(QString(257, u'k'), Scheme::HmacHex), u"secret"_s},
        // A receiver's secret is any text; only control characters and edge spaces are refused.
        {"secret non-ASCII", secret(u"whsec_sécret-pässwörd"_s, Scheme::HmacHex), QString()},
        {"secret non-ASCII standard", secret(u"whsec_sécretpässwördsécretpässwörd"_s), u"secret"_s},
        {"secret with space", secret(u"my secret value"_s, Scheme::Stripe), QString()},
        {"secret GitHub's documented example", secret(u"It's a Secret to Everybody"_s, Scheme::Github), QString()},
        {"secret with tab", secret(u"my\tsecret\tvalue"_s, Scheme::Github), u"secret"_s},
        {"secret with line break", secret(u"my secret\nvalue"_s, Scheme::HmacHex), u"secret"_s},
        {"secret with NUL", secret(u"my secret"_s + QChar(0) + u"value"_s, Scheme::HmacHex), u"secret"_s},
        {"secret with zero-width space", secret(u"my secret\u200Bvalue"_s, Scheme::HmacHex), u"secret"_s},
        {"secret leading space", secret(u" my secret value"_s, Scheme::HmacHex), u"secret"_s},
        {"secret trailing space", secret(u"my secret value "_s, Scheme::HmacHex), u"secret"_s},
        {"secret standard not base64", secret(u"whsec_!!!!not*base64!!!!"_s), u"secret"_s},
        {"secret standard truncated base64", secret(u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwx"_s), u"secret"_s},
        {"secret standard 15 bytes", secret(base64Secret(15)), u"secret"_s},
        {"secret standard 65 bytes", secret(base64Secret(65)), u"secret"_s},
        {"secret standard 16 bytes", secret(base64Secret(16)), QString()},
        {"secret standard public vector", secret(u"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"_s), QString()},
        {"secret plain for hmac-hex", secret(u"finsight-shared-secret"_s, Scheme::HmacHex), QString()},
        {"secret plain for timestamped", secret(u"audit-trail-secret!"_s, Scheme::Timestamped), QString()},
        {"secret plain for standard", secret(u"finsight-shared-secret"_s), u"secret"_s},
    };
    return cases;
}

} // namespace

class TestWebhookService : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void createWithDefaults();
    void inspectorCopyIsTheOnlyLoopbackException();
    void createKeepsGivenValues();
    void listGetUpdateDelete();
    void updateKeepsSecretsAndCreatedAt();
    void reactivationClearsDisabledState();
    void validation_data();
    void validation();
    void subscriptionsNormalised();
    void quota_data();
    void quota();
    void quotaFollowsPlanChange();
    void unknownTenantRefused();
    void moveToFullTenantRefused();
    void rotateWithGrace();
    void rotateWithoutGrace();
    void rotateDefaultGraceFromSetting();
    void rotateRefusals();
    void rotateTwiceShortensNeverExtends();
    void rotateTwiceLaterGraceDoesNotExtendEarlier();
    void rotationsKeepAFewPreviousSecretsSigning();
    void signingSecretsCappedForOlderDatabases();
    void deleteCascades();
    void unknownNamesInTheDatabaseAreErrors_data();
    void unknownNamesInTheDatabaseAreErrors();

private:
    QSqlDatabase conn() { return m_db->connection(); }
    int count(const QString &table);
    int rowsOfWebhooks(); // every row a webhook owns, in all its tables
    void setSettings(const ValidationSettings &s);

    // Stands still unless a test moves it: created_at, updated_at and
    // secret expiry are exact, and "later" is a step of the clock, not a sleep.
    std::unique_ptr<test::ManualClock> m_clock;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<Database> m_db;
};

void TestWebhookService::init()
{
    m_clock = std::make_unique<test::ManualClock>();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto db = Database::open(test::databaseLocation(*m_dir));
    QVERIFY2(db, qPrintable(failure(db)));
    m_db = *db;
    auto s = CatalogService(conn()).initializeNewDatabase(CatalogService::builtinCatalogs());
    QVERIFY2(s, qPrintable(failure(s)));
}

void TestWebhookService::cleanup()
{
    m_db.reset();
    m_dir.reset();
    m_clock.reset();
}

int TestWebhookService::count(const QString &table)
{
    QSqlQuery q(conn());
    if (!q.exec(u"SELECT COUNT(*) FROM "_s + table) || !q.next())
        return -1;
    return q.value(0).toInt();
}

int TestWebhookService::rowsOfWebhooks()
{
    return count(u"webhooks"_s) + count(u"webhook_subscriptions"_s) + count(u"webhook_headers"_s) + count(u"webhook_secrets"_s);
}

void TestWebhookService::setSettings(const ValidationSettings &s)
{
    Settings settings(conn());
    QVERIFY(settings.setValue(QString::fromLatin1(Settings::kAllowInsecureUrls), s.allowInsecureUrls ? u"true"_s : u"false"_s));
    QVERIFY(settings.setValue(QString::fromLatin1(Settings::kAllowPrivateAddresses), s.allowPrivateAddresses ? u"true"_s : u"false"_s));
    if (s.headerPrefix.isEmpty())
        QVERIFY(settings.reset(QString::fromLatin1(Settings::kHeaderPrefix)));
    else
        QVERIFY(settings.setValue(QString::fromLatin1(Settings::kHeaderPrefix), s.headerPrefix));
}

// "Inspect this webhook": the copy reaches the loopback inspector whatever
// the settings, and only it; the original is untouched.
void TestWebhookService::inspectorCopyIsTheOnlyLoopbackException()
{
    setSettings({}); // https only, public addresses only
    WebhookService service(conn());
    auto original = service.create(draft());
    QVERIFY2(original, qPrintable(failure(original)));
    auto copy = service.inspectorCopy(original->id, u"http://127.0.0.1:8788"_s);
    QVERIFY2(copy, qPrintable(failure(copy)));
    QCOMPARE(copy->url, u"http://127.0.0.1:8788/inspect/"_s + original->id);
    QVERIFY(copy->isInspectorCopy());
    QVERIFY(!copy->active); // no real events: test pings only
    QCOMPARE(copy->secret, original->secret);
    QCOMPARE(copy->events, original->events);
    QCOMPARE(service.get(original->id)->url, kUrl);
    // Asked again for the same inspector: the same copy.
    auto again = service.inspectorCopy(original->id, u"http://127.0.0.1:8788"_s);
    QVERIFY(again);
    QCOMPARE(again->id, copy->id);
    // Anything but the loopback inspector is refused, and writes nothing.
    const int rows = rowsOfWebhooks();
    for (const auto &base : {u"http://10.0.0.7:8788"_s, u"https://127.0.0.1:8788"_s, u"http://example.com"_s}) {
        auto refused = service.inspectorCopy(original->id, base);
        QVERIFY2(!refused, qPrintable(base));
        QCOMPARE(refused.error().field, u"url"_s);
    }
    QCOMPARE(rowsOfWebhooks(), rows);
    // Pointed elsewhere, the exception is gone: loopback is refused again.
    auto moved = *copy;
    moved.url = u"http://127.0.0.1:5432/"_s;
    auto updated = service.update(moved);
    QVERIFY(!updated);
    QCOMPARE(updated.error().field, u"url"_s);
}

void TestWebhookService::createWithDefaults()
{
    const auto now = Clock::now();
    auto w = WebhookService(conn()).create(draft());
    QVERIFY2(w, qPrintable(failure(w)));
    QVERIFY2(w->id.startsWith(u"wh_"_s), qPrintable(w->id));
    QCOMPARE(w->id.size(), 3 + 22);
    QCOMPARE(w->tenantId, u"default"_s);
    QCOMPARE(w->name, u"hooks.example.com"_s);
    QCOMPARE(w->url, kUrl);
    QCOMPARE(w->description, QString());
    QCOMPARE(w->scheme, Scheme::Standard);
    QVERIFY(w->active);
    QCOMPARE(w->events, QStringList{u"lead.created"_s});
    QVERIFY(w->headers.isEmpty());
    QCOMPARE(w->retry.maxRetries, 3);
    QCOMPARE(w->retry.retryDelaySeconds, 5.0);
    QCOMPARE(w->retry.backoff, BackoffStrategy::Exponential);
    QVERIFY(w->retry.schedule.isEmpty());
    QCOMPARE(w->retry.jitter, 0.0);
    QCOMPARE(w->retry.autoDisableAfter, 5);
    QCOMPARE(w->retention, std::nullopt);
    QVERIFY(w->transform.isEmpty());
    QVERIFY(w->disabledReason.isEmpty());
    QVERIFY(!w->disabledAt.isValid());
    QCOMPARE(w->consecutiveFailures, 0);

    // whsec_ + base64 of 24 random bytes, usable by the standard scheme.
    QVERIFY2(w->secret.startsWith(u"whsec_"_s), qPrintable(w->secret));
    const auto key = Secret::standardKey(w->secret);
    QVERIFY(key);
    QCOMPARE(key->size(), 24);
    QCOMPARE(w->secrets.size(), 1);
    QCOMPARE(w->secrets.first().secret, w->secret);
    QVERIFY(!w->secrets.first().expiresAt);
    QCOMPARE(w->signingSecrets(now), QStringList{w->secret});

    QCOMPARE(w->createdAt, now);
    QCOMPARE(w->updatedAt, w->createdAt);
    QCOMPARE(w->secrets.first().createdAt, w->createdAt);

    // A second one gets another id and another secret.
    auto w2 = WebhookService(conn()).create(draft(u"https://other.example.org:8443/x"_s));
    QVERIFY2(w2, qPrintable(failure(w2)));
    QVERIFY(w2->id != w->id);
    QVERIFY(w2->secret != w->secret);
    QCOMPARE(w2->name, u"other.example.org"_s);
    QCOMPARE(count(u"webhooks"_s), 2);
}

void TestWebhookService::createKeepsGivenValues()
{
    Webhook d = draft(u"https://crm.example.com/webhooks"_s, {u"lead.*"_s, u"appointment.created"_s});
    d.id = u"wh_chosen_by_caller"_s; // ids are always generated
    d.name = u"CRM"_s;
    d.description = u"Leads to the CRM"_s;
    d.scheme = Scheme::Timestamped;
    d.secret = u"audit-trail-shared-secret"_s;
    d.active = false;
    d.headers = {{u"Authorization"_s, u"Bearer abc"_s}, {u"X-Team"_s, u"sales"_s}};
    d.retry.maxRetries = 4;
    d.retry.schedule = {60, 300, 1800, 7200};
    d.retry.jitter = 0.2;
    d.retry.autoDisableAfter = 0;
    d.retry.backoff = BackoffStrategy::Fixed;
    d.retry.retryDelaySeconds = 1.5;
    d.retention = 250;
    d.transform = u"return payload;"_s;
    auto w = WebhookService(conn()).create(d);
    QVERIFY2(w, qPrintable(failure(w)));
    QVERIFY(w->id != d.id);
    QVERIFY(w->id.startsWith(u"wh_"_s));
    QCOMPARE(w->name, d.name);
    QCOMPARE(w->description, d.description);
    QCOMPARE(w->scheme, Scheme::Timestamped);
    QCOMPARE(w->secret, d.secret);
    QVERIFY(!w->active);
    QCOMPARE(w->events, d.events);
    QCOMPARE(w->headers, d.headers);
    QCOMPARE(w->retry, d.retry);
    QCOMPARE(w->retention, std::optional<int>(250));
    QCOMPARE(w->transform, d.transform);
}

void TestWebhookService::listGetUpdateDelete()
{
    QVERIFY(TenantService(conn()).create(u"acme"_s, u"PRO"_s));
    WebhookService service(conn());
    auto a = service.create(draft(u"https://a.example.com/"_s));
    QVERIFY2(a, qPrintable(failure(a)));
    m_clock->advance(2);
    Webhook other = draft(u"https://b.example.com/"_s);
    other.tenantId = u"acme"_s;
    auto b = service.create(other);
    QVERIFY2(b, qPrintable(failure(b)));
    m_clock->advance(2);
    auto c = service.create(draft(u"https://c.example.com/"_s));
    QVERIFY2(c, qPrintable(failure(c)));

    auto all = service.list();
    QVERIFY(all);
    QCOMPARE(all->size(), 3);
    QCOMPARE(all->at(0).id, a->id);
    QCOMPARE(all->at(1).id, b->id);
    QCOMPARE(all->at(2).id, c->id);
    // The list carries the children too.
    QCOMPARE(all->at(0).events, QStringList{u"lead.created"_s});
    QCOMPARE(all->at(0).secret, a->secret);

    auto defaults = service.list(u"default"_s);
    QVERIFY(defaults);
    QCOMPARE(defaults->size(), 2);
    QCOMPARE(defaults->at(0).id, a->id);
    QCOMPARE(defaults->at(1).id, c->id);
    auto acme = service.list(u"acme"_s);
    QVERIFY(acme);
    QCOMPARE(acme->size(), 1);
    QCOMPARE(acme->first().id, b->id);
    auto none = service.list(u"nobody"_s);
    QVERIFY(none);
    QVERIFY(none->isEmpty());

    auto got = service.get(b->id);
    QVERIFY(got);
    QCOMPARE(snapshot(*got), snapshot(*b));
    auto missing = service.get(u"wh_doesnotexist"_s);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, Error::Code::NotFound);

    // Update every editable field.
    Webhook changed = *a;
    changed.name = u"Renamed"_s;
    changed.url = u"https://a2.example.com/new"_s;
    changed.description = u"now described"_s;
    changed.events = {u"lead.updated"_s, u"lead.deleted"_s};
    changed.headers = {{u"X-Api-Key"_s, u"k1"_s}};
    changed.retry.maxRetries = 7;
    changed.retry.backoff = BackoffStrategy::Fixed;
    changed.scheme = Scheme::Github;
    changed.retention = 10;
    changed.active = false;
    m_clock->advance(2);
    auto updated = service.update(changed);
    QVERIFY2(updated, qPrintable(failure(updated)));
    QCOMPARE(updated->name, changed.name);
    QCOMPARE(updated->url, changed.url);
    QCOMPARE(updated->description, changed.description);
    QCOMPARE(updated->events, changed.events);
    QCOMPARE(updated->headers, changed.headers);
    QCOMPARE(updated->retry, changed.retry);
    QCOMPARE(updated->scheme, Scheme::Github);
    QCOMPARE(updated->retention, std::optional<int>(10));
    QVERIFY(!updated->active);
    QVERIFY(updated->updatedAt > a->updatedAt);
    auto reread = service.get(a->id);
    QVERIFY(reread);
    QCOMPARE(snapshot(*reread), snapshot(*updated));

    // Clearing the lists and the name (which falls back to the host).
    changed = *updated;
    changed.headers.clear();
    changed.name.clear();
    changed.retention.reset();
    updated = service.update(changed);
    QVERIFY2(updated, qPrintable(failure(updated)));
    QVERIFY(updated->headers.isEmpty());
    QCOMPARE(updated->name, u"a2.example.com"_s);
    QCOMPARE(updated->retention, std::nullopt);
    QCOMPARE(count(u"webhook_headers"_s), 0);

    Webhook ghost = draft();
    ghost.id = u"wh_doesnotexist"_s;
    auto ghostUpdate = service.update(ghost);
    QVERIFY(!ghostUpdate);
    QCOMPARE(ghostUpdate.error().code, Error::Code::NotFound);
    QCOMPARE(count(u"webhooks"_s), 3);

    auto removed = service.remove(a->id);
    QVERIFY2(removed, qPrintable(failure(removed)));
    QCOMPARE(service.get(a->id).error().code, Error::Code::NotFound);
    all = service.list();
    QVERIFY(all);
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->at(0).id, b->id);
    auto again = service.remove(a->id);
    QVERIFY(!again);
    QCOMPARE(again.error().code, Error::Code::NotFound);
    QCOMPARE(count(u"webhooks"_s), 2);
}

void TestWebhookService::updateKeepsSecretsAndCreatedAt()
{
    WebhookService service(conn());
    auto w = service.create(draft());
    QVERIFY(w);
    auto rotation = service.rotateSecret(w->id, 3600);
    QVERIFY2(rotation, qPrintable(failure(rotation)));
    auto rotated = service.get(w->id);
    QVERIFY(rotated);
    QCOMPARE(rotated->secrets.size(), 2);

    Webhook changed = *rotated;
    changed.secret = base64Secret(32); // not how secrets change: ignored
    changed.secrets = {};
    changed.createdAt = QDateTime::fromSecsSinceEpoch(1000, Qt::UTC);
    changed.description = u"edited"_s;
    m_clock->advance(2);
    auto updated = service.update(changed);
    QVERIFY2(updated, qPrintable(failure(updated)));
    QCOMPARE(updated->description, u"edited"_s);
    QCOMPARE(updated->secret, rotation->secret);
    QCOMPARE(updated->secrets.size(), 2);
    QCOMPARE(updated->secrets.at(0).secret, rotation->secret);
    QCOMPARE(updated->secrets.at(1).secret, w->secret);
    QCOMPARE(updated->secrets.at(1).expiresAt, rotated->secrets.at(1).expiresAt);
    QCOMPARE(updated->createdAt, w->createdAt);
    QVERIFY(updated->updatedAt > w->updatedAt);
    QCOMPARE(count(u"webhook_secrets"_s), 2);
}

void TestWebhookService::reactivationClearsDisabledState()
{
    WebhookService service(conn());
    auto w = service.create(draft());
    QVERIFY(w);
    // What the engine does after autoDisableAfter failures in a row.
    QSqlQuery q(conn());
    QVERIFY(q.exec(u"UPDATE webhooks SET active = 0, consecutive_failures = 5, disabled_reason = '5 deliveries failed in a row',"
                   " disabled_at = 1700000000000 WHERE id = '%1'"_s.arg(w->id)));
    auto disabled = service.get(w->id);
    QVERIFY(disabled);
    QVERIFY(!disabled->active);
    QCOMPARE(disabled->consecutiveFailures, 5);
    QCOMPARE(disabled->disabledReason, u"5 deliveries failed in a row"_s);
    QVERIFY(disabled->disabledAt.isValid());

    // Editing it while it stays inactive keeps the record of why.
    Webhook edit = *disabled;
    edit.description = u"looking into it"_s;
    auto stillOff = service.update(edit);
    QVERIFY2(stillOff, qPrintable(failure(stillOff)));
    QVERIFY(!stillOff->active);
    QCOMPARE(stillOff->disabledReason, disabled->disabledReason);
    QCOMPARE(stillOff->consecutiveFailures, 5);
    QCOMPARE(stillOff->disabledAt, disabled->disabledAt);

    Webhook on = *stillOff;
    on.active = true;
    auto reactivated = service.update(on);
    QVERIFY2(reactivated, qPrintable(failure(reactivated)));
    QVERIFY(reactivated->active);
    QVERIFY(reactivated->disabledReason.isEmpty());
    QCOMPARE(reactivated->consecutiveFailures, 0);
    QVERIFY(!reactivated->disabledAt.isValid());
    QVERIFY(q.exec(u"SELECT disabled_at IS NULL, disabled_reason, consecutive_failures FROM webhooks WHERE id = '%1'"_s.arg(w->id)));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QCOMPARE(q.value(1).toString(), QString());
    QCOMPARE(q.value(2).toInt(), 0);
}

void TestWebhookService::validation_data()
{
    QTest::addColumn<int>("index");
    const auto &cases = validationCases();
    for (int i = 0; i < cases.size(); ++i)
        QTest::newRow(cases.at(i).name) << i;
}

void TestWebhookService::validation()
{
    QFETCH(int, index);
    const Case &c = validationCases().at(index);
    setSettings(c.settings);

    WebhookService service(conn());
    // An existing webhook, to check update() refuses the same way.
    auto base = service.create(draft(u"https://existing.example.com/hook"_s));
    QVERIFY2(base, qPrintable(failure(base)));
    const int rowsBefore = rowsOfWebhooks();
    const int webhooksBefore = count(u"webhooks"_s);

    Webhook d = draft();
    c.change(d);
    auto created = service.create(d);

    if (c.field.isEmpty()) {
        QVERIFY2(created, qPrintable(failure(created)));
        QCOMPARE(count(u"webhooks"_s), webhooksBefore + 1);
        return;
    }
    QVERIFY2(!created, "accepted a webhook that should be refused");
    const Error &e = created.error();
    QVERIFY2(e.code == Error::Code::Validation, qPrintable(errorText(e)));
    QCOMPARE(e.field, c.field);
    QVERIFY2(e.message.contains(c.field), qPrintable(errorText(e)));
    QVERIFY2(e.message.size() > c.field.size() + 4, qPrintable(errorText(e)));
    // Refused means nothing written.
    QCOMPARE(count(u"webhooks"_s), webhooksBefore);
    QCOMPARE(rowsOfWebhooks(), rowsBefore);

    // update() validates the same way (secrets are not changed by update()).
    if (c.field == u"secret")
        return;
    Webhook changed = *base;
    c.change(changed);
    auto updated = service.update(changed);
    QVERIFY2(!updated, "update accepted a change that create refused");
    QCOMPARE(updated.error().code, Error::Code::Validation);
    QCOMPARE(updated.error().field, c.field);
    auto reread = service.get(base->id);
    QVERIFY(reread);
    QCOMPARE(snapshot(*reread), snapshot(*base));
    QCOMPARE(rowsOfWebhooks(), rowsBefore);
}

void TestWebhookService::subscriptionsNormalised()
{
    WebhookService service(conn());
    auto w = service.create(draft(kUrl, {u"lead.created"_s, u" lead.created "_s, u"*"_s, u"lead.*"_s, u"*"_s, u"lead.created"_s}));
    QVERIFY2(w, qPrintable(failure(w)));
    QCOMPARE(w->events, (QStringList{u"lead.created"_s, u"*"_s, u"lead.*"_s}));
    QCOMPARE(count(u"webhook_subscriptions"_s), 3);

    Webhook changed = *w;
    changed.events = {u"appointment.*"_s, u"appointment.*"_s};
    auto updated = service.update(changed);
    QVERIFY2(updated, qPrintable(failure(updated)));
    QCOMPARE(updated->events, QStringList{u"appointment.*"_s});
    QCOMPARE(count(u"webhook_subscriptions"_s), 1);

    // The validator itself, for callers that check before saving.
    auto ctx = service.validationContext();
    QVERIFY(ctx);
    QVERIFY(ctx->eventTypes.contains(u"webhook.test"_s));
    QVERIFY(ctx->eventTypes.contains(u"lead.created"_s));
    QVERIFY(ctx->groups.contains(u"lead"_s));
    QCOMPARE(ctx->headerPrefix, u"X-Webhook"_s);
    QVERIFY(!ctx->allowInsecureUrls);
    QVERIFY(!ctx->allowPrivateAddresses);
    QStringList list{u"lead.created"_s, u"lead.created"_s};
    QVERIFY(WebhookValidator(*ctx).validateEvents(list));
    QCOMPARE(list, QStringList{u"lead.created"_s});
}

void TestWebhookService::quota_data()
{
    QTest::addColumn<QString>("plan");
    QTest::addColumn<int>("quota");
    QTest::newRow("FREE") << u"FREE"_s << 0;
    QTest::newRow("PRO") << u"PRO"_s << 5;
    QTest::newRow("SCALE") << u"SCALE"_s << 20;
}

void TestWebhookService::quota()
{
    QFETCH(QString, plan);
    QFETCH(int, quota);
    auto known = PlanService(conn()).get(plan);
    QVERIFY(known);
    QCOMPARE(known->webhookQuota, std::optional<int>(quota));
    const QString tenant = u"tenant-"_s + plan.toLower();
    auto t = TenantService(conn()).create(tenant, plan);
    QVERIFY2(t, qPrintable(failure(t)));
    QCOMPARE(t->plan, plan);

    WebhookService service(conn());
    // Another tenant's webhooks do not count.
    QVERIFY(service.create(draft(u"https://default.example.com/"_s)));
    for (int i = 0; i < quota; ++i) {
        Webhook d = draft(u"https://h%1.example.com/"_s.arg(i));
        d.tenantId = tenant;
        auto w = service.create(d);
        QVERIFY2(w, qPrintable(u"webhook %1: "_s.arg(i + 1) + failure(w)));
    }
    const int rowsBefore = rowsOfWebhooks();
    Webhook d = draft(u"https://one-too-many.example.com/"_s);
    d.tenantId = tenant;
    auto refused = service.create(d);
    QVERIFY(!refused);
    QVERIFY2(refused.error().code == Error::Code::Quota, qPrintable(errorText(refused.error())));
    QCOMPARE(refused.error().field, u"tenant"_s);
    QVERIFY2(refused.error().message.contains(plan), qPrintable(refused.error().message));
    QVERIFY2(refused.error().message.contains(tenant), qPrintable(refused.error().message));
    QCOMPARE(rowsOfWebhooks(), rowsBefore);
    auto list = service.list(tenant);
    QVERIFY(list);
    QCOMPARE(list->size(), quota);

    // Deleting one makes room again.
    if (quota > 0) {
        QVERIFY(service.remove(list->first().id));
        QVERIFY2(service.create(d), "refused after a webhook was deleted");
        QVERIFY(!service.create(d));
    }
}

void TestWebhookService::quotaFollowsPlanChange()
{
    TenantService tenants(conn());
    QVERIFY(tenants.create(u"grows"_s, u"FREE"_s));
    WebhookService service(conn());
    Webhook d = draft();
    d.tenantId = u"grows"_s;
    QCOMPARE(service.create(d).error().code, Error::Code::Quota);
    auto upgraded = tenants.setPlan(u"grows"_s, u"PRO"_s);
    QVERIFY(upgraded);
    QCOMPARE(upgraded->plan, u"PRO"_s);
    for (int i = 0; i < 5; ++i)
        QVERIFY(service.create(d));
    QCOMPARE(service.create(d).error().code, Error::Code::Quota);
    // A downgrade keeps the webhooks but allows no new one.
    QVERIFY(tenants.setPlan(u"grows"_s, u"FREE"_s));
    QCOMPARE(service.list(u"grows"_s)->size(), 5);
    QCOMPARE(service.create(d).error().code, Error::Code::Quota);
}

void TestWebhookService::unknownTenantRefused()
{
    const int rowsBefore = rowsOfWebhooks();
    Webhook d = draft();
    d.tenantId = u"nobody"_s;
    auto w = WebhookService(conn()).create(d);
    QVERIFY(!w);
    QCOMPARE(w.error().field, u"tenant"_s);
    QVERIFY(w.error().message.contains(u"nobody"_s));
    QCOMPARE(rowsOfWebhooks(), rowsBefore);
}

void TestWebhookService::moveToFullTenantRefused()
{
    TenantService tenants(conn());
    QVERIFY(tenants.create(u"full"_s, u"PRO"_s));
    QVERIFY(tenants.create(u"roomy"_s, u"PRO"_s));
    QVERIFY(tenants.create(u"free"_s, u"FREE"_s));
    WebhookService service(conn());
    for (int i = 0; i < 5; ++i) {
        Webhook d = draft(u"https://full%1.example.com/"_s.arg(i));
        d.tenantId = u"full"_s;
        QVERIFY(service.create(d));
    }
    auto w = service.create(draft());
    QVERIFY(w);

    for (const auto &target : {u"full"_s, u"free"_s}) {
        Webhook moved = *w;
        moved.tenantId = target;
        moved.description = u"moved"_s;
        auto refused = service.update(moved);
        QVERIFY(!refused);
        QVERIFY2(refused.error().code == Error::Code::Quota, qPrintable(errorText(refused.error())));
        auto reread = service.get(w->id);
        QVERIFY(reread);
        QCOMPARE(snapshot(*reread), snapshot(*w));
    }
    QCOMPARE(service.list(u"full"_s)->size(), 5);

    Webhook toUnknown = *w;
    toUnknown.tenantId = u"nobody"_s;
    auto unknown = service.update(toUnknown);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().field, u"tenant"_s);

    // A tenant with room takes it, and a full tenant may still edit its own.
    Webhook moved = *w;
    moved.tenantId = u"roomy"_s;
    auto ok = service.update(moved);
    QVERIFY2(ok, qPrintable(failure(ok)));
    QCOMPARE(ok->tenantId, u"roomy"_s);
    QCOMPARE(service.list(u"roomy"_s)->size(), 1);
    auto own = service.list(u"full"_s)->first();
    own.description = u"still editable at the quota"_s;
    QVERIFY(service.update(own));
}

void TestWebhookService::rotateWithGrace()
{
    WebhookService service(conn());
    auto w = service.create(draft());
    QVERIFY(w);
    const QString old = w->secret;
    const auto now = Clock::now();
    auto rotation = service.rotateSecret(w->id, 3600);
    QVERIFY2(rotation, qPrintable(failure(rotation)));
    QVERIFY(rotation->secret.startsWith(u"whsec_"_s));
    QCOMPARE(Secret::standardKey(rotation->secret)->size(), 24);
    QVERIFY(rotation->secret != old);
    QCOMPARE(rotation->previousExpiresAt, now.addSecs(3600));

    auto r = service.get(w->id);
    QVERIFY(r);
    QCOMPARE(r->secret, rotation->secret);
    QCOMPARE(r->secrets.size(), 2);
    QCOMPARE(r->secrets.at(0).secret, rotation->secret);
    QVERIFY(!r->secrets.at(0).expiresAt);
    QCOMPARE(r->secrets.at(1).secret, old);
    QVERIFY(r->secrets.at(1).expiresAt);
    QCOMPARE(*r->secrets.at(1).expiresAt, rotation->previousExpiresAt);

    QCOMPARE(r->signingSecrets(now), (QStringList{rotation->secret, old}));
    QCOMPARE(r->signingSecrets(rotation->previousExpiresAt.addMSecs(-1)), (QStringList{rotation->secret, old}));
    QCOMPARE(r->signingSecrets(rotation->previousExpiresAt), QStringList{rotation->secret});
    QCOMPARE(r->signingSecrets(now.addSecs(3601)), QStringList{rotation->secret});
    // The grace period runs out on the clock, to the millisecond.
    m_clock->advanceTo(rotation->previousExpiresAt.addMSecs(-1));
    QCOMPARE(service.get(w->id)->signingSecrets(Clock::now()), (QStringList{rotation->secret, old}));
    m_clock->advance(1);
    QCOMPARE(service.get(w->id)->signingSecrets(Clock::now()), QStringList{rotation->secret});
    // Untouched by the rotation: the webhook's settings.
    QCOMPARE(r->url, w->url);
    QCOMPARE(r->createdAt, w->createdAt);
}

void TestWebhookService::rotateWithoutGrace()
{
    WebhookService service(conn());
    auto w = service.create(draft());
    QVERIFY(w);
    auto rotation = service.rotateSecret(w->id, 0);
    QVERIFY2(rotation, qPrintable(failure(rotation)));
    auto r = service.get(w->id);
    QVERIFY(r);
    QCOMPARE(r->secret, rotation->secret);
    QCOMPARE(r->secrets.size(), 2);
    QVERIFY(r->secrets.at(1).expiresAt);
    QCOMPARE(*r->secrets.at(1).expiresAt, Clock::now());
    QCOMPARE(r->signingSecrets(Clock::now()), QStringList{rotation->secret});
}

void TestWebhookService::rotateDefaultGraceFromSetting()
{
    WebhookService service(conn());
    auto w = service.create(draft());
    QVERIFY(w);
    auto rotation = service.rotateSecret(w->id);
    QVERIFY(rotation);
    QCOMPARE(Clock::now().msecsTo(rotation->previousExpiresAt), 86400 * 1000LL);

    QVERIFY(Settings(conn()).setValue(QString::fromLatin1(Settings::kRotationGraceSeconds), u"600"_s));
    rotation = service.rotateSecret(w->id);
    QVERIFY(rotation);
    QCOMPARE(Clock::now().msecsTo(rotation->previousExpiresAt), 600 * 1000LL);
}

void TestWebhookService::rotateRefusals()
{
    WebhookService service(conn());
    auto w = service.create(draft());
    QVERIFY(w);
    for (int grace : {-1, 30 * 24 * 3600 + 1}) {
        auto r = service.rotateSecret(w->id, grace);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Validation);
        QCOMPARE(r.error().field, u"grace"_s);
    }
    QVERIFY(service.rotateSecret(w->id, 30 * 24 * 3600));
    QCOMPARE(count(u"webhook_secrets"_s), 2);
    auto missing = service.rotateSecret(u"wh_nothere"_s, 60);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, Error::Code::NotFound);
    QCOMPARE(count(u"webhook_secrets"_s), 2);
}

void TestWebhookService::rotateTwiceShortensNeverExtends()
{
    WebhookService service(conn());
    auto w = service.create(draft());
    QVERIFY(w);
    const QString s0 = w->secret;
    auto r1 = service.rotateSecret(w->id, 3600);
    QVERIFY(r1);
    m_clock->advance(5);
    auto r2 = service.rotateSecret(w->id, 60);
    QVERIFY(r2);

    auto got = service.get(w->id);
    QVERIFY(got);
    QCOMPARE(got->secrets.size(), 3);
    QCOMPARE(got->secrets.at(0).secret, r2->secret);
    QVERIFY(!got->secrets.at(0).expiresAt);
    QCOMPARE(got->secrets.at(1).secret, r1->secret);
    QCOMPARE(got->secrets.at(2).secret, s0);
    // The second rotation's shorter grace ends both older secrets.
    QCOMPARE(*got->secrets.at(1).expiresAt, r2->previousExpiresAt);
    QCOMPARE(*got->secrets.at(2).expiresAt, r2->previousExpiresAt);
    QVERIFY(r2->previousExpiresAt < r1->previousExpiresAt);
    const auto now = Clock::now();
    QCOMPARE(got->signingSecrets(now), (QStringList{r2->secret, r1->secret, s0}));
    QCOMPARE(got->signingSecrets(now.addSecs(61)), QStringList{r2->secret});
    // Only one current secret at any time.
    QSqlQuery q(conn());
    QVERIFY(q.exec(u"SELECT COUNT(*) FROM webhook_secrets WHERE expires_at IS NULL"_s));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 1);

    // A rotation with no grace ends every older one at once.
    auto r3 = service.rotateSecret(w->id, 0);
    QVERIFY(r3);
    got = service.get(w->id);
    QVERIFY(got);
    QCOMPARE(got->signingSecrets(Clock::now()), QStringList{r3->secret});
}

void TestWebhookService::rotationsKeepAFewPreviousSecretsSigning()
{
    // 150 rotations a second apart, all inside a day's grace: before the cap
    // every one still signed, and the standard header grew to 7.2 KB.
    WebhookService service(conn());
    auto w = service.create(draft());
    QVERIFY(w);
    QStringList issued{w->secret};
    for (int i = 1; i <= 150; ++i) {
        m_clock->advance(1000);
        auto r = service.rotateSecret(w->id, 86400);
        QVERIFY2(r, qPrintable(failure(r)));
        QCOMPARE(r->retiredEarly, i <= Webhook::kMaxPreviousSecrets ? 0 : 1);
        issued.prepend(r->secret);
    }
    auto got = service.get(w->id);
    QVERIFY(got);
    const auto now = Clock::now();
    // The current one and the newest previous ones, newest first.
    QCOMPARE(got->signingSecrets(now), issued.mid(0, 1 + Webhook::kMaxPreviousSecrets));
    // Retired early means retired then: the first secret's grace ended at
    // the fourth rotation, 146 s before the last one.
    QCOMPARE(got->secrets.size(), 151);
    QCOMPARE(*got->secrets.last().expiresAt, got->secrets.at(0).createdAt.addSecs(-(150 - (Webhook::kMaxPreviousSecrets + 1))));
    SignRequest request;
    request.messageId = "msg_1";
    request.timestamp = now.toSecsSinceEpoch();
    request.body = "{}";
    const auto signed_ = Signer::sign(Scheme::Standard, got->signingSecrets(now), request);
    QVERIFY(signed_.ok());
    qsizetype headerBytes = 0;
    for (const auto &[name, value] : signed_.headers)
        headerBytes += name.size() + value.size();
    QVERIFY2(headerBytes < 512, qPrintable(QString::number(headerBytes)));
}

void TestWebhookService::signingSecretsCappedForOlderDatabases()
{
    // Written before the cap: ten rotated secrets, all inside their grace.
    Webhook w;
    const auto now = Clock::now();
    w.secrets.append({u"current"_s, now, std::nullopt});
    for (int i = 0; i < 10; ++i)
        w.secrets.append({u"previous-%1"_s.arg(i), now.addSecs(-i - 1), now.addSecs(3600)});
    QCOMPARE(w.signingSecrets(now), (QStringList{u"current"_s, u"previous-0"_s, u"previous-1"_s, u"previous-2"_s}));
    // Expired ones do not count against the cap.
    w.secrets[1].expiresAt = now;
    QCOMPARE(w.signingSecrets(now), (QStringList{u"current"_s, u"previous-1"_s, u"previous-2"_s, u"previous-3"_s}));
}

void TestWebhookService::rotateTwiceLaterGraceDoesNotExtendEarlier()
{
    WebhookService service(conn());
    auto w = service.create(draft());
    QVERIFY(w);
    const QString s0 = w->secret;
    auto r1 = service.rotateSecret(w->id, 60);
    QVERIFY(r1);
    m_clock->advance(5);
    auto r2 = service.rotateSecret(w->id, 7200);
    QVERIFY(r2);
    auto got = service.get(w->id);
    QVERIFY(got);
    QCOMPARE(got->secrets.size(), 3);
    // s0 keeps its own (earlier) end; r1's secret gets the new grace.
    QCOMPARE(got->secrets.at(2).secret, s0);
    QCOMPARE(*got->secrets.at(2).expiresAt, r1->previousExpiresAt);
    QCOMPARE(got->secrets.at(1).secret, r1->secret);
    QCOMPARE(*got->secrets.at(1).expiresAt, r2->previousExpiresAt);
    const auto now = Clock::now();
    QCOMPARE(got->signingSecrets(now.addSecs(61)), (QStringList{r2->secret, r1->secret}));
    QCOMPARE(got->signingSecrets(now.addSecs(7201)), QStringList{r2->secret});

    // An already expired secret is left alone by later rotations (the
    // first row is s0's: secrets are sealed, so the row is found by its order).
    QSqlQuery q(conn());
    QVERIFY(q.exec(u"SELECT MIN(id) FROM webhook_secrets WHERE webhook_id = '%1'"_s.arg(w->id)));
    QVERIFY(q.next());
    const auto s0Row = q.value(0).toLongLong();
    QVERIFY(q.exec(u"UPDATE webhook_secrets SET expires_at = 1000 WHERE id = %1"_s.arg(s0Row)));
    QVERIFY(service.rotateSecret(w->id, 3600));
    QVERIFY(q.exec(u"SELECT expires_at FROM webhook_secrets WHERE id = %1"_s.arg(s0Row)));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toLongLong(), 1000LL);
    QCOMPARE(service.get(w->id)->secrets.last().secret, s0);
}

void TestWebhookService::deleteCascades()
{
    WebhookService service(conn());
    Webhook d = draft(kUrl, {u"lead.created"_s});
    d.headers = {{u"X-Api-Key"_s, u"k"_s}};
    auto doomed = service.create(d);
    QVERIFY(doomed);
    auto kept = service.create(draft(u"https://kept.example.com/"_s, {u"lead.*"_s}));
    QVERIFY(kept);
    QVERIFY(service.rotateSecret(doomed->id, 3600));

    for (int i = 0; i < 2; ++i) {
        auto e = EventService(conn()).emitEvent(u"default"_s, u"lead.created"_s, R"({"lead_id":1})");
        QVERIFY2(e, qPrintable(failure(e)));
        QCOMPARE(e->deliveries, 2);
    }
    QCOMPARE(count(u"deliveries"_s), 4);
    QSqlQuery q(conn());
    QVERIFY(q.exec(u"INSERT INTO attempts (delivery_id, number, started_at, duration_ms, request_headers)"
                   " SELECT id, 1, 0, 5, '[]' FROM deliveries"_s));
    QCOMPARE(count(u"attempts"_s), 4);

    auto removed = service.remove(doomed->id);
    QVERIFY2(removed, qPrintable(failure(removed)));
    QVERIFY(q.exec(u"SELECT COUNT(*) FROM deliveries WHERE webhook_id = '%1'"_s.arg(doomed->id)));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    QCOMPARE(count(u"deliveries"_s), 2);
    QCOMPARE(count(u"attempts"_s), 2);
    for (const auto &table : {u"webhook_subscriptions"_s, u"webhook_headers"_s, u"webhook_secrets"_s}) {
        QVERIFY(q.exec(u"SELECT COUNT(*) FROM %1 WHERE webhook_id = '%2'"_s.arg(table, doomed->id)));
        QVERIFY(q.next());
        QVERIFY2(q.value(0).toInt() == 0, qPrintable(table));
    }
    // The events stay (other webhooks' history points at them).
    QCOMPARE(count(u"events"_s), 2);
    QVERIFY(service.get(kept->id));
}

// A name the code does not know, read back from the database (a newer
// version's, a hand edit), is an error that names the row: never a default
// that would sign, retry or bill differently without a word.
void TestWebhookService::unknownNamesInTheDatabaseAreErrors_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("what");
    QTest::newRow("scheme") << u"webhooks"_s << u"scheme"_s << u"signing scheme"_s;
    QTest::newRow("backoff") << u"webhooks"_s << u"backoff"_s << u"backoff strategy"_s;
    QTest::newRow("delivery status") << u"deliveries"_s << u"status"_s << u"status"_s;
    QTest::newRow("tenant plan") << u"tenants"_s << u"plan"_s << u"plan"_s;
}

void TestWebhookService::unknownNamesInTheDatabaseAreErrors()
{
    QFETCH(QString, table);
    QFETCH(QString, column);
    QFETCH(QString, what);
    WebhookService service(conn());
    auto w = service.create(draft());
    QVERIFY2(w, qPrintable(failure(w)));
    auto e = EventService(conn()).emitEvent(u"default"_s, u"lead.created"_s, R"({"lead_id":1})");
    QVERIFY2(e, qPrintable(failure(e)));
    QSqlQuery q(conn());
    // Statuses and plans have CHECK constraints; a foreign writer may not.
    if (test::usesPostgres()) {
        if (table != u"webhooks"_s)
            QSKIP("the CHECK constraint keeps the name out on PostgreSQL; SQLite can be told to ignore it");
    } else {
        QVERIFY(q.exec(u"PRAGMA ignore_check_constraints = ON"_s));
    }
    QVERIFY2(q.exec(u"UPDATE %1 SET %2 = 'from-the-future'"_s.arg(table, column)), qPrintable(q.lastError().text()));
    if (!test::usesPostgres())
        QVERIFY(q.exec(u"PRAGMA ignore_check_constraints = OFF"_s));

    QString message;
    if (table == u"webhooks"_s) {
        auto got = service.get(w->id);
        QVERIFY(!got);
        message = got.error().message;
        auto listed = service.list();
        QVERIFY(!listed);
        QCOMPARE(listed.error().message, message);
        QVERIFY2(message.contains(w->id), qPrintable(message));
    } else if (table == u"deliveries"_s) {
        DeliveryFilter f;
        auto listed = DeliveryStore(conn()).list(f);
        QVERIFY(!listed);
        message = listed.error().message;
        QVERIFY2(message.contains(u"msg_"_s), qPrintable(message));
        auto activity = DeliveryStore(conn()).activity(w->id, Clock::now().addDays(-1));
        QVERIFY(!activity);
    } else {
        // Plans are rows: a name no row has is found out when the plan is needed.
        auto plan = TenantService(conn()).planOf(u"default"_s);
        QVERIFY(!plan);
        message = plan.error().message;
        QVERIFY2(message.contains(u"default"_s), qPrintable(message));
        QVERIFY(!WebhookService(conn()).create(draft(u"https://quota.example.com/"_s)));
    }
    QVERIFY2(message.contains(what) && message.contains(u"\"from-the-future\""_s), qPrintable(message));
}

QTEST_MAIN(TestWebhookService)
#include "tst_webhookservice.moc"
