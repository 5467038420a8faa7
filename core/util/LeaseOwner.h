#pragma once

#include <QString>

namespace hookline {

// Who holds a lease: "host/pid/start", the start being the process's start
// time in clock ticks since boot (Linux /proc), so that a process id used
// again by another program is not mistaken for the engine that died. A
// restarted engine takes back at once the leases of a dead process of its own
// host; another host's are left to run out (it cannot tell whether that
// process lives).
class LeaseOwner final {
public:
    // This process.
    static QString self();
    // True only when `owner` is a process of this host that is gone.
    static bool isDeadHere(const QString &owner);
};

} // namespace hookline
