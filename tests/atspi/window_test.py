#!/usr/bin/python3
"""End-to-end accessibility test of the Hookline window, driven over AT-SPI.

Run by tests/atspi/run_window_test.sh, which starts Xvfb, a private D-Bus
session with the AT-SPI bus, a loopback receiver and `hookline`, then this
script. It walks the accessible tree the way a screen reader does (names,
descriptions, roles, states, the Action interface) and checks:

  1. the engine status label reads its visible text as its name;
  2. "Send test ping" is heard: the result label's name says it succeeded;
  3. an event type is a real check box that can be ticked;
  4. Tools > Settings opens the dialog without blocking the caller; its
     in-flight limits are there by name, with their values.

Each step prints PASS or FAIL with details; on a failure the whole accessible
tree of the application is dumped to a file in $HOOKLINE_ATSPI_TMP. The exit
code is 0 when every step passed, 1 when one failed, 2 when the application
could not be found at all.

Environment (set by the harness):
  HOOKLINE_ATSPI_TMP       directory for tree dumps (default: a new temp dir)
  HOOKLINE_ATSPI_REQUESTS  file the loopback receiver appends a line to per request
  HOOKLINE_ATSPI_APP_PID   process id of hookline (to pick the right application)
"""

import os
import sys
import tempfile
import time
import traceback

try:
    from gi.repository import GLib
    import pyatspi
except ImportError as e:  # the harness checks this too; keep the reason on one line
    print(f"FAIL: cannot import pyatspi ({e}); install the Debian package python3-pyatspi", flush=True)
    sys.exit(2)

TMP = os.environ.get("HOOKLINE_ATSPI_TMP") or tempfile.mkdtemp(prefix="hookline-atspi-")
REQUESTS = os.environ.get("HOOKLINE_ATSPI_REQUESTS", "")
APP_PID = int(os.environ.get("HOOKLINE_ATSPI_APP_PID") or 0)

# libatspi's own limit on one D-Bus call. Its default (0.8 s, but up to 15 s
# while an application is "starting") is too short for a busy GUI thread and
# too long for a watchdog: 5 s for every call, from the first one on. A call
# into an action that runs a modal loop therefore fails after 5 s instead of
# hanging the test (step 4 relies on that).
CALL_TIMEOUT_MS = 5000
pyatspi.setTimeout(CALL_TIMEOUT_MS, 0)

MAX_NODES = 4000        # a walk of the tree stops after this many nodes
MAX_CHILDREN = 400      # children looked at per node (item views can be large)
WINDOW_ROLES = (pyatspi.ROLE_DIALOG, pyatspi.ROLE_FRAME, pyatspi.ROLE_WINDOW)


def log(msg=""):
    print(msg, flush=True)


# ---------------------------------------------------------------- accessors
# Every property read is a D-Bus call that can fail when the object has gone
# away in the meantime: these never raise.

def name_of(acc):
    try:
        return acc.name or ""
    except Exception:
        return ""


def description_of(acc):
    try:
        return acc.description or ""
    except Exception:
        return ""


def role_of(acc):
    try:
        return acc.getRole()
    except Exception:
        return None


def role_name(acc):
    try:
        return acc.getRoleName()
    except Exception:
        return "?"


def states_of(acc):
    try:
        return set(acc.getState().getStates())
    except Exception:
        return set()


def state_names(acc):
    return sorted(pyatspi.stateToString(s) for s in states_of(acc))


def has_state(acc, state):
    try:
        return acc.getState().contains(state)
    except Exception:
        return False


def action_names(acc):
    try:
        action = acc.queryAction()
    except Exception:
        return []
    names = []
    for i in range(action.nActions):
        try:
            names.append(action.getName(i))
        except Exception:
            names.append("?")
    return names


def text_of(acc):
    """The Text interface's content, or None where there is no Text interface."""
    try:
        return acc.queryText().getText(0, -1)
    except Exception:
        return None


def children_of(acc):
    try:
        count = acc.childCount
    except Exception:
        return []
    result = []
    for i in range(min(count, MAX_CHILDREN)):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:
            child = None
        if child is not None:
            result.append(child)
    return result


def alive(acc):
    """False once the object is gone (defunct, or its application answers no more)."""
    try:
        if has_state(acc, pyatspi.STATE_DEFUNCT):
            return False
        acc.getRole()
        return True
    except Exception:
        return False


def describe(acc):
    line = f"[{role_name(acc)}] name={name_of(acc)!r} description={description_of(acc)!r} states={state_names(acc)}"
    actions = action_names(acc)
    if actions:
        line += f" actions={actions}"
    return line


# ---------------------------------------------------------------- searching

def walk(root, max_nodes=MAX_NODES):
    """Depth-first, root excluded; yields (accessible, depth)."""
    stack = [(c, 1) for c in reversed(children_of(root))]
    seen = 0
    while stack and seen < max_nodes:
        acc, depth = stack.pop()
        seen += 1
        yield acc, depth
        stack.extend((c, depth + 1) for c in reversed(children_of(acc)))


def find_all(root, pred, max_nodes=MAX_NODES):
    found = []
    for acc, _ in walk(root, max_nodes):
        try:
            if pred(acc):
                found.append(acc)
        except Exception:
            pass
    return found


def find_first(root, pred, max_nodes=MAX_NODES):
    for acc, _ in walk(root, max_nodes):
        try:
            if pred(acc):
                return acc
        except Exception:
            pass
    return None


def wait_for(fn, timeout, interval=0.25):
    """Calls fn until it returns something truthy or timeout seconds pass; returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def find_app(timeout=20.0):
    """The application named "hookline" on the desktop (of HOOKLINE_ATSPI_APP_PID when set)."""
    deadline = time.monotonic() + timeout
    seen = []
    while True:
        seen = []
        try:
            desktop = pyatspi.Registry.getDesktop(0)
            apps = children_of(desktop)
        except Exception as e:
            apps = []
            seen.append(f"(desktop not readable: {e})")
        for app in apps:
            name = name_of(app)
            try:
                pid = app.get_process_id()
            except Exception:
                pid = 0
            seen.append(f"{name!r} pid {pid}")
            if name.lower() == "hookline" and (not APP_PID or pid == APP_PID):
                # The application is there once its main window is.
                if any(role_of(w) == pyatspi.ROLE_FRAME for w in children_of(app)):
                    return app, seen
        if time.monotonic() >= deadline:
            return None, seen
        time.sleep(0.5)


def main_window(app):
    for w in children_of(app):
        if role_of(w) == pyatspi.ROLE_FRAME and name_of(w).startswith("Hookline"):
            return w
    return None


def menu_item(window, menu, prefix):
    """The item of menu bar menu `menu` whose name starts with `prefix`, or raises StepFailure."""
    bar = find_first(window, lambda a: role_of(a) == pyatspi.ROLE_MENU_BAR, max_nodes=50)
    if bar is None:
        raise StepFailure("the main window has no menu bar in its accessible tree")
    tops = [c for c in children_of(bar) if role_of(c) == pyatspi.ROLE_MENU_ITEM]
    top = next((c for c in tops if name_of(c) == menu), None)
    if top is None:
        raise StepFailure(f"no menu {menu!r} in the menu bar; it has {[name_of(c) for c in tops]}")
    items = find_all(top, lambda a: role_of(a) == pyatspi.ROLE_MENU_ITEM, max_nodes=200)
    item = next((i for i in items if name_of(i).startswith(prefix)), None)
    if item is None:
        raise StepFailure(f"no item starting with {prefix!r} in menu {menu!r}; it has {[name_of(i) for i in items]}")
    return item


def labels_with_description(app, description):
    return find_all(app, lambda a: role_of(a) == pyatspi.ROLE_LABEL and description_of(a) == description)


def explain_missing_label(app, description):
    """What stands where a label with this description was expected (for FAIL messages)."""
    named = find_all(app, lambda a: name_of(a) == description)
    if not named:
        return "nothing in the tree has that name either"
    parts = []
    for acc in named[:3]:
        text = text_of(acc)
        parts.append(describe(acc) + (f" text={text!r}" if text is not None else " (no Text interface)"))
    return "found instead (named, not described, so its text is hidden): " + "; ".join(parts)


# ---------------------------------------------------------------- actions

class StepFailure(Exception):
    pass


def do_action(acc, preferred):
    """Runs the first action of `preferred` (case-insensitive) that acc offers.

    Prints the action names. Returns (action name, seconds the call took, error
    or None); an error is also what a call blocked past CALL_TIMEOUT_MS gives.
    """
    names = action_names(acc)
    log(f"    actions of {name_of(acc)!r}: {names}")
    lowered = [n.lower() for n in names]
    index = next((lowered.index(p.lower()) for p in preferred if p.lower() in lowered), None)
    if index is None:
        raise StepFailure(f"{name_of(acc)!r} has no action among {preferred}; it has {names}")
    start = time.monotonic()
    error = None
    try:
        if not acc.queryAction().doAction(index):
            error = "doAction returned false"
    except Exception as e:
        error = f"{type(e).__name__}: {e}"
    return names[index], time.monotonic() - start, error


def press(acc, what):
    name, elapsed, error = do_action(acc, ["Press", "Click", "Activate"])
    if error:
        raise StepFailure(f"{what}: action {name!r} failed after {elapsed:.1f} s: {error}")
    log(f"    {what}: {name!r} done in {elapsed:.2f} s")


# ---------------------------------------------------------------- dumps

def dump_tree(app, label):
    """Writes the application's accessible tree to $HOOKLINE_ATSPI_TMP/tree-<label>.txt; returns the path."""
    path = os.path.join(TMP, f"tree-{label}.txt")
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write(describe(app) + "\n")
        for acc, depth in walk(app):
            count += 1
            line = "  " * depth + describe(acc)
            text = text_of(acc) if role_of(acc) == pyatspi.ROLE_LABEL else None
            if text is not None:
                line += f" text={text!r}"
            out.write(line + "\n")
    log(f"    accessible tree ({count} nodes) written to {path}")
    return path


def show_relevant(path, keywords, limit=12):
    try:
        with open(path, encoding="utf-8") as f:
            lines = [l.rstrip("\n") for l in f if any(k in l for k in keywords)]
    except OSError:
        return
    for line in lines[:limit]:
        log(f"    | {line.strip()[:300]}")
    if len(lines) > limit:
        log(f"    | ... {len(lines) - limit} more lines matching {keywords}")


def post_count():
    if not REQUESTS:
        return 0
    try:
        with open(REQUESTS, encoding="utf-8") as f:
            return sum(1 for line in f if line.startswith("POST "))
    except OSError:
        return 0


# ---------------------------------------------------------------- steps

def step_status_label(app, window):
    """1. Status labels are readable: the label described "Engine status" is named by its text."""
    found = wait_for(lambda: labels_with_description(app, "Engine status"), 3)
    if not found:
        raise StepFailure("no label with description 'Engine status'; " + explain_missing_label(app, "Engine status"))
    label = found[0]
    log(f"    found: {describe(label)}")
    name = wait_for(lambda: "Engine running" in name_of(label) and name_of(label), 10) or name_of(label)
    if "Engine running" not in name:
        raise StepFailure(f"its name is {name!r}, which does not contain 'Engine running'")
    text = text_of(label)
    if text is not None and text.strip() and text.strip() != name.strip():
        raise StepFailure(f"its name {name!r} is not its visible text {text!r}")
    return f"name {name!r}, description {description_of(label)!r}"


def step_test_ping(app, window):
    """2. Test ping result is heard: Webhook > Send test ping, then the result label says it succeeded."""
    item = menu_item(window, "Webhook", "Send test ping")
    log(f"    menu item: {describe(item)}")
    if not wait_for(lambda: has_state(item, pyatspi.STATE_ENABLED), 5):
        raise StepFailure(f"'Send test ping' stays disabled (no webhook selected?): {describe(item)}")
    before = post_count()
    # A screen reader hears a new result because the label announces its new
    # name (object:property-change:accessible-name); listen as Orca does.
    announced = []

    def on_name_change(event):
        try:
            if description_of(event.source) == "Test ping result":
                announced.append(str(event.any_data or name_of(event.source)))
        except Exception:  # the source may be gone already
            pass

    pyatspi.Registry.registerEventListener(on_name_change, "object:property-change:accessible-name")
    context = GLib.MainContext.default()

    def pump():
        while context.iteration(False):
            pass

    press(item, "Send test ping")

    def result():
        pump()
        for label in labels_with_description(app, "Test ping result"):
            name = name_of(label)
            if "Succeeded" in name and "200" in name:
                return label, name
        return None

    # Polled briskly: step 3 then acts as soon as the result is heard, which is
    # also what exposes a list reload that the ping sets off replacing the form.
    found = wait_for(result, 15, interval=0.1)
    posts = wait_for(lambda: post_count() > before and post_count(), 3 if found else 0.1) or post_count()
    log(f"    receiver: {posts - before} new POST request(s) ({posts} in all)")
    if not found:
        labels = labels_with_description(app, "Test ping result")
        if labels:
            detail = "; ".join(describe(l) for l in labels)
            raise StepFailure(f"after 15 s the result label does not say 'Succeeded' and '200': {detail}"
                              f"; receiver got {posts - before} POST(s)")
        raise StepFailure("no label with description 'Test ping result'; "
                          + explain_missing_label(app, "Test ping result")
                          + f"; receiver got {posts - before} POST(s)")
    if posts <= before:
        raise StepFailure(f"the label says {found[1]!r} but the receiver got no POST")

    def heard():
        pump()
        return any("Succeeded" in a for a in announced)

    ok = wait_for(heard, 3, interval=0.05)
    pyatspi.Registry.deregisterEventListener(on_name_change, "object:property-change:accessible-name")
    if not ok:
        raise StepFailure(f"the label says {found[1]!r} but no accessible-name change announced it "
                          f"(announcements heard: {announced!r})")
    return f"label name {found[1]!r}, announced; receiver got {posts - before} POST(s)"


def step_event_type_checkbox(app, window):
    """3. Ticking an event type: File > New webhook, then check box "lead.created" in "Event types"."""
    press(menu_item(window, "File", "New webhook"), "New webhook")

    def candidate():
        containers = find_all(window, lambda a: name_of(a) == "Event types")
        for container in containers:
            box = find_first(container, lambda a: role_of(a) == pyatspi.ROLE_CHECK_BOX and name_of(a) == "lead.created")
            if box is not None:
                return box, f"inside [{role_name(container)}] 'Event types'"
        box = find_first(window, lambda a: role_of(a) == pyatspi.ROLE_CHECK_BOX and name_of(a) == "lead.created")
        if box is not None:
            return box, "outside any container named 'Event types'"
        return None

    found = wait_for(candidate, 5)
    if not found:
        items = find_all(window, lambda a: name_of(a) == "lead.created")
        if not items:
            raise StepFailure("nothing named 'lead.created' in the window")
        raise StepFailure("no check box named 'lead.created'; found instead: " + "; ".join(describe(i) for i in items[:3]))
    box, where = found
    log(f"    found {where}: {describe(box)}")
    # A new webhook starts with nothing ticked; the form may still be resetting.
    if not wait_for(lambda: not has_state(box, pyatspi.STATE_CHECKED), 3):
        raise StepFailure(f"it is still checked 3 s after 'New webhook': {describe(box)}; "
                          f"the form shows {form_fields(window)} (the webhook list reloaded after the test ping "
                          "and selected its first row again, replacing the new webhook?)")
    # And the new, empty form stays: nothing in the background may swap a
    # webhook back in while the user is about to fill it in.
    time.sleep(1.0)
    fields = form_fields(window)
    if has_state(box, pyatspi.STATE_CHECKED) or any(fields.values()):
        raise StepFailure(f"1 s after 'New webhook' the form was replaced: it shows {fields} and "
                          f"'lead.created' is {'checked' if has_state(box, pyatspi.STATE_CHECKED) else 'unchecked'} "
                          "(the webhook list reloaded after the test ping and selected its first row again?)")
    note = ""
    if not has_state(box, pyatspi.STATE_CHECKABLE):
        # Qt 6.4's AT-SPI bridge never maps QAccessible::State::checkable to
        # STATE_CHECKABLE (qspi_constant_mappings.cpp), not even for QCheckBox:
        # accept a check box with a Toggle action instead, and say so.
        if "toggle" not in [n.lower() for n in action_names(box)]:
            raise StepFailure(f"it reports neither STATE_CHECKABLE nor a Toggle action: {describe(box)}")
        note = " (STATE_CHECKABLE not reported: Qt 6.4 never exports it; role check box + Toggle accepted)"
        log("    note:" + note)
    name, elapsed, error = do_action(box, ["Toggle", "Press"])
    if error:
        raise StepFailure(f"its {name!r} action failed: {error}")
    if not wait_for(lambda: has_state(box, pyatspi.STATE_CHECKED), 3):
        raise StepFailure(f"3 s after {name!r} it is still not checked: {describe(box)}")
    return f"{name!r} ticked it: {state_names(box)}{note}"


def form_fields(window):
    """The texts of the webhook form's Name and URL fields, for failure messages."""
    fields = {}
    for field in ("Name", "URL"):
        acc = find_first(window, lambda a: role_of(a) == pyatspi.ROLE_TEXT and name_of(a) == field)
        fields[field] = text_of(acc) if acc is not None else None
    return fields


def settings_windows(app):
    return [w for w in children_of(app) if role_of(w) in WINDOW_ROLES and name_of(w) == "Settings"
            and has_state(w, pyatspi.STATE_SHOWING)]


def step_settings_nonblocking(app, window):
    """4. Settings opens without blocking: Tools > Settings returns at once and the dialog appears."""
    item = menu_item(window, "Tools", "Settings")
    log(f"    menu item: {describe(item)}")
    started = time.monotonic()
    name, elapsed, error = do_action(item, ["Press", "Click", "Activate"])
    problems = []
    if error:
        problems.append(f"doAction({name!r}) did not return within {elapsed:.1f} s ({error}): "
                        "the action blocks its caller (a modal loop such as QDialog::exec() inside it?)")
    elif elapsed >= 2.0:
        problems.append(f"doAction({name!r}) took {elapsed:.1f} s (limit 2 s)")
    log(f"    doAction({name!r}) returned after {elapsed:.2f} s" + (f" with {error}" if error else ""))

    remaining = max(0.5, 5.0 - (time.monotonic() - started)) if not error else 1.0
    dialogs = wait_for(lambda: settings_windows(app), remaining)
    if not dialogs:
        others = [describe(w) for w in children_of(app)]
        problems.append(f"no window named 'Settings' among the application's windows: {others}")
        raise StepFailure("; ".join(problems))
    dialog = dialogs[0]
    dialog_role = role_name(dialog)
    log(f"    dialog: {describe(dialog)}")
    # The engine's flow-control settings are there by name, with their values.
    limits = {}
    for field in ("Requests in flight per webhook", "Requests in flight per host", "Slow answer threshold"):
        acc = wait_for(lambda: find_first(dialog, lambda a: name_of(a) == field and role_of(a) in (pyatspi.ROLE_SPIN_BUTTON, pyatspi.ROLE_TEXT)), 5)
        if acc is None:
            problems.append(f"the Settings dialog has no spin box or field named {field!r}")
            continue
        try:
            limits[field] = acc.queryValue().currentValue
        except NotImplementedError:
            limits[field] = text_of(acc)
    log(f"    flow-control settings: {limits}")
    if limits.get("Requests in flight per webhook") not in (64, 64.0, "64"):
        problems.append(f"'Requests in flight per webhook' reads {limits.get('Requests in flight per webhook')!r}, expected the default 64")
    # Where the master key of the secrets is: a read-only field a screen
    # reader can reach and read (the harness's database gets a key file).
    key_field = find_first(dialog, lambda a: name_of(a) == "Master key" and role_of(a) == pyatspi.ROLE_TEXT)
    key_text = text_of(key_field) if key_field is not None else None
    log(f"    master key: {key_text!r}")
    if key_field is None:
        problems.append("the Settings dialog has no field named 'Master key'")
    elif not key_text or ".key (a key file), fingerprint " not in key_text:
        problems.append(f"'Master key' reads {key_text!r}, expected the key file beside the database and its fingerprint")
    cancel = find_first(dialog, lambda a: role_of(a) == pyatspi.ROLE_PUSH_BUTTON and name_of(a) == "Cancel")
    if cancel is None:
        buttons = [name_of(b) for b in find_all(dialog, lambda a: role_of(a) == pyatspi.ROLE_PUSH_BUTTON)]
        problems.append(f"the Settings dialog has no 'Cancel' button; its buttons: {buttons}")
        raise StepFailure("; ".join(problems))
    try:
        press(cancel, "Cancel")
    except StepFailure as e:
        problems.append(str(e))
    if not wait_for(lambda: not settings_windows(app), 5):
        problems.append(f"the Settings dialog is still there 5 s after Cancel: {describe(dialog)}")
    else:
        log("    the Settings dialog closed after Cancel")
    if problems:
        raise StepFailure("; ".join(problems))
    return (f"doAction returned in {elapsed:.2f} s; a {dialog_role} named 'Settings' appeared, showed the in-flight "
            f"limits ({', '.join(f'{k}: {v}' for k, v in limits.items())}), the master key ({key_text}) and Cancel closed it")


def windows_named(app, title):
    return [w for w in children_of(app) if role_of(w) in WINDOW_ROLES and name_of(w) == title
            and has_state(w, pyatspi.STATE_SHOWING)]


def step_tenants_and_keys(app, window):
    """5. Tools > Tenants and API keys: the tenants are read, an admin key is made, shown once and copied."""
    press(menu_item(window, "Tools", "Tenants and API keys"), "Tools > Tenants and API keys")
    dialogs = wait_for(lambda: windows_named(app, "Tenants and API keys"), 5)
    if not dialogs:
        raise StepFailure(f"no window named 'Tenants and API keys': {[describe(w) for w in children_of(app)]}")
    dialog = dialogs[0]
    tenants = wait_for(lambda: find_first(dialog, lambda a: role_of(a) == pyatspi.ROLE_TABLE and name_of(a) == "Tenants"), 5)
    if tenants is None:
        raise StepFailure("the dialog has no table named 'Tenants'")
    cells = wait_for(lambda: [text for text in (name_of(c) or text_of(c) for c in find_all(tenants, lambda a: role_of(a) == pyatspi.ROLE_TABLE_CELL, max_nodes=400)) if text == "default"], 5)
    if not cells:
        raise StepFailure("the 'Tenants' table has no cell reading 'default'")
    name = find_first(dialog, lambda a: name_of(a) == "Name of the new key" and role_of(a) == pyatspi.ROLE_TEXT)
    admin = find_first(dialog, lambda a: name_of(a) == "Admin key for every tenant" and role_of(a) == pyatspi.ROLE_CHECK_BOX)
    create = find_first(dialog, lambda a: name_of(a) == "Create an API key" and role_of(a) == pyatspi.ROLE_PUSH_BUTTON)
    missing = [n for n, a in (("Name of the new key", name), ("Admin key for every tenant", admin), ("Create an API key", create)) if a is None]
    if missing:
        raise StepFailure(f"the dialog lacks {missing}")
    name.queryEditableText().setTextContents("Screen reader key")
    do_action(admin, ["Toggle", "Press", "Click"])
    if not wait_for(lambda: has_state(admin, pyatspi.STATE_CHECKED), 3):
        raise StepFailure("'Admin key for every tenant' did not become checked")
    press(create, "Create an API key")
    shown = wait_for(lambda: windows_named(app, "New API key"), 5)
    if not shown:
        raise StepFailure(f"no window named 'New API key' after Create: {[describe(w) for w in children_of(app)]}")
    key_field = find_first(shown[0], lambda a: name_of(a) == "New API key" and role_of(a) == pyatspi.ROLE_TEXT)
    key = text_of(key_field) if key_field is not None else None
    if not key or not key.startswith("hlk_") or len(key) != 47:
        raise StepFailure(f"the 'New API key' field reads {key!r}, expected hlk_ and 43 characters")
    copy = find_first(shown[0], lambda a: name_of(a) == "Copy the API key" and role_of(a) == pyatspi.ROLE_PUSH_BUTTON)
    if copy is None:
        raise StepFailure("the 'New API key' window has no 'Copy the API key' button")
    press(copy, "Copy the API key")
    status = wait_for(lambda: [t for t in ((text_of(l) or name_of(l)) for l in labels_with_description(shown[0], "Copy status")) if t and t.startswith("Copied")], 3)
    if not status:
        labels = [f"{describe(l)} description={description_of(l)!r} text={text_of(l)!r}" for l in find_all(shown[0], lambda a: role_of(a) == pyatspi.ROLE_LABEL)]
        raise StepFailure("after Copy, no label described 'Copy status' reads 'Copied…'; its labels: " + "; ".join(labels))
    close = find_first(shown[0], lambda a: role_of(a) == pyatspi.ROLE_PUSH_BUTTON and name_of(a) == "Close")
    press(close, "Close the key window")
    keys = find_first(dialog, lambda a: role_of(a) == pyatspi.ROLE_TABLE and name_of(a) == "API keys")
    listed = wait_for(lambda: [c for c in find_all(keys, lambda a: role_of(a) == pyatspi.ROLE_TABLE_CELL, max_nodes=400)
                               if (name_of(c) or text_of(c)) == "Screen reader key"], 5) if keys else None
    if not listed:
        raise StepFailure("the 'API keys' table does not list 'Screen reader key' after it was made")
    if key in " ".join((name_of(c) or text_of(c) or "") for c in find_all(keys, lambda a: role_of(a) == pyatspi.ROLE_TABLE_CELL, max_nodes=400)):
        raise StepFailure("the 'API keys' table shows the whole key")
    press(find_first(dialog, lambda a: role_of(a) == pyatspi.ROLE_PUSH_BUTTON and name_of(a) == "Close"), "Close the dialog")
    return f"tenants read, an admin key made and shown once ({key[:8]}…), '{status[0]}', listed by name only"


STEPS = [
    ("1 status labels are readable", step_status_label, ["Engine status", "Engine running"]),
    ("2 test ping result is heard", step_test_ping, ["Test ping", "Send test ping"]),
    ("3 ticking an event type", step_event_type_checkbox, ["lead.created", "Event types", "New webhook"]),
    ("4 settings opens without blocking", step_settings_nonblocking, ["Settings", "Cancel"]),
    ("5 tenants and API keys", step_tenants_and_keys, ["Tenants", "API key", "Copy"]),
]


def main():
    log(f"atspi: looking for the application 'hookline'{f' (pid {APP_PID})' if APP_PID else ''} on the AT-SPI desktop")
    start = time.monotonic()
    app, seen = find_app()
    if app is None:
        log(f"FAIL: no application 'hookline' with a main window on the AT-SPI desktop after 20 s; "
            f"applications seen: {seen or 'none'}")
        return 2
    log(f"atspi: found {describe(app)} after {time.monotonic() - start:.1f} s")
    window = main_window(app)
    if window is None:
        log(f"FAIL: the application has no frame named 'Hookline…': {[describe(w) for w in children_of(app)]}")
        return 2
    log(f"atspi: main window {describe(window)}")

    passed, failed = [], []
    for title, fn, keywords in STEPS:
        log(f"--- step {title}")
        t0 = time.monotonic()
        try:
            detail = fn(app, window)
            log(f"PASS step {title} ({time.monotonic() - t0:.1f} s): {detail}")
            passed.append(title)
        except StepFailure as e:
            log(f"FAIL step {title} ({time.monotonic() - t0:.1f} s): {e}")
            failed.append(title)
        except Exception as e:
            log(f"FAIL step {title}: unexpected {type(e).__name__}: {e}")
            log(traceback.format_exc().rstrip())
            failed.append(title)
        else:
            continue
        if alive(app):
            path = dump_tree(app, title.split()[0])
            show_relevant(path, keywords)
        else:
            log("    the application no longer answers on the AT-SPI bus (crashed?)")
            break

    log(f"atspi_window: {len(passed)} passed, {len(failed)} failed")
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
