#include "WalWriteCombiner.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>

#include <sqlite3.h>

namespace hookline {

namespace {

// Appends gather up to this much before they are written out anyway. The
// unix VFS takes writes of less than 128 KB only (it masks the length to 17
// bits), which SQLite's own writes never reach.
constexpr sqlite3_int64 kMaxGathered = 64 * 1024;
// A frame's header: page number, then the database's size in pages after a
// commit (0 in every frame but a transaction's last), salts, checksums.
constexpr int kFrameHeaderBytes = 24;
constexpr sqlite3_int64 kWalHeaderBytes = 32;

sqlite3_vfs *g_real = nullptr; // the default VFS before ours
sqlite3_vfs g_vfs{};
std::atomic<quint64> g_requested{0};
std::atomic<quint64> g_issued{0};

// A write-ahead log opened through the real VFS; `real` lives right after it
// in the memory SQLite gives xOpen (szOsFile covers both).
struct WalFile {
    sqlite3_file base; // first: SQLite sees a WalFile as a sqlite3_file
    sqlite3_file *real = nullptr;
    char *gathered = nullptr;        // kMaxGathered bytes, allocated on the first append
    sqlite3_int64 start = 0;         // the file offset of gathered[0]
    sqlite3_int64 size = 0;          // bytes gathered
    sqlite3_int64 commitPageAt = -1; // where the commit frame's page goes: written out with it
};

WalFile *walFile(sqlite3_file *file)
{
    return reinterpret_cast<WalFile *>(file);
}

int writeOut(WalFile *f)
{
    if (f->size == 0)
        return SQLITE_OK;
    ++g_issued;
    const int rc = f->real->pMethods->xWrite(f->real, f->gathered, int(f->size), f->start);
    f->size = 0;
    return rc;
}

quint32 bigEndian32(const void *bytes)
{
    const auto *b = static_cast<const unsigned char *>(bytes);
    return (quint32(b[0]) << 24) | (quint32(b[1]) << 16) | (quint32(b[2]) << 8) | quint32(b[3]);
}

int walClose(sqlite3_file *file)
{
    auto *f = walFile(file);
    int rc = writeOut(f);
    const int closed = f->real->pMethods->xClose(f->real);
    if (rc == SQLITE_OK)
        rc = closed;
    sqlite3_free(f->gathered);
    f->gathered = nullptr;
    return rc;
}

int walRead(sqlite3_file *file, void *out, int amount, sqlite3_int64 offset)
{
    auto *f = walFile(file);
    if (const int rc = writeOut(f); rc != SQLITE_OK)
        return rc;
    return f->real->pMethods->xRead(f->real, out, amount, offset);
}

int walWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset)
{
    auto *f = walFile(file);
    ++g_requested;
    // Only an append to what is gathered joins it; anything else goes after it.
    if (f->size > 0 && (offset != f->start + f->size || f->size + amount > kMaxGathered)) {
        if (const int rc = writeOut(f); rc != SQLITE_OK)
            return rc;
    }
    if (amount > kMaxGathered) {
        ++g_issued;
        return f->real->pMethods->xWrite(f->real, data, amount, offset);
    }
    if (!f->gathered) {
        f->gathered = static_cast<char *>(sqlite3_malloc64(kMaxGathered));
        if (!f->gathered) {
            ++g_issued;
            return f->real->pMethods->xWrite(f->real, data, amount, offset);
        }
    }
    if (f->size == 0)
        f->start = offset;
    std::memcpy(f->gathered + f->size, data, size_t(amount));
    f->size += amount;

    if (amount == kFrameHeaderBytes && offset >= kWalHeaderBytes && bigEndian32(static_cast<const char *>(data) + 4) != 0) {
        // A commit frame's header: its page comes next, and once that write
        // returns SQLite publishes the transaction to every connection.
        f->commitPageAt = offset + kFrameHeaderBytes;
    } else if (offset == f->commitPageAt) {
        f->commitPageAt = -1;
        return writeOut(f); // its error is the commit's
    }
    return SQLITE_OK;
}

int walTruncate(sqlite3_file *file, sqlite3_int64 size)
{
    auto *f = walFile(file);
    if (const int rc = writeOut(f); rc != SQLITE_OK)
        return rc;
    return f->real->pMethods->xTruncate(f->real, size);
}

int walSync(sqlite3_file *file, int flags)
{
    auto *f = walFile(file);
    if (const int rc = writeOut(f); rc != SQLITE_OK)
        return rc;
    return f->real->pMethods->xSync(f->real, flags);
}

int walFileSize(sqlite3_file *file, sqlite3_int64 *size)
{
    auto *f = walFile(file);
    if (const int rc = writeOut(f); rc != SQLITE_OK)
        return rc;
    return f->real->pMethods->xFileSize(f->real, size);
}

int walLock(sqlite3_file *file, int level)
{
    return walFile(file)->real->pMethods->xLock(walFile(file)->real, level);
}

int walUnlock(sqlite3_file *file, int level)
{
    return walFile(file)->real->pMethods->xUnlock(walFile(file)->real, level);
}

int walCheckReservedLock(sqlite3_file *file, int *out)
{
    return walFile(file)->real->pMethods->xCheckReservedLock(walFile(file)->real, out);
}

int walFileControl(sqlite3_file *file, int op, void *arg)
{
    auto *f = walFile(file);
    if (const int rc = writeOut(f); rc != SQLITE_OK)
        return rc;
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

int walSectorSize(sqlite3_file *file)
{
    return walFile(file)->real->pMethods->xSectorSize(walFile(file)->real);
}

int walDeviceCharacteristics(sqlite3_file *file)
{
    return walFile(file)->real->pMethods->xDeviceCharacteristics(walFile(file)->real);
}

// A log has no shared memory or memory map of its own; these are here for
// completeness, forwarded as they are.
int walShmMap(sqlite3_file *file, int page, int pageSize, int extend, void volatile **out)
{
    auto *real = walFile(file)->real;
    return real->pMethods->iVersion >= 2 ? real->pMethods->xShmMap(real, page, pageSize, extend, out) : SQLITE_IOERR;
}

int walShmLock(sqlite3_file *file, int offset, int n, int flags)
{
    auto *real = walFile(file)->real;
    return real->pMethods->iVersion >= 2 ? real->pMethods->xShmLock(real, offset, n, flags) : SQLITE_IOERR;
}

void walShmBarrier(sqlite3_file *file)
{
    auto *real = walFile(file)->real;
    if (real->pMethods->iVersion >= 2)
        real->pMethods->xShmBarrier(real);
}

int walShmUnmap(sqlite3_file *file, int deleteFlag)
{
    auto *real = walFile(file)->real;
    return real->pMethods->iVersion >= 2 ? real->pMethods->xShmUnmap(real, deleteFlag) : SQLITE_OK;
}

int walFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
    auto *f = walFile(file);
    *out = nullptr;
    if (const int rc = writeOut(f); rc != SQLITE_OK)
        return rc;
    return f->real->pMethods->iVersion >= 3 ? f->real->pMethods->xFetch(f->real, offset, amount, out) : SQLITE_OK;
}

int walUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *p)
{
    auto *real = walFile(file)->real;
    return real->pMethods->iVersion >= 3 ? real->pMethods->xUnfetch(real, offset, p) : SQLITE_OK;
}

const sqlite3_io_methods g_walMethods = {
    3,
    walClose,
    walRead,
    walWrite,
    walTruncate,
    walSync,
    walFileSize,
    walLock,
    walUnlock,
    walCheckReservedLock,
    walFileControl,
    walSectorSize,
    walDeviceCharacteristics,
    walShmMap,
    walShmLock,
    walShmBarrier,
    walShmUnmap,
    walFetch,
    walUnfetch,
};

constexpr int realOffset()
{
    return int((sizeof(WalFile) + 7) & ~size_t(7));
}

int vfsOpen(sqlite3_vfs *, sqlite3_filename name, sqlite3_file *file, int flags, int *outFlags)
{
    // Everything but a log is the real VFS's own file, untouched.
    if ((flags & SQLITE_OPEN_WAL) == 0)
        return g_real->xOpen(g_real, name, file, flags, outFlags);
    auto *f = new (file) WalFile;
    f->base.pMethods = nullptr;
    f->real = reinterpret_cast<sqlite3_file *>(reinterpret_cast<char *>(file) + realOffset());
    const int rc = g_real->xOpen(g_real, name, f->real, flags, outFlags);
    if (rc == SQLITE_OK && f->real->pMethods)
        f->base.pMethods = &g_walMethods;
    return rc;
}

int vfsDelete(sqlite3_vfs *, const char *name, int syncDir)
{
    return g_real->xDelete(g_real, name, syncDir);
}

int vfsAccess(sqlite3_vfs *, const char *name, int flags, int *out)
{
    return g_real->xAccess(g_real, name, flags, out);
}

int vfsFullPathname(sqlite3_vfs *, const char *name, int size, char *out)
{
    return g_real->xFullPathname(g_real, name, size, out);
}

void *vfsDlOpen(sqlite3_vfs *, const char *name)
{
    return g_real->xDlOpen(g_real, name);
}

void vfsDlError(sqlite3_vfs *, int size, char *out)
{
    g_real->xDlError(g_real, size, out);
}

void (*vfsDlSym(sqlite3_vfs *, void *handle, const char *symbol))(void)
{
    return g_real->xDlSym(g_real, handle, symbol);
}

void vfsDlClose(sqlite3_vfs *, void *handle)
{
    g_real->xDlClose(g_real, handle);
}

int vfsRandomness(sqlite3_vfs *, int size, char *out)
{
    return g_real->xRandomness(g_real, size, out);
}

int vfsSleep(sqlite3_vfs *, int microseconds)
{
    return g_real->xSleep(g_real, microseconds);
}

int vfsCurrentTime(sqlite3_vfs *, double *out)
{
    return g_real->xCurrentTime(g_real, out);
}

int vfsLastError(sqlite3_vfs *, int size, char *out)
{
    return g_real->xGetLastError ? g_real->xGetLastError(g_real, size, out) : 0;
}

int vfsCurrentTimeInt64(sqlite3_vfs *, sqlite3_int64 *out)
{
    return g_real->xCurrentTimeInt64(g_real, out);
}

} // namespace

bool WalWriteCombiner::install()
{
    static const bool done = [] {
        g_real = sqlite3_vfs_find(nullptr);
        if (!g_real)
            return false;
        g_vfs.iVersion = std::min(g_real->iVersion, 2);
        g_vfs.szOsFile = realOffset() + g_real->szOsFile;
        g_vfs.mxPathname = g_real->mxPathname;
        g_vfs.zName = "hookline-wal";
        g_vfs.xOpen = vfsOpen;
        g_vfs.xDelete = vfsDelete;
        g_vfs.xAccess = vfsAccess;
        g_vfs.xFullPathname = vfsFullPathname;
        g_vfs.xDlOpen = g_real->xDlOpen ? vfsDlOpen : nullptr;
        g_vfs.xDlError = g_real->xDlError ? vfsDlError : nullptr;
        g_vfs.xDlSym = g_real->xDlSym ? vfsDlSym : nullptr;
        g_vfs.xDlClose = g_real->xDlClose ? vfsDlClose : nullptr;
        g_vfs.xRandomness = vfsRandomness;
        g_vfs.xSleep = vfsSleep;
        g_vfs.xCurrentTime = vfsCurrentTime;
        g_vfs.xGetLastError = vfsLastError;
        if (g_vfs.iVersion >= 2)
            g_vfs.xCurrentTimeInt64 = g_real->xCurrentTimeInt64 ? vfsCurrentTimeInt64 : nullptr;
        return sqlite3_vfs_register(&g_vfs, 1) == SQLITE_OK;
    }();
    return done;
}

bool WalWriteCombiner::installed()
{
    return sqlite3_vfs_find(nullptr) == &g_vfs;
}

WalWriteCombiner::Counts WalWriteCombiner::counts()
{
    return {g_requested.load(), g_issued.load()};
}

} // namespace hookline
