#pragma once

#include "util/Keychain.h"
#include "util/Result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <memory>
#include <optional>

namespace hookline {

// Where an installation's master key (the AES-256 key its webhook secrets
// are sealed with, signing/SecretBox.h) comes from, in this order:
//   1. HOOKLINE_MASTER_KEY: base64 of 32 bytes, for headless servers;
//   2. the system keychain, when the front end installed one (setKeychain);
//   3. a key file beside the database (SQLite: FILE.key; PostgreSQL: one per
//      server, database and schema in the user's data folder), mode 0600,
//      created on first use.
// A copied database file alone reveals no secret: the key is elsewhere.
class MasterKey final {
    Q_DECLARE_TR_FUNCTIONS(hookline::MasterKey)
public:
    static constexpr auto kEnvironment = "HOOKLINE_MASTER_KEY";

    enum class Source { Environment, Keychain, KeyFile };
    struct Found {
        QByteArray key; // 32 bytes, wiped (OPENSSL_cleanse) when this goes
        Source source = Source::KeyFile;
        QString where; // for people: "HOOKLINE_MASTER_KEY", the key file's path, the keychain entry

        Found() = default;
        Found(QByteArray k, Source s, QString w)
            : key(std::move(k))
            , source(s)
            , where(std::move(w))
        {
        }
        Found(Found &&) = default;
        Found &operator=(Found &&) = default;
        Found(const Found &) = delete;
        Found &operator=(const Found &) = delete;
        ~Found();
    };

    static void setKeychain(std::shared_ptr<Keychain> keychain);
    static std::shared_ptr<Keychain> keychain();

    static QString keyFilePath(const QString &location);
    // The keychain entry's account name for this database.
    static QString account(const QString &location);

    // The key, when one of the places holds one; an error when a place holds
    // something that is not a key (a malformed variable or file).
    static Result<std::optional<Found>> find(const QString &location);
    // A new key in the keychain (when there is one) or a new key file.
    static Result<Found> create(const QString &location);
    // `key` (another installation's) kept for `location` the same way:
    // a database copied elsewhere opens with the key its secrets were sealed with.
    static Result<Found> keep(const QString &location, QByteArray key);
    // Every place looked, and what was there: for the error that says no key was found.
    static QString lookedIn(const QString &location);

    // Rekeying: the new key is written beside the current one first (FILE.key.new,
    // or the keychain entry ACCOUNT.new), the database re-encrypted, then the
    // staged key replaces the current one. A key left staged by an interrupted
    // rekey is found by findStaged() and finished by promote().
    static Status stage(const Found &current, const QByteArray &newKey, const QString &location);
    static Result<std::optional<Found>> findStaged(const Found &current, const QString &location);
    static Status promote(const Found &current, const QString &location);
    static void discardStaged(const Found &current, const QString &location);

    static QString sourceName(Source source);
};

} // namespace hookline
