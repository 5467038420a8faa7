#include "WalWriteCombiner.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

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

// A file of the real VFS seen through ours: SQLite gives xOpen one block of
// szOsFile bytes, our wrapper first, the real file after it (realOffset).
struct Wrapped {
    sqlite3_file base; // first: SQLite sees a Wrapped as a sqlite3_file
    sqlite3_file *real = nullptr;
};

struct MainFile;

// A write-ahead log.
struct WalFile : Wrapped {
    MainFile *main = nullptr;        // its connection's database file; without it, nothing is gathered
    char *gathered = nullptr;        // kMaxGathered bytes, allocated on the first append
    sqlite3_int64 start = 0;         // the file offset of gathered[0]
    sqlite3_int64 size = 0;          // bytes gathered
    sqlite3_int64 commitPageAt = -1; // where the commit frame's page goes: written out with it
};

// A connection's database file, for one thing: the moment its connection
// gives up the log's write lock. Whatever its log still holds gathered then
// belongs to a transaction that did not commit (a commit writes it out), and
// must never reach the file: another connection may write those frames next.
struct MainFile : Wrapped {
    std::string path;
    std::thread::id thread;
    WalFile *wal = nullptr;
};

// Database files open without a log of their own yet, to pair each log with
// the connection that opens it (SQLite opens a connection's log on the
// connection's thread, after its database file).
std::mutex g_mainsMutex;
std::vector<MainFile *> g_mains;

// SQLite's lock numbers in the log's shared memory (wal.c): 0 is the writer's.
constexpr int kWalWriteLock = 0;

sqlite3_file *realOf(sqlite3_file *file)
{
    return reinterpret_cast<Wrapped *>(file)->real;
}

WalFile *walFile(sqlite3_file *file)
{
    return static_cast<WalFile *>(reinterpret_cast<Wrapped *>(file));
}

MainFile *mainFile(sqlite3_file *file)
{
    return static_cast<MainFile *>(reinterpret_cast<Wrapped *>(file));
}

// What either wrapper passes to the real file as it is. Shared memory and
// memory maps are the real file's when it has them (the unix VFS's files do).
int forwardRead(sqlite3_file *file, void *out, int amount, sqlite3_int64 offset)
{
    return realOf(file)->pMethods->xRead(realOf(file), out, amount, offset);
}

int forwardWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset)
{
    return realOf(file)->pMethods->xWrite(realOf(file), data, amount, offset);
}

int forwardTruncate(sqlite3_file *file, sqlite3_int64 size)
{
    return realOf(file)->pMethods->xTruncate(realOf(file), size);
}

int forwardSync(sqlite3_file *file, int flags)
{
    return realOf(file)->pMethods->xSync(realOf(file), flags);
}

int forwardFileSize(sqlite3_file *file, sqlite3_int64 *size)
{
    return realOf(file)->pMethods->xFileSize(realOf(file), size);
}

int forwardLock(sqlite3_file *file, int level)
{
    return realOf(file)->pMethods->xLock(realOf(file), level);
}

int forwardUnlock(sqlite3_file *file, int level)
{
    return realOf(file)->pMethods->xUnlock(realOf(file), level);
}

int forwardCheckReservedLock(sqlite3_file *file, int *out)
{
    return realOf(file)->pMethods->xCheckReservedLock(realOf(file), out);
}

int forwardFileControl(sqlite3_file *file, int op, void *arg)
{
    return realOf(file)->pMethods->xFileControl(realOf(file), op, arg);
}

int forwardSectorSize(sqlite3_file *file)
{
    return realOf(file)->pMethods->xSectorSize(realOf(file));
}

int forwardDeviceCharacteristics(sqlite3_file *file)
{
    return realOf(file)->pMethods->xDeviceCharacteristics(realOf(file));
}

int forwardShmMap(sqlite3_file *file, int page, int pageSize, int extend, void volatile **out)
{
    auto *real = realOf(file);
    return real->pMethods->iVersion >= 2 ? real->pMethods->xShmMap(real, page, pageSize, extend, out) : SQLITE_IOERR;
}

int forwardShmLock(sqlite3_file *file, int offset, int n, int flags)
{
    auto *real = realOf(file);
    return real->pMethods->iVersion >= 2 ? real->pMethods->xShmLock(real, offset, n, flags) : SQLITE_IOERR;
}

void forwardShmBarrier(sqlite3_file *file)
{
    auto *real = realOf(file);
    if (real->pMethods->iVersion >= 2)
        real->pMethods->xShmBarrier(real);
}

int forwardShmUnmap(sqlite3_file *file, int deleteFlag)
{
    auto *real = realOf(file);
    return real->pMethods->iVersion >= 2 ? real->pMethods->xShmUnmap(real, deleteFlag) : SQLITE_OK;
}

int forwardFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
    auto *real = realOf(file);
    *out = nullptr;
    return real->pMethods->iVersion >= 3 ? real->pMethods->xFetch(real, offset, amount, out) : SQLITE_OK;
}

int forwardUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *p)
{
    auto *real = realOf(file);
    return real->pMethods->iVersion >= 3 ? real->pMethods->xUnfetch(real, offset, p) : SQLITE_OK;
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

// A write of SQLite's that is not gathered.
int writeThrough(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset)
{
    ++g_issued;
    return forwardWrite(file, data, amount, offset);
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
    if (f->main) {
        std::lock_guard lock(g_mainsMutex);
        f->main->wal = nullptr;
        f->main = nullptr;
    }
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
    return forwardRead(file, out, amount, offset);
}

int walWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset)
{
    auto *f = walFile(file);
    ++g_requested;
    if (!f->main)
        return writeThrough(file, data, amount, offset);
    // Only an append to what is gathered joins it; anything else goes after it.
    if (f->size > 0 && (offset != f->start + f->size || f->size + amount > kMaxGathered)) {
        if (const int rc = writeOut(f); rc != SQLITE_OK)
            return rc;
    }
    if (amount > kMaxGathered)
        return writeThrough(file, data, amount, offset);
    if (!f->gathered) {
        f->gathered = static_cast<char *>(sqlite3_malloc64(kMaxGathered));
        if (!f->gathered)
            return writeThrough(file, data, amount, offset);
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
    return forwardTruncate(file, size);
}

int walSync(sqlite3_file *file, int flags)
{
    auto *f = walFile(file);
    if (const int rc = writeOut(f); rc != SQLITE_OK)
        return rc;
    return forwardSync(file, flags);
}

int walFileSize(sqlite3_file *file, sqlite3_int64 *size)
{
    auto *f = walFile(file);
    if (const int rc = writeOut(f); rc != SQLITE_OK)
        return rc;
    return forwardFileSize(file, size);
}

int walFileControl(sqlite3_file *file, int op, void *arg)
{
    auto *f = walFile(file);
    if (const int rc = writeOut(f); rc != SQLITE_OK)
        return rc;
    return forwardFileControl(file, op, arg);
}

int walFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
    *out = nullptr;
    if (const int rc = writeOut(walFile(file)); rc != SQLITE_OK)
        return rc;
    return forwardFetch(file, offset, amount, out);
}

const sqlite3_io_methods g_walMethods = {
    3,
    walClose,
    walRead,
    walWrite,
    walTruncate,
    walSync,
    walFileSize,
    forwardLock,
    forwardUnlock,
    forwardCheckReservedLock,
    walFileControl,
    forwardSectorSize,
    forwardDeviceCharacteristics,
    forwardShmMap,
    forwardShmLock,
    forwardShmBarrier,
    forwardShmUnmap,
    walFetch,
    forwardUnfetch,
};

int mainClose(sqlite3_file *file)
{
    auto *f = mainFile(file);
    {
        std::lock_guard lock(g_mainsMutex);
        g_mains.erase(std::remove(g_mains.begin(), g_mains.end(), f), g_mains.end());
        if (f->wal)
            f->wal->main = nullptr; // SQLite closes the log first; this is in case it did not
        f->wal = nullptr;
    }
    const int rc = f->real->pMethods->xClose(f->real);
    f->~MainFile();
    return rc;
}

int mainShmLock(sqlite3_file *file, int offset, int n, int flags)
{
    const int rc = forwardShmLock(file, offset, n, flags);
    constexpr int kWriterGone = SQLITE_SHM_UNLOCK | SQLITE_SHM_EXCLUSIVE;
    if ((flags & kWriterGone) == kWriterGone && offset <= kWalWriteLock && offset + n > kWalWriteLock) {
        // The transaction is over. A commit wrote out what it gathered, so
        // anything left is of one rolled back: dropped, never written.
        if (auto *wal = mainFile(file)->wal) {
            wal->size = 0;
            wal->commitPageAt = -1;
        }
    }
    return rc;
}

const sqlite3_io_methods g_mainMethods = {
    3,
    mainClose,
    forwardRead,
    forwardWrite,
    forwardTruncate,
    forwardSync,
    forwardFileSize,
    forwardLock,
    forwardUnlock,
    forwardCheckReservedLock,
    forwardFileControl,
    forwardSectorSize,
    forwardDeviceCharacteristics,
    forwardShmMap,
    mainShmLock,
    forwardShmBarrier,
    forwardShmUnmap,
    forwardFetch,
    forwardUnfetch,
};

constexpr int realOffset()
{
    // After the larger of the two wrappers: the real file's memory is its own.
    return int((std::max(sizeof(WalFile), sizeof(MainFile)) + 7) & ~size_t(7));
}

// Opens the real file in the memory after the wrapper `w`; until the caller
// sets the wrapper's methods, SQLite sees a file that did not open.
int openReal(Wrapped *w, sqlite3_filename name, int flags, int *outFlags)
{
    w->base.pMethods = nullptr;
    w->real = reinterpret_cast<sqlite3_file *>(reinterpret_cast<char *>(w) + realOffset());
    return g_real->xOpen(g_real, name, w->real, flags, outFlags);
}

int vfsOpen(sqlite3_vfs *, sqlite3_filename name, sqlite3_file *file, int flags, int *outFlags)
{
    if ((flags & SQLITE_OPEN_MAIN_DB) != 0 && name != nullptr) {
        auto *f = new (file) MainFile;
        const int rc = openReal(f, name, flags, outFlags);
        if (rc != SQLITE_OK || !f->real->pMethods) {
            f->~MainFile();
            file->pMethods = nullptr;
            return rc;
        }
        f->path = name;
        f->thread = std::this_thread::get_id();
        f->base.pMethods = &g_mainMethods;
        std::lock_guard lock(g_mainsMutex);
        g_mains.push_back(f);
        return rc;
    }
    // Everything but a database file and its log is the real VFS's own file, untouched.
    if ((flags & SQLITE_OPEN_WAL) == 0)
        return g_real->xOpen(g_real, name, file, flags, outFlags);
    auto *f = new (file) WalFile;
    const int rc = openReal(f, name, flags, outFlags);
    if (rc != SQLITE_OK || !f->real->pMethods)
        return rc;
    f->base.pMethods = &g_walMethods;
    // Its connection's database file: the one of this path opened on this
    // thread without a log yet. With none, or more than one, the log is
    // written as SQLite writes it, nothing gathered.
    const std::string path(name);
    constexpr std::string_view suffix = "-wal";
    if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
        const std::string database = path.substr(0, path.size() - suffix.size());
        std::lock_guard lock(g_mainsMutex);
        MainFile *found = nullptr;
        int candidates = 0;
        for (auto *m : g_mains) {
            if (!m->wal && m->path == database && m->thread == std::this_thread::get_id()) {
                found = m;
                ++candidates;
            }
        }
        if (candidates == 1) {
            found->wal = f;
            f->main = found;
        }
    }
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
