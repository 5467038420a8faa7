#!/usr/bin/env python3
"""Fills the plural forms of translations/hookline_en.ts (the sources are
English; only "%n ..." texts need a translation, for the singular). Run after
`cmake --build build --target hookline_ui_lupdate`; it lists any plural text
it has no singular for, and exits 1 then."""
import html
import re
import sys
from pathlib import Path

SINGULAR = {
    "%n deliveries in a row failed (the last: %1)": "%n delivery failed (the last: %1)",
    "deactivated after %n deliveries in a row failed (the last: %1)": "deactivated after %n delivery failed (the last: %1)",
    "%1 and %n more": "%1 and %n more",
    "%n webhooks need attention": "%n webhook needs attention",
    "%n webhooks deliver again": "%n webhook delivers again",
    "%n min ago": "%n min ago",
    "%n h ago": "%n h ago",
    "%n days ago": "%n day ago",
    "%1 of event %2 (%3) to %4 — %5 after %n attempts": "%1 of event %2 (%3) to %4 — %5 after %n attempt",
    "%n webhook secret(s) re-encrypted under a new master key (fingerprint %1)":
        "%n webhook secret re-encrypted under a new master key (fingerprint %1)",
    "%n webhook secret(s) of %1 encrypted under the master key from %2":
        "%n webhook secret of %1 encrypted under the master key from %2",
    "%n older secret(s) stopped signing now: at most %1 previous secrets sign beside the current one.":
        "%n older secret stopped signing now: at most %1 previous secrets sign beside the current one.",
    "%n change(s).": "%n change.",
    "Body, raw (%n bytes):": "Body, raw (%n byte):",
    "It verifies with a secret that %n rotations replaced, not with the current one.":
        "It verifies with the secret the last rotation replaced, not with the current one.",
    "seconds": "second",
    "minutes": "minute",
    "hours": "hour",
    "days": "day",
    "%n deliveries": "%n delivery",
    "%1 — %n deliveries queued": "%1 — %n delivery queued",
    "The webhook is deactivated when %n deliveries in a row fail": "The webhook is deactivated when a delivery fails",
    "Copied. The clipboard is cleared in %n seconds unless you copy something else.":
        "Copied. The clipboard is cleared in %n second unless you copy something else.",
    "Event %1 recorded: %n deliveries queued.": "Event %1 recorded: %n delivery queued.",
    "Copied. The clipboard is cleared in %n seconds.": "Copied. The clipboard is cleared in %n second.",
    "Not saved: %n problems are marked above.": "Not saved: %n problem is marked above.",
    "New secret issued and copied to the clipboard, which is cleared in %n seconds unless you copy something else.":
        "New secret issued and copied to the clipboard, which is cleared in %n second unless you copy something else.",
    'tenant "%1" is on the %2 plan, which allows %n webhook, and has %3':
        'tenant "%1" is on the %2 plan, which allows %n webhook, and has %3',
    'tenant "%1" is on the %2 plan, which allows %n webhooks, and has %3':
        'tenant "%1" is on the %2 plan, which allows %n webhook, and has %3',
}

path = Path(__file__).with_name("hookline_en.ts")
text = path.read_text(encoding="utf-8")
missing = []


def fill(match):
    body = match.group(1)
    source = html.unescape(re.search(r"<source>(.*?)</source>", body, re.S).group(1))
    if source not in SINGULAR:
        missing.append(source)
        return match.group(0)
    one = html.escape(SINGULAR[source], quote=False)
    many = html.escape(source, quote=False)
    body = re.sub(r"<translation[^>]*>.*?</translation>|<translation[^>]*/>",
                  f"<translation>\n            <numerusform>{one}</numerusform>\n"
                  f"            <numerusform>{many}</numerusform>\n        </translation>", body, flags=re.S)
    return f'<message numerus="yes">{body}</message>'


text = re.sub(r'<message numerus="yes">(.*?)</message>', fill, text, flags=re.S)
path.write_text(text, encoding="utf-8")
for m in missing:
    print(f"no singular for: {m}", file=sys.stderr)
sys.exit(1 if missing else 0)
