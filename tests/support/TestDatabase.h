#pragma once

// A fresh database for tests that drive the window or the engine against
// loopback receivers: every built-in catalog, and http:// to 127.0.0.1 allowed.
#include "service/CatalogService.h"
#include "service/Installation.h"
#include "service/Settings.h"
#include "store/Database.h"

#include <memory>

namespace hookline::test {

inline Status allowLoopback(QSqlDatabase db)
{
    for (const char *key : {Settings::kAllowInsecureUrls, Settings::kAllowPrivateAddresses}) {
        if (auto s = Settings(db).setValue(QString::fromLatin1(key), QStringLiteral("true")); !s)
            return s;
    }
    return Ok{};
}

// For the engine's tests, which take the store's Database.
inline Result<std::shared_ptr<Database>> openLoopbackDatabase(const QString &path)
{
    auto opened = Database::open(path);
    if (!opened)
        return opened.error();
    auto db = (*opened)->connection();
    if (auto s = CatalogService(db).initializeNewDatabase(CatalogService::builtinCatalogs()); !s)
        return s.error();
    if (auto s = allowLoopback(db); !s)
        return s.error();
    return opened;
}

// For the window's tests, which go through the front ends' Installation.
inline Result<std::shared_ptr<Installation>> openLoopbackInstallation(const QString &path)
{
    auto opened = Installation::open(path);
    if (!opened)
        return opened.error();
    if (auto s = allowLoopback((*opened)->connection()); !s)
        return s.error();
    return opened;
}

} // namespace hookline::test
