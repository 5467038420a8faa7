#include "store/MasterKey.h"

#include "signing/SecretBox.h"
#include "util/Log.h"
#include "util/PrivateFiles.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

#include <openssl/crypto.h>

#include <cstdio>

namespace hookline {

namespace {
constexpr int kKeyBytes = 32;
constexpr auto kStagedSuffix = ".new";

QMutex &keychainMutex()
{
    static QMutex m;
    return m;
}

std::shared_ptr<Keychain> &keychainSlot()
{
    static std::shared_ptr<Keychain> k;
    return k;
}

std::shared_ptr<Keychain> installedKeychain()
{
    QMutexLocker lock(&keychainMutex());
    return keychainSlot();
}

bool isPostgres(const QString &location)
{
    return location.startsWith(QLatin1StringView("postgres"), Qt::CaseInsensitive) && location.contains(QLatin1StringView("://"));
}

void wipe(QByteArray &bytes)
{
    if (!bytes.isEmpty())
        OPENSSL_cleanse(bytes.data(), size_t(bytes.size()));
}

// Base64 of exactly 32 bytes, whitespace around it ignored.
std::optional<QByteArray> decodeKey(const QByteArray &text)
{
    auto decoded = QByteArray::fromBase64Encoding(text.trimmed(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != kKeyBytes) {
        wipe(decoded.decoded);
        return std::nullopt;
    }
    return std::move(decoded.decoded);
}

Result<std::optional<QByteArray>> readKeyFile(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return std::optional<QByteArray>{};
    if (!file.open(QIODevice::ReadOnly))
        return Error{Error::Code::Io, MasterKey::tr("the key file %1 cannot be read: %2").arg(path, file.errorString()), {}};
    QByteArray text = file.read(1024);
    auto key = decodeKey(text);
    wipe(text);
    if (!key)
        return Error{Error::Code::Io, MasterKey::tr("the key file %1 does not hold a master key (expected base64 of 32 bytes)").arg(path), {}};
    return key;
}

// The key in a key file, as found; nothing when there is no such file.
Result<std::optional<MasterKey::Found>> findKeyFile(const QString &path)
{
    auto read = readKeyFile(path);
    if (!read)
        return read.error();
    if (!*read)
        return std::optional<MasterKey::Found>{};
    return std::optional<MasterKey::Found>(MasterKey::Found{std::move(**read), MasterKey::Source::KeyFile, path});
}

// A key kept in the keychain under `account`: nothing when there is no such
// entry; an error when the keychain cannot be asked or the entry is no key.
Result<std::optional<QByteArray>> readKeychainKey(Keychain &keychain, const QString &account)
{
    auto stored = keychain.read(account);
    if (!stored)
        return stored.error();
    if (!*stored)
        return std::optional<QByteArray>{};
    auto key = decodeKey(**stored);
    wipe(**stored);
    if (!key)
        return Error{Error::Code::Validation, MasterKey::tr("%1 holds an entry \"%2\" that is not a master key").arg(keychain.name(), account), {}};
    return key;
}

Status writeKeychainKey(Keychain &keychain, const QString &account, const QByteArray &key)
{
    QByteArray text = key.toBase64();
    auto s = keychain.write(account, text);
    wipe(text);
    return s;
}

Error unchangeableSource()
{
    return Error{Error::Code::Validation,
                 MasterKey::tr("the master key comes from %1, which Hookline cannot change").arg(QLatin1StringView(MasterKey::kEnvironment)),
                 {}};
}

Error noKeychain()
{
    return Error{Error::Code::Internal, MasterKey::tr("the system keychain is not available"), {}};
}

Status writeKeyFile(const QString &path, const QByteArray &key, bool replace)
{
    if (auto s = PrivateFiles::makeDirectory(QFileInfo(path).absolutePath()); !s)
        return s;
    if (!replace) {
        // Created 0600 first and only if absent: two processes starting at
        // once must not each write a key of their own.
        if (QFileInfo::exists(path))
            return Error{Error::Code::Conflict, MasterKey::tr("the key file %1 appeared meanwhile").arg(path), {}};
        if (auto s = PrivateFiles::createFile(path); !s)
            return s;
    }
    QSaveFile file(path); // written beside, then renamed over: never half a key
    if (!file.open(QIODevice::WriteOnly))
        return Error{Error::Code::Io, MasterKey::tr("cannot write the key file %1: %2").arg(path, file.errorString()), {}};
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    QByteArray text = key.toBase64() + '\n';
    file.write(text);
    wipe(text);
    if (!file.commit())
        return Error{Error::Code::Io, MasterKey::tr("cannot write the key file %1: %2").arg(path, file.errorString()), {}};
    if (!QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner))
        return Error{Error::Code::Io, MasterKey::tr("cannot make the key file %1 private").arg(path), {}};
    return Ok{};
}
} // namespace

MasterKey::Found::~Found()
{
    wipe(key);
}

std::shared_ptr<Keychain> MasterKey::keychain()
{
    return installedKeychain();
}

void MasterKey::setKeychain(std::shared_ptr<Keychain> k)
{
    QMutexLocker lock(&keychainMutex());
    keychainSlot() = std::move(k);
}

QString MasterKey::keyFilePath(const QString &location)
{
    if (!isPostgres(location))
        return location + QStringLiteral(".key");
    // One key per server, database and schema, in the user's data folder.
    const QUrl url(location);
    const auto schema = QUrlQuery(url).queryItemValue(QStringLiteral("schema"));
    QString name = QStringLiteral("%1-%2-%3-%4")
                       .arg(url.host())
                       .arg(url.port(5432))
                       .arg(url.path().mid(1), schema.isEmpty() ? QStringLiteral("public") : schema);
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    name.replace(unsafe, QStringLiteral("_"));
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("keys/postgresql-") + name + QStringLiteral(".key"));
}

QString MasterKey::account(const QString &location)
{
    return QStringLiteral("master key for ") + QFileInfo(keyFilePath(location)).absoluteFilePath();
}

Result<std::optional<MasterKey::Found>> MasterKey::find(const QString &location)
{
    if (qEnvironmentVariableIsSet(kEnvironment)) {
        QByteArray text = qgetenv(kEnvironment);
        auto key = decodeKey(text);
        wipe(text);
        if (!key)
            return Error{Error::Code::Validation,
                         tr("%1 is set but does not hold a master key (expected base64 of 32 bytes)").arg(QLatin1StringView(kEnvironment)),
                         {}};
        return std::optional<Found>(Found{std::move(*key), Source::Environment, QString::fromLatin1(kEnvironment)});
    }
    if (auto k = installedKeychain()) {
        auto key = readKeychainKey(*k, account(location));
        if (!key)
            return key.error();
        if (*key)
            return std::optional<Found>(Found{std::move(**key), Source::Keychain, tr("entry \"%1\"").arg(account(location))});
    }
    return findKeyFile(keyFilePath(location));
}

Result<MasterKey::Found> MasterKey::create(const QString &location)
{
    QByteArray key = SecretBox::generateKey();
    if (key.isEmpty())
        return Error{Error::Code::Internal, tr("the system's random number generator failed; no master key was made"), {}};
    return keep(location, std::move(key));
}

Result<MasterKey::Found> MasterKey::keep(const QString &location, QByteArray key)
{
    if (auto k = installedKeychain()) {
        auto written = writeKeychainKey(*k, account(location), key);
        if (written)
            return Found{std::move(key), Source::Keychain, tr("entry \"%1\"").arg(account(location))};
        // A keychain that answers reads but refuses a new entry (locked, no
        // collection, a prompt nobody answers): the key file serves instead.
        qCWarning(lcStore).noquote()
            << tr("%1 did not take the new master key (%2); it goes in a key file instead").arg(k->name(), written.error().message);
    }
    const auto path = keyFilePath(location);
    if (auto s = writeKeyFile(path, key, false); !s) {
        wipe(key);
        return s.error();
    }
    return Found{std::move(key), Source::KeyFile, path};
}

Status MasterKey::stage(const Found &current, const QByteArray &newKey, const QString &location)
{
    switch (current.source) {
    case Source::Environment: return unchangeableSource();
    case Source::Keychain:
        if (auto k = installedKeychain())
            return writeKeychainKey(*k, account(location) + QLatin1StringView(kStagedSuffix), newKey);
        return noKeychain();
    case Source::KeyFile: return writeKeyFile(current.where + QLatin1StringView(kStagedSuffix), newKey, true);
    }
    return Ok{};
}

Result<std::optional<MasterKey::Found>> MasterKey::findStaged(const Found &current, const QString &location)
{
    if (current.source == Source::KeyFile)
        return findKeyFile(current.where + QLatin1StringView(kStagedSuffix));
    if (current.source == Source::Keychain) {
        if (auto k = installedKeychain()) {
            // Unreadable counts as not staged: the current key stays in use.
            auto key = readKeychainKey(*k, account(location) + QLatin1StringView(kStagedSuffix));
            if (key && *key)
                return std::optional<Found>(Found{std::move(**key), Source::Keychain, current.where});
        }
    }
    return std::optional<Found>{};
}

Status MasterKey::promote(const Found &current, const QString &location)
{
    if (current.source == Source::KeyFile) {
        const QString staged = current.where + QLatin1StringView(kStagedSuffix);
        // rename(2) replaces the old file in one step.
        if (std::rename(QFile::encodeName(staged).constData(), QFile::encodeName(current.where).constData()) != 0)
            return Error{Error::Code::Io, tr("cannot replace the key file %1 with %2").arg(current.where, staged), {}};
        return Ok{};
    }
    if (current.source == Source::Keychain) {
        auto staged = findStaged(current, location);
        if (!staged)
            return staged.error();
        if (!*staged)
            return Error{Error::Code::Internal, tr("the new key is no longer in the system keychain"), {}};
        auto k = installedKeychain();
        if (!k)
            return noKeychain();
        if (auto s = writeKeychainKey(*k, account(location), (*staged)->key); !s)
            return s;
        // A staged copy left behind is harmless: it holds the current key now.
        (void)k->remove(account(location) + QLatin1StringView(kStagedSuffix));
        return Ok{};
    }
    return unchangeableSource();
}

void MasterKey::discardStaged(const Found &current, const QString &location)
{
    if (current.source == Source::KeyFile)
        QFile::remove(current.where + QLatin1StringView(kStagedSuffix));
    else if (current.source == Source::Keychain)
        if (auto k = installedKeychain())
            (void)k->remove(account(location) + QLatin1StringView(kStagedSuffix));
}

QString MasterKey::lookedIn(const QString &location)
{
    QStringList places;
    places << tr("%1 (not set)").arg(QLatin1StringView(kEnvironment));
    if (auto k = installedKeychain())
        places << tr("%1 (no entry \"%2\")").arg(k->name(), account(location));
    else
        places << tr("the system keychain (none in this session)");
    places << tr("the key file %1 (no such file)").arg(keyFilePath(location));
    return places.join(QStringLiteral("; "));
}

QString MasterKey::sourceName(Source source)
{
    switch (source) {
    case Source::Environment: return tr("the environment variable %1").arg(QLatin1StringView(kEnvironment));
    case Source::Keychain: return tr("the system keychain");
    case Source::KeyFile: return tr("a key file");
    }
    return {};
}

} // namespace hookline
