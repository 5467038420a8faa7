#include "Migrations.h"

#include "store/DirectStatement.h"
#include "store/Sql.h"
#include "util/Clock.h"
#include "util/Log.h"

#include <QSqlQuery>
#include <QStringList>

#include <sqlite3.h>

namespace hookline {

namespace {

struct Migration {
    int version;
    const char *description;
    QStringList statements;
    // What SQL alone cannot say, run after the statements in the same transaction.
    Status (*step)(const QSqlDatabase &db) = nullptr;
};

Status checksAsComparisons(const QSqlDatabase &db);

// Never edit a migration that has shipped: add a new one.
const QList<Migration> &migrations()
{
    // One row per line, as the table is read.
    // clang-format off
    static const QList<Migration> list{
        {1, "tenants, event types, webhooks, settings", {
            QStringLiteral("CREATE TABLE tenants ("
                           " id TEXT PRIMARY KEY,"
                           " plan TEXT NOT NULL CHECK (plan IN ('FREE','PRO','SCALE','ENTERPRISE')),"
                           " created_at INTEGER NOT NULL)"),
            QStringLiteral("INSERT INTO tenants (id, plan, created_at) VALUES ('default', 'ENTERPRISE', :now)"),
            QStringLiteral("CREATE TABLE event_types ("
                           " name TEXT PRIMARY KEY,"
                           " group_name TEXT NOT NULL,"
                           " description TEXT NOT NULL DEFAULT '',"
                           " sample_payload TEXT NOT NULL DEFAULT '{}',"
                           " catalog TEXT NOT NULL DEFAULT 'custom',"
                           " builtin INTEGER NOT NULL DEFAULT 0,"
                           " updated_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE INDEX event_types_group ON event_types (group_name)"),
            QStringLiteral("INSERT INTO event_types (name, group_name, description, sample_payload, catalog, builtin, updated_at)"
                           " VALUES ('webhook.test', 'webhook', 'A test ping sent on demand to check a webhook end to end.',"
                           " '{\"test\":true,\"message\":\"This is a test webhook delivery\"}', 'hookline', 1, :now)"),
            QStringLiteral("CREATE TABLE webhooks ("
                           " id TEXT PRIMARY KEY,"
                           " tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE RESTRICT,"
                           " name TEXT NOT NULL,"
                           " url TEXT NOT NULL,"
                           " description TEXT NOT NULL DEFAULT '',"
                           " scheme TEXT NOT NULL,"
                           " active INTEGER NOT NULL DEFAULT 1,"
                           " max_retries INTEGER NOT NULL,"
                           " retry_delay_seconds REAL NOT NULL,"
                           " backoff TEXT NOT NULL,"
                           " schedule TEXT NOT NULL DEFAULT '',"
                           " jitter REAL NOT NULL DEFAULT 0,"
                           " auto_disable_after INTEGER NOT NULL,"
                           " retention INTEGER,"
                           " transform TEXT NOT NULL DEFAULT '',"
                           " consecutive_failures INTEGER NOT NULL DEFAULT 0,"
                           " disabled_reason TEXT NOT NULL DEFAULT '',"
                           " disabled_at INTEGER,"
                           " created_at INTEGER NOT NULL,"
                           " updated_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE INDEX webhooks_tenant ON webhooks (tenant_id, active)"),
            QStringLiteral("CREATE TABLE webhook_subscriptions ("
                           " webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,"
                           " position INTEGER NOT NULL,"
                           " pattern TEXT NOT NULL,"
                           " PRIMARY KEY (webhook_id, pattern))"),
            QStringLiteral("CREATE TABLE webhook_headers ("
                           " webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,"
                           " position INTEGER NOT NULL,"
                           " name TEXT NOT NULL,"
                           " value TEXT NOT NULL,"
                           " PRIMARY KEY (webhook_id, position))"),
            QStringLiteral("CREATE TABLE webhook_secrets ("
                           " id INTEGER PRIMARY KEY,"
                           " webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,"
                           " secret TEXT NOT NULL,"
                           " created_at INTEGER NOT NULL,"
                           " expires_at INTEGER)"),
            QStringLiteral("CREATE INDEX webhook_secrets_webhook ON webhook_secrets (webhook_id, id)"),
            QStringLiteral("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
        }},
        {2, "events, deliveries, attempts", {
            QStringLiteral("CREATE TABLE events ("
                           " id TEXT PRIMARY KEY,"
                           " tenant_id TEXT NOT NULL REFERENCES tenants (id),"
                           " type TEXT NOT NULL,"
                           " created_at INTEGER NOT NULL,"
                           " body TEXT NOT NULL)"),
            QStringLiteral("CREATE TABLE deliveries ("
                           " id TEXT PRIMARY KEY,"
                           " event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,"
                           " webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,"
                           " tenant_id TEXT NOT NULL,"
                           " event_type TEXT NOT NULL,"
                           " status TEXT NOT NULL CHECK (status IN ('pending','delivering','retrying','succeeded','failed')),"
                           " attempts INTEGER NOT NULL DEFAULT 0,"
                           " next_attempt_at INTEGER,"
                           " lease_until INTEGER,"
                           " created_at INTEGER NOT NULL,"
                           " updated_at INTEGER NOT NULL,"
                           " last_status_code INTEGER,"
                           " last_error TEXT NOT NULL DEFAULT '',"
                           " last_duration_ms INTEGER)"),
            // What the engine asks most: which deliveries are due, and which
            // leases have run out. Partial indexes stay small as history grows.
            QStringLiteral("CREATE INDEX deliveries_due ON deliveries (next_attempt_at)"
                           " WHERE status IN ('pending','retrying')"),
            QStringLiteral("CREATE INDEX deliveries_leased ON deliveries (lease_until)"
                           " WHERE status = 'delivering'"),
            // What the history screens ask: one webhook by time, by status, all by time.
            QStringLiteral("CREATE INDEX deliveries_webhook_time ON deliveries (webhook_id, created_at)"),
            QStringLiteral("CREATE INDEX deliveries_status_time ON deliveries (status, created_at)"),
            QStringLiteral("CREATE INDEX deliveries_time ON deliveries (created_at)"),
            QStringLiteral("CREATE INDEX deliveries_event ON deliveries (event_id)"),
            QStringLiteral("CREATE TABLE attempts ("
                           " id INTEGER PRIMARY KEY,"
                           " delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,"
                           " number INTEGER NOT NULL,"
                           " started_at INTEGER NOT NULL,"
                           " duration_ms INTEGER NOT NULL,"
                           " request_headers TEXT NOT NULL,"
                           " request_body BLOB,"
                           " response_status INTEGER,"
                           " response_headers TEXT NOT NULL DEFAULT '[]',"
                           " response_body BLOB,"
                           " error TEXT NOT NULL DEFAULT '')"),
            QStringLiteral("CREATE INDEX attempts_delivery ON attempts (delivery_id, number)"),
        }},
        {3, "API keys", {
            QStringLiteral("CREATE TABLE api_keys ("
                           " id TEXT PRIMARY KEY,"
                           " tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,"
                           " name TEXT NOT NULL,"
                           " prefix TEXT NOT NULL,"
                           " key_hash TEXT NOT NULL UNIQUE,"
                           " created_at INTEGER NOT NULL,"
                           " last_used_at INTEGER,"
                           " revoked_at INTEGER)"),
            QStringLiteral("CREATE INDEX api_keys_tenant ON api_keys (tenant_id)"),
        }},
        {4, "delivery replays", {
            // Attempts made before the latest replay: retries are counted from there.
            QStringLiteral("ALTER TABLE deliveries ADD COLUMN retry_base INTEGER NOT NULL DEFAULT 0"),
        }},
        {5, "in-flight limit per webhook", {
            // Requests the engine may have in flight to this webhook at once;
            // NULL: the installation's maxInFlightPerWebhook.
            QStringLiteral("ALTER TABLE webhooks ADD COLUMN max_in_flight INTEGER"),
        }},
        {6, "lease owners", {
            // Who holds a delivery's lease (util/LeaseOwner.h): a restarted
            // engine takes back a dead process's leases without waiting.
            QStringLiteral("ALTER TABLE deliveries ADD COLUMN lease_owner TEXT"),
        }},
        {7, "secrets sealed under a master key", {
            // Which master key the secrets are sealed with (store/MasterKey.h,
            // signing/SecretBox.h): its fingerprint, and a probe value sealed
            // under it that tells a wrong key before anything is read or
            // written. No row: the secrets are still in plain text (a database
            // from before), sealed at the next open.
            QStringLiteral("CREATE TABLE secret_key ("
                           " id INTEGER PRIMARY KEY CHECK (id = 1),"
                           " fingerprint TEXT NOT NULL,"
                           " probe TEXT NOT NULL,"
                           " created_at INTEGER NOT NULL)"),
        }},
        {8, "audit log", {
            // Every administrative change (service/AuditLog.h), written in the
            // same transaction as the change; `changes` is JSON, never a secret.
            QStringLiteral("CREATE TABLE audit_log ("
                           " id INTEGER PRIMARY KEY,"
                           " at INTEGER NOT NULL,"
                           " actor TEXT NOT NULL,"
                           " action TEXT NOT NULL,"
                           " object_type TEXT NOT NULL,"
                           " object_id TEXT NOT NULL,"
                           " changes TEXT NOT NULL DEFAULT '{}')"),
            QStringLiteral("CREATE INDEX audit_log_at ON audit_log (at)"),
            QStringLiteral("CREATE INDEX audit_log_object ON audit_log (object_id, at)"),
        }},
        {9, "admin API keys", {
            // An admin key acts for every tenant (service/ApiKeyService.h);
            // its tenant_id is the default tenant's, for the reference.
            QStringLiteral("ALTER TABLE api_keys ADD COLUMN admin INTEGER NOT NULL DEFAULT 0"),
        }},
        {10, "idempotent ingestion", {
            // The first answer to an ingest request with an Idempotency-Key
            // (or to an event with an id), kept 24 hours: the same key then
            // answers it again and records nothing (service/EventService.h).
            // request_hash tells a retry from another request reusing the key.
            QStringLiteral("CREATE TABLE idempotency_keys ("
                           " tenant_id TEXT NOT NULL,"
                           " key TEXT NOT NULL,"
                           " request_hash TEXT NOT NULL,"
                           " answer TEXT NOT NULL,"
                           " created_at INTEGER NOT NULL,"
                           " PRIMARY KEY (tenant_id, key))"),
            QStringLiteral("CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)"),
        }},
        {11, "plans as data", {
            // Plans become rows (model/Plan.h); a limit of NULL is unlimited.
            QStringLiteral("CREATE TABLE plans ("
                           " name TEXT PRIMARY KEY,"
                           " webhook_quota INTEGER,"
                           " requests_per_minute INTEGER,"
                           " builtin INTEGER NOT NULL DEFAULT 0,"
                           " created_at INTEGER NOT NULL)"),
            QStringLiteral("INSERT INTO plans (name, webhook_quota, requests_per_minute, builtin, created_at) VALUES"
                           " ('FREE', 0, 60, 1, :now), ('PRO', 5, 600, 1, :now), ('SCALE', 20, 6000, 1, :now),"
                           " ('ENTERPRISE', 100, 6000, 1, :now), ('UNLIMITED', NULL, NULL, 1, :now)"),
            // tenants.plan loses the CHECK that listed the four names: the
            // column is made again (a column's own CHECK goes with it).
            QStringLiteral("ALTER TABLE tenants ADD COLUMN plan_name TEXT NOT NULL DEFAULT 'UNLIMITED'"),
            QStringLiteral("UPDATE tenants SET plan_name = plan"),
            QStringLiteral("ALTER TABLE tenants DROP COLUMN plan"),
            QStringLiteral("ALTER TABLE tenants RENAME COLUMN plan_name TO plan"),
            // The default tenant was put on ENTERPRISE, whose 100 webhooks
            // are a wall for a single-company installation.
            QStringLiteral("UPDATE tenants SET plan = 'UNLIMITED' WHERE id = 'default' AND plan = 'ENTERPRISE'"),
        }},
        {12, "operational alerts", {
            // Set while a webhook is failing (an open incident), by the engine only.
            QStringLiteral("ALTER TABLE webhooks ADD COLUMN failing_since INTEGER"),
            QStringLiteral("CREATE TABLE alerts ("
                           " id INTEGER PRIMARY KEY,"
                           " webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,"
                           " tenant_id TEXT NOT NULL,"
                           " kind TEXT NOT NULL CHECK (kind IN ('failing','disabled','gone','recovered','reenabled')),"
                           " detail TEXT NOT NULL DEFAULT '',"
                           " delivery_id TEXT,"
                           " created_at INTEGER NOT NULL)"),
            QStringLiteral("CREATE INDEX alerts_time ON alerts (created_at)"),
            QStringLiteral("CREATE INDEX alerts_webhook ON alerts (webhook_id, id)"),
            // The operational events (setting alertEventsWebhook): in the
            // catalog so that the admin webhook can subscribe to them by name.
            QStringLiteral("INSERT INTO event_types (name, group_name, description, sample_payload, catalog, builtin, updated_at) VALUES"
                           " ('hookline.webhook.failing', 'hookline', 'A webhook started failing: deliveries in a row failed, or its success rate fell under the threshold.',"
                           " '{\"alert\":{\"at\":\"2026-01-01T10:00:00.000Z\",\"detail\":\"3 deliveries in a row failed (the last: HTTP 500)\",\"id\":1,\"kind\":\"failing\"},\"webhook\":{\"id\":\"wh_0\",\"name\":\"Shop\",\"tenantId\":\"default\"}}', 'hookline', 1, :now),"
                           " ('hookline.webhook.disabled', 'hookline', 'A webhook was deactivated: after its failures, or by a 410 Gone.',"
                           " '{\"alert\":{\"at\":\"2026-01-01T10:00:00.000Z\",\"detail\":\"the receiver answered 410 Gone\",\"id\":2,\"kind\":\"gone\"},\"webhook\":{\"id\":\"wh_0\",\"name\":\"Shop\",\"tenantId\":\"default\"}}', 'hookline', 1, :now),"
                           " ('hookline.webhook.recovered', 'hookline', 'A failing webhook delivered again.',"
                           " '{\"alert\":{\"at\":\"2026-01-01T10:00:00.000Z\",\"detail\":\"delivered again after failing since 2026-01-01T09:00:00.000Z\",\"id\":3,\"kind\":\"recovered\"},\"webhook\":{\"id\":\"wh_0\",\"name\":\"Shop\",\"tenantId\":\"default\"}}', 'hookline', 1, :now)"),
        }},
        {13, "attempt detail: connected address, timings, decision", {
            QStringLiteral("ALTER TABLE attempts ADD COLUMN remote_address TEXT NOT NULL DEFAULT ''"),
            QStringLiteral("ALTER TABLE attempts ADD COLUMN timings TEXT NOT NULL DEFAULT ''"),
            QStringLiteral("ALTER TABLE attempts ADD COLUMN decision TEXT NOT NULL DEFAULT ''"),
        }},
        {14, "inspector copies", {
            QStringLiteral("ALTER TABLE webhooks ADD COLUMN inspector_url TEXT NOT NULL DEFAULT ''"),
        }},
        {15, "alert facts", {
            QStringLiteral("ALTER TABLE alerts ADD COLUMN facts TEXT NOT NULL DEFAULT '{}'"),
        }},
        {16, "status and kind checks as comparisons", {}, &checksAsComparisons},
    };
    // clang-format on
    return list;
}

// The migrations are written for SQLite; PostgreSQL gets the same schema with
// its own names for the types. INTEGER becomes BIGINT: timestamps are
// milliseconds since the epoch, past 32 bits.
QString forDialect(const QSqlDatabase &db, QString statement)
{
    if (!sql::isPostgres(db))
        return statement;
    statement.replace(QLatin1StringView(" INTEGER PRIMARY KEY"), QLatin1StringView(" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"));
    statement.replace(QLatin1StringView(" INTEGER"), QLatin1StringView(" BIGINT"));
    statement.replace(QLatin1StringView(" BLOB"), QLatin1StringView(" BYTEA"));
    statement.replace(QLatin1StringView(" REAL"), QLatin1StringView(" DOUBLE PRECISION"));
    return statement;
}

QString tablesQuery(const QSqlDatabase &db)
{
    return sql::isPostgres(db) ? QStringLiteral("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
                               : QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'");
}

Result<bool> hasMigrationTable(const QSqlDatabase &db)
{
    auto q = sql::prepare(db, QStringLiteral("SELECT 1 FROM (%1) t WHERE t.%2 = 'schema_migrations'")
                                  .arg(tablesQuery(db), sql::isPostgres(db) ? QStringLiteral("table_name") : QStringLiteral("name")));
    if (auto s = sql::exec(q, QCoreApplication::translate("hookline::Migrations", "reading the schema version")); !s)
        return s.error();
    const bool found = q.next();
    q.finish();
    return found;
}

Status createMigrationTable(const QSqlDatabase &db)
{
    return sql::exec(db,
                     forDialect(db, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                                   " version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)")),
                     QCoreApplication::translate("hookline::Migrations", "creating the migration table"));
}

// SQLite checks `column IN ('a', 'b', 'c', …)` in a CHECK by filling a
// temporary b-tree with the list for every row it writes (it cannot keep one
// between rows there): about 2 µs of every status change, which the engine
// makes twice a delivery, and of every delivery an event creates. The same
// names joined by OR cost a few comparisons. SQLite cannot alter a CHECK; its
// documentation allows editing the table's definition in place for a
// constraint that every row already meets (lang_altertable.html, "simpler
// procedure"), which an equivalent expression is. PostgreSQL keeps the list.
Status checksAsComparisons(const QSqlDatabase &db)
{
    if (sql::isPostgres(db))
        return Ok{};
    struct Check {
        const char *table;
        const char *column;
        QList<const char *> names;
    };
    const QList<Check> checks{
        {"deliveries", "status", {"pending", "delivering", "retrying", "succeeded", "failed"}},
        {"alerts", "kind", {"failing", "disabled", "gone", "recovered", "reenabled"}},
    };
    const auto what = QCoreApplication::translate("hookline::Migrations", "rewriting the checks of status names");
    auto version = sql::prepare(db, QStringLiteral("PRAGMA schema_version"));
    if (auto s = sql::exec(version, what); !s)
        return s;
    const qint64 schemaVersion = version.next() ? version.value(0).toLongLong() : 0;
    version.finish();
    // A SQLite in defensive mode refuses to edit a definition: the lists
    // stay, correct and slower.
    int defensive = 0;
    if (auto *handle = DirectStatement::sqliteHandle(db);
        !handle || sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive) != SQLITE_OK || defensive) {
        qCWarning(lcStore) << "SQLite does not let table definitions be edited here (defensive mode): the status checks keep their lists";
        return Ok{};
    }
    if (auto s = sql::exec(db, QStringLiteral("PRAGMA writable_schema = ON"), what); !s)
        return s;
    Status result = Ok{};
    for (const auto &c : checks) {
        const QString column = QString::fromLatin1(c.column);
        QStringList quoted, compared;
        for (const char *name : c.names) {
            quoted << QStringLiteral("'%1'").arg(QLatin1StringView(name));
            compared << QStringLiteral("%1 = '%2'").arg(column, QLatin1StringView(name));
        }
        const QString before = QStringLiteral("CHECK (%1 IN (%2))").arg(column, quoted.join(u','));
        const QString after = QStringLiteral("CHECK (%1)").arg(compared.join(QStringLiteral(" OR ")));
        auto read = sql::prepare(db, QStringLiteral("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?"));
        read.addBindValue(QString::fromLatin1(c.table));
        if (result = sql::exec(read, what); !result)
            break;
        QString definition = read.next() ? read.value(0).toString() : QString();
        read.finish();
        if (definition.count(before) != 1) {
            // Not as Hookline wrote it: left as it is, which is correct, only slower.
            qCWarning(lcStore).noquote() << "the" << c.table << "table's check of" << column << "is not the one Hookline wrote; left as it is";
            continue;
        }
        definition.replace(before, after);
        auto write = sql::prepare(db, QStringLiteral("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = ?"));
        write.addBindValue(definition);
        write.addBindValue(QString::fromLatin1(c.table));
        if (result = sql::exec(write, what); !result)
            break;
    }
    // Every connection reads the definitions again at its next statement.
    if (result)
        result = sql::exec(db, QStringLiteral("PRAGMA schema_version = %1").arg(schemaVersion + 1), what);
    const auto off = sql::exec(db, QStringLiteral("PRAGMA writable_schema = OFF"), what);
    return result ? off : result;
}

// The statements of `m` and its row in schema_migrations, inside the caller's transaction.
Status applyStatements(const QSqlDatabase &db, const Migration &m)
{
    const auto now = Clock::nowMs();
    const auto what = QCoreApplication::translate("hookline::Migrations", "applying schema version %1").arg(m.version);
    for (const auto &statement : m.statements) {
        const auto text = forDialect(db, statement);
        if (!text.contains(QLatin1StringView(":now"))) {
            // Schema statements run as they are: PostgreSQL cannot prepare them.
            if (auto s = sql::exec(db, text, what); !s)
                return s;
            continue;
        }
        auto q = sql::prepare(db, text);
        q.bindValue(QStringLiteral(":now"), now);
        if (auto s = sql::exec(q, what); !s)
            return s;
    }
    if (m.step) {
        if (auto s = m.step(db); !s)
            return s;
    }
    auto record = sql::prepare(db, QStringLiteral("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)"));
    record.addBindValue(m.version);
    record.addBindValue(QString::fromLatin1(m.description));
    record.addBindValue(now);
    if (auto s = sql::exec(record, what); !s)
        return s;
    return Ok{};
}

Status apply(const QSqlDatabase &db, const Migration &m)
{
    sql::Transaction tx(db);
    if (auto s = tx.begin(); !s)
        return s;
    // Created with the first version, in the same transaction: a failed first
    // migration leaves the file as it was.
    if (sql::isPostgres(db)) {
        // Two processes opening a new database at once: one migrates, the
        // other waits here and then finds the version applied.
        if (auto s = sql::exec(db, QStringLiteral("SELECT pg_advisory_xact_lock(7465636)"),
                               QCoreApplication::translate("hookline::Migrations", "waiting for another migration"));
            !s)
            return s;
    }
    if (auto s = createMigrationTable(db); !s)
        return s;
    auto applied = sql::prepare(db, QStringLiteral("SELECT 1 FROM schema_migrations WHERE version = ?"));
    applied.addBindValue(m.version);
    if (auto s = sql::exec(applied, QCoreApplication::translate("hookline::Migrations", "reading the schema version")); !s)
        return s;
    if (applied.next())
        return Ok{}; // another process applied it meanwhile
    applied.finish();
    if (auto s = applyStatements(db, m); !s)
        return s;
    return tx.commit();
}

} // namespace

Status Migrations::createWithin(const QSqlDatabase &db)
{
    if (auto s = createMigrationTable(db); !s)
        return s;
    for (const auto &m : migrations()) {
        if (auto s = applyStatements(db, m); !s)
            return s;
    }
    return Ok{};
}

int Migrations::latestVersion()
{
    return migrations().constLast().version;
}

Result<int> Migrations::currentVersion(const QSqlDatabase &db)
{
    auto has = hasMigrationTable(db);
    if (!has)
        return has.error();
    if (!*has)
        return 0;
    auto q = sql::prepare(db, QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    if (auto s = sql::exec(q, tr("reading the schema version")); !s)
        return s.error();
    const int version = q.next() ? q.value(0).toInt() : 0;
    q.finish();
    return version;
}

Status Migrations::migrate(const QSqlDatabase &db, int target)
{
    if (target < 0)
        target = latestVersion();
    auto current = currentVersion(db);
    if (!current)
        return current.error();
    if (*current > latestVersion()) {
        return Error{Error::Code::Conflict,
                     tr("the database has schema version %1 but this Hookline knows versions up to %2: "
                        "it was written by a newer Hookline; upgrade Hookline to open it (the file was left untouched)")
                         .arg(*current)
                         .arg(latestVersion()),
                     {}};
    }
    if (*current >= target)
        return Ok{};
    if (*current == 0) {
        // An empty file becomes a Hookline database; someone else's is left alone.
        auto tables = sql::prepare(db, QStringLiteral("SELECT COUNT(*) FROM (%1) t").arg(tablesQuery(db)));
        if (auto s = sql::exec(tables, tr("inspecting the database")); !s)
            return s;
        const int n = tables.next() ? tables.value(0).toInt() : 0;
        tables.finish();
        if (n > 0)
            return Error{Error::Code::Conflict,
                         tr("the file holds tables but is not a Hookline database (no schema_migrations table); it was left untouched"),
                         {}};
    }
    for (const auto &m : migrations()) {
        if (m.version <= *current || m.version > target)
            continue;
        if (auto s = apply(db, m); !s)
            return s;
    }
    return Ok{};
}

} // namespace hookline
